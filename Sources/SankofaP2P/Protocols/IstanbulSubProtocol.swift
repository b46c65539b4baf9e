/// QBFT's devp2p capability, `istanbul/100` (Besu `Istanbul100SubProtocol`): the four consensus messages travel
/// as its relative ids PROPOSAL 0x12, PREPARE 0x13, COMMIT 0x14, ROUND_CHANGE 0x15 (Besu `QbftV1`), and it
/// reserves Besu's message space of 0x16 ids (0x00–0x15), so ids shift the same way on both clients.
///
/// The codes are mirrored here, not imported, because `SankofaP2P` sits below the consensus targets; a test checks
/// them against `SankofaQBFT.QBFTMessageCode`.
public struct IstanbulSubProtocol: SubProtocol, Hashable {
    /// The capability name every QBFT client advertises (Besu, GoQuorum).
    public static let name = "istanbul"
    /// The only version QBFT uses.
    public static let version: UInt64 = 100
    /// Besu `QbftV1.MESSAGE_SPACE`.
    public static let messageSpace: UInt64 = 0x16
    /// PROPOSAL, PREPARE, COMMIT, ROUND_CHANGE (Besu `Istanbul100SubProtocol.isValidMessageCode`).
    public static let consensusMessageIDs: ClosedRange<UInt64> = 0x12...0x15

    public init() {}

    public var capability: Capability { Capability(name: Self.name, version: Self.version) }
    public var messageCount: UInt64 { Self.messageSpace }

    /// The consensus message code of `message` if it is an `istanbul` message with one of QBFT's ids; nil for any
    /// other protocol or id (a peer may send anything in the reserved space; it is ignored, never trusted).
    public static func consensusCode(of message: SubProtocolMessage) -> Int? {
        guard message.protocolName == name, consensusMessageIDs.contains(message.id) else { return nil }
        return Int(exactly: message.id)
    }

    /// The message carrying consensus payload `data` with code `code`; nil if `code` is not one of QBFT's.
    public static func message(code: Int, data: [UInt8]) -> SubProtocolMessage? {
        guard let id = UInt64(exactly: code), consensusMessageIDs.contains(id) else { return nil }
        return SubProtocolMessage(protocolName: name, id: id, data: data)
    }
}
