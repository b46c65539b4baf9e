import SankofaPrimitives

/// The devp2p base protocol messages, ids 0x00–0x0f (devp2p rlpx.md, "p2p Capability").
public enum P2PMessage: Equatable, Sendable {
    case hello(Hello)
    case disconnect(DisconnectReason)
    case ping
    case pong

    /// Ids below this belong to the base protocol; sub-protocols start here.
    public static let reservedIDs: UInt64 = 0x10

    public var id: UInt64 {
        switch self {
        case .hello: 0x00
        case .disconnect: 0x01
        case .ping: 0x02
        case .pong: 0x03
        }
    }

    /// The message data (after the id), uncompressed.
    public var data: [UInt8] {
        switch self {
        case .hello(let hello): hello.rlp
        case .disconnect(let reason):
            [0xc1, reason.code == 0 ? 0x80 : reason.code]  // [reason]
        case .ping, .pong: [0xc0]
        }
    }

    /// Decodes the data of base-protocol message `id`; nil for ids 0x04–0x0f, which are reserved and ignored.
    public init?(id: UInt64, data: [UInt8]) throws(WireError) {
        switch id {
        case 0x00: self = .hello(try Hello(rlp: data))
        case 0x01: self = .disconnect(Self.disconnectReason(data))
        case 0x02: self = .ping
        case 0x03: self = .pong
        default: return nil
        }
    }

    /// Disconnect data is `[reason]`; some clients send the bare byte or nothing. Anything else is read as
    /// "requested": a peer that is leaving is not worth a protocol error.
    static func disconnectReason(_ data: [UInt8]) -> DisconnectReason {
        var reader = RLPReader(data)
        if let isList = try? reader.peekIsList(), isList, var list = try? reader.readList() {
            if list.isAtEnd { return .requested }
            if let code = try? list.readUInt64(), code <= 0xff { return DisconnectReason(code: UInt8(code)) }
            return .requested
        }
        if let code = try? reader.readUInt64(), code <= 0xff { return DisconnectReason(code: UInt8(code)) }
        return .requested
    }
}
