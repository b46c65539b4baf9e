import Foundation
import Logging
import NIOCore
import SankofaJSON
import SankofaPrimitives
import Testing
@testable import SankofaRPC

/// The node's method table over a fake backend, driven through `RPCDispatcher.handle` with real request bytes.
struct RPCHarness {
    static let allNamespaces: Set<String> = ["ETH", "NET", "WEB3", "TXPOOL", "ADMIN", "CLIQUE", "SANKOFA", "PERM"]

    let fake: RPCFakeBackend
    let filters: FilterRegistry
    let subscriptions: SubscriptionRegistry
    let table: RPCMethodTable
    let dispatcher: RPCDispatcher

    init(fake: RPCFakeBackend = RPCFakeBackend(), namespaces: Set<String> = RPCHarness.allNamespaces,
         maxBatchSize: Int? = nil, limits: RPCLimits = RPCLimits(), filterTimeout: TimeInterval = 300,
         maxSubscriptions: Int = 5_000) {
        self.fake = fake
        filters = FilterRegistry(timeout: filterTimeout, maxLogsRange: limits.maxLogsRange)
        subscriptions = SubscriptionRegistry(maxTotal: maxSubscriptions)
        table = Self.table(fake: fake, filters: filters, subscriptions: subscriptions)
        var limits = limits
        if let maxBatchSize { limits.maxBatchSize = maxBatchSize }
        dispatcher = RPCDispatcher(table: table, enabledNamespaces: namespaces, requestLimits: limits)
    }

    /// The node's own registrations over the fake backend.
    static func table(fake: RPCFakeBackend, filters: FilterRegistry = FilterRegistry(),
                      subscriptions: SubscriptionRegistry = SubscriptionRegistry()) -> RPCMethodTable {
        .node(backend: RPCBackend(chain: fake, state: fake, pool: fake, node: fake, consensus: fake,
                                  peers: RPCFakePeers(), permissions: fake.permissions),
              filters: filters, subscriptions: subscriptions)
    }

    /// A raw body in, the raw reply out (nil when the server stays silent).
    func raw(_ body: String, context: RPCCallContext = RPCCallContext(notifier: nil)) async -> String? {
        await dispatcher.handle(Array(body.utf8), context: context).map { String(decoding: $0, as: UTF8.self) }
    }

    /// One call; the whole response object.
    func send(_ method: String, _ params: JSON = [], id: JSON = 1,
              context: RPCCallContext = RPCCallContext(notifier: nil)) async throws -> JSON {
        let request: JSON = ["jsonrpc": "2.0", "id": id, "method": .string(method), "params": params]
        let reply = try #require(await dispatcher.handle(JSONWriter.encode(request), context: context),
                                 "no reply to \(method)")
        return try JSONParser.parse(reply)
    }

    /// The result of a call that must succeed.
    func result(_ method: String, _ params: JSON = [], context: RPCCallContext = RPCCallContext(notifier: nil),
                sourceLocation: SourceLocation = #_sourceLocation) async throws -> JSON {
        let response = try await send(method, params, context: context)
        #expect(response["error"] == nil, "\(method) \(params) failed: \(response)", sourceLocation: sourceLocation)
        return try #require(response["result"], "\(method): no result in \(response)", sourceLocation: sourceLocation)
    }

    /// The error of a call that must fail.
    func error(_ method: String, _ params: JSON = [], context: RPCCallContext = RPCCallContext(notifier: nil),
               sourceLocation: SourceLocation = #_sourceLocation) async throws -> RPCError {
        let response = try await send(method, params, context: context)
        #expect(response["result"] == nil, "\(method) \(params) succeeded: \(response)", sourceLocation: sourceLocation)
        return try Self.decodeError(response, sourceLocation: sourceLocation)
    }

    static func decodeError(_ response: JSON, sourceLocation: SourceLocation = #_sourceLocation) throws -> RPCError {
        let error = try #require(response["error"], "no error in \(response)", sourceLocation: sourceLocation)
        let code = try #require(error["code"]?.intValue, "error without an integer code: \(error)", sourceLocation: sourceLocation)
        let message = try #require(error["message"]?.stringValue, "error without a message: \(error)", sourceLocation: sourceLocation)
        return RPCError(code: code, message: message, data: error["data"])
    }
}

/// JSON spelled the way the wire spells it.
enum RPCJSON {
    static func hex(_ bytes: [UInt8]) -> JSON { .string(Hex.encode(bytes)) }
    static func hash(_ hash: Hash32) -> JSON { .string(hash.hex) }
    static func address(_ address: Address) -> JSON { .string(address.hex) }
    static func qty(_ value: UInt64) -> JSON { .string("0x" + String(value, radix: 16)) }
    /// Parses a JSON text (for expected values written as literals).
    static func parse(_ text: String) -> JSON { try! JSONParser.parse(text) }
}

/// Polls `condition` until it holds or `timeout` passes; true if it held.
func rpcEventually(timeout: Duration = .seconds(5), _ condition: () async -> Bool) async -> Bool {
    let clock = ContinuousClock()
    let deadline = clock.now + timeout
    while clock.now < deadline {
        if await condition() { return true }
        try? await Task.sleep(for: .milliseconds(5))
    }
    return await condition()
}

/// Runs `body` against a real RPC HTTP server on the fake backend, bound to 127.0.0.1:0, then stops it.
func withRPCServer(_ configure: (inout RPCHTTPSettings) -> Void = { _ in }, fake: RPCFakeBackend = RPCFakeBackend(),
                   _ body: (_ port: Int, _ fake: RPCFakeBackend) async throws -> Void) async throws {
    var settings = RPCHTTPSettings()
    settings.host = "127.0.0.1"
    settings.port = 0
    configure(&settings)
    let rpc = RPCHarness(fake: fake)
    let server = RPCHTTPServer(settings: settings, dispatcher: rpc.dispatcher, health: fake,
                               logger: Logger(label: "rpc-http-test"))
    try await serving(bind: { try await server.bind() }, serve: server.serve) { port in try await body(port, fake) }
}

/// Runs `body` against a real WebSocket server (any Host allowed) on `dispatcher`, bound to 127.0.0.1:0, then stops it.
func withWebSocketServer(_ configure: (inout RPCWebSocketSettings) -> Void = { _ in }, dispatcher: RPCDispatcher,
                         _ body: (_ port: Int) async throws -> Void) async throws {
    var settings = RPCWebSocketSettings()
    settings.port = 0
    settings.hostAllowlist = ["*"]
    configure(&settings)
    let server = RPCWebSocketServer(settings: settings, dispatcher: dispatcher, logger: Logger(label: "rpc-ws-test"))
    try await serving(bind: server.bind, serve: server.serve, body)
}

/// Binds, serves in a task while `body` runs with the bound port, then closes the socket and ends the task.
func serving<Inbound: Sendable>(bind: () async throws -> NIOAsyncChannel<Inbound, Never>,
                                serve: @escaping @Sendable (NIOAsyncChannel<Inbound, Never>) async throws -> Void,
                                _ body: (_ port: Int) async throws -> Void) async throws {
    let channel = try await bind()
    let port = try #require(channel.channel.localAddress?.port)
    let task = Task { try await serve(channel) }
    defer {
        task.cancel()
        channel.channel.close(promise: nil)
    }
    try await body(port)
}
