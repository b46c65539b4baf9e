import SankofaPrimitives
import Testing
@testable import SankofaContracts

@Suite("ServiceLevels")
struct ServiceLevelsTests {
    typealias T = ContractTestbed
    typealias F = SettlementFixtures
    let levels = SystemAddresses.serviceLevels
    let billing = SystemAddresses.billing
    let uptime = F.word("UPTIME")

    /// Agreement 1: bob provides, alice is the customer; target 99.90 %, hourly windows, penalty 250.
    func agreed(penalty: UInt256 = UInt256(250)) throws -> T {
        let bed = try T()
        let created = try create(bed, penalty: penalty, from: T.bob)
        #expect(created.values == [.number(1)], "\(created.revertReason ?? "")")
        return bed
    }

    func create(_ bed: T, provider: Address = T.bob, customer: Address = T.alice, target: UInt64 = 9_990,
                window: UInt64 = 3_600, penalty: UInt256 = UInt256(250), metric: Hash32? = nil, from sender: Address) throws -> T.Result {
        try bed.call(levels, "createAgreement", [.address(provider), .address(customer), .word(metric ?? uptime), .number(target),
                                                 .number(window), .uint(penalty)], from: sender)
    }

    func report(_ bed: T, window: UInt64, measured: UInt64, id: UInt64 = 1, from sender: Address = T.admin) throws -> T.Result {
        try bed.call(levels, "reportMeasurement", [.number(id), .number(window), .number(measured)], from: sender)
    }

    @Test func agreementsAreCreatedByTheProviderOrAnAdmin() throws {
        let bed = try T()
        let created = try create(bed, from: T.bob)
        #expect(created.values == [.number(1)])
        #expect(try bed.decode(created.outcome.logs[0]) == ("AgreementCreated", [.number(1), .address(T.bob), .address(T.alice)]))
        #expect(try bed.view(levels, "getAgreement", [.number(1)]) ==
                [.address(T.bob), .address(T.alice), .word(uptime), .number(9_990), .number(3_600), .number(250), .number(0)])
        #expect(try bed.view(levels, "agreementStatus", [.number(1)]) == [.bool(true), .number(0), .number(0), .number(bed.block.timestamp)])
        #expect(try create(bed, provider: T.carol, from: T.admin).values == [.number(2)])
        #expect(try create(bed, provider: T.carol, from: T.bob).revertReason ==
                "ServiceLevels.createAgreement: only the provider \(T.carol.checksummed) or an ADMIN may create this agreement")
        #expect(try bed.view(levels, "agreementsOf", [.address(T.alice)]) == [.array([.number(1), .number(2)])])
        #expect(try bed.view(levels, "agreementsOf", [.address(T.bob)]) == [.array([.number(1)])])
        #expect(try bed.view(levels, "agreementCount") == [.number(2)])
    }

    @Test func invalidAgreementsAreRefused() throws {
        let bed = try T()
        let prefix = "ServiceLevels.createAgreement: "
        #expect(try create(bed, target: 10_001, from: T.bob).revertReason == prefix + "targetBasisPoints 10001 exceeds 10000 (100%)")
        #expect(try create(bed, target: UInt64(UInt32.max), from: T.bob).revertReason == prefix + "targetBasisPoints 4294967295 exceeds 10000 (100%)")
        #expect(try create(bed, window: 0, from: T.bob).revertReason == prefix + "windowSeconds must be greater than zero")
        #expect(try create(bed, customer: T.bob, from: T.bob).revertReason == prefix + "provider and customer must be different accounts")
        #expect(try create(bed, customer: .zero, from: T.bob).revertReason == prefix + "provider and customer must not be the zero address")
        #expect(try create(bed, metric: .zero, from: T.bob).revertReason == prefix + "metric must not be zero")
        #expect(try create(bed, target: 10_000, from: T.bob).succeeded)
        #expect(try bed.view(levels, "agreementCount") == [.number(1)])
    }

    @Test func aMeasurementAtOrAboveTargetMeetsTheSLA() throws {
        let bed = try agreed()
        let met = try report(bed, window: 0, measured: 9_990)
        let events = try F.events(bed, met)
        #expect(events.map(\.1) == ["MeasurementReported", "SLAMet"])
        #expect(events[0].2 == [.number(1), .number(0), .number(9_990)])
        #expect(events[1].2 == [.number(1), .number(0)])
        #expect(try bed.view(levels, "getAgreement", [.number(1)])[6] == .number(0))
        #expect(try bed.view(levels, "getReport", [.number(1), .number(0)]) ==
                [.bool(true), .number(9_990), .bool(false), .address(T.admin), .number(bed.block.timestamp)])
        #expect(try bed.view(levels, "getReport", [.number(1), .number(3_600)]) ==
                [.bool(false), .number(0), .bool(false), .address(.zero), .number(0)])
        #expect(try bed.view(billing, "creditOf", [.address(T.alice)]) == [.number(0)])
    }

    @Test func aBreachCreditsTheCustomerThroughBilling() throws {
        let bed = try agreed()
        let breach = try report(bed, window: 3_600, measured: 9_500)
        let events = try F.events(bed, breach)
        #expect(events.map(\.0) == [levels, levels, billing])
        #expect(events.map(\.1) == ["MeasurementReported", "SLABreached", "CreditIssued"])
        #expect(events[1].2 == [.number(1), .number(3_600), .number(9_500), .number(250)])
        #expect(events[2].2 == [.address(T.alice), .number(250), .word(ServiceLevels.breachCreditReason)])
        #expect(try bed.view(billing, "creditOf", [.address(T.alice)]) == [.number(250)])
        #expect(try bed.view(levels, "getAgreement", [.number(1)])[6] == .number(1))
        #expect(try report(bed, window: 7_200, measured: 0).succeeded)
        #expect(try bed.view(levels, "getAgreement", [.number(1)])[6] == .number(2))
        #expect(Array(try bed.view(levels, "agreementStatus", [.number(1)])[1...2]) == [.number(2), .number(500)])
        #expect(try bed.view(billing, "creditOf", [.address(T.alice)]) == [.number(500)])
        // The provider's credit is untouched.
        #expect(try bed.view(billing, "creditOf", [.address(T.bob)]) == [.number(0)])
    }

    @Test func aBreachWithoutPenaltyIsCountedButCreditsNothing() throws {
        let bed = try agreed(penalty: .zero)
        let breach = try report(bed, window: 0, measured: 1)
        #expect(try F.events(bed, breach).map(\.1) == ["MeasurementReported", "SLABreached"])
        #expect(try bed.view(levels, "getAgreement", [.number(1)])[6] == .number(1))
        #expect(try bed.view(billing, "creditOf", [.address(T.alice)]) == [.number(0)])
    }

    @Test func reportsAreValidated() throws {
        let bed = try agreed()
        #expect(try report(bed, window: 0, measured: 10_000).succeeded)
        let again = try report(bed, window: 0, measured: 1)
        #expect(again.revertReason == "ServiceLevels.reportMeasurement: window 0 of agreement 1 was already reported (10000 basis points)")
        #expect(try bed.view(levels, "getAgreement", [.number(1)])[6] == .number(0))
        #expect(try report(bed, window: 60, measured: 10_001).revertReason ==
                "ServiceLevels.reportMeasurement: measuredBasisPoints 10001 exceeds 10000 (100%)")
        #expect(try report(bed, window: 60, measured: 9_999, from: T.bob).revertReason ==
                "ServiceLevels.reportMeasurement: caller \(T.bob.checksummed) lacks role MONITOR")
        #expect(try report(bed, window: 60, measured: 9_999, id: 7).revertReason == "ServiceLevels.reportMeasurement: no agreement with id 7")
        #expect(throws: ContractError.revert("ServiceLevels.getAgreement: no agreement with id 7")) {
            try bed.view(self.levels, "getAgreement", [.number(7)])
        }
        // Any window start is accepted once, however it aligns.
        #expect(try report(bed, window: 61, measured: 9_999).succeeded)
        try F.grant(bed, Roles.monitor, to: T.carol)
        #expect(try report(bed, window: 62, measured: 9_999, from: T.carol).succeeded)
        #expect(try bed.view(levels, "agreementStatus", [.number(1)])[1] == .number(3))
    }

    /// The breach and its credit are one unit: with Billing paused the report reverts entirely.
    @Test func pausedBillingRollsBackTheBreach() throws {
        let bed = try agreed()
        try F.pause(bed, billing)
        let refused = try report(bed, window: 0, measured: 9_000)
        #expect(refused.revertReason == "Billing is paused")
        #expect(refused.outcome.logs.isEmpty && refused.outcome.gasUsed > 0)
        #expect(try bed.view(levels, "getAgreement", [.number(1)])[6] == .number(0))
        #expect(try bed.view(levels, "getReport", [.number(1), .number(0)])[0] == .bool(false))
        #expect(Array(try bed.view(levels, "agreementStatus", [.number(1)])[1...2]) == [.number(0), .number(0)])
        #expect(try bed.view(billing, "creditOf", [.address(T.alice)]) == [.number(0)])
        // A met window does not touch Billing, so it is accepted meanwhile.
        #expect(try report(bed, window: 3_600, measured: 9_999).succeeded)
        try F.unpause(bed, billing)
        #expect(try report(bed, window: 0, measured: 9_000).succeeded)
        #expect(try bed.view(levels, "getAgreement", [.number(1)])[6] == .number(1))
        #expect(try bed.view(billing, "creditOf", [.address(T.alice)]) == [.number(250)])
    }

    @Test func penaltyOverflowRevertsTheWholeReport() throws {
        // ServiceLevels' own running total overflows on the second breach.
        let bed = try agreed(penalty: .max)
        #expect(try report(bed, window: 0, measured: 0).succeeded)
        #expect(try report(bed, window: 1, measured: 0).revertReason ==
                "ServiceLevels.reportMeasurement: arithmetic overflow: breach or penalty total of agreement 1 would exceed 2^256-1")
        // Billing's ledger overflows first when the customer already holds credit: nothing is counted either.
        let other = try agreed(penalty: .max)
        #expect(try other.call(billing, "deposit", [.address(T.alice), .number(1)], from: T.admin).succeeded)
        #expect(try report(other, window: 0, measured: 0).revertReason ==
                "Billing.issueCredit: arithmetic overflow: credit of \(T.alice.checksummed) would exceed 2^256-1")
        #expect(try other.view(levels, "getAgreement", [.number(1)])[6] == .number(0))
        #expect(try other.view(billing, "creditOf", [.address(T.alice)]) == [.number(1)])
    }

    @Test func exhaustedAgreementIdsRevertInsteadOfTrapping() throws {
        let bed = try T()
        try bed.storage.store(levels, ServiceLevelsLayout.count, UInt256(UInt64.max).minimalBigEndianBytes)
        #expect(try create(bed, from: T.bob).revertReason == "ServiceLevels.createAgreement: arithmetic overflow: agreement ids are exhausted")
    }

    @Test func terminationStopsReports() throws {
        let bed = try agreed()
        #expect(try bed.call(levels, "terminateAgreement", [.number(1)], from: T.bob).revertReason ==
                "ServiceLevels.terminateAgreement: only the customer \(T.alice.checksummed) or an ADMIN may terminate agreement 1")
        let ended = try bed.call(levels, "terminateAgreement", [.number(1)], from: T.alice)
        #expect(try bed.decode(ended.outcome.logs[0]) == ("AgreementTerminated", [.number(1), .address(T.alice)]))
        #expect(try bed.view(levels, "agreementStatus", [.number(1)])[0] == .bool(false))
        #expect(try report(bed, window: 0, measured: 1).revertReason ==
                "ServiceLevels.reportMeasurement: agreement 1 is terminated; measurements are no longer accepted")
        #expect(try bed.call(levels, "terminateAgreement", [.number(1)], from: T.admin).revertReason ==
                "ServiceLevels.terminateAgreement: agreement 1 is already terminated")
    }

    @Test func pausedServiceLevelsRefusesChangesButAnswersReads() throws {
        let bed = try agreed()
        try F.pause(bed, levels)
        #expect(try report(bed, window: 0, measured: 1).revertReason == "ServiceLevels is paused")
        #expect(try create(bed, from: T.bob).revertReason == "ServiceLevels is paused")
        #expect(try bed.view(levels, "getAgreement", [.number(1)])[0] == .address(T.bob))
        try F.unpause(bed, levels)
        #expect(try report(bed, window: 0, measured: 1).succeeded)
    }

    @Test func gasIsMeteredAndDeterministic() throws {
        func scenario() throws -> [(String, UInt64)] {
            let bed = try T()
            let created = try create(bed, from: T.bob)
            let met = try report(bed, window: 0, measured: 9_999)
            let breach = try report(bed, window: 3_600, measured: 9_000)
            let get = try bed.call(levels, "getAgreement", [.number(1)], from: T.alice, isStatic: true)
            return [("ServiceLevels.getAgreement", get.outcome.gasUsed), ("ServiceLevels.createAgreement", created.outcome.gasUsed), ("ServiceLevels.reportMeasurement (met)", met.outcome.gasUsed),
                    ("ServiceLevels.reportMeasurement (breach + credit)", breach.outcome.gasUsed)]
        }
        let first = try scenario()
        #expect(first.map(\.1) == (try scenario()).map(\.1))
        #expect(first.allSatisfy { $0.1 > 0 })
        #expect(first[3].1 > first[2].1)
        F.report(first)
    }
}
