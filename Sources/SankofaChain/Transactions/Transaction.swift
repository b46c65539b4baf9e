import SankofaCrypto
import SankofaPrimitives

/// A signed transaction of any supported type, with its canonical encoding and hash computed once.
///
/// `encoded` is the EIP-2718 "opaque" form that `eth_sendRawTransaction` takes and whose keccak is the
/// transaction hash: the RLP list for legacy transactions, `type ‖ rlp(fields)` for typed ones.
public struct Transaction: Sendable, Hashable, CustomStringConvertible {
    /// The type-specific unsigned fields.
    public enum Payload: Hashable, Sendable {
        case legacy(LegacyTransaction)
        case accessList(AccessListTransaction)
        case dynamicFee(DynamicFeeTransaction)
    }

    /// The fields, signature, encoding and hash, shared by every copy. A node copies each transaction a score of
    /// times (pool, gossip batches, block candidates, blocks, receipts); a copy is then one reference count rather
    /// than ~280 bytes and a count on each of three buffers.
    private final class Storage: Sendable {
        let payload: Payload
        let signature: RecoverableSignature
        let encoded: [UInt8]
        let hash: Hash32

        init(payload: Payload, signature: RecoverableSignature, encoded: [UInt8]) {
            self.payload = payload
            self.signature = signature
            self.encoded = encoded
            self.hash = Keccak256.hash(encoded)
        }
    }

    private let storage: Storage

    public var payload: Payload { storage.payload }
    public var signature: RecoverableSignature { storage.signature }
    /// The canonical opaque encoding.
    public var encoded: [UInt8] { storage.encoded }
    /// keccak256(encoded).
    public var hash: Hash32 { storage.hash }

    /// Assembles a transaction from fields and a signature, computing its encoding and hash.
    public init(payload: Payload, signature: RecoverableSignature) {
        let encoded: [UInt8]
        var writer = RLPWriter(capacity: 128)
        switch payload {
        case .legacy(let tx):
            writer.writeList { w in
                tx.encodeCommonFields(to: &w)
                w.write(tx.v(recoveryId: signature.recoveryId))
                w.write(signature.r)
                w.write(signature.s)
            }
            encoded = writer.bytes
        case .accessList(let tx): encoded = Self.encodeTyped(tx, signature: signature, writer: &writer)
        case .dynamicFee(let tx): encoded = Self.encodeTyped(tx, signature: signature, writer: &writer)
        }
        storage = Storage(payload: payload, signature: signature, encoded: encoded)
    }

    /// Decodes the opaque form (`eth_sendRawTransaction`). Non-canonical RLP, trailing bytes, unknown types and
    /// out-of-range signature values are errors.
    public init(raw: [UInt8]) throws(TransactionError) {
        guard let first = raw.first else { throw .empty }
        let (payload, signature) = try TransactionError.decoding { () throws -> (Payload, RecoverableSignature) in
            var reader = RLPReader(raw)
            let decoded: (Payload, RecoverableSignature)
            if first >= 0xc0 {
                decoded = try Self.decodeLegacy(from: &reader)
            } else {
                guard let type = TransactionType(rawValue: first), type != .legacy else {
                    throw TransactionError.unsupportedType(first)
                }
                reader = RLPReader(raw, from: 1)
                switch type {
                case .accessList:
                    let (fields, sig) = try Self.decodeTyped(AccessListTransaction.self, from: &reader)
                    decoded = (.accessList(fields), sig)
                case .dynamicFee:
                    let (fields, sig) = try Self.decodeTyped(DynamicFeeTransaction.self, from: &reader)
                    decoded = (.dynamicFee(fields), sig)
                case .legacy:
                    throw TransactionError.unsupportedType(first)
                }
            }
            try reader.finish()
            return decoded
        }
        do { try signature.validate() } catch { throw .invalidSignature(error) }
        storage = Storage(payload: payload, signature: signature, encoded: raw)
    }

    /// Decodes a transaction as it sits in a block body: a legacy transaction is an RLP list, a typed one an RLP
    /// byte string holding its opaque form.
    public init(from reader: inout RLPReader) throws(TransactionError) {
        let raw = try TransactionError.decoding { () throws -> [UInt8] in
            if try reader.peekIsList() { return Array(try reader.readRawItem()) }
            let opaque = Array(try reader.readBytes())
            guard let first = opaque.first, first < 0x80 else { throw TransactionError.malformed(.expectedList) }
            return opaque
        }
        try self.init(raw: raw)
    }

    /// Writes the block-body form (see `init(from:)`).
    public func encode(to writer: inout RLPWriter) {
        if case .legacy = payload { writer.writeRaw(encoded) } else { writer.write(bytes: encoded) }
    }

    public static func == (lhs: Transaction, rhs: Transaction) -> Bool {
        lhs.storage === rhs.storage || (lhs.hash == rhs.hash && lhs.encoded == rhs.encoded)
    }
    public func hash(into hasher: inout Hasher) { hasher.combine(hash) }

    /// Type, hash and nonce, for logs and failed tests (the default description would show only the private box).
    public var description: String { "\(type) transaction \(hash.hex), nonce \(nonce)" }

    // MARK: Codec helpers

    private static func encodeTyped<T: TypedTransactionFields>(_ tx: T, signature: RecoverableSignature,
                                                                writer: inout RLPWriter) -> [UInt8] {
        writer.writeRaw(CollectionOfOne(T.type.rawValue))
        writer.writeList { w in
            tx.encodeFields(to: &w)
            w.write(UInt64(signature.recoveryId))
            w.write(signature.r)
            w.write(signature.s)
        }
        return writer.bytes
    }

    private static func decodeLegacy(from reader: inout RLPReader) throws -> (Payload, RecoverableSignature) {
        var fields = try reader.readList()
        var tx = LegacyTransaction(
            nonce: try fields.readUInt64(), gasPrice: try fields.readUInt256(), gasLimit: try fields.readUInt64(),
            to: try fields.readOptionalAddress(), value: try fields.readUInt256(), data: Array(try fields.readBytes()),
            chainId: nil)
        let v = try fields.readUInt256()
        let r = try fields.readUInt256()
        let s = try fields.readUInt256()
        try fields.finish()
        let (chainId, recoveryId) = try LegacyTransaction.split(v: v)
        tx.chainId = chainId
        return (.legacy(tx), RecoverableSignature(r: r, s: s, recoveryId: recoveryId))
    }

    private static func decodeTyped<T: TypedTransactionFields>(_: T.Type, from reader: inout RLPReader) throws
        -> (T, RecoverableSignature)
    {
        var fields = try reader.readList()
        let tx = try T.decodeFields(from: &fields)
        let yParity = try fields.readUInt64()
        let r = try fields.readUInt256()
        let s = try fields.readUInt256()
        try fields.finish()
        guard yParity <= 1 else { throw TransactionError.invalidYParity }
        return (tx, RecoverableSignature(r: r, s: s, recoveryId: UInt8(yParity)))
    }
}
