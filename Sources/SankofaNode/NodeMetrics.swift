import Metrics
import SankofaChain

/// The node's metrics (swift-metrics; exported in Prometheus text format on `--metrics-port`).
public struct NodeMetrics: Sendable {
    let headNumber = Gauge(label: "sankofa_chain_head_number")
    let blockImport = Timer(label: "sankofa_block_import_seconds", preferredDisplayUnit: .seconds)
    let transactionsIncluded = Counter(label: "sankofa_transactions_included_total")
    let pendingTransactions = Gauge(label: "sankofa_txpool_pending")
    let queuedTransactions = Gauge(label: "sankofa_txpool_queued")
    let senderRecoveries = Counter(label: "sankofa_txpool_sender_recoveries_total")

    public init() {}

    func blockProduced(_ block: Block, milliseconds: Double) {
        headNumber.record(Int64(block.number))
        blockImport.recordNanoseconds(Int64(milliseconds * 1_000_000))
        transactionsIncluded.increment(by: Int64(block.transactions.count))
        Counter(label: "sankofa_blocks_total", dimensions: [("origin", "produced")]).increment()
    }

    func blockImported(_ block: Block, milliseconds: Double) {
        headNumber.record(Int64(block.number))
        blockImport.recordNanoseconds(Int64(milliseconds * 1_000_000))
        transactionsIncluded.increment(by: Int64(block.transactions.count))
        Counter(label: "sankofa_blocks_total", dimensions: [("origin", "imported")]).increment()
    }

    /// The pool's size, and the signatures its sender cache recovered since the last call.
    func pool(pending: Int, queued: Int, newRecoveries: Int) {
        pendingTransactions.record(pending)
        queuedTransactions.record(queued)
        if newRecoveries > 0 { senderRecoveries.increment(by: Int64(newRecoveries)) }
    }

    /// The head, for every engine (imported or produced).
    func head(_ header: BlockHeader) {
        headNumber.record(Int64(header.number))
    }

    /// QBFT's height and round, and what its counters gained since the last event.
    func qbft(_ status: QBFTStatus, previous: QBFTStatus) {
        if let height = status.height { Gauge(label: "sankofa_qbft_height").record(Int64(height)) }
        if let round = status.round { Gauge(label: "sankofa_qbft_round").record(Int64(round)) }
        let now = status.counters, before = previous.counters
        for (name, value, old) in [("round_changes", now.roundChanges, before.roundChanges),
                                   ("blocks_committed", now.blocksCommitted, before.blocksCommitted),
                                   ("messages_received", now.received, before.received),
                                   ("messages_sent", now.sent, before.sent),
                                   ("messages_invalid", now.invalid + now.malformed, before.invalid + before.malformed),
                                   ("messages_from_non_validators", now.fromNonValidators, before.fromNonValidators),
                                   ("proposals_made", now.proposalsMade, before.proposalsMade),
                                   ("proposals_received", now.proposalsReceived, before.proposalsReceived),
                                   ("relays_withheld", now.relaysWithheld, before.relaysWithheld),
                                   ("signatures_refused", now.signaturesRefused, before.signaturesRefused)]
        where value > old {
            Counter(label: "sankofa_qbft_\(name)_total").increment(by: Int64(value - old))
        }
        if now.blocksCommitted > before.blocksCommitted, let milliseconds = now.lastProposalToCommitMilliseconds {
            Timer(label: "sankofa_qbft_proposal_to_commit_seconds", preferredDisplayUnit: .seconds)
                .recordMilliseconds(Int64(milliseconds))
        }
    }

    /// The hot-standby lease: role (1 active, 0 standby), seconds left and role changes, per lease key, so an
    /// alert can tell a group with no active member.
    func lease(_ status: LeaseStatus, key: String, roleChanged: Bool) {
        Gauge(label: "sankofa_validator_lease_active", dimensions: [("key", key)]).record(status.role == .active ? 1 : 0)
        Gauge(label: "sankofa_validator_lease_seconds_left", dimensions: [("key", key)]).record(status.secondsLeft)
        if roleChanged {
            Counter(label: "sankofa_validator_lease_changes_total", dimensions: [("key", key), ("role", status.role.rawValue)]).increment()
        }
    }

    func consensusEvent(_ kind: String) {
        Counter(label: "sankofa_consensus_events_total", dimensions: [("event", kind)]).increment()
    }
}
