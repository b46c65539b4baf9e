import Foundation
@testable import SankofaCLI
import SankofaJSON
import SankofaTestSupport
import Testing

/// `sankofa network up` as a child process: four QBFT validators and a replica come up on consecutive ports,
/// `network status` sees them agree (a light node too), `bench tx` gets 2,000 transactions confirmed with the chain final on every node,
/// and one SIGINT to the parent stops every node. Bounded; the nodes are killed on any failure.
@Suite("sankofa network up and status", .enabled(if: SankofaBinary.available), .timeLimit(.minutes(2)))
struct NetworkCommandTests {
    @Test func fourValidatorsAndAReplicaComeUpTakeALoadAndStopOnInterrupt() async throws {
        let directory = try BenchEndToEndTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let base = try Self.freeBase(nodes: 6)
        let outputPath = directory.appendingPathComponent("up.out").path
        _ = FileManager.default.createFile(atPath: outputPath, contents: nil)  // opening it below reports a failure
        let output = try #require(FileHandle(forWritingAtPath: outputPath))
        let up = Process()
        up.executableURL = URL(fileURLWithPath: try #require(SankofaBinary.path))
        up.arguments = ["network", "up", "--validators", "4", "--replicas", "1", "--light", "1", "--dir", directory.path, "--base-port", String(base),
                        "--block-period", "1"]
        up.standardOutput = output
        up.standardError = output
        try up.run()
        defer { Self.killAll(up, directory: directory) }

        // All four up, at block 2 or later, with the same final head (asked again until one sample agrees).
        var agreed: JSON = .null
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline, up.isRunning {
            let status = try SankofaBinary.run(["network", "status", "--dir", directory.path, "--json"])
            if status.status == 0, let nodes = (try? JSONParser.parse(status.stdout))?["nodes"]?.arrayValue, nodes.count == 6,
               nodes.allSatisfy({ $0["up"] == true && ($0["head"]?.intValue ?? 0) >= 2 }),
               Set(nodes.map { $0["finalized"]?.intValue ?? -1 }).count == 1 {
                agreed = .array(nodes)
                break
            }
            try await Task.sleep(for: .milliseconds(300))
        }
        let printed = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        #expect(!agreed.isNull, "no agreement at head ≥ 2 within 60 s; network up printed:\n\(printed)")
        #expect(agreed[0]?["mode"] == "validator")
        #expect((agreed[0]?["peers"]?.intValue ?? 0) >= 1)
        #expect(printed.contains("validator-4") && printed.contains("enode://") && printed.contains("http://127.0.0.1:\(base + 3)"))
        let table = try SankofaBinary.run(["network", "status", "--dir", directory.path])
        #expect(table.stdout.hasPrefix("NODE") && table.stdout.contains("validator-1") && table.stdout.contains("replica"))

        // 2,000 transactions over the validators: every one confirmed, and every node (the replica too) final at
        // the same head afterwards.
        let layout = try NetworkLayout.read(from: directory.path)
        let validators = layout.nodes.filter { $0.mode == "validator" }
        let urls = validators.map(\.rpcURL).joined(separator: ",")
        let bench = try SankofaBinary.run(["bench", "tx", "--rpc", urls, "--txs", "2000", "--senders", "100", "--timeout", "60",
                                           "--metrics", validators.map(\.metricsURL).joined(separator: ","), "--json"])
        #expect(bench.status == 0, "\(bench.stderr)")
        let summary = try JSONParser.parse(bench.stdout)
        #expect(summary["confirmed"] == 2_000 && summary["failed"] == 0, "\(bench.stdout)")
        // Every validator recovered, executed and stored the run's transactions: each used CPU over it.
        let cpu = summary["nodeCpuSeconds"]?.arrayValue ?? []
        #expect(cpu.count == 4 && cpu.allSatisfy { ($0.numberValue?.doubleValue ?? 0) > 0 }, "\(bench.stdout)")
        let perThousand = summary["cpuSecondsPerNodePer1000"]?.numberValue?.doubleValue ?? 0
        #expect(perThousand > 0, "\(bench.stdout)")
        // The same cost in this machine's sender recoveries, measured by the bench just before the run.
        let recovery = summary["recoveryMicroseconds"]?.numberValue?.doubleValue ?? 0
        let recoveries = summary["recoveriesPerNodePerTransaction"]?.numberValue?.doubleValue ?? 0
        #expect(recovery > 5 && recovery < 5_000, "\(bench.stdout)")
        #expect(abs(recoveries - perThousand / 1_000 / (recovery / 1e6)) <= 0.1 * recoveries, "\(bench.stdout)")
        var final: [JSON] = []
        let settled = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < settled {
            let status = try SankofaBinary.run(["network", "status", "--dir", directory.path, "--json"])
            final = (try? JSONParser.parse(status.stdout))?["nodes"]?.arrayValue ?? []
            let heads = Set(final.map { $0["head"]?.intValue ?? -1 }), finals = Set(final.map { $0["finalized"]?.intValue ?? -2 })
            if final.count == 6, heads.count == 1, heads == finals { break }
            try await Task.sleep(for: .milliseconds(300))
        }
        #expect(Set(final.map { $0["head"]?.intValue ?? -1 }).count == 1, "heads differ: \(JSONWriter.string(.array(final)))")
        #expect(final.allSatisfy { $0["head"] == $0["finalized"] }, "not final: \(JSONWriter.string(.array(final)))")
        // The light node verified every QBFT header (commit-seal quorum) and answers the busiest block as a validator.
        func client(_ mode: String) throws -> RPCClient {
            let url = try #require(layout.nodes.first { $0.mode == mode }?.rpcURL)
            return RPCClient(port: try #require(url.split(separator: ":").last.flatMap { Int($0) }))
        }
        let light = try client("light"), validator = try client("validator")
        let head = try #require(final.first?["head"]?.intValue)
        var busiest = (number: 0, transactions: 0)
        for number in 1...head {
            let block = try await validator.call("eth_getBlockByNumber", [.string("0x" + String(number, radix: 16)), false])
            let count = block["transactions"]?.arrayValue?.count ?? 0
            if count > busiest.transactions { busiest = (number, count) }
        }
        let tag = JSON.string("0x" + String(busiest.number, radix: 16))
        #expect(busiest.transactions > 0)
        // QBFT nodes may hold different sets of commit seals for one block (the block hash leaves them out), so the
        // seals' extraData and the size they add are the only fields allowed to differ.
        func withoutSeals(_ block: JSON) -> JSON {
            guard case .object(let fields) = block else { return block }
            return .object(JSONObject(fields.filter { $0.0 != "extraData" && $0.0 != "size" }))
        }
        let fromLight = try await light.call("eth_getBlockByNumber", [tag, .bool(true)])
        #expect(withoutSeals(fromLight) == withoutSeals(try await validator.call("eth_getBlockByNumber", [tag, .bool(true)])),
                "block #\(busiest.number) differs on the light node")
        #expect(try await light.call("eth_getBlockReceipts", [tag]) == (try await validator.call("eth_getBlockReceipts", [tag])))

        // One SIGINT to the parent stops every node.
        let pids = layout.nodes.compactMap(\.pid)
        #expect(pids.count == 6)
        kill(up.processIdentifier, SIGINT)
        let stopped = ContinuousClock.now + .seconds(30)
        while up.isRunning, ContinuousClock.now < stopped { try await Task.sleep(for: .milliseconds(100)) }
        #expect(!up.isRunning)
        if !up.isRunning { #expect(up.terminationStatus == 0) }
        for pid in pids { #expect(kill(pid, 0) != 0, "node \(pid) still running") }
        #expect(((try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "").contains("all nodes stopped"))
    }

    @Test func statusWithoutANetworkIsOneLine() throws {
        let result = try SankofaBinary.run(["network", "status", "--dir", "/nonexistent-sankofa-network"])
        #expect(result.status != 0)
        #expect(result.stderr.split(separator: "\n").count == 1)
        #expect(result.stderr.contains("no network here"))
    }

    @Test func prometheusGaugesParse() {
        let text = "# TYPE sankofa_qbft_round gauge\nsankofa_qbft_round_total 9\nsankofa_qbft_round 2\n"
        #expect(NetworkStatus.gauge("sankofa_qbft_round", in: text) == 2)
        #expect(NetworkStatus.gauge("sankofa_qbft_height", in: text) == nil)
    }

    /// A base port whose four ranges are all free for `nodes` nodes.
    static func freeBase(nodes: Int) throws -> Int {
        for _ in 0..<50 {
            let base = Int.random(in: 20_000..<40_000)
            if NetworkLayout.Ports.all(base: base, count: nodes).allSatisfy(PortProbe.isFree) { return base }
        }
        throw RPCTestError(description: "no free base port found")
    }

    /// Whatever happened: SIGKILL the parent and every node it recorded.
    static func killAll(_ up: Process, directory: URL) {
        if up.isRunning { kill(up.processIdentifier, SIGKILL) }
        for pid in (try? NetworkLayout.read(from: directory.path))?.nodes.compactMap(\.pid) ?? [] { kill(pid, SIGKILL) }
    }
}
