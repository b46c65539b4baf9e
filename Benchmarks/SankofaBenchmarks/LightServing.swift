import Foundation
import Logging
import SankofaBlockchain
import SankofaChain
import SankofaClique
import SankofaContracts
import SankofaCrypto
import SankofaExecution
import SankofaJSON
import SankofaLight
import SankofaNode
import SankofaP2P
import SankofaPrimitives
import SankofaRPC
import SankofaState
import SankofaStorage
import SankofaSync

/// `light/serving`: a light client against one full node over `sfl/1` on 127.0.0.1, in one process. A chain of
/// `blocks` Clique headers (the first blocks register `identities` IdentityRegistry identities) is built first; then
/// the light client header-syncs it (baseline: the same headers verified in-process with no network, same run),
/// and measures what the full node serves (proofs and receipts per second, 8 requests in flight, no client cache,
/// the per-client rate limit lifted)
/// and the latency of a proof-verified `eth_getBalance` and of an `identityOf` `eth_call` run locally over proven
/// storage. Footprint: the light database's size on disk after the sync, per 100,000 headers.
enum LightServing {
    static let name = "light/serving"
    static func selects(_ prefix: String) -> Bool { prefix.hasPrefix("light") && name.hasPrefix(prefix) }

    struct Figures {
        let headers: Int
        let syncSeconds: Double
        let verifySeconds: Double
        let proofsPerSecond: Double
        let receiptsPerSecond: Double
        let balance: (p50: Double, p99: Double)
        let call: (p50: Double, p99: Double)
        let diskBytes: Int
        /// A real `sankofa run --mode light` process synced to the same head: resident bytes and database bytes.
        let process: (resident: Int, disk: Int)?
    }

    static func run(blocks: Int = 20_000, identities: Int = 500) async throws -> Figures {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("sankofa-light-bench-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let signer = try PrivateKey(hex: DevGenesis.signerKey)
        let genesis = try GenesisFile(json: Array(DevGenesis.json.utf8))
        let logger = Logger(label: "bench")
        var config = NodeConfig()
        try config.apply("data-path", .string("\(root)/full"))
        let full = try Node(config: config, genesis: genesis, signer: signer, logger: logger)
        defer { full.store.close() }

        // The chain: identity registrations in the first blocks, then empty blocks.
        let accounts = try (0..<identities).map { _ in try PrivateKey.generate() }
        var pending = accounts.map { key in
            let data = try! ABI.encode(selector: ABI.selector("registerIdentity(bytes32,string,bytes32)"),
                                       [.fixedBytes(Keccak256.hash(key.address.bytes).bytes), .string("https://id.example/\(key.address.hex)"),
                                        .fixedBytes(Hash32.zero.bytes)], as: [.fixedBytes(32), .string, .fixedBytes(32)])
            let tx = Transaction.Payload.dynamicFee(DynamicFeeTransaction(
                chainId: genesis.chainId, nonce: 0, maxPriorityFeePerGas: .zero, maxFeePerGas: .zero, gasLimit: 500_000,
                to: SystemAddresses.identityRegistry, value: .zero, data: data, accessList: [])).signed(with: key)
            return RecoveredTransaction(transaction: tx, sender: key.address)
        }
        var receiptBlocks: [Hash32] = []
        for _ in 0..<blocks {
            let head = full.blockchain.head
            let batch = Array(pending.prefix(10))
            pending.removeFirst(batch.count)
            let produced = try await full.blockchain.produceBlock(signer: signer, candidates: batch, timestamp: head.timestamp + 1)
            if !batch.isEmpty { receiptBlocks.append(produced.block.hash) }
        }
        let head = full.blockchain.head

        // Baseline: the same headers verified in-process (one signature recovery each), no network.
        let headers = StoredHeaders(chain: full.chain)
        let clique = CliqueConfig(period: 0, epoch: 30_000)
        let verifier = CliqueEngine(config: clique, store: InMemoryCliqueSnapshotStore())
        let verifyStart = ContinuousClock.now
        var parent = try full.chain.canonicalHeader(0)!
        for number in 1...UInt64(blocks) {
            let header = try full.chain.canonicalHeader(number)!
            try verifier.verifyHeader(header, parent: parent, chain: headers)
            parent = header
        }
        let verifySeconds = (ContinuousClock.now - verifyStart).seconds

        // The full node's light server, and a light client with its own store and no answer cache.
        let eth = try EthHandler(configuration: .init(networkId: genesis.chainId), blockchain: full.blockchain, pool: full.pool,
                                 head: head, logger: logger)
        // One client here stands for many edge sites: the per-client request rate (500/s) is lifted to measure what
        // the server itself can serve.
        var serving = LightServer.Configuration()
        serving.requestsPerSecond = 1_000_000
        serving.requestBurst = 1_000_000
        let server = LightServer(configuration: serving, eth: eth, logger: logger)
        let serverHost = P2PHost(configuration: .init(nodeKey: try PrivateKey.generate(), protocols: [EthProtocol(), LightProtocol()]),
                                 onMessage: { server.receive($1, from: $0) }, onPeer: { server.peerChanged($0) })
        let lightStore = try RocksDBStore(path: "\(root)/light")
        defer { lightStore.close() }
        let lightChain = try ChainStore(store: lightStore)
        _ = try Genesis.initialize(genesis, validators: try CliqueEngine.genesisValidators(genesis), chain: lightChain)
        var settings = LightClient.Configuration(networkId: genesis.chainId)
        settings.proofCacheSize = 1
        settings.blockCacheSize = 1
        let client = try LightClient(configuration: settings, chain: lightChain,
                                     engine: CliqueEngine(config: clique, store: InMemoryCliqueSnapshotStore()),
                                     logger: logger, ban: { _ in })
        let clientHost = P2PHost(configuration: .init(nodeKey: try PrivateKey.generate(), protocols: [LightProtocol()]),
                                 onMessage: { client.receive($1, from: $0) }, onPeer: { client.peerChanged($0) })
        let enode = try await serverHost.start()
        try await clientHost.start()
        let announcer = Task { await server.announceHeads() }
        let syncStart = ContinuousClock.now
        let syncing = Task { await client.runHeaderSync() }
        _ = try await clientHost.connect(to: enode)
        // The server announces its head on the next block; until then, nudge the client with the known head.
        while client.servers.isEmpty { try await Task.sleep(for: .milliseconds(2)) }
        _ = try await full.blockchain.produceBlock(signer: signer, candidates: [], timestamp: head.timestamp + 1)
        let target = UInt64(blocks + 1)
        let deadline = ContinuousClock.now + .seconds(600)
        while try client.head().number < target, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(2)) }
        let syncSeconds = (ContinuousClock.now - syncStart).seconds
        guard try client.head().number == target else { throw BenchmarkError("the light client did not sync the headers") }
        let lightHead = try client.head()

        // Served per second, 8 requests in flight.
        func throughput(seconds: Double, _ body: @escaping @Sendable (Int) async throws -> Void) async throws -> Double {
            let stop = ContinuousClock.now + .seconds(seconds)
            let counts = try await withThrowingTaskGroup(of: Int.self) { group in
                for lane in 0..<8 {
                    group.addTask {
                        var done = 0
                        while ContinuousClock.now < stop {
                            try await body(lane * 1_000_000 + done)
                            done += 1
                        }
                        return done
                    }
                }
                return try await group.reduce(0, +)
            }
            return Double(counts) / seconds
        }
        let slots = [Hash32.zero, Keccak256.hash([1] as [UInt8])]
        let proofsPerSecond = try await throughput(seconds: 3) { i in
            _ = try await client.proof(accounts[i % accounts.count].address, slots: slots, at: lightHead)
        }
        let withReceipts = receiptBlocks
        let receiptsPerSecond = try await throughput(seconds: 3) { i in
            _ = try await client.receipts(withReceipts[i % withReceipts.count])
        }

        // Latency, one query at a time.
        func latency(_ count: Int, _ body: (Int) async throws -> Void) async throws -> (p50: Double, p99: Double) {
            var samples: [Double] = []
            for i in 0..<count {
                let start = ContinuousClock.now
                try await body(i)
                samples.append((ContinuousClock.now - start).seconds * 1_000)
            }
            samples.sort()
            return (samples[count / 2], samples[min(count - 1, count * 99 / 100)])
        }
        let balance = try await latency(1_000) { i in _ = try await client.proof(accounts[i % accounts.count].address, slots: [], at: lightHead) }
        let simulator = CallSimulator(registry: SystemContracts.registry, chainId: genesis.chainId)
        let call = try await latency(300) { i in
            let account = accounts[i % accounts.count].address
            let data = try ABI.encode(selector: ABI.selector("identityOf(address)"), [.address(account)], as: [.address])
            let outcome = try await client.call(simulator, to: SystemAddresses.identityRegistry, from: account, data: data,
                                                value: .zero, gas: nil, at: lightHead)
            guard outcome.succeeded else { throw BenchmarkError("identityOf failed on the light client") }
        }

        syncing.cancel()
        await clientHost.stop()
        let process = try await processFootprint(enode: enode.description, target: target, root: root)
        announcer.cancel()
        await serverHost.stop()
        return Figures(headers: blocks, syncSeconds: syncSeconds, verifySeconds: verifySeconds, proofsPerSecond: proofsPerSecond,
                       receiptsPerSecond: receiptsPerSecond, balance: balance, call: call,
                       diskBytes: directorySize("\(root)/light"), process: process)
    }

    /// Runs the `sankofa` executable built beside the benchmarks as a light node syncing from `enode` until its head
    /// reaches `target`, and reads its resident memory and database size. Nil when that executable is absent.
    static func processFootprint(enode: String, target: UInt64, root: String) async throws -> (resident: Int, disk: Int)? {
        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("sankofa").path
        guard FileManager.default.isExecutableFile(atPath: binary) else { return nil }
        let genesisPath = "\(root)/genesis.json"
        try DevGenesis.json.write(toFile: genesisPath, atomically: true, encoding: .utf8)
        let port = try freePort()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["run", "--mode", "light", "--genesis-file", genesisPath, "--data-path", "\(root)/light-process",
                             "--p2p-port", "0", "--bootnodes", enode, "--rpc-http-enabled", "--rpc-http-port", String(port),
                             "--logging", "WARN"]
        try process.run()
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        let deadline = ContinuousClock.now + .seconds(120)
        while ContinuousClock.now < deadline {
            if let head = await blockNumber(port: port), head >= target { break }
            try await Task.sleep(for: .milliseconds(200))
        }
        guard let head = await blockNumber(port: port), head >= target else { throw BenchmarkError("the light process did not sync") }
        let statm = (try? String(contentsOfFile: "/proc/\(process.processIdentifier)/statm", encoding: .utf8)) ?? ""
        let resident = statm.split(separator: " ").dropFirst().first.flatMap { Int($0) }.map { $0 * Int(sysconf(Int32(_SC_PAGESIZE))) } ?? 0
        kill(process.processIdentifier, SIGINT)
        process.waitUntilExit()
        return (resident, directorySize("\(root)/light-process"))
    }

    /// `eth_blockNumber` from a node on 127.0.0.1:`port`, or nil while it does not answer.
    static func blockNumber(port: Int) async -> UInt64? {
        let request = Array(#"{"jsonrpc":"2.0","id":1,"method":"eth_blockNumber","params":[]}"#.utf8)
        guard let reply = try? await HTTPClientConnection.with(HTTPEndpoint(host: "127.0.0.1", port: port), { try await $0.post(request) }),
              let result = (try? JSONParser.parse(reply))?["result"]?.stringValue else { return nil }
        return UInt64(result.dropFirst(2), radix: 16)
    }

    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw BenchmarkError("no free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    static func directorySize(_ path: String) -> Int {
        let enumerator = FileManager.default.enumerator(atPath: path)
        var total = 0
        while let file = enumerator?.nextObject() as? String {
            total += ((try? FileManager.default.attributesOfItem(atPath: "\(path)/\(file)"))?[.size] as? Int) ?? 0
        }
        return total
    }

    static func report(_ f: Figures, json: Bool) -> String {
        let synced = Double(f.headers) / f.syncSeconds, verified = Double(f.headers) / f.verifySeconds
        let diskPer100k = Double(f.diskBytes) / Double(f.headers) * 100_000
        let processLine = f.process.map { process in
            "\n  a `sankofa run --mode light` process, synced        \(process.resident / 1_048_576) MiB resident, "
                + "\(Int(Double(process.disk) / Double(f.headers) * 100_000 / 1_048_576)) MiB on disk per 100,000 headers"
        } ?? "\n  (build `sankofa` in the same configuration to measure a light node process)"
        if json {
            return JSONWriter.pretty(["name": .string(name), "headers": .number(JSONNumber(f.headers)),
                                      "header_sync_per_second": Harness.number(synced),
                                      "header_verify_only_per_second": Harness.number(verified),
                                      "ratio": Harness.number(synced / verified),
                                      "proofs_served_per_second": Harness.number(f.proofsPerSecond),
                                      "receipt_lists_served_per_second": Harness.number(f.receiptsPerSecond),
                                      "balance_p50_ms": Harness.number(f.balance.p50), "balance_p99_ms": Harness.number(f.balance.p99),
                                      "call_p50_ms": Harness.number(f.call.p50), "call_p99_ms": Harness.number(f.call.p99),
                                      "disk_bytes_per_100k_headers": Harness.number(diskPer100k),
                                      "process_resident_bytes": f.process.map { .number(JSONNumber($0.resident)) } ?? .null,
                                      "process_disk_bytes_per_100k_headers": f.process.map {
                                          Harness.number(Double($0.disk) / Double(f.headers) * 100_000)
                                      } ?? .null])
        }
        return """
            \(name): \(f.headers) Clique headers, one full node and one light client on 127.0.0.1
              header sync over sfl/1 (verified, stored)       \(Int(synced)) headers/s   \(Harness.format(synced / verified)) × verify-only
              headers verified in-process (same run)         \(Int(verified)) headers/s
              proofs served (account + 2 slots, 8 in flight)  \(Int(f.proofsPerSecond)) /s
              receipt lists served (10 receipts, 8 in flight) \(Int(f.receiptsPerSecond)) /s
              eth_getBalance, proof-verified                  p50 \(Harness.format(f.balance.p50)) ms   p99 \(Harness.format(f.balance.p99)) ms
              eth_call identityOf over proven storage         p50 \(Harness.format(f.call.p50)) ms   p99 \(Harness.format(f.call.p99)) ms
              light database on disk                          \(Int(diskPer100k / 1_048_576)) MiB per 100,000 headers\(processLine)
            """
    }
}
