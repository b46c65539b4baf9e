import Foundation
import SankofaChain
import SankofaClique
import SankofaConsensus
import SankofaPrimitives
import SankofaTestSupport
import Testing

/// One case of geth's `TestClique` table (EIP-225 §Test Cases), read from
/// `clique/clique-snapshot-voting-tests.json`.
struct VotingCase: Sendable, CustomTestStringConvertible {
    struct Vote: Sendable {
        var signer: String
        var voted: String?
        var authorize: Bool
        var checkpoint: [String]?
        var newBatch: Bool
    }

    var index: Int
    var description: String
    var epoch: UInt64?
    var signers: [String]
    var votes: [Vote]
    var results: [String]?
    var failure: String?

    var testDescription: String { "#\(index) \(description)" }

    static let file = "clique/clique-snapshot-voting-tests.json"

    static func load() throws -> [VotingCase] {
        let root = try #require(try VectorFiles.json(file) as? [String: Any])
        let tests = try #require(root["tests"] as? [[String: Any]])
        return try tests.map { test in
            let votes = try #require(test["votes"] as? [[String: Any]]).map { vote in
                Vote(signer: vote["signer"] as? String ?? "", voted: vote["voted"] as? String,
                     authorize: vote["auth"] as? Bool ?? false, checkpoint: vote["checkpoint"] as? [String],
                     newBatch: vote["newbatch"] as? Bool ?? false)
            }
            return VotingCase(index: try #require(test["index"] as? Int), description: test["description"] as? String ?? "",
                              epoch: (test["epoch"] as? Int).map(UInt64.init), signers: test["signers"] as? [String] ?? [],
                              votes: votes, results: test["results"] as? [String], failure: test["failure"] as? String)
        }
    }

    /// The cases, or none when the vector folder is absent (the suite is then skipped).
    static let all: [VotingCase] = VectorFiles.available ? ((try? load()) ?? []) : []
}

@Suite("Clique voting vectors (EIP-225 test cases)", .enabled(if: VectorFiles.available, "../shared/vectors is absent"))
struct SnapshotVotingVectorTests {
    @Test func allTwentyFourCasesAreLoaded() throws {
        let cases = try VotingCase.load()
        #expect(cases.count == 24)
        #expect(cases.map(\.index) == Array(0..<24))
    }

    /// Builds the case's chain block by block — each sealed by the named signer, difficulty from the signer's
    /// turn — verifying every header through the engine, then compares the final signers or the failure.
    /// A `newbatch` block is imported by a fresh engine sharing only the snapshot store (a node restart), so
    /// the snapshot must be rebuilt from the chain without trusting the checkpoint's signer list.
    @Test(arguments: VotingCase.all)
    func votingCase(_ testCase: VotingCase) throws {
        let config = CliqueConfig(period: 1, epoch: testCase.epoch ?? CliqueConfig.defaultEpoch)
        let store = InMemoryCliqueSnapshotStore()
        var engine = CliqueEngine(config: config, store: store, clock: { .max })
        let genesis = TestHeaders.genesis(signers: TestSigners.addresses(testCase.signers))
        let chain = FakeChain([genesis])
        var parent = genesis
        var failure: (index: Int, error: ConsensusError)?
        for (i, vote) in testCase.votes.enumerated() {
            if vote.newBatch { engine = CliqueEngine(config: config, store: store, clock: { .max }) }
            let signer = TestSigners.address(vote.signer)
            let snap = try engine.snapshot(at: parent, chain: chain)
            let number = parent.number + 1
            let header = TestHeaders.child(
                of: parent,
                difficulty: snap.isInTurn(number, signer: signer) ? CliqueEngine.inTurnDifficulty : CliqueEngine.outOfTurnDifficulty,
                coinbase: vote.voted.map(TestSigners.address) ?? .zero,
                nonce: vote.authorize ? Snapshot.nonceAuthorize : Snapshot.nonceDrop,
                checkpointSigners: vote.checkpoint.map(TestSigners.addresses) ?? [])
            let sealed = try CliqueSeal.sign(header, with: TestSigners.key(vote.signer))
            do {
                try engine.verifyHeader(sealed, parent: parent, chain: chain)
            } catch {
                failure = (i, error)
                break
            }
            chain.insert(sealed)
            parent = sealed
        }

        if let expected = testCase.failure {
            let failed = try #require(failure, "expected \(expected)")
            let lastSigner = try #require(testCase.votes.last).signer
            #expect(failed.index == testCase.votes.count - 1, "failed at vote \(failed.index): \(failed.error)")
            switch expected {
            case "errUnauthorizedSigner": #expect(failed.error == .unauthorizedSigner(TestSigners.address(lastSigner)))
            case "errRecentlySigned": #expect(failed.error == .recentlySigned(TestSigners.address(lastSigner)))
            default: Issue.record("unknown failure kind \(expected)")
            }
        } else {
            #expect(failure == nil, "vote \(failure?.index ?? -1) failed: \(String(describing: failure?.error))")
            let results = try #require(testCase.results)
            #expect(try engine.signers(at: parent.hash, chain: chain) == TestSigners.addresses(results))
            // A cold engine rebuilding from the store and chain reaches the same signers.
            let cold = CliqueEngine(config: config, store: InMemoryCliqueSnapshotStore(), clock: { .max })
            #expect(try cold.signers(at: parent.hash, chain: chain) == TestSigners.addresses(results))
        }
    }
}
