import Foundation
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
    var nextID: UInt64 = 0x1000
    let timeout: TimeInterval

    public init(timeout: TimeInterval = 300) { self.timeout = timeout }

    func install(_ kind: Kind) -> JSON {
        expire()
        nextID += 1
        let id = UInt256(nextID)
        filters[id] = Installed(kind: kind, lastPoll: Date())
        return .quantity(id)
    }

    func newLogFilter(_ filter: LogFilter, backend: RPCBackend) async throws -> JSON {
        // A single-block filter's block is already mined: it has no changes to poll (eth_getFilterLogs reads it).
        if filter.blockHash != nil { return install(.logs(filter, next: .max)) }
        let head = try await backend.chain.headHeader().number
        let start = try await backend.chain.header(filter.fromBlock)?.number ?? head + 1
        return install(.logs(filter, next: max(start, head + 1)))
    }

    func newBlockFilter(backend: RPCBackend) async throws -> JSON {
        install(.blocks(next: try await backend.chain.headHeader().number + 1))
    }

    func newPendingFilter(backend: RPCBackend) async -> JSON {
        let stream = await backend.pool.pendingHashes()
        nextID += 1
        let id = UInt256(nextID)
        let task = Task { [weak self] in
            for await hash in stream { await self?.appendPending(id, hash) }
        }
        expire()
        filters[id] = Installed(kind: .pending([], task: task), lastPoll: Date())
        return .quantity(id)
    }

    func appendPending(_ id: UInt256, _ hash: Hash32) {
        guard case .pending(var hashes, let task)? = filters[id]?.kind else { return }
        if hashes.count < 10_000 { hashes.append(hash) }
        filters[id]?.kind = .pending(hashes, task: task)
    }

    /// What happened since the last poll.
    func changes(_ id: UInt256, backend: RPCBackend) async throws -> JSON {
        expire()
        guard let installed = filters[id] else { throw RPCError.server("filter not found") }
        filters[id]?.lastPoll = Date()
        let head = try await backend.chain.headHeader().number
        switch installed.kind {
        case .blocks(let next):
            var hashes: [JSON] = []
            if next <= head {
                for number in next...head {
                    if let header = try await backend.chain.header(.number(number)) { hashes.append(.hash(header.hash)) }
                }
            }
            filters[id]?.kind = .blocks(next: max(next, head + 1))
            return .array(hashes)
        case .logs(let filter, let next):
            if filter.blockHash != nil { return .array([]) }
            // Up to the filter's own toBlock, and at most one range cap per poll, so a long gap between polls
            // (a replica catching up) is worked through over several polls instead of failing forever.
            var last = head
            if case .number(let limit) = filter.toBlock { last = min(last, limit) }
            last = min(last, next &+ LogFilter.maxBlockRange &- 1)
            var logs: [JSON] = []
            if next <= last {
                var range = filter
                range.fromBlock = .number(next)
                range.toBlock = .number(last)
                logs = try await EthNamespace.collect(range, backend: backend)
            }
            filters[id]?.kind = .logs(filter, next: max(next, last &+ 1))
            return .array(logs)
        case .pending(let hashes, let task):
            filters[id]?.kind = .pending([], task: task)
            return .array(hashes.map { .hash($0) })
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
