import SankofaPrimitives
import Testing
@testable import SankofaContracts

@Suite("ResourceRegistry")
struct ResourceRegistryTests {
    typealias T = ContractTestbed
    typealias F = SettlementFixtures
    let registry = SystemAddresses.resourceRegistry
    let billing = SystemAddresses.billing
    let vm = F.word("VM")
    let euWest = F.word("eu-west")
    let cpuHours = F.word("CPU_HOURS")

    /// alice requests a regional VM (id 1); the admin (an OPERATOR) provisions it when `provision` is true.
    func requested(provision: Bool = true) throws -> T {
        let bed = try T()
        let request = try bed.call(registry, "requestResource", [.word(vm), .string("4 vCPU"), .word(euWest), .number(2)], from: T.alice)
        #expect(request.values == [.number(1)])
        if provision {
            #expect(try bed.call(registry, "markProvisioned", [.number(1), .string("i-0abc")], from: T.admin).succeeded)
        }
        return bed
    }

    func usage(_ bed: T, id: UInt64 = 1, quantity: UInt256 = UInt256(5), from sender: Address = T.admin) throws -> T.Result {
        try bed.call(registry, "recordUsage", [.number(id), .word(cpuHours), .uint(quantity), .number(1_000), .number(2_000)], from: sender)
    }

    @Test func lifecycleHappyPath() throws {
        let bed = try T()
        let start = bed.block.timestamp
        let request = try bed.call(registry, "requestResource", [.word(vm), .string("4 vCPU"), .word(euWest), .number(2)], from: T.alice)
        #expect(request.succeeded && request.values == [.number(1)])
        #expect(try F.events(bed, request).map(\.2) == [[.number(1), .address(T.alice), .word(vm), .word(euWest), .number(2)]])
        #expect(try bed.decode(request.outcome.logs[0]).0 == "ResourceRequested")
        #expect(try bed.view(registry, "getResource", [.number(1)]) ==
                [.address(T.alice), .word(vm), .word(euWest), .number(2), .number(1), .string("4 vCPU"), .string("")])
        #expect(try bed.view(registry, "resourcesOf", [.address(T.alice)]) == [.array([.number(1)])])
        #expect(try bed.view(registry, "resourcesOf", [.address(T.bob)]) == [.array([])])
        #expect(try bed.view(registry, "resourcesInRegion", [.word(euWest)]) == [.array([.number(1)])])
        #expect(try bed.view(registry, "resourceCount") == [.number(1)])

        bed.block.timestamp += 60
        let provisioned = try bed.call(registry, "markProvisioned", [.number(1), .string("i-0abc")], from: T.admin)
        #expect(try bed.decode(provisioned.outcome.logs[0]) == ("ResourceProvisioned", [.number(1), .string("i-0abc")]))
        #expect(Array(try bed.view(registry, "getResource", [.number(1)])[4...6]) == [.number(2), .string("4 vCPU"), .string("i-0abc")])

        let used = try usage(bed)
        #expect(used.succeeded)
        let events = try F.events(bed, used)
        #expect(events.map(\.0) == [registry, billing])
        #expect(events[0].1 == "ResourceUsage" && events[0].2 == [.number(1), .word(cpuHours), .number(5), .number(1_000), .number(2_000)])
        // Billing bills the owner, at the end of the metering period.
        #expect(events[1].1 == "UsageRecorded" && events[1].2 == [.address(T.alice), .word(cpuHours), .number(5), .number(2_000)])
        #expect(try bed.view(registry, "usageCount", [.number(1)]) == [.number(1)])
        #expect(try bed.view(registry, "usageEntry", [.number(1), .number(0)]) ==
                [.word(cpuHours), .number(5), .number(1_000), .number(2_000), .number(bed.block.timestamp)])
        #expect(try bed.view(registry, "usageTotal", [.number(1), .word(cpuHours)]) == [.number(5)])
        #expect(try usage(bed, quantity: UInt256(7)).succeeded)
        #expect(try bed.view(registry, "usageTotal", [.number(1), .word(cpuHours)]) == [.number(12)])
        #expect(try bed.view(billing, "usageOf", [.address(T.alice), .word(cpuHours)]) == [.number(12)])

        bed.block.timestamp += 60
        let released = try bed.call(registry, "releaseResource", [.number(1)], from: T.alice)
        #expect(try bed.decode(released.outcome.logs[0]) == ("ResourceReleased", [.number(1)]))
        #expect(try bed.view(registry, "getResource", [.number(1)])[4] == .number(3))
        #expect(try bed.view(registry, "resourceTimes", [.number(1)]) == [.number(start), .number(start + 60), .number(start + 120)])
        // Released resources stay listed (the state says they are gone).
        #expect(try bed.view(registry, "resourcesOf", [.address(T.alice)]) == [.array([.number(1)])])
    }

    @Test(arguments: [0, 4, 255] as [UInt64])
    func invalidTiersAreRefused(tier: UInt64) throws {
        let bed = try T()
        let result = try bed.call(registry, "requestResource", [.word(vm), .string(""), .word(euWest), .number(tier)], from: T.alice)
        #expect(result.revertReason == "ResourceRegistry.requestResource: tier \(tier) is not valid: use 1 (core), 2 (regional) or 3 (edge)")
        #expect(!result.succeeded && result.outcome.logs.isEmpty && result.outcome.gasUsed > 0)
        #expect(try bed.view(registry, "resourceCount") == [.number(0)])
        #expect(try bed.view(registry, "resourcesOf", [.address(T.alice)]) == [.array([])])
    }

    @Test func everyTierIsAccepted() throws {
        let bed = try T()
        for tier in ResourceTier.allCases {
            let result = try bed.call(registry, "requestResource", [.word(vm), .string(""), .word(euWest), .number(UInt64(tier.rawValue))], from: T.bob)
            #expect(result.values == [.number(UInt64(tier.rawValue))])
        }
        #expect(try bed.view(registry, "resourcesOf", [.address(T.bob)]) == [.array([.number(1), .number(2), .number(3)])])
        #expect(try bed.view(registry, "getResource", [.number(3)])[3] == .number(3))
    }

    @Test func invalidRequestsAreRefused() throws {
        let bed = try T()
        #expect(try bed.call(registry, "requestResource", [.word(.zero), .string(""), .word(euWest), .number(1)], from: T.alice)
            .revertReason == "ResourceRegistry.requestResource: resourceType must not be zero")
        #expect(try bed.call(registry, "requestResource", [.word(vm), .string(""), .word(.zero), .number(1)], from: T.alice)
            .revertReason == "ResourceRegistry.requestResource: region must not be zero")
    }

    @Test func wrongStateTransitionsRevert() throws {
        let bed = try requested(provision: false)
        #expect(try usage(bed).revertReason == "ResourceRegistry.recordUsage: resource 1 is not provisioned yet: call markProvisioned first")
        #expect(try bed.call(registry, "markProvisioned", [.number(1), .string("")], from: T.admin).revertReason ==
                "ResourceRegistry.markProvisioned: externalRef must not be empty: give the provider's identifier for the resource")
        #expect(try bed.call(registry, "markProvisioned", [.number(1), .string("i-1")], from: T.admin).succeeded)
        #expect(try bed.call(registry, "markProvisioned", [.number(1), .string("i-2")], from: T.admin).revertReason ==
                "ResourceRegistry.markProvisioned: resource 1 is already provisioned (externalRef \"i-1\")")
        #expect(try bed.call(registry, "releaseResource", [.number(1)], from: T.admin).succeeded)
        let late = try usage(bed)
        #expect(late.revertReason == "ResourceRegistry.recordUsage: resource 1 was released; usage can no longer be recorded")
        #expect(late.outcome.logs.isEmpty)
        #expect(try bed.call(registry, "markProvisioned", [.number(1), .string("i-3")], from: T.admin).revertReason ==
                "ResourceRegistry.markProvisioned: resource 1 was released and cannot be provisioned")
        #expect(try bed.call(registry, "releaseResource", [.number(1)], from: T.alice).revertReason ==
                "ResourceRegistry.releaseResource: resource 1 is already released")
        #expect(try bed.view(registry, "usageCount", [.number(1)]) == [.number(0)])
        #expect(try bed.view(registry, "getResource", [.number(1)])[6] == .string("i-1"))
    }

    @Test func aRequestCanBeCancelledBeforeProvisioning() throws {
        let bed = try requested(provision: false)
        #expect(try bed.call(registry, "releaseResource", [.number(1)], from: T.alice).succeeded)
        #expect(try bed.view(registry, "resourceTimes", [.number(1)])[1] == .number(0))
    }

    @Test func rolesAndOwnershipAreEnforced() throws {
        let bed = try requested(provision: false)
        #expect(try bed.call(registry, "markProvisioned", [.number(1), .string("i-1")], from: T.alice).revertReason ==
                "ResourceRegistry.markProvisioned: caller \(T.alice.checksummed) lacks role OPERATOR")
        #expect(try bed.call(registry, "markProvisioned", [.number(1), .string("i-1")], from: T.admin).succeeded)
        #expect(try usage(bed, from: T.alice).revertReason == "ResourceRegistry.recordUsage: caller \(T.alice.checksummed) lacks role OPERATOR")
        #expect(try bed.call(registry, "releaseResource", [.number(1)], from: T.bob).revertReason ==
                "ResourceRegistry.releaseResource: only the owner \(T.alice.checksummed) or an OPERATOR may release resource 1")
        // A newly granted OPERATOR may meter and release someone else's resource.
        try F.grant(bed, Roles.operator, to: T.carol)
        #expect(try usage(bed, from: T.carol).succeeded)
        #expect(try bed.call(registry, "releaseResource", [.number(1)], from: T.carol).succeeded)
    }

    @Test func unknownIdsAndIndexesRevert() throws {
        let bed = try requested()
        #expect(try bed.call(registry, "markProvisioned", [.number(9), .string("x")], from: T.admin).revertReason ==
                "ResourceRegistry.markProvisioned: no resource with id 9")
        #expect(try usage(bed, id: 9).revertReason == "ResourceRegistry.recordUsage: no resource with id 9")
        #expect(try bed.call(registry, "releaseResource", [.uint(.max)], from: T.admin).revertReason ==
                "ResourceRegistry.releaseResource: no resource with id \(UInt256.max.decimalString)")
        #expect(throws: ContractError.revert("ResourceRegistry.getResource: no resource with id 0")) {
            try bed.view(self.registry, "getResource", [.number(0)])
        }
        #expect(throws: ContractError.revert("ResourceRegistry.usageEntry: resource 1 has 0 usage records; index 0 is out of range")) {
            try bed.view(self.registry, "usageEntry", [.number(1), .number(0)])
        }
    }

    @Test func usageArgumentsAreValidated() throws {
        let bed = try requested()
        #expect(try usage(bed, quantity: .zero).revertReason == "ResourceRegistry.recordUsage: quantity must be greater than zero")
        #expect(try bed.call(registry, "recordUsage", [.number(1), .word(.zero), .number(1), .number(1), .number(2)], from: T.admin)
            .revertReason == "ResourceRegistry.recordUsage: metric must not be zero")
        #expect(try bed.call(registry, "recordUsage", [.number(1), .word(cpuHours), .number(1), .number(3), .number(2)], from: T.admin)
            .revertReason == "ResourceRegistry.recordUsage: periodStart 3 is after periodEnd 2")
    }

    @Test func usageTotalOverflowReverts() throws {
        let bed = try requested()
        #expect(try usage(bed, quantity: .max).succeeded)
        let overflow = try usage(bed, quantity: .one)
        #expect(overflow.revertReason ==
                "ResourceRegistry.recordUsage: arithmetic overflow: usage total of resource 1 for this metric would exceed 2^256-1")
        #expect(try bed.view(registry, "usageCount", [.number(1)]) == [.number(1)])
        #expect(try bed.view(registry, "usageTotal", [.number(1), .word(cpuHours)]) == [.uint(.max)])
        #expect(try bed.view(billing, "usageCount", [.address(T.alice)]) == [.number(1)])
    }

    @Test func exhaustedIdsAndCorruptStatesRevertInsteadOfTrapping() throws {
        let bed = try requested()
        try bed.storage.store(registry, ResourceLayout.count, UInt256(UInt64.max).minimalBigEndianBytes)
        #expect(try bed.call(registry, "requestResource", [.word(vm), .string(""), .word(euWest), .number(1)], from: T.alice)
            .revertReason == "ResourceRegistry.requestResource: arithmetic overflow: resource ids are exhausted")
        var record = try ResourceRecord(rlp: try bed.storage.load(registry, ResourceLayout.resource(1)))
        record.state = 9
        try bed.storage.store(registry, ResourceLayout.resource(1), record.rlpEncoded)
        #expect(try usage(bed).revertReason == "ResourceRegistry.recordUsage: resource 1 has unknown state 9")
        #expect(try bed.call(registry, "markProvisioned", [.number(1), .string("x")], from: T.admin).revertReason ==
                "ResourceRegistry.markProvisioned: resource 1 has unknown state 9")
        try bed.storage.store(registry, ResourceLayout.resource(1), [0xC0])
        #expect(try bed.call(registry, "releaseResource", [.number(1)], from: T.admin).revertReason?
            .hasPrefix("ResourceRegistry.releaseResource: stored record is corrupt") == true)
    }

    @Test func pausedRegistryRefusesChangesButAnswersReads() throws {
        let bed = try requested()
        try F.pause(bed, registry)
        #expect(try bed.call(registry, "requestResource", [.word(vm), .string(""), .word(euWest), .number(1)], from: T.alice)
            .revertReason == "ResourceRegistry is paused")
        #expect(try usage(bed).revertReason == "ResourceRegistry is paused")
        #expect(try bed.call(registry, "releaseResource", [.number(1)], from: T.alice).revertReason == "ResourceRegistry is paused")
        #expect(try bed.view(registry, "getResource", [.number(1)])[4] == .number(2))
        try F.unpause(bed, registry)
        #expect(try bed.call(registry, "releaseResource", [.number(1)], from: T.alice).succeeded)
    }

    /// Usage and its bill are one unit: with Billing paused the usage record is refused entirely.
    @Test func pausedBillingRollsBackTheUsage() throws {
        let bed = try requested()
        try F.pause(bed, billing)
        let refused = try usage(bed)
        #expect(refused.revertReason == "Billing is paused")
        #expect(refused.outcome.logs.isEmpty && refused.outcome.gasUsed > 0)
        #expect(try bed.view(registry, "usageCount", [.number(1)]) == [.number(0)])
        #expect(try bed.view(registry, "usageTotal", [.number(1), .word(cpuHours)]) == [.number(0)])
        #expect(try bed.view(billing, "usageCount", [.address(T.alice)]) == [.number(0)])
        try F.unpause(bed, billing)
        #expect(try usage(bed).succeeded)
        #expect(try bed.view(registry, "usageCount", [.number(1)]) == [.number(1)])
        #expect(try bed.view(billing, "usageOf", [.address(T.alice), .word(cpuHours)]) == [.number(5)])
    }

    @Test func gasIsMeteredAndDeterministic() throws {
        func scenario() throws -> [(String, UInt64)] {
            let bed = try T()
            let request = try bed.call(registry, "requestResource", [.word(vm), .string("4 vCPU"), .word(euWest), .number(2)], from: T.alice)
            let provision = try bed.call(registry, "markProvisioned", [.number(1), .string("i-0abc")], from: T.admin)
            let used = try usage(bed)
            let get = try bed.call(registry, "getResource", [.number(1)], from: T.alice, isStatic: true)
            let list = try bed.call(registry, "resourcesOf", [.address(T.alice)], from: T.alice, isStatic: true)
            let release = try bed.call(registry, "releaseResource", [.number(1)], from: T.alice)
            return [("ResourceRegistry.getResource", get.outcome.gasUsed), ("ResourceRegistry.resourcesOf (1 id)", list.outcome.gasUsed),
                    ("ResourceRegistry.requestResource", request.outcome.gasUsed), ("ResourceRegistry.markProvisioned", provision.outcome.gasUsed),
                    ("ResourceRegistry.recordUsage", used.outcome.gasUsed), ("ResourceRegistry.releaseResource", release.outcome.gasUsed)]
        }
        let first = try scenario()
        let second = try scenario()
        #expect(first.map(\.1) == second.map(\.1))
        #expect(first.allSatisfy { $0.1 > 0 })
        // recordUsage pays for Billing's work too: more than a plain provisioning.
        #expect(first[2].1 > first[1].1)
        F.report(first)
    }
}
