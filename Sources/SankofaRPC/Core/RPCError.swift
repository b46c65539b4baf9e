import SankofaJSON
/// A JSON-RPC error as Ethereum clients return it: code, message, optional data (geth's codes).
public struct RPCError: Error, Equatable, Sendable, CustomStringConvertible {
    public let code: Int
    public let message: String
    public let data: JSON?

    public init(code: Int, message: String, data: JSON? = nil) {
        self.code = code
        self.message = message
        self.data = data
    }

    public var description: String { "\(code): \(message)" }

    public static func parseError(_ detail: String) -> RPCError { RPCError(code: -32700, message: "parse error: \(detail)") }
    public static func invalidRequest(_ detail: String) -> RPCError { RPCError(code: -32600, message: "invalid request: \(detail)") }
    public static func methodNotFound(_ method: String) -> RPCError {
        RPCError(code: -32601, message: "the method \(method) does not exist/is not available")
    }
    public static func namespaceDisabled(_ method: String) -> RPCError {
        RPCError(code: -32601, message: "the method \(method) does not exist/is not available (its namespace is not enabled on this endpoint)")
    }
    public static func invalidParams(_ detail: String) -> RPCError { RPCError(code: -32602, message: "invalid params: \(detail)") }
    public static func internalError(_ detail: String) -> RPCError { RPCError(code: -32603, message: "internal error: \(detail)") }
    /// geth's generic server error, used for refused transactions ("nonce too low", "already known", …).
    public static func server(_ message: String) -> RPCError { RPCError(code: -32000, message: message) }
    /// A reverted call: code 3, the reason in the message and the ABI revert bytes as data (geth).
    public static func reverted(reason: String?, data: [UInt8]) -> RPCError {
        RPCError(code: 3, message: reason.map { "execution reverted: \($0)" } ?? "execution reverted", data: .data(data))
    }
    /// Besu's answer to a call the caller's token does not permit (or a WebSocket session without a valid token).
    public static let unauthorized = RPCError(code: -40100, message: "Unauthorized")
    public static let requestTooLarge = RPCError(code: -32600, message: "invalid request: request body too large")
    public static func batchTooLarge(_ limit: Int) -> RPCError { RPCError(code: -32600, message: "invalid request: batch exceeds \(limit) calls") }
}
