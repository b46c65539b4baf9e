import Dispatch
import Foundation
import SankofaChain
import SankofaPrimitives

/// Senders recovered on this node, by transaction hash, so that each is recovered once whichever path a
/// transaction takes: RPC or gossip admission, a peer's QBFT proposal, an imported block, a JSON-RPC read of a
/// block. Recovery is the dearest step of all of them (an ECDSA public-key recovery). Bounded: the oldest entries
/// go first; a transaction seen again after that is simply recovered again.
public final class SenderCache: Sendable {
    private let entries: Locked<RecentMap<Hash32, Address>>
    private let recoveryCount = Locked(0)

    /// Signatures recovered so far (a transaction seen again within the capacity costs none): what an operator
    /// checks "each sender recovered once per node" against.
    public var recoveries: Int { recoveryCount.withLock { $0 } }

    /// 131,072 entries (about 13 MB): several seconds of transactions at the highest rates this node reaches.
    public init(capacity: Int = 131_072) { entries = Locked(RecentMap(capacity: capacity)) }

    /// The transaction with its sender, recovered only if this node has not done so before.
    public func recovered(_ tx: Transaction) throws(TransactionError) -> RecoveredTransaction {
        if let sender = entries.withLock({ $0[tx.hash] }) { return RecoveredTransaction(transaction: tx, sender: sender) }
        let recovered = try tx.recovered()
        recoveryCount.withLock { $0 += 1 }
        entries.withLock { _ = $0.insert(recovered.sender, for: tx.hash) }
        return recovered
    }

    /// A block's transactions with their senders, recovering only those never seen here — on every core when there
    /// are many, since a peer's proposal is checked on the consensus path and most of its transactions may not have
    /// arrived by gossip yet. Nil if one does not recover (the import reports which).
    public func recovered(_ transactions: [Transaction]) -> [RecoveredTransaction]? {
        let known = entries.withLock { entries in transactions.map { entries[$0.hash] } }
        let missing = known.indices.filter { known[$0] == nil }
        var fresh = [Address?](repeating: nil, count: missing.count)
        if missing.count >= Self.parallelThreshold {
            let chunks = ProcessInfo.processInfo.activeProcessorCount
            fresh.withUnsafeMutableBufferPointer { out in
                let out = UncheckedSendable(out)
                DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                    for index in stride(from: chunk, to: missing.count, by: chunks) {
                        out.value[index] = try? transactions[missing[index]].recoverSender()
                    }
                }
            }
        } else {
            for (slot, index) in missing.enumerated() { fresh[slot] = try? transactions[index].recoverSender() }
        }
        if !missing.isEmpty { recoveryCount.withLock { $0 += missing.count } }
        var senders = known
        for (slot, index) in missing.enumerated() {
            guard let sender = fresh[slot] else { return nil }
            senders[index] = sender
        }
        let result = zip(transactions, senders).map { RecoveredTransaction(transaction: $0, sender: $1!) }
        if !missing.isEmpty { remember(missing.map { result[$0] }) }
        return result
    }

    /// Below this many unknown senders, recovering on the calling thread is cheaper than fanning out.
    static let parallelThreshold = 64

    /// The senders of `transactions` if this node has recovered every one of them, without recovering any.
    public func knownSenders(of transactions: [Transaction]) -> [Address]? {
        entries.withLock { entries in
            var senders: [Address] = []
            senders.reserveCapacity(transactions.count)
            for tx in transactions {
                guard let sender = entries[tx.hash] else { return nil }
                senders.append(sender)
            }
            return senders
        }
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

/// Lets `concurrentPerform` write disjoint slots of one buffer: each iteration touches only its own indices.
private struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
