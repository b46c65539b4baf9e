import SankofaPrimitives
import Testing
@testable import SankofaContracts

@Suite("Billing")
struct BillingTests {
    typealias T = ContractTestbed
    typealias F = SettlementFixtures
    let billing = SystemAddresses.billing
    let cpu = F.word("CPU_HOURS")
    let storage = F.word("STORAGE_GB")

    /// Rates cpu = 3, storage = 2; alice's usage: cpu 10 at 100, storage 50 at 500, storage 4 at 150.
    func metered() throws -> T {
        let bed = try T()
        #expect(try bed.call(billing, "setRate", [.word(cpu), .number(3)], from: T.admin).succeeded)
        #expect(try bed.call(billing, "setRate", [.word(storage), .number(2)], from: T.admin).succeeded)
        for (metric, quantity, at) in [(cpu, 10, 100), (storage, 50, 500), (storage, 4, 150)] as [(Hash32, UInt64, UInt64)] {
            #expect(try record(bed, metric, quantity, at).succeeded)
        }
        return bed
    }

    func record(_ bed: T, _ metric: Hash32, _ quantity: UInt64, _ at: UInt64, from sender: Address = T.admin) throws -> T.Result {
        try bed.call(billing, "recordUsage", [.address(T.alice), .word(metric), .number(quantity), .number(at)], from: sender)
    }

    func generate(_ bed: T, _ start: UInt64, _ end: UInt64) throws -> T.Result {
        try bed.call(billing, "generateInvoice", [.address(T.alice), .number(start), .number(end)], from: T.admin)
    }

    /// `metered()` plus invoice 1 for [0, 200] = 3·10 + 2·4 = 38.
    func invoiced() throws -> T {
        let bed = try metered()
        #expect(try generate(bed, 0, 200).values == [.number(1)])
        return bed
    }

    @Test func ratesAreSetByBillingAdmins() throws {
        let bed = try T()
        #expect(try bed.view(billing, "rateOf", [.word(cpu)]) == [.number(0), .bool(false), .number(0)])
        let set = try bed.call(billing, "setRate", [.word(cpu), .number(3)], from: T.admin)
        #expect(try bed.decode(set.outcome.logs[0]) == ("RateSet", [.word(cpu), .number(3)]))
        #expect(try bed.view(billing, "rateOf", [.word(cpu)]) == [.number(3), .bool(true), .number(bed.block.timestamp)])
        #expect(try bed.call(billing, "setRate", [.word(cpu), .number(4)], from: T.alice).revertReason ==
                "Billing.setRate: caller \(T.alice.checksummed) lacks role BILLING_ADMIN")
        #expect(try bed.call(billing, "setRate", [.word(.zero), .number(4)], from: T.admin).revertReason ==
                "Billing.setRate: metric must not be zero")
        // A free metric is a deliberate rate of zero, distinct from "no rate".
        #expect(try bed.call(billing, "setRate", [.word(storage), .number(0)], from: T.admin).succeeded)
        #expect(try bed.view(billing, "rateOf", [.word(storage)])[1] == .bool(true))
    }

    @Test func usageAccumulatesPerAccountAndMetric() throws {
        let bed = try T()
        let recorded = try record(bed, cpu, 10, 100)
        #expect(try bed.decode(recorded.outcome.logs[0]) == ("UsageRecorded", [.address(T.alice), .word(cpu), .number(10), .number(100)]))
        #expect(try record(bed, cpu, 5, 120).succeeded)
        #expect(try record(bed, storage, 7, 130).succeeded)
        #expect(try bed.view(billing, "usageOf", [.address(T.alice), .word(cpu)]) == [.number(15)])
        #expect(try bed.view(billing, "usageOf", [.address(T.alice), .word(storage)]) == [.number(7)])
        #expect(try bed.view(billing, "usageOf", [.address(T.bob), .word(cpu)]) == [.number(0)])
        #expect(try bed.view(billing, "usageCount", [.address(T.alice)]) == [.number(3)])
        #expect(try bed.view(billing, "usageEntry", [.address(T.alice), .number(1)]) == [.word(cpu), .number(5), .number(120), .number(0)])
        #expect(throws: ContractError.revert("Billing.usageEntry: \(T.alice.checksummed) has 3 usage records; index 3 is out of range")) {
            try bed.view(self.billing, "usageEntry", [.address(T.alice), .number(3)])
        }
    }

    @Test func usageNeedsAnOperatorAndSaneArguments() throws {
        let bed = try T()
        #expect(try record(bed, cpu, 1, 1, from: T.alice).revertReason == "Billing.recordUsage: caller \(T.alice.checksummed) lacks role OPERATOR")
        #expect(try record(bed, cpu, 0, 1).revertReason == "Billing.recordUsage: quantity must be greater than zero")
        #expect(try record(bed, .zero, 1, 1).revertReason == "Billing.recordUsage: metric must not be zero")
        #expect(try bed.call(billing, "recordUsage", [.address(.zero), .word(cpu), .number(1), .number(1)], from: T.admin)
            .revertReason == "Billing.recordUsage: account must not be the zero address")
        #expect(try bed.call(billing, "recordUsage", [.address(T.alice), .word(cpu), .uint(.max), .number(1)], from: T.admin).succeeded)
        let overflow = try record(bed, cpu, 1, 2)
        #expect(overflow.revertReason == "Billing.recordUsage: arithmetic overflow: usage total of \(T.alice.checksummed) for this metric would exceed 2^256-1")
        #expect(try bed.view(billing, "usageCount", [.address(T.alice)]) == [.number(1)])
    }

    @Test func invoiceSumsUnbilledUsageInThePeriodExactlyOnce() throws {
        let bed = try metered()
        let generated = try generate(bed, 0, 200)
        #expect(generated.values == [.number(1)])
        #expect(try bed.decode(generated.outcome.logs[0]) == ("InvoiceGenerated", [.number(1), .address(T.alice), .number(38)]))
        #expect(try bed.view(billing, "getInvoice", [.number(1)]) == [.address(T.alice), .number(0), .number(200), .number(38), .number(1), .number(0)])
        #expect(try bed.view(billing, "invoiceDetails", [.number(1)]) == [.number(bed.block.timestamp), .number(0), .number(2), .string("")])
        // Records carry the invoice that billed them; the one outside the period stays unbilled.
        #expect(try bed.view(billing, "usageEntry", [.address(T.alice), .number(0)])[3] == .number(1))
        #expect(try bed.view(billing, "usageEntry", [.address(T.alice), .number(1)])[3] == .number(0))
        #expect(try bed.view(billing, "usageEntry", [.address(T.alice), .number(2)])[3] == .number(1))

        // The same period again has nothing left to bill.
        let again = try generate(bed, 0, 200)
        #expect(again.revertReason == "Billing.generateInvoice: no unbilled usage for \(T.alice.checksummed) between 0 and 200")
        // An overlapping wider period bills only what was not billed yet: storage 50 × 2.
        let wider = try generate(bed, 0, 1_000)
        #expect(try bed.decode(wider.outcome.logs[0]) == ("InvoiceGenerated", [.number(2), .address(T.alice), .number(100)]))
        // Late usage inside an already invoiced period goes on a new invoice, alone.
        #expect(try record(bed, cpu, 1, 120).succeeded)
        #expect(try bed.decode(try generate(bed, 0, 200).outcome.logs[0]).1[2] == .number(3))
        #expect(try bed.view(billing, "invoicesOf", [.address(T.alice)]) == [.array([.number(1), .number(2), .number(3)])])
        #expect(try bed.view(billing, "invoiceCount") == [.number(3)])
        // The period bounds are inclusive.
        #expect(try record(bed, cpu, 1, 2_000).succeeded)
        #expect(try generate(bed, 2_000, 2_000).succeeded)
    }

    @Test func invoiceGenerationFailuresLeaveUsageUnbilled() throws {
        let bed = try metered()
        let unknown = F.word("GPU_HOURS")
        #expect(try record(bed, unknown, 1, 110).succeeded)
        let noRate = try generate(bed, 0, 200)
        #expect(noRate.revertReason == "Billing.generateInvoice: no rate set for metric \(unknown.hex): a BILLING_ADMIN must call setRate first")
        #expect(try bed.view(billing, "usageEntry", [.address(T.alice), .number(0)])[3] == .number(0))
        #expect(try bed.view(billing, "invoiceCount") == [.number(0)])
        #expect(try generate(bed, 300, 200).revertReason == "Billing.generateInvoice: periodStart 300 is after periodEnd 200")
        #expect(try bed.call(billing, "generateInvoice", [.address(T.alice), .number(0), .number(200)], from: T.alice).revertReason ==
                "Billing.generateInvoice: caller \(T.alice.checksummed) lacks role BILLING_ADMIN")
        // Once the rate exists the same usage is billed.
        #expect(try bed.call(billing, "setRate", [.word(unknown), .number(100)], from: T.admin).succeeded)
        #expect(try bed.decode(try generate(bed, 0, 200).outcome.logs[0]).1[2] == .number(138))
    }

    @Test func invoiceAmountOverflowReverts() throws {
        let bed = try T()
        #expect(try bed.call(billing, "setRate", [.word(cpu), .uint(.max)], from: T.admin).succeeded)
        #expect(try record(bed, cpu, 2, 100).succeeded)
        let product = try generate(bed, 0, 200)
        #expect(product.revertReason == "Billing.generateInvoice: arithmetic overflow: invoice amount for \(T.alice.checksummed) would exceed 2^256-1")
        // A sum of individually representable costs overflows as well.
        let bed2 = try T()
        #expect(try bed2.call(billing, "setRate", [.word(cpu), .uint(.max)], from: T.admin).succeeded)
        #expect(try record(bed2, cpu, 1, 100).succeeded && record(bed2, cpu, 1, 101).succeeded)
        #expect(try generate(bed2, 0, 200).revertReason?.contains("arithmetic overflow") == true)
        #expect(try bed2.view(billing, "usageEntry", [.address(T.alice), .number(0)])[3] == .number(0))
    }

    @Test func defaultThresholdIsOneAndSettlementDebitsCredit() throws {
        let bed = try invoiced()
        #expect(try bed.view(billing, "approvalThreshold") == [.number(1)])
        let approved = try bed.call(billing, "approveInvoice", [.number(1)], from: T.admin)
        #expect(try bed.decode(approved.outcome.logs[0]) == ("InvoiceApproved", [.number(1), .address(T.admin)]))
        #expect(Array(try bed.view(billing, "getInvoice", [.number(1)])[4...5]) == [.number(2), .number(1)])
        #expect(try bed.call(billing, "settleInvoice", [.number(1)], from: T.alice).revertReason ==
                "Billing.settleInvoice: insufficient credit: \(T.alice.checksummed) has 0, invoice 1 needs 38; deposit more credit first")
        let deposit = try bed.call(billing, "deposit", [.address(T.alice), .number(100)], from: T.admin)
        #expect(try bed.decode(deposit.outcome.logs[0]) == ("CreditDeposited", [.address(T.alice), .number(100)]))
        #expect(try bed.call(billing, "settleInvoice", [.number(1)], from: T.bob).revertReason ==
                "Billing.settleInvoice: only the billed account \(T.alice.checksummed) or a BILLING_ADMIN may settle invoice 1")
        bed.block.timestamp += 10
        let settled = try bed.call(billing, "settleInvoice", [.number(1)], from: T.alice)
        #expect(try bed.decode(settled.outcome.logs[0]) == ("InvoiceSettled", [.number(1), .number(38)]))
        #expect(try bed.view(billing, "creditOf", [.address(T.alice)]) == [.number(62)])
        #expect(try bed.view(billing, "getInvoice", [.number(1)])[4] == .number(3))
        #expect(try bed.view(billing, "invoiceDetails", [.number(1)])[1] == .number(bed.block.timestamp))
        #expect(try bed.call(billing, "settleInvoice", [.number(1)], from: T.admin).revertReason == "Billing.settleInvoice: invoice 1 is already settled")
        #expect(try bed.call(billing, "approveInvoice", [.number(1)], from: T.admin).revertReason == "Billing.approveInvoice: invoice 1 is already settled")
        #expect(try bed.call(billing, "disputeInvoice", [.number(1), .string("late")], from: T.alice).revertReason ==
                "Billing.disputeInvoice: invoice 1 is already settled and can no longer be disputed")
        #expect(try bed.view(billing, "creditOf", [.address(T.alice)]) == [.number(62)])
    }

    @Test func approvalsComeFromDistinctVerifiersUpToTheGovernanceThreshold() throws {
        let bed = try invoiced()
        try F.setBillingApprovals(bed, 2)
        #expect(try bed.view(billing, "approvalThreshold") == [.number(2)])
        try F.grant(bed, Roles.billingVerifier, to: T.bob)
        try F.grant(bed, Roles.billingVerifier, to: T.carol)
        #expect(try bed.call(billing, "approveInvoice", [.number(1)], from: T.alice).revertReason ==
                "Billing.approveInvoice: caller \(T.alice.checksummed) lacks role BILLING_VERIFIER")
        #expect(try bed.call(billing, "approveInvoice", [.number(1)], from: T.bob).succeeded)
        #expect(Array(try bed.view(billing, "getInvoice", [.number(1)])[4...5]) == [.number(1), .number(1)])
        #expect(try bed.view(billing, "hasApproved", [.number(1), .address(T.bob)]) == [.bool(true)])
        #expect(try bed.call(billing, "approveInvoice", [.number(1)], from: T.bob).revertReason ==
                "Billing.approveInvoice: \(T.bob.checksummed) has already approved invoice 1")
        try F.grant(bed, Roles.billingVerifier, to: T.alice)
        #expect(try bed.call(billing, "approveInvoice", [.number(1)], from: T.alice).revertReason ==
                "Billing.approveInvoice: the billed account \(T.alice.checksummed) cannot approve its own invoice")
        #expect(try bed.call(billing, "deposit", [.address(T.alice), .number(38)], from: T.admin).succeeded)
        #expect(try bed.call(billing, "settleInvoice", [.number(1)], from: T.admin).revertReason ==
                "Billing.settleInvoice: invoice 1 has 1 of the 2 approvals it needs from BILLING_VERIFIERs")
        #expect(try bed.call(billing, "approveInvoice", [.number(1)], from: T.carol).succeeded)
        #expect(Array(try bed.view(billing, "getInvoice", [.number(1)])[4...5]) == [.number(2), .number(2)])
        #expect(try bed.call(billing, "approveInvoice", [.number(1)], from: T.admin).revertReason ==
                "Billing.approveInvoice: invoice 1 already has the 2 approvals it needs")
        // A threshold raised after approval applies at settlement, and one more verifier can then approve.
        try F.setBillingApprovals(bed, 3)
        #expect(try bed.call(billing, "settleInvoice", [.number(1)], from: T.admin).revertReason?.contains("has 2 of the 3 approvals") == true)
        #expect(try bed.call(billing, "approveInvoice", [.number(1)], from: T.admin).succeeded)
        #expect(try bed.call(billing, "settleInvoice", [.number(1)], from: T.admin).succeeded)
        #expect(try bed.view(billing, "creditOf", [.address(T.alice)]) == [.number(0)])
    }

    @Test func disputesBlockSettlementUntilResolved() throws {
        let bed = try invoiced()
        #expect(try bed.call(billing, "approveInvoice", [.number(1)], from: T.admin).succeeded)
        #expect(try bed.call(billing, "deposit", [.address(T.alice), .number(100)], from: T.admin).succeeded)
        #expect(try bed.call(billing, "disputeInvoice", [.number(1), .string("x")], from: T.bob).revertReason ==
                "Billing.disputeInvoice: only the billed account \(T.alice.checksummed) may dispute invoice 1")
        #expect(try bed.call(billing, "disputeInvoice", [.number(1), .string("")], from: T.alice).revertReason ==
                "Billing.disputeInvoice: reason must not be empty: say what is wrong with the invoice")
        let disputed = try bed.call(billing, "disputeInvoice", [.number(1), .string("storage double-metered")], from: T.alice)
        #expect(try bed.decode(disputed.outcome.logs[0]) == ("InvoiceDisputed", [.number(1), .string("storage double-metered")]))
        #expect(try bed.view(billing, "getInvoice", [.number(1)])[4] == .number(4))
        #expect(try bed.call(billing, "settleInvoice", [.number(1)], from: T.alice).revertReason ==
                "Billing.settleInvoice: invoice 1 is disputed (\"storage double-metered\"): it cannot be settled until a BILLING_ADMIN resolves the dispute")
        #expect(try bed.call(billing, "approveInvoice", [.number(1)], from: T.admin).revertReason ==
                "Billing.approveInvoice: invoice 1 is disputed: a BILLING_ADMIN must resolve the dispute before it can be approved")
        #expect(try bed.call(billing, "disputeInvoice", [.number(1), .string("again")], from: T.alice).revertReason ==
                "Billing.disputeInvoice: invoice 1 is already disputed")
        #expect(try bed.call(billing, "resolveDispute", [.number(1), .number(30)], from: T.alice).revertReason ==
                "Billing.resolveDispute: caller \(T.alice.checksummed) lacks role BILLING_ADMIN")
        #expect(try bed.call(billing, "resolveDispute", [.number(1), .number(39)], from: T.admin).revertReason ==
                "Billing.resolveDispute: adjusted amount 39 exceeds the disputed amount 38: resolving a dispute can only lower an invoice")
        let resolved = try bed.call(billing, "resolveDispute", [.number(1), .number(30)], from: T.admin)
        #expect(try bed.decode(resolved.outcome.logs[0]) == ("DisputeResolved", [.number(1), .number(30)]))
        // Back to pending with a fresh approval round.
        #expect(Array(try bed.view(billing, "getInvoice", [.number(1)])[3...5]) == [.number(30), .number(1), .number(0)])
        #expect(try bed.view(billing, "hasApproved", [.number(1), .address(T.admin)]) == [.bool(false)])
        #expect(try bed.view(billing, "invoiceDetails", [.number(1)])[3] == .string("storage double-metered"))
        #expect(try bed.call(billing, "resolveDispute", [.number(1), .number(30)], from: T.admin).revertReason ==
                "Billing.resolveDispute: invoice 1 is not disputed (status 1)")
        #expect(try bed.call(billing, "settleInvoice", [.number(1)], from: T.alice).revertReason?.contains("has 0 of the 1 approvals") == true)
        #expect(try bed.call(billing, "approveInvoice", [.number(1)], from: T.admin).succeeded)
        #expect(try bed.call(billing, "settleInvoice", [.number(1)], from: T.alice).succeeded)
        #expect(try bed.view(billing, "creditOf", [.address(T.alice)]) == [.number(70)])
    }

    @Test func creditsComeFromBillingAdminsOrServiceLevels() throws {
        let bed = try T()
        let reason = F.word("GOODWILL")
        let issued = try bed.call(billing, "issueCredit", [.address(T.alice), .number(5), .word(reason)], from: T.admin)
        #expect(try bed.decode(issued.outcome.logs[0]) == ("CreditIssued", [.address(T.alice), .number(5), .word(reason)]))
        #expect(try bed.call(billing, "issueCredit", [.address(T.alice), .number(5), .word(reason)], from: T.bob).revertReason ==
                "Billing.issueCredit: caller \(T.bob.checksummed) lacks role BILLING_ADMIN")
        // The ServiceLevels contract address is accepted as a sender without any role.
        #expect(try bed.call(billing, "issueCredit", [.address(T.alice), .number(7), .word(reason)], from: SystemAddresses.serviceLevels).succeeded)
        #expect(try bed.call(billing, "issueCredit", [.address(T.alice), .number(0), .word(reason)], from: T.admin).revertReason ==
                "Billing.issueCredit: amount must be greater than zero")
        #expect(try bed.call(billing, "deposit", [.address(.zero), .number(1)], from: T.admin).revertReason ==
                "Billing.deposit: account must not be the zero address")
        #expect(try bed.call(billing, "deposit", [.address(T.alice), .number(1)], from: T.carol).revertReason ==
                "Billing.deposit: caller \(T.carol.checksummed) lacks role BILLING_ADMIN")
        #expect(try bed.view(billing, "creditOf", [.address(T.alice)]) == [.number(12)])
        #expect(try bed.call(billing, "deposit", [.address(T.bob), .uint(.max)], from: T.admin).succeeded)
        #expect(try bed.call(billing, "deposit", [.address(T.bob), .number(1)], from: T.admin).revertReason ==
                "Billing.deposit: arithmetic overflow: credit of \(T.bob.checksummed) would exceed 2^256-1")
        #expect(try bed.call(billing, "issueCredit", [.address(T.bob), .number(1), .word(reason)], from: T.admin).revertReason ==
                "Billing.issueCredit: arithmetic overflow: credit of \(T.bob.checksummed) would exceed 2^256-1")
        #expect(try bed.view(billing, "creditOf", [.address(T.bob)]) == [.uint(.max)])
    }

    @Test func resourceRegistryIsAcceptedAsAUsageRecorder() throws {
        let bed = try T()
        #expect(try bed.call(billing, "recordUsage", [.address(T.alice), .word(cpu), .number(2), .number(9)],
                             from: SystemAddresses.resourceRegistry).succeeded)
        #expect(try bed.call(billing, "recordUsage", [.address(T.alice), .word(cpu), .number(2), .number(9)],
                             from: SystemAddresses.serviceLevels).revertReason?.contains("lacks role OPERATOR") == true)
    }

    @Test func unknownInvoicesRevert() throws {
        let bed = try T()
        #expect(throws: ContractError.revert("Billing.getInvoice: no invoice with id 9")) { try bed.view(self.billing, "getInvoice", [.number(9)]) }
        #expect(try bed.call(billing, "approveInvoice", [.number(9)], from: T.admin).revertReason == "Billing.approveInvoice: no invoice with id 9")
        #expect(try bed.call(billing, "settleInvoice", [.number(0)], from: T.admin).revertReason == "Billing.settleInvoice: no invoice with id 0")
        #expect(try bed.call(billing, "disputeInvoice", [.number(1), .string("x")], from: T.alice).revertReason == "Billing.disputeInvoice: no invoice with id 1")
    }

    @Test func exhaustedInvoiceIdsRevertInsteadOfTrapping() throws {
        let bed = try metered()
        try bed.storage.store(billing, BillingLayout.invoiceCount, UInt256(UInt64.max).minimalBigEndianBytes)
        #expect(try generate(bed, 0, 200).revertReason == "Billing.generateInvoice: arithmetic overflow: invoice ids are exhausted")
        #expect(try bed.view(billing, "usageEntry", [.address(T.alice), .number(0)])[3] == .number(0))
    }

    @Test func pausedBillingRefusesChangesButAnswersReads() throws {
        let bed = try invoiced()
        try F.pause(bed, billing)
        for (name, args) in [("setRate", [.word(cpu), .number(1)]), ("approveInvoice", [.number(1)]),
                             ("deposit", [.address(T.alice), .number(1)]), ("generateInvoice", [.address(T.alice), .number(0), .number(9_999)])]
            as [(String, [ABIValue])] {
            #expect(try bed.call(billing, name, args, from: T.admin).revertReason == "Billing is paused")
        }
        #expect(try bed.call(billing, "disputeInvoice", [.number(1), .string("x")], from: T.alice).revertReason == "Billing is paused")
        #expect(try bed.view(billing, "getInvoice", [.number(1)])[3] == .number(38))
        try F.unpause(bed, billing)
        #expect(try bed.call(billing, "approveInvoice", [.number(1)], from: T.admin).succeeded)
    }

    @Test func gasIsMeteredAndDeterministic() throws {
        func scenario() throws -> [(String, UInt64)] {
            let bed = try T()
            let rate = try bed.call(billing, "setRate", [.word(cpu), .number(3)], from: T.admin)
            let usage = try record(bed, cpu, 10, 100)
            let deposit = try bed.call(billing, "deposit", [.address(T.alice), .number(100)], from: T.admin)
            let invoice = try generate(bed, 0, 200)
            let approve = try bed.call(billing, "approveInvoice", [.number(1)], from: T.admin)
            let settle = try bed.call(billing, "settleInvoice", [.number(1)], from: T.alice)
            #expect(try generate(bed, 0, 1).revertReason != nil)
            #expect(try record(bed, cpu, 1, 150).succeeded)
            let invoice2 = try generate(bed, 0, 200)
            let dispute = try bed.call(billing, "disputeInvoice", [.number(2), .string("wrong meter")], from: T.alice)
            let credit = try bed.call(billing, "issueCredit", [.address(T.alice), .number(5), .word(F.word("GOODWILL"))], from: T.admin)
            let creditOf = try bed.call(billing, "creditOf", [.address(T.alice)], from: T.alice, isStatic: true)
            let get = try bed.call(billing, "getInvoice", [.number(2)], from: T.alice, isStatic: true)
            return [("Billing.creditOf", creditOf.outcome.gasUsed), ("Billing.getInvoice", get.outcome.gasUsed),
                    ("Billing.setRate", rate.outcome.gasUsed), ("Billing.recordUsage", usage.outcome.gasUsed),
                    ("Billing.deposit", deposit.outcome.gasUsed), ("Billing.generateInvoice (1 record)", invoice.outcome.gasUsed),
                    ("Billing.approveInvoice", approve.outcome.gasUsed), ("Billing.settleInvoice", settle.outcome.gasUsed),
                    ("Billing.generateInvoice (after 1 billed)", invoice2.outcome.gasUsed),
                    ("Billing.disputeInvoice", dispute.outcome.gasUsed), ("Billing.issueCredit", credit.outcome.gasUsed)]
        }
        let first = try scenario()
        let second = try scenario()
        #expect(first.map(\.1) == second.map(\.1))
        #expect(first.allSatisfy { $0.1 > 0 })
        F.report(first)
    }
}
