/// What contract work costs. Gas is metered from the work actually done — storage reads and writes, log bytes,
/// calls — so a block's gas limit bounds its work. The figures follow the EVM's where the work is alike
/// (EIP-2929 cold reads, SSTORE set/reset, LOG), so tools' expectations about magnitudes hold.
public struct GasSchedule: Sendable, Equatable {
    /// Entering a contract function (dispatch, argument decoding).
    public var call: UInt64 = 700
    /// Per 32-byte word of call data decoded.
    public var callDataWord: UInt64 = 3
    /// Reading a storage slot for the first time in a transaction.
    public var coldRead: UInt64 = 2_100
    /// Reading a slot already read or written in this transaction.
    public var warmRead: UInt64 = 100
    /// Per 32-byte word of a stored value read.
    public var readWord: UInt64 = 3
    /// Writing a slot that was empty.
    public var setSlot: UInt64 = 20_000
    /// Changing or clearing a slot that held a value.
    public var resetSlot: UInt64 = 2_900
    /// Per 32-byte word written beyond the first (system contracts store variable-length records).
    public var writeWord: UInt64 = 600
    /// Emitting a log, per topic, and per data byte.
    public var log: UInt64 = 375
    public var logTopic: UInt64 = 375
    public var logDataByte: UInt64 = 8
    /// Hashing, per 32-byte word (derived storage keys).
    public var hashWord: UInt64 = 6

    public init() {}

    /// The published schedule.
    public static let standard = GasSchedule()
}
