import NIOConcurrencyHelpers
import NIOCore
import SankofaJSON

/// The bounds on the work one JSON-RPC request, batch or client may cause, shared by HTTP and WebSocket (issue 18).
/// Each has one flag; the README lists them with their defaults. Transport limits (connections, timeouts, frame
/// and buffer sizes) live with their transport's settings.
public struct RPCLimits: Sendable, Equatable {
    /// Besu's `--rpc-http-max-batch-size` (1,024): calls one batch may hold.
    public var maxBatchSize = 1_024
    /// Besu's `--rpc-max-logs-range` (Sankofa's default 10,000; Besu's 5,000): blocks one `eth_getLogs`,
    /// `eth_getFilterLogs` or log-filter poll may scan.
    public var maxLogsRange: UInt64 = 10_000
    /// `--rpc-max-response-size` (geth's `--rpc.batch-response-max-size`, 25,000,000 bytes): the response bytes one
    /// request may produce. Once a batch's answers pass it, its remaining calls are not run and answer `-32005`;
    /// `eth_getProof` charges its proof nodes against it before they are encoded (EIP-1186 proofs grow with the
    /// keys asked for: one 5 MiB batch of them once answered 416 MB).
    public var maxResponseBytes = 25_000_000
    /// `--rpc-max-active-heavy-requests`: requests running heavy calls (`RPCLimits.isHeavy`) at once across all
    /// clients; more wait their turn. They run on `HeavyCallExecutor`'s lower-priority threads; the default leaves
    /// a core for light calls and the event loops (one per core measured victim p99 ×2.1 instead of ×1.3 beside a
    /// flood, for 1.5× the `eth_call` rate: see the README).
    public var maxActiveHeavyRequests = max(1, System.coreCount - 1)
    /// `--rpc-max-heavy-requests-per-address`: heavy requests one remote address may have running or waiting;
    /// beyond that they answer `-32005` at once, so one client's flood cannot fill the queue for everyone.
    /// (Each connection already runs one request at a time: HTTP answers in order, WebSocket one message at a time.)
    public var maxHeavyRequestsPerAddress = 64

    public init() {}

    /// Calls whose cost grows with chain data or the caller's input rather than staying constant: log scans,
    /// proofs, simulated calls, whole blocks with their transactions, a block's receipts, the whole pool's content.
    public static func isHeavy(_ method: String, _ params: [JSON]) -> Bool {
        switch method {
        case "eth_getLogs", "eth_getFilterLogs", "eth_getProof", "eth_call", "eth_estimateGas", "eth_getBlockReceipts",
             "eth_feeHistory", "txpool_content":
            return true
        case "eth_getBlockByNumber", "eth_getBlockByHash":
            return params.count > 1 && params[1].boolValue == true
        default:
            return false
        }
    }
}

extension RPCError {
    /// EIP-1474's "limit exceeded" (`-32005`), which Besu answers when a request passes one of its limits.
    public static func limitExceeded(_ detail: String) -> RPCError { RPCError(code: -32005, message: "limit exceeded: \(detail)") }
}

/// What one request (a single call or a whole batch) has used so far: the response bytes charged against
/// `RPCLimits.maxResponseBytes`, and the heavy-call turn it holds. Created by the dispatcher per request and
/// released when its answer is ready. `@unchecked Sendable`: every field is read and written under `lock`.
public final class RPCRequestBudget: @unchecked Sendable {
    private let lock = NIOLock()
    private var used = 0
    private var turn: HeavyCallGate.Turn?
    let limit: Int

    init(limit: Int) { self.limit = limit }

    /// Whether the request has already produced as much as it may.
    var isSpent: Bool { lock.withLock { used > limit } }

    /// Records `bytes` of answer (the dispatcher does, for every encoded response).
    func charge(_ bytes: Int) { lock.withLock { used += bytes } }

    /// Throws if `bytes` more would take the request past its limit: a handler calls it before encoding work whose
    /// size it knows (proof nodes), so an oversized answer is refused before it is built.
    public func check(adding bytes: Int) throws(RPCError) {
        guard lock.withLock({ used + bytes <= limit }) else { throw Self.exceeded(limit) }
    }

    static func exceeded(_ limit: Int) -> RPCError {
        .limitExceeded("response exceeds \(limit) bytes (--rpc-max-response-size); ask for less per request")
    }

    /// Takes a heavy-call turn once per request; later heavy calls of the same batch reuse it.
    func takeTurn(_ gate: HeavyCallGate, client: String) async throws(RPCError) {
        guard lock.withLock({ turn == nil }) else { return }
        let granted = try await gate.enter(client: client)
        lock.withLock { turn = granted }
    }

    /// Gives back the heavy-call turn, if the request took one.
    func finish() {
        if let held = lock.withLock({ () -> HeavyCallGate.Turn? in defer { turn = nil }; return turn }) { held.leave() }
    }
}

/// Limits the requests running heavy calls at once (a FIFO of waiters beyond `maxActive`) and the heavy requests
/// one remote address may have running or waiting, so a client flooding `eth_getLogs` or `eth_getProof` takes turns
/// with everyone else and leaves CPU for light calls such as `eth_blockNumber`. `@unchecked Sendable`: every field is
/// read and written under `lock`.
public final class HeavyCallGate: @unchecked Sendable {
    private let lock = NIOLock()
    private var active = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []
    private var perClient: [String: Int] = [:]
    let maxActive: Int
    let maxPerClient: Int

    public init(limits: RPCLimits) {
        maxActive = max(1, limits.maxActiveHeavyRequests)
        maxPerClient = max(1, limits.maxHeavyRequestsPerAddress)
    }

    /// A granted turn; `leave()` hands it to the next waiter.
    final class Turn: Sendable {
        let gate: HeavyCallGate
        let client: String
        init(gate: HeavyCallGate, client: String) {
            self.gate = gate
            self.client = client
        }
        func leave() { gate.leave(client: client) }
    }

    func enter(client: String) async throws(RPCError) -> Turn {
        enum Admission { case now, wait, refused }
        let admission = lock.withLock { () -> Admission in
            guard perClient[client, default: 0] < maxPerClient else { return .refused }
            perClient[client, default: 0] += 1
            if active < maxActive {
                active += 1
                return .now
            }
            return .wait
        }
        switch admission {
        case .refused:
            throw .limitExceeded("at most \(maxPerClient) heavy requests per client at once (--rpc-max-heavy-requests-per-address); retry later")
        case .wait:
            // `leave` hands its slot straight to the first waiter, so `active` already counts this request.
            await withCheckedContinuation { continuation in
                let now = lock.withLock { () -> Bool in
                    if active < maxActive {
                        active += 1
                        return true
                    }
                    waiting.append(continuation)
                    return false
                }
                if now { continuation.resume() }
            }
        case .now:
            break
        }
        return Turn(gate: self, client: client)
    }

    func leave(client: String) {
        let next = lock.withLock { () -> CheckedContinuation<Void, Never>? in
            let left = perClient[client, default: 1] - 1
            perClient[client] = left > 0 ? left : nil
            if waiting.isEmpty {
                active -= 1
                return nil
            }
            return waiting.removeFirst()
        }
        next?.resume()
    }

    /// Requests holding a turn and requests waiting for one (for tests and metrics).
    public var load: (active: Int, waiting: Int) { lock.withLock { (active, waiting.count) } }
}
