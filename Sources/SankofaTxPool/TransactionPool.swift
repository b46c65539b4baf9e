import SankofaChain
import SankofaPrimitives

/// Transactions waiting to be included: validated, with their sender recovered once at admission and reused by
/// block building and import. Per sender, `pending` holds the run of consecutive nonces starting at the account's
/// next nonce (ready to execute); `queued` holds transactions beyond a nonce gap until it closes.
public actor TransactionPool {
    struct Entry: Sendable {
        let tx: RecoveredTransaction
        let sequence: UInt64
        /// When the pool admitted it: queued entries older than `config.queuedLifetime` expire.
        let admitted: ContinuousClock.Instant
        /// Read from the transaction once: each read through its payload enum copies the payload, and sorting and
        /// block selection read these many times.
        let nonce: UInt64
        let tip: UInt256
        var hash: Hash32 { tx.transaction.hash }

        init(tx: RecoveredTransaction, sequence: UInt64, admitted: ContinuousClock.Instant) {
            self.tx = tx
            self.sequence = sequence
            self.admitted = admitted
            nonce = tx.transaction.nonce
            tip = tx.transaction.maxPriorityFeePerGas
        }
    }

    struct Account: Sendable {
        var pending: [UInt64: Entry] = [:]
        var queued: [UInt64: Entry] = [:]
        var count: Int { pending.count + queued.count }

        /// The pooled transaction at `nonce`, if it is the one with `hash`.
        func entry(_ hash: Hash32, at nonce: UInt64) -> Entry? {
            guard let entry = pending[nonce] ?? queued[nonce], entry.hash == hash else { return nil }
            return entry
        }
    }

    struct Slot: Sendable {
        let sender: Address
        let nonce: UInt64
    }

    public let config: TxPoolConfig
    var state: any PoolStateReader
    var blockGasLimit: UInt64
    var accounts: [Address: Account] = [:]
    /// Where each pooled transaction sits, so lookups and removals by hash never scan a sender's transactions.
    var slots: [Hash32: Slot] = [:]
    /// The account nonce each sender had at the last head, so pending runs start there.
    var baseNonces: [Address: UInt64] = [:]
    /// The head `newHead` last applied (nil before the first, or after one given without its block).
    var headHash: Hash32?
    var pendingCount = 0
    var queuedCount = 0
    var sequence: UInt64 = 0
    /// The pool's time source (a manual clock in tests).
    let now: @Sendable () -> ContinuousClock.Instant
    /// When queued transactions were last checked for expiry.
    var lastExpiry: ContinuousClock.Instant
    /// Newly pending hashes fan out to every subscriber (`newPendingTransactions`, dev-mode sealing), each with a
    /// bounded buffer: 4,096 by default, more for a listener that asks.
    let pendingHashes = Broadcast<Hash32>(bufferLimit: 4_096)
    /// The same transactions a batch at a time (one admission call or new head), for gossip: one stream hop per
    /// batch instead of one per transaction.
    let pendingBatches = Broadcast<[Transaction]>(bufferLimit: 1_024)
    /// Senders recovered on this node by transaction hash, shared by admission, proposal checks, import and RPC.
    public nonisolated let senderCache = SenderCache()
    /// Senders admitted when set; starts as `config.accountAllowlist` and changes with `perm_` calls.
    public private(set) var accountAllowlist: Set<Address>?

    public init(config: TxPoolConfig, state: any PoolStateReader, blockGasLimit: UInt64,
                now: @escaping @Sendable () -> ContinuousClock.Instant = { .now }) {
        self.config = config
        self.now = now
        self.lastExpiry = now()
        self.accountAllowlist = config.accountAllowlist
        self.state = state
        self.blockGasLimit = blockGasLimit
    }

    /// Replaces the sender allow-list (Besu's `perm_addAccountsToAllowlist` and friends); transactions already
    /// admitted stay, as in Besu.
    public func setAccountAllowlist(_ allowlist: Set<Address>?) { accountAllowlist = allowlist }

    // MARK: Admission

    /// Validates `tx`, recovers its sender (outside the actor, so admissions recover in parallel) and adds it.
    @discardableResult
    public nonisolated func add(_ tx: Transaction) async throws(TxPoolError) -> Hash32 {
        try checkStateless(tx)
        let recovered: RecoveredTransaction
        do { recovered = try senderCache.recovered(tx) } catch { throw .invalid(error) }
        return try await insert(recovered)
    }

    /// Admits a batch (a peer's pooled transactions): the stateless checks, the senders recovered on every core,
    /// then one hop into the pool for all of them. One result per transaction, in order.
    public nonisolated func add(_ transactions: [Transaction]) async -> [Result<Hash32, TxPoolError>] {
        var results = [Result<Hash32, TxPoolError>?](repeating: nil, count: transactions.count)
        var checked: [Int] = []
        for (index, tx) in transactions.enumerated() {
            do throws(TxPoolError) { try checkStateless(tx); checked.append(index) } catch { results[index] = .failure(error) }
        }
        let toRecover = checked.map { transactions[$0] }
        if let recovered = senderCache.recovered(toRecover) {
            let inserted = await insert(recovered)
            for (index, result) in zip(checked, inserted) { results[index] = result }
        } else {
            // Some signature does not recover: find which, one by one.
            for index in checked {
                do throws(TxPoolError) { results[index] = .success(try await add(transactions[index])) } catch {
                    results[index] = .failure(error)
                }
            }
        }
        return results.map { $0! }
    }

    /// Inserts each, in order, in one hop.
    func insert(_ transactions: [RecoveredTransaction]) -> [Result<Hash32, TxPoolError>] {
        var pending: [Transaction] = []
        let results = transactions.map { tx in Result { () throws(TxPoolError) in try insert(tx, pending: &pending) } }
        publish(pending: pending)
        return results
    }

    /// Tells subscribers what became pending: each hash to the per-hash listeners, the batch to the batch ones.
    func publish(pending: [Transaction]) {
        guard !pending.isEmpty else { return }
        for tx in pending { pendingHashes.yield(tx.hash) }
        pendingBatches.yield(pending)
    }

    /// The checks that need neither the sender nor the state: size, chain id and signature form, no contract
    /// creation, the minimum fee.
    nonisolated func checkStateless(_ tx: Transaction) throws(TxPoolError) {
        guard tx.encoded.count <= config.maxTransactionSize else {
            throw .oversized(size: tx.encoded.count, limit: config.maxTransactionSize)
        }
        do {
            try tx.validate(chainId: config.chainId, requireReplayProtection: config.requireReplayProtection)
        } catch {
            throw .invalid(error)
        }
        guard tx.to != nil else { throw .contractCreation }
        guard tx.maxFeePerGas >= config.minGasPrice else { throw .underpriced(minimum: config.minGasPrice) }
    }

    /// Adds a transaction whose sender is already known (re-injection after a reorg, or peers' recovered gossip).
    @discardableResult
    public func insert(_ recovered: RecoveredTransaction) throws(TxPoolError) -> Hash32 {
        var pending: [Transaction] = []
        let hash = try insert(recovered, pending: &pending)
        publish(pending: pending)
        return hash
    }

    /// `insert`, adding what became pending (this one, and queued ones it unblocked) to `pending`.
    private func insert(_ recovered: RecoveredTransaction, pending: inout [Transaction]) throws(TxPoolError) -> Hash32 {
        let tx = recovered.transaction
        let sender = recovered.sender
        let hash = tx.hash
        guard slots[hash] == nil else { throw .alreadyKnown }
        if let allowlist = accountAllowlist, !allowlist.contains(sender) { throw .senderNotAllowed(sender) }
        guard tx.gasLimit <= blockGasLimit else { throw .gasLimitExceedsBlock(gas: tx.gasLimit, blockLimit: blockGasLimit) }
        let base = baseNonce(sender)
        guard tx.nonce >= base else { throw .nonceTooLow(next: base, got: tx.nonce) }
        guard tx.nonce - base <= config.maxNonceGap else { throw .nonceGapTooLarge(next: base, got: tx.nonce) }
        let (gasCost, gasOverflow) = tx.maxFeePerGas.multipliedReportingOverflow(by: UInt256(tx.gasLimit))
        let (cost, overflow) = gasCost.addingReportingOverflow(tx.value)
        if !cost.isZero {
            let balance = (try? state.balance(of: sender)) ?? .zero
            guard !gasOverflow, !overflow, balance >= cost else { throw .insufficientFunds(have: balance, need: cost) }
        }

        expireQueuedIfDue()
        let promoted = try withAccount(sender) { account throws(TxPoolError) -> [Transaction] in
            let existing = account.pending[tx.nonce] ?? account.queued[tx.nonce]
            let isPending = account.pending[tx.nonce] != nil || tx.nonce == base + UInt64(account.pending.count)
            if let existing {
                guard Self.replaces(tx, existing.tx.transaction, bumpPercent: config.priceBumpPercent) else {
                    throw .replacementUnderpriced
                }
            } else {
                if !isPending, queuedCount >= config.maxQueued { throw .poolFull }
                if isPending, pendingCount >= config.maxPending { throw .poolFull }
                if account.count >= config.maxPerSender {
                    // The next executable nonce is always admissible: it evicts the sender's farthest future nonce,
                    // otherwise 512 future nonces would lock the gap-closing transaction out for good.
                    guard isPending, let farthest = account.queued.keys.max() else {
                        throw .senderLimitReached(limit: config.maxPerSender)
                    }
                    if let evicted = account.queued.removeValue(forKey: farthest) {
                        slots[evicted.hash] = nil
                        queuedCount -= 1
                    }
                }
            }

            sequence += 1
            let entry = Entry(tx: recovered, sequence: sequence, admitted: now())
            if let existing {
                slots[existing.hash] = nil
                if account.pending[tx.nonce] != nil { account.pending[tx.nonce] = entry } else { account.queued[tx.nonce] = entry }
            } else if isPending {
                account.pending[tx.nonce] = entry
                pendingCount += 1
            } else {
                account.queued[tx.nonce] = entry
                queuedCount += 1
            }
            return (isPending ? [tx] : []) + promote(&account, base: base)
        }
        slots[hash] = Slot(sender: sender, nonce: tx.nonce)
        pending.append(contentsOf: promoted)
        return hash
    }

    /// A replacement must raise both the fee cap and the tip by at least the bump, and strictly (geth's rule,
    /// which on free-gas networks means a zero-priced transaction cannot be replaced by another zero-priced one).
    static func replaces(_ new: Transaction, _ old: Transaction, bumpPercent: UInt64) -> Bool {
        func bumped(_ value: UInt256) -> UInt256 {
            let (scaled, overflow) = value.multipliedReportingOverflow(by: UInt256(100 + bumpPercent))
            return overflow ? .max : scaled / UInt256(100)
        }
        return new.maxFeePerGas > old.maxFeePerGas && new.maxPriorityFeePerGas > old.maxPriorityFeePerGas
            && new.maxFeePerGas >= bumped(old.maxFeePerGas) && new.maxPriorityFeePerGas >= bumped(old.maxPriorityFeePerGas)
    }

    /// Moves queued transactions that now continue the pending run into it.
    func promote(_ account: inout Account, base: UInt64) -> [Transaction] {
        var promoted: [Transaction] = []
        var next = base + UInt64(account.pending.count)
        while let entry = account.queued.removeValue(forKey: next) {
            account.pending[next] = entry
            queuedCount -= 1
            pendingCount += 1
            promoted.append(entry.tx.transaction)
            next += 1
        }
        return promoted
    }

    /// Runs `body` on `sender`'s account in place (a copy taken out of `accounts` and written back would copy its
    /// dictionaries on every change, making admission cost grow with the sender's pooled count); an account left
    /// empty is dropped.
    func withAccount<Result, Failure: Error>(_ sender: Address,
                                             _ body: (inout Account) throws(Failure) -> Result) throws(Failure) -> Result {
        defer { if accounts[sender]?.count == 0 { accounts[sender] = nil } }
        return try body(&accounts[sender, default: Account()])
    }

    func baseNonce(_ sender: Address) -> UInt64 {
        if let known = baseNonces[sender] { return known }
        let nonce = (try? state.nonce(of: sender)) ?? 0
        baseNonces[sender] = nonce
        return nonce
    }
}
