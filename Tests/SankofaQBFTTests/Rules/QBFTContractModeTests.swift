import SankofaChain
import SankofaConsensus
import SankofaPrimitives
import Testing
@testable import SankofaQBFT

/// A validator contract as a table: the list in the state after block n is the entry with the greatest key ≤ n
/// (standing in for Governance executing action 1 or 2 in that block).
final class FakeContractValidators: ContractValidatorSource, @unchecked Sendable {
    private let lock = PThreadMutex()
    private var lists: [UInt64: [Address]]
    private(set) var reads = 0

    init(_ lists: [UInt64: [Address]]) { self.lists = lists }

    func validators(inStateOf header: BlockHeader) throws(ConsensusError) -> [Address] {
        try lock.withLock { () throws(ConsensusError) -> [Address] in
            reads += 1
            guard let key = lists.keys.filter({ $0 <= header.number }).max(), let list = lists[key] else {
                throw .storage("no state for block #\(header.number)")
            }
            return list
        }
    }
}

/// QBFT contract mode (Besu `validatorcontractaddress`), beyond Besu: every header still lists its validators.
@Suite("QBFT contract mode")
struct QBFTContractModeTests {
    static let config = QBFTConfig(blockPeriodSeconds: 1, requestTimeoutSeconds: 2, validatorContract: Address(low: 0x1000))
    static let a = TestValidators.addresses(["A"])
    static let abcd = TestValidators.addresses(["A", "B", "C", "D"])

    /// Contract lists [A] at genesis and [A, B, C, D] from block 1 on.
    static func chain() throws -> (FakeQBFTChain, FakeContractValidators) {
        let source = FakeContractValidators([0: a, 1: abcd])
        let verifier = QBFTHeaderVerifier(config: config, contractSource: source, clock: { 10_000 })
        let chain = FakeQBFTChain(genesis: TestBlocks.genesis(validators: a), verifier: verifier)
        let one = try TestBlocks.child(of: chain.head, proposer: a[0], validators: a)
        try chain.append(Block(header: try TestBlocks.seal(one, by: ["A"]), transactions: []))
        return (chain, source)
    }

    @Test func theChildOfTheChangeListsTheNewSetAndNeedsItsQuorum() throws {
        let (chain, _) = try Self.chain()
        #expect(try chain.validators(after: chain.head) == Self.abcd)
        let two = try TestBlocks.child(of: chain.head, proposer: Self.a[0], validators: Self.abcd)
        // ⌈2·4/3⌉ = 3 seals of the new set: A alone (the old quorum) is refused.
        #expect(throws: ConsensusError.self) { try chain.append(Block(header: try TestBlocks.seal(two, by: ["A"]), transactions: [])) }
        #expect(throws: ConsensusError.self) { try chain.append(Block(header: try TestBlocks.seal(two, by: ["A", "B"]), transactions: [])) }
        try chain.append(Block(header: try TestBlocks.seal(two, by: ["A", "B", "D"]), transactions: []))
        #expect(chain.headNumber == 2)
    }

    @Test func aHeaderListingOtherValidatorsThanTheContractIsRefused() throws {
        let (chain, _) = try Self.chain()
        // Still the old list, sealed by a quorum of it: the contract's list at the parent differs.
        let stale = try TestBlocks.child(of: chain.head, proposer: Self.a[0], validators: Self.a)
        do {
            try chain.append(Block(header: try TestBlocks.seal(stale, by: ["A"]), transactions: []))
            Issue.record("accepted a header listing \(Self.a)")
        } catch {
            #expect("\(error)".contains("the Governance contract lists"), "\(error)")
            #expect("\(error)".contains("parent #1"), "\(error)")
        }
    }

    @Test func headerVotesAreRefused() throws {
        let (chain, _) = try Self.chain()
        let vote = QBFTVote(recipient: TestValidators.address("E"), kind: .add)
        let voting = try TestBlocks.child(of: chain.head, proposer: Self.a[0], validators: Self.abcd, vote: vote)
        do {
            try chain.append(Block(header: try TestBlocks.seal(voting, by: ["A", "B", "C"]), transactions: []))
            Issue.record("accepted a header vote in contract mode")
        } catch {
            #expect("\(error)".contains("not header votes"), "\(error)")
        }
    }

    @Test func aProposedBlockWithAVoteIsRefusedBeforeExecution() throws {
        let genesis = TestBlocks.genesis(validators: Self.abcd)
        let context = HeightContext(parent: genesis, parentHash: try QBFTBlockHashing.onChainHash(genesis), validators: Self.abcd)
        let vote = QBFTVote(recipient: TestValidators.address("E"), kind: .add)
        let voting = Block(header: try TestBlocks.child(of: genesis, proposer: Self.a[0], validators: Self.abcd, vote: vote),
                           transactions: [])
        #expect(throws: MessageRejection.self) {
            try BlockConsensusValidator(context: context, executionValidator: nil, refusesVotes: true).validate(voting)
        }
        // Vote mode takes it.
        try BlockConsensusValidator(context: context, executionValidator: nil).validate(voting)
    }

    @Test func withoutStateTheHeaderListIsTakenAndMustBeSealedByItsQuorum() throws {
        // A verifier with no contract source (a header-only node) reads the set from each header.
        let verifier = QBFTHeaderVerifier(config: Self.config, clock: { 10_000 })
        let chain = FakeQBFTChain(genesis: TestBlocks.genesis(validators: Self.a), verifier: verifier)
        let one = try TestBlocks.child(of: chain.head, proposer: Self.a[0], validators: Self.abcd)
        #expect(throws: ConsensusError.self) { try chain.append(Block(header: try TestBlocks.seal(one, by: ["A"]), transactions: [])) }
        try chain.append(Block(header: try TestBlocks.seal(one, by: ["A", "B", "C"]), transactions: []))
        #expect(throws: ConsensusError.self) { try verifier.validators(after: chain.head, chain: chain) }
    }

    /// The state machine on a fake network: the contract adds B, C and D after block 1 (all four run; B–D follow
    /// block 1 by import). Block 2 and later list the four and carry a quorum of three of their seals, and no
    /// proposer writes a vote even with one queued.
    @Test func validatorsFollowTheContractOnTheFakeNetwork() throws {
        let source = FakeContractValidators([0: Self.a, 1: Self.abcd])
        let network = FakeNetwork(validators: ["A"], config: Self.config, extra: ["B", "C", "D"], contractSource: source)
        network.start()
        network["A"].controller?.pendingVotes[TestValidators.address("E")] = .add
        #expect(network.run(untilHeight: 4, within: 60))
        #expect(network.conflictingHeights().isEmpty)
        let one = try #require(network["A"].chain.blocks[1]?.header)
        #expect(try QBFTExtraData(rlp: one.extraData).validators == Self.a)
        for height: UInt64 in 2...4 {
            let header = try #require(network["C"].chain.blocks[height]?.header)
            let extra = try QBFTExtraData(rlp: header.extraData)
            #expect(extra.validators == Self.abcd)
            #expect(extra.vote == nil)
            #expect(try QBFTBlockHashing.recoverCommitters(header).count >= 3)
        }
        #expect(network["B"].controller?.validators == Self.abcd)
    }
}
