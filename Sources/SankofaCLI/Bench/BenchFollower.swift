import NIOConcurrencyHelpers
import SankofaJSON
import SankofaPrimitives
import SankofaRPC

/// Follows the chain head by polling one node: each new block is fetched once with transaction hashes only
/// (`eth_getBlockByNumber(n, false)`, several per batch) and matched against the run's hashes, so inclusion costs
/// one request per block rather than one receipt request per transaction.
struct BlockFollower: Sendable {
    let endpoint: RPCEndpoint
    let plan: BenchPlan
    let ledger: BenchLedger
    let timeoutSeconds: Double
    var pollInterval: Duration = .milliseconds(20)

    /// Follows from the block after `start` until `sendingDone()` and every accepted transaction is included, or
    /// nothing new was included for the timeout after sending ended. Returns our transaction count per block.
    func follow(after start: UInt64, sendingDone: @Sendable () -> Bool) async -> [UInt64: Int] {
        var next = start + 1
        var blocks: [UInt64: Int] = [:]
        var lastProgress = BenchClock.now()
        while true {
            do {
                try await HTTPClientConnection.with(endpoint) { connection in
                    while true {
                        let head = try BenchRunner.quantity(try await connection.call("eth_blockNumber", []))
                        while next <= head {
                            let numbers = Array(next...min(head, next + 31))
                            let results = try await connection.batch(numbers.map { ("eth_getBlockByNumber", [.string("0x" + String($0, radix: 16)), false]) })
                            let seen = BenchClock.now()
                            for (number, result) in zip(numbers, results) {
                                guard case .success(let block) = result, !block.isNull else {
                                    throw HTTPClientError(description: "block \(number) is not available yet")
                                }
                                let ours = (block["transactions"]?.arrayValue ?? []).compactMap { entry -> Int? in
                                    guard let text = entry.stringValue, let hash = try? Hash32(hex: text) else { return nil }
                                    return plan.index[hash]
                                }
                                if !ours.isEmpty {
                                    blocks[number, default: 0] += ledger.included(ours, block: number, at: seen)
                                    lastProgress = seen
                                }
                                next = number + 1
                            }
                        }
                        if finished(sendingDone: sendingDone(), lastProgress: &lastProgress) { return () }
                        try await Task.sleep(for: pollInterval)
                    }
                }
                return blocks
            } catch {
                // A dropped connection or a block not yet readable: try again shortly, still bounded by the timeout.
                if finished(sendingDone: sendingDone(), lastProgress: &lastProgress) { return blocks }
                try? await Task.sleep(for: .milliseconds(100))
            }
        }
    }

    /// Done when everything sent has an answer and every accepted transaction is included, or when nothing was
    /// included for the timeout once sending ended.
    private func finished(sendingDone: Bool, lastProgress: inout UInt64) -> Bool {
        guard sendingDone else {
            lastProgress = BenchClock.now()
            return false
        }
        let p = ledger.progress
        if p.accepted + p.rejected >= p.sent, p.included >= p.accepted - p.blocked { return true }
        return Double(BenchClock.now() - lastProgress) / 1e9 > timeoutSeconds
    }
}

/// The final word on every accepted transaction: its receipt, whose status 1 confirms it; a missing receipt or
/// status 0 is a failure with its reason. Receipts come a block at a time (`eth_getBlockReceipts` for each block
/// the follower saw ours in), because a node answers `eth_getTransactionReceipt` by loading the transaction's
/// whole block; only transactions the follower never saw are asked for one by one (in batches).
struct ReceiptCheck: Sendable {
    let endpoint: RPCEndpoint
    let plan: BenchPlan
    let ledger: BenchLedger
    let timeoutSeconds: Double
    var batchSize = 256
    var connections = 4

    func run() async throws {
        let candidates = ledger.outcome.indices.filter {
            ledger.outcome[$0] == .accepted || (ledger.includedAt[$0] != 0 && ledger.outcome[$0] != .rejected)
        }
        let blocks = Set(candidates.compactMap { ledger.includedAt[$0] != 0 ? ledger.includedBlock[$0] : nil }).sorted()
        let resolved = NIOLockedValueBox(Set<Int>())
        try await parallel(blocks.map { [$0] }) { connection, numbers in
            let results = try await connection.batch(numbers.map { ("eth_getBlockReceipts", [.string("0x" + String($0, radix: 16))]) })
            for result in results {
                guard case .success(let receipts) = result else { continue }
                for receipt in receipts.arrayValue ?? [] {
                    guard let text = receipt["transactionHash"]?.stringValue, let hash = try? Hash32(hex: text),
                          let i = plan.index[hash] else { continue }
                    record(i, .success(receipt))
                    resolved.withLockedValue { _ = $0.insert(i) }
                }
            }
        }
        let done = resolved.withLockedValue { $0 }
        let rest = candidates.filter { !done.contains($0) }
        try await parallel(stride(from: 0, to: rest.count, by: batchSize).map { Array(rest[$0..<min($0 + batchSize, rest.count)]) }) { connection, chunk in
            let results = try await connection.batch(chunk.map { ("eth_getTransactionReceipt", [.string(plan.transactions[$0].hash.hex)]) })
            for (i, result) in zip(chunk, results) { record(i, result) }
        }
    }

    /// Runs `work` over `items` on up to `connections` connections.
    private func parallel<T: Sendable>(_ items: [T], _ work: @escaping @Sendable (inout HTTPClientConnection, T) async throws -> Void) async throws {
        guard !items.isEmpty else { return }
        let queue = WorkQueue(items)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<min(connections, items.count) {
                group.addTask {
                    try await HTTPClientConnection.with(endpoint) { connection in
                        while let item = queue.next() { try await work(&connection, item) }
                        return ()
                    }
                }
            }
            try await group.waitForAll()
        }
    }

    private func record(_ i: Int, _ result: Result<JSON, BenchRPC.CallError>) {
        switch result {
        case .failure(let error):
            ledger.verified(i, .missing, reason: "eth_getTransactionReceipt failed: \(error.message)")
        case .success(let receipt) where receipt.isNull:
            ledger.verified(i, .missing, reason: "not included within \(Int(timeoutSeconds)) s of the last inclusion")
        case .success(let receipt):
            if receipt["status"]?.stringValue == "0x1" {
                ledger.verified(i, .confirmed)
            } else {
                ledger.verified(i, .reverted, reason: "reverted (receipt status 0): \(plan.transactions[i].kind.rawValue)")
            }
        }
    }
}

/// Work items handed out in order to several connections.
final class WorkQueue<T: Sendable>: Sendable {
    private let items: [T]
    private let cursor = NIOLockedValueBox(0)

    init(_ items: [T]) { self.items = items }

    func next() -> T? {
        cursor.withLockedValue { position in
            guard position < items.count else { return nil }
            defer { position += 1 }
            return items[position]
        }
    }
}
