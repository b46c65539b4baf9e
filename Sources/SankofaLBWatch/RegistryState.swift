/// The watched zones' nodes as of `lastApplied`, changed only by applying final registry events in order.
public struct RegistryState: Sendable {
    /// What applying events changed, which decides how HAProxy is updated.
    public struct Outcome: Sendable, Equatable {
        /// Servers added, removed or re-addressed: write the file, check it, reload.
        public var membershipChanged = false
        /// Servers whose state changed (backend, server, runtime state): runtime API, no reload.
        public var statusChanges: [StatusChange] = []
        /// Endpoints refused by validation (never rendered), with the reason.
        public var refused: [(node: String, endpoint: String, reason: String)] = []

        public static func == (lhs: Outcome, rhs: Outcome) -> Bool {
            lhs.membershipChanged == rhs.membershipChanged && lhs.statusChanges == rhs.statusChanges
                && lhs.refused.map(\.node) == rhs.refused.map(\.node)
        }
    }

    /// One runtime API command's worth: `set server BACKEND/SERVER state STATE`.
    public struct StatusChange: Sendable, Equatable {
        public let backend: String
        public let server: String
        public let state: String
    }

    /// The zones served, in `--zone` order.
    public let zones: [Zone]
    /// Accepted nodes in registration order (their endpoints passed `Endpoint` validation).
    public private(set) var nodes: [ServiceNode] = []
    /// Nodes of watched zones whose endpoints were refused, kept so a later `updateNodeEndpoint` can admit them and
    /// their status stays current meanwhile.
    public private(set) var refusedNodes: [[UInt8]: ServiceNode] = [:]
    /// The last block whose events are reflected here.
    public var lastApplied: UInt64

    /// An empty state as of `lastApplied`.
    public init(zones: [Zone], lastApplied: UInt64) {
        self.zones = zones
        self.lastApplied = lastApplied
    }

    /// Adds a node read from the registry (start-up); refused endpoints are reported and left out.
    public mutating func load(_ node: ServiceNode, into outcome: inout Outcome) {
        guard zones.contains(node.zone) else { return }
        if let refusal = Self.refusal(node.rawEndpoint) {
            outcome.refused.append((node.serverName, node.rawEndpoint, refusal))
            refusedNodes[node.id] = node
            return
        }
        refusedNodes[node.id] = nil
        nodes.removeAll { $0.id == node.id }
        nodes.append(node)
        outcome.membershipChanged = true
    }

    /// Applies one final event (events must come in chain order, each once).
    public mutating func apply(_ event: RegistryEvent, into outcome: inout Outcome) {
        let index = nodes.firstIndex { $0.id == event.nodeId }
        switch event.change {
        case .registered(let zone, let endpoint, let nodeProtocol):
            load(ServiceNode(id: event.nodeId, zone: zone, rawEndpoint: endpoint, nodeProtocol: nodeProtocol, status: 1),
                 into: &outcome)
        case .statusChanged(let status):
            refusedNodes[event.nodeId]?.status = status
            guard let index, nodes[index].status != status else { return }
            nodes[index].status = status
            let node = nodes[index]
            outcome.statusChanges.append(StatusChange(backend: node.zone.backendName, server: node.serverName, state: node.runtimeState))
        case .endpointUpdated(let endpoint, let nodeProtocol):
            guard var node = index.map({ nodes[$0] }) ?? refusedNodes[event.nodeId] else { return }
            node.rawEndpoint = endpoint
            node.nodeProtocol = nodeProtocol
            if let index {
                nodes.remove(at: index)
                outcome.membershipChanged = true
            }
            load(node, into: &outcome)
        case .deregistered:
            refusedNodes[event.nodeId] = nil
            guard let index else { return }
            nodes.remove(at: index)
            outcome.membershipChanged = true
        }
    }

    /// Nodes per zone label, for `/status`.
    public var countsByZone: [(String, Int)] {
        zones.map { zone in (zone.label, nodes.filter { $0.zone == zone }.count) }
    }

    static func refusal(_ endpoint: String) -> String? {
        do {
            _ = try Endpoint(validating: endpoint)
            return nil
        } catch {
            return error.description
        }
    }
}
