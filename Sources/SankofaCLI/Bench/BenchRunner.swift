import NIOConcurrencyHelpers
import SankofaChain
import SankofaContracts
import SankofaCrypto
import SankofaJSON
import SankofaPrimitives
import SankofaRPC
import SankofaTxPool

/// What `sankofa bench tx` was asked to do.
struct BenchSettings: Sendable {
    var endpoints: [RPCEndpoint]
    var transactions = 1_000
    var senders = 100
    /// Target transactions per second over all nodes; nil sends as fast as the nodes accept.
    var rate: Double?
    var mix: BenchMix
    /// Transactions per `eth_sendRawTransaction` batch (the server accepts at most 1,024 calls per batch).
    var batchSize = 200
    /// Connections (batches in flight) per node.
    var connections = 4
    /// Keys derived from this seed; nil for fresh random keys.
    var seed: String?
    /// How long to wait for more inclusions once everything is sent, before counting the rest as missing.
    var timeoutSeconds = 60.0
    /// Prometheus endpoints whose `process_cpu_seconds_total` is read around the run (empty: none).
    var metrics: [HTTPEndpoint] = []
}

/// The chain as found before the run.
struct BenchChain: Sendable {
    let chainId: UInt64
    let gasPrice: UInt256
    /// `qbft`, `clique` or `unknown`: how "final" is read (QBFT blocks are final at inclusion; Clique's are not,
    /// so inclusion is reported instead).
    let consensus: String
}

/// Runs the benchmark: setup (chain id, nonces, identities), pre-signing, open-loop sending over keep-alive
/// connections, block following, and the final receipt check.
struct BenchRunner: Sendable {
    let settings: BenchSettings
    /// Progress lines (the command prints them on stderr).
    let progress: @Sendable (String) -> Void

    func run() async throws -> BenchReport {
        let endpoints = settings.endpoints
        let chain = try await Self.inspect(endpoints)
        guard chain.gasPrice.isZero else {
            throw CLIError.failed("\(endpoints[0]) asks for gas price \(chain.gasPrice); bench tx needs a free-gas chain (min gas price 0)")
        }
        let prepared = BenchClock.now()
        let keys: [PrivateKey]
        if let seed = settings.seed { keys = BenchKeys.derive(seed: seed, count: settings.senders) } else {
            keys = try cli { try BenchKeys.random(count: settings.senders) }
        }
        let senders = try await Self.senders(keys, endpoints: endpoints, checkIdentities: settings.mix.contains(.identity))
        let plan = try BenchPlan.make(count: settings.transactions, senders: senders, mix: settings.mix, chainId: chain.chainId,
                                      maxFeePerGas: chain.gasPrice, nodes: endpoints.count, batchSize: settings.batchSize)
        let preparation = Double(BenchClock.now() - prepared) / 1e9
        progress("prepared \(plan.transactions.count) signed transactions from \(senders.count) senders in \(Self.seconds(preparation))")

        let ledger = BenchLedger(count: plan.transactions.count)
        let startBlock = try await HTTPClientConnection.with(endpoints[0]) { try Self.quantity(try await $0.call("eth_blockNumber", [])) }
        let sendingDone = NIOLockedValueBox(false)
        let recoveryBefore = settings.metrics.isEmpty ? nil : RecoveryBaseline.measure()
        let cpuBefore = settings.metrics.isEmpty ? nil : try await NodeCPU.read(settings.metrics)
        let start = BenchClock.now()
        let follower = Task {
            await BlockFollower(endpoint: endpoints[0], plan: plan, ledger: ledger, timeoutSeconds: settings.timeoutSeconds)
                .follow(after: startBlock) { sendingDone.withLockedValue { $0 } }
        }
        let reporter = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(1))
                if Task.isCancelled { break }
                let p = ledger.progress
                progress("\(Self.seconds(Double(BenchClock.now() - start) / 1e9))  sent \(p.sent)/\(ledger.count)  accepted \(p.accepted)"
                         + "  included \(p.included)  failed \(p.rejected)" + (p.resent > 0 ? "  resent (pool full) \(p.resent)" : ""))
            }
        }
        await withTaskGroup(of: Void.self) { group in
            for node in endpoints.indices {
                let queue = BatchQueue(plan.batches[node])
                for _ in 0..<settings.connections {
                    group.addTask {
                        await Self.send(queue, to: endpoints[node], node: node, nodes: endpoints.count, start: start,
                                        rate: settings.rate, batchSize: settings.batchSize, plan: plan, ledger: ledger,
                                        fullPoolPatience: settings.timeoutSeconds)
                    }
                }
            }
        }
        // Rejected nonces leave their sender's later transactions queued for good: stop waiting for those.
        let blocked = ledger.markBlocked(plan.transactions)
        if blocked > 0 { progress("\(blocked) accepted transactions wait behind a rejected nonce of their sender and cannot be included") }
        sendingDone.withLockedValue { $0 = true }
        _ = await follower.value
        var cpu: [Double]?
        var recovery: Double?
        if let cpuBefore { cpu = zip(try await NodeCPU.read(settings.metrics), cpuBefore).map { $0 - $1 } }
        // This machine's speed drifts by tens of percent over a run: the unit is the mean of both ends.
        if let recoveryBefore { recovery = (recoveryBefore + RecoveryBaseline.measure()) / 2 }
        reporter.cancel()
        let p = ledger.progress
        progress("sent \(p.sent), accepted \(p.accepted), included \(p.included); checking receipts")
        try await ReceiptCheck(endpoint: endpoints[0], plan: plan, ledger: ledger, timeoutSeconds: settings.timeoutSeconds).run()
        return BenchReport(settings: settings, chain: chain, plan: plan, ledger: ledger, start: start,
                           preparationSeconds: preparation, nodeCPUSeconds: cpu, recoverySeconds: recovery)
    }

    /// Chain id and gas price from the first node, consensus if the node says, and the same chain id from every node.
    static func inspect(_ endpoints: [RPCEndpoint]) async throws -> BenchChain {
        var chainIds: [UInt64] = []
        for endpoint in endpoints {
            chainIds.append(try await HTTPClientConnection.with(endpoint) { try quantity(try await $0.call("eth_chainId", [])) })
        }
        if let other = chainIds.firstIndex(where: { $0 != chainIds[0] }) {
            throw CLIError.failed("\(endpoints[other]) is on chain \(chainIds[other]), \(endpoints[0]) on chain \(chainIds[0])")
        }
        return try await HTTPClientConnection.with(endpoints[0]) { connection in
            let price = try await connection.call("eth_gasPrice", [])
            guard let text = price.stringValue, let gasPrice = UInt256(hex: text) else {
                throw CLIError.failed("eth_gasPrice on \(endpoints[0]) answered \(price)")
            }
            // sankofa_nodeInfo names the engine; without the SANKOFA namespace, the head's mixHash tells: QBFT
            // headers carry Istanbul's digest there, Clique's carry zero.
            var consensus = "unknown"
            let probes = try await connection.batch([("sankofa_nodeInfo", []), ("eth_getBlockByNumber", ["latest", false])])
            if case .success(let info) = probes[0], let name = info["consensus"]?.stringValue {
                consensus = name.lowercased()
            } else if case .success(let head) = probes[1], let mixHash = head["mixHash"]?.stringValue {
                if mixHash == BlockHeader.istanbulMixHash.hex { consensus = "qbft" } else if mixHash == Hash32.zero.hex { consensus = "clique" }
            }
            return BenchChain(chainId: chainIds[0], gasPrice: gasPrice, consensus: consensus)
        }
    }

    /// Each sender's next nonce from the node it will send to (`pending`, so queued transactions count), and
    /// whether it already has an identity.
    static func senders(_ keys: [PrivateKey], endpoints: [RPCEndpoint], checkIdentities: Bool) async throws -> [BenchSender] {
        var senders = keys.map { BenchSender(key: $0, address: $0.address, nonce: 0, hasIdentity: false) }
        let chunk = 500
        for node in endpoints.indices {
            let mine = Array(stride(from: node, to: senders.count, by: endpoints.count))
            try await HTTPClientConnection.with(endpoints[node]) { connection in
                for start in stride(from: 0, to: mine.count, by: chunk) {
                    let part = mine[start..<min(start + chunk, mine.count)]
                    let results = try await connection.batch(part.map { ("eth_getTransactionCount", [.string(senders[$0].address.hex), "pending"]) })
                    for (s, result) in zip(part, results) {
                        switch result {
                        case .success(let value): senders[s].nonce = try quantity(value)
                        case .failure(let error): throw CLIError.failed("eth_getTransactionCount on \(endpoints[node]): \(error.message)")
                        }
                    }
                }
                return ()
            }
        }
        guard checkIdentities else { return senders }
        let identityOf = try BenchPlan.encode(SystemAddresses.identityRegistry, "identityOf", [.address(senders[0].address)])
        let selector = Array(identityOf.prefix(4))
        try await HTTPClientConnection.with(endpoints[0]) { connection in
            for start in stride(from: 0, to: senders.count, by: chunk) {
                let part = Array(start..<min(start + chunk, senders.count))
                let calls: [(String, [JSON])] = part.map { s in
                    let data = selector + [UInt8](repeating: 0, count: 12) + senders[s].address.bytes
                    return ("eth_call", [.object(JSONObject([("to", .string(SystemAddresses.identityRegistry.hex)),
                                                            ("data", .string(Hex.encode(data)))])), "latest"])
                }
                for (s, result) in zip(part, try await connection.batch(calls)) {
                    guard case .success(let value) = result, let text = value.stringValue,
                          let bytes = try? Hex.decode(text), bytes.count >= 32 else {
                        throw CLIError.failed("IdentityRegistry.identityOf on \(endpoints[0]) failed")
                    }
                    // The first word is the DID; zero means no identity.
                    senders[s].hasIdentity = bytes.prefix(32).contains { $0 != 0 }
                }
            }
            return ()
        }
        return senders
    }

    /// One connection's sending loop: takes the node's next batch, waits for its slot when a rate is set, sends it
    /// and records the answers (`deliver`). A broken connection fails what it had in flight and is reopened.
    static func send(_ queue: BatchQueue, to endpoint: RPCEndpoint, node: Int, nodes: Int, start: UInt64, rate: Double?,
                     batchSize: Int, plan: BenchPlan, ledger: BenchLedger, fullPoolPatience: Double) async {
        while true {
            var inFlight: BenchBatch?
            do {
                try await HTTPClientConnection.with(endpoint) { connection in
                    while let (position, batch) = queue.next() {
                        inFlight = batch
                        if let rate {
                            // Open loop: batch j of node k is due at (j·nodes + k)·batchSize / rate seconds.
                            let due = start + UInt64(Double(position * nodes + node) * Double(batchSize) / rate * 1e9)
                            let now = BenchClock.now()
                            if due > now { try await Task.sleep(for: .nanoseconds(Int64(due - now))) }
                        }
                        ledger.sent(batch.transactions, at: BenchClock.now())
                        try await deliver(&inFlight, over: &connection, plan: plan, ledger: ledger,
                                          fullPoolPatience: rate == nil ? fullPoolPatience : nil)
                    }
                    return ()
                }
                return
            } catch {
                // A connect failure takes a batch too, so that a dead node fails its batches instead of looping.
                let failed = inFlight ?? queue.next()?.1
                guard let failed else { return }
                ledger.failed(failed.transactions, reason: "\(error)")
            }
        }
    }

    /// Posts `inFlight` and records the answers, until it is nil. With `fullPoolPatience` (no `--rate`: "as fast
    /// as the nodes accept" meant literally), what a node refuses because its pool is full becomes the new
    /// `inFlight` and is sent again, in order, after a pause that doubles while the pool stays full (up to a
    /// second): a run longer than the pools are deep then measures what the nodes include rather than how far the
    /// generator outran them. Latency still counts from the first send. A pool still full after `fullPoolPatience`
    /// seconds (a halted chain) fails them.
    static func deliver(_ inFlight: inout BenchBatch?, over connection: inout HTTPClientConnection, plan: BenchPlan,
                        ledger: BenchLedger, fullPoolPatience: Double?) async throws {
        var pause = Self.firstFullPoolPause
        var fullSince: UInt64?
        while let sending = inFlight {
            let reply = try await connection.post(sending.body)
            let answered = BenchClock.now()
            let results = try BenchRPC.results(of: try BenchRPC.parse(reply, from: connection.endpoint),
                                               count: sending.transactions.count, from: connection.endpoint)
            let patient = fullPoolPatience.map { Double(answered - (fullSince ?? answered)) / 1e9 < $0 } ?? false
            var settled: [Int] = [], errors: [String?] = [], again: [Int] = []
            for (transaction, result) in zip(sending.transactions, results) {
                var error: String?
                if case .failure(let failure) = result { error = failure.message }
                if patient, let error, Self.isPoolFull(error) {
                    again.append(transaction)
                } else {
                    settled.append(transaction)
                    errors.append(error)
                }
            }
            ledger.answered(settled, errors: errors, at: answered)
            guard !again.isEmpty else {
                inFlight = nil
                return
            }
            ledger.resent(again.count)
            inFlight = BenchBatch(node: sending.node, transactions: again,
                                  body: BenchPlan.body(again.map { plan.transactions[$0].rawJSON }))
            fullSince = fullSince ?? answered
            try await Task.sleep(for: pause)
            pause = min(pause * 2, .seconds(1))
        }
    }

    /// The first wait before sending again what a full pool refused.
    static let firstFullPoolPause = Duration.milliseconds(50)

    /// Whether a node refused a transaction because its pool is full (and may take it later).
    static func isPoolFull(_ message: String) -> Bool { message == TxPoolError.poolFull.description }

    static func quantity(_ value: JSON) throws -> UInt64 {
        guard let text = value.stringValue, text.hasPrefix("0x"), let number = UInt64(text.dropFirst(2), radix: 16) else {
            throw CLIError.failed("expected a hex quantity, got \(value)")
        }
        return number
    }

    static func seconds(_ value: Double) -> String {
        value < 10 ? "\((value * 100).rounded() / 100) s" : "\((value * 10).rounded() / 10) s"
    }
}

/// A node's batches, handed out in order to its connections.
final class BatchQueue: Sendable {
    private let batches: [BenchBatch]
    private let cursor = NIOLockedValueBox(0)

    init(_ batches: [BenchBatch]) { self.batches = batches }

    /// The next batch and its position in the node's sequence.
    func next() -> (Int, BenchBatch)? {
        cursor.withLockedValue { position in
            guard position < batches.count else { return nil }
            defer { position += 1 }
            return (position, batches[position])
        }
    }
}
