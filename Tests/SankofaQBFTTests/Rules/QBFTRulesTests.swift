import SankofaChain
import SankofaConsensus
import SankofaPrimitives
@testable import SankofaQBFT
import Testing

/// Quorum, proposer selection and vote tallying, as Besu computes them.
@Suite("QBFT rules")
struct QBFTRulesTests {
    @Test(arguments: [(1, 1), (2, 2), (3, 2), (4, 3), (5, 4), (6, 4), (7, 5), (10, 7), (16, 11), (64, 43), (100, 67)])
    func quorumIsCeilingOfTwoThirds(_ n: Int, _ quorum: Int) {
        #expect(QBFTQuorum.required(validatorCount: n) == quorum)
    }

    @Test(arguments: [(1, 1), (3, 1), (4, 2), (7, 3), (64, 22)])
    func futureRoundChangeQuorumIsFPlusOne(_ n: Int, _ quorum: Int) {
        #expect(QBFTQuorum.futureRoundChange(validatorCount: n) == quorum)
    }

    /// Validators 0x…1 to 0x…4, the parent proposed by `previous`.
    @Test(arguments: [
        // previous, round, expected (addresses by their low byte)
        (1, 0, 2), (1, 1, 3), (1, 2, 4), (1, 3, 1), (4, 0, 1), (4, 1, 2), (2, 7, 2),
        // previous proposer no longer a validator: the next address above it starts round 0
        (0, 0, 1), (0, 2, 3), (5, 0, 1), (5, 1, 2),
    ])
    func proposerRotatesFromThePreviousProposer(_ previous: UInt32, _ round: UInt32, _ expected: UInt32) {
        let validators = (1...4).map { Address(low: UInt32($0)) }
        #expect(ProposerSelector.proposer(round: round, previousProposer: Address(low: previous), validators: validators)
                == Address(low: expected))
    }

    @Test func droppedMiddleProposerHandsOverToTheNextAddress() {
        let validators = [1, 2, 4].map { Address(low: UInt32($0)) }
        #expect(ProposerSelector.proposer(round: 0, previousProposer: Address(low: 3), validators: validators) == Address(low: 4))
        #expect(ProposerSelector.proposer(round: 0, previousProposer: .zero, validators: []) == nil)
    }

    /// Scenario table: votes cast (voter → vote) and the validators afterwards.
    @Test func votesNeedAStrictMajority() {
        let (a, b, c, d, e) = ("A", "B", "C", "D", "E")
        var tally = ValidatorVoteTally(validators: TestValidators.addresses([a, b, c, d]))
        let addE = QBFTVote(recipient: TestValidators.address(e), kind: .add)
        tally.apply(addE, by: TestValidators.address(a))
        tally.apply(addE, by: TestValidators.address(a))  // repeated vote counts once
        tally.apply(addE, by: TestValidators.address(b))
        #expect(tally.validators == TestValidators.addresses([a, b, c, d]))  // 2 of 4 is not > half
        tally.apply(addE, by: TestValidators.address(c))
        #expect(tally.validators == TestValidators.addresses([a, b, c, d, e]))
        #expect(tally.pendingAddVotes(for: TestValidators.address(e)).isEmpty)

        // Dropping needs 3 of 5; a voter that flips from drop to add is no longer counted for drop.
        let dropD = QBFTVote(recipient: TestValidators.address(d), kind: .drop)
        for voter in [a, b] { tally.apply(dropD, by: TestValidators.address(voter)) }
        tally.apply(QBFTVote(recipient: TestValidators.address(d), kind: .add), by: TestValidators.address(b))
        tally.apply(dropD, by: TestValidators.address(c))
        #expect(tally.validators.contains(TestValidators.address(d)))
        tally.apply(dropD, by: TestValidators.address(e))
        #expect(tally.validators == TestValidators.addresses([a, b, c, e]))
    }

    @Test func droppedValidatorsVotesAreForgotten() {
        var tally = ValidatorVoteTally(validators: TestValidators.addresses(["A", "B", "C"]))
        let addX = QBFTVote(recipient: TestValidators.address("X"), kind: .add)
        tally.apply(addX, by: TestValidators.address("C"))
        let dropC = QBFTVote(recipient: TestValidators.address("C"), kind: .drop)
        tally.apply(dropC, by: TestValidators.address("A"))
        tally.apply(dropC, by: TestValidators.address("B"))
        #expect(tally.validators == TestValidators.addresses(["A", "B"]))
        #expect(tally.pendingAddVotes(for: TestValidators.address("X")).isEmpty)
    }

    @Test func roundTimeoutDoublesUpToTheCap() {
        let config = QBFTConfig(requestTimeoutSeconds: 2)
        #expect((0...5).map { config.roundTimeoutMilliseconds(round: $0) } == [2000, 4000, 8000, 8000, 8000, 8000])
        #expect(config.roundTimeoutMilliseconds(round: .max) == 8000)
        let uncapped = QBFTConfig(requestTimeoutSeconds: 1, maxRequestTimeoutSeconds: 1 << 40)
        #expect(uncapped.roundTimeoutMilliseconds(round: 10) == 1_024_000)
    }
}
