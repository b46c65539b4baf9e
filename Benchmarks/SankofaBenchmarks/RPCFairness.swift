import Foundation
import NIOCore
import NIOPosix
import SankofaJSON
import SankofaRPC

/// Fairness under load (issue 18: "one client flooding heavy calls cannot raise another client's `eth_blockNumber`
/// p99 by more than 2×"). On the RPC load test's dev node, a victim keeps `victimConnections` keep-alive connections
/// busy with `eth_blockNumber`, first alone, then beside a flooding client whose `floodConnections` connections send
/// heavy calls back to back (full blocks, `eth_call`, `eth_getLogs`, 1,000-key `eth_getProof`). Both phases run in
/// the same process, so the figure to read is the ratio of the victim's p99 beside the flood to its p99 alone. The
/// flood runs once against the default limits and once with heavy-call limits lifted, to show what they buy.
enum RPCFairness {
    static let prefix = "rpc-fairness"
    static let victimConnections = 4
    static let floodConnections = 16

    static func selects(_ filter: String) -> Bool { filter.hasPrefix(prefix) }

    static var floodCases: [RPCLoad.Case] {
        let keys = (1...1_000).map { #""0x\#(String($0, radix: 16))""# }.joined(separator: ",")
        return [
            RPCLoad.rpcCase("full-block", "eth_getBlockByNumber", #"["latest",true]"#),
            RPCLoad.rpcCase("call", "eth_call", #"[{"to":"\#(RPCLoad.governance)","data":"0x42cde4e8"},"latest"]"#),
            RPCLoad.rpcCase("logs", "eth_getLogs", #"[{"fromBlock":"0x0","toBlock":"latest"}]"#),
            RPCLoad.rpcCase("proof", "eth_getProof", #"["\#(RPCLoad.governance)",[\#(keys)],"latest"]"#),
        ].map { RPCLoad.Case(name: $0.name, request: $0.request, marker: Array(#""jsonrpc""#.utf8)) }
    }

    struct Row: Sendable {
        let name: String
        let victim: RPCLoadRow
        /// Flood requests answered (results and limit errors) per second, nil when alone.
        let floodPerSecond: Double?
        var p50Ratio: Double?
        var p99Ratio: Double?
    }

    static func run(seconds: Double) async throws -> [Row] {
        var rows: [Row] = []
        for (label, limits) in [("limits", RPCLimits()), ("no-limits", unlimited)] {
            let fixture = try await RPCFixture(limits: limits)
            let victimGroup = MultiThreadedEventLoopGroup(numberOfThreads: 1)
            let floodGroup = MultiThreadedEventLoopGroup(numberOfThreads: 1)
            do {
                let victim = RPCLoad.rpcCase("\(prefix)/\(label)/eth_blockNumber-alone", "eth_blockNumber", "[]")
                let alone = try await RPCLoad.measure(victim, port: fixture.port, seconds: seconds, group: victimGroup,
                                                      connections: victimConnections)
                rows.append(Row(name: victim.name, victim: alone, floodPerSecond: nil))
                let beside = RPCLoad.Case(name: "\(prefix)/\(label)/eth_blockNumber-beside-flood", request: victim.request,
                                          marker: victim.marker)
                let floodStart = NIODeadline.now().uptimeNanoseconds
                let floodWindow = LoadWindow(start: floodStart, end: floodStart + UInt64((seconds + 2 * RPCLoad.warmUpSeconds + 0.5) * 1e9))
                let flood = Task {
                    try await withThrowingTaskGroup(of: [LoadConnection.Result].self) { group in
                        for (index, heavy) in floodCases.enumerated() {
                            let share = floodConnections / floodCases.count + (index < floodConnections % floodCases.count ? 1 : 0)
                            group.addTask {
                                try await LoadConnection.open(share, port: fixture.port, request: heavy.request, marker: heavy.marker,
                                                              window: floodWindow, group: floodGroup)
                            }
                        }
                        return try await group.reduce(into: []) { $0 += $1 }
                    }
                }
                try await Task.sleep(for: .milliseconds(200))
                let loaded = try await RPCLoad.measure(beside, port: fixture.port, seconds: seconds, group: victimGroup,
                                                       connections: victimConnections)
                let floodResults = try await flood.value
                let answered = floodResults.reduce(0) { $0 + $1.latencies.count }
                var row = Row(name: beside.name, victim: loaded,
                              floodPerSecond: Double(answered) / (Double(floodWindow.end - floodWindow.start) / 1e9))
                row.p50Ratio = loaded.p50Milliseconds / alone.p50Milliseconds
                row.p99Ratio = loaded.p99Milliseconds / alone.p99Milliseconds
                rows.append(row)
            } catch {
                await fixture.stop()
                try? await victimGroup.shutdownGracefully()
                try? await floodGroup.shutdownGracefully()
                throw error
            }
            await fixture.stop()
            try await victimGroup.shutdownGracefully()
            try await floodGroup.shutdownGracefully()
        }
        return rows
    }

    /// Heavy-call limits lifted, for the comparison run.
    static var unlimited: RPCLimits {
        var limits = RPCLimits()
        limits.maxActiveHeavyRequests = 1 << 20
        limits.maxHeavyRequestsPerAddress = 1 << 20
        return limits
    }

    static func report(_ rows: [Row], json: Bool) -> String {
        func ms(_ value: Double) -> String { value.isNaN ? "null" : Harness.format(value) }
        if json {
            return JSONWriter.pretty(.array(rows.map { r in
                var row: JSONObject = [
                    "name": .string(r.name), "p50_ms": Harness.number(r.victim.p50Milliseconds),
                    "p99_ms": Harness.number(r.victim.p99Milliseconds), "requests": .number(JSONNumber(r.victim.requests)),
                    "errors": .number(JSONNumber(r.victim.errors)), "victim_connections": .number(JSONNumber(victimConnections)),
                ]
                if let flood = r.floodPerSecond {
                    row.append("flood_connections", .number(JSONNumber(floodConnections)))
                    row.append("flood_answers_per_second", Harness.number(flood.rounded(.down)))
                }
                if let p50 = r.p50Ratio, let p99 = r.p99Ratio {
                    row.append("baseline", .string(r.name.replacingOccurrences(of: "beside-flood", with: "alone")))
                    row.append("p50_ratio", Harness.number(p50))
                    row.append("p99_ratio", Harness.number(p99))
                }
                return .object(row)
            }))
        }
        var lines = ["benchmark (victim \(victimConnections) conns, flood \(floodConnections))            p50 ms   p99 ms   victim req/s  errors  flood ans/s   p50 ×alone  p99 ×alone"]
        for r in rows {
            var line = r.name.padding(54) + ms(r.victim.p50Milliseconds).leftPadding(9) + ms(r.victim.p99Milliseconds).leftPadding(9)
            line += String(Int(r.victim.requestsPerSecond)).leftPadding(15) + String(r.victim.errors).leftPadding(8)
            line += (r.floodPerSecond.map { String(Int($0)) } ?? "-").leftPadding(13)
            if let p50 = r.p50Ratio, let p99 = r.p99Ratio { line += Harness.format(p50).leftPadding(13) + Harness.format(p99).leftPadding(12) }
            lines.append(line)
        }
        for r in rows where r.victim.errors > 0 { lines.append("\(r.name): \(r.victim.errors) errors, first: \(r.victim.firstError ?? "?")") }
        return lines.joined(separator: "\n")
    }
}
