import Foundation
import SankofaJSON
import SankofaPrimitives

/// Installed filters (`eth_newFilter` and friends), polled with `eth_getFilterChanges`; a filter not polled for
/// five minutes is removed (geth's timeout).
public actor FilterRegistry {
    enum Kind {
        case logs(LogFilter, next: UInt64)
        case blocks(next: UInt64)
        case pending([Hash32], task: Task<Void, Never>)
    }

    struct Installed {
        var kind: Kind
        var lastPoll: Date
    }

    var filters: [UInt256: Installed] = [:]
    let timeout: TimeInterval
    /// Filters installed at once across all clients.
    public static let maxFilters = 10_000

    public init(timeout: TimeInterval = 300) { self.timeout = timeout }

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
        return .quantity(id)
    }

    func newLogFilter(_ filter: LogFilter, backend: RPCBackend) async throws -> JSON {
        // A single-block filter's block is already mined: it has no changes to poll (eth_getFilterLogs reads it).
        if filter.blockHash != nil { return try install(.logs(filter, next: .max)) }
        let head = try await backend.chain.headHeader().number
        let start = try await backend.chain.header(filter.fromBlock)?.number ?? head + 1
        return try install(.logs(filter, next: max(start, head + 1)))
    }

    func newBlockFilter(backend: RPCBackend) async throws -> JSON {
        try install(.blocks(next: try await backend.chain.headHeader().number + 1))
    }

    func newPendingFilter(backend: RPCBackend) async throws -> JSON {
        let stream = await backend.pool.pendingHashes()
        let id = try newID()
        let task = Task { [weak self] in
            for await hash in stream { await self?.appendPending(id, hash) }
        }
        filters[id] = Installed(kind: .pending([], task: task), lastPoll: Date())
        return .quantity(id)
    }

    func appendPending(_ id: UInt256, _ hash: Hash32) {
        guard case .pending(var hashes, let task)? = filters[id]?.kind else { return }
        if hashes.count < 10_000 { hashes.append(hash) }
        filters[id]?.kind = .pending(hashes, task: task)
    }

    /// What happened since the last poll. The actor may run other calls while this one awaits the chain, so the
    /// filter is re-read after every suspension and its cursor moved before the results are gathered.
    func changes(_ id: UInt256, backend: RPCBackend) async throws -> JSON {
        expire()
        guard let installed = filters[id] else { throw RPCError.server("filter not found") }
        filters[id]?.lastPoll = Date()
        if case .pending(let hashes, let task) = installed.kind {
            // Taken out without suspending, so hashes appended meanwhile are kept for the next poll.
            filters[id]?.kind = .pending([], task: task)
            return .array(hashes.map { .hash($0) })
        }
        let head = try await backend.chain.headHeader().number
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
            last = min(last, next &+ LogFilter.maxBlockRange &- 1)
            filters[id]?.kind = .logs(filter, next: max(next, last &+ 1))
            guard next <= last else { return .array([]) }
            var range = filter
            range.fromBlock = .number(next)
            range.toBlock = .number(last)
            return .array(try await EthNamespace.collect(range, backend: backend))
        case .pending:
            return .array([])
        }
    }

    /// All logs a log filter matches (`eth_getFilterLogs`).
    func allLogs(_ id: UInt256, backend: RPCBackend) async throws -> JSON {
        guard case .logs(let filter, _)? = filters[id]?.kind else { throw RPCError.server("filter not found") }
        filters[id]?.lastPoll = Date()
        return .array(try await EthNamespace.collect(filter, backend: backend))
    }

    func uninstall(_ id: UInt256) -> Bool {
        guard let removed = filters.removeValue(forKey: id) else { return false }
        if case .pending(_, let task) = removed.kind { task.cancel() }
        return true
    }

    func expire() {
        let cutoff = Date().addingTimeInterval(-timeout)
        for (id, installed) in filters where installed.lastPoll < cutoff { _ = uninstall(id) }
    }
}
