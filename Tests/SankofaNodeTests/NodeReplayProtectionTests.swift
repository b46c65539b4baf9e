import Foundation
import Logging
import SankofaChain
import SankofaCrypto
import SankofaPrimitives
import SankofaRPC
import Testing
@testable import SankofaNode

/// Issue 18: transactions signed without a chain id (pre-EIP-155) were accepted over JSON-RPC; geth refuses them
/// unless told otherwise, and so does Sankofa (Besu's `--strict-tx-replay-protection-enabled`).
@Suite("Replay protection over RPC")
struct NodeReplayProtectionTests {
    static let sender = try! PrivateKey(hex: DevGenesis.keys[1].privateKey)

    static func legacy(chainId: UInt64?) -> Transaction {
        Transaction.Payload.legacy(LegacyTransaction(
            nonce: 0, gasPrice: .zero, gasLimit: 21_000, to: Address(low: 0xcafe), value: UInt256(1), data: [],
            chainId: chainId)).signed(with: sender)
    }

    static func withNode(_ settings: [(String, ConfigValue)], _ body: (Node) async throws -> Void) async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sankofa-replay-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        var config = NodeConfig()
        try config.apply("data-path", .string(path))
        try config.apply("p2p-port", .integer(0))
        for (key, value) in settings { try config.apply(key, value) }
        let node = try Node(config: config, genesis: try GenesisFile(json: Array(DevGenesis.json.utf8)),
                            signer: try PrivateKey(hex: DevGenesis.signerKey), logger: Logger(label: "test"))
        defer { node.store.close() }
        try await body(node)
    }

    @Test func unprotectedTransactionsAreRefusedByDefault() async throws {
        #expect(NodeConfig().strictTxReplayProtectionEnabled)
        try await Self.withNode([]) { (node: Node) async throws in
            let error = await #expect(throws: RPCError.self) { try await node.backend.submit(Self.legacy(chainId: nil).encoded) }
            #expect(error?.code == -32000)
            #expect(error?.message.hasPrefix("only replay-protected (EIP-155) transactions allowed over RPC") == true)
            #expect(await node.pool.status == (pending: 0, queued: 0))
            // An EIP-155 legacy transaction (what the interop tests sign) is accepted.
            let protected = Self.legacy(chainId: 1337)
            #expect(try await node.backend.submit(protected.encoded) == protected.hash)
        }
    }

    @Test func theFlagAllowsThem() async throws {
        try await Self.withNode([("strict-tx-replay-protection-enabled", .bool(false)), ("tx-pool-retention-hours", .integer(5))]) {
            (node: Node) async throws in
            #expect(await node.pool.config.queuedLifetime == .seconds(5 * 3_600))
            let unprotected = Self.legacy(chainId: nil)
            #expect(try await node.backend.submit(unprotected.encoded) == unprotected.hash)
        }
    }
}
