import Dispatch
import NIOConcurrencyHelpers

/// Nanoseconds on a monotonic clock.
enum BenchClock {
    static func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }
}

/// Per-transaction timings and outcomes, written by the senders, the block follower and the receipt check. One
/// lock per batch or block, never per transaction on the hot path.
final class BenchLedger: @unchecked Sendable {
    enum Outcome: UInt8 {
        case unsent, accepted, rejected, confirmed, reverted, missing
        /// Accepted, but queued behind a rejected nonce of the same sender: it can never be included.
        case blocked
    }

    private let lock = NIOLock()
    private(set) var sentAt: [UInt64]
    private(set) var acceptedAt: [UInt64]
    private(set) var includedAt: [UInt64]
    private(set) var includedBlock: [UInt64]
    private(set) var outcome: [Outcome]
    private(set) var failures: [String: Int] = [:]
    private var counts = (sent: 0, accepted: 0, rejected: 0, included: 0, blocked: 0, resent: 0)

    init(count: Int) {
        sentAt = [UInt64](repeating: 0, count: count)
        acceptedAt = sentAt
        includedAt = sentAt
        includedBlock = sentAt
        outcome = [Outcome](repeating: .unsent, count: count)
    }

    var count: Int { outcome.count }

    func sent(_ indices: [Int], at time: UInt64) {
        lock.withLock {
            for i in indices { sentAt[i] = time }
            counts.sent += indices.count
        }
    }

    /// The node's answers to one batch: nil for accepted, else the rejection message.
    func answered(_ indices: [Int], errors: [String?], at time: UInt64) {
        lock.withLock {
            for (i, error) in zip(indices, errors) {
                if let error {
                    // A transaction may be seen in a block before its batch's reply arrives: inclusion wins.
                    guard outcome[i] == .unsent else { continue }
                    outcome[i] = .rejected
                    failures[Self.reason(error), default: 0] += 1
                    counts.rejected += 1
                } else {
                    acceptedAt[i] = time
                    counts.accepted += 1
                    if outcome[i] == .unsent { outcome[i] = .accepted }
                }
            }
        }
    }

    /// Transactions a full pool refused, about to be sent again (each time counts).
    func resent(_ count: Int) {
        lock.withLock { counts.resent += count }
    }

    /// A batch that never got an answer (the connection failed): its transactions count as failed with `reason`.
    func failed(_ indices: [Int], reason: String) {
        lock.withLock {
            for i in indices where outcome[i] == .unsent {
                outcome[i] = .rejected
                failures[reason, default: 0] += 1
                counts.rejected += 1
            }
        }
    }

    /// Transactions seen in block `number` at `time`; returns how many were ours.
    @discardableResult
    func included(_ indices: [Int], block number: UInt64, at time: UInt64) -> Int {
        lock.withLock {
            var ours = 0
            for i in indices where includedAt[i] == 0 {
                includedAt[i] = time
                includedBlock[i] = number
                counts.included += 1
                ours += 1
            }
            return ours
        }
    }

    static let blockedReason = "queued behind a rejected nonce of the same sender"

    /// Marks accepted transactions that wait behind a rejected nonce of their sender (so the follower stops waiting
    /// for them); returns how many.
    @discardableResult
    func markBlocked(_ transactions: [BenchTransaction]) -> Int {
        lock.withLock {
            var firstRejected: [Int: UInt64] = [:]
            for i in outcome.indices where outcome[i] == .rejected {
                let tx = transactions[i]
                firstRejected[tx.sender] = min(firstRejected[tx.sender] ?? .max, tx.nonce)
            }
            var blocked = 0
            for i in outcome.indices where outcome[i] == .accepted && includedAt[i] == 0 {
                guard let rejected = firstRejected[transactions[i].sender], transactions[i].nonce > rejected else { continue }
                outcome[i] = .blocked
                failures[Self.blockedReason, default: 0] += 1
                blocked += 1
            }
            counts.blocked += blocked
            return blocked
        }
    }

    /// The receipt check's verdict for one transaction.
    func verified(_ index: Int, _ verdict: Outcome, reason: String? = nil) {
        lock.withLock {
            if outcome[index] == .blocked, let count = failures[Self.blockedReason] {
                failures[Self.blockedReason] = count > 1 ? count - 1 : nil
            }
            outcome[index] = verdict
            if let reason { failures[reason, default: 0] += 1 }
        }
    }

    var progress: (sent: Int, accepted: Int, rejected: Int, included: Int, blocked: Int, resent: Int) {
        lock.withLock { counts }
    }

    /// A rejection's reason without its particulars (`nonce too low: next 5, got 3` → `nonce too low`), so that
    /// failures group.
    static func reason(_ message: String) -> String {
        guard let colon = message.firstIndex(of: ":") else { return message }
        let head = message[..<colon]
        return head.isEmpty ? message : String(head)
    }
}

/// Nearest-rank percentiles (the value at rank ⌈p·n⌉ of the sorted sample), as Caliper and most load tools report.
enum Percentile {
    static func of(_ sorted: [UInt64], _ p: Double) -> UInt64? {
        guard !sorted.isEmpty else { return nil }
        let rank = Int((p / 100 * Double(sorted.count)).rounded(.up))
        return sorted[min(max(rank, 1), sorted.count) - 1]
    }
}
