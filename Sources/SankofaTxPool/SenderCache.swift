import Dispatch
import Foundation
import SankofaChain
import SankofaPrimitives

/// Senders recovered on this node, by transaction hash, so that each is recovered once whichever path a
/// transaction takes: RPC or gossip admission, a peer's QBFT proposal, an imported block, a JSON-RPC read of a
/// block. Recovery is the dearest step of all of them (an ECDSA public-key recovery). A transaction whose sender
/// another caller is recovering at that moment (a peer's proposal checked while gossip admits the same
/// transactions) is waited for, not recovered again, and a signature that did not recover is remembered too, so a
/// peer repeating it costs nothing more. Bounded: the oldest entries go first; a transaction seen again after that
/// is simply recovered again.
///
/// `@unchecked Sendable` is safe: `senders`, `failures`, `recovering` and `recoveryCount` are only touched with
/// `condition` locked.
public final class SenderCache: @unchecked Sendable {
    /// Guards the state below and wakes the callers waiting for another caller's recoveries.
    private let condition = NSCondition()
    private var senders: RecentMap<Hash32, Address>
    private var failures = RecentMap<Hash32, TransactionError>(capacity: SenderCache.failureCapacity)
    /// Hashes some caller has claimed and is recovering right now, outside the lock.
    private var recovering: Set<Hash32> = []
    private var recoveryCount = 0

    /// Signatures recovered so far, failed ones included (a transaction seen again within the capacity costs none):
    /// what an operator checks "each sender recovered once per node" against.
    public var recoveries: Int { locked { recoveryCount } }

    /// 131,072 entries (about 13 MB): several seconds of transactions at the highest rates this node reaches.
    public init(capacity: Int = 131_072) { senders = RecentMap(capacity: capacity) }

    /// Signatures that did not recover, remembered so that repeating one is refused without recovering it again.
    static let failureCapacity = 4_096

    /// The transaction with its sender, recovered only if this node has not done so before.
    public func recovered(_ tx: Transaction) throws(TransactionError) -> RecoveredTransaction {
        let outcome: Outcome
        switch lookUp([tx.hash])[0] {
        case .known(let known):
            outcome = known
        case .claimed:
            outcome = Self.outcome(of: tx)
            publish([tx.hash], outcomes: [outcome])
        case .beingRecovered:
            // Nil if the claimant's outcome was forgotten already (rare): then recover here, unclaimed.
            outcome = waitFor([tx.hash])[0] ?? recoverUnclaimed(tx)
        }
        return RecoveredTransaction(transaction: tx, sender: try outcome.get())
    }

    /// A block's transactions with their senders, recovering only those never seen here — on every core when there
    /// are many, since a peer's proposal is checked on the consensus path and most of its transactions may not have
    /// arrived by gossip yet. Nil if one does not recover (the import reports which).
    public func recovered(_ transactions: [Transaction]) -> [RecoveredTransaction]? {
        let hashes = transactions.map(\.hash)
        var outcomes = [Outcome?](repeating: nil, count: transactions.count)
        var mine: [Int] = [], theirs: [Int] = []
        for (index, lookup) in lookUp(hashes).enumerated() {
            switch lookup {
            case .known(let known): outcomes[index] = known
            case .claimed: mine.append(index)
            case .beingRecovered: theirs.append(index)
            }
        }
        // Claims are published before waiting for anyone else's (including a hash this batch holds twice), so no
        // two callers can wait for each other; every early return comes after the publishing.
        let fresh = Self.recoverSenders(mine.map { transactions[$0] })
        publish(mine.map { hashes[$0] }, outcomes: fresh)
        for (slot, index) in mine.enumerated() { outcomes[index] = fresh[slot] }
        if outcomes.contains(where: { if case .failure? = $0 { true } else { false } }) { return nil }
        for (index, outcome) in zip(theirs, waitFor(theirs.map { hashes[$0] })) { outcomes[index] = outcome }
        var result: [RecoveredTransaction] = []
        result.reserveCapacity(transactions.count)
        for (tx, outcome) in zip(transactions, outcomes) {
            guard let sender = try? outcome?.get() else { return nil }
            result.append(RecoveredTransaction(transaction: tx, sender: sender))
        }
        return result
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

    private typealias Outcome = Result<Address, TransactionError>

    private enum Lookup {
        /// Recovered before (or refused before).
        case known(Outcome)
        /// Unknown and unclaimed: this caller recovers it and must `publish` the outcome.
        case claimed
        /// Another caller is recovering it: `waitFor` it.
        case beingRecovered
    }

    private func lookUp(_ hashes: [Hash32]) -> [Lookup] {
        locked {
            hashes.map { hash in
                if let sender = senders[hash] { return .known(.success(sender)) }
                if let error = failures[hash] { return .known(.failure(error)) }
                return recovering.insert(hash).inserted ? .claimed : .beingRecovered
            }
        }
    }

    /// Ends the claims on `hashes` with their outcomes and wakes every waiter.
    private func publish(_ hashes: [Hash32], outcomes: [Outcome]) {
        guard !hashes.isEmpty else { return }
        locked {
            for (hash, outcome) in zip(hashes, outcomes) { record(outcome, for: hash) }
            recoveryCount += hashes.count
            condition.broadcast()
        }
    }

    /// With the lock held: ends any claim on `hash` and keeps its outcome.
    private func record(_ outcome: Outcome, for hash: Hash32) {
        recovering.remove(hash)
        switch outcome {
        case .success(let sender): senders.insert(sender, for: hash)
        case .failure(let error): failures.insert(error, for: hash)
        }
    }

    /// Blocks until no caller is recovering any of `hashes` any more, then answers their outcomes (nil for one
    /// already forgotten). A claim is only held while its owner recovers, never while it waits, so this ends.
    private func waitFor(_ hashes: [Hash32]) -> [Outcome?] {
        locked {
            var unresolved = hashes
            while true {
                unresolved.removeAll { !recovering.contains($0) }
                if unresolved.isEmpty { break }
                condition.wait()
            }
            return hashes.map { hash in
                if let sender = senders[hash] { return .success(sender) }
                return failures[hash].map { .failure($0) }
            }
        }
    }

    /// Recovers without a claim, once a claimant's outcome was forgotten before this caller woke: rare, so not worth
    /// claiming again.
    private func recoverUnclaimed(_ tx: Transaction) -> Outcome {
        let outcome = Self.outcome(of: tx)
        locked {
            record(outcome, for: tx.hash)
            recoveryCount += 1
        }
        return outcome
    }

    private func locked<R>(_ body: () -> R) -> R {
        condition.lock()
        defer { condition.unlock() }
        return body()
    }

    /// Each transaction's sender or why its signature does not recover; on every core for a large batch.
    private static func recoverSenders(_ transactions: [Transaction]) -> [Outcome] {
        // Every slot is overwritten by exactly one iteration below.
        var outcomes = [Outcome](repeating: .failure(.empty), count: transactions.count)
        if transactions.count >= parallelThreshold {
            let chunks = ProcessInfo.processInfo.activeProcessorCount
            outcomes.withUnsafeMutableBufferPointer { out in
                let out = UncheckedSendable(out)
                DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                    for index in stride(from: chunk, to: transactions.count, by: chunks) {
                        out.value[index] = outcome(of: transactions[index])
                    }
                }
            }
        } else {
            for (index, tx) in transactions.enumerated() { outcomes[index] = outcome(of: tx) }
        }
        return outcomes
    }

    /// The one place a signature is recovered.
    private static func outcome(of tx: Transaction) -> Outcome {
        Result { () throws(TransactionError) in try tx.recoverSender() }
    }
}

/// Lets `concurrentPerform` write disjoint slots of one buffer: each iteration touches only its own indices.
private struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
