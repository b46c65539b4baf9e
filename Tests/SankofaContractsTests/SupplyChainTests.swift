import SankofaPrimitives
import Testing
@testable import SankofaContracts

@Suite("SupplyChain")
struct SupplyChainTests {
    typealias T = ContractTestbed
    let chain = SystemAddresses.supplyChain
    let serial = SupplyChainTests.text("SN-001")
    let document = Keccak256.hash(Array("datasheet".utf8))
    let evidence = Keccak256.hash(Array("evidence".utf8))
    let site = SupplyChainTests.text("acc-1")
    let iso = SupplyChainTests.text("ISO27001")

    /// A bytes32 holding `value` left-aligned and zero-padded, as Solidity's `bytes32("…")`.
    static func text(_ value: String) -> Hash32 {
        Hash32(bytes: Array(value.utf8) + [UInt8](repeating: 0, count: 32 - value.utf8.count)) ?? .zero
    }

    static func padded(_ account: Address) -> Hash32 { Hash32(bytes: [UInt8](repeating: 0, count: 12) + account.bytes) ?? .zero }

    /// Registers `serial` as admin (a SUPPLIER) and returns its id.
    @discardableResult
    func register(_ bed: T, _ serial: Hash32? = nil) throws -> UInt64 {
        let result = try bed.call(chain, "registerComponent", [.word(serial ?? self.serial), .string("Dell"), .string("R760"),
                                                               .word(document)], from: T.admin)
        #expect(result.succeeded, "\(result.revertReason ?? "")")
        return try #require(result.values.first?.uint64)
    }

    func reason(_ bed: T, _ name: String, _ args: [ABIValue], from: Address = T.admin) throws -> String? {
        let result = try bed.call(chain, name, args, from: from)
        #expect(!result.succeeded && result.outcome.logs.isEmpty && result.outcome.gasUsed > 0)
        return result.revertReason
    }

    @Test func registerAndRead() throws {
        let bed = try T()
        let result = try bed.call(chain, "registerComponent", [.word(serial), .string("Dell"), .string("R760"), .word(document)],
                                  from: T.admin)
        #expect(result.values == [.number(1)])
        #expect(result.outcome.logs.count == 1)
        #expect(try bed.decode(result.outcome.logs[0]) == ("ComponentRegistered", [.number(1), .word(serial), .address(T.admin)]))
        #expect(try bed.view(chain, "getComponent", [.number(1)]) ==
            [.word(serial), .string("Dell"), .string("R760"), .address(T.admin), .number(1), .word(.zero)])
        #expect(try bed.view(chain, "componentDetails", [.number(1)]) ==
            [.word(document), .address(T.admin), .string(""), .number(bed.block.timestamp), .number(bed.block.timestamp)])
        #expect(try bed.view(chain, "componentBySerial", [.word(serial)]) == [.number(1)])
        #expect(try bed.view(chain, "componentBySerial", [.word(Self.text("nope"))]) == [.number(0)])
        #expect(try bed.view(chain, "historyLength", [.number(1)]) == [.number(1)])
        #expect(try bed.view(chain, "historyEntry", [.number(1), .number(0)]) ==
            [.number(1), .address(T.admin), .number(bed.block.timestamp), .word(serial), .string("Dell R760")])
        #expect(try bed.view(chain, "historyEvidence", [.number(1), .number(0)]) == [.word(document)])
        #expect(try bed.view(chain, "componentsInCustody", [.address(T.admin)]) == [.array([.number(1)])])
        #expect(try register(bed, Self.text("SN-002")) == 2)
        #expect(try bed.view(chain, "componentCount") == [.number(2)])
        #expect(try bed.view(chain, "componentsInCustody", [.address(T.admin)]) == [.array([.number(1), .number(2)])])
    }

    @Test func registrationIsRefusedWhenInvalid() throws {
        let bed = try T()
        try register(bed)
        let args: [ABIValue] = [.word(Self.text("SN-009")), .string("Dell"), .string("R760"), .word(document)]
        #expect(try reason(bed, "registerComponent", args, from: T.alice) ==
            "SupplyChain.registerComponent: caller \(T.alice.checksummed) lacks role SUPPLIER")
        #expect(try reason(bed, "registerComponent", [.word(serial), .string("HPE"), .string("DL380"), .word(document)]) ==
            "SupplyChain.registerComponent: serial SN-001 is already registered as component 1")
        let binary = try #require(Hash32(bytes: [UInt8](repeating: 0xAB, count: 32)))
        try register(bed, binary)
        #expect(try reason(bed, "registerComponent", [.word(binary), .string("Dell"), .string("R760"), .word(document)])?
            .contains("serial \(binary.hex) is already registered as component 2") == true)
        #expect(try reason(bed, "registerComponent", [.word(.zero), .string("Dell"), .string("R760"), .word(document)]) ==
            "SupplyChain.registerComponent: serial must not be zero")
        #expect(try reason(bed, "registerComponent", [.word(Self.text("SN-009")), .string(""), .string("R760"), .word(document)]) ==
            "SupplyChain.registerComponent: manufacturer must not be empty")
        #expect(try reason(bed, "registerComponent", [.word(Self.text("SN-009")), .string("Dell"), .string(""), .word(document)]) ==
            "SupplyChain.registerComponent: model must not be empty")
        #expect(try bed.view(chain, "componentCount") == [.number(2)])
    }

    @Test func fullLifecycleWithOrderedHistory() throws {
        let bed = try T()
        let id = try register(bed)
        let start = bed.block.timestamp

        bed.block.timestamp = start + 10
        let moved = try bed.call(chain, "transferCustody", [.number(id), .address(T.alice), .string("Accra warehouse")], from: T.admin)
        #expect(try bed.decode(try #require(moved.outcome.logs.first)) ==
            ("CustodyTransferred", [.number(id), .address(T.admin), .address(T.alice), .string("Accra warehouse")]))
        #expect(try bed.view(chain, "getComponent", [.number(id)])[3...4] == [.address(T.alice), .number(2)])
        #expect(try bed.view(chain, "componentsInCustody", [.address(T.admin)]) == [.array([])])
        #expect(try bed.view(chain, "componentsInCustody", [.address(T.alice)]) == [.array([.number(id)])])

        bed.block.timestamp = start + 20
        #expect(try reason(bed, "recordDeployment", [.number(id), .word(site), .string("R12")], from: T.bob) ==
            "SupplyChain.recordDeployment: caller \(T.bob.checksummed) is neither the custodian of component 1 nor an OPERATOR")
        let deployed = try bed.call(chain, "recordDeployment", [.number(id), .word(site), .string("R12")], from: T.alice)
        #expect(try bed.decode(try #require(deployed.outcome.logs.first)) == ("ComponentDeployed", [.number(id), .word(site), .string("R12")]))
        #expect(try bed.view(chain, "getComponent", [.number(id)])[4...5] == [.number(3), .word(site)])
        #expect(try bed.view(chain, "componentsAtSite", [.word(site)]) == [.array([.number(id)])])

        bed.block.timestamp = start + 30
        #expect(try bed.call(chain, "recordDeployment", [.number(id), .word(site), .string("R14")], from: T.admin).succeeded)
        #expect(try reason(bed, "recordDeployment", [.number(id), .word(site), .string("R14")]) ==
            "SupplyChain.recordDeployment: component 1 is already deployed at site acc-1 rack R14")
        #expect(try bed.view(chain, "componentDetails", [.number(id)])[2] == .string("R14"))
        #expect(try bed.view(chain, "componentsAtSite", [.word(site)]) == [.array([.number(id)])])

        bed.block.timestamp = start + 40
        #expect(try reason(bed, "recordComplianceCheck", [.number(id), .word(iso), .bool(true), .word(evidence)], from: T.alice) ==
            "SupplyChain.recordComplianceCheck: caller \(T.alice.checksummed) lacks role AUDITOR")
        #expect(try bed.view(chain, "latestCheck", [.number(id), .word(iso)]) ==
            [.bool(false), .bool(false), .word(.zero), .address(.zero), .number(0)])
        let checked = try bed.call(chain, "recordComplianceCheck", [.number(id), .word(iso), .bool(true), .word(evidence)], from: T.admin)
        #expect(try bed.decode(try #require(checked.outcome.logs.first)) ==
            ("ComplianceChecked", [.number(id), .word(iso), .bool(true), .address(T.admin)]))
        #expect(try bed.view(chain, "latestCheck", [.number(id), .word(iso)]) ==
            [.bool(true), .bool(true), .word(evidence), .address(T.admin), .number(start + 40)])

        bed.block.timestamp = start + 50
        #expect(try bed.call(chain, "transferCustody", [.number(id), .address(T.bob), .string("RMA depot")], from: T.alice).succeeded)
        #expect(try bed.view(chain, "getComponent", [.number(id)])[3...5] == [.address(T.bob), .number(2), .word(.zero)])
        #expect(try bed.view(chain, "componentsAtSite", [.word(site)]) == [.array([])])

        bed.block.timestamp = start + 60
        let retired = try bed.call(chain, "decommission", [.number(id), .string("failed PSU")], from: T.bob)
        #expect(try bed.decode(try #require(retired.outcome.logs.first)) == ("ComponentDecommissioned", [.number(id), .string("failed PSU")]))
        #expect(try bed.view(chain, "getComponent", [.number(id)])[4] == .number(4))
        #expect(try bed.view(chain, "componentDetails", [.number(id)])[4] == .number(start + 60))

        let expected: [[ABIValue]] = [
            [.number(1), .address(T.admin), .number(start), .word(serial), .string("Dell R760")],
            [.number(2), .address(T.admin), .number(start + 10), .word(Self.padded(T.alice)), .string("Accra warehouse")],
            [.number(3), .address(T.alice), .number(start + 20), .word(site), .string("R12")],
            [.number(3), .address(T.admin), .number(start + 30), .word(site), .string("R14")],
            [.number(4), .address(T.admin), .number(start + 40), .word(iso), .string("passed")],
            [.number(2), .address(T.alice), .number(start + 50), .word(Self.padded(T.bob)), .string("RMA depot")],
            [.number(5), .address(T.bob), .number(start + 60), .word(.zero), .string("failed PSU")],
        ]
        #expect(try bed.view(chain, "historyLength", [.number(id)]) == [.number(UInt64(expected.count))])
        for (index, entry) in expected.enumerated() {
            #expect(try bed.view(chain, "historyEntry", [.number(id), .number(UInt64(index))]) == entry)
        }
        #expect(try bed.view(chain, "historyEvidence", [.number(id), .number(4)]) == [.word(evidence)])
        #expect(try bed.view(chain, "historyEvidence", [.number(id), .number(2)]) == [.word(.zero)])
        #expect(try reason(bed, "historyEntry", [.number(id), .number(7)]) ==
            "SupplyChain.historyEntry: component 1 has 7 history entries; index 7 is out of range")
    }

    @Test func decommissioningEndsTheLifecycle() throws {
        let bed = try T()
        let id = try register(bed)
        #expect(try reason(bed, "decommission", [.number(id), .string("")]) ==
            "SupplyChain.decommission: reason must not be empty: say why component 1 is retired")
        #expect(try reason(bed, "decommission", [.number(id), .string("obsolete")], from: T.alice) ==
            "SupplyChain.decommission: caller \(T.alice.checksummed) is neither the custodian of component 1 nor an OPERATOR")
        try bed.call(chain, "recordDeployment", [.number(id), .word(site), .string("R1")], from: T.admin)
        #expect(try bed.call(chain, "decommission", [.number(id), .string("obsolete")], from: T.admin).succeeded)
        #expect(try bed.view(chain, "componentsAtSite", [.word(site)]) == [.array([])])
        #expect(try bed.view(chain, "getComponent", [.number(id)])[3...5] == [.address(T.admin), .number(4), .word(.zero)])
        let ended = "component 1 is decommissioned; its lifecycle has ended"
        #expect(try reason(bed, "transferCustody", [.number(id), .address(T.alice), .string("x")]) == "SupplyChain.transferCustody: \(ended)")
        #expect(try reason(bed, "recordDeployment", [.number(id), .word(site), .string("R1")]) == "SupplyChain.recordDeployment: \(ended)")
        #expect(try reason(bed, "recordComplianceCheck", [.number(id), .word(iso), .bool(true), .word(evidence)]) ==
            "SupplyChain.recordComplianceCheck: \(ended)")
        #expect(try reason(bed, "decommission", [.number(id), .string("again")]) == "SupplyChain.decommission: \(ended)")
        #expect(try bed.view(chain, "historyLength", [.number(id)]) == [.number(3)])
    }

    @Test func invalidTransfersDeploymentsAndChecks() throws {
        let bed = try T()
        let id = try register(bed)
        try bed.call(chain, "transferCustody", [.number(id), .address(T.alice), .string("dock")], from: T.admin)
        #expect(try reason(bed, "transferCustody", [.number(id), .address(T.bob), .string("x")], from: T.admin) ==
            "SupplyChain.transferCustody: only the custodian \(T.alice.checksummed) may transfer component 1")
        #expect(try reason(bed, "transferCustody", [.number(id), .address(.zero), .string("x")], from: T.alice) ==
            "SupplyChain.transferCustody: new custodian must not be the zero address")
        #expect(try reason(bed, "transferCustody", [.number(id), .address(T.alice), .string("x")], from: T.alice) ==
            "SupplyChain.transferCustody: component 1 is already in the custody of \(T.alice.checksummed)")
        #expect(try reason(bed, "recordDeployment", [.number(id), .word(.zero), .string("R1")], from: T.alice) ==
            "SupplyChain.recordDeployment: site must not be zero")
        #expect(try reason(bed, "recordComplianceCheck", [.number(id), .word(.zero), .bool(false), .word(evidence)]) ==
            "SupplyChain.recordComplianceCheck: standard must not be zero")
        // A failed check is recorded like a passed one.
        #expect(try bed.call(chain, "recordComplianceCheck", [.number(id), .word(iso), .bool(false), .word(evidence)], from: T.admin).succeeded)
        #expect(try bed.view(chain, "latestCheck", [.number(id), .word(iso)])[0...1] == [.bool(true), .bool(false)])
        #expect(try bed.view(chain, "historyEntry", [.number(id), .number(2)])[4] == .string("failed"))
    }

    @Test func unknownComponentsRevertEverywhere() throws {
        let bed = try T()
        try register(bed)
        let big = UInt256(UInt64.max) + .one
        for (name, args) in [("transferCustody", [.number(9), .address(T.alice), .string("x")]),
                             ("recordDeployment", [.number(9), .word(site), .string("R1")]),
                             ("recordComplianceCheck", [.number(9), .word(iso), .bool(true), .word(evidence)]),
                             ("decommission", [.number(9), .string("x")]),
                             ("getComponent", [.number(9)]), ("componentDetails", [.number(9)]), ("historyLength", [.number(9)]),
                             ("historyEntry", [.number(9), .number(0)]), ("historyEvidence", [.number(9), .number(0)]),
                             ("latestCheck", [.number(9), .word(iso)])] as [(String, [ABIValue])] {
            #expect(try reason(bed, name, args) == "SupplyChain.\(name): no component 9")
        }
        #expect(try reason(bed, "getComponent", [.number(0)]) == "SupplyChain.getComponent: no component 0")
        #expect(try reason(bed, "getComponent", [.uint(big)]) == "SupplyChain.getComponent: no component 18446744073709551616")
        #expect(try reason(bed, "historyEntry", [.number(1), .uint(big)]) ==
            "SupplyChain.historyEntry: component 1 has 1 history entry; index 18446744073709551616 is out of range")
    }

    @Test func pausedContractRefusesChangesButAnswersReads() throws {
        let bed = try T()
        let id = try register(bed)
        #expect(try bed.call(SystemAddresses.governance, "emergencyPause", [.address(chain)], from: T.admin).succeeded)
        for (name, args) in [("registerComponent", [.word(Self.text("SN-2")), .string("Dell"), .string("R760"), .word(document)]),
                             ("transferCustody", [.number(id), .address(T.alice), .string("x")]),
                             ("recordDeployment", [.number(id), .word(site), .string("R1")]),
                             ("recordComplianceCheck", [.number(id), .word(iso), .bool(true), .word(evidence)]),
                             ("decommission", [.number(id), .string("x")])] as [(String, [ABIValue])] {
            #expect(try reason(bed, name, args) == "SupplyChain is paused")
        }
        #expect(try bed.view(chain, "getComponent", [.number(id)])[4] == .number(1))
        #expect(try bed.view(chain, "historyEntry", [.number(id), .number(0)])[0] == .number(1))
        #expect(try bed.view(chain, "componentBySerial", [.word(serial)]) == [.number(id)])
    }

    /// The gas of one typical call of each required function, run on two fresh chains: always the same.
    func gasProfile() throws -> [(String, UInt64)] {
        let bed = try T()
        var profile: [(String, UInt64)] = []
        func run(_ name: String, _ args: [ABIValue], from: Address = T.admin, isStatic: Bool = false) throws {
            let result = try bed.call(chain, name, args, from: from, isStatic: isStatic)
            #expect(result.succeeded, "\(name): \(result.revertReason ?? "")")
            profile.append((name, result.outcome.gasUsed))
        }
        try run("registerComponent", [.word(serial), .string("Dell"), .string("PowerEdge R760"), .word(document)])
        try run("transferCustody", [.number(1), .address(T.alice), .string("Accra warehouse")])
        try run("recordDeployment", [.number(1), .word(site), .string("R12-U20")], from: T.alice)
        try run("recordComplianceCheck", [.number(1), .word(iso), .bool(true), .word(evidence)])
        try run("getComponent", [.number(1)], isStatic: true)
        try run("componentBySerial", [.word(serial)], isStatic: true)
        try run("historyLength", [.number(1)], isStatic: true)
        try run("historyEntry", [.number(1), .number(1)], isStatic: true)
        try run("decommission", [.number(1), .string("end of life")], from: T.alice)
        return profile
    }

    @Test func gasIsMeteredAndDeterministic() throws {
        let first = try gasProfile()
        let second = try gasProfile()
        #expect(first.map(\.1) == second.map(\.1))
        #expect(first.allSatisfy { $0.1 > 0 })
        // Writes cost more than reads: registration sets several fresh slots.
        #expect(first[0].1 > 100_000 && first[4].1 < 20_000)
        for (name, gas) in first { print("GAS SupplyChain.\(name) \(gas)") }
    }

    /// DESIGN.md fixes these signatures, return types and indexed parameters; tools rely on them.
    @Test func requiredInterfaceMatchesTheDesign() throws {
        let contract = SupplyChain()
        let functions: [(String, [String], StateMutability)] = [
            ("registerComponent(bytes32,string,string,bytes32)", ["uint256"], .nonpayable),
            ("transferCustody(uint256,address,string)", [], .nonpayable),
            ("recordDeployment(uint256,bytes32,string)", [], .nonpayable),
            ("recordComplianceCheck(uint256,bytes32,bool,bytes32)", [], .nonpayable),
            ("decommission(uint256,string)", [], .nonpayable),
            ("getComponent(uint256)", ["bytes32", "string", "string", "address", "uint8", "bytes32"], .view),
            ("componentBySerial(bytes32)", ["uint256"], .view),
            ("historyLength(uint256)", ["uint256"], .view),
            ("historyEntry(uint256,uint256)", ["uint8", "address", "uint64", "bytes32", "string"], .view),
        ]
        for (signature, outputs, mutability) in functions {
            let function = try #require(contract.functions.first { $0.signature == signature }, "missing \(signature)")
            #expect(function.outputs.map(\.type.canonicalName) == outputs, "\(signature)")
            #expect(function.mutability == mutability, "\(signature)")
        }
        let events: [(String, [Bool])] = [
            ("ComponentRegistered(uint256,bytes32,address)", [true, true, true]),
            ("CustodyTransferred(uint256,address,address,string)", [true, true, true, false]),
            ("ComponentDeployed(uint256,bytes32,string)", [true, true, false]),
            ("ComplianceChecked(uint256,bytes32,bool,address)", [true, true, false, false]),
            ("ComponentDecommissioned(uint256,string)", [true, false]),
        ]
        for (signature, indexed) in events {
            let event = try #require(contract.events.first { $0.signature == signature }, "missing \(signature)")
            #expect(event.inputs.map(\.indexed) == indexed, "\(signature)")
        }
        #expect(SystemContracts.registry.contract(at: contract.address)?.name == contract.name)
    }
}
