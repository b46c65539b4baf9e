import SankofaPrimitives

/// An invoice's status; the raw values are what `getInvoice` returns (DESIGN.md `Billing`).
public enum InvoiceStatus: UInt8, Sendable, CaseIterable, Codable {
    /// Generated, collecting BILLING_VERIFIER approvals.
    case pending = 1
    /// Approvals reached the threshold in force when the last one was given.
    case approved = 2
    /// Paid from the account's credit; final.
    case settled = 3
    /// Contested by the billed account; settlement is blocked until a BILLING_ADMIN resolves it.
    case disputed = 4
}

/// A rate card entry as stored: `rlp([pricePerUnit, updatedAt])`. A stored record distinguishes "free" (price 0,
/// set on purpose) from "no rate yet", which makes invoicing revert instead of silently billing nothing.
struct RateRecord: RLPRecord, Equatable {
    var pricePerUnit: UInt256
    var updatedAt: UInt64
}

/// One usage record of an account as stored: `rlp([metric, quantity, at, recordedAt, recorder, invoiceId])`.
/// `invoiceId` is 0 until an invoice bills the record; it is what guarantees usage is billed exactly once.
struct BillingUsageRecord: RLPRecord, Equatable {
    var metric: Hash32
    var quantity: UInt256
    var at: UInt64
    var recordedAt: UInt64
    var recorder: Address
    var invoiceId: UInt64

    init(metric: Hash32, quantity: UInt256, at: UInt64, recordedAt: UInt64, recorder: Address) {
        self.metric = metric
        self.quantity = quantity
        self.at = at
        self.recordedAt = recordedAt
        self.recorder = recorder
        self.invoiceId = 0
    }
}

/// An invoice as stored: `rlp([account, periodStart, periodEnd, amount, status, approvals, approvalRound,
/// createdAt, settledAt, usageRecords, disputeReason])`. Approvals are keyed by round, so resolving a dispute starts
/// a fresh approval round without having to enumerate and clear the old approvals.
struct InvoiceRecord: RLPRecord, Equatable {
    var account: Address
    var periodStart: UInt64
    var periodEnd: UInt64
    var amount: UInt256
    var status: UInt8
    var approvals: UInt64
    var approvalRound: UInt64
    var createdAt: UInt64
    var settledAt: UInt64
    var usageRecords: UInt64
    var disputeReason: String

    init(account: Address, periodStart: UInt64, periodEnd: UInt64, amount: UInt256, createdAt: UInt64, usageRecords: UInt64) {
        self.account = account
        self.periodStart = periodStart
        self.periodEnd = periodEnd
        self.amount = amount
        self.status = InvoiceStatus.pending.rawValue
        self.approvals = 0
        self.approvalRound = 0
        self.createdAt = createdAt
        self.settledAt = 0
        self.usageRecords = usageRecords
        self.disputeReason = ""
    }
}

/// Billing's storage layout, one line per record kind.
enum BillingLayout {
    static func rate(_ metric: Hash32) -> Hash32 { StorageKey.make("rate", metric.bytes) }
    static func credit(_ account: Address) -> Hash32 { StorageKey.make("credit", account.bytes) }
    /// Lifetime usage per account and metric (billed or not).
    static func usageTotal(_ account: Address, _ metric: Hash32) -> Hash32 {
        StorageKey.make("usage.total", account.bytes, metric.bytes)
    }
    /// Every usage record of an account, in recording order.
    static func usage(_ account: Address) -> StoredList { StoredList("usage", scope: account.bytes) }
    /// Index of the account's first usage record that may still be unbilled: invoicing scans from here, so the
    /// cost of an invoice does not grow with the account's billed history.
    static func unbilledCursor(_ account: Address) -> Hash32 { StorageKey.make("usage.cursor", account.bytes) }
    static let invoiceCount = StorageKey.make("invoice.count")
    static func invoice(_ id: UInt64) -> Hash32 { StorageKey.make("invoice", StorageKey.number(id)) }
    static func invoices(_ account: Address) -> StoredList { StoredList("account.invoices", scope: account.bytes) }
    static func approval(_ id: UInt64, round: UInt64, _ verifier: Address) -> Hash32 {
        StorageKey.make("approval", StorageKey.number(id), StorageKey.number(round), verifier.bytes)
    }
}
