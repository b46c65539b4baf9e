import SankofaJSON

/// One connected peer as `admin_peers` shows it (Besu's shape: id is the 64-byte node key in hex).
public struct PeerSummary: Sendable, Equatable {
    public var id: String
    public var enode: String
    public var name: String
    public var capabilities: [String]
    public var localAddress: String
    public var remoteAddress: String
    public var inbound: Bool

    public init(id: String, enode: String, name: String, capabilities: [String], localAddress: String,
                remoteAddress: String, inbound: Bool) {
        self.id = id
        self.enode = enode
        self.name = name
        self.capabilities = capabilities
        self.localAddress = localAddress
        self.remoteAddress = remoteAddress
        self.inbound = inbound
    }
}

/// This node's P2P identity as `admin_nodeInfo` shows it.
public struct P2PNodeInfo: Sendable, Equatable {
    public var enode: String
    public var id: String
    public var ip: String
    public var listeningPort: Int
    public var discoveryPort: Int
    /// Capabilities offered, e.g. `eth/68` (none until sub-protocols register).
    public var protocols: [String]

    public init(enode: String, id: String, ip: String, listeningPort: Int, discoveryPort: Int, protocols: [String]) {
        self.enode = enode
        self.id = id
        self.ip = ip
        self.listeningPort = listeningPort
        self.discoveryPort = discoveryPort
        self.protocols = protocols
    }
}

/// Peer management for `admin_` and `net_` (geth's and Besu's admin API).
public protocol PeerAdmin: Sendable {
    /// Whether the node accepts RLPx connections (`net_listening`).
    var isListening: Bool { get }
    var peerCount: Int { get }
    func peers() async -> [PeerSummary]
    /// `admin_addPeer`: keeps dialling the enode URL as a static peer; throws `RPCError` for a bad URL or a node
    /// the allow-list refuses.
    func addPeer(_ enode: String) async throws -> Bool
    /// `admin_removePeer`: stops dialling it and disconnects it.
    func removePeer(_ enode: String) async throws -> Bool
    func nodeInfo() async -> P2PNodeInfo?
}

/// A node without P2P (the dev chain, RPC tests): no peers, and adding one says why not.
public struct NoPeerAdmin: PeerAdmin {
    public init() {}
    public var isListening: Bool { false }
    public var peerCount: Int { 0 }
    public func peers() async -> [PeerSummary] { [] }
    public func addPeer(_ enode: String) async throws -> Bool {
        throw RPCError.server("peer-to-peer networking is off on this node (sankofa dev runs without it)")
    }
    public func removePeer(_ enode: String) async throws -> Bool {
        throw RPCError.server("peer-to-peer networking is off on this node (sankofa dev runs without it)")
    }
    public func nodeInfo() async -> P2PNodeInfo? { nil }
}
