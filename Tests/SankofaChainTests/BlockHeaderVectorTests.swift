import Foundation
import SankofaPrimitives
import SankofaTestSupport
import Testing
@testable import SankofaChain

/// Header hashing across forks (15, 16, 17 and 20 fields) on real mainnet and Görli blocks.
@Suite("Block header vectors", .enabled(if: VectorFiles.available, "../shared/vectors is absent"))
struct BlockHeaderVectorTests {
    /// A header from `eth_getBlockByNumber` JSON, with `names` mapping our fields to the file's keys.
    static func header(fromJSON json: [String: Any], names: [String: String] = [:]) throws -> BlockHeader {
        func text(_ key: String) throws -> String {
            try #require(json[names[key] ?? key] as? String, "missing \(key)")
        }
        func optionalText(_ key: String) -> String? { json[names[key] ?? key] as? String }
        func quantity(_ key: String) throws -> UInt64 {
            try #require(UInt256(hex: try text(key))?.asUInt64, "bad \(key)")
        }
        return BlockHeader(
            parentHash: try Hash32(hex: try text("parentHash")),
            ommersHash: try Hash32(hex: try text("sha3Uncles")),
            coinbase: try Address(hex: try text("miner")),
            stateRoot: try Hash32(hex: try text("stateRoot")),
            transactionsRoot: try Hash32(hex: try text("transactionsRoot")),
            receiptsRoot: try Hash32(hex: try text("receiptsRoot")),
            logsBloom: try #require(Bloom(bytes: fixtureBytes(try text("logsBloom")))),
            difficulty: try #require(UInt256(hex: try text("difficulty"))),
            number: try quantity("number"), gasLimit: try quantity("gasLimit"), gasUsed: try quantity("gasUsed"),
            timestamp: try quantity("timestamp"), extraData: fixtureBytes(try text("extraData")),
            mixHash: try Hash32(hex: try text("mixHash")),
            nonce: try #require(UInt256(hex: try text("nonce"))?.asUInt64),
            baseFeePerGas: optionalText("baseFeePerGas").flatMap { UInt256(hex: $0) },
            withdrawalsRoot: try optionalText("withdrawalsRoot").map { try Hash32(hex: $0) },
            blobGasUsed: optionalText("blobGasUsed").flatMap { UInt256(hex: $0)?.asUInt64 },
            excessBlobGas: optionalText("excessBlobGas").flatMap { UInt256(hex: $0)?.asUInt64 },
            parentBeaconBlockRoot: try optionalText("parentBeaconBlockRoot").map { try Hash32(hex: $0) })
    }

    @Test(arguments: [
        "headers/rpc-blocks/testdata-from-rpc.json",
        "headers/rpc-blocks/infura15571241.json",
        "headers/rpc-blocks/testdata-from-rpc-with-withdrawals.json",
        "headers/rpc-blocks/infura-goerli-block-10536893.json",
        "headers/goerli-clique/testdata-from-rpc-goerli.json",
        "headers/goerli-clique/testdata-from-rpc-goerli-london.json",
    ])
    func rpcBlockHashes(file: String) throws {
        let json = try #require(try VectorFiles.json(file) as? [String: Any])
        let header = try Self.header(fromJSON: json)
        #expect(header.hash.hex == json["hash"] as? String)
        #expect(try BlockHeader(rlp: header.rlpEncoded) == header)
    }

    @Test func goerliCliqueHeadersRoundTrip() throws {
        let derived = try #require(try VectorFiles.json("headers/goerli-clique/derived-clique-seal-hashes-and-signers.json") as? [String: Any])
        let blocks = try #require(derived["blocks"] as? [[String: Any]])
        #expect(blocks.count >= 7)
        for block in blocks {
            let rlp = fixtureBytes(try #require(block["headerRlp"] as? String))
            let header = try BlockHeader(rlp: rlp)
            #expect(header.rlpEncoded == rlp)
            #expect(header.hash.hex == block["hash"] as? String)
            #expect(header.number == (block["number"] as? NSNumber)?.uint64Value)
        }
        let goerli = try #require(try VectorFiles.json("headers/goerli-clique/blocks_goerli.json") as? [[String: Any]])
        let names = ["sha3Uncles": "uncleHash", "miner": "coinbase", "transactionsRoot": "transactionsTrie",
                     "receiptsRoot": "receiptTrie", "logsBloom": "bloom"]
        for (index, entry) in goerli.enumerated() {
            let header = try Self.header(fromJSON: try #require(entry["header"] as? [String: Any]), names: names)
            #expect(header.hash.hex == blocks[index]["hash"] as? String)
        }
    }

    @Test func mainnetGenesisBlock() throws {
        let json = try #require(try VectorFiles.json("headers/genesishashestest.json") as? [String: String])
        let rlp = fixtureBytes(try #require(json["genesis_rlp_hex"]))
        let block = try Block(rlp: rlp)
        #expect(block.rlpEncoded == rlp)
        #expect(block.hash.hex == "0x" + (try #require(json["genesis_hash"])))
        #expect(block.header.stateRoot.hex == "0x" + (try #require(json["genesis_state_root"])))
        #expect(block.transactions.isEmpty && block.ommers.isEmpty)
    }

    @Test func malformedHeadersAreRefused() throws {
        let header = BlockHeader(parentHash: .zero, coinbase: .zero, stateRoot: .zero, difficulty: .one, number: 1,
                                 gasLimit: 30_000_000, gasUsed: 0, timestamp: 1, extraData: [])
        let rlp = header.rlpEncoded
        #expect(try BlockHeader(rlp: rlp) == header)
        #expect(throws: RLPError.self) { _ = try BlockHeader(rlp: Array(rlp.dropLast())) }
        #expect(throws: RLPError.self) { _ = try BlockHeader(rlp: rlp + [0x80]) }
        #expect(throws: RLPError.self) { _ = try BlockHeader(rlp: [0xc0]) }
    }
}
