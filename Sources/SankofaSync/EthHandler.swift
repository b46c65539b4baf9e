import Logging
import NIOCore
import SankofaBlockchain
import SankofaChain
import SankofaCrypto
import SankofaP2P
import SankofaPrimitives
import SankofaState
import SankofaTxPool

/// The node's `eth/68` side (devp2p caps/eth.md; geth `eth/handler.go`, Besu `EthProtocolManager`): the Status
/// handshake with every peer, serving headers, bodies, receipts and pooled transactions, and taking in
/// announcements, which it hands to `ChainSync`, `TransactionGossip` and the block import.
///
/// Messages arrive on NIO event loops. Status and responses are handled there at once; requests and
/// announcements go to the peer's own bounded queue, served one at a time at a bounded rate, so a peer can slow
/// only itself and is dropped when it floods its queue.
public final class EthHandler: Sendable {
    public struct Configuration: Sendable {
        public var networkId: UInt64
        public var limits: EthLimits = .default
        /// A peer must send its Status this soon after the session starts (geth: 5 s).
        public var statusTimeout: Duration = .seconds(5)
        /// Requests served per peer per second, and the burst above it.
        public var requestsPerSecond: Double = 500
        public var requestBurst: Double = 1_000
        /// Requests and announcements waiting per peer; one more and the peer is dropped.
        public var queueLimit = 512
        /// How long a request to a peer may take.
        public var requestTimeout: Duration = .seconds(10)

        public init(networkId: UInt64) { self.networkId = networkId }
    }

    /// One peer's queue of work.
    private final class Session: Sendable {
        let eth: EthPeer
        let inbox: PeerInbox<EthMessage>
        init(eth: EthPeer, limit: Int) {
            self.eth = eth
            inbox = PeerInbox(limit: limit)
        }
    }

    /// Our side of the Status, refreshed on every head change.
    struct LocalHead: Sendable {
        var hash: Hash32
        var number: UInt64
        var timestamp: UInt64
        var totalDifficulty: UInt256
    }

    public let configuration: Configuration
    let blockchain: Blockchain
    let chain: ChainStore
    let pool: TransactionPool
    let genesisHash: Hash32
    let forks: ForkSchedule
    let logger: Logger
    private let sessions = Locked<[PublicKey: Session]>([:])
    let localHead: Locked<LocalHead>
    /// Wakes the chain sync: a peer became ready or announced a head beyond ours.
    let syncTrigger = WakeSignal()
    let gossip: TransactionGossip

    /// - Parameter head: the chain's head at start (later ones come from `run()`'s head events).
    public init(configuration: Configuration, blockchain: Blockchain, pool: TransactionPool, head: BlockHeader,
                logger: Logger) throws {
        self.configuration = configuration
        self.blockchain = blockchain
        chain = blockchain.chain
        self.pool = pool
        self.logger = logger
        guard let genesis = try blockchain.chain.canonicalHash(0) else { throw SyncError.emptyResponse("genesis block") }
        genesisHash = genesis
        // Sankofa's chains schedule no forks after genesis: the fork id is the CRC32 of the genesis hash, next 0.
        forks = ForkSchedule(genesisHash: genesis, blockForks: [])
        let td = try blockchain.chain.totalDifficulty(head.hash) ?? head.difficulty
        localHead = Locked(LocalHead(hash: head.hash, number: head.number, timestamp: head.timestamp, totalDifficulty: td))
        gossip = TransactionGossip(pool: pool, requestTimeout: configuration.requestTimeout, logger: logger)
    }

    /// Peers whose Status handshake passed.
    public var readyPeers: [EthPeer] {
        sessions.withLock { $0.values.map(\.eth) }.filter { $0.status != nil }
    }

    func ourStatus() -> EthStatus {
        let head = localHead.withLock { $0 }
        return EthStatus(networkId: configuration.networkId, totalDifficulty: head.totalDifficulty, bestHash: head.hash,
                         genesisHash: genesisHash, forkID: forks.forkID(headNumber: head.number, headTime: head.timestamp))
    }

    /// Reads our head from the chain into the Status cache (head events keep it current afterwards).
    func refreshLocalHead() async {
        let head = blockchain.head
        guard let td = try? chain.totalDifficulty(head.hash) else { return }
        localHead.withLock {
            $0 = LocalHead(hash: head.hash, number: head.number, timestamp: head.timestamp, totalDifficulty: td)
        }
    }

    // MARK: Sessions

    /// A session began or ended (from `P2PHost`'s `onPeer`, on the peer's event loop).
    public func peerChanged(_ change: PeerChange) {
        switch change {
        case .connected(let peer):
            guard peer.info.shared.entries.contains(where: { $0.capability == EthProtocol.capability }) else { return }
            let eth = EthPeer(peer: peer)
            let session = Session(eth: eth, limit: configuration.queueLimit)
            let replaced = sessions.withLock { $0.updateValue(session, forKey: peer.remoteKey) }
            replaced?.inbox.finish()
            replaced?.eth.close()
            eth.post(.status(ourStatus()))
            let timeout = configuration.statusTimeout
            peer.channel.eventLoop.scheduleTask(in: TimeAmount(timeout)) { [self] in
                guard eth.status == nil else { return }
                logger.debug("no eth Status in time: peer dropped", metadata: ["peer": "\(peer.remoteKey)"])
                drop(eth, .uselessPeer)
            }
            Task { await serve(session) }
        case .disconnected(let peer):
            let session = sessions.withLock { sessions -> Session? in
                guard let session = sessions[peer.remoteKey], session.eth.peer === peer else { return nil }
                sessions[peer.remoteKey] = nil
                return session
            }
            session?.inbox.finish()
            session?.eth.close()
            SyncMetrics.peers(sessions.withLock { $0.count })
        }
    }

    /// Sends Disconnect with `reason` (a breach costs the peer points with the peer manager) and closes.
    func drop(_ eth: EthPeer, _ reason: DisconnectReason) {
        eth.peer.channel.triggerUserOutboundEvent(P2PSessionCommand.disconnect(reason), promise: nil)
    }

    func drop(_ eth: EthPeer, for error: SyncError) {
        logger.info("peer dropped: \(error)", metadata: ["peer": "\(eth.remoteKey)"])
        drop(eth, .breachOfProtocol)
    }

    // MARK: Inbound

    /// A message of any sub-protocol from `peer` (on its event loop); those of `eth` are ours.
    public func receive(_ message: SubProtocolMessage, from peer: Peer) {
        guard message.protocolName == EthProtocol.capability.name,
              let session = sessions.withLock({ $0[peer.remoteKey] }), session.eth.peer === peer else { return }
        let eth = session.eth
        let decoded: EthMessage
        do {
            decoded = try EthMessage.decode(code: message.id, data: message.data, limits: configuration.limits)
        } catch {
            logger.info("peer dropped: \(error)", metadata: ["peer": "\(peer.remoteKey)"])
            drop(eth, error.disconnectReason)
            return
        }
        SyncMetrics.received(decoded.code)
        guard eth.status != nil else {
            handshake(eth, decoded)
            return
        }
        switch decoded {
        case .status:
            drop(eth, for: .unexpectedResponse(expected: "a single Status"))
        case .blockHeaders(let id, _), .blockBodies(let id, _), .receipts(let id, _), .pooledTransactions(let id, _):
            let (_, overLimit) = eth.deliver(requestId: id, decoded)
            if overLimit { drop(eth, for: .unrequestedItems("responses")) }
        default:
            guard session.inbox.offer(decoded) else {
                logger.info("peer dropped: more than \(configuration.queueLimit) requests waiting", metadata: ["peer": "\(peer.remoteKey)"])
                drop(eth, .uselessPeer)
                return
            }
        }
    }

    private func handshake(_ eth: EthPeer, _ message: EthMessage) {
        guard case .status(let status) = message else {
            drop(eth, for: .unexpectedResponse(expected: "Status first"))
            return
        }
        let head = localHead.withLock { $0 }
        do {
            try ourStatus().validate(remote: status, schedule: forks, headNumber: head.number, headTime: head.timestamp)
        } catch {
            logger.info("peer refused: \(error)", metadata: ["peer": "\(eth.remoteKey)"])
            drop(eth, error.disconnectReason)
            return
        }
        eth.accept(status)
        SyncMetrics.peers(sessions.withLock { $0.count })
        syncTrigger.fire()
    }

    /// Serves one peer's queue in order until its session ends.
    private func serve(_ session: Session) async {
        await session.inbox.serve(
            rate: RequestRate(perSecond: configuration.requestsPerSecond, burst: configuration.requestBurst),
            isRequest: \.isRequest, handle: { try await handle($0, from: session.eth) },
            failed: { error in
                if let error = error as? SyncError, error.blamesPeer {
                    drop(session.eth, for: error)
                } else {
                    logger.debug("eth message from peer not handled: \(error)", metadata: ["peer": "\(session.eth.remoteKey)"])
                }
            })
    }

    private func handle(_ message: EthMessage, from eth: EthPeer) async throws {
        switch message {
        case .getBlockHeaders(let id, let query):
            let headers = try HeaderRequestServer.answer(query, from: StoredHeaders(chain: chain), limits: configuration.limits)
            try await respond(eth, .blockHeaders(requestId: id, headers))
        case .getBlockBodies(let id, let hashes):
            try await respond(eth, .blockBodies(requestId: id, try bodies(hashes)))
        case .getReceipts(let id, let hashes):
            try await respond(eth, .receipts(requestId: id, try receipts(hashes)))
        case .getPooledTransactions(let id, let hashes):
            try await respond(eth, .pooledTransactions(requestId: id, await gossip.pooled(hashes, limits: configuration.limits)))
        case .newPooledTransactionHashes(let announcement):
            await gossip.announced(announcement, by: eth)
        case .transactions(let transactions):
            try await gossip.received(transactions, from: eth)
        case .newBlockHashes(let announcements):
            for entry in announcements {
                eth.markBlock(entry.hash)
                eth.advanceHead(hash: entry.hash, number: entry.number, totalDifficulty: nil)
            }
            if let newest = announcements.map(\.number).max(), newest > localHead.withLock({ $0.number }) {
                syncTrigger.fire()
            }
        case .newBlock(let block, let totalDifficulty):
            eth.markBlock(block.hash)
            eth.advanceHead(hash: block.hash, number: block.number, totalDifficulty: totalDifficulty)
            try await importAnnounced(block, from: eth)
        case .status, .blockHeaders, .blockBodies, .receipts, .pooledTransactions:
            break   // handled on the event loop
        }
    }

    private func respond(_ eth: EthPeer, _ message: EthMessage) async throws {
        SyncMetrics.served(message.code)
        try await eth.send(message)
    }

    /// A whole new block from a peer: imported at once when we hold its parent (the common case when following
    /// the head), otherwise left to the chain sync, which fetches what is missing.
    private func importAnnounced(_ block: Block, from eth: EthPeer) async throws {
        guard try chain.header(block.hash) == nil else { return }
        guard try chain.header(block.header.parentHash) != nil else {
            syncTrigger.fire()
            return
        }
        let recovered = pool.senderCache.recovered(block.transactions)
        do {
            try await blockchain.importBlock(block, recovered: recovered)
            SyncMetrics.imported(blocks: 1, transactions: block.transactions.count)
        } catch let error as ImportError {
            throw SyncError.invalidBlock(number: block.number, error)
        }
    }

    // MARK: Serving

    /// Bodies of the blocks we have, in order, skipping unknown ones and stopping at the soft size (geth).
    func bodies(_ hashes: [Hash32]) throws -> [BlockBody] {
        var bodies: [BlockBody] = []
        var bytes = 0
        for hash in hashes.prefix(configuration.limits.maxBodies) {
            guard bytes < configuration.limits.softResponseSize else { break }
            guard let block = try chain.block(hash) else { continue }
            bytes += block.transactions.reduce(0) { $0 + $1.encoded.count }
            bodies.append(BlockBody(block))
        }
        return bodies
    }

    /// Receipts of the blocks we have, in order, skipping unknown ones and stopping at the soft size.
    func receipts(_ hashes: [Hash32]) throws -> [[Receipt]] {
        var lists: [[Receipt]] = []
        var bytes = 0
        for hash in hashes.prefix(configuration.limits.maxReceipts) {
            guard bytes < configuration.limits.softResponseSize else { break }
            guard let receipts = try chain.receipts(hash) else { continue }
            bytes += receipts.reduce(0) { $0 + 300 + $1.logs.count * 200 }
            lists.append(receipts)
        }
        return lists
    }

    /// Announces newly pending transactions to the ready peers, until cancelled.
    public func gossipTransactions() async {
        await gossip.announce(to: { [self] in readyPeers })
    }

    // MARK: Head changes

    /// Follows the chain's head: refreshes our Status and announces each new canonical block to the peers that do
    /// not have it — whole to those `wantsWholeBlock` picks, by hash to the rest (geth sends whole blocks to a
    /// few peers and hashes to the others; on a BFT chain the validators commit every block themselves).
    public func announceBlocks(wantsWholeBlock: @escaping @Sendable (Peer, Block) -> Bool) async {
        let events = await blockchain.headEvents()
        // Blocks made between this handler's creation and the subscription raised no event here.
        await refreshLocalHead()
        for await event in events {
            let block = event.block
            guard let td = try? chain.totalDifficulty(block.hash) else { continue }
            localHead.withLock {
                $0 = LocalHead(hash: block.hash, number: block.number, timestamp: block.header.timestamp, totalDifficulty: td)
            }
            for eth in readyPeers where !eth.knowsBlock(block.hash) {
                eth.markBlock(block.hash)
                // A peer that already told us of a chain at least this heavy needs nothing from us.
                if let head = eth.head, head.totalDifficulty >= td, (head.number ?? 0) >= block.number { continue }
                if wantsWholeBlock(eth.peer, block) {
                    eth.post(.newBlock(block, totalDifficulty: td))
                } else {
                    eth.post(.newBlockHashes([BlockHashAnnouncement(hash: block.hash, number: block.number)]))
                }
            }
        }
    }
}

extension EthMessage {
    /// Requests a peer makes of us (rate-limited), as opposed to announcements.
    var isRequest: Bool {
        switch self {
        case .getBlockHeaders, .getBlockBodies, .getReceipts, .getPooledTransactions: true
        default: false
        }
    }
}

extension TimeAmount {
    /// The same span as a Swift `Duration`.
    init(_ duration: Duration) {
        self = .nanoseconds(duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000)
    }
}
