import SankofaPrimitives
import Testing
@testable import SankofaContracts

/// DESIGN.md fixes these functions and events of ResourceRegistry, Billing and ServiceLevels, down to return types
/// and `indexed` flags, because tools decode results and filter logs by them. Written the way the Solidity
/// interface reads: `name(inputs) returns (outputs)` and `Event(type [indexed], …)`.
@Suite("Settlement contract interfaces")
struct SettlementInterfaceTests {
    static let required: [(any SystemContract, [String])] = [
        (ResourceRegistry(), [
            "requestResource(bytes32,string,bytes32,uint8) returns (uint256)",
            "markProvisioned(uint256,string) returns ()",
            "recordUsage(uint256,bytes32,uint256,uint64,uint64) returns ()",
            "releaseResource(uint256) returns ()",
            "getResource(uint256) view returns (address,bytes32,bytes32,uint8,uint8,string,string)",
            "resourcesOf(address) view returns (uint256[])",
            "event ResourceRequested(uint256 indexed,address indexed,bytes32,bytes32,uint8)",
            "event ResourceProvisioned(uint256 indexed,string)",
            "event ResourceUsage(uint256 indexed,bytes32 indexed,uint256,uint64,uint64)",
            "event ResourceReleased(uint256 indexed)",
        ]),
        (Billing(), [
            "setRate(bytes32,uint256) returns ()",
            "recordUsage(address,bytes32,uint256,uint64) returns ()",
            "deposit(address,uint256) returns ()",
            "creditOf(address) view returns (uint256)",
            "generateInvoice(address,uint64,uint64) returns (uint256)",
            "approveInvoice(uint256) returns ()",
            "settleInvoice(uint256) returns ()",
            "disputeInvoice(uint256,string) returns ()",
            "getInvoice(uint256) view returns (address,uint64,uint64,uint256,uint8,uint256)",
            "issueCredit(address,uint256,bytes32) returns ()",
            "event UsageRecorded(address indexed,bytes32 indexed,uint256,uint64)",
            "event InvoiceGenerated(uint256 indexed,address indexed,uint256)",
            "event InvoiceApproved(uint256 indexed,address indexed)",
            "event InvoiceSettled(uint256 indexed,uint256)",
            "event InvoiceDisputed(uint256 indexed,string)",
            "event CreditIssued(address indexed,uint256,bytes32)",
        ]),
        (ServiceLevels(), [
            "createAgreement(address,address,bytes32,uint32,uint64,uint256) returns (uint256)",
            "reportMeasurement(uint256,uint64,uint32) returns ()",
            "getAgreement(uint256) view returns (address,address,bytes32,uint32,uint64,uint256,uint256)",
            "event AgreementCreated(uint256 indexed,address indexed,address indexed)",
            "event MeasurementReported(uint256 indexed,uint64,uint32)",
            "event SLABreached(uint256 indexed,uint64,uint32,uint256)",
            "event SLAMet(uint256 indexed,uint64)",
        ]),
    ]

    static func describe(_ function: ContractFunction) -> String {
        let view = function.mutability == .view ? " view" : ""
        return "\(function.signature)\(view) returns (\(function.outputs.map(\.type.canonicalName).joined(separator: ",")))"
    }

    static func describe(_ event: ContractEvent) -> String {
        "event \(event.name)(\(event.inputs.map { $0.type.canonicalName + ($0.indexed ? " indexed" : "") }.joined(separator: ",")))"
    }

    @Test func requiredDeclarationsMatchTheDesign() {
        for (contract, lines) in Self.required {
            let declared = Set(contract.functions.map(Self.describe) + contract.events.map(Self.describe))
            for line in lines { #expect(declared.contains(line), "\(contract.name) lacks `\(line)`") }
        }
    }

    @Test func contractsSitAtTheirFixedAddressesAndAreRegistered() {
        #expect(ResourceRegistry().address == Address(low: 0x1002))
        #expect(Billing().address == Address(low: 0x1004))
        #expect(ServiceLevels().address == Address(low: 0x1005))
        for (contract, _) in Self.required {
            #expect(SystemContracts.registry.contract(at: contract.address)?.name == contract.name)
        }
        // `all` stays in address order.
        let addresses = SystemContracts.all.map(\.address.checksummed)
        #expect(addresses == addresses.sorted())
    }

    /// Every state change is pausable; every read still answers while paused.
    @Test func stateChangesArePausableAndReadsAreNot() {
        for (contract, _) in Self.required {
            for function in contract.functions {
                #expect(function.pausable == (function.mutability != .view), "\(contract.name).\(function.name)")
            }
        }
    }
}
