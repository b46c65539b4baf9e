import SankofaChain
import SankofaJSON
import SankofaPrimitives

/// `eth_subscribe` / `eth_unsubscribe` over WebSocket: each subscription is a task that pushes
/// `eth_subscription` notifications to its connection until unsubscribed or the connection closes.
public struct SubscriptionNamespace: Sendable {
    let backend: RPCBackend
    let registry: SubscriptionRegistry

    public init(backend: RPCBackend, registry: SubscriptionRegistry = SubscriptionRegistry()) {
        self.backend = backend
        self.registry = registry
    }

    public var methods: [(String, RPCHandler)] {
        [
            ("eth_subscribe", { params, context in
                guard let notifier = context.notifier else {
                    throw RPCError(code: -32601, message: "notifications not supported: subscribe over WebSocket")
                }
                let kind = try params.string(0)
                guard ["newHeads", "logs", "newPendingTransactions", "syncing"].contains(kind) else {
                    throw RPCError.invalidParams("unknown subscription \(kind) (newHeads, logs, newPendingTransactions, syncing)")
                }
                var filter: LogFilter?
                if kind == "logs" {
                    if let refusal = backend.chain.logSubscriptionRefusal { throw RPCError.server(refusal) }
                    let criteria = params.optional(1)
                    guard criteria == nil || criteria?.objectValue != nil else {
                        throw RPCError.invalidParams("logs subscription criteria must be an object")
                    }
                    filter = try LogFilter(criteria?.objectValue ?? JSONObject([]))
                }
                let owner = ObjectIdentifier(notifier)
                let ticket = notifier.replyTicket()
                let id = try await registry.nextID(owner: owner)
                // Attach to the stream before answering, so nothing that happens after the reply is missed.
                let source: Source = kind == "newPendingTransactions" ? .pending(await backend.pool.pendingHashes())
                    : kind == "syncing" ? .none : .chain(await backend.chain.updates())
                let backend = self.backend
                let task = Task {
                    // The client must receive the subscription id before any notification that carries it.
                    await notifier.waitForReply(ticket)
                    await Self.pump(source, filter: filter, heads: kind == "newHeads", id: id, backend: backend, notifier: notifier)
                }
                await registry.add(id, owner: owner, task)
                notifier.onClose { Task { await registry.cancelAll(owner: owner) } }
                return .string(id)
            }),
            ("eth_unsubscribe", { params, context in
                guard let notifier = context.notifier else { return .bool(false) }
                return .bool(await registry.cancel(try params.string(0), owner: ObjectIdentifier(notifier)))
            }),
        ]
    }

    static func notification(_ id: String, _ result: JSON) -> JSON {
        .object(JSONObject([("jsonrpc", "2.0"), ("method", "eth_subscription"),
                            ("params", .object(JSONObject([("subscription", .string(id)), ("result", result)])))]))
    }

    enum Source: Sendable {
        case chain(AsyncStream<ChainUpdate>)
        case pending(AsyncStream<Hash32>)
        case none
    }

    static func pump(_ source: Source, filter: LogFilter?, heads: Bool, id: String, backend: RPCBackend,
                     notifier: any RPCNotifier) async {
        switch source {
        case .pending(let hashes):
            for await hash in hashes {
                guard await notifier.send(notification(id, .hash(hash))) else { return }
            }
        case .none:
            // Never syncing until peer-to-peer sync exists; geth sends nothing until the status changes.
            return
        case .chain(let updates):
            for await update in updates {
                if heads {
                    guard case .object(var header) = RPCShapes.block(update.block, senders: nil, totalDifficulty: nil) else { continue }
                    header = JSONObject(header.filter { $0.0 != "transactions" && $0.0 != "uncles" && $0.0 != "size" })
                    guard await notifier.send(notification(id, .object(header))) else { return }
                } else if let filter {
                    var logs: [JSON] = []
                    for removed in update.removed {
                        if let receipts = try? await backend.chain.receipts(blockHash: removed.hash) {
                            logs += filter.logs(in: removed, receipts: receipts, removed: true)
                        }
                    }
                    logs += filter.logs(in: update.block, receipts: update.receipts)
                    for log in logs { guard await notifier.send(notification(id, log)) else { return } }
                }
            }
        }
    }
}

/// Live subscriptions by id, each owned by the connection that created it.
public actor SubscriptionRegistry {
    struct Entry {
        let owner: ObjectIdentifier
        let task: Task<Void, Never>
    }

    var entries: [String: Entry] = [:]
    /// Ids by owning connection, so the per-connection cap and a connection's close cost what it holds, not what
    /// the node holds.
    var byOwner: [ObjectIdentifier: Set<String>] = [:]
    /// Subscriptions one connection may hold at once.
    public static let maxPerConnection = 1_000
    /// Subscriptions all connections together may hold (issue 18: 20 connections holding 1,000 each slowed
    /// transaction intake 60×); each costs a task and a bounded buffer.
    public let maxTotal: Int

    public init(maxTotal: Int = 5_000) { self.maxTotal = maxTotal }

    /// A random id (unguessable by other clients).
    func nextID(owner: ObjectIdentifier) throws(RPCError) -> String {
        guard entries.count < maxTotal else {
            throw RPCError.server("too many subscriptions on this node (at most \(maxTotal)); unsubscribe or retry later")
        }
        guard byOwner[owner, default: []].count < Self.maxPerConnection else {
            throw RPCError.server("too many subscriptions on this connection (at most \(Self.maxPerConnection))")
        }
        var id: String
        repeat { id = "0x" + String(UInt64.random(in: 1...UInt64.max), radix: 16) + String(UInt64.random(in: 0...UInt64.max), radix: 16) }
        while entries[id] != nil
        return id
    }

    /// Live subscriptions on the node (for tests and metrics).
    public var count: Int { entries.count }

    func add(_ id: String, owner: ObjectIdentifier, _ task: Task<Void, Never>) {
        entries[id] = Entry(owner: owner, task: task)
        byOwner[owner, default: []].insert(id)
    }

    /// Cancels a subscription of `owner`'s; another connection's ids are not found.
    func cancel(_ id: String, owner: ObjectIdentifier) -> Bool {
        guard let entry = entries[id], entry.owner == owner else { return false }
        entries[id] = nil
        byOwner[owner]?.remove(id)
        if byOwner[owner]?.isEmpty == true { byOwner[owner] = nil }
        entry.task.cancel()
        return true
    }

    func cancelAll(owner: ObjectIdentifier) {
        for id in byOwner.removeValue(forKey: owner) ?? [] {
            entries.removeValue(forKey: id)?.task.cancel()
        }
    }
}
