import SankofaChain
import SankofaClique
import SankofaConsensus
import SankofaCrypto
import SankofaPrimitives
import Testing

/// End to end: signers produce a chain with `prepare`/`sealDelay`/`seal` and an independent node verifies it.
@Suite("Clique chain production")
struct CliqueChainTests {
    /// Three signers take turns for 50 blocks (epoch 10, so four checkpoints). A and B vote D in; then A, B
    /// and D vote C out. Each block goes to the in-turn signer when it may seal, else to the first signer
    /// allowed out of turn — as the wiggle would decide on a real network.
    @Test func threeSignerChainOfFiftyBlocksVerifiesEndToEnd() throws {
        let config = CliqueConfig(period: 2, epoch: 10)
        let labels = ["A", "B", "C", "D"]
        let genesis = TestHeaders.genesis(signers: TestSigners.addresses(["A", "B", "C"]))
        let chain = FakeChain([genesis])
        let producers = Dictionary(uniqueKeysWithValues: labels.map {
            ($0, CliqueEngine(config: config, clock: { 0 }))
        })
        let verifierStore = InMemoryCliqueSnapshotStore()
        let verifier = CliqueEngine(config: config, store: verifierStore, clock: { .max })
        let (c, d) = (TestSigners.address("C"), TestSigners.address("D"))
        producers["A"]?.propose(d, authorize: true)
        producers["B"]?.propose(d, authorize: true)

        var parent = genesis
        var inTurnBlocks = 0
        var totalWeight = UInt256.zero
        var signerHistory: [[Address]] = []
        for _ in 1...50 {
            if try verifier.validators(after: parent, chain: chain).contains(d) {
                for label in ["A", "B", "D"] { producers[label]?.propose(c, authorize: false) }
            }
            var header = BlockHeader(parentHash: parent.hash, coinbase: .zero, stateRoot: .zero, difficulty: 0,
                                     number: parent.number + 1, gasLimit: parent.gasLimit, gasUsed: 0, timestamp: 0,
                                     extraData: [])
            var chosen: (label: String, delay: Duration)?
            for label in labels {
                guard let engine = producers[label],
                      let delay = try engine.sealDelay(for: header, signer: TestSigners.address(label), chain: chain)
                else { continue }
                if chosen == nil || delay < (chosen?.delay ?? .zero) { chosen = (label, delay) }
            }
            let producer = try #require(chosen, "nobody may seal block \(header.number)")
            let engine = try #require(producers[producer.label])
            try engine.prepare(&header, parent: parent, signer: TestSigners.address(producer.label), chain: chain)
            #expect((header.difficulty == CliqueEngine.inTurnDifficulty) == (producer.delay == .zero))
            let sealed = try engine.seal(header, with: TestSigners.key(producer.label))

            try verifier.verifyHeader(sealed, parent: parent, chain: chain)
            #expect(try verifier.author(of: sealed) == TestSigners.address(producer.label))
            #expect(sealed.timestamp == parent.timestamp + config.period)
            chain.insert(sealed)
            if producer.delay == .zero { inTurnBlocks += 1 }
            totalWeight += verifier.weight(of: sealed)
            signerHistory.append(try verifier.validators(after: sealed, chain: chain))
            parent = sealed
        }

        #expect(parent.number == 50)
        #expect(try verifier.signers(at: parent.hash, chain: chain) == TestSigners.addresses(["A", "B", "D"]))
        #expect(signerHistory.contains(TestSigners.addresses(["A", "B", "C", "D"])))  // D joined before C left
        #expect(inTurnBlocks >= 40)
        #expect(totalWeight == UInt256(UInt64(50 + inTurnBlocks)))
        for number: UInt64 in [10, 20, 30, 40, 50] {
            let checkpoint = try #require(try chain.canonicalHeader(number))
            #expect(checkpoint.coinbase == .zero)
            #expect(try CliqueExtraData(parsing: checkpoint.extraData, checkpoint: true).signers
                    == signerHistory[Int(number) - 2])
        }
        for number: UInt64 in [0, 10, 20, 30, 40] {
            let checkpoint = try #require(try chain.canonicalHeader(number))
            #expect(verifierStore.savedHashes.contains(checkpoint.hash), "snapshot at \(number) persisted")
        }
        // A node starting from scratch replays the whole chain to the same signers.
        let cold = CliqueEngine(config: config, clock: { .max })
        #expect(try cold.signers(at: parent.hash, chain: chain) == TestSigners.addresses(["A", "B", "D"]))
    }
}

/// One engine shared by concurrent callers (import, producer, RPC) gives the same answers as a lone one.
@Suite("Clique engine concurrency")
struct CliqueConcurrencyTests {
    @Test func concurrentSnapshotQueriesAgree() async throws {
        var f = CliqueFixture(epoch: 7)
        for number in 1...40 { try f.extend(by: [CliqueSealingTests.label(inTurnFor: UInt64(number))]) }
        let headers = try (1...40).map { try #require(try f.chain.canonicalHeader(UInt64($0))) }
        let shared = CliqueEngine(config: f.engine.config, clock: { .max })
        let chain = f.chain
        let expected = try headers.map { try f.engine.snapshot(at: $0.hash, chain: chain) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for task in 0..<4 {
                group.addTask { () async throws -> Void in
                    for (i, header) in headers.enumerated().reversed() where i % 4 != task {
                        #expect(try shared.snapshot(at: header, chain: chain) == expected[i])
                        #expect(try shared.author(of: header) == (try CliqueSeal.recoverSigner(of: header)))
                    }
                }
            }
            try await group.waitForAll()
        }
    }
}
