import SankofaChain
import SankofaClique
import SankofaConsensus
import SankofaCrypto
import SankofaPrimitives
import Testing

/// Block production: `prepare`, proposals, `sealDelay`, `seal`.
@Suite("Clique block production")
struct CliqueSealingTests {
    /// The label whose signer is in turn for block `number` among A, B, C.
    static func label(inTurnFor number: UInt64, among labels: [String] = ["A", "B", "C"]) -> String {
        let sorted = TestSigners.addresses(labels)
        let target = sorted[Int(number % UInt64(sorted.count))]
        return labels.first { TestSigners.address($0) == target } ?? ""
    }

    static func unbuilt(on parent: BlockHeader) -> BlockHeader {
        BlockHeader(parentHash: parent.hash, coinbase: .zero, stateRoot: .zero, difficulty: 0, number: parent.number + 1,
                    gasLimit: parent.gasLimit, gasUsed: 0, timestamp: 0, extraData: Array("vanity".utf8))
    }

    @Test func sealDelayIsZeroInTurnPositiveOutOfTurnAndNilWhenNotAllowed() throws {
        var f = CliqueFixture()
        try f.extend(by: [Self.label(inTurnFor: 1)])
        let header = Self.unbuilt(on: f.head)
        let inTurn = Self.label(inTurnFor: 2)
        #expect(try f.engine.sealDelay(for: header, signer: TestSigners.address(inTurn), chain: f.chain) == .zero)
        let justSigned = Self.label(inTurnFor: 1)
        #expect(try f.engine.sealDelay(for: header, signer: TestSigners.address(justSigned), chain: f.chain) == nil)
        #expect(try f.engine.sealDelay(for: header, signer: TestSigners.address("D"), chain: f.chain) == nil)
        let other = try #require(["A", "B", "C"].first { $0 != inTurn && $0 != justSigned })
        for _ in 0..<20 {
            let delay = try #require(try f.engine.sealDelay(for: header, signer: TestSigners.address(other), chain: f.chain))
            #expect(delay > .zero)
            #expect(delay <= .milliseconds(1_000))  // (⌊3/2⌋ + 1) × 500 ms
        }
    }

    @Test func sealDelayNeedsAKnownParent() throws {
        let f = CliqueFixture()
        var header = Self.unbuilt(on: f.head)
        header.parentHash = Keccak256.hash([5] as [UInt8])
        #expect(throws: ConsensusError.unknownAncestor(header.parentHash)) {
            try f.engine.sealDelay(for: header, signer: TestSigners.address("A"), chain: f.chain)
        }
    }

    @Test func prepareFillsTheCliqueFields() throws {
        let f = CliqueFixture(period: 5, clock: { 0 })
        var header = Self.unbuilt(on: f.head)
        header.mixHash = Keccak256.hash([1] as [UInt8])
        header.coinbase = TestSigners.address("Z")
        let signer = TestSigners.address(Self.label(inTurnFor: 1))
        try f.engine.prepare(&header, parent: f.head, signer: signer, chain: f.chain)
        #expect(header.parentHash == f.head.hash)
        #expect(header.number == 1)
        #expect(header.difficulty == CliqueEngine.inTurnDifficulty)
        #expect(header.timestamp == f.head.timestamp + 5)
        #expect(header.mixHash == .zero)
        #expect(header.coinbase == .zero)
        #expect(header.nonce == Snapshot.nonceDrop)
        #expect(header.extraData.count == 97)
        #expect(header.extraData.prefix(6) == ArraySlice("vanity".utf8))
        #expect(header.extraData.suffix(65) == ArraySlice(repeating: 0, count: 65))
        try f.engine.prepare(&header, parent: f.head, signer: TestSigners.address(Self.label(inTurnFor: 2)), chain: f.chain)
        #expect(header.difficulty == CliqueEngine.outOfTurnDifficulty)
        #expect(header.extraData.count == 97)  // preparing twice does not grow extraData

        let late = CliqueEngine(config: f.engine.config, clock: { 50_000 })
        try late.prepare(&header, parent: f.head, signer: signer, chain: f.chain)
        #expect(header.timestamp == 50_000)  // never behind the wall clock
    }

    @Test func prepareListsSignersAtCheckpoints() throws {
        var f = CliqueFixture(epoch: 2)
        try f.extend(by: ["A"])
        let producer = CliqueEngine(config: f.engine.config, clock: { 0 })
        producer.propose(TestSigners.address("D"), authorize: true)
        var header = Self.unbuilt(on: f.head)
        try producer.prepare(&header, parent: f.head, signer: TestSigners.address("B"), chain: f.chain)
        #expect(header.coinbase == .zero)  // no votes at checkpoints
        #expect(try CliqueExtraData(parsing: header.extraData, checkpoint: true).signers == TestSigners.addresses(["A", "B", "C"]))
    }

    @Test func proposalsBecomeVotesOnlyWhenMeaningful() throws {
        let f = CliqueFixture(clock: { 0 })
        let d = TestSigners.address("D")
        let a = TestSigners.address("A")
        #expect(f.engine.proposals.isEmpty)
        f.engine.propose(a, authorize: true)  // already a signer: pointless
        var header = Self.unbuilt(on: f.head)
        try f.engine.prepare(&header, parent: f.head, signer: a, chain: f.chain)
        #expect(header.coinbase == .zero)

        f.engine.propose(d, authorize: true)
        #expect(f.engine.proposals == [a: true, d: true])
        try f.engine.prepare(&header, parent: f.head, signer: a, chain: f.chain)
        #expect(header.coinbase == d)
        #expect(header.nonce == Snapshot.nonceAuthorize)

        f.engine.discard(d)
        f.engine.propose(a, authorize: false)
        try f.engine.prepare(&header, parent: f.head, signer: a, chain: f.chain)
        #expect(header.coinbase == a)
        #expect(header.nonce == Snapshot.nonceDrop)
        f.engine.discard(a)
        #expect(f.engine.proposals.isEmpty)
    }

    @Test func preparedAndSealedHeaderVerifies() throws {
        var f = CliqueFixture()
        let producer = CliqueEngine(config: f.engine.config, clock: { 0 })
        let verifier = CliqueEngine(config: f.engine.config, clock: { .max })
        var header = Self.unbuilt(on: f.head)
        let label = Self.label(inTurnFor: 1)
        try producer.prepare(&header, parent: f.head, signer: TestSigners.address(label), chain: f.chain)
        let sealed = try producer.seal(header, with: TestSigners.key(label))
        try verifier.verifyHeader(sealed, parent: f.head, chain: f.chain)
        #expect(try verifier.author(of: sealed) == TestSigners.address(label))
        try f.extend(sealed)
    }
}
