import SankofaPrimitives
import Testing
@testable import SankofaContracts

@Suite("IdentityRegistry")
struct IdentityRegistryTests {
    typealias T = ContractTestbed
    let registry = SystemAddresses.identityRegistry
    let did = Keccak256.hash(Array("did:sankofa:alice".utf8))
    let attributes = Keccak256.hash(Array("attributes".utf8))
    let kyc = Keccak256.hash(Array("KYC".utf8))

    @Test func registerAndRead() throws {
        let bed = try T()
        let result = try bed.call(registry, "registerIdentity", [.word(did), .string("ipfs://alice"), .word(attributes)], from: T.alice)
        #expect(result.succeeded)
        #expect(result.outcome.gasUsed > 20_000)
        let (event, values) = try bed.decode(try #require(result.outcome.logs.first))
        #expect(event == "IdentityRegistered")
        #expect(values == [.address(T.alice), .word(did)])
        let identity = try bed.view(registry, "identityOf", [.address(T.alice)])
        #expect(identity == [.word(did), .string("ipfs://alice"), .word(attributes), .bool(true), .number(bed.block.timestamp)])
        // An unregistered account reads as zeros, inactive.
        #expect(try bed.view(registry, "identityOf", [.address(T.bob)])[3] == .bool(false))
    }

    @Test func duplicatesAreRefused() throws {
        let bed = try T()
        try bed.call(registry, "registerIdentity", [.word(did), .string(""), .word(attributes)], from: T.alice)
        let again = try bed.call(registry, "registerIdentity", [.word(did), .string(""), .word(attributes)], from: T.alice)
        #expect(again.revertReason?.contains("identity already registered") == true)
        let sameDID = try bed.call(registry, "registerIdentity", [.word(did), .string(""), .word(attributes)], from: T.bob)
        #expect(sameDID.revertReason?.contains("already registered to another account") == true)
        let zero = try bed.call(registry, "registerIdentity", [.word(.zero), .string(""), .word(attributes)], from: T.bob)
        #expect(zero.revertReason?.contains("DID must not be zero") == true)
        #expect(!again.succeeded && again.outcome.logs.isEmpty && again.outcome.gasUsed > 0)
    }

    @Test func registerForNeedsAdmin() throws {
        let bed = try T()
        let denied = try bed.call(registry, "registerIdentityFor", [.address(T.bob), .word(did), .string(""), .word(attributes)], from: T.alice)
        #expect(denied.revertReason == "IdentityRegistry.registerIdentityFor: caller \(T.alice.checksummed) lacks role ADMIN")
        let ok = try bed.call(registry, "registerIdentityFor", [.address(T.bob), .word(did), .string(""), .word(attributes)], from: T.admin)
        #expect(ok.succeeded)
        #expect(try bed.view(registry, "identityOf", [.address(T.bob)])[0] == .word(did))
    }

    @Test func attestationsExpireAndRevoke() throws {
        let bed = try T()
        try bed.call(registry, "registerIdentity", [.word(did), .string(""), .word(attributes)], from: T.alice)
        let expiry = bed.block.timestamp + 100
        let noRole = try bed.call(registry, "attest", [.address(T.alice), .word(kyc), .word(attributes), .number(expiry)], from: T.bob)
        #expect(noRole.revertReason?.contains("lacks role VERIFIER") == true)
        let past = try bed.call(registry, "attest", [.address(T.alice), .word(kyc), .word(attributes), .number(bed.block.timestamp)], from: T.admin)
        #expect(past.revertReason?.contains("is not after the current block time") == true)
        let noIdentity = try bed.call(registry, "attest", [.address(T.bob), .word(kyc), .word(attributes), .number(expiry)], from: T.admin)
        #expect(noIdentity.revertReason?.contains("no active identity") == true)

        let attested = try bed.call(registry, "attest", [.address(T.alice), .word(kyc), .word(attributes), .number(expiry)], from: T.admin)
        #expect(attested.succeeded)
        let (event, values) = try bed.decode(try #require(attested.outcome.logs.first))
        #expect(event == "Attested" && values == [.address(T.alice), .word(kyc), .address(T.admin), .number(expiry)])
        #expect(try bed.view(registry, "isVerified", [.address(T.alice), .word(kyc)]) == [.bool(true)])

        bed.block.timestamp = expiry
        #expect(try bed.view(registry, "isVerified", [.address(T.alice), .word(kyc)]) == [.bool(false)])
        bed.block.timestamp = expiry - 50

        let stranger = try bed.call(registry, "revokeAttestation", [.address(T.alice), .word(kyc)], from: T.bob)
        #expect(stranger.revertReason?.contains("only the attesting verifier or an ADMIN") == true)
        let revoked = try bed.call(registry, "revokeAttestation", [.address(T.alice), .word(kyc)], from: T.admin)
        #expect(revoked.succeeded)
        #expect(try bed.decode(try #require(revoked.outcome.logs.first)).0 == "AttestationRevoked")
        #expect(try bed.view(registry, "isVerified", [.address(T.alice), .word(kyc)]) == [.bool(false)])
        let twice = try bed.call(registry, "revokeAttestation", [.address(T.alice), .word(kyc)], from: T.admin)
        #expect(twice.revertReason?.contains("already revoked") == true)
        let none = try bed.call(registry, "revokeAttestation", [.address(T.bob), .word(kyc)], from: T.admin)
        #expect(none.revertReason?.contains("no attestation") == true)
    }

    @Test func rolesGrantRevokeAndGuards() throws {
        let bed = try T()
        let grant = try bed.call(registry, "grantRole", [.word(Roles.operator), .address(T.alice)], from: T.admin)
        #expect(grant.succeeded)
        let (event, values) = try bed.decode(try #require(grant.outcome.logs.first))
        #expect(event == "RoleGranted" && values == [.word(Roles.operator), .address(T.alice), .address(T.admin)])
        #expect(try bed.view(registry, "hasRole", [.word(Roles.operator), .address(T.alice)]) == [.bool(true)])
        #expect(try bed.call(registry, "grantRole", [.word(Roles.operator), .address(T.alice)], from: T.admin)
            .revertReason?.contains("already has role OPERATOR") == true)
        #expect(try bed.call(registry, "grantRole", [.word(Roles.operator), .address(T.bob)], from: T.alice)
            .revertReason?.contains("lacks role ADMIN") == true)
        let revoke = try bed.call(registry, "revokeRole", [.word(Roles.operator), .address(T.alice)], from: T.admin)
        #expect(revoke.succeeded)
        #expect(try bed.decode(revoke.outcome.logs[0]).0 == "RoleRevoked")
        #expect(try bed.view(registry, "hasRole", [.word(Roles.operator), .address(T.alice)]) == [.bool(false)])
        #expect(try bed.call(registry, "revokeRole", [.word(Roles.operator), .address(T.alice)], from: T.admin)
            .revertReason?.contains("does not have role") == true)
        #expect(try bed.call(registry, "revokeRole", [.word(Roles.admin), .address(T.admin)], from: T.admin)
            .revertReason?.contains("cannot revoke the last ADMIN") == true)
        #expect(try bed.view(registry, "roleMembers", [.word(Roles.admin)]) == [.array([.address(T.admin)])])
    }

    @Test func federationPeers() throws {
        let bed = try T()
        let region = Keccak256.hash(Array("eu-west".utf8))
        #expect(try bed.call(registry, "setFederationPeer", [.word(region), .string("https://eu.example")], from: T.admin).succeeded)
        #expect(try bed.view(registry, "federationPeer", [.word(region)]) == [.string("https://eu.example")])
        #expect(try bed.call(registry, "setFederationPeer", [.word(region), .string("x")], from: T.alice)
            .revertReason?.contains("lacks role ADMIN") == true)
    }

    @Test func pausedRegistryRefusesWritesButAnswersReads() throws {
        let bed = try T()
        #expect(try bed.call(SystemAddresses.governance, "emergencyPause", [.address(registry)], from: T.admin).succeeded)
        let write = try bed.call(registry, "registerIdentity", [.word(did), .string(""), .word(attributes)], from: T.alice)
        #expect(write.revertReason == "IdentityRegistry is paused")
        #expect(try bed.view(registry, "hasRole", [.word(Roles.admin), .address(T.admin)]) == [.bool(true)])
    }

    @Test func gasIsChargedAndDeterministic() throws {
        var used: Set<UInt64> = []
        for _ in 0..<3 {
            let bed = try T()
            let result = try bed.call(registry, "registerIdentity", [.word(did), .string("ipfs://x"), .word(attributes)], from: T.alice)
            used.insert(result.outcome.gasUsed)
        }
        #expect(used.count == 1 && used.first! > 0)
        let bed = try T()
        let starved = try bed.call(registry, "registerIdentity", [.word(did), .string(""), .word(attributes)], from: T.alice, gasLimit: 5_000)
        #expect(!starved.succeeded && starved.outcome.error == .outOfGas(limit: 5_000) && starved.outcome.gasUsed == 5_000)
        #expect(try bed.view(registry, "identityOf", [.address(T.alice)])[3] == .bool(false))
    }

    @Test func malformedCallsRevertClearly() throws {
        let bed = try T()
        let host = ContractHost(registry: bed.registry, storage: bed.storage, block: bed.block, origin: T.alice, gasLimit: 100_000)
        let short = try host.execute(registry, input: [0x01, 0x02], sender: T.alice)
        #expect(ABI.decodeRevert(short.output)?.contains("4-byte function selector") == true)
        let unknown = try host.execute(registry, input: [0xde, 0xad, 0xbe, 0xef], sender: T.alice)
        #expect(ABI.decodeRevert(unknown.output) == "IdentityRegistry: unknown function selector 0xdeadbeef")
        let selector = try bed.function(registry, "registerIdentity").selector
        let truncated = try host.execute(registry, input: selector + [0, 1, 2], sender: T.alice)
        #expect(ABI.decodeRevert(truncated.output)?.contains("invalid call data") == true)
        let readOnly = try bed.call(registry, "registerIdentity", [.word(did), .string(""), .word(attributes)], from: T.alice, isStatic: true)
        #expect(readOnly.revertReason?.contains("cannot run in a read-only call") == true)
    }
}
