import Foundation
import SankofaCrypto
import SankofaP2P
import Testing
@testable import SankofaNode

/// Besu's permissions file: the node list read, changed through the same calls `perm_` makes, and written back
/// with the file's other keys kept.
@Suite("Nodes allow-list file")
struct NodesAllowlistTests {
    static func enode(_ key: PrivateKey, _ port: Int) -> String {
        Enode(publicKey: key.publicKey, host: "10.0.0.\(port % 200)", tcpPort: port).description
    }

    func temporaryFile(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sankofa-perm-\(UUID().uuidString).toml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func roundTripKeepsOtherKeys() throws {
        let (a, b, c) = (try PrivateKey.generate(), try PrivateKey.generate(), try PrivateKey.generate())
        let account = "0x627306090abaB3A6e1400e9345bC60c78a8BEf57"
        let path = try temporaryFile("""
            accounts-allowlist = ["\(account)"]
            nodes-allowlist = ["\(Self.enode(a, 30303))"]
            """)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let list = try NodesAllowlist(path: path)
        #expect(list.permits(a.publicKey) && !list.permits(b.publicKey))

        try list.add([Self.enode(b, 30304), Self.enode(c, 30305)])
        try list.remove([Self.enode(a, 1)])   // by node id: the address does not matter
        #expect(!list.permits(a.publicKey) && list.permits(b.publicKey) && list.permits(c.publicKey))

        // A fresh read of the file sees the change, and the accounts list is untouched.
        let reread = try NodesAllowlist(path: path)
        #expect(reread.enodes.map(\.description) == [Self.enode(b, 30304), Self.enode(c, 30305)])
        #expect(try AccountAllowlist.load(path: path).map(\.checksummed) == [account])

        // Refusals leave the list and the file as they were.
        #expect(throws: ConfigError.self) { try list.add([Self.enode(b, 30304)]) }
        #expect(throws: ConfigError.self) { try list.add(["enode://nope"]) }
        #expect(throws: ConfigError.self) { try list.add([Self.enode(a, 1), Self.enode(a, 2)]) }
        #expect(throws: ConfigError.self) { try list.remove([Self.enode(a, 1)]) }
        #expect(try NodesAllowlist(path: path).enodes.count == 2)

        // Someone edits the file; reload picks it up.
        try "nodes-allowlist = [\"\(Self.enode(a, 30303))\"]\n".write(toFile: path, atomically: true, encoding: .utf8)
        try list.reload()
        #expect(list.permits(a.publicKey) && !list.permits(b.publicKey))
    }

    @Test func badFilesSayWhatIsWrong() throws {
        let missing = "/nonexistent/permissions_config.toml"
        #expect { try NodesAllowlist(path: missing) } throws: { "\($0)".contains("cannot read permissions file \(missing)") }
        let bad = try temporaryFile("nodes-allowlist = [\"enode://1234@host:1\"]\n")
        defer { try? FileManager.default.removeItem(atPath: bad) }
        #expect { try NodesAllowlist(path: bad) } throws: { "\($0)".contains("invalid enode node id") }
        let empty = try temporaryFile("")
        defer { try? FileManager.default.removeItem(atPath: empty) }
        #expect(try NodesAllowlist(path: empty).enodes.isEmpty)
    }

    @Test func enabledFlagDefaultsToTheDataPathFile() throws {
        var config = NodeConfig()
        try config.apply("data-path", .string("/var/lib/sankofa"))
        #expect(config.nodesAllowlistPath == nil)
        try config.apply("permissions-nodes-config-file-enabled", .bool(true))
        #expect(config.nodesAllowlistPath == "/var/lib/sankofa/permissions_config.toml")
        try config.apply("permissions-nodes-config-file", .string("/etc/nodes.toml"))
        #expect(config.nodesAllowlistPath == "/etc/nodes.toml")
        try config.apply("max-peers", .integer(5))
        #expect(config.maxPeers == 5)
        #expect(throws: ConfigError.self) { try config.apply("max-peers", .integer(-1)) }
    }
}
