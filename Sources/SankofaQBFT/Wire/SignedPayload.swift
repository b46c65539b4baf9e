import SankofaCrypto
import SankofaPrimitives

/// A payload with its author's signature, encoded `RLP([payload, signature65])` (Besu `SignedData`). The author
/// is recovered once, when the value is made, and must be the signer of `payload.signingHash`.
public struct SignedPayload<Payload: QBFTPayload>: Hashable, Sendable {
    public let payload: Payload
    public let signature: RecoverableSignature
    /// The address that signed, recovered from `signature`.
    public let author: Address

    /// Signs `payload` with `key`.
    public init(_ payload: Payload, signedWith key: PrivateKey) {
        self.payload = payload
        self.signature = key.sign(payload.signingHash)
        self.author = key.address
    }

    /// Re-creates a signed payload from its parts, recovering the author. Refuses high-s signatures, as Besu's
    /// `SignedData` constructor does.
    public init(_ payload: Payload, signature: RecoverableSignature) throws(QBFTError) {
        try self.init(payload, signature: signature, digest: payload.signingHash)
    }

    init(_ payload: Payload, signature: RecoverableSignature, digest: Hash32) throws(QBFTError) {
        guard signature.s <= RecoverableSignature.halfCurveOrder else {
            throw .invalidSignature("message signature is high-s; Besu requires s ≤ n/2")
        }
        self.payload = payload
        self.signature = signature
        do { self.author = try Secp256k1.recoverAddress(digest, signature) } catch {
            throw .invalidSignature("message signature: \(error)")
        }
    }

    /// Writes `[payload, signature]`.
    public func encode(to writer: inout RLPWriter) {
        writer.writeList { w in
            payload.encode(to: &w)
            w.write(bytes: signature.rsv)
        }
    }

    /// The RLP bytes of `[payload, signature]`.
    public var encoded: [UInt8] {
        var writer = RLPWriter()
        encode(to: &writer)
        return writer.bytes
    }

    /// Reads `[payload, signature]`; the signing hash is taken over the payload bytes as received.
    public static func read(from reader: inout RLPReader) throws(QBFTError) -> SignedPayload {
        var list = try QBFTError.reading("signed payload") { () throws(RLPError) in try reader.readList() }
        let raw = try QBFTError.reading("signed payload") { () throws(RLPError) in try list.readRawItem() }
        var payloadReader = RLPReader(Array(raw))
        let payload = try Payload(from: &payloadReader)
        let signatureBytes = try QBFTError.reading("signed payload") { () throws(RLPError) -> ArraySlice<UInt8> in
            try payloadReader.finish()
            let bytes = try list.readBytes()
            try list.finish()
            return bytes
        }
        let signature = try RecoverableSignature.qbft(signatureBytes)
        return try SignedPayload(payload, signature: signature, digest: Payload.signingHash(ofEncoded: raw))
    }
}
