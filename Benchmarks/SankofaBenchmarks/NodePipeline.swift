import Foundation
import SankofaChain
import SankofaContracts
import SankofaCrypto
import SankofaNode
import SankofaPrimitives

/// The whole single-node path a transaction takes: pool admission (decode, validate, recover the sender once),
/// block building (execute against the head state), sealing and the atomic, fsynced commit to RocksDB.
/// 1,000 fresh senders each register an identity and then update it: 2,000 IdentityRegistry calls.
enum NodePipeline {
    static func selects(_ prefix: String) -> Bool { "node/pipeline".hasPrefix(prefix) || prefix.hasPrefix("node") }

    struct Figures {
        let transactions: Int
        let admission: Double
        let production: Double
        let blocks: Int
        let rawRecoverPerSecond: Double
    }

    static func run() async throws -> Figures {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sankofa-pipeline-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var config = NodeConfig()
        try config.apply("data-path", .string(directory))
        let signer = try PrivateKey(hex: DevGenesis.signerKey)
        let node = try Node(config: config, genesis: try GenesisFile(json: Array(DevGenesis.json.utf8)), signer: signer, logger: .init(label: "bench"))
        defer { node.store.close() }

        let registry = SystemAddresses.identityRegistry
        guard let contract = SystemContracts.registry.contract(at: registry),
              let register = contract.functions.first(where: { $0.name == "registerIdentity" }),
              let update = contract.functions.first(where: { $0.name == "updateIdentity" }) else { throw CancellationError() }
        var transactions: [Transaction] = []
        for i in 0..<1_000 {
            let key = try PrivateKey.generate()
            let did = Keccak256.hash(Array("did:\(i)".utf8))
            let calls: [[UInt8]] = [
                register.selector + (try ABI.encode([.fixedBytes(did.bytes), .string("ipfs://id/\(i)"), .fixedBytes(did.bytes)],
                                                    as: register.inputs.map(\.type))),
                update.selector + (try ABI.encode([.string("ipfs://id/\(i)/v2"), .fixedBytes(did.bytes)], as: update.inputs.map(\.type))),
            ]
            for (nonce, data) in calls.enumerated() {
                transactions.append(Transaction.Payload.dynamicFee(DynamicFeeTransaction(
                    chainId: 1337, nonce: UInt64(nonce), maxPriorityFeePerGas: .zero, maxFeePerGas: .zero, gasLimit: 200_000,
                    to: registry, value: .zero, data: data, accessList: [])).signed(with: key))
            }
        }
        let raw = transactions.map(\.encoded)

        // Baseline in the same run: raw ecrecover on one core.
        let probe = transactions[0]
        let recover = RawRecover(digest: probe.signingHash, signature: probe.signature)
        let baselineStart = ContinuousClock.now
        recover.run(4_000)
        let rawRate = 4_000 / (ContinuousClock.now - baselineStart).seconds

        // Admission from two concurrent submitters (as two RPC connections would), recovery included.
        let admissionStart = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for half in 0..<2 {
                group.addTask {
                    for index in stride(from: half, to: raw.count, by: 2) {
                        try await node.pool.add(try Transaction(raw: raw[index]))
                    }
                }
            }
            try await group.waitForAll()
        }
        let admission = (ContinuousClock.now - admissionStart).seconds

        // Production: blocks of up to 1,000 calls until the pool is empty, each committed with fsync.
        let productionStart = ContinuousClock.now
        var blocks = 0
        var included = 0
        while await node.pool.status.pending > 0 {
            let head = node.blockchain.head
            let produced = try await node.blockchain.produceBlock(signer: signer, candidates: await node.pool.candidates(limit: 1_000),
                                                                  timestamp: head.timestamp + 1)
            included += produced.block.transactions.count
            blocks += 1
            await node.pool.newHead(state: try node.headStateReader(), blockGasLimit: produced.block.header.gasLimit)
            if produced.block.transactions.isEmpty { break }
        }
        let production = (ContinuousClock.now - productionStart).seconds
        guard included == transactions.count else {
            throw NSError(domain: "pipeline", code: 1, userInfo: [NSLocalizedDescriptionKey: "only \(included) of \(transactions.count) included"])
        }
        return Figures(transactions: included, admission: admission, production: production, blocks: blocks, rawRecoverPerSecond: rawRate)
    }

    static func report(_ f: Figures, json: Bool) -> String {
        let total = Double(f.transactions) / (f.admission + f.production)
        let admit = Double(f.transactions) / f.admission
        let produce = Double(f.transactions) / f.production
        if json {
            return "[{\"name\":\"node/pipeline\",\"tx_per_second\":\(Int(total)),\"admission_tx_per_second\":\(Int(admit)),"
                + "\"production_tx_per_second\":\(Int(produce)),\"blocks\":\(f.blocks),\"raw_recover_per_second\":\(Int(f.rawRecoverPerSecond)),"
                + "\"ratio\":\(Harness.format(total / f.rawRecoverPerSecond))}]"
        }
        return """
            node/pipeline: \(f.transactions) IdentityRegistry calls in \(f.blocks) blocks
              admission (decode + validate + recover, 2 submitters)  \(Int(admit)) tx/s   \(Harness.format(admit / f.rawRecoverPerSecond)) × raw ecrecover/s (1 core)
              production (execute + seal + fsynced commit)         \(Int(produce)) tx/s   \(Harness.format(produce / f.rawRecoverPerSecond)) × raw ecrecover/s
              end to end                                           \(Int(total)) tx/s   \(Harness.format(total / f.rawRecoverPerSecond)) × raw ecrecover/s
              raw ecrecover baseline (same run, 1 core)            \(Int(f.rawRecoverPerSecond))/s
            """
    }
}
