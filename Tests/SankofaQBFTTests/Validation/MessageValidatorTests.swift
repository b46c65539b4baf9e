import SankofaChain
import SankofaCrypto
import SankofaPrimitives
@testable import SankofaQBFT
import Testing

/// One validator per message type, driven directly: what each accepts and what it refuses, with validators
/// A, B, C, D at height 1.
@Suite("QBFT message validators")
struct MessageValidatorTests {
    static let labels = ["A", "B", "C", "D"]
    let genesis = TestBlocks.genesis(validators: TestValidators.addresses(Self.labels))
    let context: HeightContext

    init() throws {
        context = HeightContext(parent: genesis, parentHash: genesis.hash, validators: TestValidators.addresses(Self.labels))
    }

    func label(proposerOf round: UInt32) throws -> String {
        let address = try #require(context.proposer(round: round))
        return try #require(Self.labels.first { TestValidators.address($0) == address })
    }

    func block(round: UInt32, coinbase: String, timestamp: UInt64? = nil) throws -> Block {
        Block(header: try TestBlocks.child(of: genesis, proposer: TestValidators.address(coinbase),
                                           validators: context.validators, round: round, timestamp: timestamp),
              transactions: [])
    }

    var blockValidator: BlockConsensusValidator { BlockConsensusValidator(context: context, executionValidator: nil) }
    var roundChangeValidator: RoundChangeValidator { RoundChangeValidator(context: context, blockValidator: blockValidator) }

    func proposalValidator(round: UInt32) -> ProposalValidator {
        ProposalValidator(context: context, round: round, blockValidator: blockValidator, roundChangeValidator: roundChangeValidator)
    }

    func proposal(round: UInt32, by label: String, block: Block, roundChanges: [SignedPayload<RoundChangePayload>] = [],
                  prepares: [Prepare] = []) -> Proposal {
        Proposal(signedPayload: SignedPayload(ProposalPayload(roundIdentifier: context.roundIdentifier(round), block: block),
                                              signedWith: TestValidators.key(label)),
                 roundChanges: roundChanges, prepares: prepares)
    }

    func roundChange(_ label: String, to round: UInt32, prepared: (UInt32, Hash32)? = nil) -> SignedPayload<RoundChangePayload> {
        SignedPayload(RoundChangePayload(roundIdentifier: context.roundIdentifier(round),
                                         prepared: prepared.map { PreparedRoundMetadata(preparedRound: $0.0, preparedBlockHash: $0.1) }),
                      signedWith: TestValidators.key(label))
    }

    func prepares(_ labels: [String], round: UInt32, digest: Hash32) -> [Prepare] {
        labels.map { Prepare(PreparePayload(roundIdentifier: context.roundIdentifier(round), digest: digest), signedWith: TestValidators.key($0)) }
    }

    @Test func roundZeroProposalFromTheProposerIsAccepted() throws {
        let proposer = try label(proposerOf: 0)
        try proposalValidator(round: 0).validate(proposal(round: 0, by: proposer, block: try block(round: 0, coinbase: proposer)))
    }

    @Test func roundZeroProposalsThatBreakARuleAreRefused() throws {
        let proposer = try label(proposerOf: 0)
        let other = try label(proposerOf: 1)
        let cases: [(String, Proposal)] = [
            ("wrong proposer", proposal(round: 0, by: other, block: try block(round: 0, coinbase: other))),
            ("coinbase is not the author", proposal(round: 0, by: proposer, block: try block(round: 0, coinbase: other))),
            ("justification in round 0", proposal(round: 0, by: proposer, block: try block(round: 0, coinbase: proposer),
                                                  roundChanges: [roundChange("A", to: 1)])),
            ("block at the wrong height", proposal(round: 0, by: proposer, block: Block(
                header: try TestBlocks.child(of: try block(round: 0, coinbase: proposer).header, proposer: TestValidators.address(proposer),
                                             validators: context.validators), transactions: []))),
            ("block within the period", proposal(round: 0, by: proposer,
                                                  block: try block(round: 0, coinbase: proposer, timestamp: genesis.timestamp))),
        ]
        let strict = ProposalValidator(context: context, round: 0,
                                       blockValidator: BlockConsensusValidator(context: context, executionValidator: nil,
                                                                               blockPeriodSeconds: 1),
                                       roundChangeValidator: roundChangeValidator)
        for (why, bad) in cases {
            #expect(throws: MessageRejection.self, "\(why)") { try strict.validate(bad) }
        }
    }

    @Test func laterRoundNeedsAQuorumOfRoundChanges() throws {
        let proposer = try label(proposerOf: 2)
        let fresh = try block(round: 2, coinbase: proposer)
        let validator = proposalValidator(round: 2)
        try validator.validate(proposal(round: 2, by: proposer, block: fresh,
                                        roundChanges: ["A", "B", "C"].map { roundChange($0, to: 2) }))
        #expect(throws: MessageRejection.self, "two round changes") {
            try validator.validate(proposal(round: 2, by: proposer, block: fresh, roundChanges: ["A", "B"].map { roundChange($0, to: 2) }))
        }
        #expect(throws: MessageRejection.self, "duplicate authors") {
            try validator.validate(proposal(round: 2, by: proposer, block: fresh, roundChanges: ["A", "B", "B"].map { roundChange($0, to: 2) }))
        }
        #expect(throws: MessageRejection.self, "round changes for another round") {
            try validator.validate(proposal(round: 2, by: proposer, block: fresh, roundChanges: ["A", "B", "C"].map { roundChange($0, to: 1) }))
        }
        #expect(throws: MessageRejection.self, "a non-validator's round change") {
            try validator.validate(proposal(round: 2, by: proposer, block: fresh, roundChanges: ["A", "B", "E"].map { roundChange($0, to: 2) }))
        }
    }

    /// A block prepared in round 1 must be re-proposed in round 2, with round 1's PREPAREs.
    @Test func preparedBlockMustBeReproposed() throws {
        let proposer = try label(proposerOf: 2)
        let firstProposer = try label(proposerOf: 1)
        let prepared = try block(round: 1, coinbase: firstProposer)
        let digest = try QBFTBlockHashing.commitSealHash(prepared.header)
        var reproposed = prepared
        reproposed.header = try QBFTBlockHashing.replacingRound(prepared.header, with: 2)
        let roundChanges = [roundChange("A", to: 2, prepared: (1, digest)), roundChange("B", to: 2), roundChange("C", to: 2)]
        let proof = prepares(["A", "B", "D"], round: 1, digest: digest)
        let validator = proposalValidator(round: 2)
        try validator.validate(proposal(round: 2, by: proposer, block: reproposed, roundChanges: roundChanges, prepares: proof))

        #expect(throws: MessageRejection.self, "a fresh block instead of the prepared one") {
            try validator.validate(proposal(round: 2, by: proposer, block: try block(round: 2, coinbase: proposer),
                                            roundChanges: roundChanges, prepares: proof))
        }
        #expect(throws: MessageRejection.self, "too few prepares") {
            try validator.validate(proposal(round: 2, by: proposer, block: reproposed, roundChanges: roundChanges,
                                            prepares: Array(proof.prefix(2))))
        }
        #expect(throws: MessageRejection.self, "prepares for another digest") {
            try validator.validate(proposal(round: 2, by: proposer, block: reproposed, roundChanges: roundChanges,
                                            prepares: prepares(["A", "B", "D"], round: 1, digest: Hash32(low: 3))))
        }
        let conflicting = [roundChange("A", to: 2, prepared: (1, digest)), roundChange("B", to: 2, prepared: (1, Hash32(low: 3))),
                           roundChange("C", to: 2)]
        #expect(throws: MessageRejection.self, "two digests for one prepared round") {
            try validator.validate(proposal(round: 2, by: proposer, block: reproposed, roundChanges: conflicting, prepares: proof))
        }
    }

    @Test func roundChangeCarriesAValidPreparedCertificate() throws {
        let prepared = try block(round: 1, coinbase: try label(proposerOf: 1))
        let digest = try QBFTBlockHashing.commitSealHash(prepared.header)
        let good = RoundChange(signedPayload: roundChange("B", to: 2, prepared: (1, digest)), preparedBlock: prepared,
                               prepares: prepares(["A", "B", "C"], round: 1, digest: digest))
        try roundChangeValidator.validate(good)
        try roundChangeValidator.validate(RoundChange(signedPayload: roundChange("B", to: 2)))
        let bad: [(String, RoundChange)] = [
            ("to round 0", RoundChange(signedPayload: roundChange("B", to: 0))),
            ("prepared round not below target", RoundChange(signedPayload: roundChange("B", to: 1, prepared: (1, digest)),
                                                            preparedBlock: prepared, prepares: good.prepares)),
            ("metadata without block", RoundChange(signedPayload: roundChange("B", to: 2, prepared: (1, digest)))),
            ("block digest differs", RoundChange(signedPayload: roundChange("B", to: 2, prepared: (1, Hash32(low: 1))),
                                                 preparedBlock: prepared, prepares: good.prepares)),
            ("too few prepares", RoundChange(signedPayload: roundChange("B", to: 2, prepared: (1, digest)),
                                             preparedBlock: prepared, prepares: Array(good.prepares.prefix(2)))),
            ("from a non-validator", RoundChange(signedPayload: roundChange("E", to: 2))),
        ]
        for (why, message) in bad {
            #expect(throws: MessageRejection.self, "\(why)") { try roundChangeValidator.validate(message) }
        }
    }

    @Test func commitSealMustBeByTheAuthorOverTheCommitDigest() throws {
        let proposer = try label(proposerOf: 0)
        let proposed = try block(round: 0, coinbase: proposer)
        let digest = try QBFTBlockHashing.commitSealHash(proposed.header)
        let validator = CommitValidator(validators: Set(context.validators), round: context.roundIdentifier(0), digest: digest,
                                        commitDigest: digest)
        func commit(_ label: String, sealer: String, over sealed: Hash32) -> Commit {
            Commit(CommitPayload(roundIdentifier: context.roundIdentifier(0), digest: digest,
                                 commitSeal: TestValidators.key(sealer).sign(sealed)), signedWith: TestValidators.key(label))
        }
        try validator.validate(commit("B", sealer: "B", over: digest))
        #expect(throws: MessageRejection.self) { try validator.validate(commit("B", sealer: "C", over: digest)) }
        #expect(throws: MessageRejection.self) { try validator.validate(commit("B", sealer: "B", over: Hash32(low: 1))) }
        #expect(throws: MessageRejection.self) { try validator.validate(commit("E", sealer: "E", over: digest)) }
    }

    @Test func roundStateHoldsEarlyMessagesAndChecksThemAgainstTheProposal() throws {
        let proposer = try label(proposerOf: 0)
        let proposed = try block(round: 0, coinbase: proposer)
        let digest = try QBFTBlockHashing.commitSealHash(proposed.header)
        let state = RoundState(roundIdentifier: context.roundIdentifier(0), context: context, proposalValidator: proposalValidator(round: 0))
        for prepare in prepares(["A", "B"], round: 0, digest: digest) + prepares(["C"], round: 0, digest: Hash32(low: 5)) {
            try state.addPrepare(prepare)
        }
        #expect(state.prepareCount == 3)
        #expect(!state.isPrepared)
        try state.setProposal(proposal(round: 0, by: proposer, block: proposed), trusted: false)
        #expect(state.prepareCount == 2, "C's PREPARE named another digest")
        try state.addPrepare(prepares(["D"], round: 0, digest: digest)[0])
        #expect(state.isPrepared)
        #expect(throws: MessageRejection.self, "a second proposal in the same round") {
            try state.setProposal(proposal(round: 0, by: proposer, block: try block(round: 0, coinbase: proposer, timestamp: 1_005)),
                                  trusted: false)
        }
        #expect(state.preparedCertificate?.prepares.count == 3)
    }
}
