import Foundation
import SankofaPrimitives
import Testing
@testable import SankofaContracts

/// The committed `Contracts/` files must be exactly what the Swift declarations generate. Regenerate with
/// `sankofa contracts export` (or run the tests with SANKOFA_UPDATE_GOLDEN=1).
@Suite("Contract export")
struct ContractExportTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Contracts")

    @Test func committedFilesMatchTheDeclarations() throws {
        let files = ContractExport.files()
        #expect(files.count == SystemContracts.all.count * 2 + 1)
        if ProcessInfo.processInfo.environment["SANKOFA_UPDATE_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(at: Self.directory, withIntermediateDirectories: true)
            for (name, contents) in files { try contents.write(to: Self.directory.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        }
        for (name, contents) in files.sorted(by: { $0.key < $1.key }) {
            let committed = try? String(contentsOf: Self.directory.appendingPathComponent(name), encoding: .utf8)
            #expect(committed == contents, "Contracts/\(name) is out of date: run `sankofa contracts export`")
        }
    }

    /// The JSON is what tools load: it must parse, and selectors and topics computed from it must match ours.
    @Test func abiJSONAgreesWithDispatch() throws {
        for contract in SystemContracts.all {
            let json = try #require(try JSONSerialization.jsonObject(with: Data(ContractExport.abiJSON(contract).utf8)) as? [[String: Any]])
            #expect(json.count == contract.functions.count + contract.events.count)
            for entry in json {
                let name = try #require(entry["name"] as? String)
                let inputs = try #require(entry["inputs"] as? [[String: Any]])
                let types = inputs.compactMap { $0["type"] as? String }
                let signature = "\(name)(\(types.joined(separator: ",")))"
                if entry["type"] as? String == "function" {
                    let function = try #require(contract.functions.first { $0.name == name })
                    #expect(ABI.selector(signature) == function.selector, "\(contract.name).\(signature)")
                    #expect(entry["stateMutability"] as? String == function.mutability.rawValue)
                } else {
                    let event = try #require(contract.events.first { $0.name == name })
                    #expect(ABI.eventTopic(signature) == event.topic)
                    #expect(inputs.map { $0["indexed"] as? Bool } == event.inputs.map(\.indexed))
                }
            }
        }
        let text = try #require(ContractExport.files()["addresses.json"])
        let addresses = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: String])
        #expect(addresses["Governance"] == "0x0000000000000000000000000000000000001000")
        #expect(addresses["IdentityRegistry"] == "0x0000000000000000000000000000000000001001")
    }

    /// DESIGN.md fixes these signatures; tools rely on them.
    @Test func requiredFunctionsAndEventsExist() throws {
        let required: [String: [String]] = [
            "IdentityRegistry": [
                "registerIdentity(bytes32,string,bytes32)", "registerIdentityFor(address,bytes32,string,bytes32)",
                "identityOf(address)", "attest(address,bytes32,bytes32,uint64)", "revokeAttestation(address,bytes32)",
                "isVerified(address,bytes32)", "grantRole(bytes32,address)", "revokeRole(bytes32,address)",
                "hasRole(bytes32,address)",
                "IdentityRegistered(address,bytes32)", "Attested(address,bytes32,address,uint64)",
                "AttestationRevoked(address,bytes32)", "RoleGranted(bytes32,address,address)", "RoleRevoked(bytes32,address,address)",
            ],
            "Governance": [
                "propose(uint8,bytes,string)", "vote(uint256,bool)", "execute(uint256)", "emergencyPause(address)",
                "isPaused(address)", "boardMembers()", "threshold()",
                "ProposalCreated(uint256,address,uint8,string)", "Voted(uint256,address,bool)", "ProposalExecuted(uint256)",
                "ContractPaused(address,address)", "ContractUnpaused(address)",
            ],
            "SupplyChain": [
                "registerComponent(bytes32,string,string,bytes32)", "transferCustody(uint256,address,string)",
                "recordDeployment(uint256,bytes32,string)", "recordComplianceCheck(uint256,bytes32,bool,bytes32)",
                "decommission(uint256,string)", "getComponent(uint256)", "componentBySerial(bytes32)",
                "historyLength(uint256)", "historyEntry(uint256,uint256)",
                "ComponentRegistered(uint256,bytes32,address)", "CustodyTransferred(uint256,address,address,string)",
                "ComponentDeployed(uint256,bytes32,string)", "ComplianceChecked(uint256,bytes32,bool,address)",
                "ComponentDecommissioned(uint256,string)",
            ],
            "ComplianceAudit": [
                "recordAttestation(bytes32,bytes32,bool,bytes32,string)", "getAttestation(uint256)",
                "latestStatus(bytes32,bytes32)", "attestationCount()", "declareDataResidency(bytes32,bytes32)",
                "residencyOf(bytes32)",
                "AttestationRecorded(uint256,bytes32,bytes32,bool,address)", "DataResidencyDeclared(bytes32,bytes32)",
            ],
            "ResourceRegistry": [
                "requestResource(bytes32,string,bytes32,uint8)", "markProvisioned(uint256,string)",
                "recordUsage(uint256,bytes32,uint256,uint64,uint64)", "releaseResource(uint256)", "getResource(uint256)",
                "resourcesOf(address)",
                "ResourceRequested(uint256,address,bytes32,bytes32,uint8)", "ResourceProvisioned(uint256,string)",
                "ResourceUsage(uint256,bytes32,uint256,uint64,uint64)", "ResourceReleased(uint256)",
            ],
            "Billing": [
                "setRate(bytes32,uint256)", "recordUsage(address,bytes32,uint256,uint64)", "deposit(address,uint256)",
                "creditOf(address)", "generateInvoice(address,uint64,uint64)", "approveInvoice(uint256)",
                "settleInvoice(uint256)", "disputeInvoice(uint256,string)", "getInvoice(uint256)",
                "UsageRecorded(address,bytes32,uint256,uint64)", "InvoiceGenerated(uint256,address,uint256)",
                "InvoiceApproved(uint256,address)", "InvoiceSettled(uint256,uint256)", "InvoiceDisputed(uint256,string)",
                "CreditIssued(address,uint256,bytes32)",
            ],
            "ServiceLevels": [
                "createAgreement(address,address,bytes32,uint32,uint64,uint256)", "reportMeasurement(uint256,uint64,uint32)",
                "getAgreement(uint256)",
                "AgreementCreated(uint256,address,address)", "MeasurementReported(uint256,uint64,uint32)",
                "SLABreached(uint256,uint64,uint32,uint256)", "SLAMet(uint256,uint64)",
            ],
            "NodeRegistry": [
                "registerNode(bytes32,bytes32,string,uint8)", "setNodeStatus(bytes32,uint8)", "deregisterNode(bytes32)",
                "getNode(bytes32)", "nodesInZone(bytes32)",
                "NodeRegistered(bytes32,bytes32,string,uint8)", "NodeStatusChanged(bytes32,uint8)", "NodeDeregistered(bytes32)",
            ],
        ]
        let names = Set(SystemContracts.all.map(\.name))
        for name in required.keys { #expect(names.contains(name), "\(name) is not registered in SystemContracts.all") }
        for contract in SystemContracts.all {
            let declared = Set(contract.functions.map(\.signature) + contract.events.map(\.signature))
            for signature in required[contract.name] ?? [] {
                #expect(declared.contains(signature), "\(contract.name) lacks \(signature)")
            }
        }
    }
}
