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
                let backend = self.backend
                let task = Task {
                    await Self.pump(kind: kind, filter: filter, id: id, backend: backend, notifier: notifier)
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

    static func pump(kind: String, filter: LogFilter?, id: String, backend: RPCBackend, notifier: any RPCNotifier) async {
        switch kind {
        case "newPendingTransactions":
            for await hash in await backend.pool.pendingHashes() {
                guard await notifier.send(notification(id, .hash(hash))) else { return }
            }
        case "syncing":
            _ = await notifier.send(notification(id, .bool(false)))
        default:
            for await update in await backend.chain.updates() {
                if kind == "newHeads" {
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
