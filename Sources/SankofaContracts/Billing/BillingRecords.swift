import SankofaPrimitives

/// An invoice's status; the raw values are what `getInvoice` returns (DESIGN.md `Billing`).
public enum InvoiceStatus: UInt8, Sendable, CaseIterable {
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
struct RateRecord: RLPEncodable, RLPDecodable, Equatable {
    var pricePerUnit: UInt256
    var updatedAt: UInt64

    func encode(to writer: inout RLPWriter) {
        writer.writeList { w in
            w.write(pricePerUnit)
            w.write(updatedAt)
        }
    }
}

extension RateRecord {
    init(from reader: inout RLPReader) throws(RLPError) {
        var r = try reader.readList()
        pricePerUnit = try r.readUInt256()
        updatedAt = try r.readUInt64()
        try r.finish()
    }
}

/// One usage record of an account as stored: `rlp([metric, quantity, at, recordedAt, recorder, invoiceId])`.
/// `invoiceId` is 0 until an invoice bills the record; it is what guarantees usage is billed exactly once.
struct BillingUsageRecord: RLPEncodable, RLPDecodable, Equatable {
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

    func encode(to writer: inout RLPWriter) {
        writer.writeList { w in
            w.write(metric)
            w.write(quantity)
            w.write(at)
            w.write(recordedAt)
            w.write(recorder)
            w.write(invoiceId)
        }
    }

    init(from reader: inout RLPReader) throws(RLPError) {
        var r = try reader.readList()
        metric = try r.readHash()
        quantity = try r.readUInt256()
        at = try r.readUInt64()
        recordedAt = try r.readUInt64()
        recorder = try r.readAddress()
        invoiceId = try r.readUInt64()
        try r.finish()
    }
}

/// An invoice as stored: `rlp([account, periodStart, periodEnd, amount, status, approvals, approvalRound,
/// createdAt, settledAt, usageRecords, disputeReason])`. Approvals are keyed by round, so resolving a dispute starts
/// a fresh approval round without having to enumerate and clear the old approvals.
struct InvoiceRecord: RLPEncodable, RLPDecodable, Equatable {
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

    func encode(to writer: inout RLPWriter) {
        writer.writeList { w in
            w.write(account)
            w.write(periodStart)
            w.write(periodEnd)
            w.write(amount)
            w.write(UInt64(status))
            w.write(approvals)
            w.write(approvalRound)
            w.write(createdAt)
            w.write(settledAt)
            w.write(usageRecords)
            w.write(bytes: Array(disputeReason.utf8))
        }
    }

    init(from reader: inout RLPReader) throws(RLPError) {
        var r = try reader.readList()
        account = try r.readAddress()
        periodStart = try r.readUInt64()
        periodEnd = try r.readUInt64()
        amount = try r.readUInt256()
        let rawStatus = try r.readUInt64()
        guard let status = UInt8(exactly: rawStatus) else { throw .integerTooLarge(maxBytes: 1, got: 8) }
        self.status = status
        approvals = try r.readUInt64()
        approvalRound = try r.readUInt64()
        createdAt = try r.readUInt64()
        settledAt = try r.readUInt64()
        usageRecords = try r.readUInt64()
        disputeReason = String(decoding: try r.readBytes(), as: UTF8.self)
        try r.finish()
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
