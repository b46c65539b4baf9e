/// `--host-allowlist` (geth's `--http.vhosts`): the Host header values that may call the HTTP and WebSocket
/// endpoints, which keeps DNS-rebinding pages in a browser away from a node on localhost. A Host is compared
/// without its port and ignoring case (RFC 9110 §4.2.3); "*" allows any, a request without a Host header too.
public struct HostAllowlist: Sendable, ExpressibleByArrayLiteral {
    private let allowsAny: Bool
    /// The configured names lower-cased once, so a request costs one lower-casing and one lookup.
    private let lowercased: Set<String>

    public init(_ names: [String]) {
        allowsAny = names.contains("*")
        lowercased = Set(names.map { $0.lowercased() })
    }

    public init(arrayLiteral names: String...) { self.init(names) }

    /// Whether a request carrying this Host header (`name`, `name:port`, `[v6]:port`) may call.
    public func allows(_ host: String?) -> Bool {
        if allowsAny { return true }
        guard let host else { return false }
        // Bytes, not Characters: a Host header is ASCII, and grapheme breaking was most of this check's cost.
        let bytes = host.utf8
        var name = bytes[...]
        if bytes.first == UInt8(ascii: "[") {
            name = name.dropFirst().prefix { $0 != UInt8(ascii: "]") }
        } else if let colon = bytes.lastIndex(of: UInt8(ascii: ":")) {
            name = name[..<colon]
        }
        return lowercased.contains(Substring(name).lowercased())
    }
}
