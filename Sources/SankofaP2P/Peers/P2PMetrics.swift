import Metrics

/// The P2P layer's Prometheus series (swift-metrics; the node installs the Prometheus backend). Labels are
/// closed sets: capability names we negotiated (or `p2p` for the base protocol) and devp2p disconnect reasons.
enum P2PMetrics {
    enum Direction: String { case inbound, outbound }

    /// One message and its frame-payload size (after Snappy), per protocol and direction.
    static func message(_ direction: Direction, protocol name: String, bytes: Int) {
        let key = MessageKey(direction: direction, protocolName: name)
        let dimensions = { [("direction", direction.rawValue), ("protocol", name)] }
        messages.counter(key) { Counter(label: "sankofa_p2p_messages_total", dimensions: dimensions()) }.increment()
        messageBytes.counter(key) { Counter(label: "sankofa_p2p_bytes_total", dimensions: dimensions()) }
            .increment(by: Int64(bytes))
    }

    private struct MessageKey: Hashable {
        var direction: Direction
        var protocolName: String
    }

    private static let messages = CounterCache<MessageKey>()
    private static let messageBytes = CounterCache<MessageKey>()

    /// A session ended with a Disconnect; `initiator` is `local` or `remote`.
    static func disconnect(_ reason: DisconnectReason, byRemote: Bool) {
        Counter(label: "sankofa_p2p_disconnects_total", dimensions: [
            ("reason", reasonLabel(reason)), ("initiator", byRemote ? "remote" : "local"),
        ]).increment()
    }

    static func handshakeFailed() { Counter(label: "sankofa_p2p_handshake_failures_total").increment() }

    static func peers(inbound: Int, outbound: Int) {
        Gauge(label: "sankofa_p2p_peers", dimensions: [("direction", "inbound")]).record(inbound)
        Gauge(label: "sankofa_p2p_peers", dimensions: [("direction", "outbound")]).record(outbound)
    }

    /// Short snake-case names for labels (unknown codes collapse to one label so peers cannot mint series).
    static func reasonLabel(_ reason: DisconnectReason) -> String {
        switch reason {
        case .requested: "requested"
        case .tcpError: "tcp_error"
        case .breachOfProtocol: "breach_of_protocol"
        case .uselessPeer: "useless_peer"
        case .tooManyPeers: "too_many_peers"
        case .alreadyConnected: "already_connected"
        case .incompatibleVersion: "incompatible_version"
        case .invalidIdentity: "invalid_identity"
        case .clientQuitting: "client_quitting"
        case .unexpectedIdentity: "unexpected_identity"
        case .connectedToSelf: "connected_to_self"
        case .pingTimeout: "ping_timeout"
        case .subprotocolError: "subprotocol_error"
        case .other: "other"
        }
    }
}
