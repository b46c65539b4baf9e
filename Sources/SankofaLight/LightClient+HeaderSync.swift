import SankofaBlockchain
import SankofaChain
import SankofaConsensus
import SankofaP2P
import SankofaPrimitives
import SankofaState

extension LightClient {
    /// Headers fetched per request.
    static var headerBatch: UInt64 { 192 }

    /// Follows the servers' heads until cancelled: whenever one announces a head beyond ours, fetches the headers
    /// up to it and verifies every one with the consensus engine (Clique signer rules, QBFT commit-seal quorum)
    /// before storing it. An announced head is believed only once its header verifies.
    public func runHeaderSync() async {
        while !Task.isCancelled {
            await syncTrigger.wait(timeout: .seconds(2))
            guard !Task.isCancelled else { return }
            while let server = aheadServer() {
                do {
                    // A server that claims a head it cannot produce stops counting as ahead until it announces
                    // again, so a false announcement cannot stall the sync.
                    if try await !syncStep(from: server) { server.forgetHead() }
                } catch let error as LightError where error.isLie {
                    punish(server, error)
                } catch {
                    logger.debug("header sync step failed: \(error)", metadata: ["peer": "\(server.remoteKey)"])
                    server.forgetHead()
                }
            }
        }
    }

    /// A server that announced a head beyond ours, the furthest first.
    func aheadServer() -> LightPeer? {
        guard let ours = try? head().number else { return nil }
        return servers.filter { ($0.announcedHead?.number ?? 0) > ours }.max { $0.announcedHead!.number < $1.announcedHead!.number }
    }

    /// Fetches, verifies and stores headers from `server` while it is ahead, the next batch downloading while one
    /// is verified; false when it had nothing new.
    @discardableResult
    func syncStep(from server: LightPeer) async throws -> Bool {
        var ours = try head()
        var batch = try await fetchHeaders(from: server, HeaderQuery(origin: .number(ours.number + 1), amount: Self.headerBatch))
        guard let first = batch.first else { return false }
        guard first.parentHash == ours.hash else { return try await reorganise(from: server, theirs: first, ours: ours) }
        while let last = batch.last {
            var prefetch: Task<[BlockHeader], any Error>?
            if batch.count == Self.headerBatch, (server.announcedHead?.number ?? 0) > last.number {
                prefetch = Task { try await fetchHeaders(from: server, HeaderQuery(origin: .number(last.number + 1), amount: Self.headerBatch)) }
            }
            do {
                try verifyAndStore(batch, parent: ours, replacing: ours.number)
            } catch {
                prefetch?.cancel()
                throw error
            }
            guard let prefetch else { break }
            ours = last
            batch = try await prefetch.value
            guard batch.first?.parentHash == ours.hash else { break }
        }
        return true
    }

    /// The server's chain forks from ours below `theirs`: finds the common ancestor among our last
    /// `headerBatch` blocks and adopts the server's branch if it verifies and is heavier (Clique, EIP-225). A BFT
    /// chain never reorganises: a different header at a height we hold is not adopted.
    private func reorganise(from server: LightPeer, theirs: BlockHeader, ours: BlockHeader) async throws -> Bool {
        guard engine.forkChoice == .heaviestChain, ours.number > 0 else { return false }
        let lowest = ours.number > Self.headerBatch ? ours.number - Self.headerBatch : 0
        let back = try await fetchHeaders(from: server, HeaderQuery(origin: .number(ours.number), amount: ours.number - lowest + 1,
                                                                    reverse: true))
        var ancestor: BlockHeader?
        for header in back where try chain.canonicalHash(header.number) == header.hash {
            ancestor = header
            break
        }
        guard let ancestor else { return false }
        let branch = try await fetchHeaders(from: server, HeaderQuery(origin: .number(ancestor.number + 1), amount: Self.headerBatch))
        guard !branch.isEmpty else { return false }
        let ourWeight = try chain.totalDifficulty(ours.hash) ?? 0
        let branchWeight = try (chain.totalDifficulty(ancestor.hash) ?? 0) + branch.reduce(UInt256.zero) { $0 + engine.weight(of: $1) }
        guard branchWeight > ourWeight else { return false }
        logger.info("Light chain reorganised at #\(ancestor.number + 1): \(branch.count) headers from a heavier branch")
        try verifyAndStore(branch, parent: ancestor, replacing: ours.number)
        return true
    }

    /// Headers answering `query`, which must chain parent to child (either direction) and number no more than asked.
    func fetchHeaders(from server: LightPeer, _ query: HeaderQuery) async throws -> [BlockHeader] {
        let response = try await request(server) { .eth(.getBlockHeaders(requestId: $0, query)) }
        guard case .eth(.blockHeaders(_, let headers)) = response else { throw LightError.unexpectedResponse("not BlockHeaders") }
        guard UInt64(headers.count) <= query.amount else { throw LightError.unexpectedResponse("more headers than asked") }
        if case .hash(let origin) = query.origin, let first = headers.first, first.hash != origin {
            throw LightError.unexpectedResponse("asked for header \(origin), got \(first.hash)")
        }
        for (earlier, later) in zip(headers, headers.dropFirst()) {
            let (parent, child) = query.reverse ? (later, earlier) : (earlier, later)
            guard child.parentHash == parent.hash, child.number == parent.number + 1 else {
                throw LightError.headersDoNotChain(number: child.number)
            }
        }
        return headers
    }

    /// Verifies `headers` (oldest first, the first a child of `parent`) one by one with the engine, then stores them
    /// in one batch and makes the last the head. `replacing` is the old head's number (canonical entries above the
    /// new head are removed).
    func verifyAndStore(_ headers: [BlockHeader], parent: BlockHeader, replacing previousHead: UInt64) throws {
        engine.precompute(verifying: headers)
        try headLock.withLock {
            var reader = PendingHeaders(base: StoredHeaders(chain: chain))
            var parent = parent
            var td = try chain.totalDifficulty(parent.hash) ?? parent.difficulty
            var tds: [UInt256] = []
            for header in headers {
                guard header.parentHash == parent.hash else { throw LightError.headersDoNotChain(number: header.number) }
                do {
                    try engine.verifyHeader(header, parent: parent, chain: reader)
                } catch {
                    throw LightError.invalidHeader(number: header.number, "\(error)")
                }
                td += engine.weight(of: header)
                tds.append(td)
                reader.add(header)
                parent = header
            }
            try chain.commitHeaders(headers, totalDifficulties: tds, previousHead: previousHead)
            metrics.headersVerified(headers.count, head: parent.number)
        }
        for header in headers { verifiedHeaders.yield(header) }
    }

    /// Starts the chain at a trusted header instead of genesis (Helios-style weak subjectivity): fetches the header
    /// with `hash` and, for Clique, the headers back to its epoch checkpoint (whose signer list seeds the snapshot),
    /// each linked to the trusted one by parent hash, and stores them without seal checks — the hash is the trust.
    /// Verification runs forward from there. Does nothing once the chain is past genesis.
    public func startFromCheckpoint(_ hash: Hash32, epoch: UInt64?) async throws {
        guard try head().number == 0 else { return }
        var waited = 0
        while servers.isEmpty, waited < 300 {
            try await Task.sleep(for: .milliseconds(100))
            waited += 1
        }
        let headers = try await ask("checkpoint header \(hash)") { server -> [BlockHeader] in
            let found = try await fetchHeaders(from: server, HeaderQuery(origin: .hash(hash), amount: 1))
            guard let checkpoint = found.first else { throw LightError.notServed("checkpoint header \(hash)") }
            guard let epoch, epoch > 0, checkpoint.number % epoch != 0 else { return [checkpoint] }
            // The engine rebuilds the validator set from the epoch block at or before the checkpoint.
            let start = checkpoint.number - checkpoint.number % epoch
            var descending = [checkpoint]
            while let lowest = descending.last, lowest.number > start {
                let amount = min(UInt64(configuration.limits.maxHeaders), lowest.number - start)
                let batch = try await fetchHeaders(from: server, HeaderQuery(origin: .hash(lowest.parentHash), amount: amount, reverse: true))
                guard let top = batch.first, top.hash == lowest.parentHash else {
                    throw LightError.notServed("the headers from epoch block #\(start) to the checkpoint")
                }
                descending += batch
            }
            return descending.reversed()
        }
        guard let first = headers.first, let last = headers.last, last.hash == hash else {
            throw LightError.checkpoint("no server returned header \(hash)")
        }
        var td = UInt256.zero
        let tds = headers.map { header -> UInt256 in
            td += engine.weight(of: header)
            return td
        }
        try headLock.withLock { try chain.commitHeaders(headers, totalDifficulties: tds, previousHead: 0) }
        logger.info("Light chain starts at checkpoint #\(last.number) \(hash.hex.prefix(10))… (trusted from #\(first.number))")
    }
}

/// The stored chain plus headers verified in the current batch but not stored yet, so the engine can walk back
/// through them (Clique's snapshot does).
struct PendingHeaders: ChainHeaderReader {
    let base: StoredHeaders
    private var byHash: [Hash32: BlockHeader] = [:]
    private var byNumber: [UInt64: BlockHeader] = [:]

    init(base: StoredHeaders) { self.base = base }

    mutating func add(_ header: BlockHeader) {
        byHash[header.hash] = header
        byNumber[header.number] = header
    }

    func header(_ hash: Hash32) throws -> BlockHeader? { try byHash[hash] ?? base.header(hash) }
    func canonicalHeader(_ number: UInt64) throws -> BlockHeader? { try byNumber[number] ?? base.canonicalHeader(number) }
}
