import Foundation
import SankofaJSON
import SankofaTestSupport
import Testing
@testable import SankofaLBWatch

/// `sankofa lb-watch` end to end: a real `sankofa dev` chain, a real HAProxy (master-worker, runtime API), three
/// Python HTTP backends, all on 127.0.0.1. The injected endpoints are refused before rendering, so 10.0.0.1 and
/// 6.6.6.6 are never contacted.
@Suite("lb-watch with HAProxy", .serialized,
       .enabled(if: SankofaBinary.available && FileManager.default.isExecutableFile(atPath: "/usr/sbin/haproxy")))
struct LBWatchHAProxyTests {
    let processes = Processes()
    let directory: String
    let rpcPort: Int, wsPort: Int, frontPort: Int, apiPort: Int
    let backendPorts: [Int]

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("lbwatch-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        (rpcPort, wsPort, frontPort, apiPort) = (try Ports.free(), try Ports.free(), try Ports.free(), try Ports.free())
        backendPorts = try (0..<3).map { _ in try Ports.free() }
    }

    var configPath: String { directory + "/haproxy.cfg" }
    var runtimeSocket: String { directory + "/stats.sock" }
    var masterSocket: String { directory + "/master.sock" }

    @discardableResult
    func startChain() throws -> Process {
        try processes.start(try SankofaBinary.path.orThrow("no sankofa binary"), [
            "dev", "--data-path", directory + "/chain", "--rpc-http-port", String(rpcPort), "--rpc-ws-port", String(wsPort),
        ], log: directory + "/node-\(UUID().uuidString.prefix(4)).log")
    }

    @discardableResult
    func startChainBackendsAndHAProxy() async throws -> Process {
        let node = try startChain()
        let script = directory + "/backend.py"
        try backendScript.write(toFile: script, atomically: true, encoding: .utf8)
        for (index, port) in backendPorts.enumerated() {
            try processes.start("/usr/bin/env", ["python3", script, String(port), "b\(index + 1)"], log: directory + "/b\(index + 1).log")
        }
        // HAProxy starts on a placeholder; lb-watch installs the real configuration and reloads through the master CLI.
        try """
            global
                stats socket \(runtimeSocket) mode 600 level admin
            defaults
                mode http
                timeout connect 5s
                timeout client 30s
                timeout server 30s
            frontend fe_eu
                bind 127.0.0.1:\(frontPort)
                http-request return status 503

            """.write(toFile: configPath, atomically: true, encoding: .utf8)
        try processes.start("/usr/sbin/haproxy", ["-W", "-S", masterSocket, "-f", configPath], log: directory + "/haproxy.log")
        #expect(try await eventually(15) { try await HTTP.rpc(rpcPort, "eth_chainId", []) == .string("0x539") })
        #expect(try await eventually(10) {
            try await backendPorts.asyncAllSatisfy { try await HTTP.get("http://127.0.0.1:\($0)/").0 == 200 }
        })
        #expect(try await eventually(10) { FileManager.default.fileExists(atPath: masterSocket) })
        return node
    }

    @discardableResult
    func startLBWatch(confirmations: Int = 0) throws -> Process {
        try processes.start(try SankofaBinary.path.orThrow("no sankofa binary"), [
            "lb-watch", "--rpc", "ws://127.0.0.1:\(wsPort)", "--zone", "eu", "--haproxy-config", configPath,
            "--haproxy-socket", runtimeSocket, "--haproxy-master-socket", masterSocket, "--api-port", String(apiPort),
            "--confirmations", String(confirmations), "--frontend-bind", "127.0.0.1:\(frontPort)",
        ], log: directory + "/lbwatch-\(UUID().uuidString.prefix(4)).log")
    }

    func status() async throws -> JSON {
        try JSONParser.parse(Array(try await HTTP.get("http://127.0.0.1:\(apiPort)/status").1.utf8))
    }

    /// Which backends answer 12 fresh connections through HAProxy.
    func reached(_ count: Int = 12) async throws -> Set<String> {
        var names: Set<String> = []
        for _ in 0..<count {
            let (code, body) = try await HTTP.get("http://127.0.0.1:\(frontPort)/")
            if code == 200 { names.insert(body) }
        }
        return names
    }

    func metric(_ name: String) async throws -> Int {
        let text = try await HTTP.get("http://127.0.0.1:\(apiPort)/metrics").1
        let line = text.split(separator: "\n").first { $0.hasPrefix(name + " ") }
        return line.flatMap { Int($0.split(separator: " ").last ?? "") } ?? -1
    }

    @Test func followsTheRegistryThroughStatusMembershipAndRestart() async throws {
        defer {
            processes.stopAll()
            if ProcessInfo.processInfo.environment["LBWATCH_KEEP"] == nil { try? FileManager.default.removeItem(atPath: directory) }
        }
        try await startChainBackendsAndHAProxy()
        let writer = RegistryWriter(port: rpcPort)
        let ids = (1...4).map(RegistryWriter.nodeId)
        for index in 0..<3 {
            try await writer.register(ids[index], zone: "eu", endpoint: "127.0.0.1:\(backendPorts[index])")
        }
        // Endpoints any OPERATOR could write: refused, logged, counted, never rendered.
        let injected = ["10.0.0.1:80\n  server evil 6.6.6.6:80", "127.0.0.1: 80", "127.0.0.1:0", "127.0.0.1:70000", "6.6.6.6:80 backup"]
        for (index, endpoint) in injected.enumerated() {
            try await writer.register(RegistryWriter.nodeId(100 + index), zone: "eu", endpoint: endpoint)
        }

        let watcher = try startLBWatch()
        #expect(try await eventually(20) { try await status()["nodesPerZone"]?["eu"]?.intValue == 3 })
        #expect(try await eventually(15) { try await reached() == ["b1", "b2", "b3"] })
        let config = try String(contentsOfFile: configPath, encoding: .utf8)
        #expect(!config.contains("6.6.6.6") && !config.contains("10.0.0.1") && !config.contains("evil"))
        #expect(try await metric("lbwatch_refused_endpoints_total") == injected.count)
        // Counted once the master's reload counter confirms it, which can be just after traffic already flows.
        #expect(try await eventually(5) { try await metric("lbwatch_reloads_total") >= 1 })
        let reloadsAtStart = try await metric("lbwatch_reloads_total")

        // down: out of rotation as soon as its block is applied, through the runtime API (no reload).
        try await writer.setStatus(ids[0], 3)
        #expect(try await eventually(5) { try await reached(9) == ["b2", "b3"] })
        // draining: no new connections.
        try await writer.setStatus(ids[1], 2)
        #expect(try await eventually(5) { try await reached(9) == ["b3"] })
        #expect(try await metric("lbwatch_reloads_total") == reloadsAtStart)
        #expect(try await metric("lbwatch_runtime_updates_total") == 2)

        // Membership: deregister b1, register b1's backend again under a new id; the reload lets an in-flight slow
        // request (on b3, the only one taking traffic) finish.
        let slowDone = LockedFlag()
        let slow = Task {
            defer { slowDone.set() }
            return try await HTTP.get("http://127.0.0.1:\(frontPort)/slow")
        }
        try await Task.sleep(for: .milliseconds(300))
        try await writer.deregister(ids[0])
        try await writer.register(ids[3], zone: "eu", endpoint: "127.0.0.1:\(backendPorts[0])")
        #expect(try await eventually(10) { try await metric("lbwatch_reloads_total") > reloadsAtStart })
        #expect(!slowDone.value, "the slow request finished before the reload, so the test proved nothing")
        let (slowCode, slowBody) = try await slow.value
        #expect(slowCode == 200 && slowBody == "b3")
        #expect(try await eventually(10) { try await reached() == ["b1", "b3"] })
        #expect(FileManager.default.fileExists(atPath: configPath + ".prev"))

        // Killed, events missed, restarted: it catches up.
        processes.kill(watcher)
        try await writer.setStatus(ids[1], 1)
        try await writer.deregister(ids[2])
        try startLBWatch()
        #expect(try await eventually(20) { try await status()["nodesPerZone"]?["eu"]?.intValue == 2 })
        #expect(try await eventually(15) { try await reached() == ["b1", "b2"] })
        let final = try String(contentsOfFile: configPath, encoding: .utf8)
        #expect(!final.contains("6.6.6.6") && !final.contains(":\(backendPorts[2])"))
    }
}

extension LBWatchHAProxyTests {
    @Test func waitsForConfirmationsAndBackfillsAfterTheNodeRestarts() async throws {
        defer {
            processes.stopAll()
            if ProcessInfo.processInfo.environment["LBWATCH_KEEP"] == nil { try? FileManager.default.removeItem(atPath: directory) }
        }
        let node = try await startChainBackendsAndHAProxy()
        let writer = RegistryWriter(port: rpcPort)
        let ids = (1...3).map(RegistryWriter.nodeId)
        try await writer.register(ids[0], zone: "eu", endpoint: "127.0.0.1:\(backendPorts[0])")   // block 1
        try startLBWatch(confirmations: 2)
        try await writer.register(ids[1], zone: "eu", endpoint: "127.0.0.1:\(backendPorts[1])")   // block 2
        try await writer.register(ids[2], zone: "eu", endpoint: "127.0.0.1:\(backendPorts[2])")   // block 3
        // Head 3 at depth 2: only block 1's registration is final.
        #expect(try await eventually(15) { try await status()["lastBlockApplied"]?.intValue == 1 })
        #expect(try await status()["nodesPerZone"]?["eu"]?.intValue == 1)
        #expect(try await eventually(10) { try await reached(6) == ["b1"] })

        // The node goes away and comes back on the same ports; lb-watch reconnects and backfills blocks 2-3.
        processes.stop(node)
        try await Task.sleep(for: .seconds(1))
        try startChain()
        #expect(try await eventually(15) { try await HTTP.rpc(rpcPort, "eth_chainId", []) == .string("0x539") })
        try await writer.setStatus(ids[0], 2)   // block 4
        try await writer.setStatus(ids[0], 1)   // block 5
        #expect(try await eventually(20) { try await status()["lastBlockApplied"]?.intValue == 3 })
        #expect(try await status()["nodesPerZone"]?["eu"]?.intValue == 3)
        #expect(try await metric("lbwatch_reconnects_total") >= 1)
        #expect(try await eventually(15) { try await reached() == ["b1", "b2", "b3"] })
    }
}

extension Array where Element == Int {
    func asyncAllSatisfy(_ check: (Int) async throws -> Bool) async throws -> Bool {
        for element in self where !(try await check(element)) { return false }
        return true
    }
}

/// A flag set from one task and read from another.
final class LockedFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var flag = false
    func set() { lock.withLock { flag = true } }
    var value: Bool { lock.withLock { flag } }
}
