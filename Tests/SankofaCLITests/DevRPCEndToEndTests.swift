import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import SankofaChain
import SankofaContracts
import SankofaCrypto
import SankofaJSON
import SankofaPrimitives
import SankofaRPC
import SankofaState
import SankofaTestSupport
import SankofaTrie
import Testing

/// The real `sankofa dev` binary on free ports, driven as a dApp would over JSON-RPC: raw signed transactions to
/// system contracts, receipts, logs by filter and by WebSocket subscription, a proof checked against the block's
/// state root, a revert's code and data, and the health endpoint.
@Suite("sankofa dev over JSON-RPC", .enabled(if: SankofaBinary.available))
struct DevRPCEndToEndTests {
    static let user = try! PrivateKey(hex: "0xae6ae8e5ccbfb04590405997ee2d52d2b330726137b875053c36d94e974d162f")

    @Test func transactionsReceiptsLogsSubscriptionsAndProofs() async throws {
        let (httpPort, wsPort) = (try Self.freePort(), try Self.freePort())
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sankofa-e2e-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let node = Process()
        node.executableURL = URL(fileURLWithPath: try #require(SankofaBinary.path))
        node.arguments = ["dev", "--data-path", path, "--rpc-http-port", String(httpPort), "--rpc-ws-port", String(wsPort)]
        node.standardOutput = Pipe()
        node.standardError = Pipe()
        try node.run()
        defer { if node.isRunning { kill(node.processIdentifier, SIGKILL) } }
        let rpc = RPCClient(port: httpPort)

        // Ready: the dev chain needs no peers.
        var ready = false
        for _ in 0..<100 where !ready {
            ready = (try? await rpc.status("/readiness")) == 200
            if !ready { try await Task.sleep(for: .milliseconds(50)) }
        }
        #expect(ready)
        #expect(try await rpc.call("eth_chainId") == .string("0x539"))

        let registry = SystemAddresses.identityRegistry
        let socket = try WebSocketTestClient(port: wsPort)
        let subscription = try socket.request(#"{"jsonrpc":"2.0","id":1,"method":"eth_subscribe","params":["logs",{"address":"\#(registry.hex)"}]}"#)
        let subscriptionID = try #require(subscription["result"]?.stringValue)
        let filterID = try await rpc.call("eth_newFilter", [.object(JSONObject([("address", .string(registry.hex))]))])

        // A raw signed transaction calling IdentityRegistry.registerIdentity.
        let function = try #require(SystemContracts.registry.contract(at: registry)?.functions.first { $0.name == "registerIdentity" })
        let did = Keccak256.hash(Array("did:sankofa:e2e".utf8))
        let data = function.selector + (try ABI.encode([.fixedBytes(did.bytes), .string("ipfs://e2e"), .fixedBytes(did.bytes)],
                                                       as: function.inputs.map(\.type)))
        let tx = Transaction.Payload.dynamicFee(DynamicFeeTransaction(
            chainId: 1337, nonce: 0, maxPriorityFeePerGas: .zero, maxFeePerGas: .zero, gasLimit: 200_000, to: registry,
            value: .zero, data: data, accessList: [])).signed(with: Self.user)
        #expect(try await rpc.call("eth_sendRawTransaction", [.string(Hex.encode(tx.encoded))]) == .string(tx.hash.hex))

        var receipt: JSON = .null
        for _ in 0..<100 where receipt.isNull {
            receipt = try await rpc.call("eth_getTransactionReceipt", [.string(tx.hash.hex)])
            if receipt.isNull { try await Task.sleep(for: .milliseconds(20)) }
        }
        #expect(receipt["status"] == .string("0x1"))
        let topic = IdentityRegistry.identityRegistered.topic.hex
        #expect(receipt["logs"]?[0]?["topics"]?[0] == .string(topic))
        let blockNumber = try #require(receipt["blockNumber"])

        // The same log by filter and by subscription.
        let changes = try await rpc.call("eth_getFilterChanges", [filterID])
        #expect(changes[0]?["transactionHash"] == .string(tx.hash.hex))
        let notification = try socket.next()
        #expect(notification["method"] == .string("eth_subscription"))
        #expect(notification["params"]?["subscription"] == .string(subscriptionID))
        #expect(notification["params"]?["result"]?["transactionHash"] == .string(tx.hash.hex))

        // eth_getProof verifies against the block's state root alone.
        let block = try await rpc.call("eth_getBlockByNumber", [blockNumber, .bool(false)])
        let stateRoot = try Hash32(hex: try #require(block["stateRoot"]?.stringValue))
        let proof = try await rpc.call("eth_getProof", [.string(registry.hex), .array([]), blockNumber])
        func number(_ key: String) throws -> UInt256 {
            let text = try #require(proof[key]?.stringValue)
            return try #require(UInt256(hex: text))
        }
        let account = Account(nonce: try #require(try number("nonce").asUInt64),
                              balance: try number("balance"),
                              storageRoot: try Hash32(hex: try #require(proof["storageHash"]?.stringValue)),
                              codeHash: try Hash32(hex: try #require(proof["codeHash"]?.stringValue)))
        let nodes = try #require(proof["accountProof"]?.arrayValue).map { fixtureBytes($0.stringValue ?? "") }
        #expect(try SecureTrie.verifyProof(root: stateRoot, key: registry.bytes, proof: nodes) == account.rlpEncoded)
        #expect(account.storageRoot != MerklePatriciaTrie.emptyRoot)

        // A reverting eth_call: code 3, the reason, and the ABI revert data.
        let grant = try #require(SystemContracts.registry.contract(at: registry)?.functions.first { $0.name == "grantRole" })
        let grantData = grant.selector + (try ABI.encode([.fixedBytes(Roles.operator.bytes), .address(Self.user.address)],
                                                         as: grant.inputs.map(\.type)))
        let error = try await rpc.error("eth_call", [.object(JSONObject([("from", .string(Self.user.address.hex)), ("to", .string(registry.hex)),
                                                                           ("data", .string(Hex.encode(grantData)))])), .string("latest")])
        #expect(error["code"] == .number(JSONNumber(3)))
        #expect(error["message"]?.stringValue?.contains("lacks role ADMIN") == true)
        #expect(error["data"]?.stringValue?.hasPrefix("0x08c379a0") == true)

        socket.close()
        kill(node.processIdentifier, SIGINT)
        node.waitUntilExit()
        #expect(node.terminationStatus == 0)
    }

    /// Ports already handed to a test in this process: the OS may give a just-closed port out again at once, and two
    /// nodes (or one node's P2P and RPC) told the same port fail to start.
    private static let handedOut = Locked<Set<Int>>([])

    /// A port that was free a moment ago and that no other caller in this process has been given.
    static func freePort() throws -> Int {
        while true {
            let port = try unusedPort()
            if handedOut.withLock({ $0.insert(port).inserted }) { return port }
        }
    }

    private static func unusedPort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { Glibc.close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
