import Foundation
import SankofaChain
import SankofaContracts
import SankofaCrypto
import SankofaJSON
import SankofaPrimitives
import SankofaTestSupport
import Testing

/// The single-validator QBFT run, from outside: `genesis new --consensus qbft`, then the real `sankofa run`
/// produces final blocks, includes a transaction, and restarts cleanly on its data (Besu #6457 cannot).
@Suite("sankofa run on a QBFT genesis", .enabled(if: SankofaBinary.available))
struct QBFTRunTests {
    static let validator = try! PrivateKey(hex: "0xc87509a1c067bbde78beb793e6fa76530b6382a4c0241e5e4a9ec0a0f44dc0d3")

    /// A temporary directory holding `validator`'s key file and a one-validator QBFT genesis (1 s blocks, the
    /// validator also the admin), made by the real `genesis new` with `flags` added.
    static func singleValidatorChain(_ prefix: String, chainId: UInt64,
                                     flags: [String] = []) throws -> (directory: URL, keyPath: String, genesisPath: String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let keyPath = directory.appendingPathComponent("key").path
        try (Hex.encode(validator.rawBytes) + "\n").write(toFile: keyPath, atomically: true, encoding: .utf8)
        let genesisPath = directory.appendingPathComponent("genesis.json").path
        let address = validator.address.checksummed
        let genesis = try SankofaBinary.run(["genesis", "new", "--consensus", "qbft", "--chain-id", String(chainId),
                                             "--block-period", "1", "--validator", address, "--admin", address,
                                             "--output", genesisPath] + flags)
        guard genesis.status == 0 else { throw RPCTestError(description: "genesis new failed: \(genesis.stderr)") }
        return (directory, keyPath, genesisPath)
    }

    @Test func oneValidatorProducesFinalBlocksAndRestarts() async throws {
        let (directory, keyPath, genesisPath) = try Self.singleValidatorChain("sankofa-qbft", chainId: 2018)
        defer { try? FileManager.default.removeItem(at: directory) }
        let written = try JSONParser.parse(Array(try Data(contentsOf: URL(fileURLWithPath: genesisPath))))
        #expect(written["config"]?["qbft"]?["maxrequesttimeoutseconds"] == .number(JSONNumber(16)))
        #expect(written["mixHash"]?.stringValue == BlockHeader.istanbulMixHash.hex)

        let port = try DevRPCEndToEndTests.freePort()
        let arguments = ["run", "--genesis-file", genesisPath, "--data-path", directory.appendingPathComponent("data").path,
                         "--node-private-key-file", keyPath, "--rpc-http-enabled", "--rpc-http-port", String(port),
                         "--rpc-http-api", "ETH,NET,QBFT,SANKOFA", "--p2p-port", "0"]
        let rpc = RPCClient(port: port)

        var node = try Self.start(arguments)
        defer { if node.isRunning { kill(node.processIdentifier, SIGKILL) } }
        try await Self.waitForBlock(3, rpc: rpc)
        #expect(try await rpc.call("qbft_getValidatorsByBlockNumber", ["latest"]) == .array([.string(Self.validator.address.hex)]))
        // Every block is final: the finalized and safe tags name the head.
        let latest = try await rpc.call("eth_getBlockByNumber", ["latest", false])
        let finalized = try await rpc.call("eth_getBlockByNumber", ["finalized", false])
        #expect(try Self.number(finalized) >= Self.number(latest))
        #expect(try await rpc.call("eth_getBlockByNumber", [finalized["number"] ?? .null, false])["hash"] == finalized["hash"])

        // A transaction is included in a final block.
        let registry = SystemAddresses.identityRegistry
        let function = try #require(SystemContracts.registry.contract(at: registry)?.functions.first { $0.name == "registerIdentity" })
        let did = Keccak256.hash(Array("did:sankofa:qbft".utf8))
        let data = function.selector + (try ABI.encode([.fixedBytes(did.bytes), .string("ipfs://qbft"), .fixedBytes(did.bytes)],
                                                       as: function.inputs.map(\.type)))
        let tx = Transaction.Payload.dynamicFee(DynamicFeeTransaction(
            chainId: 2018, nonce: 0, maxPriorityFeePerGas: .zero, maxFeePerGas: .zero, gasLimit: 200_000, to: registry,
            value: .zero, data: data, accessList: [])).signed(with: Self.validator)
        #expect(try await rpc.call("eth_sendRawTransaction", [.string(Hex.encode(tx.encoded))]) == .string(tx.hash.hex))
        var receipt = JSON.null
        for _ in 0..<100 where receipt.isNull {
            receipt = try await rpc.call("eth_getTransactionReceipt", [.string(tx.hash.hex)])
            if receipt.isNull { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(receipt["status"] == "0x1")

        // Blocks chain by Besu's on-chain hash: each block's parentHash is its parent's hash.
        let one = try await rpc.call("eth_getBlockByNumber", ["0x1", false])
        let two = try await rpc.call("eth_getBlockByNumber", ["0x2", false])
        #expect(two["parentHash"] == one["hash"])

        // A clean stop, then the same data: the chain continues from its head.
        kill(node.processIdentifier, SIGINT)
        node.waitUntilExit()
        #expect(node.terminationStatus == 0)
        let stoppedAt = try Self.number(latest)
        node = try Self.start(arguments)
        try await Self.waitForBlock(stoppedAt + 2, rpc: rpc)
        #expect(try await rpc.call("eth_getBlockByNumber", ["0x1", false])["hash"] == one["hash"])
        kill(node.processIdentifier, SIGINT)
        node.waitUntilExit()
        #expect(node.terminationStatus == 0)
    }

    static func start(_ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(SankofaBinary.path))
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Waits (at most 20 s) until the head is at least `number`.
    static func waitForBlock(_ number: UInt64, rpc: RPCClient) async throws {
        for _ in 0..<200 {
            if let head = try? await rpc.call("eth_blockNumber"), let text = head.stringValue,
               let value = UInt64(text.dropFirst(2), radix: 16), value >= number { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw RPCTestError(description: "no block #\(number) within 20 s")
    }

    static func number(_ block: JSON) throws -> UInt64 {
        guard let text = block["number"]?.stringValue, let value = UInt64(text.dropFirst(2), radix: 16) else {
            throw RPCTestError(description: "block without a number")
        }
        return value
    }
}
