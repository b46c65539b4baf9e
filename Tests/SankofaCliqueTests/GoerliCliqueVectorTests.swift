import Foundation
import SankofaChain
import SankofaClique
import SankofaConsensus
import SankofaPrimitives
import SankofaTestSupport
import Testing

/// EIP-225 on real chain data: Görli blocks 1–7, #1,000,000 and #5,102,442.
@Suite("Görli Clique vectors", .enabled(if: VectorFiles.available, "../shared/vectors is absent"))
struct GoerliCliqueVectorTests {
    static let derivedFile = "headers/goerli-clique/derived-clique-seal-hashes-and-signers.json"

    static func derived() throws -> [String: Any] {
        try #require(try VectorFiles.json(derivedFile) as? [String: Any])
    }

    static func header(_ entry: [String: Any]) throws -> BlockHeader {
        try BlockHeader(rlp: fixtureBytes(try #require(entry["headerRlp"] as? String)))
    }

    /// Görli's Clique parameters from the ethereumjs chain config.
    static func config() throws -> CliqueConfig {
        let json = try #require(try VectorFiles.json("headers/goerli-clique/goerli-chain-config.json") as? [String: Any])
        let consensus = try #require(json["consensus"] as? [String: Any])
        let clique = try #require(consensus["clique"] as? [String: Any])
        return CliqueConfig(period: UInt64(try #require(clique["period"] as? Int)),
                            epoch: UInt64(try #require(clique["epoch"] as? Int)))
    }

    @Test func sealHashesAndSignersMatchEveryBlock() throws {
        let blocks = try #require(try Self.derived()["blocks"] as? [[String: Any]])
        #expect(blocks.count == 9)
        for entry in blocks {
            let header = try Self.header(entry)
            let number = header.number
            #expect(header.hash.hex == entry["hash"] as? String, "block \(number) hash")
            #expect(try CliqueSeal.hash(of: header).hex == entry["sealHash"] as? String, "block \(number) seal hash")
            let signer = try CliqueSeal.recoverSigner(of: header)
            #expect(signer == (try Address(hex: try #require(entry["signer"] as? String))), "block \(number) signer")
            #expect(try CliqueEngine(config: Self.config()).author(of: header) == signer)
        }
    }

    @Test func genesisCheckpointListsTheSigner() throws {
        let entry = try #require(try Self.derived()["genesis_checkpoint"] as? [String: Any])
        let genesis = try Self.header(entry)
        #expect(genesis.hash.hex == entry["hash"] as? String)
        let extra = try CliqueExtraData(parsing: genesis.extraData, checkpoint: true)
        #expect(extra.signers == [try Address(hex: "0xe0a2bd4258d2768837baa26a28fe71dc079f84c7")])
        #expect(extra.seal == [UInt8](repeating: 0, count: 65))
        #expect(extra.bytes == genesis.extraData)
    }

    /// Blocks 1–7 pass full header verification on top of the reconstructed genesis checkpoint (the wall-clock
    /// future check is disabled: these blocks are from 2019 and the clock is injected as "the end of time").
    @Test func blocksOneToSevenVerifyFromGenesis() throws {
        let derived = try Self.derived()
        let genesis = try Self.header(try #require(derived["genesis_checkpoint"] as? [String: Any]))
        let blocks = try #require(derived["blocks"] as? [[String: Any]]).map(Self.header).filter { $0.number <= 7 }
        #expect(blocks.map(\.number) == Array(1...7))
        let config = try Self.config()
        #expect(config == CliqueConfig(period: 15, epoch: 30_000))
        let engine = CliqueEngine(config: config, clock: { .max })
        let chain = FakeChain([genesis])
        var parent = genesis
        for block in blocks {
            try engine.verifyHeader(block, parent: parent, chain: chain)
            #expect(engine.weight(of: block) == CliqueEngine.inTurnDifficulty)
            chain.insert(block)
            parent = block
        }
        let signer = try Address(hex: "0xe0a2bd4258d2768837baa26a28fe71dc079f84c7")
        #expect(try engine.validators(after: parent, chain: chain) == [signer])
        let snap = try engine.snapshot(at: parent.hash, chain: chain)
        #expect(snap.number == 7)
        #expect(snap.recents == [7: signer])  // one signer: a window of one block

        // The same blocks fail when the clock says they are from the future, or with a wrong period.
        let early = CliqueEngine(config: config, clock: { 0 })
        #expect(throws: ConsensusError.futureBlock) { try early.verifyHeader(blocks[0], parent: genesis, chain: chain) }
        let slow = CliqueEngine(config: CliqueConfig(period: 3600, epoch: 30_000), clock: { .max })
        #expect(throws: ConsensusError.invalidTimestamp("\(blocks[1].timestamp) is earlier than parent \(blocks[0].timestamp) + period 3600")) {
            try slow.verifyHeader(blocks[1], parent: blocks[0], chain: chain)
        }
    }
}
