import SankofaPrimitives
import Testing
@testable import SankofaContracts

/// Gas is consensus: every node must charge a call the same, this release and the last, or blocks built by one
/// are refused by the other (`gasUsed` and the receipts root differ). These are the charges of IdentityRegistry's
/// state-changing calls, role sets included (grant, then revoke with and without moving the last member), as
/// released; a change to the contract runtime that alters them is a hard fork, not a refactor.
@Suite("IdentityRegistry gas")
struct IdentityRegistryGasTests {
    typealias T = ContractTestbed
    let registry = SystemAddresses.identityRegistry

    @Test func chargesAreThoseReleased() throws {
        let bed = try T()
        let did = Keccak256.hash(Array("did:sankofa:alice".utf8))
        var charged: [String: UInt64] = [:]
        func run(_ label: String, _ name: String, _ args: [ABIValue], from sender: Address) throws {
            let result = try bed.call(registry, name, args, from: sender)
            #expect(result.succeeded, "\(label): \(result.revertReason ?? "")")
            charged[label] = result.outcome.gasUsed
        }
        try run("register", "registerIdentity", [.word(did), .string("ipfs://alice"), .word(did)], from: T.alice)
        try run("update", "updateIdentity", [.string("ipfs://alice/2"), .word(.zero)], from: T.alice)
        try run("setActive", "setIdentityActive", [.address(T.alice), .bool(false)], from: T.admin)
        try run("grant first", "grantRole", [.word(Roles.operator), .address(T.alice)], from: T.admin)
        try run("grant second", "grantRole", [.word(Roles.operator), .address(T.bob)], from: T.admin)
        try run("revoke moving last", "revokeRole", [.word(Roles.operator), .address(T.alice)], from: T.admin)
        try run("revoke last", "revokeRole", [.word(Roles.operator), .address(T.bob)], from: T.admin)
        #expect(charged == ["register": 49_915, "update": 10_511, "setActive": 12_608, "grant first": 78_393,
                            "grant second": 78_393, "revoke moving last": 37_111, "revoke last": 27_002])
    }
}
