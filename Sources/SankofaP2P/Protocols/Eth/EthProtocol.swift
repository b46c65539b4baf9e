/// The `eth/68` sub-protocol (devp2p caps/eth.md): block and transaction exchange between full nodes.
///
/// It uses 17 message ids (0x00…0x10); 0x0b…0x0e are unused in eth/68 (0x0d/0x0e were GetNodeData/NodeData,
/// removed in eth/67), so a message with one of those codes is refused as unknown.
public struct EthProtocol: SubProtocol, Hashable {
    /// The protocol version this node speaks; Status must carry the same.
    public static let version: UInt64 = 68
    /// The advertised capability, `eth/68`.
    public static let capability = Capability(name: "eth", version: version)

    public var capability: Capability { Self.capability }
    /// The spec's message count for eth/68.
    public var messageCount: UInt64 { 17 }

    public init() {}
}

/// The relative message ids of eth/68 (devp2p caps/eth.md, "Protocol Messages").
public enum EthMessageCode: UInt64, CaseIterable, Sendable {
    case status = 0x00
    case newBlockHashes = 0x01
    case transactions = 0x02
    case getBlockHeaders = 0x03
    case blockHeaders = 0x04
    case getBlockBodies = 0x05
    case blockBodies = 0x06
    case newBlock = 0x07
    case newPooledTransactionHashes = 0x08
    case getPooledTransactions = 0x09
    case pooledTransactions = 0x0a
    case getReceipts = 0x0f
    case receipts = 0x10
}
