import SankofaChain
import SankofaContracts
import SankofaCrypto
import SankofaPrimitives
import Testing
@testable import SankofaExecution

/// The operator flows the system contracts exist for, run as signed transactions through the block executor on
/// the dev chain: hardware provenance, resource usage billed and settled, an SLA breach credited, a node marked down.
@Suite("Seed flows through the block executor")
struct SeedFlowTests {
    static let admin = try! PrivateKey(hex: GenesisTests.devKeys[1])      // every role, the board
    static let customer = try! PrivateKey(hex: GenesisTests.devKeys[2])
    static let engineer = try! PrivateKey(hex: GenesisTests.devKeys[0])   // second billing verifier, data-centre custodian

    @Test func allFlows() throws {
        let chain = try DevChainHarness()
        let admin = Self.admin, customer = Self.customer, engineer = Self.engineer
        #expect(try chain.send(admin, SystemAddresses.identityRegistry, "grantRole",
                               [.fixedBytes(Roles.billingVerifier.bytes), .address(engineer.address)]).succeeded)

        // Hardware: registered by the supplier, shipped to the engineer, racked, audited.
        let serial = text32("SN-R750-0001")
        let register = try chain.send(admin, SystemAddresses.supplyChain, "registerComponent",
                                      [serial, .string("Dell"), .string("PowerEdge R750"), text32("datasheet")])
        #expect(register.succeeded && chain.eventNames(register) == ["ComponentRegistered"])
        let id = try #require(try chain.view(SystemAddresses.supplyChain, "componentBySerial", [serial]).first)
        #expect(id == uint(1))
        let shipped = try chain.send(admin, SystemAddresses.supplyChain, "transferCustody", [id, .address(engineer.address), .string("Lagos DC1 dock")])
        #expect(chain.eventNames(shipped) == ["CustodyTransferred"])
        #expect(try chain.send(engineer, SystemAddresses.supplyChain, "recordDeployment", [id, text32("lagos-dc1"), .string("rack-7/U12")]).succeeded)
        let audited = try chain.send(admin, SystemAddresses.supplyChain, "recordComplianceCheck", [id, text32("ISO27001"), .bool(true), text32("evidence")])
        #expect(chain.eventNames(audited) == ["ComplianceChecked"])
        let component = try chain.view(SystemAddresses.supplyChain, "getComponent", [id])
        #expect(component[3] == .address(engineer.address) && component[4] == uint(3) && component[5] == text32("lagos-dc1"))
        #expect(try chain.view(SystemAddresses.supplyChain, "historyLength", [id]) == [uint(4)])

        // Compute: requested, provisioned, used, invoiced, approved by two verifiers, settled from credit.
        let cpu = text32("cpu-hours")
        #expect(try chain.send(admin, SystemAddresses.billing, "setRate", [cpu, uint(5)]).succeeded)
        let requested = try chain.send(customer, SystemAddresses.resourceRegistry, "requestResource",
                                       [text32("vm.large"), .string("8 vCPU, 32 GiB"), text32("west-africa"), .uint(UInt256(1))])
        #expect(chain.eventNames(requested) == ["ResourceRequested"])
        let resource = try #require(try chain.view(SystemAddresses.resourceRegistry, "resourcesOf", [.address(customer.address)]).first)
        guard case .array(let ids) = resource, let resourceId = ids.first else { Issue.record("no resource"); return }
        #expect(try chain.send(admin, SystemAddresses.resourceRegistry, "markProvisioned", [resourceId, .string("vm-123")]).succeeded)
        let used = try chain.send(admin, SystemAddresses.resourceRegistry, "recordUsage", [resourceId, cpu, uint(10), uint(1_000), uint(2_000)])
        #expect(chain.eventNames(used) == ["ResourceUsage", "UsageRecorded"])   // Billing recorded it in the same transaction
        #expect(try chain.send(admin, SystemAddresses.billing, "deposit", [.address(customer.address), uint(1_000)]).succeeded)
        let invoiced = try chain.send(admin, SystemAddresses.billing, "generateInvoice", [.address(customer.address), uint(0), uint(5_000)])
        #expect(chain.eventNames(invoiced) == ["InvoiceGenerated"])
        let invoice = uint(1)
        #expect(try chain.view(SystemAddresses.billing, "getInvoice", [invoice])[3] == uint(50))
        let early = try chain.send(customer, SystemAddresses.billing, "settleInvoice", [invoice])
        #expect(!early.succeeded)   // approvals below the threshold of 2
        #expect(try chain.send(admin, SystemAddresses.billing, "approveInvoice", [invoice]).succeeded)
        #expect(!(try chain.send(admin, SystemAddresses.billing, "approveInvoice", [invoice]).succeeded))   // once per verifier
        #expect(try chain.send(engineer, SystemAddresses.billing, "approveInvoice", [invoice]).succeeded)
        let settled = try chain.send(customer, SystemAddresses.billing, "settleInvoice", [invoice])
        #expect(settled.succeeded && chain.eventNames(settled) == ["InvoiceSettled"])
        #expect(try chain.view(SystemAddresses.billing, "creditOf", [.address(customer.address)]) == [uint(950)])
        #expect(try chain.view(SystemAddresses.billing, "getInvoice", [invoice])[4] == .uint(UInt256(3)))
        // The same usage is never billed twice.
        #expect(!(try chain.send(admin, SystemAddresses.billing, "generateInvoice", [.address(customer.address), uint(0), uint(5_000)]).succeeded))

        // SLA: a window below target breaches and credits the customer through Billing.
        let agreement = try chain.send(admin, SystemAddresses.serviceLevels, "createAgreement",
                                       [.address(engineer.address), .address(customer.address), text32("uptime"),
                                        .uint(UInt256(9_990)), uint(3_600), uint(25)])
        #expect(chain.eventNames(agreement) == ["AgreementCreated"])
        let breach = try chain.send(admin, SystemAddresses.serviceLevels, "reportMeasurement", [uint(1), uint(7_200), .uint(UInt256(9_900))])
        #expect(chain.eventNames(breach) == ["MeasurementReported", "SLABreached", "CreditIssued"])
        #expect(try chain.view(SystemAddresses.billing, "creditOf", [.address(customer.address)]) == [uint(975)])
        #expect(try chain.view(SystemAddresses.serviceLevels, "getAgreement", [uint(1)])[6] == uint(1))
        #expect(!(try chain.send(admin, SystemAddresses.serviceLevels, "reportMeasurement", [uint(1), uint(7_200), .uint(UInt256(9_999))]).succeeded))

        // Nodes: registered in a zone, then marked down for the load balancers.
        let node = text32("api-lagos-1")
        let registered = try chain.send(admin, SystemAddresses.nodeRegistry, "registerNode", [node, text32("west-africa-1"), .string("https://10.0.0.5:8545"), .uint(UInt256(1))])
        #expect(chain.eventNames(registered) == ["NodeRegistered"])
        let down = try chain.send(admin, SystemAddresses.nodeRegistry, "setNodeStatus", [node, .uint(UInt256(3))])
        #expect(chain.eventNames(down) == ["NodeStatusChanged"])
        #expect(try chain.view(SystemAddresses.nodeRegistry, "getNode", [node])[3] == .uint(UInt256(3)))
        #expect(try chain.view(SystemAddresses.nodeRegistry, "nodesInZone", [text32("west-africa-1")]) == [.array([node])])
    }

    /// Cross-contract effects roll back with the outer call: with Billing paused, recording usage reverts entirely.
    @Test func pausedBillingRevertsUsageAndBreaches() throws {
        let chain = try DevChainHarness()
        let admin = Self.admin
        try chain.send(admin, SystemAddresses.billing, "setRate", [text32("cpu-hours"), uint(5)])
        try chain.send(Self.customer, SystemAddresses.resourceRegistry, "requestResource",
                       [text32("vm"), .string("spec"), text32("west-africa"), .uint(UInt256(2))])
        try chain.send(admin, SystemAddresses.resourceRegistry, "markProvisioned", [uint(1), .string("vm-1")])
        try chain.send(admin, SystemAddresses.serviceLevels, "createAgreement",
                       [.address(admin.address), .address(Self.customer.address), text32("uptime"), .uint(UInt256(9_990)), uint(60), uint(25)])
        #expect(try chain.send(admin, SystemAddresses.governance, "emergencyPause", [.address(SystemAddresses.billing)]).succeeded)
        let usage = try chain.send(admin, SystemAddresses.resourceRegistry, "recordUsage", [uint(1), text32("cpu-hours"), uint(10), uint(0), uint(60)])
        #expect(!usage.succeeded && usage.logs.isEmpty)
        #expect(try chain.view(SystemAddresses.resourceRegistry, "usageCount", [uint(1)]) == [uint(0)])
        let breach = try chain.send(admin, SystemAddresses.serviceLevels, "reportMeasurement", [uint(1), uint(0), .uint(UInt256(5_000))])
        #expect(!breach.succeeded && breach.logs.isEmpty)
        #expect(try chain.view(SystemAddresses.serviceLevels, "getAgreement", [uint(1)])[6] == uint(0))
    }
}
