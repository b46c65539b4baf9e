import SankofaCrypto
import SankofaPrimitives

extension Transaction.Payload {
    /// The digest the sender signs (see `signingPayload`).
    public var signingHash: Hash32 { Keccak256.hash(signingPayload) }

    /// The bytes the sender signs: the RLP of the legacy fields (plus `chainId, 0, 0` under EIP-155), or
    /// `type ‖ rlp(unsigned fields)` for typed transactions (EIP-2718).
    public var signingPayload: [UInt8] {
        var writer = RLPWriter(capacity: 128)
        switch self {
        case .legacy(let tx):
            writer.writeList { w in
                tx.encodeCommonFields(to: &w)
                if let chainId = tx.chainId {
                    w.write(chainId)
                    w.write(0 as UInt64)
                    w.write(0 as UInt64)
                }
            }
        case .accessList(let tx): Self.writeTypedPreimage(tx, to: &writer)
        case .dynamicFee(let tx): Self.writeTypedPreimage(tx, to: &writer)
        }
        return writer.bytes
    }

    /// Signs these fields with `key`, producing the complete transaction.
    public func signed(with key: PrivateKey) -> Transaction {
        Transaction(payload: self, signature: key.sign(signingHash))
    }

    private static func writeTypedPreimage<T: TypedTransactionFields>(_ tx: T, to writer: inout RLPWriter) {
        writer.writeRaw(CollectionOfOne(T.type.rawValue))
        writer.writeList { w in tx.encodeFields(to: &w) }
    }
}

extension Transaction {
    /// The digest the sender signed.
    public var signingHash: Hash32 { payload.signingHash }

    /// Recovers the sender's address from the signature. This is the expensive step of transaction handling:
    /// do it once and carry the result in a `RecoveredTransaction`.
    public func recoverSender() throws(TransactionError) -> Address {
        do {
            return try Secp256k1.recoverAddress(signingHash, signature)
        } catch {
            throw .invalidSignature(error)
        }
    }

    /// Recovers the sender once and pairs it with the transaction.
    public func recovered() throws(TransactionError) -> RecoveredTransaction {
        RecoveredTransaction(transaction: self, sender: try recoverSender())
    }
}

/// A transaction whose sender has been recovered, so that pool admission, block building and import never
/// repeat the recovery.
public struct RecoveredTransaction: Hashable, Sendable {
    public let transaction: Transaction
    public let sender: Address

    /// Pairs a transaction with a sender the caller has already recovered from it.
    public init(transaction: Transaction, sender: Address) {
        self.transaction = transaction
        self.sender = sender
    }
}
