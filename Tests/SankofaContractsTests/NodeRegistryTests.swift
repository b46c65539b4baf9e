import SankofaPrimitives
import Testing
@testable import SankofaContracts

@Suite("NodeRegistry")
struct NodeRegistryTests {
    typealias T = ContractTestbed
    let nodes = SystemAddresses.nodeRegistry
    let web1 = NodeRegistryTests.text("web-01")
    let web2 = NodeRegistryTests.text("web-02")
    let web3 = NodeRegistryTests.text("web-03")
    let accra = NodeRegistryTests.text("acc-1")
    let lagos = NodeRegistryTests.text("los-1")

    /// A bytes32 holding `value` left-aligned and zero-padded, as Solidity's `bytes32("…")`.
    static func text(_ value: String) -> Hash32 {
        Hash32(bytes: Array(value.utf8) + [UInt8](repeating: 0, count: 32 - value.utf8.count)) ?? .zero
    }

    @discardableResult
    func register(_ bed: T, _ id: Hash32, _ zone: Hash32, _ endpoint: String = "https://10.0.0.1:8443", protocol p: UInt64 = 1) throws -> T.Result {
        let result = try bed.call(nodes, "registerNode", [.word(id), .word(zone), .string(endpoint), .number(p)], from: T.admin)
        #expect(result.succeeded, "\(result.revertReason ?? "")")
        return result
    }

    func reason(_ bed: T, _ name: String, _ args: [ABIValue], from: Address = T.admin) throws -> String? {
        let result = try bed.call(nodes, name, args, from: from)
        #expect(!result.succeeded && result.outcome.logs.isEmpty && result.outcome.gasUsed > 0)
        return result.revertReason
    }

    @Test func registerAndRead() throws {
        let bed = try T()
        let result = try register(bed, web1, accra, "https://10.0.0.1:8443", protocol: 3)
        #expect(result.outcome.logs.count == 1)
        #expect(try bed.decode(result.outcome.logs[0]) ==
            ("NodeRegistered", [.word(web1), .word(accra), .string("https://10.0.0.1:8443"), .number(3)]))
        #expect(try bed.view(nodes, "getNode", [.word(web1)]) ==
            [.word(accra), .string("https://10.0.0.1:8443"), .number(3), .number(1), .number(bed.block.timestamp)])
        #expect(try bed.view(nodes, "nodeDetails", [.word(web1)]) == [.number(bed.block.timestamp), .address(T.admin)])
        #expect(try bed.view(nodes, "isRegistered", [.word(web1)]) == [.bool(true)])
        #expect(try bed.view(nodes, "isRegistered", [.word(web2)]) == [.bool(false)])
        try register(bed, web2, accra, "grpc://10.0.0.2:9000", protocol: 2)
        try register(bed, web3, lagos)
        #expect(try bed.view(nodes, "nodesInZone", [.word(accra)]) == [.array([.word(web1), .word(web2)])])
        #expect(try bed.view(nodes, "nodesInZone", [.word(lagos)]) == [.array([.word(web3)])])
        #expect(try bed.view(nodes, "nodesInZone", [.word(Self.text("nowhere"))]) == [.array([])])
        #expect(try bed.view(nodes, "zones") == [.array([.word(accra), .word(lagos)])])
    }

    @Test func registrationRevertReasons() throws {
        let bed = try T()
        try register(bed, web1, accra)
        #expect(try reason(bed, "registerNode", [.word(web2), .word(accra), .string("http://x"), .number(1)], from: T.alice) ==
            "NodeRegistry.registerNode: caller \(T.alice.checksummed) lacks role OPERATOR")
        #expect(try reason(bed, "registerNode", [.word(web1), .word(lagos), .string("http://x"), .number(1)]) ==
            "NodeRegistry.registerNode: node web-01 is already registered in zone acc-1; deregister it first")
        #expect(try reason(bed, "registerNode", [.word(.zero), .word(accra), .string("http://x"), .number(1)]) ==
            "NodeRegistry.registerNode: node id must not be zero")
        #expect(try reason(bed, "registerNode", [.word(web2), .word(.zero), .string("http://x"), .number(1)]) ==
            "NodeRegistry.registerNode: zone must not be zero")
        #expect(try reason(bed, "registerNode", [.word(web2), .word(accra), .string(""), .number(1)]) ==
            "NodeRegistry.registerNode: endpoint must not be empty")
        let long = String(repeating: "a", count: NodeRegistry.maximumEndpointLength + 1)
        #expect(try reason(bed, "registerNode", [.word(web2), .word(accra), .string(long), .number(1)]) ==
            "NodeRegistry.registerNode: endpoint is 513 bytes; at most 512 are allowed")
        for bad: UInt64 in [0, 4, 255] {
            #expect(try reason(bed, "registerNode", [.word(web2), .word(accra), .string("http://x"), .number(bad)]) ==
                "NodeRegistry.registerNode: protocol \(bad) is not valid: use 1 (http), 2 (grpc) or 3 (both)")
        }
        #expect(try bed.view(nodes, "nodesInZone", [.word(accra)]) == [.array([.word(web1)])])
    }

    @Test func statusChangesByOperatorOrMonitor() throws {
        let bed = try T()
        try register(bed, web1, accra)
        try register(bed, web2, accra)
        #expect(try bed.view(nodes, "activeNodesInZone", [.word(accra)]) == [.array([.word(web1), .word(web2)])])
        #expect(try reason(bed, "setNodeStatus", [.word(web1), .number(3)], from: T.carol) ==
            "NodeRegistry.setNodeStatus: caller \(T.carol.checksummed) lacks role OPERATOR or MONITOR")
        try bed.call(SystemAddresses.identityRegistry, "grantRole", [.word(Roles.monitor), .address(T.carol)], from: T.admin)

        bed.block.timestamp += 30
        let down = try bed.call(nodes, "setNodeStatus", [.word(web1), .number(3)], from: T.carol)
        #expect(down.outcome.logs.count == 1)
        #expect(try bed.decode(down.outcome.logs[0]) == ("NodeStatusChanged", [.word(web1), .number(3)]))
        #expect(try bed.view(nodes, "getNode", [.word(web1)])[3...4] == [.number(3), .number(bed.block.timestamp)])
        #expect(try bed.view(nodes, "activeNodesInZone", [.word(accra)]) == [.array([.word(web2)])])

        let draining = try bed.call(nodes, "setNodeStatus", [.word(web2), .number(2)], from: T.admin)
        #expect(try bed.decode(draining.outcome.logs[0]) == ("NodeStatusChanged", [.word(web2), .number(2)]))
        #expect(try bed.view(nodes, "activeNodesInZone", [.word(accra)]) == [.array([])])
        #expect(try bed.call(nodes, "setNodeStatus", [.word(web1), .number(1)], from: T.carol).succeeded)
        #expect(try bed.view(nodes, "activeNodesInZone", [.word(accra)]) == [.array([.word(web1)])])

        #expect(try reason(bed, "setNodeStatus", [.word(web1), .number(1)]) == "NodeRegistry.setNodeStatus: node web-01 is already active")
        #expect(try reason(bed, "setNodeStatus", [.word(web2), .number(2)]) == "NodeRegistry.setNodeStatus: node web-02 is already draining")
        for bad: UInt64 in [0, 4] {
            #expect(try reason(bed, "setNodeStatus", [.word(web1), .number(bad)]) ==
                "NodeRegistry.setNodeStatus: status \(bad) is not valid: use 1 (active), 2 (draining) or 3 (down)")
        }
        #expect(try reason(bed, "setNodeStatus", [.word(web3), .number(3)]) == "NodeRegistry.setNodeStatus: no node web-03")
        // A monitor reports health but cannot change the fleet.
        #expect(try reason(bed, "deregisterNode", [.word(web1)], from: T.carol) ==
            "NodeRegistry.deregisterNode: caller \(T.carol.checksummed) lacks role OPERATOR")
    }

    @Test func deregisterRemovesFromZone() throws {
        let bed = try T()
        try register(bed, web1, accra)
        try register(bed, web2, accra)
        try register(bed, web3, lagos)
        let gone = try bed.call(nodes, "deregisterNode", [.word(web1)], from: T.admin)
        #expect(gone.outcome.logs.count == 1)
        #expect(try bed.decode(gone.outcome.logs[0]) == ("NodeDeregistered", [.word(web1)]))
        #expect(try bed.view(nodes, "nodesInZone", [.word(accra)]) == [.array([.word(web2)])])
        #expect(try bed.view(nodes, "isRegistered", [.word(web1)]) == [.bool(false)])
        #expect(try reason(bed, "getNode", [.word(web1)]) == "NodeRegistry.getNode: no node web-01")
        #expect(try reason(bed, "deregisterNode", [.word(web1)]) == "NodeRegistry.deregisterNode: no node web-01")
        #expect(try reason(bed, "deregisterNode", [.word(web2)], from: T.bob) ==
            "NodeRegistry.deregisterNode: caller \(T.bob.checksummed) lacks role OPERATOR")

        // The last node out takes its zone off the zone list; the id can be registered again elsewhere.
        #expect(try bed.call(nodes, "deregisterNode", [.word(web3)], from: T.admin).succeeded)
        #expect(try bed.view(nodes, "zones") == [.array([.word(accra)])])
        #expect(try bed.view(nodes, "nodesInZone", [.word(lagos)]) == [.array([])])
        try register(bed, web1, lagos, "http://10.1.0.1", protocol: 1)
        #expect(try bed.view(nodes, "getNode", [.word(web1)])[0...3] == [.word(lagos), .string("http://10.1.0.1"), .number(1), .number(1)])
        #expect(try bed.view(nodes, "zones") == [.array([.word(accra), .word(lagos)])])
    }

    @Test func endpointUpdates() throws {
        let bed = try T()
        try register(bed, web1, accra, "http://10.0.0.1", protocol: 1)
        bed.block.timestamp += 60
        let moved = try bed.call(nodes, "updateNodeEndpoint", [.word(web1), .string("https://10.0.0.9"), .number(3)], from: T.admin)
        #expect(try bed.decode(try #require(moved.outcome.logs.first)) ==
            ("NodeEndpointUpdated", [.word(web1), .string("https://10.0.0.9"), .number(3)]))
        #expect(try bed.view(nodes, "getNode", [.word(web1)]) ==
            [.word(accra), .string("https://10.0.0.9"), .number(3), .number(1), .number(bed.block.timestamp)])
        #expect(try reason(bed, "updateNodeEndpoint", [.word(web1), .string("https://10.0.0.9"), .number(3)]) ==
            "NodeRegistry.updateNodeEndpoint: node web-01 already has that endpoint and protocol")
        #expect(try reason(bed, "updateNodeEndpoint", [.word(web1), .string(""), .number(3)]) ==
            "NodeRegistry.updateNodeEndpoint: endpoint must not be empty")
        #expect(try reason(bed, "updateNodeEndpoint", [.word(web1), .string("x"), .number(9)]) ==
            "NodeRegistry.updateNodeEndpoint: protocol 9 is not valid: use 1 (http), 2 (grpc) or 3 (both)")
        #expect(try reason(bed, "updateNodeEndpoint", [.word(web2), .string("x"), .number(1)]) ==
            "NodeRegistry.updateNodeEndpoint: no node web-02")
        #expect(try reason(bed, "updateNodeEndpoint", [.word(web1), .string("x"), .number(1)], from: T.alice) ==
            "NodeRegistry.updateNodeEndpoint: caller \(T.alice.checksummed) lacks role OPERATOR")
    }

    @Test func unknownNodesRevertWithReadableOrHexIds() throws {
        let bed = try T()
        let binary = Keccak256.hash(Array("node".utf8))
        #expect(try reason(bed, "getNode", [.word(binary)]) == "NodeRegistry.getNode: no node \(binary.hex)")
        #expect(try reason(bed, "nodeDetails", [.word(web1)]) == "NodeRegistry.nodeDetails: no node web-01")
        #expect(try bed.view(nodes, "zones") == [.array([])])
    }

    @Test func pausedContractRefusesChangesButAnswersReads() throws {
        let bed = try T()
        try register(bed, web1, accra)
        #expect(try bed.call(SystemAddresses.governance, "emergencyPause", [.address(nodes)], from: T.admin).succeeded)
        for (name, args) in [("registerNode", [.word(web2), .word(accra), .string("http://x"), .number(1)]),
                             ("setNodeStatus", [.word(web1), .number(3)]),
                             ("updateNodeEndpoint", [.word(web1), .string("http://y"), .number(1)]),
                             ("deregisterNode", [.word(web1)])] as [(String, [ABIValue])] {
            #expect(try reason(bed, name, args) == "NodeRegistry is paused")
        }
        #expect(try bed.view(nodes, "getNode", [.word(web1)])[3] == .number(1))
        #expect(try bed.view(nodes, "nodesInZone", [.word(accra)]) == [.array([.word(web1)])])
    }

    /// The gas of one typical call of each required function.
    func gasProfile() throws -> [(String, UInt64)] {
        let bed = try T()
        try register(bed, web2, accra)
        var profile: [(String, UInt64)] = []
        func run(_ name: String, _ args: [ABIValue], isStatic: Bool = false) throws {
            let result = try bed.call(nodes, name, args, from: T.admin, isStatic: isStatic)
            #expect(result.succeeded, "\(name): \(result.revertReason ?? "")")
            profile.append((name, result.outcome.gasUsed))
        }
        try run("registerNode", [.word(web1), .word(accra), .string("https://10.0.0.1:8443"), .number(3)])
        try run("setNodeStatus", [.word(web1), .number(2)])
        try run("getNode", [.word(web1)], isStatic: true)
        try run("nodesInZone", [.word(accra)], isStatic: true)
        try run("deregisterNode", [.word(web1)])
        return profile
    }

    @Test func gasIsMeteredAndDeterministic() throws {
        let first = try gasProfile()
        #expect(first.map(\.1) == (try gasProfile()).map(\.1))
        #expect(first.allSatisfy { $0.1 > 0 })
        #expect(first[0].1 > first[2].1)
        for (name, gas) in first { print("GAS NodeRegistry.\(name) \(gas)") }
    }

    /// DESIGN.md fixes these signatures, return types and indexed parameters; tools rely on them.
    @Test func requiredInterfaceMatchesTheDesign() throws {
        let contract = NodeRegistry()
        let functions: [(String, [String], StateMutability)] = [
            ("registerNode(bytes32,bytes32,string,uint8)", [], .nonpayable),
            ("setNodeStatus(bytes32,uint8)", [], .nonpayable),
            ("deregisterNode(bytes32)", [], .nonpayable),
            ("getNode(bytes32)", ["bytes32", "string", "uint8", "uint8", "uint64"], .view),
            ("nodesInZone(bytes32)", ["bytes32[]"], .view),
        ]
        for (signature, outputs, mutability) in functions {
            let function = try #require(contract.functions.first { $0.signature == signature }, "missing \(signature)")
            #expect(function.outputs.map(\.type.canonicalName) == outputs, "\(signature)")
            #expect(function.mutability == mutability, "\(signature)")
        }
        let events: [(String, [Bool])] = [
            ("NodeRegistered(bytes32,bytes32,string,uint8)", [true, true, false, false]),
            ("NodeStatusChanged(bytes32,uint8)", [true, false]),
            ("NodeDeregistered(bytes32)", [true]),
        ]
        for (signature, indexed) in events {
            let event = try #require(contract.events.first { $0.signature == signature }, "missing \(signature)")
            #expect(event.inputs.map(\.indexed) == indexed, "\(signature)")
        }
        #expect(SystemContracts.registry.contract(at: contract.address)?.name == contract.name)
    }
}
