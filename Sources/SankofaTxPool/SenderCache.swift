import Dispatch
import Foundation
import SankofaChain
import SankofaPrimitives

/// Senders recovered on this node, by transaction hash, so that each is recovered once whichever path a
/// transaction takes: RPC or gossip admission, a peer's QBFT proposal, an imported block, a JSON-RPC read of a
/// block. Recovery is the dearest step of all of them (an ECDSA public-key recovery). A transaction whose sender
/// another caller is recovering at that moment (a peer's proposal checked while gossip admits the same
/// transactions) is waited for, not recovered again. Bounded: the oldest entries go first; a transaction seen
/// again after that is simply recovered again.
///
/// `@unchecked Sendable` is safe: `senders`, `recovering` and `recoveryCount` are only touched with `condition`
/// locked.
public final class SenderCache: @unchecked Sendable {
    /// Guards the state below and wakes the callers waiting for another caller's recoveries.
    private let condition = NSCondition()
    private var senders: RecentMap<Hash32, Address>
    /// Hashes some caller has claimed and is recovering right now, outside the lock.
    private var recovering: Set<Hash32> = []
    private var recoveryCount = 0

    /// Signatures recovered so far (a transaction seen again within the capacity costs none): what an operator
    /// checks "each sender recovered once per node" against.
    public var recoveries: Int { locked { recoveryCount } }

    /// 131,072 entries (about 13 MB): several seconds of transactions at the highest rates this node reaches.
    public init(capacity: Int = 131_072) { senders = RecentMap(capacity: capacity) }

    /// The transaction with its sender, recovered only if this node has not done so before.
    public func recovered(_ tx: Transaction) throws(TransactionError) -> RecoveredTransaction {
        switch lookUp([tx.hash])[0] {
        case .known(let sender):
            return RecoveredTransaction(transaction: tx, sender: sender)
        case .claimed:
            let result = Result { () throws(TransactionError) in try tx.recovered() }
            publish([tx.hash], senders: [try? result.get().sender])
            return try result.get()
        case .beingRecovered:
            if let sender = waitFor([tx.hash])[0] { return RecoveredTransaction(transaction: tx, sender: sender) }
            // The other caller's recovery failed: claim it again, to report why.
            return try recovered(tx)
        }
    }

    /// A block's transactions with their senders, recovering only those never seen here — on every core when there
    /// are many, since a peer's proposal is checked on the consensus path and most of its transactions may not have
    /// arrived by gossip yet. Nil if one does not recover (the import reports which).
    public func recovered(_ transactions: [Transaction]) -> [RecoveredTransaction]? {
        let hashes = transactions.map(\.hash)
        var senders = [Address?](repeating: nil, count: transactions.count)
        var mine: [Int] = [], theirs: [Int] = []
        for (index, lookup) in lookUp(hashes).enumerated() {
            switch lookup {
            case .known(let sender): senders[index] = sender
            case .claimed: mine.append(index)
            case .beingRecovered: theirs.append(index)
            }
        }
        // Claims are published before waiting for anyone else's, so no two callers can wait for each other.
        let fresh = Self.recoverSenders(mine.map { transactions[$0] })
        publish(mine.map { hashes[$0] }, senders: fresh)
        for (slot, index) in mine.enumerated() { senders[index] = fresh[slot] }
        if !theirs.isEmpty {
            for (index, sender) in zip(theirs, waitFor(theirs.map { hashes[$0] })) { senders[index] = sender }
        }
        guard senders.allSatisfy({ $0 != nil }) else { return nil }
        return zip(transactions, senders).map { RecoveredTransaction(transaction: $0, sender: $1!) }
    }

    /// Below this many unknown senders, recovering on the calling thread is cheaper than fanning out.
    static let parallelThreshold = 64

    /// The senders of `transactions` if this node has recovered every one of them, without recovering any.
    public func knownSenders(of transactions: [Transaction]) -> [Address]? {
        locked {
            var known: [Address] = []
            known.reserveCapacity(transactions.count)
            for tx in transactions {
                guard let sender = senders[tx.hash] else { return nil }
                known.append(sender)
            }
            return known
        }
    }

    /// Whether this node has recovered the sender of `hash` or is recovering it now (it has seen that transaction).
    public func contains(_ hash: Hash32) -> Bool { locked { senders[hash] != nil || recovering.contains(hash) } }

    /// Records senders recovered elsewhere.
    public func remember(_ transactions: some Sequence<RecoveredTransaction>) {
        locked { for tx in transactions { senders.insert(tx.sender, for: tx.transaction.hash) } }
    }

    // MARK: Claims

    private enum Lookup {
        case known(Address)
        /// Unknown and unclaimed: this caller recovers it and must `publish` the outcome.
        case claimed
        /// Another caller is recovering it: `waitFor` it.
        case beingRecovered
    }

    private func lookUp(_ hashes: [Hash32]) -> [Lookup] {
        locked {
            hashes.map { hash in
                if let sender = senders[hash] { return .known(sender) }
                return recovering.insert(hash).inserted ? .claimed : .beingRecovered
            }
        }
    }

    /// Ends the claims on `hashes` with their recovered senders (nil where recovery failed) and wakes every waiter.
    private func publish(_ hashes: [Hash32], senders recovered: [Address?]) {
        guard !hashes.isEmpty else { return }
        locked {
            for (hash, sender) in zip(hashes, recovered) {
                recovering.remove(hash)
                if let sender { senders.insert(sender, for: hash) }
            }
            recoveryCount += hashes.count
            condition.broadcast()
        }
    }

    /// Blocks until no caller is recovering any of `hashes` any more, then answers their senders (nil where that
    /// recovery failed). A claim is only held while its owner recovers, never while it waits, so this ends.
    private func waitFor(_ hashes: [Hash32]) -> [Address?] {
        locked {
            while hashes.contains(where: { recovering.contains($0) }) { condition.wait() }
            return hashes.map { senders[$0] }
        }
    }

    private func locked<R>(_ body: () -> R) -> R {
        condition.lock()
        defer { condition.unlock() }
        return body()
    }

    /// Each transaction's sender, nil where the signature does not recover; on every core for a large batch.
    private static func recoverSenders(_ transactions: [Transaction]) -> [Address?] {
        var senders = [Address?](repeating: nil, count: transactions.count)
        if transactions.count >= parallelThreshold {
            let chunks = ProcessInfo.processInfo.activeProcessorCount
            senders.withUnsafeMutableBufferPointer { out in
                let out = UncheckedSendable(out)
                DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                    for index in stride(from: chunk, to: transactions.count, by: chunks) {
                        out.value[index] = try? transactions[index].recoverSender()
                    }
                }
            }
        } else {
            for (index, tx) in transactions.enumerated() { senders[index] = try? tx.recoverSender() }
        }
        return senders
    }
}

/// Lets `concurrentPerform` write disjoint slots of one buffer: each iteration touches only its own indices.
private struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
