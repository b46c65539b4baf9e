import SankofaPrimitives
@testable import SankofaRPC

/// Three peers' worth of answers, with no P2P behind them.
struct RPCFakePeers: PeerAdmin {
    var isListening: Bool { true }
    var peerCount: Int { 3 }
    func peers() async -> [PeerSummary] { [] }
    func addPeer(_ enode: String) async throws -> Bool { throw RPCError.server("peer-to-peer networking is not available yet") }
    func removePeer(_ enode: String) async throws -> Bool { throw RPCError.server("peer-to-peer networking is not available yet") }
    func nodeInfo() async -> P2PNodeInfo? { nil }
}

/// In-memory allow-lists with Besu's refusals.
final class RPCFakePermissions: PermissioningAdmin, @unchecked Sendable {
    private let nodes = RPCLocked<[String]>([])
    private let accounts = RPCLocked<[Address]>([])

    func nodesAllowlist() async throws -> [String] { nodes.withLock { $0 } }
    func addNodes(_ enodes: [String]) async throws {
        try nodes.withLock { list in
            for enode in enodes where list.contains(enode) { throw RPCError.server("Node is already on the allowlist") }
            list += enodes
        }
    }
    func removeNodes(_ enodes: [String]) async throws {
        try nodes.withLock { list in
            for enode in enodes where !list.contains(enode) { throw RPCError.server("Node is not on the allowlist") }
            list.removeAll { enodes.contains($0) }
        }
    }
    func accountsAllowlist() async throws -> [Address] { accounts.withLock { $0 } }
    func addAccounts(_ new: [Address]) async throws { accounts.withLock { $0 += new } }
    func removeAccounts(_ old: [Address]) async throws { accounts.withLock { $0.removeAll { old.contains($0) } } }
    func reload() async throws {}
}
