import SankofaPrimitives

/// An SLA agreement as stored: `rlp([provider, customer, metric, targetBasisPoints, windowSeconds,
/// penaltyPerBreach, breaches, reports, totalPenalties, active, createdAt])`. Basis points: 10000 = 100 %.
struct AgreementRecord: RLPEncodable, RLPDecodable, Equatable {
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

    func encode(to writer: inout RLPWriter) {
        writer.writeList { w in
            w.write(provider)
            w.write(customer)
            w.write(metric)
            w.write(UInt64(targetBasisPoints))
            w.write(windowSeconds)
            w.write(penaltyPerBreach)
            w.write(breaches)
            w.write(reports)
            w.write(totalPenalties)
            w.write(active)
            w.write(createdAt)
        }
    }

    init(from reader: inout RLPReader) throws(RLPError) {
        var r = try reader.readList()
        provider = try r.readAddress()
        customer = try r.readAddress()
        metric = try r.readHash()
        let target = try r.readUInt64()
        guard let target32 = UInt32(exactly: target) else { throw .integerTooLarge(maxBytes: 4, got: 8) }
        targetBasisPoints = target32
        windowSeconds = try r.readUInt64()
        penaltyPerBreach = try r.readUInt256()
        breaches = try r.readUInt256()
        reports = try r.readUInt64()
        totalPenalties = try r.readUInt256()
        active = try r.readBool()
        createdAt = try r.readUInt64()
        try r.finish()
    }
}

/// A monitor's report for one window as stored: `rlp([measuredBasisPoints, breached, reporter, reportedAt])`.
/// Its presence is what makes a second report for the same window revert.
struct MeasurementRecord: RLPEncodable, RLPDecodable, Equatable {
    var measuredBasisPoints: UInt32
    var breached: Bool
    var reporter: Address
    var reportedAt: UInt64

    func encode(to writer: inout RLPWriter) {
        writer.writeList { w in
            w.write(UInt64(measuredBasisPoints))
            w.write(breached)
            w.write(reporter)
            w.write(reportedAt)
        }
    }
}

extension MeasurementRecord {
    init(from reader: inout RLPReader) throws(RLPError) {
        var r = try reader.readList()
        let measured = try r.readUInt64()
        guard let measured32 = UInt32(exactly: measured) else { throw .integerTooLarge(maxBytes: 4, got: 8) }
        measuredBasisPoints = measured32
        breached = try r.readBool()
        reporter = try r.readAddress()
        reportedAt = try r.readUInt64()
        try r.finish()
    }
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
