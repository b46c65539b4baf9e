/// The devp2p message codes of QBFT's four messages on the `istanbul/100` sub-protocol (Besu `QbftV1`).
/// The code is also the first item of every payload's signing hash.
public enum QBFTMessageCode: UInt8, Sendable, CaseIterable {
    case proposal = 0x12
    case prepare = 0x13
    case commit = 0x14
    case roundChange = 0x15

    /// Besu `QbftV1.MESSAGE_SPACE`: how many codes the sub-protocol reserves (0x00–0x15).
    public static let messageSpace = 0x16
}
