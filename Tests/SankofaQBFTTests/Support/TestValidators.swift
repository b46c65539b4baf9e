import SankofaChain
import SankofaCrypto
import SankofaPrimitives
@testable import SankofaQBFT

/// Deterministic validators named by label (A, B, C, D…): the key is keccak256 of the label, as in the Clique
/// tests.
enum TestValidators {
    static func key(_ label: String) -> PrivateKey {
        do {
            return try PrivateKey(bytes: Keccak256.hash(Array(label.utf8)).bytes)
        } catch {
            preconditionFailure("keccak(\(label)) is not a valid secp256k1 key")
        }
    }

    static func address(_ label: String) -> Address { key(label).address }

    /// The sorted addresses of `labels` (QBFT lists validators in ascending order).
    static func addresses(_ labels: [String]) -> [Address] { labels.map(address).sorted() }

    /// `count` labels: A…Z, then V26, V27….
    static func labels(_ count: Int) -> [String] {
        (0..<count).map { $0 < 26 ? String(UnicodeScalar(UInt8(65 + $0))) : "V\($0)" }
    }
}

/// Header builders for QBFT tests.
enum TestBlocks {
    static let gasLimit: UInt64 = 8_000_000

    /// A QBFT genesis listing `validators` in its extraData (Besu `QbftExtraDataCodec.encodeFromAddresses`).
    static func genesis(validators: [Address], timestamp: UInt64 = 1_000) -> BlockHeader {
        BlockHeader(parentHash: .zero, coinbase: .zero, stateRoot: .zero, difficulty: 1, number: 0,
                    gasLimit: gasLimit, gasUsed: 0, timestamp: timestamp,
                    extraData: QBFTExtraData(validators: validators).encoded(),
                    mixHash: QBFTHeaderConstants.mixHash)
    }

    /// An unsealed child of `parent` proposed by `proposer` in `round`.
    static func child(of parent: BlockHeader, proposer: Address, validators: [Address], round: UInt32 = 0,
                      vote: QBFTVote? = nil, timestamp: UInt64? = nil, stateRoot: Hash32 = .zero) throws -> BlockHeader {
        BlockHeader(parentHash: try QBFTBlockHashing.onChainHash(parent), coinbase: proposer, stateRoot: stateRoot,
                    difficulty: 1, number: parent.number + 1, gasLimit: gasLimit, gasUsed: 0,
                    timestamp: timestamp ?? parent.timestamp + 1,
                    extraData: QBFTExtraData(validators: validators, vote: vote, round: round).encoded(),
                    mixHash: QBFTHeaderConstants.mixHash)
    }

    /// `header` sealed in `round` by the commit seals of `committers`.
    static func seal(_ header: BlockHeader, round: UInt32 = 0, by committers: [String]) throws -> BlockHeader {
        let withRound = try QBFTBlockHashing.replacingRound(header, with: round)
        let digest = try QBFTBlockHashing.commitSealHash(withRound)
        return try QBFTBlockHashing.sealed(header, round: round,
                                           commitSeals: committers.map { TestValidators.key($0).sign(digest) })
    }
}

extension Hash32 {
    /// A hash whose last byte is `low` (fixtures).
    init(low: UInt8) { self = Hash32(bytes: [UInt8](repeating: 0, count: 31) + [low]) ?? .zero }
}
