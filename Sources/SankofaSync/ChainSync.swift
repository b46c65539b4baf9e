import Logging
import SankofaBlockchain
import SankofaChain
import SankofaExecution
import SankofaP2P
import SankofaPrimitives
import SankofaState

/// Full sync (geth's downloader, Besu's `FullSyncDownloader`, much reduced): when a peer's chain is heavier than
/// ours, find the last block we share, then download headers and bodies in batches from every peer that has
/// them, several batches in flight while earlier ones import, check that headers chain and bodies match their
/// headers, and import each block through `Blockchain.importBlock` — which verifies the seal (Clique signer
/// rules, QBFT commit seals), executes once and commits atomically. A restarted node simply starts from its
/// committed head. Peers that send invalid data are dropped and the sync starts over with the others.
public final class ChainSync: Sendable {
    public struct Settings: Sendable {
        /// Headers per batch (geth asks 192 at a time; bodies follow per batch).
        public var batchSize: UInt64 = 128
        /// Batches downloading while the oldest imports.
        public var batchesInFlight = 3
        /// How long a peer just one block ahead is given before we fetch that block ourselves: on a QBFT chain a
        /// validator commits each block on its own a moment after its peers.
        public var oneBlockGrace: Duration = .seconds(2)
        public init() {}
    }

    /// Where a running sync stands (`eth_syncing`).
    public struct Progress: Sendable, Equatable {
        public var startingBlock: UInt64
        public var currentBlock: UInt64
        public var highestBlock: UInt64
    }

    let handler: EthHandler
    let settings: Settings
    let logger: Logger
    private let progressState = Locked<Progress?>(nil)
    /// When our head last moved, and to which number.
    private let headSeen = Locked<(number: UInt64, at: ContinuousClock.Instant)>((0, .now))

    public init(handler: EthHandler, settings: Settings = .init(), logger: Logger) {
        self.handler = handler
        self.settings = settings
        self.logger = logger
    }

    /// The sync in progress, or nil when following the head.
    public var progress: Progress? { progressState.withLock { $0 } }

    /// The highest block number any peer has told us of, or our own head if higher.
    public var bestKnownNumber: UInt64 {
        let ours = handler.localHead.withLock { $0.number }
        return handler.readyPeers.compactMap { $0.head?.number }.reduce(ours, max)
    }

    /// Syncs whenever a peer is ahead, until cancelled.
    public func run() async {
        while !Task.isCancelled {
            await handler.syncTrigger.wait(timeout: .seconds(1))
            guard !Task.isCancelled, let (peer, target) = await bestPeer() else { continue }
            do {
                try await sync(with: peer, target: target)
            } catch let error as SyncError {
                if error.blamesPeer {
                    handler.drop(peer, for: error)
                } else {
                    logger.debug("sync with peer interrupted: \(error)", metadata: ["peer": "\(peer.remoteKey)"])
                }
            } catch {
                logger.warning("sync interrupted: \(error)")
            }
            progressState.withLock { $0 = nil }
            SyncMetrics.distance(bestKnownNumber - handler.localHead.withLock { $0.number })
        }
    }

    /// The peer furthest ahead of us — by announced block number, then by total difficulty (a heavier Clique branch
    /// at the same height) — with its head header, fetched to check the claim. A peer that cannot produce the head it
    /// announced stops counting as ahead.
    func bestPeer() async -> (EthPeer, BlockHeader)? {
        await handler.refreshLocalHead()
        let local = handler.localHead.withLock { $0 }
        let now = ContinuousClock.now
        let sinceMove = headSeen.withLock { seen -> Duration in
            if seen.number != local.number { seen = (local.number, now) }
            return now - seen.at
        }
        let ahead = handler.readyPeers.compactMap { peer -> (EthPeer, EthPeer.Head)? in
            guard let head = peer.head, (head.number ?? 0) > local.number || head.totalDifficulty > local.totalDifficulty else {
                return nil
            }
            return (peer, head)
        }
        guard let (best, head) = ahead.max(by: { lhs, rhs in
            (lhs.1.number ?? 0, lhs.1.totalDifficulty) < (rhs.1.number ?? 0, rhs.1.totalDifficulty)
        }) else { return nil }
        let header: BlockHeader
        do {
            let headers = try await requestHeaders(from: best, query: HeaderQuery(origin: .hash(head.hash), amount: 1))
            guard let first = headers.first, first.hash == head.hash else {
                best.forgetHead()
                return nil
            }
            header = first
        } catch {
            if let error = error as? SyncError, error.blamesPeer { handler.drop(best, for: error) }
            best.forgetHead()
            return nil
        }
        best.learnHeadNumber(header.number, for: header.hash)
        SyncMetrics.bestKnown(max(header.number, local.number))
        if header.number <= local.number + 1, sinceMove < settings.oneBlockGrace { return nil }
        return (best, header)
    }

    // MARK: Syncing

    func sync(with peer: EthPeer, target: BlockHeader) async throws {
        let ancestor = try await findAncestor(with: peer, below: target.number)
        let start = handler.localHead.withLock { $0.number }
        logger.info("Syncing #\(ancestor + 1)…#\(target.number) from peer", metadata: ["peer": "\(peer.remoteKey)"])
        progressState.withLock { $0 = Progress(startingBlock: start, currentBlock: start, highestBlock: target.number) }
        guard var last = try handler.chain.canonicalHeader(ancestor) else { throw SyncError.emptyResponse("ancestor") }
        var next = ancestor + 1
        var downloads: [Task<Batch, any Error>] = []
        defer { for task in downloads { task.cancel() } }
        while next <= target.number || !downloads.isEmpty {
            while downloads.count < settings.batchesInFlight, next <= target.number {
                let count = min(settings.batchSize, target.number - next + 1)
                let source = provider(for: next + count - 1) ?? peer
                let from = next
                downloads.append(Task { try await self.download(from: from, count: count, source: source) })
                next += count
            }
            let batch = try await downloads.removeFirst().value
            guard let first = batch.blocks.first, first.header.parentHash == last.hash else {
                // Another peer's batch on another branch (Clique) or a short answer: start over from what we have.
                if batch.source === peer { throw SyncError.headersDoNotChain(number: last.number + 1) }
                return
            }
            for (block, recovered) in zip(batch.blocks, batch.recovered) {
                do {
                    try await handler.blockchain.importBlock(block, recovered: recovered)
                } catch let error as ImportError {
                    let failure = SyncError.invalidBlock(number: block.number, error)
                    if failure.blamesPeer, batch.source !== peer { handler.drop(batch.source, for: failure) }
                    throw failure
                }
                // The source has it: it is not announced back.
                batch.source.markBlock(block.hash)
                SyncMetrics.imported(blocks: 1, transactions: block.transactions.count)
                progressState.withLock { $0?.currentBlock = block.number }
            }
            last = batch.blocks[batch.blocks.count - 1].header
            if batch.blocks.count < Int(batch.asked) {
                // A short batch: those after it would not chain. Continue from here.
                for task in downloads { task.cancel() }
                downloads = []
                next = last.number + 1
            }
        }
        logger.info("Synced to #\(last.number)")
    }

    /// A peer whose head we know is at or beyond `number`, spreading batches over peers.
    private func provider(for number: UInt64) -> EthPeer? {
        let able = handler.readyPeers.filter { ($0.head?.number ?? 0) >= number }
        guard !able.isEmpty else { return nil }
        return able[Int(number / settings.batchSize) % able.count]
    }

    /// The highest block that both we and `peer` have on our canonical chains: first among our last 32 blocks
    /// (the usual case), else by binary search (genesis is shared: Status checked it).
    func findAncestor(with peer: EthPeer, below targetNumber: UInt64) async throws -> UInt64 {
        let top = min(handler.localHead.withLock { $0.number }, targetNumber)
        guard top > 0 else { return 0 }
        let from = top >= 31 ? top - 31 : 0
        let recent = try await requestHeaders(from: peer, query: HeaderQuery(origin: .number(from), amount: top - from + 1))
        for header in recent.reversed() where try handler.chain.canonicalHash(header.number) == header.hash {
            return header.number
        }
        var (low, high) = (UInt64(0), from)
        while low + 1 < high {
            let middle = low + (high - low) / 2
            let headers = try await requestHeaders(from: peer, query: HeaderQuery(origin: .number(middle), amount: 1))
            guard let header = headers.first, header.number == middle else { throw SyncError.emptyResponse("headers") }
            if try handler.chain.canonicalHash(middle) == header.hash { low = middle } else { high = middle }
        }
        return low
    }

    // MARK: Downloading

    struct Batch: Sendable {
        let blocks: [Block]
        /// Senders per block (nil where a transaction would not recover: import reports it).
        let recovered: [[RecoveredTransaction]?]
        let source: EthPeer
        let asked: UInt64
    }

    /// Headers `from…from+count-1` from `source`, checked to chain, then their bodies, checked against them, and
    /// the senders recovered (here, in parallel with the import of earlier batches).
    func download(from: UInt64, count: UInt64, source: EthPeer) async throws -> Batch {
        let headers = try await requestHeaders(from: source, query: HeaderQuery(origin: .number(from), amount: count))
        guard !headers.isEmpty else { throw SyncError.emptyResponse("headers from #\(from)") }
        guard headers.count <= count else { throw SyncError.unrequestedItems("headers") }
        for (offset, header) in headers.enumerated() {
            guard header.number == from + UInt64(offset),
                  offset == 0 || header.parentHash == headers[offset - 1].hash else {
                throw SyncError.headersDoNotChain(number: header.number)
            }
        }
        var blocks: [Block] = []
        blocks.reserveCapacity(headers.count)
        while blocks.count < headers.count {
            let wanted = Array(headers[blocks.count...].prefix(handler.configuration.limits.maxBodies))
            let response = try await source.request(timeout: handler.configuration.requestTimeout) {
                .getBlockBodies(requestId: $0, wanted.map(\.hash))
            }
            guard case .blockBodies(_, let bodies) = response else { throw SyncError.unexpectedResponse(expected: "BlockBodies") }
            guard !bodies.isEmpty else { throw SyncError.emptyResponse("bodies from #\(wanted[0].number)") }
            guard bodies.count <= wanted.count else { throw SyncError.unrequestedItems("bodies") }
            for (header, body) in zip(wanted, bodies) {
                guard body.matches(header) else {
                    throw SyncError.bodyDoesNotMatchHeader(number: header.number)
                }
                blocks.append(Block(header: header, transactions: body.transactions))
            }
        }
        var recovered: [[RecoveredTransaction]?] = []
        for block in blocks { recovered.append(handler.pool.senderCache.recovered(block.transactions)) }
        return Batch(blocks: blocks, recovered: recovered, source: source, asked: count)
    }

    func requestHeaders(from peer: EthPeer, query: HeaderQuery) async throws -> [BlockHeader] {
        let response = try await peer.request(timeout: handler.configuration.requestTimeout) {
            .getBlockHeaders(requestId: $0, query)
        }
        guard case .blockHeaders(_, let headers) = response else { throw SyncError.unexpectedResponse(expected: "BlockHeaders") }
        guard UInt64(headers.count) <= query.amount else { throw SyncError.unrequestedItems("headers") }
        return headers
    }
}
