import SankofaJSON
/// What a method handler may use beyond its parameters: the connection it was called on, for subscriptions.
public struct RPCCallContext: Sendable {
    /// Pushes `eth_subscription` notifications to the caller's connection (WebSocket only; nil over HTTP).
    public let notifier: (any RPCNotifier)?
    /// The methods the caller may use when authentication is on (`nil`: no check). A refused call answers
    /// `-40100 Unauthorized`, as Besu does.
    public let permissions: RPCPermissions?
    /// Who is calling (the remote IP address), for the per-client limits of `RPCLimits`.
    public let client: String
    /// The request's response budget and heavy-call turn; the dispatcher sets it for every request it handles.
    public internal(set) var budget: RPCRequestBudget?

    public init(notifier: (any RPCNotifier)?, permissions: RPCPermissions? = nil, client: String = "local") {
        self.notifier = notifier
        self.permissions = permissions
        self.client = client
    }
}

/// A connection that can receive server-initiated messages (subscription notifications).
public protocol RPCNotifier: AnyObject, Sendable {
    /// Sends one JSON message; false once the connection has closed.
    func send(_ message: JSON) async -> Bool
    /// Runs when the connection closes (subscriptions are cleaned up then).
    func onClose(_ action: @escaping @Sendable () -> Void)
    /// Identifies the request being handled now, so a subscription can wait for its reply to go out first.
    func replyTicket() -> UInt64
    /// Returns once the reply to the request with `ticket` has been written.
    func waitForReply(_ ticket: UInt64) async
}

extension RPCNotifier {
    public func replyTicket() -> UInt64 { 0 }
    public func waitForReply(_ ticket: UInt64) async {}
}

public typealias RPCHandler = @Sendable (RPCParams, RPCCallContext) async throws -> JSON
/// A handler that answers from what is already in memory, without suspending (`eth_blockNumber`, `eth_chainId`):
/// the transports answer such a call where its request was read, without starting a task for it.
public typealias RPCImmediateHandler = @Sendable (RPCParams, RPCCallContext) throws -> JSON

/// Every method the node serves, by wire name, each tagged with its namespace. Namespaces register their wire
/// names once and visibly; HTTP and WebSocket share the table and enable namespaces per endpoint.
public struct RPCMethodTable: Sendable {
    struct Entry: Sendable {
        let namespace: String
        let handler: RPCHandler
        /// The same handler, when it never suspends.
        var immediate: RPCImmediateHandler? = nil
    }

    private(set) var entries: [String: Entry] = [:]

    public init() {}

    /// Adds a namespace's methods; the namespace is the method name's prefix before `_` (`eth`, `net`, …).
    public mutating func register(_ methods: [(String, RPCHandler)]) {
        for (name, handler) in methods { add(name, Entry(namespace: Self.namespace(of: name), handler: handler)) }
    }

    /// Adds methods whose handlers never suspend.
    public mutating func register(immediate methods: [(String, RPCImmediateHandler)]) {
        for (name, handler) in methods {
            add(name, Entry(namespace: Self.namespace(of: name), handler: { try handler($0, $1) }, immediate: handler))
        }
    }

    private mutating func add(_ name: String, _ entry: Entry) {
        precondition(entries[name] == nil, "RPC method \(name) registered twice")
        entries[name] = entry
    }

    private static func namespace(of name: String) -> String {
        name.split(separator: "_", maxSplits: 1).first.map(String.init)?.uppercased() ?? ""
    }

    public var methodNames: [String] { entries.keys.sorted() }
}
