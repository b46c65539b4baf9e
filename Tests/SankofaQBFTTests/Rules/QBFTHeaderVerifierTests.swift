import SankofaChain
import SankofaConsensus
import SankofaCrypto
import SankofaPrimitives
@testable import SankofaQBFT
import Testing

/// Header verification against Besu's QBFT rules: a table of tampered headers and the error each gets.
@Suite("QBFT header verifier")
struct QBFTHeaderVerifierTests {
    static let labels = ["A", "B", "C", "D"]
    static let validators = TestValidators.addresses(labels)
    static let config = QBFTConfig(blockPeriodSeconds: 1, epochLength: 4)

    let genesis = TestBlocks.genesis(validators: Self.validators)
    let chain: FakeQBFTChain
    let verifier = QBFTHeaderVerifier(config: Self.config, clock: { 10_000 })

    init() {
        chain = FakeQBFTChain(genesis: genesis, verifier: verifier)
    }

    /// Block 1 by the round-0 proposer (after the zero coinbase of genesis: the lowest address).
    func block1(vote: QBFTVote? = nil) throws -> BlockHeader {
        try TestBlocks.child(of: genesis, proposer: Self.validators[0], validators: Self.validators, vote: vote)
    }

    @Test func quorumOfSealsVerifies() throws {
        let sealed = try TestBlocks.seal(try block1(), by: ["A", "B", "C"])
        try verifier.verifyHeader(sealed, parent: genesis, chain: chain)
        #expect(try verifier.author(of: sealed) == Self.validators[0])
        // All four seals, in a later round, also verify.
        try verifier.verifyHeader(try TestBlocks.seal(try block1(), round: 5, by: Self.labels), parent: genesis, chain: chain)
    }

    enum Tamper: String, CaseIterable {
        case tooFewSeals, duplicateSeal, outsiderSeal, forgedSeal, sealsOverOtherRound
        case wrongValidators, unsortedValidators, proposerNotValidator, wrongMixHash, wrongDifficulty, nonZeroNonce
        case shortVanity, tooEarly, fromTheFuture, wrongParent, garbageExtraData
    }

    func tampered(_ tamper: Tamper) throws -> BlockHeader {
        var header = try block1()
        switch tamper {
        case .tooFewSeals: return try TestBlocks.seal(header, by: ["A", "B"])
        case .duplicateSeal: return try TestBlocks.seal(header, by: ["A", "B", "B"])
        case .outsiderSeal: return try TestBlocks.seal(header, by: ["A", "B", "E"])
        case .forgedSeal:
            var extra = try QBFTExtraData(rlp: try TestBlocks.seal(header, by: ["A", "B", "C"]).extraData)
            extra.commitSeals[2] = TestValidators.key("C").sign(Hash32(low: 9))  // C's key, wrong digest
            header.extraData = extra.encoded()
            return header
        case .sealsOverOtherRound:
            // Seals made for round 1 written into a header that claims round 2.
            let sealed = try TestBlocks.seal(header, round: 1, by: ["A", "B", "C"])
            return try QBFTBlockHashing.replacingRound(sealed, with: 2)
        case .wrongValidators:
            header.extraData = QBFTExtraData(validators: TestValidators.addresses(["A", "B", "C"])).encoded()
            return try TestBlocks.seal(header, by: ["A", "B", "C"])
        case .unsortedValidators:
            header.extraData = QBFTExtraData(validators: Self.validators.reversed()).encoded()
            return try TestBlocks.seal(header, by: ["A", "B", "C"])
        case .proposerNotValidator:
            header.coinbase = TestValidators.address("E")
        case .wrongMixHash: header.mixHash = .zero
        case .wrongDifficulty: header.difficulty = 2
        case .nonZeroNonce: header.nonce = 1
        case .shortVanity:
            header.extraData = QBFTExtraData(vanity: [1, 2, 3], validators: Self.validators).encoded()
        case .tooEarly: header.timestamp = genesis.timestamp
        case .fromTheFuture: header.timestamp = 10_002
        case .wrongParent: header.parentHash = Hash32(low: 1)
        case .garbageExtraData:
            header.extraData = [0xc0]
            return header
        }
        return try TestBlocks.seal(header, by: ["A", "B", "C"])
    }

    @Test(arguments: Tamper.allCases)
    func tamperedHeaderIsRefused(_ tamper: Tamper) throws {
        let header = try tampered(tamper)
        #expect(throws: ConsensusError.self, "\(tamper)") { try verifier.verifyHeader(header, parent: genesis, chain: chain) }
    }

    @Test func tooFewSealsSaysWhatQuorumIsNeeded() throws {
        let header = try tampered(.tooFewSeals)
        #expect(throws: ConsensusError.invalidSeal("2 commit seals; a quorum of 3 of 4 validators is required")) {
            try verifier.verifyHeader(header, parent: genesis, chain: chain)
        }
    }

    /// A vote carried in blocks changes the set the next header must list; the epoch block discards pending votes.
    @Test func votesAndEpochsDriveTheValidatorList() throws {
        let e = TestValidators.address("E")
        var parent = genesis
        var validators = Self.validators
        // Blocks 1-3 vote E in, proposed by three different validators; block 4 is an epoch block.
        for (number, proposer) in [(1, "A"), (2, "B"), (3, "C")] {
            let header = try TestBlocks.child(of: parent, proposer: TestValidators.address(proposer), validators: validators,
                                              vote: QBFTVote(recipient: e, kind: .add))
            let sealed = try TestBlocks.seal(header, by: ["A", "B", "C"])
            try chain.append(Block(header: sealed, transactions: []))
            parent = sealed
            let after = try chain.validators(after: sealed)
            #expect(after.contains(e) == (number == 3), "after block \(number)")
            validators = after
        }
        #expect(validators == TestValidators.addresses(["A", "B", "C", "D", "E"]))
        // Block 4 must list five validators and needs four seals now.
        let block4 = try TestBlocks.child(of: parent, proposer: TestValidators.address("D"), validators: validators)
        #expect(throws: ConsensusError.self) {
            try verifier.verifyHeader(try TestBlocks.seal(block4, by: ["A", "B", "C"]), parent: parent, chain: chain)
        }
        try verifier.verifyHeader(try TestBlocks.seal(block4, by: ["A", "B", "C", "E"]), parent: parent, chain: chain)
    }

    @Test func epochBlockDiscardsPendingVotes() throws {
        let x = TestValidators.address("X")
        var parent = genesis
        for (number, proposer) in [(1, "A"), (2, "B"), (3, "C"), (4, "D"), (5, "A")] {
            let vote = QBFTVote(recipient: x, kind: .add)
            let header = try TestBlocks.child(of: parent, proposer: TestValidators.address(proposer),
                                              validators: Self.validators, vote: number == 3 || number == 4 ? nil : vote)
            let sealed = try TestBlocks.seal(header, by: ["A", "B", "C"])
            try chain.append(Block(header: sealed, transactions: []))
            parent = sealed
        }
        // A and B voted before the epoch block 4; only A's vote in block 5 counts after it.
        let tally = try verifier.tracker.tally(after: parent, chain: chain)
        #expect(tally.validators == Self.validators)
        #expect(tally.pendingAddVotes(for: x) == [TestValidators.address("A")])
    }
}
