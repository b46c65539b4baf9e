import SankofaJSON

/// `admin_`: this node's P2P identity and its peers, in Besu's shapes (geth's are close: same keys, `id` differs).
public struct AdminNamespace: Sendable {
    let backend: RPCBackend

    public init(backend: RPCBackend) { self.backend = backend }

    public var methods: [(String, RPCHandler)] {
        [
            ("admin_nodeInfo", { _, _ in
                guard let info = await backend.peers.nodeInfo() else {
                    return .object(JSONObject([
                        ("enode", .string(backend.node.enode)), ("name", .string(backend.node.clientVersion)),
                        ("protocols", .object(JSONObject([]))),
                    ]))
                }
                return .object(JSONObject([
                    ("enode", .string(info.enode)),
                    ("id", .string(info.id)),
                    ("ip", .string(info.ip)),
                    ("listenAddr", .string("\(info.ip):\(info.listeningPort)")),
                    ("name", .string(backend.node.clientVersion)),
                    ("ports", .object(JSONObject([("discovery", .number(JSONNumber(info.discoveryPort))),
                                                  ("listener", .number(JSONNumber(info.listeningPort)))]))),
                    ("protocols", .object(JSONObject(info.protocols.map { ($0, .object(JSONObject([]))) }))),
                ]))
            }),
            ("admin_peers", { _, _ in
                .array(await backend.peers.peers().map { peer in
                    .object(JSONObject([
                        ("version", .string("0x5")),
                        ("name", .string(peer.name)),
                        ("caps", .array(peer.capabilities.map { .string($0) })),
                        ("network", .object(JSONObject([
                            ("localAddress", .string(peer.localAddress)), ("remoteAddress", .string(peer.remoteAddress)),
                            ("inbound", .bool(peer.inbound)),
                        ]))),
                        ("id", .string(peer.id)),
                        ("enode", .string(peer.enode)),
                    ]))
                })
            }),
            ("admin_addPeer", { params, _ in .bool(try await backend.peers.addPeer(try params.string(0))) }),
            ("admin_removePeer", { params, _ in .bool(try await backend.peers.removePeer(try params.string(0))) }),
        ]
    }
}
