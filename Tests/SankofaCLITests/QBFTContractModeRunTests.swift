import Foundation
import SankofaChain
import SankofaContracts
import SankofaCrypto
import SankofaJSON
import SankofaPrimitives
import SankofaTestSupport
import Testing

/// QBFT contract mode from outside: `genesis new --validator-contract`, then one real `sankofa run` validator whose
/// board (`--admin`) adds a second validator through Governance (propose, vote, execute action 1) with
/// `eth_sendRawTransaction`. From the next height the new list is in force: its quorum (2 of 2) cannot be met by
/// the one running validator, so the chain waits, as any QBFT network that lost quorum does.
@Suite("sankofa run: QBFT validators from Governance", .enabled(if: SankofaBinary.available))
struct QBFTContractModeRunTests {
    static let validator = QBFTRunTests.validator
    static let added = Address(low: 0xB0B)
    static let chainId: UInt64 = 2018

    static func governance(_ function: String, _ arguments: [ABIValue], nonce: UInt64) throws -> Transaction {
        let definition = try #require(Governance().functions.first { $0.name == function })
        let data = definition.selector + (try ABI.encode(arguments, as: definition.inputs.map(\.type)))
        return Transaction.Payload.dynamicFee(DynamicFeeTransaction(
            chainId: chainId, nonce: nonce, maxPriorityFeePerGas: .zero, maxFeePerGas: .zero, gasLimit: 500_000,
            to: SystemAddresses.governance, value: .zero, data: data, accessList: [])).signed(with: validator)
    }

    static func receipt(_ hash: Hash32, rpc: RPCClient) async throws -> JSON {
        for _ in 0..<150 {
            let receipt = try await rpc.call("eth_getTransactionReceipt", [.string(hash.hex)])
            if !receipt.isNull { return receipt }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw RPCTestError(description: "no receipt for \(hash.hex) within 15 s")
    }

    @Test func governanceActionOneAddsAValidator() async throws {
        let (directory, keyPath, genesisPath) = try QBFTRunTests.singleValidatorChain("sankofa-qbft-gov", chainId: Self.chainId,
                                                                                      flags: ["--validator-contract"])
        defer { try? FileManager.default.removeItem(at: directory) }
        let address = Self.validator.address.checksummed
        let written = try JSONParser.parse(Array(try Data(contentsOf: URL(fileURLWithPath: genesisPath))))
        #expect(written["config"]?["qbft"]?["validatorcontractaddress"]?.stringValue == SystemAddresses.governance.hex)
        let clique = try SankofaBinary.run(["genesis", "new", "--consensus", "clique", "--chain-id", "1",
                                            "--validator", address, "--validator-contract"])
        #expect(clique.status != 0 && clique.stderr.contains("--validator-contract"), "\(clique.stderr)")

        let port = try DevRPCEndToEndTests.freePort()
        let node = try QBFTRunTests.start([
            "run", "--genesis-file", genesisPath, "--data-path", directory.appendingPathComponent("data").path,
            "--node-private-key-file", keyPath, "--rpc-http-enabled", "--rpc-http-port", String(port),
            "--rpc-http-api", "ETH,NET,QBFT,SANKOFA", "--p2p-port", "0"])
        defer { if node.isRunning { kill(node.processIdentifier, SIGKILL) } }
        let rpc = RPCClient(port: port)
        try await QBFTRunTests.waitForBlock(1, rpc: rpc)
        let alone = [JSON.string(Self.validator.address.hex)]
        #expect(try await rpc.call("qbft_getValidatorsByBlockNumber", ["latest"]) == .array(alone))

        // Header votes are not how this network changes validators.
        let refused = try await rpc.error("qbft_proposeValidatorVote", [.string(Self.added.hex), true])
        #expect(refused["message"]?.stringValue?.contains("Governance contract") == true, "\(JSONWriter.string(refused))")

        let payload = try ABI.encode([.address(Self.added)], as: [.address])
        let transactions = [
            try Self.governance("propose", [.uint(UInt256(1)), .bytes(payload), .string("add a validator")], nonce: 0),
            try Self.governance("vote", [.uint(UInt256(1)), .bool(true)], nonce: 1),
            try Self.governance("execute", [.uint(UInt256(1))], nonce: 2),
        ]
        for tx in transactions {
            #expect(try await rpc.call("eth_sendRawTransaction", [.string(Hex.encode(tx.encoded))]) == .string(tx.hash.hex))
        }
        for tx in transactions {
            #expect(try await Self.receipt(tx.hash, rpc: rpc)["status"] == "0x1")
        }
        let executed = try await Self.receipt(transactions[2].hash, rpc: rpc)
        let both = [Self.validator.address, Self.added].sorted().map { JSON.string($0.hex) }
        #expect(try await rpc.call("qbft_getValidatorsByBlockNumber", ["latest"]) == .array(both))
        #expect(try await rpc.call("qbft_getValidatorsByBlockNumber", [executed["blockNumber"] ?? .null]) == .array(both))

        // Two of two must now commit, and only one runs: no block follows the one that executed the proposal.
        try await Task.sleep(for: .seconds(3))
        #expect(try await rpc.call("eth_blockNumber") == executed["blockNumber"])

        kill(node.processIdentifier, SIGINT)
        node.waitUntilExit()
        #expect(node.terminationStatus == 0)
    }
}
