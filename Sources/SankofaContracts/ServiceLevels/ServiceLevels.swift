import SankofaPrimitives

/// SLA agreements between a provider and a customer, one monitor report per measurement window, automatic breach
/// evaluation, and penalties credited to the customer through Billing (DESIGN.md `0x…1005`).
///
/// A breach report and its credit are one unit: the credit is a cross-contract call to `Billing.issueCredit` in
/// the same transaction, so if Billing refuses (paused, overflow) the report itself reverts and no breach is
/// counted; the monitor can report the window again once Billing accepts.
public struct ServiceLevels: SystemContract {
    public let name = "ServiceLevels"
    public let address = SystemAddresses.serviceLevels

    public init() {}

    /// Basis points are parts of 10000 (100 %); targets and measurements above it are meaningless.
    public static let maximumBasisPoints: UInt64 = 10_000
    /// The `reason` of the `CreditIssued` event Billing emits for a breach penalty: keccak256("SLA_BREACH"). The
    /// SLABreached event of the same transaction names the agreement and window.
    public static let breachCreditReason = Keccak256.hash(Array("SLA_BREACH".utf8))

    public static let agreementCreated = ContractEvent("AgreementCreated", [
        ABIParameter("id", .uint(256), indexed: true), ABIParameter("provider", .address, indexed: true),
        ABIParameter("customer", .address, indexed: true)])
    public static let measurementReported = ContractEvent("MeasurementReported", [
        ABIParameter("id", .uint(256), indexed: true), ABIParameter("windowStart", .uint(64)),
        ABIParameter("measuredBasisPoints", .uint(32))])
    public static let slaBreached = ContractEvent("SLABreached", [
        ABIParameter("id", .uint(256), indexed: true), ABIParameter("windowStart", .uint(64)),
        ABIParameter("measuredBasisPoints", .uint(32)), ABIParameter("penalty", .uint(256))])
    public static let slaMet = ContractEvent("SLAMet", [
        ABIParameter("id", .uint(256), indexed: true), ABIParameter("windowStart", .uint(64))])
    public static let agreementTerminated = ContractEvent("AgreementTerminated", [
        ABIParameter("id", .uint(256), indexed: true), ABIParameter("by", .address, indexed: true)])

    public var events: [ContractEvent] {
        [Self.agreementCreated, Self.measurementReported, Self.slaBreached, Self.slaMet, Self.agreementTerminated]
    }

    public var functions: [ContractFunction] {
        let id = ABIParameter("id", .uint(256))
        return [
            ContractFunction("createAgreement", [
                ABIParameter("provider", .address), ABIParameter("customer", .address), ABIParameter("metric", .fixedBytes(32)),
                ABIParameter("targetBasisPoints", .uint(32)), ABIParameter("windowSeconds", .uint(64)),
                ABIParameter("penaltyPerBreach", .uint(256)),
            ], returns: [id]) { call in try Self.createAgreement(call) },
            ContractFunction("reportMeasurement", [id, ABIParameter("windowStart", .uint(64)),
                                                   ABIParameter("measuredBasisPoints", .uint(32))],
                             roles: [Roles.monitor]) { call in try Self.report(call) },
            ContractFunction("terminateAgreement", [id]) { call in
                var (id, agreement) = try Self.agreement(call)
                guard try call.sender == agreement.customer || call.hasRole(Roles.admin, call.sender) else {
                    throw call.revert("only the customer \(agreement.customer.checksummed) or an ADMIN may terminate agreement \(id)")
                }
                guard agreement.active else { throw call.revert("agreement \(id) is already terminated") }
                agreement.active = false
                try call.storeRecord(ServiceLevelsLayout.agreement(id), agreement)
                try call.emit(Self.agreementTerminated, .uint(UInt256(id)), .address(call.sender))
                return []
            },
            ContractFunction("getAgreement", [id], returns: [
                ABIParameter("provider", .address), ABIParameter("customer", .address), ABIParameter("metric", .fixedBytes(32)),
                ABIParameter("targetBasisPoints", .uint(32)), ABIParameter("windowSeconds", .uint(64)),
                ABIParameter("penaltyPerBreach", .uint(256)), ABIParameter("breaches", .uint(256)),
            ], .view) { call in
                let (_, a) = try Self.agreement(call)
                return [.address(a.provider), .address(a.customer), .fixedBytes(a.metric.bytes),
                        .uint(UInt256(UInt64(a.targetBasisPoints))), .uint(UInt256(a.windowSeconds)),
                        .uint(a.penaltyPerBreach), .uint(a.breaches)]
            },
            ContractFunction("agreementStatus", [id], returns: [
                ABIParameter("active", .bool), ABIParameter("reports", .uint(256)),
                ABIParameter("totalPenalties", .uint(256)), ABIParameter("createdAt", .uint(64)),
            ], .view) { call in
                let (_, a) = try Self.agreement(call)
                return [.bool(a.active), .uint(UInt256(a.reports)), .uint(a.totalPenalties), .uint(UInt256(a.createdAt))]
            },
            ContractFunction("getReport", [id, ABIParameter("windowStart", .uint(64))], returns: [
                ABIParameter("reported", .bool), ABIParameter("measuredBasisPoints", .uint(32)), ABIParameter("breached", .bool),
                ABIParameter("reporter", .address), ABIParameter("reportedAt", .uint(64)),
            ], .view) { call in
                let (id, _) = try Self.agreement(call)
                guard let report = try call.loadRecord(MeasurementRecord.self,
                                                       ServiceLevelsLayout.report(id, try call.uint64(1))) else {
                    return [.bool(false), .uint(.zero), .bool(false), .address(.zero), .uint(.zero)]
                }
                return [.bool(true), .uint(UInt256(UInt64(report.measuredBasisPoints))), .bool(report.breached),
                        .address(report.reporter), .uint(UInt256(report.reportedAt))]
            },
            ContractFunction("agreementsOf", [ABIParameter("account", .address)],
                             returns: [ABIParameter("ids", .array(.uint(256)))], .view) { call in
                [.array(try ServiceLevelsLayout.byParty(try call.address(0)).all(call).map { .uint(UInt256(bigEndian: $0) ?? .zero) })]
            },
            ContractFunction("agreementCount", [], returns: [ABIParameter("count", .uint(256))], .view) { call in
                [.uint(try call.loadUInt(ServiceLevelsLayout.count))]
            },
        ]
    }

    // MARK: Handlers

    static func createAgreement(_ call: Call) throws -> [ABIValue] {
        let provider = try call.address(0)
        let customer = try call.address(1)
        let metric = try call.bytes32(2)
        let target = try call.uint64(3)
        let window = try call.uint64(4)
        let penalty = try call.uint(5)
        guard try call.sender == provider || call.hasRole(Roles.admin, call.sender) else {
            throw call.revert("only the provider \(provider.checksummed) or an ADMIN may create this agreement")
        }
        guard provider != .zero, customer != .zero else { throw call.revert("provider and customer must not be the zero address") }
        guard provider != customer else { throw call.revert("provider and customer must be different accounts") }
        guard !metric.isZero else { throw call.revert("metric must not be zero") }
        guard target <= maximumBasisPoints, let target32 = UInt32(exactly: target) else {
            throw call.revert("targetBasisPoints \(target) exceeds 10000 (100%)")
        }
        guard window > 0 else { throw call.revert("windowSeconds must be greater than zero") }
        guard let previous = try call.loadUInt(ServiceLevelsLayout.count).asUInt64, previous < UInt64.max else {
            throw call.revert("arithmetic overflow: agreement ids are exhausted")
        }
        let id = previous + 1
        try call.storeUInt(ServiceLevelsLayout.count, UInt256(id))
        try call.storeRecord(ServiceLevelsLayout.agreement(id), AgreementRecord(
            provider: provider, customer: customer, metric: metric, targetBasisPoints: target32, windowSeconds: window,
            penaltyPerBreach: penalty, createdAt: call.block.timestamp))
        try ServiceLevelsLayout.byParty(provider).append(call, StorageKey.number(id))
        try ServiceLevelsLayout.byParty(customer).append(call, StorageKey.number(id))
        try call.emit(Self.agreementCreated, .uint(UInt256(id)), .address(provider), .address(customer))
        return [.uint(UInt256(id))]
    }

    /// Records the window's measurement once, then either SLAMet or SLABreached; a breach with a non-zero penalty
    /// credits the customer through `Billing.issueCredit` (as this contract), in the same transaction.
    static func report(_ call: Call) throws -> [ABIValue] {
        var (id, agreement) = try agreement(call)
        let windowStart = try call.uint64(1)
        let rawMeasured = try call.uint64(2)
        guard agreement.active else {
            throw call.revert("agreement \(id) is terminated; measurements are no longer accepted")
        }
        guard rawMeasured <= maximumBasisPoints, let measured = UInt32(exactly: rawMeasured) else {
            throw call.revert("measuredBasisPoints \(rawMeasured) exceeds 10000 (100%)")
        }
        let reportKey = ServiceLevelsLayout.report(id, windowStart)
        if let existing = try call.loadRecord(MeasurementRecord.self, reportKey) {
            throw call.revert("window \(windowStart) of agreement \(id) was already reported (\(existing.measuredBasisPoints) basis points)")
        }
        let breached = measured < agreement.targetBasisPoints
        let (reports, overflow) = agreement.reports.addingReportingOverflow(1)
        guard !overflow else { throw call.revert("arithmetic overflow: report count of agreement \(id)") }
        agreement.reports = reports
        if breached {
            guard let breaches = agreement.breaches.checkedAdd(.one),
                  let total = agreement.totalPenalties.checkedAdd(agreement.penaltyPerBreach) else {
                throw call.revert("arithmetic overflow: breach or penalty total of agreement \(id) would exceed 2^256-1")
            }
            agreement.breaches = breaches
            agreement.totalPenalties = total
        }
        try call.storeRecord(reportKey, MeasurementRecord(measuredBasisPoints: measured, breached: breached,
                                                          reporter: call.sender, reportedAt: call.block.timestamp))
        try call.storeRecord(ServiceLevelsLayout.agreement(id), agreement)
        try call.emit(Self.measurementReported, .uint(UInt256(id)), .uint(UInt256(windowStart)), .uint(UInt256(rawMeasured)))
        guard breached else {
            try call.emit(Self.slaMet, .uint(UInt256(id)), .uint(UInt256(windowStart)))
            return []
        }
        try call.emit(Self.slaBreached, .uint(UInt256(id)), .uint(UInt256(windowStart)), .uint(UInt256(rawMeasured)),
                      .uint(agreement.penaltyPerBreach))
        if !agreement.penaltyPerBreach.isZero {
            _ = try call.call(SystemAddresses.billing, "issueCredit", .address(agreement.customer),
                              .uint(agreement.penaltyPerBreach), .fixedBytes(breachCreditReason.bytes))
        }
        return []
    }

    // MARK: Helpers

    /// The agreement named by argument 0, which must exist.
    static func agreement(_ call: Call) throws -> (UInt64, AgreementRecord) {
        let raw = try call.uint(0)
        guard let id = raw.asUInt64,
              let record = try call.loadRecord(AgreementRecord.self, ServiceLevelsLayout.agreement(id)) else {
            throw call.revert("no agreement with id \(raw.decimalString)")
        }
        return (id, record)
    }
}
