/// Sankofa's light-client sub-protocol, `sfl/1`: what an edge node asks of full nodes (validators and replicas) to
/// answer queries without holding state, every answer checkable against a header it verified itself.
///
/// It reuses eth/68's messages, with eth/68's ids and encodings, for what the two share — Status, block
/// announcements, headers, bodies and receipts — and adds proofs, transaction locations and transaction
/// submission in ids eth/68 leaves free (0x11 onwards). A separate capability rather than eth/68 itself, so that
/// full nodes never count a light node as a sync source nor gossip transactions to it (geth's LES made the same
/// split; Helios shows the shape of the checks).
public struct LightProtocol: SubProtocol, Hashable {
    public static let capability = Capability(name: "sfl", version: 1)

    public var capability: Capability { Self.capability }
    /// Ids 0x00…0x16.
    public var messageCount: UInt64 { 0x17 }

    public init() {}
}

/// The ids `sfl/1` adds to the eth/68 messages it carries.
public enum LightMessageCode: UInt64, CaseIterable, Sendable {
    case getProofs = 0x11
    case proofs = 0x12
    case getTransactionLocations = 0x13
    case transactionLocations = 0x14
    case sendTransaction = 0x15
    case transactionStatus = 0x16
}
