import Foundation
import SankofaJSON
import SankofaPrimitives

/// Installed filters (`eth_newFilter` and friends), polled with `eth_getFilterChanges`; a filter not polled for
/// five minutes is removed (geth's timeout).
public actor FilterRegistry {
    enum Kind {
        case logs(LogFilter, next: UInt64)
        case blocks(next: UInt64)
        /// The count of pending hashes the filter has been given (a cursor into `pendingLog`).
        case pending(seen: UInt64)
    }

    struct Installed {
        var kind: Kind
        var lastPoll: Date
    }

    var filters: [UInt256: Installed] = [:]
    /// Installed pending-transaction filters: the pool feed stops with the last one.
    var pendingFilters = 0
    let timeout: TimeInterval
    /// When unpolled filters were last looked for: at most every `expiryInterval` (a second, less for tiny
    /// timeouts), so polls and installs do not each scan up to `maxFilters` filters.
    var lastExpiry = Date.distantPast
    var expiryInterval: TimeInterval { min(1, timeout / 4) }
    /// Pending hashes for every pending filter at once: one pool subscription however many filters are installed,
    /// and per filter only a cursor, so idle filters cost nothing per transaction (issue 18: 10,000 idle filters
    /// had slowed intake 23–51×) and uninstalling frees everything.
    var pendingLog = PendingHashLog(capacity: 65_536)
    var pendingFeed: Task<Void, Never>?
    /// Filters installed at once across all clients.
    public static let maxFilters = 10_000

    /// Blocks one log query may scan (`RPCLimits.maxLogsRange`, `--rpc-max-logs-range`).
    public nonisolated let maxLogsRange: UInt64

    public init(timeout: TimeInterval = 300, maxLogsRange: UInt64 = RPCLimits().maxLogsRange) {
        self.timeout = timeout
        self.maxLogsRange = max(1, maxLogsRange)
    }

    /// A random id, so one client cannot guess and poll (and so advance) another's filter.
    func newID() throws(RPCError) -> UInt256 {
        expire()
        guard filters.count < Self.maxFilters else { throw RPCError.server("too many installed filters; uninstall some or let them expire") }
        var id: UInt256
        repeat { id = UInt256(limbs: (UInt64.random(in: 1...UInt64.max), UInt64.random(in: 0...UInt64.max), 0, 0)) } while filters[id] != nil
        return id
    }

    func install(_ kind: Kind) throws(RPCError) -> JSON {
        let id = try newID()
        filters[id] = Installed(kind: kind, lastPoll: Date())
        if case .pending = kind { pendingFilters += 1 }
        return .quantity(id)
    }

    func newLogFilter(_ filter: LogFilter, backend: RPCBackend) async throws -> JSON {
        // A single-block filter's block is already mined: it has no changes to poll (eth_getFilterLogs reads it).
        if filter.blockHash != nil { return try install(.logs(filter, next: .max)) }
        let head = try backend.chain.headHeader().number
        let start = try await backend.chain.header(filter.fromBlock)?.number ?? head + 1
        return try install(.logs(filter, next: max(start, head + 1)))
    }

    func newBlockFilter(backend: RPCBackend) async throws -> JSON {
        try install(.blocks(next: try backend.chain.headHeader().number + 1))
    }

    func newPendingFilter(backend: RPCBackend) async throws -> JSON {
        if pendingFeed == nil {
            let stream = await backend.pool.pendingHashes()
            if pendingFeed == nil {
                pendingFeed = Task { [weak self] in
                    for await hash in stream { await self?.appendPending(hash) }
                }
            }
        }
        return try install(.pending(seen: pendingLog.total))
    }

    func appendPending(_ hash: Hash32) { pendingLog.append(hash) }

    /// What happened since the last poll. The actor may run other calls while this one awaits the chain, so the
    /// filter is re-read after every suspension and its cursor moved before the results are gathered.
    func changes(_ id: UInt256, backend: RPCBackend) async throws -> JSON {
        expire()
        guard let installed = filters[id] else { throw RPCError.server("filter not found") }
        filters[id]?.lastPoll = Date()
        if case .pending(let seen) = installed.kind {
            // Read and moved without suspending, so hashes appended meanwhile are kept for the next poll.
            let (hashes, total) = pendingLog.since(seen)
            filters[id]?.kind = .pending(seen: total)
            return .array(hashes.map { .hash($0) })
        }
        let head = try backend.chain.headHeader().number
        guard let current = filters[id] else { throw RPCError.server("filter not found") }
        switch current.kind {
        case .blocks(let next):
            filters[id]?.kind = .blocks(next: max(next, head + 1))
            var hashes: [JSON] = []
            if next <= head {
                for number in next...head {
                    if let header = try await backend.chain.header(.number(number)) { hashes.append(.hash(header.hash)) }
                }
            }
            return .array(hashes)
        case .logs(let filter, let next):
            if filter.blockHash != nil { return .array([]) }
            // Up to the filter's own toBlock, and at most one range cap per poll, so a long gap between polls
            // (a replica catching up) is worked through over several polls instead of failing forever.
            var last = head
            if case .number(let limit) = filter.toBlock { last = min(last, limit) }
            last = min(last, next &+ maxLogsRange &- 1)
            filters[id]?.kind = .logs(filter, next: max(next, last &+ 1))
            guard next <= last else { return .array([]) }
            var range = filter
            range.fromBlock = .number(next)
            range.toBlock = .number(last)
            return .array(try await EthNamespace.collect(range, backend: backend, maxRange: maxLogsRange))
        case .pending:
            return .array([])
        }
    }

    /// All logs a log filter matches (`eth_getFilterLogs`).
    func allLogs(_ id: UInt256, backend: RPCBackend) async throws -> JSON {
        guard case .logs(let filter, _)? = filters[id]?.kind else { throw RPCError.server("filter not found") }
        filters[id]?.lastPoll = Date()
        return .array(try await EthNamespace.collect(filter, backend: backend, maxRange: maxLogsRange))
    }

    func uninstall(_ id: UInt256) -> Bool {
        guard let removed = filters.removeValue(forKey: id) else { return false }
        guard case .pending = removed.kind else { return true }
        pendingFilters -= 1
        if pendingFilters == 0 {
            pendingFeed?.cancel()
            pendingFeed = nil
            pendingLog = PendingHashLog(capacity: pendingLog.capacity)
        }
        return true
    }

    func expire() {
        let now = Date()
        guard now.timeIntervalSince(lastExpiry) >= expiryInterval else { return }
        lastExpiry = now
        let cutoff = now.addingTimeInterval(-timeout)
        for (id, installed) in filters where installed.lastPoll < cutoff { _ = uninstall(id) }
    }
}

/// The newest `capacity` pending-transaction hashes in arrival order, with a running count, so a filter needs
/// only the count it has seen. A filter polled after more than `capacity` new hashes gets the newest `capacity`.
struct PendingHashLog {
    let capacity: Int
    private var ring: [Hash32] = []
    /// Hashes ever appended.
    private(set) var total: UInt64 = 0

    init(capacity: Int) { self.capacity = capacity }

    mutating func append(_ hash: Hash32) {
        if ring.count < capacity { ring.append(hash) } else { ring[Int(total % UInt64(capacity))] = hash }
        total += 1
    }

    /// The hashes appended after the first `seen`, oldest first (at most `capacity`), and the new count.
    func since(_ seen: UInt64) -> (hashes: [Hash32], total: UInt64) {
        let start = max(seen, total > UInt64(capacity) ? total - UInt64(capacity) : 0)
        guard start < total else { return ([], total) }
        return ((start..<total).map { ring[Int($0 % UInt64(capacity))] }, total)
    }
}
