import SankofaPrimitives

/// The unsigned body of a QBFT message: an RLP list that starts with the round identifier (Besu `QbftPayload`).
public protocol QBFTPayload: Hashable, Sendable {
    /// The message code this payload travels under, which its signing hash also covers.
    static var messageCode: QBFTMessageCode { get }
    /// The height and round the payload is about (for ROUND-CHANGE, the round being moved to).
    var roundIdentifier: RoundIdentifier { get }
    /// Writes the payload's RLP list.
    func encode(to writer: inout RLPWriter)
    /// Reads exactly one payload list.
    init(from reader: inout RLPReader) throws(QBFTError)
}

extension QBFTPayload {
    /// The payload's RLP list.
    public var encoded: [UInt8] {
        var writer = RLPWriter()
        encode(to: &writer)
        return writer.bytes
    }

    /// What the author signs: `keccak256(RLP([messageCode, payload]))`, the payload spliced in as already-encoded
    /// RLP (Besu `QbftPayload.hashForSignature`).
    public var signingHash: Hash32 { Self.signingHash(ofEncoded: encoded) }

    /// The signing hash of a payload from its encoded bytes (as received, so nothing is re-encoded).
    static func signingHash(ofEncoded payload: some Collection<UInt8>) -> Hash32 {
        var writer = RLPWriter(capacity: payload.count + 8)
        writer.writeList { w in
            w.write(UInt64(messageCode.rawValue))
            w.writeRaw(payload)
        }
        return Keccak256.hash(writer.bytes)
    }
}
