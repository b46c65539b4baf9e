import SankofaChain
import SankofaClique
import SankofaConsensus
import SankofaCrypto
import SankofaPrimitives
import Testing

/// A small Clique network for tests: signers by label, a genesis listing them, an engine and a chain.
struct CliqueFixture {
    let engine: CliqueEngine
    let chain: FakeChain
    let genesis: BlockHeader
    var head: BlockHeader

    init(signers: [String] = ["A", "B", "C"], period: UInt64 = 1, epoch: UInt64 = 30_000,
         store: any CliqueSnapshotStore = InMemoryCliqueSnapshotStore(), clock: @escaping @Sendable () -> UInt64 = { .max }) {
        engine = CliqueEngine(config: CliqueConfig(period: period, epoch: epoch), store: store, clock: clock)
        genesis = TestHeaders.genesis(signers: TestSigners.addresses(signers))
        chain = FakeChain([genesis])
        head = genesis
    }

    /// A correctly sealed child of the head by `label` (not yet verified or added).
    func next(by label: String, coinbase: Address = .zero, nonce: UInt64 = 0) throws -> BlockHeader {
        try TestHeaders.sealedChild(of: head, by: label, engine: engine, chain: chain, coinbase: coinbase, nonce: nonce)
    }

    /// Verifies `header` on the head and makes it the new head.
    mutating func extend(_ header: BlockHeader) throws {
        try engine.verifyHeader(header, parent: head, chain: chain)
        chain.insert(header)
        head = header
    }

    /// Seals, verifies and adds one block per label.
    mutating func extend(by labels: [String]) throws {
        for label in labels { try extend(try next(by: label)) }
    }

    /// `header` changed by `edit` and sealed again by `label`.
    static func resealed(_ header: BlockHeader, by label: String, _ edit: (inout BlockHeader) -> Void) throws -> BlockHeader {
        var copy = header
        edit(&copy)
        return try CliqueSeal.sign(copy, with: TestSigners.key(label))
    }
}

/// EIP-225 header validity rules, one at a time.
@Suite("Clique header verification")
struct CliqueVerificationTests {
    @Test func aChainOfValidBlocksVerifies() throws {
        var f = CliqueFixture()
        try f.extend(by: ["B", "C", "A", "B", "A", "C"])  // in turn and out of turn, none within the window
        #expect(f.head.number == 6)
    }

    @Test func nonSignerIsUnauthorized() throws {
        let f = CliqueFixture()
        let header = try f.next(by: "D")
        #expect(throws: ConsensusError.unauthorizedSigner(TestSigners.address("D"))) {
            try f.engine.verifyHeader(header, parent: f.head, chain: f.chain)
        }
    }

    /// Three signers: each may sign one of any two consecutive blocks.
    @Test func signingTwiceWithinTheWindowIsRecentlySigned() throws {
        var f = CliqueFixture()
        try f.extend(by: ["A"])
        let again = try f.next(by: "A")
        #expect(throws: ConsensusError.recentlySigned(TestSigners.address("A"))) {
            try f.engine.verifyHeader(again, parent: f.head, chain: f.chain)
        }
        try f.extend(by: ["B", "A"])  // one block in between is enough with N = 3
        #expect(f.head.number == 3)
    }

    @Test func tamperedHeaderFailsVerification() throws {
        let f = CliqueFixture()
        var header = try f.next(by: "A")
        header.stateRoot = Keccak256.hash([9] as [UInt8])
        #expect { try f.engine.verifyHeader(header, parent: f.head, chain: f.chain) } throws: { error in
            switch error as? ConsensusError {
            case .unauthorizedSigner(let who): who != TestSigners.address("A")
            case .invalidSeal: true
            default: false
            }
        }
    }

    /// Block 1 with A, B, C sorted: the signer at index 1 is in turn.
    @Test func difficultyMustMatchTurn() throws {
        let f = CliqueFixture()
        let sorted = TestSigners.addresses(["A", "B", "C"])
        let inTurn = try #require(["A", "B", "C"].first { TestSigners.address($0) == sorted[1] })
        let outOfTurn = try #require(["A", "B", "C"].first { TestSigners.address($0) == sorted[2] })
        let good = try f.next(by: inTurn)
        #expect(good.difficulty == 2)
        for (label, wrong, expected) in [(inTurn, UInt256(1), UInt256(2)), (inTurn, 3, 2), (outOfTurn, 2, 1), (outOfTurn, 0, 1)] {
            let header = try CliqueFixture.resealed(try f.next(by: label), by: label) { $0.difficulty = wrong }
            #expect(throws: ConsensusError.invalidDifficulty(got: wrong, expected: expected)) {
                try f.engine.verifyHeader(header, parent: f.head, chain: f.chain)
            }
        }
    }

    @Test(arguments: [0, 31, 32, 96, 98, 117, 137])
    func badExtraDataLengthIsInvalidExtraData(length: Int) throws {
        let f = CliqueFixture()
        let header = try CliqueFixture.resealed(try f.next(by: "A"), by: "A") { _ in }
        var bad = header
        bad.extraData = Array(header.extraData.prefix(32)) + [UInt8](repeating: 0, count: max(0, length - 32))
        bad.extraData = Array(bad.extraData.prefix(length))
        if length >= 97 { bad = try CliqueSeal.sign(bad, with: TestSigners.key("A")) }
        #expect { try f.engine.verifyHeader(bad, parent: f.head, chain: f.chain) } throws: { error in
            if case .invalidExtraData = error as? ConsensusError { true } else { false }
        }
    }

    @Test func checkpointMustListTheSnapshotSigners() throws {
        var f = CliqueFixture(epoch: 3)
        try f.extend(by: ["A", "B"])
        let good = try f.next(by: "C")
        #expect(try CliqueExtraData(parsing: good.extraData, checkpoint: true).signers == TestSigners.addresses(["A", "B", "C"]))
        let variants: [[Address]] = [
            TestSigners.addresses(["A", "B"]),
            TestSigners.addresses(["A", "B", "C", "D"]),
            TestSigners.addresses(["A", "B", "C"]).reversed(),
            [],
        ]
        for signers in variants {
            let bad = try CliqueFixture.resealed(good, by: "C") { $0.extraData = CliqueExtraData(signers: signers).bytes }
            #expect(throws: ConsensusError.invalidCheckpointSigners) {
                try f.engine.verifyHeader(bad, parent: f.head, chain: f.chain)
            }
        }
        // A checkpoint signer list with a partial address, or one on a non-checkpoint block, is malformed.
        let partial = try CliqueFixture.resealed(good, by: "C") { $0.extraData.insert(contentsOf: [1, 2, 3], at: 32) }
        #expect { try f.engine.verifyHeader(partial, parent: f.head, chain: f.chain) } throws: { error in
            if case .invalidExtraData = error as? ConsensusError { true } else { false }
        }
        try f.extend(good)
        let listed = try CliqueFixture.resealed(try f.next(by: "A"), by: "A") {
            $0.extraData = CliqueExtraData(signers: TestSigners.addresses(["A", "B", "C"])).bytes
        }
        #expect { try f.engine.verifyHeader(listed, parent: f.head, chain: f.chain) } throws: { error in
            if case .invalidExtraData = error as? ConsensusError { true } else { false }
        }
    }

    @Test func checkpointsCarryNoVote() throws {
        var f = CliqueFixture(epoch: 2)
        try f.extend(by: ["A"])
        let checkpoint = try f.next(by: "B")
        let withCoinbase = try CliqueFixture.resealed(checkpoint, by: "B") { $0.coinbase = TestSigners.address("D") }
        let withNonce = try CliqueFixture.resealed(checkpoint, by: "B") { $0.nonce = Snapshot.nonceAuthorize }
        for bad in [withCoinbase, withNonce] {
            #expect { try f.engine.verifyHeader(bad, parent: f.head, chain: f.chain) } throws: { error in
                if case .invalidVote = error as? ConsensusError { true } else { false }
            }
        }
        try f.extend(checkpoint)
    }

    @Test func nonceMustBeAVote() throws {
        let f = CliqueFixture()
        let bad = try CliqueFixture.resealed(try f.next(by: "A"), by: "A") { $0.nonce = 1 }
        #expect { try f.engine.verifyHeader(bad, parent: f.head, chain: f.chain) } throws: { error in
            if case .invalidVote = error as? ConsensusError { true } else { false }
        }
    }

    @Test func mixHashOmmersAndLaterForkFieldsAreRefused() throws {
        let f = CliqueFixture()
        let header = try f.next(by: "A")
        let cases: [(ConsensusError, (inout BlockHeader) -> Void)] = [
            (.invalidMixDigest, { $0.mixHash = Keccak256.hash([1] as [UInt8]) }),
            (.invalidOmmersHash, { $0.ommersHash = .zero }),
            (.unsupportedField("withdrawalsRoot (Shanghai)"), { $0.baseFeePerGas = 7; $0.withdrawalsRoot = BlockHeader.emptyTrieRoot }),
        ]
        for (expected, edit) in cases {
            let bad = try CliqueFixture.resealed(header, by: "A", edit)
            #expect(throws: expected) { try f.engine.verifyHeader(bad, parent: f.head, chain: f.chain) }
        }
    }

    @Test func timestampsFollowThePeriodAndTheClock() throws {
        let f = CliqueFixture(period: 5, clock: { 1_000 + 5 })  // genesis is at 1000
        let onTime = try f.next(by: "A")
        #expect(onTime.timestamp == 1_005)
        try f.engine.verifyHeader(onTime, parent: f.head, chain: f.chain)
        let early = try CliqueFixture.resealed(onTime, by: "A") { $0.timestamp = 1_004 }
        #expect(throws: ConsensusError.invalidTimestamp("1004 is earlier than parent 1000 + period 5")) {
            try f.engine.verifyHeader(early, parent: f.head, chain: f.chain)
        }
        let future = try CliqueFixture.resealed(onTime, by: "A") { $0.timestamp = 1_006 }
        #expect(throws: ConsensusError.futureBlock) { try f.engine.verifyHeader(future, parent: f.head, chain: f.chain) }
    }

    @Test func gasLimitBounds() throws {
        let f = CliqueFixture()
        let header = try f.next(by: "A")
        let limit = TestHeaders.gasLimit
        for edit in [{ $0.gasUsed = limit + 1 }, { $0.gasLimit = limit + limit / 1024 }, { $0.gasLimit = limit - limit / 1024 }]
            as [(inout BlockHeader) -> Void] {
            let bad = try CliqueFixture.resealed(header, by: "A", edit)
            #expect { try f.engine.verifyHeader(bad, parent: f.head, chain: f.chain) } throws: { error in
                if case .invalidGasLimit = error as? ConsensusError { true } else { false }
            }
        }
        let london = try CliqueFixture.resealed(header, by: "A") { $0.gasLimit = limit * 2; $0.baseFeePerGas = 1_000_000_000 }
        try f.engine.verifyHeader(london, parent: f.head, chain: f.chain)  // elasticity doubles the parent's limit
    }

    @Test func headersMustLinkToTheirParent() throws {
        var f = CliqueFixture()
        let header = try f.next(by: "A")
        try f.extend(by: ["B"])
        #expect(throws: ConsensusError.unknownAncestor(header.parentHash)) {
            try f.engine.verifyHeader(header, parent: f.head, chain: f.chain)
        }
        // A parent whose own ancestors are unknown cannot yield a snapshot.
        var orphanParent = TestHeaders.child(of: f.genesis, difficulty: 1)
        orphanParent.parentHash = Keccak256.hash([7] as [UInt8])
        orphanParent.number = 5
        let child = try CliqueSeal.sign(TestHeaders.child(of: orphanParent, difficulty: 1), with: TestSigners.key("A"))
        #expect(throws: ConsensusError.unknownAncestor(orphanParent.parentHash)) {
            try f.engine.verifyHeader(child, parent: orphanParent, chain: f.chain)
        }
    }

    /// Error messages are one operator-readable line.
    @Test func errorsDescribeThemselves() {
        let signer = TestSigners.address("A")
        #expect(ConsensusError.recentlySigned(signer).description.contains(signer.description))
        #expect(ConsensusError.invalidDifficulty(got: 1, expected: 2).description == "invalid difficulty 1, expected 2")
        #expect(!ConsensusError.futureBlock.description.isEmpty)
    }
}
