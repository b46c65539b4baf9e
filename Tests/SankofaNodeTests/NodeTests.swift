import Foundation
import Logging
import SankofaChain
import SankofaCrypto
import SankofaPrimitives
import SankofaState
import ServiceLifecycle
import Testing
@testable import SankofaNode

@Suite("Dev node (in-process)")
struct NodeTests {
    static let signer = try! PrivateKey(hex: DevGenesis.signerKey)
    static let sender = try! PrivateKey(hex: DevGenesis.keys[1].privateKey)

    static func transfer(_ nonce: UInt64) -> Transaction {
        Transaction.Payload.dynamicFee(DynamicFeeTransaction(
            chainId: 1337, nonce: nonce, maxPriorityFeePerGas: .zero, maxFeePerGas: .zero, gasLimit: 21_000,
            to: Address(low: 0xcafe), value: UInt256(7), data: [], accessList: [])).signed(with: sender)
    }

    static func node(at path: String) throws -> Node {
        var config = NodeConfig()
        try config.apply("data-path", .string(path))
        try config.apply("p2p-port", .integer(0))   // a non-dev node listens for peers: let the OS pick the port
        return try Node(config: config, genesis: try GenesisFile(json: Array(DevGenesis.json.utf8)), signer: signer, logger: Logger(label: "test"))
    }

    @Test("lease flags that cannot work stop the node with the flag to fix", arguments: [
        ([("validator-lease-endpoints", ConfigValue.string("http://127.0.0.1:2379"))], "needs --validator-lease-key"),
        ([("validator-lease-key", .string("/sankofa/dev/v"))], "needs --validator-lease-endpoints"),
        ([("validator-lease-key", .string("/sankofa/dev/v")), ("validator-lease-endpoints", .string("https://etcd:2379"))],
         "is not http://HOST:PORT"),
        ([("validator-lease-key", .string("/sankofa/dev/v")), ("validator-lease-endpoints", .string("http://127.0.0.1:2379")),
          ("mode", .string("replica"))], "a replica never signs"),
    ])
    func badLeaseSettings(settings: [(String, ConfigValue)], message: String) async throws {
        do {
            try await NodeReplayProtectionTests.withNode(settings) { _ in Issue.record("started with \(settings)") }
        } catch let error as NodeError {
            #expect(error.description.contains(message), "\(error)")
        }
    }

    @Test func sealsSubmittedTransactionsAndKeepsThemAcrossRestart() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sankofa-node-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        var node: Node? = try Self.node(at: path)
        let running = try #require(node)
        let group = ServiceGroup(configuration: .init(services: running.services().map { .init(service: $0) }, logger: Logger(label: "test")))
        let task = Task { try await group.run() }
        let hashes = (0..<5 as Range<UInt64>).map { Self.transfer($0).hash }
        for nonce in 0..<5 as Range<UInt64> { try await running.pool.add(Self.transfer(nonce)) }
        // The dev chain seals as soon as transactions are pending.
        var included = false
        for _ in 0..<200 where !included {
            try await Task.sleep(for: .milliseconds(25))
            included = try hashes.allSatisfy { try running.chain.transactionLocation($0) != nil }
        }
        #expect(included)
        #expect(await running.pool.status.pending == 0)
        // RPC finds each new block and its receipts decoded, put there by the head follower, not read back.
        let location = try #require(try running.chain.transactionLocation(hashes[0]))
        var cached: Block?
        for _ in 0..<200 where cached == nil {
            cached = try running.recentBlocks.block(location.blockHash) { nil }
            if cached == nil { try await Task.sleep(for: .milliseconds(25)) }
        }
        #expect(cached?.transactions.map(\.hash).contains(hashes[0]) == true)
        let receipts = try running.recentBlocks.receipts(location.blockHash) { nil }
        #expect(receipts?.count == cached?.transactions.count)
        await group.triggerGracefulShutdown()
        try await task.value
        let head = try #require(try running.chain.headHeader())
        #expect(head.number >= 1)
        running.store.close()
        node = nil

        let reopened = try Self.node(at: path)
        #expect(try reopened.chain.headHeader() == head)
        for hash in hashes { #expect(try reopened.chain.transactionLocation(hash) != nil) }
        let state = try WorldState(reader: reopened.store, root: head.stateRoot, snapshot: true)
        #expect(try state.balance(Address(low: 0xcafe)) == UInt256(35))
        reopened.store.close()
    }

    /// The producer wakes on events, not on a timer: nothing is sealed while the pool is empty, and each transaction
    /// that arrives after a quiet spell is sealed promptly (the pool's pending-hash broadcast wakes it).
    @Test func sealsEachTransactionPromptlyAndNothingWhileIdle() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sankofa-node-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let node = try Self.node(at: path)
        defer { node.store.close() }
        let group = ServiceGroup(configuration: .init(services: node.services().map { .init(service: $0) }, logger: Logger(label: "test")))
        let task = Task { try await group.run() }
        for nonce in 0..<3 as Range<UInt64> {
            try await Task.sleep(for: .milliseconds(300))
            let before = try #require(try node.chain.headHeader()).number
            #expect(before == nonce, "no block without a transaction")
            let transaction = Self.transfer(nonce)
            let submitted = ContinuousClock.now
            try await node.pool.add(transaction)
            var included = false
            for _ in 0..<500 where !included {
                try await Task.sleep(for: .milliseconds(5))
                included = try node.chain.transactionLocation(transaction.hash) != nil
            }
            #expect(included)
            #expect(ContinuousClock.now - submitted < .seconds(2))
        }
        await group.triggerGracefulShutdown()
        try await task.value
        #expect(try node.chain.headHeader()?.number == 3)
    }
}
