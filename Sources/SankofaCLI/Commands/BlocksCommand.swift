import ArgumentParser
import Foundation
import SankofaChain
import SankofaNode
import SankofaPrimitives
import SankofaState
import SankofaStorage
import SankofaTxPool

/// `sankofa blocks export|import`: backups as concatenated block RLP (Besu's format), restored by verifying and
/// executing every block exactly as sync does.
struct BlocksCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "blocks", abstract: "Export the chain to a file, or import (verify and execute) blocks from one.",
        subcommands: [BlocksExportCommand.self, BlocksImportCommand.self])
}

/// `sankofa blocks export`: canonical blocks `--from`…`--to` written as concatenated RLP. The node must be stopped
/// (RocksDB allows one process per database).
struct BlocksExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Write canonical blocks as concatenated RLP (Besu's export format).")

    @Option(name: .customLong("data-path"), help: "The stopped node's data directory.") var dataPath: String
    @Option(help: "First block (default 0, the genesis, which import skips).") var from: UInt64 = 0
    @Option(help: "Last block (default: the head).") var to: UInt64?
    @Option(help: "File to write (replaced if it exists).") var output: String

    func run() async throws {
        let store = try BlocksStorage.open(dataPath: dataPath)
        defer { store.close() }
        let chain = try cli { try ChainStore(store: store) }
        guard let head = try cli({ try chain.headHeader() }) else { throw CLIError.failed("\(dataPath): the database holds no chain") }
        let last = to ?? head.number
        guard from <= last else { throw CLIError.invalidFlag(flag: "--from", expected: "a block at or below --to (\(last))") }
        guard last <= head.number else {
            throw CLIError.failed("block #\(last) is not in the database: its head is #\(head.number)")
        }
        guard FileManager.default.createFile(atPath: output, contents: nil),
              let file = FileHandle(forWritingAtPath: output) else {
            throw CLIError.file(path: output, reason: "cannot be created (check the directory and its permissions)")
        }
        defer { try? file.close() }
        var progress = BlockProgress(verb: "Exported", last: last)
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1 << 20)
        var bytes = 0
        for number in from...last {
            guard let hash = try cli({ try chain.canonicalHash(number) }), let block = try cli({ try chain.block(hash) }) else {
                throw CLIError.failed("block #\(number) is missing from the database")
            }
            buffer += block.rlpEncoded
            if buffer.count >= 1 << 20 || number == last {
                do { try file.write(contentsOf: buffer) } catch { throw CLIError.file(path: output, reason: error.localizedDescription) }
                bytes += buffer.count
                buffer.removeAll(keepingCapacity: true)
            }
            progress.advance(to: number)
        }
        do { try file.synchronize() } catch { throw CLIError.file(path: output, reason: error.localizedDescription) }
        StandardOutput.write("Exported blocks #\(from)…#\(last) (\(last - from + 1) blocks, \(bytes) bytes) to \(output)\n")
    }
}

/// `sankofa blocks import`: every block in the file verified (consensus seal, roots) and executed through
/// `Blockchain.importBlock`, as sync imports a peer's blocks. Blocks already stored are skipped, so an interrupted
/// import resumes where it stopped; the first bad block stops it with one line naming the block.
struct BlocksImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Import concatenated block RLP, verifying and executing every block.")

    @Option(name: .customLong("data-path"), help: "Data directory (created if missing; the node must be stopped).") var dataPath: String?
    @Option(name: .customLong("genesis-file"), help: "Genesis JSON of the chain being imported, as for 'sankofa run'.") var genesisFile: String?
    @Option(name: .customLong("config-file"), help: "The node's TOML (genesis-file, data-path, pruning-*); flags override it.") var configFile: String?
    @Option(name: .customLong("pruning-enabled"), help: "Prune old state (true, default) or keep every state (false).") var pruningEnabled: Bool?
    @Option(help: "File of concatenated block RLP.") var input: String
    /// Blocks whose senders are recovered concurrently before they are imported in order.
    static let batchSize = 128

    func run() async throws {
        var config = NodeConfig()
        if let configFile { try cli { try config.apply(toml: String(decoding: try CLIFiles.read(configFile), as: UTF8.self)) } }
        if let genesisFile { try cli { try config.apply("genesis-file", .string(genesisFile)) } }
        if let dataPath { try cli { try config.apply("data-path", .string(dataPath)) } }
        if let pruningEnabled { try cli { try config.apply("pruning-enabled", .bool(pruningEnabled)) } }
        // Opening the node starts no service: no P2P, no RPC, no block production (as the benchmarks open it).
        try cli { try config.apply("mode", .string("replica")) }
        guard let genesisPath = config.genesisFile else { throw CLIError.missingFlag("--genesis-file") }
        guard config.dataPath != nil else { throw CLIError.missingFlag("--data-path") }
        let genesis: GenesisFile
        do { genesis = try GenesisFile(json: try CLIFiles.read(genesisPath)) } catch let error as GenesisError {
            throw CLIError.file(path: genesisPath, reason: error.description)
        }
        let bytes: Data
        do { bytes = try Data(contentsOf: URL(fileURLWithPath: input), options: .alwaysMapped) } catch {
            _ = try CLIFiles.read(input)  // the operator-facing reason (missing, a directory, unreadable)
            throw CLIError.file(path: input, reason: error.localizedDescription)
        }
        let node = try cli { try Node(config: config, genesis: genesis, signer: nil, logger: Bootstrap.logging(level: "WARN")) }
        defer { node.store.close() }
        try await BlockFileImport(node: node, bytes: bytes, input: input).run()
    }
}

/// The import loop: decode a batch, recover its senders in parallel, import it in order.
struct BlockFileImport {
    let node: Node
    let bytes: Data
    let input: String

    func run() async throws {
        var stream = BlockStream(bytes)
        var progress = BlockProgress(verb: "Imported", last: nil)
        var imported = 0
        var present = 0
        var transactions = 0
        var previous: UInt64?
        while !stream.isAtEnd {
            var batch: [(index: Int, offset: Int, block: Block)] = []
            var stop: (any Error)?
            while batch.count < BlocksImportCommand.batchSize {
                do {
                    guard let next = try stream.next() else { break }
                    batch.append(next)
                } catch {
                    stop = error
                    break
                }
            }
            var fresh: [Bool] = []
            for entry in batch { fresh.append(try cli { try node.chain.header(entry.block.hash) } == nil) }
            let senders = Self.recover(batch.map(\.block), skipping: fresh.map(!), cache: node.pool.senderCache)
            for ((entry, isFresh), recovered) in zip(zip(batch, fresh), senders) {
                let block = entry.block
                if isFresh {
                    do {
                        try await node.blockchain.importBlock(block, recovered: recovered)
                    } catch {
                        throw CLIError.failed("\(input): block #\(block.number) (index \(entry.index), byte offset \(entry.offset)) "
                                              + "was not imported: \(CLIError(describing: error).description)")
                    }
                    imported += 1
                    transactions += block.transactions.count
                } else {
                    present += 1
                }
                previous = block.number
                progress.advance(to: block.number)
            }
            if let stop {
                let expected = previous.map { ", expected #\($0 + 1)" } ?? ""
                throw CLIError.failed("\(input): \(stop)\(expected); \(imported) blocks imported before it")
            }
        }
        let head = node.blockchain.head
        StandardOutput.write("Imported \(imported) blocks (\(transactions) transactions), \(present) already present; "
                             + "head #\(head.number) \(head.hash.hex) state root \(head.stateRoot.hex)\n")
    }

    /// Each block's senders through the node's sender cache (which recovers a large batch on every core); nil
    /// where a signature does not recover (the import then reports the transaction) or where the block is already
    /// stored.
    static func recover(_ blocks: [Block], skipping: [Bool], cache: SenderCache) -> [[RecoveredTransaction]?] {
        let fresh = blocks.indices.filter { !skipping[$0] }
        var out = [[RecoveredTransaction]?](repeating: nil, count: blocks.count)
        guard let all = cache.recovered(fresh.flatMap { blocks[$0].transactions }) else {
            // Some signature does not recover: block by block, so only that block goes without senders.
            for index in fresh { out[index] = cache.recovered(blocks[index].transactions) }
            return out
        }
        var start = 0
        for index in fresh {
            let count = blocks[index].transactions.count
            out[index] = Array(all[start..<start + count])
            start += count
        }
        return out
    }
}

/// Opening a stopped node's database for `blocks export`.
enum BlocksStorage {
    /// The existing database (RocksDB would otherwise create an empty one at a mistyped path).
    static func open(dataPath: String) throws -> RocksDBStore {
        let path = (dataPath as NSString).appendingPathComponent("database")
        if !FileManager.default.fileExists(atPath: path) {
            throw CLIError.file(path: dataPath, reason: "no database here (expected \(path))")
        }
        return try cli { try RocksDBStore(path: path) }
    }
}

/// One progress line on stderr at most every two seconds, with the rate since the start.
struct BlockProgress {
    let verb: String
    let last: UInt64?
    let started = ContinuousClock.now
    var reported = ContinuousClock.now
    var count = 0

    init(verb: String, last: UInt64?) {
        self.verb = verb
        self.last = last
    }

    mutating func advance(to number: UInt64) {
        count += 1
        let now = ContinuousClock.now
        guard now - reported >= .seconds(2) else { return }
        reported = now
        let elapsed = now - started
        let rate = Double(count) / (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
        let of = last.map { " of #\($0)" } ?? ""
        FileHandle.standardError.write(Data("\(verb) #\(number)\(of) (\(count) blocks, \(Int(rate)) blocks/s)\n".utf8))
    }
}
