import Logging
import SankofaChain
import SankofaP2P
import SankofaPrimitives
import SankofaTxPool

/// Transaction exchange over eth/68 (devp2p caps/eth.md, "Transaction Exchange"): each transaction that becomes
/// pending here goes to the peers not known to have it — in full (Transactions) when it came from this node's own
/// clients, since no peer can have it yet and each would only ask for it, and announced by hash, type and size
/// (NewPooledTransactionHashes) when it came from a peer, since the others most likely have it already (and after
/// a short random delay, `relayDelay`, so that peers which got it together do not all announce it to each other). An
/// announced transaction we lack is fetched once, from one peer, and its sender recovered once on admission to
/// the pool, which block import then reuses.
final class TransactionGossip: Sendable {
    let pool: TransactionPool
    let requestTimeout: Duration
    let logger: Logger
    /// Hashes requested from some peer and not yet answered: never asked of two peers at once.
    private let inFlight = ClaimedHashes(limit: TransactionGossip.inFlightLimit)
    /// Newly pending transactions collected for the next broadcast.
    private let outbox = Locked([Transaction]())
    /// Transactions recently received from peers (announced onward rather than sent in full).
    private let fromPeers = Locked(RecentSet<Hash32>(capacity: TransactionGossip.fromPeersCapacity))
    private let outboxReady = WakeSignal()

    /// Most hashes in flight at once (bounds memory against peers announcing without end).
    static let inFlightLimit = 32_768
    /// Hashes per GetPooledTransactions (geth `maxTxRetrievals`).
    static let requestBatch = 256
    /// Hashes per announcement, and how long new ones wait to be batched.
    static let announceBatch = 4_096
    static let batchDelay: Duration = .milliseconds(10)
    /// How long announced transactions wait for a full copy before they are fetched (geth `txArriveTimeout` is
    /// 500 ms; a permissioned mesh is mostly direct links, so less).
    static let arrivalWait: Duration = .milliseconds(100)
    /// Bytes of transactions per Transactions message (geth `maxTxPacketSize`, 100 KiB).
    static let broadcastBytes = 100 * 1024
    /// As many as arrive in a few seconds at full load: older ones count as this node's own.
    static let fromPeersCapacity = 65_536
    /// How long relayed transactions wait before they are announced onward, drawn afresh for each batch. Peers that
    /// got the same transactions from their origin relay them at nearly the same moment, and without a spread each
    /// announces them to the others (in a full mesh of n nodes, (n-1)(n-2) announcements per transaction, all
    /// useless); spread out, the later one finds the peer has already announced them and skips it.
    static let relayDelay: ClosedRange<Int> = 20...150

    init(pool: TransactionPool, requestTimeout: Duration, logger: Logger) {
        self.pool = pool
        self.requestTimeout = requestTimeout
        self.logger = logger
    }

    // MARK: Serving

    /// GetPooledTransactions: those we hold, in order, up to the soft response size.
    func pooled(_ hashes: [Hash32], limits: EthLimits) async -> [Transaction] {
        var result: [Transaction] = []
        var bytes = 0
        for entry in await pool.transactions(hashes) {
            guard let tx = entry?.transaction else { continue }
            guard bytes < limits.softResponseSize else { break }
            bytes += tx.encoded.count
            result.append(tx)
        }
        return result
    }

    // MARK: Receiving

    /// NewPooledTransactionHashes: queues the announced transactions we neither hold nor are fetching, to be
    /// fetched from this peer by its own loop. It does not wait for them: it runs in the peer's inbox, which also
    /// serves the peer's requests, and two peers announcing to each other at once would otherwise each wait for a
    /// response the other can only send once its own wait is over (a stall until the request timeout).
    func announced(_ announcement: PooledTransactionAnnouncement, by eth: EthPeer) async {
        eth.markTransactions(announcement.hashes)
        let wanted = await missing(announcement.hashes)
        let claimed = inFlight.claim(wanted)
        guard !claimed.isEmpty, eth.queueFetch(claimed) else { return }
        Task { await fetchQueued(from: eth) }
    }

    /// Fetches a peer's queued announcements, one GetPooledTransactions of at most `requestBatch` at a time (geth
    /// `maxTxRetrievals`), until none are left. It first waits `arrivalWait` and asks only for what is still
    /// missing then: the same transactions often come in full from their origin at the same time (queued behind that
    /// peer's other messages), and fetching them too recovered their senders twice. Every hash taken is released
    /// from the in-flight set, fetched or not; once the peer is gone or dropped the rest are released without asking.
    private func fetchQueued(from eth: EthPeer) async {
        try? await Task.sleep(for: Self.arrivalWait)
        var dropped = false
        while let claimed = eth.nextFetch(limit: Self.requestBatch) {
            defer { inFlight.release(claimed) }
            guard !dropped, eth.peer.channel.isActive else { continue }
            let batch = await missing(claimed)
            guard !batch.isEmpty else { continue }
            do {
                let response = try await eth.request(timeout: requestTimeout) { .getPooledTransactions(requestId: $0, batch) }
                guard case .pooledTransactions(_, let transactions) = response else {
                    throw SyncError.unexpectedResponse(expected: "PooledTransactions")
                }
                let asked = Set(batch)
                guard transactions.allSatisfy({ asked.contains($0.hash) }) else {
                    throw SyncError.unrequestedItems("transactions")
                }
                try await received(transactions, from: eth)
            } catch let error as SyncError where error.blamesPeer {
                logger.info("peer dropped: \(error)", metadata: ["peer": "\(eth.remoteKey)"])
                eth.peer.channel.triggerUserOutboundEvent(P2PSessionCommand.disconnect(.breachOfProtocol), promise: nil)
                dropped = true
            } catch {
                logger.debug("pooled transactions not fetched: \(error)", metadata: ["peer": "\(eth.remoteKey)"])
            }
        }
    }

    /// Of `hashes`, those neither pooled nor seen before (their sender recovered or being recovered here: admitted,
    /// included, checked in a proposal, or refused), in order.
    private func missing(_ hashes: [Hash32]) async -> [Hash32] {
        let unseen = hashes.filter { !pool.senderCache.contains($0) }
        return zip(unseen, await pool.contains(unseen)).filter { !$0.1 }.map(\.0)
    }

    /// Whole transactions from a peer (Transactions or PooledTransactions): admitted to the pool, which recovers
    /// each sender once (a second copy arriving while the first is admitted, the origin's full copy and one
    /// fetched after an announcement, waits for that recovery and is then known). One with an invalid signature or
    /// encoding blames the peer.
    func received(_ transactions: [Transaction], from eth: EthPeer) async throws {
        let hashes = transactions.map(\.hash)
        eth.markTransactions(hashes)
        fromPeers.withLock { for hash in hashes { $0.insert(hash) } }
        var admitted = 0
        for (tx, result) in zip(transactions, await pool.add(transactions)) {
            switch result {
            case .success: admitted += 1
            case .failure(.invalid(let error)): throw SyncError.invalidTransaction("\(tx.hash.hex): \(error)")
            case .failure: continue   // known, underpriced, nonce used, pool full: not the peer's fault
            }
        }
        SyncMetrics.transactionsReceived(admitted)
    }

    // MARK: Announcing

    /// Sends newly pending transactions to the peers without them, in batches, until cancelled.
    func announce(to peers: @escaping @Sendable () -> [EthPeer]) async {
        // Batches of one admission each (RPC batches, peers' messages): plenty for a few seconds at full load, and a
        // batch dropped here is never sent.
        let pending = await pool.pendingBatchStream(bufferLimit: 4_096)
        await withDiscardingTaskGroup { group in
            group.addTask { [self] in
                for await transactions in pending {
                    let wasEmpty = outbox.withLock { outbox -> Bool in
                        defer { outbox.append(contentsOf: transactions) }
                        return outbox.isEmpty
                    }
                    if wasEmpty { outboxReady.fire() }
                }
            }
            while !Task.isCancelled {
                await outboxReady.wait(timeout: .seconds(1))
                try? await Task.sleep(for: Self.batchDelay)
                let transactions = outbox.withLock { outbox -> [Transaction] in
                    defer { outbox.removeAll(keepingCapacity: true) }
                    return outbox
                }
                guard !transactions.isEmpty else { continue }
                let relayed = broadcastOwn(transactions, to: peers())
                guard !relayed.isEmpty else { continue }
                group.addTask { [self] in
                    try? await Task.sleep(for: .milliseconds(Int.random(in: Self.relayDelay)))
                    for eth in peers() { announce(relayed, to: eth) }
                }
            }
            group.cancelAll()
        }
    }

    /// Sends this node's own transactions among `transactions` in full to the peers without them, and returns the
    /// relayed ones (received from peers), to be announced after `relayDelay`.
    private func broadcastOwn(_ transactions: [Transaction], to peers: [EthPeer]) -> [Transaction] {
        guard !peers.isEmpty else { return [] }
        var own: [Transaction] = [], relayed: [Transaction] = []
        fromPeers.withLock { fromPeers in
            for tx in transactions {
                if fromPeers.contains(tx.hash) { relayed.append(tx) } else { own.append(tx) }
            }
        }
        for eth in peers { broadcast(own, to: eth) }
        return relayed
    }

    /// Transactions in full, in messages of about `broadcastBytes`.
    private func broadcast(_ transactions: [Transaction], to eth: EthPeer) {
        let unknown = Set(eth.takeUnknownTransactions(transactions.map(\.hash)))
        var message: [Transaction] = []
        var bytes = 0
        for tx in transactions where unknown.contains(tx.hash) {
            message.append(tx)
            bytes += tx.encoded.count
            if bytes >= Self.broadcastBytes {
                eth.post(.transactions(message))
                message.removeAll(keepingCapacity: true)
                bytes = 0
            }
        }
        if !message.isEmpty { eth.post(.transactions(message)) }
    }

    /// Transactions by hash, type and size, at most `announceBatch` per message.
    private func announce(_ transactions: [Transaction], to eth: EthPeer) {
        var start = 0
        while start < transactions.count {
            let batch = transactions[start..<min(start + Self.announceBatch, transactions.count)]
            start += batch.count
            let unknown = Set(eth.takeUnknownTransactions(batch.map(\.hash)))
            let send = batch.filter { unknown.contains($0.hash) }
            guard !send.isEmpty else { continue }
            eth.post(.newPooledTransactionHashes(PooledTransactionAnnouncement(
                types: send.map(\.type.rawValue), sizes: send.map { UInt32($0.encoded.count) }, hashes: send.map(\.hash))))
        }
    }
}
