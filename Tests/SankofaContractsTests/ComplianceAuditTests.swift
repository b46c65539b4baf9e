import SankofaPrimitives
import Testing
@testable import SankofaContracts

@Suite("ComplianceAudit")
struct ComplianceAuditTests {
    typealias T = ContractTestbed
    let audit = SystemAddresses.complianceAudit
    let soc2 = ComplianceAuditTests.text("SOC2")
    let gdpr = ComplianceAuditTests.text("GDPR")
    let cc61 = ComplianceAuditTests.text("CC6.1")
    let cc72 = ComplianceAuditTests.text("CC7.2")
    let evidence = Keccak256.hash(Array("pentest-report".utf8))
    let customers = ComplianceAuditTests.text("customers")
    let euWest = ComplianceAuditTests.text("eu-west")
    let afWest = ComplianceAuditTests.text("af-west")

    /// A bytes32 holding `value` left-aligned and zero-padded, as Solidity's `bytes32("…")`.
    static func text(_ value: String) -> Hash32 {
        Hash32(bytes: Array(value.utf8) + [UInt8](repeating: 0, count: 32 - value.utf8.count)) ?? .zero
    }

    func attest(_ bed: T, _ framework: Hash32, _ control: Hash32, _ compliant: Bool, note: String = "") throws -> T.Result {
        try bed.call(audit, "recordAttestation", [.word(framework), .word(control), .bool(compliant), .word(evidence), .string(note)],
                     from: T.admin)
    }

    func reason(_ bed: T, _ name: String, _ args: [ABIValue], from: Address = T.admin) throws -> String? {
        let result = try bed.call(audit, name, args, from: from)
        #expect(!result.succeeded && result.outcome.logs.isEmpty && result.outcome.gasUsed > 0)
        return result.revertReason
    }

    @Test func attestationsAreSequentialAndReadable() throws {
        let bed = try T()
        #expect(try bed.view(audit, "attestationCount") == [.number(0)])
        #expect(try bed.view(audit, "latestStatus", [.word(soc2), .word(cc61)]) == [.bool(false), .number(0)])
        let first = try attest(bed, soc2, cc61, true, note: "Q3 review")
        #expect(first.values == [.number(1)])
        #expect(try bed.decode(try #require(first.outcome.logs.first)) ==
            ("AttestationRecorded", [.number(1), .word(soc2), .word(cc61), .bool(true), .address(T.admin)]))
        #expect(try bed.view(audit, "getAttestation", [.number(1)]) ==
            [.word(soc2), .word(cc61), .bool(true), .word(evidence), .address(T.admin), .number(bed.block.timestamp)])
        #expect(try bed.view(audit, "attestationNote", [.number(1)]) == [.string("Q3 review")])
        #expect(try bed.view(audit, "latestStatus", [.word(soc2), .word(cc61)]) == [.bool(true), .number(1)])

        bed.block.timestamp += 100
        #expect(try attest(bed, soc2, cc72, true).values == [.number(2)])
        #expect(try attest(bed, soc2, cc61, false, note: "MFA gap").values == [.number(3)])
        #expect(try attest(bed, gdpr, cc61, true).values == [.number(4)])
        #expect(try bed.view(audit, "attestationCount") == [.number(4)])
        // The latest attestation decides; earlier ones stay as they were.
        #expect(try bed.view(audit, "latestStatus", [.word(soc2), .word(cc61)]) == [.bool(false), .number(3)])
        #expect(try bed.view(audit, "getAttestation", [.number(1)])[2] == .bool(true))
        #expect(try bed.view(audit, "latestStatus", [.word(gdpr), .word(cc61)]) == [.bool(true), .number(4)])
        #expect(try bed.view(audit, "latestStatus", [.word(gdpr), .word(cc72)]) == [.bool(false), .number(0)])
        #expect(try bed.view(audit, "attestationsFor", [.word(soc2), .word(cc61)]) == [.array([.number(1), .number(3)])])
        #expect(try bed.view(audit, "attestationsFor", [.word(gdpr), .word(cc72)]) == [.array([])])
        #expect(try bed.view(audit, "frameworks") == [.array([.word(soc2), .word(gdpr)])])
        #expect(try bed.view(audit, "controlsOf", [.word(soc2)]) == [.array([.word(cc61), .word(cc72)])])
    }

    @Test func attestationRevertReasons() throws {
        let bed = try T()
        #expect(try reason(bed, "recordAttestation", [.word(soc2), .word(cc61), .bool(true), .word(evidence), .string("")], from: T.alice) ==
            "ComplianceAudit.recordAttestation: caller \(T.alice.checksummed) lacks role AUDITOR")
        #expect(try reason(bed, "recordAttestation", [.word(.zero), .word(cc61), .bool(true), .word(evidence), .string("")]) ==
            "ComplianceAudit.recordAttestation: framework must not be zero")
        #expect(try reason(bed, "recordAttestation", [.word(soc2), .word(.zero), .bool(true), .word(evidence), .string("")]) ==
            "ComplianceAudit.recordAttestation: control id must not be zero")
        #expect(try reason(bed, "getAttestation", [.number(1)]) == "ComplianceAudit.getAttestation: no attestation 1")
        #expect(try reason(bed, "attestationNote", [.number(0)]) == "ComplianceAudit.attestationNote: no attestation 0")
        #expect(try reason(bed, "auditLogEntry", [.number(0)]) ==
            "ComplianceAudit.auditLogEntry: the audit log has 0 entries; index 0 is out of range")
        #expect(try bed.view(audit, "attestationCount") == [.number(0)])
        #expect(try bed.view(audit, "auditLogLength") == [.number(0)])
    }

    @Test func dataResidencyDeclarations() throws {
        let bed = try T()
        #expect(try bed.view(audit, "residencyOf", [.word(customers)]) == [.word(.zero)])
        let declared = try bed.call(audit, "declareDataResidency", [.word(customers), .word(euWest)], from: T.admin)
        #expect(try bed.decode(try #require(declared.outcome.logs.first)) == ("DataResidencyDeclared", [.word(customers), .word(euWest)]))
        #expect(try bed.view(audit, "residencyOf", [.word(customers)]) == [.word(euWest)])
        #expect(try bed.view(audit, "datasetsInRegion", [.word(euWest)]) == [.array([.word(customers)])])
        #expect(try reason(bed, "declareDataResidency", [.word(customers), .word(euWest)]) ==
            "ComplianceAudit.declareDataResidency: dataset customers is already declared in region eu-west")

        // Moving a dataset updates both regions.
        #expect(try bed.call(audit, "declareDataResidency", [.word(customers), .word(afWest)], from: T.admin).succeeded)
        #expect(try bed.view(audit, "residencyOf", [.word(customers)]) == [.word(afWest)])
        #expect(try bed.view(audit, "datasetsInRegion", [.word(euWest)]) == [.array([])])
        #expect(try bed.view(audit, "datasetsInRegion", [.word(afWest)]) == [.array([.word(customers)])])

        let cleared = try bed.call(audit, "clearDataResidency", [.word(customers)], from: T.admin)
        #expect(try bed.decode(try #require(cleared.outcome.logs.first)) == ("DataResidencyCleared", [.word(customers), .word(afWest)]))
        #expect(try bed.view(audit, "residencyOf", [.word(customers)]) == [.word(.zero)])
        #expect(try bed.view(audit, "datasetsInRegion", [.word(afWest)]) == [.array([])])

        #expect(try reason(bed, "clearDataResidency", [.word(customers)]) ==
            "ComplianceAudit.clearDataResidency: dataset customers has no data-residency declaration")
        #expect(try reason(bed, "declareDataResidency", [.word(customers), .word(euWest)], from: T.bob) ==
            "ComplianceAudit.declareDataResidency: caller \(T.bob.checksummed) lacks role OPERATOR")
        #expect(try reason(bed, "clearDataResidency", [.word(customers)], from: T.bob) ==
            "ComplianceAudit.clearDataResidency: caller \(T.bob.checksummed) lacks role OPERATOR")
        #expect(try reason(bed, "declareDataResidency", [.word(.zero), .word(euWest)]) ==
            "ComplianceAudit.declareDataResidency: dataset must not be zero")
        #expect(try reason(bed, "declareDataResidency", [.word(customers), .word(.zero)]) ==
            "ComplianceAudit.declareDataResidency: region must not be zero; use clearDataResidency to withdraw a declaration")
    }

    @Test func auditLogRecordsEveryActionInOrder() throws {
        let bed = try T()
        let start = bed.block.timestamp
        try bed.call(SystemAddresses.identityRegistry, "grantRole", [.word(Roles.operator), .address(T.carol)], from: T.admin)
        #expect(try attest(bed, soc2, cc61, true).succeeded)
        bed.block.timestamp = start + 5
        #expect(try bed.call(audit, "declareDataResidency", [.word(customers), .word(euWest)], from: T.carol).succeeded)
        bed.block.timestamp = start + 9
        #expect(try bed.call(audit, "clearDataResidency", [.word(customers)], from: T.admin).succeeded)
        // Failed calls leave no trace in the log.
        _ = try reason(bed, "clearDataResidency", [.word(customers)])
        let expected: [[ABIValue]] = [
            [.number(1), .address(T.admin), .number(start), .word(soc2), .word(cc61), .number(1)],
            [.number(2), .address(T.carol), .number(start + 5), .word(customers), .word(euWest), .number(0)],
            [.number(3), .address(T.admin), .number(start + 9), .word(customers), .word(euWest), .number(0)],
        ]
        #expect(try bed.view(audit, "auditLogLength") == [.number(3)])
        for (index, entry) in expected.enumerated() {
            #expect(try bed.view(audit, "auditLogEntry", [.number(UInt64(index))]) == entry)
        }
        #expect(try reason(bed, "auditLogEntry", [.number(3)]) ==
            "ComplianceAudit.auditLogEntry: the audit log has 3 entries; index 3 is out of range")
        // No function can change or remove what was recorded.
        let names = try #require(bed.registry.contract(at: audit)).functions.filter { $0.mutability != .view }.map(\.name)
        #expect(Set(names) == ["recordAttestation", "declareDataResidency", "clearDataResidency"])
    }

    @Test func pausedContractRefusesChangesButAnswersReads() throws {
        let bed = try T()
        #expect(try attest(bed, soc2, cc61, true).succeeded)
        #expect(try bed.call(SystemAddresses.governance, "emergencyPause", [.address(audit)], from: T.admin).succeeded)
        #expect(try reason(bed, "recordAttestation", [.word(soc2), .word(cc61), .bool(false), .word(evidence), .string("")]) ==
            "ComplianceAudit is paused")
        #expect(try reason(bed, "declareDataResidency", [.word(customers), .word(euWest)]) == "ComplianceAudit is paused")
        #expect(try reason(bed, "clearDataResidency", [.word(customers)]) == "ComplianceAudit is paused")
        #expect(try bed.view(audit, "latestStatus", [.word(soc2), .word(cc61)]) == [.bool(true), .number(1)])
        #expect(try bed.view(audit, "getAttestation", [.number(1)])[0] == .word(soc2))
        #expect(try bed.view(audit, "auditLogLength") == [.number(1)])
        #expect(try bed.view(audit, "attestationCount") == [.number(1)])
    }

    /// The gas of one typical call of each required function.
    func gasProfile() throws -> [(String, UInt64)] {
        let bed = try T()
        var profile: [(String, UInt64)] = []
        func run(_ name: String, _ args: [ABIValue], isStatic: Bool = false) throws {
            let result = try bed.call(audit, name, args, from: T.admin, isStatic: isStatic)
            #expect(result.succeeded, "\(name): \(result.revertReason ?? "")")
            profile.append((name, result.outcome.gasUsed))
        }
        try run("recordAttestation", [.word(soc2), .word(cc61), .bool(true), .word(evidence), .string("annual review")])
        // The same control again: its framework and control are already listed, so fewer fresh slots.
        try run("recordAttestation", [.word(soc2), .word(cc61), .bool(false), .word(evidence), .string("finding")])
        try run("getAttestation", [.number(1)], isStatic: true)
        try run("latestStatus", [.word(soc2), .word(cc61)], isStatic: true)
        try run("attestationCount", [], isStatic: true)
        try run("declareDataResidency", [.word(customers), .word(euWest)])
        try run("residencyOf", [.word(customers)], isStatic: true)
        try run("auditLogEntry", [.number(1)], isStatic: true)
        return profile
    }

    @Test func gasIsMeteredAndDeterministic() throws {
        let first = try gasProfile()
        #expect(first.map(\.1) == (try gasProfile()).map(\.1))
        #expect(first.allSatisfy { $0.1 > 0 })
        #expect(first[0].1 > first[1].1 && first[1].1 > first[2].1)
        for (name, gas) in first { print("GAS ComplianceAudit.\(name) \(gas)") }
    }

    /// DESIGN.md fixes these signatures, return types and indexed parameters; tools rely on them.
    @Test func requiredInterfaceMatchesTheDesign() throws {
        let contract = ComplianceAudit()
        let functions: [(String, [String], StateMutability)] = [
            ("recordAttestation(bytes32,bytes32,bool,bytes32,string)", ["uint256"], .nonpayable),
            ("getAttestation(uint256)", ["bytes32", "bytes32", "bool", "bytes32", "address", "uint64"], .view),
            ("latestStatus(bytes32,bytes32)", ["bool", "uint256"], .view),
            ("attestationCount()", ["uint256"], .view),
            ("declareDataResidency(bytes32,bytes32)", [], .nonpayable),
            ("residencyOf(bytes32)", ["bytes32"], .view),
        ]
        for (signature, outputs, mutability) in functions {
            let function = try #require(contract.functions.first { $0.signature == signature }, "missing \(signature)")
            #expect(function.outputs.map(\.type.canonicalName) == outputs, "\(signature)")
            #expect(function.mutability == mutability, "\(signature)")
        }
        let events: [(String, [Bool])] = [
            ("AttestationRecorded(uint256,bytes32,bytes32,bool,address)", [true, true, true, false, false]),
            ("DataResidencyDeclared(bytes32,bytes32)", [true, true]),
        ]
        for (signature, indexed) in events {
            let event = try #require(contract.events.first { $0.signature == signature }, "missing \(signature)")
            #expect(event.inputs.map(\.indexed) == indexed, "\(signature)")
        }
        #expect(SystemContracts.registry.contract(at: contract.address)?.name == contract.name)
    }
}
