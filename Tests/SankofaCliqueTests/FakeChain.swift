import Foundation
import SankofaChain
import SankofaClique
import SankofaConsensus
import SankofaCrypto
import SankofaPrimitives

/// An in-memory chain for engine tests: headers by hash, and a canonical index filled as headers are added.
final class FakeChain: ChainHeaderReader, @unchecked Sendable {
    private var byHash: [Hash32: BlockHeader] = [:]
    private var canonical: [UInt64: BlockHeader] = [:]
    private let lock = NSLock()

    init(_ headers: [BlockHeader] = []) {
        for header in headers { insert(header) }
    }

    /// Adds `header` and makes it canonical at its height.
    func insert(_ header: BlockHeader) {
        lock.withLock {
            byHash[header.hash] = header
            canonical[header.number] = header
        }
    }

    /// Forgets a header entirely (simulates a checkpoint-synced node that never had it).
    func remove(_ header: BlockHeader) {
        lock.withLock {
            byHash[header.hash] = nil
            if canonical[header.number] == header { canonical[header.number] = nil }
        }
    }

    func header(_ hash: Hash32) throws -> BlockHeader? { lock.withLock { byHash[hash] } }
    func canonicalHeader(_ number: UInt64) throws -> BlockHeader? { lock.withLock { canonical[number] } }
}

/// Deterministic test signers named by label (geth's tests use A, B, C…): the key is keccak256 of the label.
enum TestSigners {
    static func key(_ label: String) -> PrivateKey {
        do {
            return try PrivateKey(bytes: Keccak256.hash(Array(label.utf8)).bytes)
        } catch {
            preconditionFailure("keccak(\(label)) is not a valid secp256k1 key")
        }
    }

    static func address(_ label: String) -> Address { key(label).address }

    /// The sorted addresses of `labels`.
    static func addresses(_ labels: [String]) -> [Address] { labels.map(address).sorted() }
}

/// Header builders shared by the tests.
enum TestHeaders {
    static let gasLimit: UInt64 = 8_000_000

    /// A Clique genesis listing `signers` in its extraData.
    static func genesis(signers: [Address], timestamp: UInt64 = 1_000) -> BlockHeader {
        BlockHeader(parentHash: .zero, coinbase: .zero, stateRoot: .zero, difficulty: 1, number: 0,
                    gasLimit: gasLimit, gasUsed: 0, timestamp: timestamp,
                    extraData: CliqueExtraData(vanity: Array("sankofa".utf8), signers: signers.sorted()).bytes)
    }

    /// An unsealed child of `parent` with explicit Clique fields.
    static func child(of parent: BlockHeader, difficulty: UInt256, period: UInt64 = 1, coinbase: Address = .zero,
                      nonce: UInt64 = 0, checkpointSigners: [Address] = []) -> BlockHeader {
        BlockHeader(parentHash: parent.hash, coinbase: coinbase, stateRoot: .zero, difficulty: difficulty,
                    number: parent.number + 1, gasLimit: gasLimit, gasUsed: 0, timestamp: parent.timestamp + period,
                    extraData: CliqueExtraData(signers: checkpointSigners.sorted()).bytes, nonce: nonce)
    }

    /// A sealed child of `parent` by `label` with the correct difficulty for its turn in `engine`'s view.
    static func sealedChild(of parent: BlockHeader, by label: String, engine: CliqueEngine, chain: FakeChain,
                            coinbase: Address = .zero, nonce: UInt64 = 0) throws -> BlockHeader {
        let signer = TestSigners.address(label)
        let snap = try engine.snapshot(at: parent, chain: chain)
        let number = parent.number + 1
        let checkpoint = engine.config.isCheckpoint(number)
        let difficulty = snap.isInTurn(number, signer: signer) ? CliqueEngine.inTurnDifficulty : CliqueEngine.outOfTurnDifficulty
        let header = child(of: parent, difficulty: difficulty, period: engine.config.period, coinbase: coinbase,
                           nonce: nonce, checkpointSigners: checkpoint ? snap.signers : [])
        return try CliqueSeal.sign(header, with: TestSigners.key(label))
    }
}
