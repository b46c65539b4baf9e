import Foundation
import SankofaJSON

/// A local network's nodes, ports and files, kept in `DIR/network.json` so that `network status` (and a test) can
/// find every node `network up` started.
struct NetworkLayout: Sendable, Equatable {
    /// One node of the network.
    struct Node: Sendable, Equatable {
        let name: String
        /// validator, replica or light.
        let mode: String
        let address: String
        let enode: String
        let p2pPort: Int
        let rpcPort: Int
        let wsPort: Int
        let metricsPort: Int
        var pid: Int32?

        var rpcURL: String { "http://127.0.0.1:\(rpcPort)" }
        var wsURL: String { "ws://127.0.0.1:\(wsPort)" }
        var metricsURL: String { "http://127.0.0.1:\(metricsPort)/metrics" }
    }

    let consensus: String
    let chainId: UInt64
    var nodes: [Node]

    /// Ports from one base, in four ranges so that node i's ports are easy to guess: JSON-RPC HTTP at base + i
    /// (8545, 8546, … by default, as Besu's 8545), WebSocket at base + 100 + i, metrics at base + 1000 + i (9545 …,
    /// as Besu's metrics port) and P2P at base + 21758 + i (30303 …).
    enum Ports {
        static let ws = 100, metrics = 1_000, p2p = 21_758
        /// Nodes one base can number without its ranges overlapping.
        static let maxNodes = 100

        static func all(base: Int, count: Int) -> [Int] {
            var ports: [Int] = []
            for offset in [0, ws, metrics, p2p] {
                for i in 0..<count { ports.append(base + offset + i) }
            }
            return ports
        }
    }

    static func path(in directory: String) -> String { (directory as NSString).appendingPathComponent("network.json") }

    var json: JSON {
        .object(JSONObject([
            ("consensus", .string(consensus)),
            ("chainId", .number(JSONNumber(chainId))),
            ("nodes", .array(nodes.map { node in
                .object(JSONObject([
                    ("name", .string(node.name)), ("mode", .string(node.mode)), ("address", .string(node.address)),
                    ("enode", .string(node.enode)), ("p2pPort", .number(JSONNumber(node.p2pPort))),
                    ("rpc", .string(node.rpcURL)), ("rpcPort", .number(JSONNumber(node.rpcPort))),
                    ("wsPort", .number(JSONNumber(node.wsPort))), ("metricsPort", .number(JSONNumber(node.metricsPort))),
                    ("pid", node.pid.map { .number(JSONNumber(Int($0))) } ?? .null),
                ]))
            })),
        ]))
    }

    func write(to directory: String) throws(CLIError) {
        let path = Self.path(in: directory)
        do { try (JSONWriter.pretty(json) + "\n").write(toFile: path, atomically: true, encoding: .utf8) } catch {
            throw .file(path: path, reason: "cannot be written (\(error.localizedDescription))")
        }
    }

    static func read(from directory: String) throws(CLIError) -> NetworkLayout {
        let path = path(in: directory)
        let bytes: [UInt8]
        do { bytes = try CLIFiles.read(path) } catch {
            throw .file(path: path, reason: "no network here; start one with 'sankofa network up --dir \(directory)'")
        }
        guard let root = try? JSONParser.parse(bytes), let consensus = root["consensus"]?.stringValue,
              let chainId = root["chainId"]?.numberValue?.uint64Value, let entries = root["nodes"]?.arrayValue
        else { throw .file(path: path, reason: "not a network description written by 'sankofa network up'") }
        var nodes: [Node] = []
        for entry in entries {
            guard let name = entry["name"]?.stringValue, let mode = entry["mode"]?.stringValue,
                  let address = entry["address"]?.stringValue, let enode = entry["enode"]?.stringValue,
                  let p2p = entry["p2pPort"]?.intValue, let rpc = entry["rpcPort"]?.intValue,
                  let ws = entry["wsPort"]?.intValue, let metrics = entry["metricsPort"]?.intValue
            else { throw .file(path: path, reason: "a node entry is incomplete") }
            nodes.append(Node(name: name, mode: mode, address: address, enode: enode, p2pPort: p2p, rpcPort: rpc, wsPort: ws,
                              metricsPort: metrics, pid: entry["pid"]?.intValue.flatMap { Int32(exactly: $0) }))
        }
        return NetworkLayout(consensus: consensus, chainId: chainId, nodes: nodes)
    }
}

/// A table with aligned columns, for terminal output.
enum TextTable {
    static func render(_ header: [String], _ rows: [[String]]) -> String {
        let all = [header] + rows
        let widths = header.indices.map { column in all.map { $0.indices.contains(column) ? $0[column].count : 0 }.max() ?? 0 }
        return all.map { row in
            row.enumerated().map { column, cell in
                column == row.count - 1 ? cell : cell.padding(to: widths[column])
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }
}
