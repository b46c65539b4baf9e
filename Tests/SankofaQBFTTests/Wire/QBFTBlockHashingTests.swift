import SankofaChain
import SankofaCrypto
import SankofaPrimitives
@testable import SankofaQBFT
import Testing

/// Besu `BftBlockHashing`: which extraData parts each hash leaves out.
@Suite("QBFT block hashing")
struct QBFTBlockHashingTests {
    let validators = TestValidators.addresses(["A", "B", "C", "D"])

    func header(round: UInt32) throws -> BlockHeader {
        try TestBlocks.child(of: TestBlocks.genesis(validators: validators), proposer: validators[0],
                             validators: validators, round: round)
    }

    @Test func onChainHashIgnoresRoundAndSeals() throws {
        let unsealed = try header(round: 0)
        let sealed = try TestBlocks.seal(unsealed, round: 3, by: ["A", "B", "C"])
        #expect(try QBFTBlockHashing.onChainHash(unsealed) == QBFTBlockHashing.onChainHash(sealed))
        #expect(sealed.encodedHash != unsealed.encodedHash)
        // A header with the Istanbul mixHash is known by its on-chain hash everywhere (storage, RPC, parentHash).
        #expect(try sealed.hash == QBFTBlockHashing.onChainHash(sealed))
        // It is keccak of the header with extraData [vanity, validators, vote, 0x80, []].
        var reduced = unsealed
        reduced.extraData = try QBFTExtraData(rlp: unsealed.extraData).encoded(.withoutCommitSealsAndRound)
        #expect(try QBFTBlockHashing.onChainHash(sealed) == reduced.encodedHash)
    }

    @Test func commitSealHashKeepsRoundButNotSeals() throws {
        let round1 = try header(round: 1)
        let round2 = try header(round: 2)
        #expect(try QBFTBlockHashing.commitSealHash(round1) != QBFTBlockHashing.commitSealHash(round2))
        let sealed = try TestBlocks.seal(round1, round: 1, by: ["A", "B"])
        #expect(try QBFTBlockHashing.commitSealHash(sealed) == QBFTBlockHashing.commitSealHash(round1))
    }

    @Test func committersRecoverInSealOrder() throws {
        let sealed = try TestBlocks.seal(try header(round: 2), round: 2, by: ["C", "A", "B"])
        #expect(try QBFTBlockHashing.recoverCommitters(sealed) == ["C", "A", "B"].map(TestValidators.address))
    }

    @Test func genesisIsHashedAsStored() throws {
        let genesis = TestBlocks.genesis(validators: validators)
        #expect(try QBFTBlockHashing.onChainHash(genesis) == genesis.hash)
        #expect(try QBFTBlockHashing.commitSealHash(genesis) == genesis.hash)
    }

    @Test func mixHashIsBesusConstant() {
        #expect(QBFTHeaderConstants.mixHash.hex == "0x63746963616c2062797a616e74696e65206661756c7420746f6c6572616e6365")
    }
}
