import SankofaContracts

/// One NodeRegistry node as lb-watch tracks it: its zone, endpoint as written on chain, protocol and status.
public struct ServiceNode: Sendable, Equatable {
    public let id: [UInt8]
    public var zone: Zone
    /// Exactly what the chain holds; validated into `endpoint` before any rendering.
    public var rawEndpoint: String
    public var nodeProtocol: UInt8
    public var status: UInt8

    public init(id: [UInt8], zone: Zone, rawEndpoint: String, nodeProtocol: UInt8, status: UInt8) {
        self.id = id
        self.zone = zone
        self.rawEndpoint = rawEndpoint
        self.nodeProtocol = nodeProtocol
        self.status = status
    }

    /// The HAProxy server name: `n` and the node id in hex (unique, safe in config and runtime commands).
    public var serverName: String { "n" + id.map { String($0, radix: 16).leftPadded(2) }.joined() }

    /// The runtime API state for the status: active → ready, draining → drain, down (or unknown) → maint.
    public var runtimeState: String {
        switch status {
        case NodeStatus.active.rawValue: "ready"
        case NodeStatus.draining.rawValue: "drain"
        default: "maint"
        }
    }
}

extension String {
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
