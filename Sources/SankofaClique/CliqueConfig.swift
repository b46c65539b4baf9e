/// The two Clique parameters of a chain config (EIP-225 `BLOCK_PERIOD` and `EPOCH_LENGTH`), as in geth's
/// `params.CliqueConfig` and the `clique` object of a genesis file.
public struct CliqueConfig: Hashable, Sendable {
    /// Minimum seconds between a block's timestamp and its parent's (EIP-225 `BLOCK_PERIOD`).
    public var period: UInt64
    /// Every `epoch` blocks a checkpoint lists the signers and pending votes are dropped (`EPOCH_LENGTH`).
    public var epoch: UInt64

    /// EIP-225's suggested epoch length, used when a config gives 0.
    public static let defaultEpoch: UInt64 = 30_000

    /// A config; an `epoch` of 0 means the EIP-225 default of 30 000 (as geth does), so `% epoch` never traps.
    public init(period: UInt64, epoch: UInt64) {
        self.period = period
        self.epoch = epoch == 0 ? Self.defaultEpoch : epoch
    }

    /// Whether block `number` is a checkpoint (EIP-225: `number % EPOCH_LENGTH == 0`).
    public func isCheckpoint(_ number: UInt64) -> Bool { number % epoch == 0 }
}
