import SankofaJSON
/// Turns a request body into a response body: parse, validate JSON-RPC 2.0, batch, dispatch, serialise.
/// The same dispatcher serves HTTP (one body per request) and WebSocket (one body per message).
public struct RPCDispatcher: Sendable {
    public let table: RPCMethodTable
    /// Upper-case namespaces this endpoint serves (`--rpc-http-api` / `--rpc-ws-api`).
    public let enabledNamespaces: Set<String>
    /// Batch size, response size and heavy-call limits.
    public let requestLimits: RPCLimits
    /// Heavy-call turns; the node gives HTTP and WebSocket one gate, so the limit holds across both.
    public let heavyCalls: HeavyCallGate
    public let limits: JSONLimits
    public var maxBatchSize: Int { requestLimits.maxBatchSize }

    public init(table: RPCMethodTable, enabledNamespaces: Set<String>, requestLimits: RPCLimits = RPCLimits(),
                heavyCalls: HeavyCallGate? = nil, limits: JSONLimits = JSONLimits()) {
        self.table = table
        self.enabledNamespaces = enabledNamespaces
        self.requestLimits = requestLimits
        self.heavyCalls = heavyCalls ?? HeavyCallGate(limits: requestLimits)
        self.limits = limits
    }

    /// The response body, or nil when the body held only notifications (calls without an id).
    public func handle(_ body: [UInt8], context: RPCCallContext = RPCCallContext(notifier: nil)) async -> [UInt8]? {
        await handle(read(body), context: context)
    }

    /// Bodies up to this are parsed where they arrive; larger ones with the heavy calls.
    static let cheapBodyBytes = 16 * 1024

    /// A body as the dispatcher takes it, parsed once where it arrived when it is small (`RPCRequestBody`).
    public func read(_ body: [UInt8]) -> RPCRequestBody {
        guard body.count <= Self.cheapBodyBytes else { return .large(body) }
        return body.withUnsafeBytes { read($0) }
    }

    /// The same for bytes in a transport's buffer, read in place when small (copied only to be kept when large).
    public func read(_ body: UnsafeRawBufferPointer) -> RPCRequestBody {
        guard body.count <= Self.cheapBodyBytes else { return .large(Array(body)) }
        do { return .parsed(try parse(body)) } catch { return .malformed(error) }
    }

    /// A body as JSON; what is not JSON (or exceeds the parse limits) is `-32700`.
    func parse(_ body: UnsafeRawBufferPointer) throws(RPCError) -> JSON {
        do { return try JSONParser.parse(body, limits: limits) } catch { throw .parseError(error.description) }
    }

    func parse(_ body: [UInt8]) throws(RPCError) -> JSON {
        try body.withUnsafeBytes { raw in Result { () throws(RPCError) in try parse(raw) } }.get()
    }

    /// The response body to a body already read, or nil when it held only notifications.
    public func handle(_ body: RPCRequestBody, context: RPCCallContext) async -> [UInt8]? {
        switch body {
        case .malformed(let error):
            return JSONWriter.encode(Self.response(id: .null, error: error))
        case .parsed(let parsed):
            return await dispatch(parsed, large: false, context: context)
        case .large(let bytes):
            return await withTaskExecutorPreference(HeavyCallExecutor.shared) { await answerLarge(bytes, context: context).reply }
        }
    }

    /// `handle`, and whether one of the calls names a method the caller's token does not allow (HTTP answers 401
    /// then, as Besu does), decided from the same parse: a large body is parsed once, off the event loop.
    public func handleCheckingPermissions(_ body: RPCRequestBody, context: RPCCallContext) async -> (reply: [UInt8]?, refused: Bool) {
        switch body {
        case .parsed(let parsed):
            return (await handle(body, context: context), refusesAny(parsed, context: context))
        case .malformed:
            return (await handle(body, context: context), false)
        case .large(let bytes):
            return await withTaskExecutorPreference(HeavyCallExecutor.shared) { () async -> ([UInt8]?, Bool) in
                let (reply, parsed) = await answerLarge(bytes, context: context)
                return (reply, parsed.map { refusesAny($0, context: context) } ?? false)
            }
        }
    }

    /// A body too large to be cheap, parsed (and answered, when it holds heavy calls) where the caller runs it: on
    /// the heavy calls' lower-priority threads. Its answer, and what it parsed to (nil if it did not).
    private func answerLarge(_ bytes: [UInt8], context: RPCCallContext) async -> (reply: [UInt8]?, parsed: JSON?) {
        let parsed: JSON
        do throws(RPCError) { parsed = try parse(bytes) } catch { return (JSONWriter.encode(Self.response(id: .null, error: error)), nil) }
        return (await dispatch(parsed, large: true, context: context), parsed)
    }

    /// Answers a parsed body where its calls belong: requests with heavy calls on the heavy calls' threads.
    func dispatch(_ parsed: JSON, large: Bool, context: RPCCallContext) async -> [UInt8]? {
        let calls = parsed.arrayValue ?? [parsed]
        if calls.contains(where: { RPCLimits.isHeavy($0["method"]?.stringValue ?? "", $0["params"]?.arrayValue ?? []) }) {
            return await withTaskExecutorPreference(HeavyCallExecutor.shared) { await answer(parsed, context: context) }
        }
        guard !large else {
            // A large batch of light calls (a load generator's `eth_sendRawTransaction` batches) is not a heavy call:
            // it runs on the shared pool at normal priority rather than on the one low-priority heavy thread (which
            // capped a node's transaction intake) or on an event loop (which it would hold for milliseconds).
            return await withTaskExecutorPreference(globalConcurrentExecutor) { await answer(parsed, context: context) }
        }
        return await answer(parsed, context: context)
    }

    /// The encoded answer to a parsed body.
    func answer(_ parsed: JSON, context: RPCCallContext) async -> [UInt8]? {
        let budget = RPCRequestBudget(limit: requestLimits.maxResponseBytes)
        defer { budget.finish() }
        var context = context
        context.budget = budget
        guard let calls = parsed.arrayValue else { return await handleOne(parsed, context: context).map(JSONWriter.encode) }
        guard !calls.isEmpty else { return JSONWriter.encode(Self.response(id: .null, error: .invalidRequest("empty batch"))) }
        guard calls.count <= maxBatchSize else {
            return JSONWriter.encode(Self.response(id: .null, error: .batchTooLarge(maxBatchSize)))
        }
        // Answers are encoded one by one and counted, so a batch stops working once its answer is as large as a
        // request's may be (geth's batch response limit): the remaining calls answer -32005 without running.
        var out: [UInt8] = [UInt8(ascii: "[")]
        var answered = false
        for call in calls {
            let response: JSON?
            if budget.isSpent {
                response = call["id"].map { Self.response(id: $0, error: RPCRequestBudget.exceeded(budget.limit)) }
            } else {
                response = await handleOne(call, context: context)
            }
            guard let response else { continue }
            let bytes = JSONWriter.encode(response)
            budget.charge(bytes.count)
            if answered { out.append(UInt8(ascii: ",")) }
            out += bytes
            answered = true
        }
        out.append(UInt8(ascii: "]"))
        return answered ? out : nil
    }

    /// Whether any call in `parsed` names a method the context's permissions refuse (HTTP answers those with 401).
    public func refusesAny(_ parsed: JSON, context: RPCCallContext) -> Bool {
        guard let permissions = context.permissions else { return false }
        let calls = parsed.arrayValue ?? [parsed]
        return calls.contains { call in call["method"]?.stringValue.map { !permissions.allows($0) } ?? false }
    }

    /// What a call comes to before any handler runs: an answer already (an invalid call; an unknown, disabled or
    /// refused method) or a method to run. Both the task path and the immediate path start here.
    enum CallPlan {
        /// nil for a notification, which gets no answer.
        case answered(JSON?)
        case run(RPCMethodTable.Entry, RPCParams, replyID: JSON, isNotification: Bool)
    }

    func plan(_ call: JSON, context: RPCCallContext) -> CallPlan {
        guard let object = call.objectValue else { return .answered(Self.response(id: .null, error: .invalidRequest("a call must be an object"))) }
        let id = object["id"]
        // A call without an id is a notification: it runs, but nothing is sent back, not even an error.
        let isNotification: Bool
        if case .none = id { isNotification = true } else { isNotification = false }
        if let id, !(id.isNull || id.stringValue != nil || Self.isNumber(id)) {
            return .answered(Self.response(id: .null, error: .invalidRequest("id must be a string, number or null")))
        }
        let replyID = id ?? .null
        // Not a valid call, so not a notification either: answered even without an id.
        guard object["jsonrpc"]?.stringValue == "2.0" else {
            return .answered(Self.response(id: replyID, error: .invalidRequest("jsonrpc must be \"2.0\"")))
        }
        guard let method = object["method"]?.stringValue else {
            return .answered(Self.response(id: replyID, error: .invalidRequest("method must be a string")))
        }
        func answer(_ error: RPCError) -> CallPlan { .answered(isNotification ? nil : Self.response(id: replyID, error: error)) }
        let params: [JSON]
        switch object["params"] {
        case nil, .null?: params = []
        case .array(let values)?: params = values
        default: return answer(.invalidParams("params must be an array"))
        }
        if let permissions = context.permissions, !permissions.allows(method) { return answer(.unauthorized) }
        guard let entry = table.entries[method] else { return answer(.methodNotFound(method)) }
        guard enabledNamespaces.contains(entry.namespace) else { return answer(.namespaceDisabled(method)) }
        return .run(entry, RPCParams(params, method: method), replyID: replyID, isNotification: isNotification)
    }

    /// One call; nil for a notification.
    func handleOne(_ call: JSON, context: RPCCallContext) async -> JSON? {
        switch plan(call, context: context) {
        case .answered(let response):
            return response
        case .run(let entry, let params, let replyID, let isNotification):
            let outcome: JSON
            do {
                if RPCLimits.isHeavy(params.method, params.values) { try await context.budget?.takeTurn(heavyCalls, client: context.client) }
                outcome = Self.response(id: replyID, result: try await entry.handler(params, context))
            } catch {
                outcome = Self.response(id: replyID, error: Self.rpcError(error))
            }
            return isNotification ? nil : outcome
        }
    }

    /// The answer to `body` when it needs no suspension: a body that is not JSON, or a single call that is invalid
    /// or names an immediate method. nil when `handle` must answer it (large bodies, batches, notifications, every
    /// other method).
    public func immediateAnswer(_ body: RPCRequestBody, context: RPCCallContext) -> [UInt8]? {
        let call: JSON
        switch body {
        case .malformed(let error): return JSONWriter.encode(Self.response(id: .null, error: error))
        case .large: return nil
        case .parsed(let json): call = json
        }
        guard call.arrayValue == nil else { return nil }
        switch plan(call, context: context) {
        case .answered(let response):
            return response.map(JSONWriter.encode)
        case .run(let entry, let params, let replyID, let isNotification):
            guard let immediate = entry.immediate, !isNotification else { return nil }
            do {
                return JSONWriter.encode(Self.response(id: replyID, result: try immediate(params, context)))
            } catch {
                return JSONWriter.encode(Self.response(id: replyID, error: Self.rpcError(error)))
            }
        }
    }

    static func rpcError(_ error: any Error) -> RPCError {
        error as? RPCError ?? RPCErrorMapping.map(error)
    }

    static func isNumber(_ value: JSON) -> Bool {
        if case .number = value { return true }
        return false
    }

    static func response(id: JSON, result: JSON) -> JSON {
        .object(JSONObject([("jsonrpc", "2.0"), ("id", id), ("result", result)]))
    }

    static func response(id: JSON, error: RPCError) -> JSON {
        var fields: [(String, JSON)] = [("code", .number(JSONNumber(error.code))), ("message", .string(error.message))]
        if let data = error.data { fields.append(("data", data)) }
        return .object(JSONObject([("jsonrpc", "2.0"), ("id", id), ("error", .object(JSONObject(fields)))]))
    }
}

/// Maps errors from lower layers onto JSON-RPC errors the way geth reports them.
public enum RPCErrorMapping {
    /// Registered by the node for its layers' error types; anything else is an internal error.
    public static func map(_ error: any Error) -> RPCError {
        if let described = error as? any RPCErrorConvertible { return described.rpcError }
        return .internalError(String(describing: error))
    }
}

/// An error that knows its JSON-RPC form.
public protocol RPCErrorConvertible: Error {
    var rpcError: RPCError { get }
}

/// A request body, read once (`RPCDispatcher.read`): a small one parsed where it arrived, so the immediate answer,
/// the permission check and the answer share one parse; a large one kept as bytes, parsed off the event loop.
public enum RPCRequestBody: Sendable {
    case parsed(JSON)
    /// Not JSON, or over the parse limits: answered `-32700`.
    case malformed(RPCError)
    /// Over `RPCDispatcher.cheapBodyBytes`.
    case large([UInt8])
}
