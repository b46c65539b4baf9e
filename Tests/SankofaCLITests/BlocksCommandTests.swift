import Foundation
import Logging
import SankofaChain
import SankofaNode
import SankofaPrimitives
import SankofaTestSupport
import Testing

/// Issue 17, backups: `sankofa blocks export` of 1,000 blocks with transactions (written by the node's own block
/// production in this process), `sankofa blocks import` into an empty data directory with the real binary, and the
/// rebuilt chain compared block by block; a second import re-imports nothing; a truncated file and a corrupted byte
/// each stop the import with one line naming the block.
@Suite("sankofa blocks export/import", .enabled(if: SankofaBinary.available), .timeLimit(.minutes(5)))
struct BlocksCommandTests {
    static let blocks: UInt64 = 1_000

    @Test func exportImportRebuildsTheSameChainResumesAndStopsOnDamage() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sankofa-blocks-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let genesisPath = directory.appendingPathComponent("genesis.json").path
        let validator = try P2PTestNode("validator", in: directory, genesisPath: genesisPath)
        let created = try SankofaBinary.run(["genesis", "new", "--chain-id", String(ReplicaSyncTests.chainId), "--block-period", "0",
                                             "--validator", validator.key.address.checksummed, "--output", genesisPath])
        #expect(created.status == 0, "\(created.stderr)")
        let produced = try await ReplicaSyncTests.writeBacklog(validator, genesisPath: genesisPath, blocks: Self.blocks,
                                                               transactionsPerBlock: 4)
        let source = directory.appendingPathComponent("validator-data").path
        let file = directory.appendingPathComponent("chain.rlp").path

        let export = try SankofaBinary.run(["blocks", "export", "--data-path", source, "--from", "0", "--to", String(Self.blocks),
                                            "--output", file])
        #expect(export.status == 0, "\(export.stderr)")
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: file)))
        // Besu's format: the blocks' RLP, one after another, nothing else.
        let genesisBlock = try #require(try Self.canonicalBlocks(source, genesisPath: genesisPath, upTo: 0).first)
        #expect(bytes == genesisBlock.rlpEncoded + produced.flatMap(\.rlpEncoded))

        // Import into an empty data directory: the same blocks, hashes and state roots.
        let restored = directory.appendingPathComponent("restored").path
        let first = try SankofaBinary.run(["blocks", "import", "--data-path", restored, "--genesis-file", genesisPath, "--input", file])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("Imported \(Self.blocks) blocks (\(Self.blocks * 4) transactions), 1 already present"), "\(first.stdout)")
        let rebuilt = try Self.canonicalBlocks(restored, genesisPath: genesisPath, upTo: Self.blocks)
        #expect(rebuilt.map(\.hash) == [genesisBlock.hash] + produced.map(\.hash))
        #expect(rebuilt.map(\.header.stateRoot) == [genesisBlock.header.stateRoot] + produced.map(\.header.stateRoot))

        // Again: everything is already there.
        let second = try SankofaBinary.run(["blocks", "import", "--data-path", restored, "--genesis-file", genesisPath, "--input", file])
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stdout.contains("Imported 0 blocks (0 transactions), \(Self.blocks + 1) already present"), "\(second.stdout)")

        // Offsets of each block in the file, to damage a known one.
        var offsets: [Int] = []
        var position = 0
        for block in [genesisBlock] + produced {
            offsets.append(position)
            position += block.rlpEncoded.count
        }

        // Truncated in the middle of block #700: the 700 before it are imported, then one line names it.
        let truncated = directory.appendingPathComponent("truncated.rlp").path
        try Data(bytes[..<(offsets[700] + 50)]).write(to: URL(fileURLWithPath: truncated))
        let partial = directory.appendingPathComponent("partial").path
        let cut = try SankofaBinary.run(["blocks", "import", "--data-path", partial, "--genesis-file", genesisPath, "--input", truncated])
        #expect(cut.status != 0)
        let cutLine = Self.lastLine(cut.stderr)
        #expect(cutLine.contains("block at index 700 (byte offset \(offsets[700])) is truncated"), "\(cut.stderr)")
        #expect(cutLine.contains("expected #700"), "\(cutLine)")
        #expect(!cut.stderr.contains("\n  "), "more than one line: \(cut.stderr)")
        // Resumable: the complete file finishes the job, importing only what is missing.
        let resumed = try SankofaBinary.run(["blocks", "import", "--data-path", partial, "--genesis-file", genesisPath, "--input", file])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(resumed.stdout.contains("Imported \(Self.blocks - 699) blocks"), "\(resumed.stdout)")
        #expect(resumed.stdout.contains(produced[produced.count - 1].hash.hex), "\(resumed.stdout)")

        // One byte of block #500's parent hash flipped: blocks up to #499 import, #500 is named and refused.
        var damaged = bytes
        damaged[offsets[500] + 10] ^= 0xff
        let corrupted = directory.appendingPathComponent("corrupted.rlp").path
        try Data(damaged).write(to: URL(fileURLWithPath: corrupted))
        let fresh = directory.appendingPathComponent("fresh").path
        let bad = try SankofaBinary.run(["blocks", "import", "--data-path", fresh, "--genesis-file", genesisPath, "--input", corrupted])
        #expect(bad.status != 0)
        #expect(Self.lastLine(bad.stderr).contains("block #500 (index 500, byte offset \(offsets[500])) was not imported"), "\(bad.stderr)")

        // A byte that breaks the RLP framing (a block's list header) is named by index and offset.
        var unframed = bytes
        unframed[offsets[300]] = 0x05
        try Data(unframed).write(to: URL(fileURLWithPath: corrupted))
        let other = directory.appendingPathComponent("other").path
        let broken = try SankofaBinary.run(["blocks", "import", "--data-path", other, "--genesis-file", genesisPath, "--input", corrupted])
        #expect(broken.status != 0)
        #expect(Self.lastLine(broken.stderr).contains("block at index 300 (byte offset \(offsets[300])) is corrupted"), "\(broken.stderr)")
    }

    @Test func importRefusesADatabaseInUseWithOneLine() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sankofa-blocks-lock-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let genesisPath = directory.appendingPathComponent("genesis.json").path
        let validator = try P2PTestNode("validator", in: directory, genesisPath: genesisPath)
        _ = try SankofaBinary.run(["genesis", "new", "--chain-id", "4712", "--block-period", "0",
                                   "--validator", validator.key.address.checksummed, "--output", genesisPath])
        let data = directory.appendingPathComponent("validator-data").path
        var config = NodeConfig()
        config.dataPath = data
        let genesis = try GenesisFile(json: Array(try Data(contentsOf: URL(fileURLWithPath: genesisPath))))
        let node = try Node(config: config, genesis: genesis, signer: nil, logger: Logger(label: "lock"))
        defer { node.store.close() }
        let file = directory.appendingPathComponent("none.rlp").path
        _ = FileManager.default.createFile(atPath: file, contents: Data())
        for arguments in [["blocks", "import", "--data-path", data, "--genesis-file", genesisPath, "--input", file],
                          ["blocks", "export", "--data-path", data, "--output", file]] {
            let output = try SankofaBinary.run(arguments)
            #expect(output.status != 0)
            #expect(output.stderr.contains("is already open"), "\(output.stderr)")
            #expect(output.stderr.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n").count == 1, "\(output.stderr)")
        }
    }

    /// The canonical blocks 0…`number` of a stopped node's database.
    static func canonicalBlocks(_ dataPath: String, genesisPath: String, upTo number: UInt64) throws -> [Block] {
        var config = NodeConfig()
        config.dataPath = dataPath
        let genesis = try GenesisFile(json: Array(try Data(contentsOf: URL(fileURLWithPath: genesisPath))))
        let node = try Node(config: config, genesis: genesis, signer: nil, logger: Logger(label: "check"))
        defer { node.store.close() }
        return try (0...number).map { n in
            let hash = try #require(try node.chain.canonicalHash(n), "no canonical block #\(n)")
            return try #require(try node.chain.block(hash))
        }
    }

    static func lastLine(_ text: String) -> String {
        text.split(separator: "\n").last.map(String.init) ?? ""
    }
}
