/// Which JSON-RPC methods a caller may use, written as Besu's credentials file and JWT `permissions` claim do:
/// `"*:*"` (everything), `"net:*"` (a whole namespace), `"eth:blockNumber"` (one method, `eth_blockNumber`).
public struct RPCPermissions: Sendable, Equatable {
    /// The entries as written.
    public let entries: [String]

    public init(_ entries: [String]) { self.entries = entries }

    /// Allows nothing: every call answers `-40100 Unauthorized` (a WebSocket session without a valid token).
    public static let nothing = RPCPermissions([])

    /// Whether `method` (`eth_blockNumber`) is allowed. Namespaces compare case-insensitively, method names exactly.
    public func allows(_ method: String) -> Bool {
        let parts = method.split(separator: "_", maxSplits: 1, omittingEmptySubsequences: false)
        let namespace = parts.first.map { $0.lowercased() } ?? ""
        let name = parts.count == 2 ? String(parts[1]) : ""
        for entry in entries {
            let pair = entry.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            guard pair.count == 2 else { continue }
            let (space, call) = (pair[0].lowercased(), String(pair[1]))
            if (space == "*" || space == namespace) && (call == "*" || call == name) { return true }
        }
        return false
    }
}
