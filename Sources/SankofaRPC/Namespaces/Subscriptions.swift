import SankofaChain
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
                let filter: LogFilter? = kind == "logs" ? try LogFilter(params.optional(1)?.objectValue ?? JSONObject([])) : nil
                guard ["newHeads", "logs", "newPendingTransactions", "syncing"].contains(kind) else {
                    throw RPCError.invalidParams("unknown subscription \(kind) (newHeads, logs, newPendingTransactions, syncing)")
                }
                let id = await registry.nextID()
                // Attach to the stream before answering, so nothing that happens after the reply is missed.
                let source: Source = kind == "newPendingTransactions" ? .pending(await backend.pool.pendingHashes())
                    : kind == "syncing" ? .none : .chain(await backend.chain.updates())
                let backend = self.backend
                let task = Task {
                    await Self.pump(source, filter: filter, heads: kind == "newHeads", id: id, backend: backend, notifier: notifier)
                }
                await registry.add(id, task)
                notifier.onClose { Task { await registry.cancel(id) } }
                return .string(id)
            }),
            ("eth_unsubscribe", { params, _ in .bool(await registry.cancel(try params.string(0))) }),
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
            _ = await notifier.send(notification(id, .bool(false)))
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

/// Live subscriptions by id.
public actor SubscriptionRegistry {
    var tasks: [String: Task<Void, Never>] = [:]
    var counter: UInt64 = 0

    public init() {}

    func nextID() -> String {
        counter += 1
        return "0x" + String(counter &* 0x9E37_79B9_7F4A_7C15, radix: 16)
    }

    func add(_ id: String, _ task: Task<Void, Never>) { tasks[id] = task }

    func cancel(_ id: String) -> Bool {
        guard let task = tasks.removeValue(forKey: id) else { return false }
        task.cancel()
        return true
    }
}
