import Foundation
import SankofaCrypto
import SankofaJSON
import SankofaP2P

/// `p2p/idle-memory-per-peer`: resident memory a connected, idle peer costs. One host listens; `peers` hosts in the
/// same process dial it and finish the RLPx handshake and Hello; the resident-set growth is divided by the number
/// of sessions (each connection is a session on both ends, so one figure covers a peer as dialer and as listener).
/// The baseline is the same process after starting the hosts but before any connection, measured in the same run.
enum P2PMemory {
    static let name = "p2p/idle-memory-per-peer"
    static func selects(_ prefix: String) -> Bool { name.hasPrefix(prefix) && prefix.count > "p2p/".count }

    struct Figures {
        let peers: Int
        let bytesPerSession: Double
        let residentBeforeMiB: Double
        let residentAfterMiB: Double
    }

    static func run(peers: Int = 200) async throws -> Figures {
        let server = P2PHost(configuration: .init(nodeKey: try PrivateKey.generate(), protocols: []))
        let enode = try await server.start()
        var clients: [P2PHost] = []
        for _ in 0..<peers {
            clients.append(P2PHost(configuration: .init(nodeKey: try PrivateKey.generate(), protocols: [], port: 0)))
        }
        for client in clients { _ = try await client.start() }
        try await Task.sleep(for: .milliseconds(500))
        let before = residentBytes()
        for client in clients { _ = try await client.connect(to: enode) }
        // Idle: let handshakes, Hellos and the first pings settle.
        try await Task.sleep(for: .seconds(2))
        let after = residentBytes()
        let sessions = 2 * peers
        let figures = Figures(peers: peers, bytesPerSession: Double(max(0, after - before)) / Double(sessions),
                              residentBeforeMiB: Double(before) / 1_048_576, residentAfterMiB: Double(after) / 1_048_576)
        for client in clients { await client.stop() }
        await server.stop()
        return figures
    }

    /// Resident set size from `/proc/self/statm` (pages × page size).
    static func residentBytes() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    static func report(_ f: Figures, json: Bool) -> String {
        if json {
            return JSONWriter.pretty(["name": .string(name), "peers": .number(JSONNumber(f.peers)),
                                      "bytes_per_session": Harness.number(f.bytesPerSession),
                                      "resident_before_mib": Harness.number(f.residentBeforeMiB),
                                      "resident_after_mib": Harness.number(f.residentAfterMiB)])
        }
        return "\(name): \(f.peers) peers connected to one host in-process; resident \(Harness.format(f.residentBeforeMiB)) → "
            + "\(Harness.format(f.residentAfterMiB)) MiB; \(Int(f.bytesPerSession / 1024)) KiB per session (each end of a connection)"
    }
}
