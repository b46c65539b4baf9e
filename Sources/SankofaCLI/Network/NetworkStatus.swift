import Foundation
import SankofaJSON
import SankofaRPC

/// `network status`: each node's view (head, final head, peers from `sankofa_nodeInfo`; the QBFT round from its
/// metrics), or why it could not be asked.
enum NetworkStatus {
    struct Entry: Sendable {
        let node: NetworkLayout.Node
        var head: UInt64?
        var finalized: UInt64?
        var peers: UInt64?
        var round: Int?
        /// nil when the node answered.
        var problem: String?
    }

    static func collect(_ layout: NetworkLayout) async -> [Entry] {
        await withTaskGroup(of: (Int, Entry).self) { group in
            for (i, node) in layout.nodes.enumerated() { group.addTask { (i, await entry(node)) } }
            var entries: [(Int, Entry)] = []
            for await entry in group { entries.append(entry) }
            return entries.sorted { $0.0 < $1.0 }.map(\.1)
        }
    }

    static func entry(_ node: NetworkLayout.Node) async -> Entry {
        var entry = Entry(node: node)
        do {
            let info = try await HTTPClientConnection.with(RPCEndpoint(host: "127.0.0.1", port: node.rpcPort)) {
                try await $0.call("sankofa_nodeInfo", [])
            }
            entry.head = info["head"]?["number"].flatMap { try? BenchRunner.quantity($0) }
            entry.finalized = info["finalized"]?["number"].flatMap { try? BenchRunner.quantity($0) }
            entry.peers = info["peers"].flatMap { try? BenchRunner.quantity($0) }
        } catch {
            // The URL is in its own column: keep only the reason (`connection refused`).
            entry.problem = "down (\(String(describing: error).components(separatedBy: ": ").last ?? "no answer"))"
            return entry
        }
        if let metrics = try? await HTTPClientConnection.with(RPCEndpoint(host: "127.0.0.1", port: node.metricsPort, path: "/metrics"), {
            try await $0.get()
        }) {
            entry.round = gauge("sankofa_qbft_round", in: String(decoding: metrics, as: UTF8.self)).map { Int($0) }
        }
        return entry
    }

    /// Whether the node answers JSON-RPC yet.
    static func answers(_ node: NetworkLayout.Node) async -> Bool {
        (try? await HTTPClientConnection.with(RPCEndpoint(host: "127.0.0.1", port: node.rpcPort)) {
            try await $0.call("eth_blockNumber", [])
        }) != nil
    }

    /// A sample's value in Prometheus text format (`name value` or `name{…} value`).
    static func gauge(_ name: String, in text: String) -> Double? {
        for line in text.split(separator: "\n") where line.hasPrefix(name) {
            let rest = line.dropFirst(name.count)
            guard rest.first == " " || rest.first == "{" else { continue }
            if let value = rest.split(separator: " ").last.flatMap({ Double($0) }) { return value }
        }
        return nil
    }

    static func table(_ entries: [Entry]) -> String {
        TextTable.render(["NODE", "MODE", "HEAD", "FINAL", "PEERS", "ROUND", "RPC", "STATE"], entries.map { entry in
            [entry.node.name, entry.node.mode, entry.head.map(String.init) ?? "-", entry.finalized.map(String.init) ?? "-",
             entry.peers.map(String.init) ?? "-", entry.round.map(String.init) ?? "-", entry.node.rpcURL, entry.problem ?? "up"]
        })
    }

    static func json(_ entries: [Entry]) -> String {
        func number(_ value: UInt64?) -> JSON { value.map { .number(JSONNumber($0)) } ?? .null }
        return JSONWriter.pretty(.object(JSONObject([("nodes", .array(entries.map { entry in
            .object(JSONObject([
                ("name", .string(entry.node.name)), ("mode", .string(entry.node.mode)), ("rpc", .string(entry.node.rpcURL)),
                ("up", .bool(entry.problem == nil)), ("head", number(entry.head)), ("finalized", number(entry.finalized)),
                ("peers", number(entry.peers)), ("round", entry.round.map { .number(JSONNumber($0)) } ?? .null),
                ("problem", entry.problem.map { .string($0) } ?? .null),
            ]))
        }))])))
    }
}
