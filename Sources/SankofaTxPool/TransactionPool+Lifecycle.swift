import SankofaChain
import SankofaPrimitives

extension TransactionPool {
    /// After a new head: drops transactions whose nonces the chain has used (included, or replaced by another
    /// transaction with that nonce), and rebuilds the pending runs from the new account nonces.
    ///
    /// When `block` is a child of the head the pool last saw and this node knows its senders, only those senders
    /// are re-based, at the nonce after their last one in the block: a block changes no other account's nonce,
    /// each included transaction uses its sender's next nonce (reverted or not), and reading them from state
    /// instead cost a database read per sender per block. Any other head (the first, a reorg, a skipped one, or
    /// no `block`) re-bases every sender from state.
    public func newHead(state: any PoolStateReader, blockGasLimit: UInt64, block: Block? = nil) {
        if let block, block.hash == headHash { return }   // already applied (the producer and the follower both tell)
        self.state = state
        self.blockGasLimit = blockGasLimit
        let senders: [Address]
        if let block, let headHash, block.header.parentHash == headHash,
           let known = senderCache.knownSenders(of: block.transactions) {
            var next: [Address: UInt64] = [:]
            for (sender, tx) in zip(known, block.transactions) { next[sender] = max(next[sender] ?? 0, min(tx.nonce, .max - 1) + 1) }
            // Remembered only for senders the pool holds, so the map does not grow with every sender ever mined.
            for (sender, nonce) in next { baseNonces[sender] = accounts[sender] == nil ? nil : nonce }
            senders = Array(next.keys)
        } else {
            baseNonces.removeAll(keepingCapacity: true)
            senders = Array(accounts.keys)
        }
        headHash = block?.hash
        expireQueuedIfDue()
        var promoted: [Transaction] = []
        for sender in senders where accounts[sender] != nil { rebase(sender, promoted: &promoted) }
        publish(pending: promoted)
    }

    /// Drops `sender`'s transactions below its account nonce and rebuilds its pending run from there; transactions
    /// that became pending are appended to `promoted`.
    func rebase(_ sender: Address, promoted: inout [Transaction]) {
        let base = baseNonce(sender)
        withAccount(sender) { account in
            // The usual case after a block: nothing queued and the run still reaches `base` (or was all mined):
            // the mined front goes and nothing else moves.
            if account.queued.isEmpty,
               account.pending[base] != nil || (base > 0 && account.pending[base - 1] != nil) {
                for nonce in account.pending.keys.filter({ $0 < base }) {
                    if let entry = account.pending.removeValue(forKey: nonce) { slots[entry.hash] = nil }
                    pendingCount -= 1
                }
                return
            }
            var all = account.pending.merging(account.queued) { first, _ in first }
            // Removing while iterating `all` itself would copy it; collect the mined nonces first.
            for nonce in all.keys.filter({ $0 < base }) {
                if let entry = all.removeValue(forKey: nonce) { slots[entry.hash] = nil }
            }
            pendingCount -= account.pending.count
            queuedCount -= account.queued.count
            let wasPending = account.pending
            account = Account()
            var next = base
            while let entry = all.removeValue(forKey: next) {
                account.pending[next] = entry
                // `all` prefers the pending entry at a nonce, so one from the queue is a promotion.
                if wasPending[next]?.hash != entry.hash { promoted.append(entry.tx.transaction) }
                next += 1
            }
            account.queued = all
            pendingCount += account.pending.count
            queuedCount += account.queued.count
        }
    }

    /// Drops queued transactions older than `config.queuedLifetime` (geth evicts stale queues the same way), so
    /// a nonce gap that never closes does not hold its transactions, and the sender's slots, forever.
    public func expireQueued() {
        let current = now()
        lastExpiry = current
        for (sender, var account) in accounts where !account.queued.isEmpty {
            var changed = false
            for (nonce, entry) in account.queued where current - entry.admitted > config.queuedLifetime {
                account.queued[nonce] = nil
                slots[entry.hash] = nil
                queuedCount -= 1
                changed = true
            }
            if changed { accounts[sender] = account.count == 0 ? nil : account }
        }
    }

    /// Runs `expireQueued` at most once a minute from admission, for chains that seal no blocks while idle.
    func expireQueuedIfDue() {
        guard queuedCount > 0, now() - lastExpiry >= .seconds(60) else { return }
        expireQueued()
    }

    /// Puts back transactions of blocks that a reorg removed from the canonical chain (those still valid on the
    /// new head are kept; the rest are dropped silently).
    public func reinject(_ transactions: [RecoveredTransaction]) {
        for tx in transactions.sorted(by: { ($0.sender, $0.transaction.nonce) < ($1.sender, $1.transaction.nonce) }) {
            _ = try? insert(tx)
        }
    }

    /// Removes a transaction (and, since later nonces can no longer execute, demotes its sender's later pending ones).
    public func remove(_ hash: Hash32) {
        guard let slot = slots.removeValue(forKey: hash) else { return }
        withAccount(slot.sender) { account in
            if account.pending.removeValue(forKey: slot.nonce) != nil {
                pendingCount -= 1
                // The pending run is consecutive, so the nonces after this one are exactly its rest.
                var later = slot.nonce + 1
                while let entry = account.pending.removeValue(forKey: later) {
                    account.queued[later] = entry
                    pendingCount -= 1
                    queuedCount += 1
                    later += 1
                }
            } else if account.queued.removeValue(forKey: slot.nonce) != nil {
                queuedCount -= 1
            }
        }
    }

    // MARK: Block building

    /// Ready transactions in execution order: each sender's in nonce order, senders interleaved by highest tip,
    /// then first arrival (a price-and-time heap, as geth's miner).
    public func candidates(limit: Int = .max) -> [RecoveredTransaction] {
        var heads = Heap<Head> { lhs, rhs in lhs.tip != rhs.tip ? lhs.tip > rhs.tip : lhs.sequence < rhs.sequence }
        var runs: [[Entry]] = []
        runs.reserveCapacity(accounts.count)
        for account in accounts.values where !account.pending.isEmpty {
            let run = account.pending.values.sorted { $0.nonce < $1.nonce }
            heads.push(Head(run: runs.count, index: 0, of: run[0]))
            runs.append(run)
        }
        var selected: [RecoveredTransaction] = []
        selected.reserveCapacity(min(limit, pendingCount))
        while selected.count < limit, let head = heads.pop() {
            let run = runs[head.run]
            selected.append(run[head.index].tx)
            if head.index + 1 < run.count { heads.push(Head(run: head.run, index: head.index + 1, of: run[head.index + 1])) }
        }
        return selected
    }

    /// A sender's next candidate: where it is (run and index) and what orders it, so the heap moves no transactions.
    struct Head {
        let run: Int
        let index: Int
        let tip: UInt256
        let sequence: UInt64

        init(run: Int, index: Int, of entry: Entry) {
            self.run = run
            self.index = index
            tip = entry.tip
            sequence = entry.sequence
        }
    }

    // MARK: Views (txpool_status, txpool_content, eth_getTransactionCount "pending")

    public var status: (pending: Int, queued: Int) { (pendingCount, queuedCount) }

    /// Every pooled transaction by sender, in nonce order. Only the accounts are read inside the actor (a copy that
    /// shares their storage); the sorting happens outside it, so a large pool's content does not hold up admission.
    public nonisolated func content() async -> (pending: [Address: [RecoveredTransaction]], queued: [Address: [RecoveredTransaction]]) {
        let accounts = await self.accounts
        var pending: [Address: [RecoveredTransaction]] = [:]
        var queued: [Address: [RecoveredTransaction]] = [:]
        for (sender, account) in accounts {
            if !account.pending.isEmpty { pending[sender] = account.pending.values.sorted { $0.nonce < $1.nonce }.map(\.tx) }
            if !account.queued.isEmpty { queued[sender] = account.queued.values.sorted { $0.nonce < $1.nonce }.map(\.tx) }
        }
        return (pending, queued)
    }

    public func transaction(_ hash: Hash32) -> RecoveredTransaction? {
        guard let slot = slots[hash] else { return nil }
        return accounts[slot.sender]?.entry(hash, at: slot.nonce)?.tx
    }

    /// The nonce a sender's next transaction should use, counting its pending ones.
    public func nextNonce(for sender: Address) -> UInt64 {
        baseNonce(sender) + UInt64(accounts[sender]?.pending.count ?? 0)
    }

    /// Hashes of transactions as they become pending (for `newPendingTransactions` subscriptions).
    public func pendingTransactionStream(bufferLimit: Int? = nil) -> AsyncStream<Hash32> {
        pendingHashes.subscribe(bufferLimit: bufferLimit)
    }

    /// The transactions themselves, a batch at a time (for gossip, which sends them in batches anyway, and would
    /// otherwise look each up again). `bufferLimit` counts batches.
    public func pendingBatchStream(bufferLimit: Int? = nil) -> AsyncStream<[Transaction]> {
        pendingBatches.subscribe(bufferLimit: bufferLimit)
    }
}

extension TransactionPool {
    /// The pooled transactions with these hashes, with their senders (nil where not pooled), in one hop: gossip
    /// serves peers from it and block import reuses the senders recovered at admission.
    public func transactions(_ hashes: [Hash32]) -> [RecoveredTransaction?] {
        hashes.map { transaction($0) }
    }

    /// Whether each hash is pooled.
    public func contains(_ hashes: [Hash32]) -> [Bool] {
        hashes.map { slots[$0] != nil }
    }
}
