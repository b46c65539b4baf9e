import SankofaCrypto
import SankofaPrimitives

/// Why an enode URL was refused.
public enum EnodeError: Error, Equatable, Sendable, CustomStringConvertible {
    case notEnode
    case invalidNodeID(String)
    case missingHost
    case invalidPort(String)

    public var description: String {
        switch self {
        case .notEnode: "not an enode URL: expected enode://<128 hex digits>@host:port"
        case .invalidNodeID(let detail): "invalid enode node id: \(detail)"
        case .missingHost: "enode URL has no host"
        case .invalidPort(let text): "invalid enode port '\(text)': expected 1-65535"
        }
    }
}

/// A peer address in the enode URL form (devp2p enode.md, "enode URL scheme"):
/// `enode://<node id: 128 hex digits>@<host>:<tcp port>[?discport=<udp port>]`.
public struct Enode: Hashable, Sendable, CustomStringConvertible {
    /// The node's secp256k1 public key: also what the RLPx handshake must prove.
    public var publicKey: PublicKey
    /// IP address or host name; IPv6 addresses without brackets.
    public var host: String
    public var tcpPort: Int
    /// The discovery (UDP) port when it differs from the TCP port.
    public var discoveryPort: Int?

    public init(publicKey: PublicKey, host: String, tcpPort: Int, discoveryPort: Int? = nil) {
        self.publicKey = publicKey
        self.host = host
        self.tcpPort = tcpPort
        self.discoveryPort = discoveryPort
    }

    /// Parses an enode URL.
    public init(_ text: String) throws(EnodeError) {
        guard text.hasPrefix("enode://"), let at = text.firstIndex(of: "@") else { throw .notEnode }
        let idText = text[text.index(text.startIndex, offsetBy: 8)..<at]
        guard idText.count == 128 else { throw .invalidNodeID("\(idText.count) hex digits, expected 128") }
        guard let id = try? Hex.decode(idText, count: 64) else { throw .invalidNodeID("not hex") }
        guard let key = try? PublicKey(bytes: id) else { throw .invalidNodeID("not a secp256k1 public key") }
        publicKey = key
        var rest = text[text.index(after: at)...]
        var query: Substring = ""
        if let mark = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: mark)...]
            rest = rest[..<mark]
        }
        let hostPart: Substring
        let portPart: Substring
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { throw .missingHost }
            hostPart = rest[rest.index(after: rest.startIndex)..<close]
            let afterClose = rest[rest.index(after: close)...]
            guard afterClose.hasPrefix(":") else { throw .invalidPort(String(afterClose)) }
            portPart = afterClose.dropFirst()
        } else {
            guard let colon = rest.lastIndex(of: ":") else { throw .invalidPort("") }
            hostPart = rest[..<colon]
            portPart = rest[rest.index(after: colon)...]
        }
        guard !hostPart.isEmpty else { throw .missingHost }
        host = String(hostPart)
        tcpPort = try Self.port(portPart)
        discoveryPort = nil
        for parameter in query.split(separator: "&") where parameter.hasPrefix("discport=") {
            discoveryPort = try Self.port(parameter.dropFirst("discport=".count))
        }
    }

    private static func port(_ text: Substring) throws(EnodeError) -> Int {
        guard let value = Int(text), (1...65535).contains(value) else { throw .invalidPort(String(text)) }
        return value
    }

    /// The URL form; IPv6 hosts are bracketed.
    public var description: String {
        let hostText = host.contains(":") ? "[\(host)]" : host
        var url = "enode://\(Hex.encode(publicKey.rawBytes, prefix: false))@\(hostText):\(tcpPort)"
        if let discoveryPort, discoveryPort != tcpPort { url += "?discport=\(discoveryPort)" }
        return url
    }
}
