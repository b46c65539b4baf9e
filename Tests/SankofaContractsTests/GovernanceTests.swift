import SankofaChain
import SankofaPrimitives
import Testing
@testable import SankofaContracts

@Suite("Governance")
struct GovernanceTests {
    typealias T = ContractTestbed
    let governance = SystemAddresses.governance

    /// A board of admin, alice and bob with threshold 2.
    func board() throws -> T { try T(board: [T.admin, T.alice, T.bob], threshold: 2) }

    func propose(_ bed: T, _ action: GovernanceAction, _ args: [ABIValue], from: Address = T.admin) throws -> UInt64 {
        let payload = try ABI.encode(args, as: action.payloadTypes)
        let result = try bed.call(governance, "propose", [.number(UInt64(action.rawValue)), .bytes(payload), .string("do \(action)")], from: from)
        guard result.succeeded, case .uint(let id) = result.values.first else {
            throw ContractError.revert(result.revertReason ?? "propose failed")
        }
        return id.asUInt64 ?? 0
    }

    /// Proposes, collects `voters`' yes votes and executes; returns the execute result.
    @discardableResult
    func pass(_ bed: T, _ action: GovernanceAction, _ args: [ABIValue], voters: [Address] = [T.admin, T.alice]) throws -> T.Result {
        let id = try propose(bed, action, args)
        for voter in voters { #expect(try bed.call(governance, "vote", [.number(id), .bool(true)], from: voter).succeeded) }
        return try bed.call(governance, "execute", [.number(id)], from: T.carol)
    }

    @Test func proposalLifecycleAndEvents() throws {
        let bed = try board()
        let payload = try ABI.encode([.address(T.carol)], as: [.address])
        let created = try bed.call(governance, "propose", [.number(7), .bytes(payload), .string("add carol")], from: T.alice)
        #expect(created.values == [.number(1)])
        let (event, values) = try bed.decode(created.outcome.logs[0])
        #expect(event == "ProposalCreated" && values == [.number(1), .address(T.alice), .number(7), .string("add carol")])

        let early = try bed.call(governance, "execute", [.number(1)], from: T.alice)
        #expect(early.revertReason?.contains("has 0 yes votes; 2 needed") == true)
        let vote = try bed.call(governance, "vote", [.number(1), .bool(true)], from: T.alice)
        #expect(try bed.decode(vote.outcome.logs[0]) == ("Voted", [.number(1), .address(T.alice), .bool(true)]))
        #expect(try bed.call(governance, "vote", [.number(1), .bool(false)], from: T.alice).revertReason?.contains("already voted") == true)
        #expect(try bed.call(governance, "vote", [.number(1), .bool(true)], from: T.carol).revertReason?.contains("not a board member") == true)
        #expect(try bed.call(governance, "vote", [.number(9), .bool(true)], from: T.bob).revertReason?.contains("no proposal 9") == true)
        #expect(try bed.call(governance, "vote", [.number(1), .bool(true)], from: T.bob).succeeded)
        let executed = try bed.call(governance, "execute", [.number(1)], from: T.carol)
        #expect(executed.succeeded)
        #expect(try bed.decode(executed.outcome.logs.last!).0 == "ProposalExecuted")
        #expect(try bed.view(governance, "boardMembers") == [.array([.address(T.admin), .address(T.alice), .address(T.bob), .address(T.carol)])])
        #expect(try bed.call(governance, "execute", [.number(1)], from: T.carol).revertReason?.contains("already executed") == true)
        let proposal = try bed.view(governance, "getProposal", [.number(1)])
        #expect(proposal[4] == .number(2) && proposal[6] == .bool(true))
        #expect(try bed.view(governance, "hasVoted", [.number(1), .address(T.bob)]) == [.bool(true)])
    }

    @Test func invalidProposalsAreRefused() throws {
        let bed = try board()
        #expect(try bed.call(governance, "propose", [.number(11), .bytes([]), .string("")], from: T.admin)
            .revertReason?.contains("action 11 is not valid: use 1 (addValidator)") == true)
        #expect(try bed.call(governance, "propose", [.number(1), .bytes([1, 2]), .string("")], from: T.admin)
            .revertReason?.contains("payload is not the ABI encoding of (address)") == true)
        #expect(try bed.call(governance, "propose", [.number(1), .bytes([]), .string("")], from: T.carol)
            .revertReason?.contains("not a board member") == true)
    }

    @Test func validatorActions() throws {
        let bed = try board()
        let validator = Address(low: 0x7A2)
        #expect(try pass(bed, .addValidator, [.address(validator)]).succeeded)
        #expect(try bed.view(governance, "validators") == [.array([.address(Address(low: 0x7A1)), .address(validator)])])
        #expect(try pass(bed, .addValidator, [.address(validator)]).revertReason?.contains("already a validator") == true)
        #expect(try pass(bed, .removeValidator, [.address(Address(low: 0x7A1))]).succeeded)
        #expect(try pass(bed, .removeValidator, [.address(validator)]).revertReason?.contains("last validator") == true)
        #expect(try pass(bed, .removeValidator, [.address(T.carol)]).revertReason?.contains("is not a validator") == true)
    }

    /// QBFT contract mode reads the list straight from storage and names the contract by the chain layer's copy of
    /// its address; both must agree with the contract itself.
    @Test func directValidatorReadMatchesTheViewAndTheGenesisAddress() throws {
        let bed = try board()
        #expect(try pass(bed, .addValidator, [.address(Address(low: 0x7A2))]).succeeded)
        let slots = GenesisSlots(storage: bed.storage, contract: governance)
        #expect(try Governance.validators(in: slots) == [Address(low: 0x7A1), Address(low: 0x7A2)])
        #expect(GenesisFile.QBFTSettings.governanceContract == SystemAddresses.governance)
    }

    @Test func pauseAndUnpause() throws {
        let bed = try board()
        let registry = SystemAddresses.identityRegistry
        let paused = try pass(bed, .pause, [.address(registry)])
        #expect(paused.succeeded)
        #expect(try bed.decode(paused.outcome.logs[0]) == ("ContractPaused", [.address(registry), .address(governance)]))
        #expect(try bed.view(governance, "isPaused", [.address(registry)]) == [.bool(true)])
        #expect(try bed.call(registry, "grantRole", [.word(Roles.operator), .address(T.carol)], from: T.admin).revertReason == "IdentityRegistry is paused")
        // Reads still work while paused.
        #expect(try bed.view(registry, "hasRole", [.word(Roles.admin), .address(T.admin)]) == [.bool(true)])
        #expect(try pass(bed, .pause, [.address(registry)]).revertReason?.contains("already paused") == true)
        let unpaused = try pass(bed, .unpause, [.address(registry)])
        #expect(try bed.decode(unpaused.outcome.logs[0]) == ("ContractUnpaused", [.address(registry)]))
        #expect(try bed.call(registry, "grantRole", [.word(Roles.operator), .address(T.carol)], from: T.admin).succeeded)
        #expect(try pass(bed, .pause, [.address(governance)]).revertReason?.contains("cannot be paused") == true)
        #expect(try pass(bed, .pause, [.address(T.carol)]).revertReason?.contains("is not a system contract") == true)
    }

    @Test func emergencyPauseIsImmediateForMembersOnly() throws {
        let bed = try board()
        let registry = SystemAddresses.identityRegistry
        #expect(try bed.call(governance, "emergencyPause", [.address(registry)], from: T.carol).revertReason?.contains("not a board member") == true)
        let result = try bed.call(governance, "emergencyPause", [.address(registry)], from: T.bob)
        #expect(try bed.decode(result.outcome.logs[0]) == ("ContractPaused", [.address(registry), .address(T.bob)]))
        #expect(try bed.view(governance, "isPaused", [.address(registry)]) == [.bool(true)])
    }

    @Test func roleActionsGoThroughIdentityRegistry() throws {
        let bed = try board()
        let granted = try pass(bed, .grantRole, [.word(Roles.auditor), .address(T.carol)])
        #expect(granted.succeeded)
        #expect(try bed.decode(granted.outcome.logs[0]) == ("RoleGranted", [.word(Roles.auditor), .address(T.carol), .address(governance)]))
        #expect(try bed.view(SystemAddresses.identityRegistry, "hasRole", [.word(Roles.auditor), .address(T.carol)]) == [.bool(true)])
        #expect(try pass(bed, .revokeRole, [.word(Roles.auditor), .address(T.carol)]).succeeded)
        #expect(try bed.view(SystemAddresses.identityRegistry, "hasRole", [.word(Roles.auditor), .address(T.carol)]) == [.bool(false)])
        // A failing inner call reverts the whole execution; the proposal stays executable later.
        let failed = try pass(bed, .revokeRole, [.word(Roles.auditor), .address(T.carol)])
        #expect(failed.revertReason?.contains("does not have role") == true)
        #expect(failed.outcome.logs.isEmpty)
    }

    @Test func boardAndThresholdRules() throws {
        let bed = try board()
        #expect(try pass(bed, .setThreshold, [.number(4)]).revertReason?.contains("between 1 and the board size 3") == true)
        #expect(try pass(bed, .setThreshold, [.number(3)]).succeeded)
        #expect(try bed.view(governance, "threshold") == [.number(3)])
        #expect(try pass(bed, .removeBoardMember, [.address(T.bob)], voters: [T.admin, T.alice, T.bob])
            .revertReason?.contains("fewer board members than the threshold") == true)
        #expect(try pass(bed, .addBoardMember, [.address(T.alice)], voters: [T.admin, T.alice, T.bob])
            .revertReason?.contains("already a board member") == true)
        #expect(try pass(bed, .removeBoardMember, [.address(T.carol)], voters: [T.admin, T.alice, T.bob])
            .revertReason?.contains("is not a board member") == true)
        let key = Keccak256.hash(Array("BILLING_APPROVALS".utf8))
        let set = try pass(bed, .setParameter, [.word(key), .number(3)], voters: [T.admin, T.alice, T.bob])
        #expect(try bed.decode(set.outcome.logs[0]) == ("ParameterSet", [.word(key), .number(3)]))
        #expect(try bed.view(governance, "parameter", [.word(key)]) == [.number(3)])
    }
}
