import SankofaPrimitives

/// An SLA agreement as stored: `rlp([provider, customer, metric, targetBasisPoints, windowSeconds,
/// penaltyPerBreach, breaches, reports, totalPenalties, active, createdAt])`. Basis points: 10000 = 100 %.
struct AgreementRecord: RLPRecord, Equatable {
    var provider: Address
    var customer: Address
    var metric: Hash32
    var targetBasisPoints: UInt32
    var windowSeconds: UInt64
    var penaltyPerBreach: UInt256
    var breaches: UInt256
    var reports: UInt64
    var totalPenalties: UInt256
    var active: Bool
    var createdAt: UInt64

    init(provider: Address, customer: Address, metric: Hash32, targetBasisPoints: UInt32, windowSeconds: UInt64,
         penaltyPerBreach: UInt256, createdAt: UInt64) {
        self.provider = provider
        self.customer = customer
        self.metric = metric
        self.targetBasisPoints = targetBasisPoints
        self.windowSeconds = windowSeconds
        self.penaltyPerBreach = penaltyPerBreach
        self.breaches = .zero
        self.reports = 0
        self.totalPenalties = .zero
        self.active = true
        self.createdAt = createdAt
    }
}

/// A monitor's report for one window as stored: `rlp([measuredBasisPoints, breached, reporter, reportedAt])`.
/// Its presence is what makes a second report for the same window revert.
struct MeasurementRecord: RLPRecord, Equatable {
    var measuredBasisPoints: UInt32
    var breached: Bool
    var reporter: Address
    var reportedAt: UInt64
}

/// ServiceLevels' storage layout, one line per record kind. List elements are 8-byte big-endian agreement ids.
enum ServiceLevelsLayout {
    static let count = StorageKey.make("agreement.count")
    static func agreement(_ id: UInt64) -> Hash32 { StorageKey.make("agreement", StorageKey.number(id)) }
    static func report(_ id: UInt64, _ windowStart: UInt64) -> Hash32 {
        StorageKey.make("report", StorageKey.number(id), StorageKey.number(windowStart))
    }
    /// Agreements an account is party to (as provider or customer).
    static func byParty(_ account: Address) -> StoredList { StoredList("party.agreements", scope: account.bytes) }
}
