import SankofaPrimitives

/// The protocols a service node speaks; `uint8 protocol` in the ABI. Any other value is refused.
public enum NodeProtocol: UInt8, Sendable, CaseIterable {
    case http = 1
    case grpc = 2
    case both = 3
}

/// A node's health as load balancers use it; `uint8 status` in the ABI. Any other value is refused.
public enum NodeStatus: UInt8, Sendable, CaseIterable {
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
struct ServiceNodeRecord: RLPEncodable, RLPDecodable, Equatable {
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

    func encode(to writer: inout RLPWriter) {
        writer.writeList { w in
            w.write(zone)
            w.write(bytes: Array(endpoint.utf8))
            w.write(UInt64(nodeProtocol.rawValue))
            w.write(UInt64(status.rawValue))
            w.write(registeredAt)
            w.write(updatedAt)
            w.write(registeredBy)
        }
    }

    init(from reader: inout RLPReader) throws(RLPError) {
        var r = try reader.readList()
        zone = try r.readHash()
        endpoint = String(decoding: try r.readBytes(), as: UTF8.self)
        let rawProtocol = try r.readUInt64()
        guard rawProtocol <= UInt64(UInt8.max), let nodeProtocol = NodeProtocol(rawValue: UInt8(rawProtocol)) else {
            throw .integerTooLarge(maxBytes: 1, got: 8)
        }
        self.nodeProtocol = nodeProtocol
        let rawStatus = try r.readUInt64()
        guard rawStatus <= UInt64(UInt8.max), let status = NodeStatus(rawValue: UInt8(rawStatus)) else {
            throw .integerTooLarge(maxBytes: 1, got: 8)
        }
        self.status = status
        registeredAt = try r.readUInt64()
        updatedAt = try r.readUInt64()
        registeredBy = try r.readAddress()
        try r.finish()
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
