import SankofaPrimitives

/// The protocols a service node speaks; `uint8 protocol` in the ABI. Any other value is refused.
public enum NodeProtocol: UInt8, Sendable, CaseIterable, Codable {
    case http = 1
    case grpc = 2
    case both = 3
}

/// A node's health as load balancers use it; `uint8 status` in the ABI. Any other value is refused.
public enum NodeStatus: UInt8, Sendable, CaseIterable, Codable {
    /// Receives traffic. New nodes start here.
    case active = 1
    /// Finishes in-flight work but receives no new traffic.
    case draining = 2
    /// Receives nothing.
    case down = 3

    var label: String {
        switch self {
        case .active: "active"
        case .draining: "draining"
        case .down: "down"
        }
    }
}

/// A service node as stored: `rlp([zone, endpoint, protocol, status, registeredAt, updatedAt, registeredBy])`.
struct ServiceNodeRecord: RLPRecord, Equatable {
    var zone: Hash32
    var endpoint: String
    var nodeProtocol: NodeProtocol
    var status: NodeStatus
    var registeredAt: UInt64
    /// When the endpoint, protocol or status last changed; what a watcher compares to spot stale health.
    var updatedAt: UInt64
    var registeredBy: Address

    init(zone: Hash32, endpoint: String, nodeProtocol: NodeProtocol, registeredBy: Address, at timestamp: UInt64) {
        self.zone = zone
        self.endpoint = endpoint
        self.nodeProtocol = nodeProtocol
        self.status = .active
        self.registeredAt = timestamp
        self.updatedAt = timestamp
        self.registeredBy = registeredBy
    }
}

/// NodeRegistry's storage layout, one line per record kind.
enum NodeRegistryLayout {
    static func node(_ nodeId: Hash32) -> Hash32 { StorageKey.make("node", nodeId.bytes) }
    /// Node ids registered in a zone (a set, so deregistering removes the id in O(1)).
    static func zoneNodes(_ zone: Hash32) -> StoredSet { StoredSet("zone.nodes", scope: zone.bytes) }
    /// Zones with at least one registered node, so a watcher can discover them.
    static let zones = StoredSet("zones")
}
