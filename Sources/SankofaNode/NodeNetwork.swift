import Logging
import NIOCore
import SankofaCrypto
import SankofaP2P
import SankofaPrimitives
import SankofaRPC

/// The node's P2P side: the RLPx host, the peer manager that keeps it connected, the node allow-list and the
/// bootnodes. `P2PService` runs it; RPC reads it as a `PeerAdmin`.
final class NodeNetwork: Sendable {
    let host: P2PHost
    let manager: PeerManager
    let nodesAllowlist: NodesAllowlist?
    let bootnodes: [Enode]

    /// Checks the flags (bootnode URLs, the allow-list file) so a bad one stops the node before it starts.
    /// `protocols` are the sub-protocols the node runs (`eth/68`, and `istanbul/100` on a QBFT chain); `onMessage`
    /// gets their messages from every peer and `onPeer` every session start and end, on NIO event loops; neither
    /// may wait.
    init(config: NodeConfig, key: PrivateKey, logger: Logger, protocols: [any SubProtocol] = [],
         onMessage: @escaping @Sendable (Peer, SubProtocolMessage) -> Void = { _, _ in },
         onPeer: @escaping @Sendable (PeerChange) -> Void = { _ in }) throws {
        nodesAllowlist = try config.nodesAllowlistPath.map { path throws(ConfigError) in try NodesAllowlist(path: path) }
        var bootnodes: [Enode] = []
        for text in config.bootnodes {
            do { bootnodes.append(try Enode(text)) } catch { throw ConfigError("--bootnodes: \(error.description)") }
        }
        self.bootnodes = bootnodes
        var peerConfig = PeerManagerConfiguration()
        peerConfig.maxPeers = config.maxPeers
        manager = PeerManager(configuration: peerConfig, logger: logger)
        let allowlist = nodesAllowlist
        var permits: (@Sendable (PublicKey) -> Bool)?
        if let allowlist { permits = { key in allowlist.permits(key) } }
        let hostConfig = P2PHost.Configuration(nodeKey: key, protocols: protocols, host: config.p2pHost, port: Int(config.p2pPort),
                                               permits: permits, manager: manager)
        host = P2PHost(configuration: hostConfig, logger: logger, onMessage: onMessage, onPeer: onPeer)
        if let allowlist {
            for enode in bootnodes where !allowlist.permits(enode.publicKey) {
                logger.warning("bootnode \(enode) is not on the nodes allowlist: it will be refused")
            }
        }
    }
}

extension NodeNetwork: PeerAdmin {
    var isListening: Bool { host.enode != nil }
    var peerCount: Int { host.peers.count }

    func peers() async -> [PeerSummary] {
        host.peers.sorted { $0.remoteKey.rawBytes.lexicographicallyPrecedes($1.remoteKey.rawBytes) }.map { peer in
            let remote = peer.channel.remoteAddress
            let hello = peer.info.hello
            // The enode a peer can be dialled at: its IP and the port its Hello says it listens on.
            let port = Int(exactly: hello.listenPort).flatMap { (1...65535).contains($0) ? $0 : nil } ?? remote?.port ?? 0
            let enode = Enode(publicKey: peer.remoteKey, host: remote?.ipAddress ?? "", tcpPort: port)
            return PeerSummary(
                id: Hex.encode(peer.remoteKey.rawBytes), enode: enode.description, name: hello.clientId,
                capabilities: peer.info.shared.entries.map(\.capability.description),
                localAddress: Self.address(peer.channel.localAddress), remoteAddress: Self.address(remote),
                inbound: peer.isInbound)
        }
    }

    func addPeer(_ text: String) async throws -> Bool {
        let enode = try Self.enode(text)
        guard host.configuration.isPermitted(enode.publicKey) else {
            throw RPCError.server("Cannot add a peer that is not on the nodes allowlist")
        }
        manager.add(enode, kind: .static)
        return true
    }

    func removePeer(_ text: String) async throws -> Bool {
        let enode = try Self.enode(text)
        manager.remove(enode.publicKey)
        await host.disconnect(enode.publicKey, reason: .requested)
        return true
    }

    func nodeInfo() async -> P2PNodeInfo? {
        guard let enode = host.enode else { return nil }
        return P2PNodeInfo(enode: enode.description, id: Hex.encode(enode.publicKey.rawBytes, prefix: false), ip: enode.host,
                           listeningPort: enode.tcpPort, discoveryPort: enode.discoveryPort ?? enode.tcpPort,
                           protocols: host.configuration.protocols.map(\.capability.description))
    }

    private static func enode(_ text: String) throws(RPCError) -> Enode {
        do { return try Enode(text) } catch { throw RPCError.invalidParams("invalid enode: \(error.description)") }
    }

    private static func address(_ address: SocketAddress?) -> String {
        guard let address, let ip = address.ipAddress, let port = address.port else { return "" }
        return ip.contains(":") ? "[\(ip)]:\(port)" : "\(ip):\(port)"
    }
}
