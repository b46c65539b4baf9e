import Foundation
import SankofaCrypto
import SankofaPrimitives
@testable import SankofaQBFT
import SankofaTestSupport
import Testing

/// Besu's extraData codec tests, transcribed into `qbft/besu-bft-extradata-vectors.json`.
@Suite("QBFT extraData vectors (Besu)", .enabled(if: VectorFiles.available, "../shared/vectors is absent"))
struct QBFTExtraDataVectorTests {
    static let file = "qbft/besu-bft-extradata-vectors.json"

    static func json() throws -> [String: Any] { try #require(try VectorFiles.json(file) as? [String: Any]) }

    static func vector(_ name: String) throws -> [String: Any] {
        let vectors = try #require(try json()["vectors"] as? [[String: Any]])
        return try #require(vectors.first { $0["name"] as? String == name })
    }

    static func derived(_ key: String) throws -> [UInt8] {
        let derived = try #require(try json()["derived_by_helper"] as? [String: Any])
        return fixtureBytes(try #require(derived[key] as? String))
    }

    @Test func knownQBFTHexDecodesToTheListedFields() throws {
        let vector = try Self.vector("qbft_known_raw_hex")
        let decoded = try #require(vector["decoded"] as? [String: Any])
        let extra = try QBFTExtraData(rlp: fixtureBytes(try #require(vector["rlp"] as? String)))
        #expect(extra.vanity == fixtureBytes(try #require(decoded["vanity"] as? String)))
        let validators = try #require(decoded["validators"] as? [String]).map { try Address(hex: $0) }
        #expect(extra.validators == validators)
        let vote = try #require(decoded["vote"] as? [String: Any])
        #expect(extra.vote == QBFTVote(recipient: try Address(hex: try #require(vote["recipient"] as? String)), kind: .add))
        #expect(extra.round == 0x00FE_DCBA)
        let seals = try #require(decoded["seals"] as? [[String: Any]])
        #expect(extra.commitSeals.map(\.rsv) == seals.map { fixtureBytes($0["encoded65"] as? String ?? "") })
        #expect(extra.commitSeals.map(\.r) == [1, 10])
        #expect(extra.commitSeals.map(\.s) == [10, 1])
    }

    @Test func knownQBFTHexReEncodesByteForByte() throws {
        let hex = fixtureBytes(try #require(try Self.vector("qbft_known_raw_hex")["rlp"] as? String))
        let extra = try QBFTExtraData(rlp: hex)
        #expect(extra.encoded() == hex)
        #expect(extra.encoded(.withoutCommitSeals) == (try Self.derived("qbft_without_commit_seals")))
        #expect(extra.encoded(.withoutCommitSealsAndRound) == (try Self.derived("qbft_without_commit_seals_and_round")))
    }

    @Test func builtFromFieldsMatchesTheKnownHex() throws {
        let vector = try Self.vector("qbft_known_raw_hex")
        let expected = fixtureBytes(try #require(vector["rlp"] as? String))
        let seal1 = RecoverableSignature.init(r: 1, s: 10, recoveryId: 0)
        let seal2 = RecoverableSignature.init(r: 10, s: 1, recoveryId: 0)
        let extra = QBFTExtraData(vanity: Array(1...32), validators: [Address(low: 1), Address(low: 2)],
                                  vote: QBFTVote(recipient: Address(low: 1), kind: .add), round: 0x00FE_DCBA,
                                  commitSeals: [seal1, seal2])
        #expect(extra.encoded() == expected)
    }

    /// IBFT 2.0 writes the round as four fixed bytes (`8400fedcba`): the QBFT codec must refuse it.
    @Test func ibft2HexIsNotQBFT() throws {
        let hex = fixtureBytes(try #require(try Self.vector("ibft2_known_raw_hex")["rlp"] as? String))
        #expect(throws: QBFTError.self) { try QBFTExtraData(rlp: hex) }
    }
}
