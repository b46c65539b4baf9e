import Foundation
import Logging
import SankofaChain
import SankofaCrypto
import SankofaNode
import SankofaTestSupport
import Testing

/// Issue 18: `sankofa run` on existing data with a genesis file that differs only in `config.chainId` started
/// the node on the old chain under a new chain id. It must stop at once with one line naming the field.
@Suite("Genesis mismatch at start", .enabled(if: SankofaBinary.available))
struct GenesisMismatchRunTests {
    @Test func aChangedChainIdIsRefusedWithOneLine() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sankofa-genesis-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let dataPath = dir.appendingPathComponent("data").path
        // The database, created with the dev genesis (chain id 1337).
        var config = NodeConfig()
        try config.apply("data-path", .string(dataPath))
        try config.apply("p2p-port", .integer(0))
        let node = try Node(config: config, genesis: try GenesisFile(json: Array(DevGenesis.json.utf8)),
                            signer: try PrivateKey(hex: DevGenesis.signerKey), logger: Logger(label: "test"))
        node.store.close()

        let changed = DevGenesis.json.replacingOccurrences(of: "\"chainId\": 1337", with: "\"chainId\": 4242")
        #expect(changed != DevGenesis.json)
        let genesisPath = dir.appendingPathComponent("genesis.json").path
        try changed.write(toFile: genesisPath, atomically: true, encoding: .utf8)
        let result = try SankofaBinary.run(["run", "--genesis-file", genesisPath, "--data-path", dataPath, "--p2p-port", "0"],
                                           timeout: 20)
        #expect(result.status != 0)
        // Besides the start-up log line naming the node key, one error line.
        let errors = result.stderr.split(separator: "\n").filter { $0.hasPrefix("Error: ") }
        #expect(errors.count == 1, "\(result.stderr)")
        #expect(errors.first?.contains("config.chainId is 4242 in the file but 1337 in the database") == true, "\(result.stderr)")
        #expect(!result.stderr.contains("Chain 4242"), "the node must not start: \(result.stderr)")
    }
}
