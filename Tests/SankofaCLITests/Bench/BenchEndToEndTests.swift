import Foundation
@testable import SankofaCLI
import SankofaCrypto
import SankofaJSON
import SankofaPrimitives
import SankofaTestSupport
import Testing

/// `sankofa bench tx` as a child process against real nodes: every transaction confirmed and counted right, on
/// the dev chain (Clique, latency to inclusion) and on a one-validator QBFT chain (latency to the final block).
@Suite("sankofa bench tx against real nodes", .enabled(if: SankofaBinary.available))
struct BenchEndToEndTests {
    @Test func devChainConfirmsEveryTransaction() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let port = try DevRPCEndToEndTests.freePort()
        let node = try QBFTRunTests.start(["dev", "--data-path", directory.appendingPathComponent("data").path,
                                           "--rpc-http-port", String(port), "--rpc-ws-port", "0"])
        defer { Self.stop(node) }
        try await QBFTRunTests.waitForBlock(0, rpc: RPCClient(port: port))

        let summary = try Self.bench(port: port, ["--mix", "transfer,identity,resource", "--seed", "e2e"])
        #expect(summary["consensus"] == "clique")
        #expect(summary["latencyTo"] == "inclusion")
        #expect(summary["mix"] == "transfer 33%, identity 33%, resource 33%")

        // The chain agrees: each of the 20 senders (derived from the seed) sent 10 transactions.
        let rpc = RPCClient(port: port)
        for key in BenchKeys.derive(seed: "e2e", count: 20) {
            #expect(try await rpc.call("eth_getTransactionCount", [.string(key.address.hex), "latest"]) == "0xa")
        }
        // Same seed again: the senders continue from their nonces and, already registered, update their identities.
        let again = try Self.bench(port: port, ["--mix", "identity", "--seed", "e2e", "--rate", "400"])
        #expect(again["targetRate"]?.numberValue?.doubleValue == 400)
        kill(node.processIdentifier, SIGINT)
        node.waitUntilExit()
        #expect(node.terminationStatus == 0)
    }

    /// Also a pool smaller than the run (50 of 200): without `--rate` the transactions it refuses as full are sent
    /// again until it takes them, so every one is confirmed and none counts as failed.
    @Test func qbftLatencyIsToTheFinalBlock() async throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let keyPath = directory.appendingPathComponent("key").path
        try (Hex.encode(QBFTRunTests.validator.rawBytes) + "\n").write(toFile: keyPath, atomically: true, encoding: .utf8)
        let genesisPath = directory.appendingPathComponent("genesis.json").path
        let address = QBFTRunTests.validator.address.checksummed
        let genesis = try SankofaBinary.run(["genesis", "new", "--consensus", "qbft", "--chain-id", "2018", "--block-period", "1",
                                             "--validator", address, "--output", genesisPath])
        #expect(genesis.status == 0, "\(genesis.stderr)")
        let port = try DevRPCEndToEndTests.freePort()
        let node = try QBFTRunTests.start(["run", "--genesis-file", genesisPath, "--data-path", directory.appendingPathComponent("data").path,
                                           "--node-private-key-file", keyPath, "--rpc-http-enabled", "--rpc-http-port", String(port),
                                           "--p2p-port", "0", "--tx-pool-max-size", "50"])
        defer { Self.stop(node) }
        try await QBFTRunTests.waitForBlock(1, rpc: RPCClient(port: port))

        // Default APIs (ETH, NET, WEB3): the engine is found by probing, and is named in the summary.
        let summary = try Self.bench(port: port, ["--connections", "2"])
        #expect(summary["consensus"] == "qbft")
        #expect(summary["latencyTo"] == "final block")
        #expect(try #require(summary["resentAfterPoolFull"]?.intValue) > 0)
    }

    @Test func anUnreachableOrMalformedURLIsOneLine() throws {
        let port = try DevRPCEndToEndTests.freePort()
        for (url, message) in [("http://127.0.0.1:\(port)", "Error: cannot connect to http://127.0.0.1:\(port): connection refused"),
                               ("127.0.0.1:\(port)", "Error: --rpc: expected http://HOST:PORT")] {
            let result = try SankofaBinary.run(["bench", "tx", "--rpc", url, "--txs", "10"])
            #expect(result.status != 0)
            #expect(result.stdout.isEmpty)
            #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
            #expect(result.stderr.hasPrefix(message), "\(result.stderr)")
        }
    }

    /// Runs `bench tx --txs 200 --senders 20 --json` and checks the counts every run must have.
    static func bench(port: Int, _ extra: [String]) throws -> JSON {
        let result = try SankofaBinary.run(["bench", "tx", "--rpc", "http://127.0.0.1:\(port)", "--txs", "200", "--senders", "20",
                                            "--timeout", "20", "--json"] + extra)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("bench: prepared 200 signed transactions from 20 senders"))
        let summary = try JSONParser.parse(result.stdout)
        for key in ["transactions", "sent", "accepted", "confirmed"] {
            #expect(summary[key] == 200, "\(key) in \(result.stdout)")
        }
        #expect(summary["failed"] == 0, "\(result.stdout)")
        #expect(summary["failures"] == .object(JSONObject()))
        let blocks = try #require(summary["blocks"]?.intValue)
        #expect(blocks >= 1 && blocks <= 200)
        let p50 = try #require(summary["latencyMs"]?["p50"]?.numberValue?.doubleValue)
        let p99 = try #require(summary["latencyMs"]?["p99"]?.numberValue?.doubleValue)
        #expect(p50 > 0 && p50 <= p99)
        #expect((summary["confirmedPerSecond"]?.numberValue?.doubleValue ?? 0) > 0)
        return summary
    }

    static func temporaryDirectory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sankofa-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    /// Stops a node whatever the test's outcome: SIGINT, then SIGKILL if it lingers.
    static func stop(_ node: Process) {
        guard node.isRunning else { return }
        kill(node.processIdentifier, SIGINT)
        for _ in 0..<50 where node.isRunning { usleep(100_000) }
        if node.isRunning { kill(node.processIdentifier, SIGKILL) }
    }
}
