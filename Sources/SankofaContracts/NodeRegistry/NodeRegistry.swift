import SankofaPrimitives

/// Service nodes per zone with endpoints and health (DESIGN.md `0x…1007`). Load balancers keep their backend
/// pools in step by following `NodeRegistered`, `NodeStatusChanged`, `NodeEndpointUpdated` and `NodeDeregistered`,
/// and rebuild them from scratch with `zones`, `nodesInZone` and `getNode`.
///
/// Rules a watcher can rely on: a node id is registered at most once at a time; a new node starts `active`; every
/// event marks a real change (setting the status a node already has reverts), so each event is actionable;
/// `getNode` reverts with "no node <id>" for an unknown id rather than returning zeros that could be mistaken for
/// a node (use `isRegistered` to probe); deregistering removes the node from its zone's list at once.
public struct NodeRegistry: SystemContract {
    public let name = "NodeRegistry"
    public let address = SystemAddresses.nodeRegistry

    public init() {}

    /// The longest endpoint accepted, in UTF-8 bytes: generous for any URL or host:port, small enough that a
    /// watcher can hold every endpoint in memory.
    public static let maximumEndpointLength = 512

    public static let nodeRegistered = ContractEvent("NodeRegistered", [
        ABIParameter("nodeId", .fixedBytes(32), indexed: true), ABIParameter("zone", .fixedBytes(32), indexed: true),
        ABIParameter("endpoint", .string), ABIParameter("protocol", .uint(8))])
    public static let nodeStatusChanged = ContractEvent("NodeStatusChanged", [
        ABIParameter("nodeId", .fixedBytes(32), indexed: true), ABIParameter("status", .uint(8))])
    public static let nodeDeregistered = ContractEvent("NodeDeregistered", [
        ABIParameter("nodeId", .fixedBytes(32), indexed: true)])
    public static let nodeEndpointUpdated = ContractEvent("NodeEndpointUpdated", [
        ABIParameter("nodeId", .fixedBytes(32), indexed: true), ABIParameter("endpoint", .string),
        ABIParameter("protocol", .uint(8))])

    public var events: [ContractEvent] {
        [Self.nodeRegistered, Self.nodeStatusChanged, Self.nodeDeregistered, Self.nodeEndpointUpdated]
    }

    public var functions: [ContractFunction] {
        let nodeId = ABIParameter("nodeId", .fixedBytes(32))
        let zone = ABIParameter("zone", .fixedBytes(32))
        let endpoint = ABIParameter("endpoint", .string)
        let nodeProtocol = ABIParameter("protocol", .uint(8))
        let nodeIds = ABIParameter("nodeIds", .array(.fixedBytes(32)))
        return [
            ContractFunction("registerNode", [nodeId, zone, endpoint, nodeProtocol], roles: [Roles.operator]) { call in
                try Self.register(call)
                return []
            },
            ContractFunction("setNodeStatus", [nodeId, ABIParameter("status", .uint(8))],
                             roles: [Roles.operator, Roles.monitor]) { call in
                try Self.setStatus(call)
                return []
            },
            ContractFunction("updateNodeEndpoint", [nodeId, endpoint, nodeProtocol], roles: [Roles.operator]) { call in
                try Self.updateEndpoint(call)
                return []
            },
            ContractFunction("deregisterNode", [nodeId], roles: [Roles.operator]) { call in
                try Self.deregister(call)
                return []
            },
            ContractFunction("getNode", [nodeId], returns: [
                zone, endpoint, nodeProtocol, ABIParameter("status", .uint(8)), ABIParameter("updatedAt", .uint(64)),
            ], .view) { call in
                let (_, node) = try Self.node(call)
                return [.fixedBytes(node.zone.bytes), .string(node.endpoint), .uint(UInt256(UInt64(node.nodeProtocol.rawValue))),
                        .uint(UInt256(UInt64(node.status.rawValue))), .uint(UInt256(node.updatedAt))]
            },
            ContractFunction("nodeDetails", [nodeId], returns: [
                ABIParameter("registeredAt", .uint(64)), ABIParameter("registeredBy", .address),
            ], .view) { call in
                let (_, node) = try Self.node(call)
                return [.uint(UInt256(node.registeredAt)), .address(node.registeredBy)]
            },
            ContractFunction("isRegistered", [nodeId], returns: [ABIParameter("registered", .bool)], .view) { call in
                [.bool(try !call.load(NodeRegistryLayout.node(try call.bytes32(0))).isEmpty)]
            },
            ContractFunction("nodesInZone", [zone], returns: [nodeIds], .view) { call in
                [.array(try NodeRegistryLayout.zoneNodes(try call.bytes32(0)).all(call).map { .fixedBytes($0) })]
            },
            ContractFunction("activeNodesInZone", [zone], returns: [nodeIds], .view) { call in
                var active: [ABIValue] = []
                for id in try NodeRegistryLayout.zoneNodes(try call.bytes32(0)).all(call) {
                    guard let nodeId = Hash32(bytes: id),
                          let node = try call.loadRecord(ServiceNodeRecord.self, NodeRegistryLayout.node(nodeId)) else {
                        throw call.revert("stored zone list names a node with no record")
                    }
                    if node.status == .active { active.append(.fixedBytes(id)) }
                }
                return [.array(active)]
            },
            ContractFunction("zones", [], returns: [ABIParameter("zoneIds", .array(.fixedBytes(32)))], .view) { call in
                [.array(try NodeRegistryLayout.zones.all(call).map { .fixedBytes($0) })]
            },
        ]
    }

    // MARK: Handlers

    static func register(_ call: Call) throws {
        let nodeId = try call.bytes32(0)
        let zone = try call.bytes32(1)
        let endpoint = try call.string(2)
        guard !nodeId.isZero else { throw call.revert("node id must not be zero") }
        guard !zone.isZero else { throw call.revert("zone must not be zero") }
        try validate(call, endpoint: endpoint)
        let nodeProtocol = try protocolArgument(call, 3)
        let key = NodeRegistryLayout.node(nodeId)
        if let existing = try call.loadRecord(ServiceNodeRecord.self, key) {
            throw call.revert("node \(nodeId.displayLabel) is already registered in zone \(existing.zone.displayLabel); deregister it first")
        }
        try call.storeRecord(key, ServiceNodeRecord(zone: zone, endpoint: endpoint, nodeProtocol: nodeProtocol,
                                                    registeredBy: call.sender, at: call.block.timestamp))
        try NodeRegistryLayout.zoneNodes(zone).insert(call, nodeId.bytes)
        try NodeRegistryLayout.zones.insert(call, zone.bytes)
        try call.emit(Self.nodeRegistered, .fixedBytes(nodeId.bytes), .fixedBytes(zone.bytes), .string(endpoint),
                      .uint(UInt256(UInt64(nodeProtocol.rawValue))))
    }

    static func setStatus(_ call: Call) throws {
        let status = try call.choice(1, "status", as: NodeStatus.self)
        let (nodeId, stored) = try node(call)
        var node = stored
        guard node.status != status else {
            throw call.revert("node \(nodeId.displayLabel) is already \(status.label)")
        }
        node.status = status
        node.updatedAt = call.block.timestamp
        try call.storeRecord(NodeRegistryLayout.node(nodeId), node)
        try call.emit(Self.nodeStatusChanged, .fixedBytes(nodeId.bytes), .uint(UInt256(UInt64(status.rawValue))))
    }

    /// Moves a node to a new endpoint or protocol without taking it out of its zone (e.g. a re-addressed host).
    static func updateEndpoint(_ call: Call) throws {
        let endpoint = try call.string(1)
        try validate(call, endpoint: endpoint)
        let nodeProtocol = try protocolArgument(call, 2)
        let (nodeId, stored) = try node(call)
        var node = stored
        guard node.endpoint != endpoint || node.nodeProtocol != nodeProtocol else {
            throw call.revert("node \(nodeId.displayLabel) already has that endpoint and protocol")
        }
        node.endpoint = endpoint
        node.nodeProtocol = nodeProtocol
        node.updatedAt = call.block.timestamp
        try call.storeRecord(NodeRegistryLayout.node(nodeId), node)
        try call.emit(Self.nodeEndpointUpdated, .fixedBytes(nodeId.bytes), .string(endpoint),
                      .uint(UInt256(UInt64(nodeProtocol.rawValue))))
    }

    /// Deletes the node's record and its zone-list entry, and the zone itself once it is empty; the id may then be
    /// registered again (in any zone).
    static func deregister(_ call: Call) throws {
        let (nodeId, node) = try node(call)
        try call.store(NodeRegistryLayout.node(nodeId), [])
        let zoneNodes = NodeRegistryLayout.zoneNodes(node.zone)
        try zoneNodes.remove(call, nodeId.bytes)
        if try zoneNodes.count(call) == 0 { try NodeRegistryLayout.zones.remove(call, node.zone.bytes) }
        try call.emit(Self.nodeDeregistered, .fixedBytes(nodeId.bytes))
    }

    // MARK: Helpers

    /// The node named by argument 0.
    static func node(_ call: Call) throws -> (Hash32, ServiceNodeRecord) {
        let nodeId = try call.bytes32(0)
        guard let node = try call.loadRecord(ServiceNodeRecord.self, NodeRegistryLayout.node(nodeId)) else {
            throw call.revert("no node \(nodeId.displayLabel)")
        }
        return (nodeId, node)
    }

    static func validate(_ call: Call, endpoint: String) throws {
        guard !endpoint.isEmpty else { throw call.revert("endpoint must not be empty") }
        let length = endpoint.utf8.count
        guard length <= maximumEndpointLength else {
            throw call.revert("endpoint is \(length) bytes; at most \(maximumEndpointLength) are allowed")
        }
    }

    static func protocolArgument(_ call: Call, _ index: Int) throws -> NodeProtocol {
        try call.choice(index, "protocol", as: NodeProtocol.self)
    }
}
