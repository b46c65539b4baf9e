import SankofaChain
import SankofaPrimitives

/// Senders recovered on this node, by transaction hash, so that each is recovered once whichever path a
/// transaction takes: RPC or gossip admission, a peer's QBFT proposal, an imported block, a JSON-RPC read of a
/// block. Recovery is the dearest step of all of them (an ECDSA public-key recovery). Bounded: the oldest entries
/// go first; a transaction seen again after that is simply recovered again.
public final class SenderCache: Sendable {
    private let entries: Locked<RecentMap<Hash32, Address>>

    /// 131,072 entries (about 13 MB): several seconds of transactions at the highest rates this node reaches.
    public init(capacity: Int = 131_072) { entries = Locked(RecentMap(capacity: capacity)) }

    /// The transaction with its sender, recovered only if this node has not done so before.
    public func recovered(_ tx: Transaction) throws(TransactionError) -> RecoveredTransaction {
        if let sender = entries.withLock({ $0[tx.hash] }) { return RecoveredTransaction(transaction: tx, sender: sender) }
        let recovered = try tx.recovered()
        entries.withLock { _ = $0.insert(recovered.sender, for: tx.hash) }
        return recovered
    }

    /// A block's transactions with their senders, recovering only those never seen here (one lock for the lookups,
    /// one for the new entries, recoveries in between); nil if one does not recover (the import reports which).
    public func recovered(_ transactions: [Transaction]) -> [RecoveredTransaction]? {
        let known = entries.withLock { entries in transactions.map { entries[$0.hash] } }
        var result: [RecoveredTransaction] = []
        result.reserveCapacity(transactions.count)
        var fresh: [RecoveredTransaction] = []
        for (tx, sender) in zip(transactions, known) {
            if let sender {
                result.append(RecoveredTransaction(transaction: tx, sender: sender))
            } else {
                guard let recovered = try? tx.recovered() else { return nil }
                result.append(recovered)
                fresh.append(recovered)
            }
        }
        if !fresh.isEmpty { remember(fresh) }
        return result
    }

    /// Whether this node has recovered the sender of `hash` (it has seen that transaction).
    public func contains(_ hash: Hash32) -> Bool { entries.withLock { $0[hash] != nil } }

    /// Records senders recovered elsewhere.
    public func remember(_ transactions: some Sequence<RecoveredTransaction>) {
        entries.withLock { entries in
            for tx in transactions { entries.insert(tx.sender, for: tx.transaction.hash) }
        }
    }
}
