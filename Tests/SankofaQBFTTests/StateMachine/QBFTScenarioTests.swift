import SankofaChain
import SankofaConsensus
import SankofaPrimitives
@testable import SankofaQBFT
import Testing

/// QBFT validators A, B, C, D… on a fake network with a manual clock. Every scenario ends by checking that no
/// two nodes ever finalised different blocks at one height.
@Suite("QBFT scenarios")
struct QBFTScenarioTests {
    static let config = QBFTConfig(blockPeriodSeconds: 1, requestTimeoutSeconds: 2)

    static func network(_ labels: [String], config: QBFTConfig = Self.config, observers: [String] = []) -> FakeNetwork {
        let network = FakeNetwork(validators: labels, config: config, extra: observers)
        network.start()
        return network
    }

    /// The label of the round-`round` proposer of the height after `node`'s head.
    static func proposer(in network: FakeNetwork, round: UInt32 = 0, after node: String = "A") -> String? {
        let head = network[node].chain.head
        let validators = (try? network[node].chain.validators(after: head)) ?? []
        return ProposerSelector.proposer(round: round, previousProposer: head.coinbase, validators: validators)
            .flatMap(network.label(of:))
    }

    /// Scenario table: validators and heights; each node commits the same block at every height in round 0.
    @Test(arguments: [(1, 5), (2, 3), (4, 5), (7, 3)])
    func happyPath(_ count: Int, _ heights: UInt64) throws {
        let network = Self.network(TestValidators.labels(count))
        #expect(network.run(untilHeight: heights, within: 60))
        #expect(network.conflictingHeights().isEmpty)
        for node in network.runningNodes {
            #expect(node.chain.headNumber >= heights)
            #expect(node.controller?.counters.roundChanges == 0, "\(node.label) changed round")
            #expect(node.controller?.counters.invalid == 0, "\(node.label) refused a message")
            #expect(node.controller?.counters.lastProposalToCommitMilliseconds != nil, "\(node.label) timed no commit")
        }
        // Every height had one proposal, made by one node and received by all the others.
        let made = network.runningNodes.reduce(0) { $0 + ($1.controller?.counters.proposalsMade ?? 0) }
        let received = network.runningNodes.reduce(0) { $0 + ($1.controller?.counters.proposalsReceived ?? 0) }
        #expect(made >= Int(heights))
        #expect(received == made * (count - 1))
        // Proposers rotate: every block of the first `count` heights has a different coinbase.
        let coinbases = (1...min(heights, UInt64(count))).compactMap { network["A"].chain.blocks[$0]?.header.coinbase }
        #expect(Set(coinbases).count == coinbases.count)
        // Blocks arrive one block period apart.
        let times = (0...heights).compactMap { network["A"].chain.blocks[$0]?.header.timestamp }
        #expect(zip(times, times.dropFirst()).allSatisfy { $1 - $0 == Self.config.blockPeriodSeconds })
    }

    /// In a full mesh every validator has each proposal from its proposer, and the height is decided before the
    /// relay delay runs out: no proposal crosses the network twice.
    @Test func proposalsAreNotRelayedInAFullMesh() throws {
        let network = Self.network(["A", "B", "C", "D"])
        #expect(network.run(untilHeight: 6, within: 60))
        #expect(network.conflictingHeights().isEmpty)
        let made = network.runningNodes.reduce(0) { $0 + ($1.controller?.counters.proposalsMade ?? 0) }
        #expect(network.trafficByCode[Int(QBFTMessageCode.proposal.rawValue)]?.messages == made * 3)
        #expect(network.runningNodes.allSatisfy { ($0.controller?.counters.relaysWithheld ?? 0) > 0 })
        // Votes are small and still relayed at once.
        #expect(network.runningNodes.allSatisfy { ($0.controller?.counters.regossiped ?? 0) > 0 })
    }

    /// A validator cut off from a proposer gets its proposals through the others once the relay delay has run out.
    @Test func aValidatorCutOffFromTheProposerGetsItsProposalRelayed() throws {
        try Self.expectProposalsRelayedAcrossTheCut(clockLagOfC: 0)
    }

    /// The same cut, with the relaying validator's clock 400 ms behind: each proposal reaches it before its own
    /// block timer would start round 0 and the relay delay (250 ms here) ends before that timer does; a valid
    /// PROPOSAL for a round ahead moves it to that round, so it still relays the proposal in time for round 0.
    @Test func aValidatorWhoseClockLagsStillRelaysTheProposalItWaitsOn() throws {
        #expect(Self.config.proposalRelayDelayMilliseconds < 400)
        try Self.expectProposalsRelayedAcrossTheCut(clockLagOfC: 400)
    }

    /// B down, A and D unable to talk, C between them: every height A or D proposes needs the other's votes, so
    /// it is decided in round 0 only if C relays the proposal.
    static func expectProposalsRelayedAcrossTheCut(clockLagOfC lag: UInt64) throws {
        let network = Self.network(["A", "B", "C", "D"])
        if lag > 0 {
            network["C"].clockLag = lag
            network["C"].start()   // its first block timer too, not only the later ones
        }
        network.partition = [["A", "C"], ["C", "D"], ["B"]]
        network["B"].stop()
        #expect(network.run(untilHeight: 8, within: 300))
        #expect(network.conflictingHeights().isEmpty)
        let chain = network["C"].chain
        let cutOff = Set([TestValidators.address("A"), TestValidators.address("D")])
        var relayedHeights = 0
        for height in UInt64(1)...8 {
            let header = try #require(chain.blocks[height]?.header)
            let parent = try #require(chain.blocks[height - 1]?.header)
            let validators = try chain.validators(after: parent)
            guard let proposer = ProposerSelector.proposer(round: 0, previousProposer: parent.coinbase, validators: validators),
                  cutOff.contains(proposer) else { continue }
            relayedHeights += 1
            #expect(header.coinbase == proposer)
            #expect(try QBFTExtraData(rlp: header.extraData).round == 0, "height \(height) needed a round change")
        }
        #expect(relayedHeights > 0)
        #expect((network["C"].controller?.counters.regossiped ?? 0) > 0)
    }

    @Test func oneValidatorAloneCommits() throws {
        let network = Self.network(["A"])
        #expect(network.run(untilHeight: 10, within: 30))
        let header = try #require(network["A"].chain.blocks[10]?.header)
        #expect(try QBFTBlockHashing.recoverCommitters(header) == [TestValidators.address("A")])
    }

    @Test func downProposerIsReplacedByTheNextRound() throws {
        let network = Self.network(["A", "B", "C", "D"])
        let down = try #require(Self.proposer(in: network))
        let next = try #require(Self.proposer(in: network, round: 1))
        network[down].stop()
        #expect(network.run(untilHeight: 1, within: 30))
        let block = try #require(network[next == down ? "A" : next].chain.blocks[1])
        #expect(block.header.coinbase == TestValidators.address(next))
        #expect(try QBFTExtraData(rlp: block.header.extraData).round == 1)
        // Later heights keep going with three of four validators.
        #expect(network.run(untilHeight: 4, within: 120))
        #expect(network.conflictingHeights().isEmpty)
        #expect(network.runningNodes.allSatisfy { ($0.controller?.counters.roundChanges ?? 0) >= 1 })
    }

    @Test func partitionTwoAndTwoStallsThenHeals() throws {
        let network = Self.network(["A", "B", "C", "D"])
        #expect(network.run(untilHeight: 1, within: 10))
        network.partition = [["A", "B"], ["C", "D"]]
        network.advance(seconds: 60)
        #expect(network.runningNodes.allSatisfy { $0.chain.headNumber == 1 }, "no quorum on either side")
        #expect(network.runningNodes.allSatisfy { ($0.controller?.round ?? 0) > 0 })
        network.partition = nil
        let healedAt = network.nowMilliseconds
        #expect(network.run(untilHeight: 2, within: 60))
        let maxTimeout = Self.config.roundTimeoutMilliseconds(round: .max)
        #expect(network.nowMilliseconds - healedAt <= 2 * maxTimeout, "committed within two round timeouts of healing")
        #expect(network.run(untilHeight: 4, within: 30))
        #expect(network.conflictingHeights().isEmpty)
    }

    /// Every validator starts alone (a network starting at once: sessions come up after the first proposal), so
    /// the height-1 proposal reaches nobody. When the peers connect, each validator re-sends its own messages of
    /// the current height, and height 1 commits in round 0, before the round timer would move it on.
    @Test func ownMessagesAreResentWhenPeersConnect() throws {
        let network = Self.network(["A", "B", "C", "D"])
        network.partition = [["A"], ["B"], ["C"], ["D"]]
        let proposer = try #require(Self.proposer(in: network))
        let started = network.nowMilliseconds
        network.run(untilTime: started + Self.config.blockPeriodSeconds * 1000 + 500)
        #expect(network[proposer].controller?.counters.proposalsMade == 1)
        #expect(network.runningNodes.allSatisfy { $0.chain.headNumber == 0 })

        network.partition = nil
        for node in network.runningNodes { node.controller?.resendOwnMessages() }
        let roundExpires = started + Self.config.blockPeriodSeconds * 1000 + Self.config.roundTimeoutMilliseconds(round: 0)
        network.run(untilTime: roundExpires - 1) { network.runningNodes.contains { $0.chain.headNumber < 1 } }
        #expect(network.runningNodes.allSatisfy { $0.chain.headNumber == 1 }, "height 1 not committed before its round timeout")
        #expect(network.runningNodes.allSatisfy { $0.controller?.counters.roundChanges == 0 })
        #expect(network[proposer].controller?.counters.resent == 2)   // its proposal and its own prepare
        #expect(network.conflictingHeights().isEmpty)
    }

    /// The proposer of height 1 signs two different blocks for round 0: B sees one, C and D the other.
    @Test func equivocatingProposerNeverFinalisesTwoBlocks() throws {
        let network = Self.network(["A", "B", "C", "D"])
        let byzantine = try #require(Self.proposer(in: network))
        let honest = ["A", "B", "C", "D"].filter { $0 != byzantine }
        network.rewrite = { from, to, code, data in
            guard from == byzantine, code == Int(QBFTMessageCode.proposal.rawValue), to != honest[0],
                  case .proposal(let proposal)? = try? QBFTMessage(code: code, data: data),
                  proposal.roundIdentifier.round == 0 else { return data }
            var block = proposal.block
            block.header.timestamp += 1  // a different, equally valid block
            let payload = ProposalPayload(roundIdentifier: proposal.roundIdentifier, block: block)
            return Proposal(signedPayload: SignedPayload(payload, signedWith: TestValidators.key(byzantine))).encoded
        }
        #expect(network.run(untilHeight: 3, within: 120))
        #expect(network.conflictingHeights().isEmpty)
        let round = try QBFTExtraData(rlp: try #require(network["A"].chain.blocks[1]?.header.extraData)).round
        #expect(round >= 1, "neither proposal could gather a quorum in round 0")
    }

    /// Every COMMIT of round 0 is lost after all validators prepared: the round-1 proposer must re-propose the
    /// prepared block (same on-chain hash and coinbase, round 1) with the prepared certificate as justification.
    @Test func preparedBlockSurvivesTheRoundChange() throws {
        let network = Self.network(["A", "B", "C", "D"])
        let firstProposer = try #require(Self.proposer(in: network))
        var proposedInRoundZero: Hash32?
        var justifiedProposals = 0
        network.rewrite = { _, _, code, data in
            guard let message = try? QBFTMessage(code: code, data: data), message.roundIdentifier.height == 1 else { return data }
            switch message {
            case .commit(let commit) where commit.payload.roundIdentifier.round == 0: return nil
            case .proposal(let proposal) where proposal.roundIdentifier.round == 0:
                proposedInRoundZero = try? QBFTBlockHashing.onChainHash(proposal.block.header)
            case .proposal(let proposal) where !proposal.prepares.isEmpty: justifiedProposals += 1
            default: break
            }
            return data
        }
        #expect(network.run(untilHeight: 1, within: 30))
        let header = try #require(network["A"].chain.blocks[1]?.header)
        #expect(try QBFTExtraData(rlp: header.extraData).round == 1)
        #expect(try QBFTBlockHashing.onChainHash(header) == proposedInRoundZero)
        #expect(header.coinbase == TestValidators.address(firstProposer), "Besu keeps the original proposer's coinbase")
        #expect(justifiedProposals > 0)
        #expect(network.conflictingHeights().isEmpty)
    }

    @Test func staleFutureAndDuplicateMessagesStayBounded() throws {
        let config = QBFTConfig(blockPeriodSeconds: 1, requestTimeoutSeconds: 2, futureMessagesMaxDistance: 10,
                                futureMessagesLimit: 50, futureMessagesPerSender: 20)
        let network = Self.network(["A", "B", "C", "D"], config: config)
        #expect(network.run(untilHeight: 2, within: 20))
        let target = network["A"]
        let before = try #require(target.controller?.counters)
        // B floods A: past heights, far and near future heights, and the same message many times.
        func prepare(height: UInt64, round: UInt32) -> [UInt8] {
            Prepare(PreparePayload(roundIdentifier: RoundIdentifier(height: height, round: round), digest: Hash32(low: 1)),
                    signedWith: TestValidators.key("B")).encoded
        }
        let code = Int(QBFTMessageCode.prepare.rawValue)
        for round in 0..<5 { network.inject(code: code, data: prepare(height: 1, round: UInt32(round)), to: "A") }
        for height in 4..<60 { for round in 0..<3 { network.inject(code: code, data: prepare(height: UInt64(height), round: UInt32(round)), to: "A") } }
        let duplicate = prepare(height: 5, round: 9)
        for _ in 0..<100 { network.inject(code: code, data: duplicate, to: "A") }
        // C floods too, so the total limit (not only B's) is reached.
        for height in 4..<14 { for round in 0..<5 {
            network.inject(code: code, data: Prepare(PreparePayload(roundIdentifier: RoundIdentifier(height: UInt64(height), round: UInt32(round)),
                                                                    digest: .zero), signedWith: TestValidators.key("C")).encoded, to: "A")
        } }
        network.drain()
        let after = try #require(target.controller?.counters)
        #expect(after.stale - before.stale == 5)
        #expect(after.duplicates - before.duplicates >= 99)
        #expect(after.futureDropped > 0)
        #expect((target.controller?.heldMessages ?? .max) <= config.futureMessagesLimit + 4 * 16)
        #expect((target.controller?.rememberedDigests ?? .max) <= config.duplicateHistoryLimit)
        // The flood does not stop consensus.
        #expect(network.run(untilHeight: 6, within: 30))
        #expect(network.conflictingHeights().isEmpty)
    }

    @Test func futureRoundSpamIsBounded() throws {
        let network = Self.network(["A", "B", "C", "D"])
        #expect(network.run(untilHeight: 1, within: 10))
        let code = Int(QBFTMessageCode.roundChange.rawValue)
        for round in 1...500 {
            let payload = RoundChangePayload(roundIdentifier: RoundIdentifier(height: 2, round: UInt32(round)), prepared: nil)
            network.inject(code: code, data: RoundChange(signedPayload: SignedPayload(payload, signedWith: TestValidators.key("D"))).encoded,
                           to: "A")
            let prepare = Prepare(PreparePayload(roundIdentifier: RoundIdentifier(height: 2, round: UInt32(round)), digest: .zero),
                                  signedWith: TestValidators.key("D"))
            network.inject(code: Int(QBFTMessageCode.prepare.rawValue), data: prepare.encoded, to: "A")
        }
        network.drain()
        #expect((network["A"].controller?.heldMessages ?? .max) <= RoundChangeManager.roundsPerAuthor + 11)
        #expect(network.run(untilHeight: 3, within: 30))
        #expect(network.conflictingHeights().isEmpty)
    }

    @Test func restartedValidatorWithWipedStateRejoins() throws {
        let network = Self.network(["A", "B", "C", "D"])
        #expect(network.run(untilHeight: 2, within: 10))
        network["D"].stop()
        #expect(network.run(untilHeight: 5, within: 60))  // A, B, C carry on
        #expect(network["D"].chain.headNumber == 2)
        // D comes back with an empty consensus state and catches up through block announcements.
        network["D"].start()
        network["A"].stop()  // now D is needed for a quorum
        #expect(network.run(untilHeight: 8, within: 120))
        #expect(network["D"].chain.headNumber >= 8)
        #expect((network["D"].controller?.counters.accepted ?? 0) > 0)
        #expect(network.conflictingHeights().isEmpty)
    }

    @Test func nonValidatorMessagesAreIgnoredAndCounted() throws {
        let network = Self.network(["A", "B", "C", "D"], observers: ["E"])
        #expect(network.run(untilHeight: 1, within: 10))
        let height = try #require(network["A"].controller?.height)
        // E signs a PROPOSAL, a PREPARE and a ROUND-CHANGE for the current height.
        let key = TestValidators.key("E")
        let round = RoundIdentifier(height: height, round: 0)
        let prepare = Prepare(PreparePayload(roundIdentifier: round, digest: .zero), signedWith: key)
        let roundChange = RoundChange(signedPayload: SignedPayload(
            RoundChangePayload(roundIdentifier: RoundIdentifier(height: height, round: 1), prepared: nil), signedWith: key))
        network.inject(code: 0x13, data: prepare.encoded, to: "A")
        network.inject(code: 0x15, data: roundChange.encoded, to: "A")
        network.drain()
        #expect(network["A"].controller?.counters.fromNonValidators == 2)
        #expect(network["E"].controller?.height == nil, "E is not a validator and does not take part")
        #expect(network.run(untilHeight: 3, within: 30))
        #expect(network["E"].chain.headNumber >= 3, "E follows the chain through block import")
        #expect(network.conflictingHeights().isEmpty)
    }

    @Test func malformedMessagesAreCountedNotFatal() throws {
        let network = Self.network(["A", "B", "C", "D"])
        for (code, data) in [(0x12, [0xc0] as [UInt8]), (0x13, []), (0x14, [0xff, 0xff]), (0x99, [0xc0])] {
            network.inject(code: code, data: data, to: "B")
        }
        network.drain()
        #expect(network["B"].controller?.counters.malformed == 4)
        #expect(network.run(untilHeight: 2, within: 10))
    }

    @Test func emptyBlockPeriodDelaysEmptyBlocks() throws {
        let config = QBFTConfig(blockPeriodSeconds: 1, emptyBlockPeriodSeconds: 5, requestTimeoutSeconds: 10)
        let network = Self.network(["A", "B", "C", "D"], config: config)
        #expect(network.run(untilHeight: 2, within: 30))
        let times = (0...2).compactMap { network["A"].chain.blocks[$0]?.header.timestamp }
        #expect(zip(times, times.dropFirst()).allSatisfy { $1 - $0 == 5 })
    }
}

/// Validator-set changes voted through block extraData, end to end.
@Suite("QBFT validator votes")
struct QBFTVoteScenarioTests {
    @Test func observerIsVotedInAndThenTakesPart() throws {
        let network = FakeNetwork(validators: ["A", "B", "C", "D"], config: QBFTScenarioTests.config, extra: ["E"])
        network.start()
        let e = TestValidators.address("E")
        for label in ["A", "B", "C", "D"] { network[label].controller?.pendingVotes = [e: .add] }
        // Three add votes from distinct proposers (a majority of four) take E in.
        #expect(network.run(untilHeight: 4, within: 60))
        let head = network["A"].chain.head
        #expect(try network["A"].chain.validators(after: head).contains(e))
        #expect(network.run(untilHeight: 12, within: 120))
        #expect(network["E"].controller?.validators.contains(e) == true)
        #expect((network["E"].controller?.counters.accepted ?? 0) > 0, "E takes part once it is a validator")
        let coinbases = (5...12).compactMap { network["A"].chain.blocks[UInt64($0)]?.header.coinbase }
        #expect(coinbases.contains(e), "E proposes in its turn")
        // Every later header lists five validators and carries no more votes once E is in.
        let last = try QBFTExtraData(rlp: try #require(network["A"].chain.blocks[12]).header.extraData)
        #expect(last.validators.count == 5)
        #expect(last.vote == nil)
        #expect(network.conflictingHeights().isEmpty)
    }
}
