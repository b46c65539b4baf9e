import Foundation
import Logging
import SankofaChain
import SankofaContracts
import SankofaCrypto
import SankofaJSON
import SankofaNode
import SankofaPrimitives
import SankofaTestSupport
import Testing

/// Issue 13: a Clique validator and read replicas as separate `sankofa run` processes over RLPx/eth/68. The
/// validator's first 500 blocks (with transactions) are written before it starts, by the node's own block
/// production in this process, so the replica has a real backlog to sync; from then on everything happens between
/// the two binaries and is observed only through JSON-RPC. Every wait is bounded; every process is stopped.
@Suite("Replica sync over eth/68", .enabled(if: SankofaBinary.available), .timeLimit(.minutes(5)))
struct ReplicaSyncTests {
    static let chainId: UInt64 = 4712
    static let backlog: UInt64 = 500
    static let transactionsPerBlock = 8

    @Test func replicaCatchesUpFollowsServesTheSameAnswersAndSurvivesKill9() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sankofa-sync-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let genesisPath = directory.appendingPathComponent("genesis.json").path
        let validator = try P2PTestNode("validator", in: directory, genesisPath: genesisPath)
        let replica = try P2PTestNode("replica", in: directory, genesisPath: genesisPath)
        let second = try P2PTestNode("second", in: directory, genesisPath: genesisPath)
        // Period 0: the validator seals as soon as transactions are pending (geth's dev mode), so the test does not
        // wait for block periods once the backlog is synced.
        let genesis = try SankofaBinary.run(["genesis", "new", "--chain-id", String(Self.chainId), "--block-period", "0",
                                             "--validator", validator.key.address.checksummed, "--output", genesisPath])
        #expect(genesis.status == 0, "\(genesis.stderr)")
        validator.mode = "validator"
        for node in [replica, second] { node.extraArguments = ["--bootnodes", validator.enode] }
        replica.extraArguments += ["--rpc-ws-enabled", "--rpc-ws-port", String(replica.wsPort)]
        let nodes = [validator, replica, second]
        do {
            try await Self.writeBacklog(validator, genesisPath: genesisPath)
            try await run(validator, replica, second)
        } catch {
            for node in nodes { await node.stop(SIGKILL) }
            Issue.record(Comment(rawValue: "logs:\n" + nodes.map { "--- \($0.name)\n" + String($0.log.suffix(4_000)) }.joined(separator: "\n")))
            throw error
        }
        for node in nodes { await node.stop() }
        try? FileManager.default.removeItem(at: directory)
    }

    private func run(_ validator: P2PTestNode, _ replica: P2PTestNode, _ second: P2PTestNode) async throws {
        try validator.start()
        try await validator.waitUntilListening()
        #expect(await QBFTNetworkTests.head(validator) == Self.backlog)

        // The replica joins late, catches up, and reports itself ready only then.
        try replica.start()
        try await replica.waitUntilListening()
        try await QBFTNetworkTests.waitForHeads([replica], atLeast: Self.backlog, seconds: 120)
        #expect(try await replica.rpc.call("eth_syncing") == .bool(false))
        #expect(try await replica.rpc.status("/readiness") == 200)
        #expect(try await replica.rpc.status("/readiness?minPeers=2") == 503)

        // A transaction sent to the replica is gossiped to the validator, mined, and its receipt is on both; the
        // replica's WebSocket subscribers hear of the imported block as of a produced one.
        let subscriber = try WebSocketTestClient(port: replica.wsPort)
        defer { subscriber.close() }
        let subscribed = try subscriber.request(#"{"jsonrpc":"2.0","id":1,"method":"eth_subscribe","params":["newHeads"]}"#)
        #expect(subscribed["result"]?.stringValue != nil, "\(JSONWriter.string(subscribed))")
        let user = try PrivateKey.generate()
        let tx = Self.transfer(from: user, nonce: 0)
        #expect(try await replica.rpc.call("eth_sendRawTransaction", [.string(Hex.encode(tx.encoded))]) == .string(tx.hash.hex))
        let notification = try subscriber.next()
        #expect(notification["method"] == "eth_subscription")
        let announced = try #require(notification["params"]?["result"]?["number"]?.stringValue)
        #expect(UInt64(announced.dropFirst(2), radix: 16) ?? 0 > Self.backlog, "newHeads announced \(announced)")
        let mined = try await P2PTestNode.eventually(seconds: 30) {
            for node in [validator, replica] {
                guard let receipt = try? await node.rpc.call("eth_getTransactionReceipt", [.string(tx.hash.hex)]),
                      receipt["status"] == "0x1" else { return false }
            }
            return true
        }
        #expect(mined, "the replica's transaction was not mined and imported by both")
        let onValidator = try await validator.rpc.call("eth_getTransactionReceipt", [.string(tx.hash.hex)])
        #expect(try await replica.rpc.call("eth_getTransactionReceipt", [.string(tx.hash.hex)]) == onValidator)

        // Every block hash and sampled receipts and proofs agree.
        let head = try #require(await QBFTNetworkTests.head(validator))
        try await QBFTNetworkTests.waitForHeads([replica], atLeast: head, seconds: 30)
        for number in 0...head {
            let tag = JSON.string("0x" + String(number, radix: 16))
            let ours = try await validator.rpc.call("eth_getBlockByNumber", [tag, false])["hash"]
            #expect(try await replica.rpc.call("eth_getBlockByNumber", [tag, false])["hash"] == ours, "block #\(number)")
            if number % 97 == 1 {
                #expect(try await replica.rpc.call("eth_getBlockReceipts", [tag]) == (try await validator.rpc.call("eth_getBlockReceipts", [tag])))
            }
        }
        for account in [user.address, Self.senders[0].address, SystemAddresses.identityRegistry] {
            let params: [JSON] = [.string(account.hex), .array([]), .string("latest")]
            #expect(try await replica.rpc.call("eth_getProof", params) == (try await validator.rpc.call("eth_getProof", params)))
        }

        // A second replica killed with SIGKILL during its sync resumes from its committed head after a restart.
        try second.start()
        try await second.waitUntilListening()
        var killedAt: UInt64 = 0
        let started = try await P2PTestNode.eventually(seconds: 60) {
            killedAt = await QBFTNetworkTests.head(second) ?? 0
            return killedAt >= 20
        }
        await second.stop(SIGKILL)
        #expect(started, "the second replica did not begin to sync")
        #expect(killedAt < head, "the second replica finished syncing before it could be killed mid-sync")
        let logBefore = second.log.count
        try second.start()
        try await second.waitUntilListening()
        #expect((await QBFTNetworkTests.head(second) ?? 0) >= killedAt, "the restarted replica lost committed blocks")
        try await QBFTNetworkTests.waitForHeads([second], atLeast: head, seconds: 120)
        let tag = JSON.string("0x" + String(head, radix: 16))
        #expect(try await second.rpc.call("eth_getBlockByNumber", [tag, false])["hash"]
                == (try await validator.rpc.call("eth_getBlockByNumber", [tag, false])["hash"]))
        // It resumed from its own head, not from genesis.
        let restartLog = second.log.dropFirst(logBefore)
        let resumedFrom = restartLog.split(separator: "\n").first { $0.contains("Syncing #") }
            .flatMap { line in line.split(separator: "#").dropFirst().first.flatMap { UInt64($0.prefix { $0.isNumber }) } }
        #expect((resumedFrom ?? 0) > killedAt / 2, "restart synced from #\(resumedFrom.map(String.init) ?? "?") after a kill at #\(killedAt)")
    }

    // MARK: Fixture

    static let senders: [PrivateKey] = (1...4).map { try! PrivateKey(bytes: Array(repeating: UInt8($0), count: 31) + [0x42]) }

    static func transfer(from key: PrivateKey, nonce: UInt64, chainId: UInt64 = chainId) -> Transaction {
        Transaction.Payload.dynamicFee(DynamicFeeTransaction(
            chainId: chainId, nonce: nonce, maxPriorityFeePerGas: .zero, maxFeePerGas: .zero, gasLimit: 21_000,
            to: Address(bytes: Array(repeating: 0xde, count: 20)), value: .zero, data: [], accessList: [])).signed(with: key)
    }

    /// Produces the validator's first `backlog` blocks with the node's own block production, in this process, into
    /// the data directory the validator process will open.
    @discardableResult
    static func writeBacklog(_ validator: P2PTestNode, genesisPath: String, blocks count: UInt64 = backlog,
                             transactionsPerBlock: Int = transactionsPerBlock) async throws -> [Block] {
        var config = NodeConfig()
        config.dataPath = validator.directory.appendingPathComponent("\(validator.name)-data").path
        let genesis = try GenesisFile(json: Array(try Data(contentsOf: URL(fileURLWithPath: genesisPath))))
        let node = try Node(config: config, genesis: genesis, signer: validator.key, logger: Logger(label: "fixture"))
        defer { node.store.close() }
        var nonces = [UInt64](repeating: 0, count: senders.count)
        let now = UInt64(Date().timeIntervalSince1970)
        var blocks: [Block] = []
        for _ in 0..<count {
            var candidates: [RecoveredTransaction] = []
            for slot in 0..<transactionsPerBlock {
                let index = slot % senders.count
                candidates.append(try transfer(from: senders[index], nonce: nonces[index]).recovered())
                nonces[index] += 1
            }
            let produced = try await node.blockchain.produceBlock(signer: validator.key, candidates: candidates, timestamp: now)
            guard produced.rejected.isEmpty else { throw RPCTestError(description: "fixture block rejected transactions") }
            blocks.append(produced.block)
        }
        return blocks
    }
}
