import Foundation
import SankofaPrimitives
import SankofaTxPool
import Testing
@testable import SankofaNode

/// `perm_` account calls on a node: the file is rewritten and the pool's sender filter follows at once.
@Suite("Node permissioning: accounts")
struct NodePermissioningTests {
    struct NoState: PoolStateReader {
        func nonce(of address: Address) throws -> UInt64 { 0 }
        func balance(of address: Address) throws -> UInt256 { .zero }
    }

    static let x = try! Address(hex: "0x627306090abaB3A6e1400e9345bC60c78a8BEf57")
    static let y = try! Address(hex: "0xf17f52151EbEF6C7334FAD080c5704D77216b732")

    @Test func accountsRoundTripThroughTheFileAndThePool() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sankofa-accounts-\(UUID().uuidString).toml").path
        try "accounts-allowlist = [\"\(Self.x.checksummed)\"]\nnodes-allowlist = []\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        var config = TxPoolConfig(chainId: 1)
        config.accountAllowlist = try AccountAllowlist.load(path: path)
        let pool = TransactionPool(config: config, state: NoState(), blockGasLimit: 30_000_000)
        let permissions = NodePermissioning(nodes: nil, accountsPath: path, pool: pool, host: nil)

        #expect(try await permissions.accountsAllowlist() == [Self.x])
        try await permissions.addAccounts([Self.y])
        #expect(await pool.accountAllowlist == [Self.x, Self.y])
        #expect(try AccountAllowlist.load(path: path) == [Self.x, Self.y])   // Node.init's reader accepts what we write
        await #expect(throws: (any Error).self) { try await permissions.addAccounts([Self.y]) }
        try await permissions.removeAccounts([Self.x])
        #expect(await pool.accountAllowlist == [Self.y])
        await #expect(throws: (any Error).self) { try await permissions.removeAccounts([Self.x]) }
        #expect(try String(contentsOfFile: path, encoding: .utf8).contains("nodes-allowlist"))

        // An edit on disk is picked up by reload; node calls say node permissioning is off.
        try "accounts-allowlist = [\"\(Self.x.checksummed)\"]\n".write(toFile: path, atomically: true, encoding: .utf8)
        try await permissions.reload()
        #expect(await pool.accountAllowlist == [Self.x])
        await #expect(throws: (any Error).self) { try await permissions.nodesAllowlist() }
    }
}
