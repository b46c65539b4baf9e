/// A listening socket could not be opened; says which endpoint and what to change.
public struct ListenError: Error, CustomStringConvertible {
    public let endpoint: String
    public let host: String
    public let port: Int
    public let reason: String

    public init(endpoint: String, host: String, port: Int, cause: any Error) {
        self.endpoint = endpoint
        self.host = host
        self.port = port
        let text = String(describing: cause)
        reason = text.contains("errno: 98") || text.contains("Address already in use") ? "the port is already in use"
            : text.contains("errno: 13") ? "permission denied" : text
    }

    public var description: String {
        "cannot listen for \(endpoint) on \(host):\(port): \(reason) (choose another port with its --…-port flag)"
    }
}
