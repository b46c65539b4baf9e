import Foundation
import Logging
import SankofaBlockchain
import SankofaChain
import SankofaCrypto
import SankofaJSON
import SankofaNode
import SankofaP2P
import SankofaPrimitives
import SankofaSync

/// `sync/catch-up`: how fast a replica imports a backlog over eth/68. A validator's chain of `blocks` full blocks is
/// built first (transfers from many senders); then, in the same run, a fresh node imports those blocks directly
/// (the single-node import baseline: recover, verify, execute, fsynced commit), and another fresh node syncs them
/// from the validator over RLPx on 127.0.0.1 (headers, bodies, checks, recovery and import, pipelined).
enum SyncCatchUp {
    static let name = "sync/catch-up"
    static func selects(_ prefix: String) -> Bool { prefix.hasPrefix("sync") && name.hasPrefix(prefix) }

    struct Figures {
        let blocks: Int
        let transactions: Int
        let importSeconds: Double
        let syncSeconds: Double
    }

    static func run(blocks: Int = 2_000, transactionsPerBlock: Int = 50) async throws -> Figures {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("sankofa-sync-bench-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let signer = try PrivateKey(hex: DevGenesis.signerKey)
        let genesis = try GenesisFile(json: Array(DevGenesis.json.utf8))
        func node(_ name: String) throws -> Node {
            var config = NodeConfig()
            try config.apply("data-path", .string("\(root)/\(name)"))
            return try Node(config: config, genesis: genesis, signer: signer, logger: Logger(label: "bench"))
        }

        // The validator's chain.
        let validator = try node("validator")
        defer { validator.store.close() }
        let senders = try (0..<500).map { _ in try PrivateKey.generate() }
        var nonces = [UInt64](repeating: 0, count: senders.count)
        var made: [Block] = []
        var cursor = 0
        for _ in 0..<blocks {
            var candidates: [RecoveredTransaction] = []
            for _ in 0..<transactionsPerBlock {
                let index = cursor % senders.count
                cursor += 1
                let tx = Transaction.Payload.dynamicFee(DynamicFeeTransaction(
                    chainId: genesis.chainId, nonce: nonces[index], maxPriorityFeePerGas: .zero, maxFeePerGas: .zero,
                    gasLimit: 21_000, to: senders[(index + 1) % senders.count].address, value: .zero, data: [],
                    accessList: [])).signed(with: senders[index])
                nonces[index] += 1
                candidates.append(RecoveredTransaction(transaction: tx, sender: senders[index].address))
            }
            let head = validator.blockchain.head
            made.append(try await validator.blockchain.produceBlock(signer: signer, candidates: candidates,
                                                                    timestamp: head.timestamp + 1).block)
        }

        // Baseline: the same blocks imported directly by a fresh node.
        let importer = try node("importer")
        defer { importer.store.close() }
        let importStart = ContinuousClock.now
        for block in made { try await importer.blockchain.importBlock(block) }
        let importSeconds = (ContinuousClock.now - importStart).seconds

        // Sync: a fresh node's eth/68 side syncs them from the validator's over TCP.
        let replica = try node("replica")
        defer { replica.store.close() }
        let serving = try EthHandler(configuration: .init(networkId: genesis.chainId), blockchain: validator.blockchain,
                                     pool: validator.pool, head: validator.blockchain.head, logger: Logger(label: "bench"))
        let syncing = try EthHandler(configuration: .init(networkId: genesis.chainId), blockchain: replica.blockchain,
                                     pool: replica.pool, head: replica.blockchain.head, logger: Logger(label: "bench"))
        let sync = ChainSync(handler: syncing, logger: Logger(label: "bench"))
        let server = P2PHost(configuration: .init(nodeKey: try PrivateKey.generate(), protocols: [EthProtocol()]),
                             onMessage: { serving.receive($1, from: $0) }, onPeer: { serving.peerChanged($0) })
        let client = P2PHost(configuration: .init(nodeKey: try PrivateKey.generate(), protocols: [EthProtocol()]),
                             onMessage: { syncing.receive($1, from: $0) }, onPeer: { syncing.peerChanged($0) })
        let enode = try await server.start()
        try await client.start()
        let syncStart = ContinuousClock.now
        let task = Task { await sync.run() }
        _ = try await client.connect(to: enode)
        let target = UInt64(blocks)
        let deadline = ContinuousClock.now + .seconds(600)
        while replica.blockchain.head.number < target, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(5))
        }
        let syncSeconds = (ContinuousClock.now - syncStart).seconds
        task.cancel()
        await client.stop()
        await server.stop()
        guard replica.blockchain.head.hash == made.last?.hash else { throw BenchmarkError("the replica did not sync the chain") }
        return Figures(blocks: blocks, transactions: blocks * transactionsPerBlock, importSeconds: importSeconds,
                       syncSeconds: syncSeconds)
    }

    static func report(_ f: Figures, json: Bool) -> String {
        let importBlocks = Double(f.blocks) / f.importSeconds, syncBlocks = Double(f.blocks) / f.syncSeconds
        let importTx = Double(f.transactions) / f.importSeconds, syncTx = Double(f.transactions) / f.syncSeconds
        if json {
            return JSONWriter.pretty(["name": .string(name), "blocks": .number(JSONNumber(f.blocks)),
                                      "transactions": .number(JSONNumber(f.transactions)),
                                      "sync_blocks_per_second": Harness.number(syncBlocks),
                                      "sync_tx_per_second": Harness.number(syncTx),
                                      "import_blocks_per_second": Harness.number(importBlocks),
                                      "import_tx_per_second": Harness.number(importTx),
                                      "ratio": Harness.number(syncBlocks / importBlocks)])
        }
        return """
            \(name): \(f.blocks) blocks, \(f.transactions) transfers
              sync over eth/68 from a peer on 127.0.0.1   \(Int(syncBlocks)) blocks/s  \(Int(syncTx)) tx/s   \(Harness.format(syncBlocks / importBlocks)) × import
              single-node import (same blocks, same run)  \(Int(importBlocks)) blocks/s  \(Int(importTx)) tx/s
            """
    }
}
