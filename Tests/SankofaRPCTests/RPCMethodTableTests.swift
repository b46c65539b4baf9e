import Foundation
import SankofaChain
import SankofaJSON
import SankofaPrimitives
import Testing
@testable import SankofaRPC

/// What a call must produce.
enum RPCOutcome: Sendable {
    case result(JSON)
    case error(RPCError)
    /// A fresh random id (filters and subscriptions): a 0x hex string too long to guess.
    case randomID
}

/// One registered method: a request that succeeds with an exact result, and one with bad params and its exact message.
struct RPCMethodCase: Sendable, CustomTestStringConvertible {
    let method: String
    /// Prepares the harness (filters, subscriptions, votes) and returns the params of the good request.
    let params: @Sendable (RPCHarness) async throws -> JSON
    let expected: @Sendable (RPCHarness) -> RPCOutcome
    let badParams: JSON
    /// The -32602 message for `badParams`.
    let badMessage: String

    var testDescription: String { method }

    init(_ method: String, params: @escaping @Sendable (RPCHarness) async throws -> JSON,
         expected: @escaping @Sendable (RPCHarness) -> RPCOutcome, bad: JSON, _ badMessage: String) {
        self.method = method
        self.params = params
        self.expected = expected
        badParams = bad
        self.badMessage = "invalid params: " + badMessage
    }

    /// Fixed params, fixed result.
    init(_ method: String, _ params: JSON, _ result: JSON, bad: JSON, _ badMessage: String) {
        self.init(method, params: { _ in params }, expected: { _ in .result(result) }, bad: bad, badMessage)
    }

    /// Fixed params, any outcome (e.g. a random id).
    init(_ method: String, _ params: JSON, _ outcome: RPCOutcome, bad: JSON, _ badMessage: String) {
        self.init(method, params: { _ in params }, expected: { _ in outcome }, bad: bad, badMessage)
    }

    /// A method without parameters: its only bad-params request is params that are not an array.
    init(noParams method: String, _ result: JSON) {
        self.init(method, [], result, bad: 5, "params must be an array")
    }

    init(noParams method: String, _ outcome: RPCOutcome) {
        self.init(method, [], outcome, bad: 5, "params must be an array")
    }
}

enum RPCMethodCases {
    /// One WebSocket-like connection shared by the cases that subscribe and unsubscribe.
    static let connection = RPCFakeNotifier()

    typealias F = RPCFixture
    typealias E = RPCExpected

    static let contract = JSON.string(E.contract)
    static let sender = E.sender
    /// A fresh transaction from the fixture key with the next nonce.
    static let tx3 = RPCFixture.transaction(nonce: 3, to: RPCFixture.recipient, value: 5, gas: 21_000, maxFee: 10, tip: 1)

    static let all: [RPCMethodCase] = eth + state + filters + subscriptions + others + perm

    static let eth: [RPCMethodCase] = [
        RPCMethodCase(noParams: "eth_chainId", "0x7e8"),
        RPCMethodCase(noParams: "eth_blockNumber", "0x2"),
        RPCMethodCase(noParams: "eth_syncing", false),
        RPCMethodCase(noParams: "eth_gasPrice", "0x3e8"),
        RPCMethodCase(noParams: "eth_maxPriorityFeePerGas", "0x0"),
        RPCMethodCase(noParams: "eth_accounts", []),
        RPCMethodCase("eth_feeHistory", ["0x2", "latest", [25, 75]],
                      RPCJSON.parse(#"{"oldestBlock":"0x1","baseFeePerGas":["0x7","0x7","0x7"],"gasUsedRatio":[0.0017,0.0007],"reward":[["0x0","0x0"],["0x0","0x0"]]}"#),
                      bad: ["0x0", "latest"], "block count must be ≥ 1"),
        RPCMethodCase("eth_getBlockByNumber", params: { _ in ["0x1", false] },
                      expected: { h in .result(E.block(h.fake.block(1), full: false, fields: [E.tx0, E.tx1])) },
                      bad: ["0x1", "yes"], "argument 1 must be true or false"),
        RPCMethodCase("eth_getBlockByHash", params: { h in [RPCJSON.hash(h.fake.block(1).hash), true] },
                      expected: { h in .result(E.block(h.fake.block(1), full: true, fields: [E.tx0, E.tx1])) },
                      bad: ["0x12", false], "argument 0: 0x12 is not a 32-byte hex hash"),
        RPCMethodCase("eth_getBlockTransactionCountByNumber", ["0x1"], "0x2", bad: ["0xzz"], "argument 0: 0xzz is not a hex quantity"),
        RPCMethodCase("eth_getBlockTransactionCountByHash", params: { h in [RPCJSON.hash(h.fake.block(2).hash)] },
                      expected: { _ in .result("0x1") }, bad: [5], "argument 0 must be a string"),
        RPCMethodCase("eth_getUncleCountByBlockNumber", ["0x1"], "0x0", bad: 5, "params must be an array"),
        RPCMethodCase("eth_getUncleCountByBlockHash", params: { h in [RPCJSON.hash(h.fake.block(1).hash)] },
                      expected: { _ in .result("0x0") }, bad: 5, "params must be an array"),
        RPCMethodCase("eth_getTransactionByHash", [RPCJSON.hash(RPCFixture.tx1.hash)], .null, bad: ["0x1234"],
                      "argument 0: 0x1234 is not a 32-byte hex hash")
            .expecting { h in E.transaction(E.tx1, block: h.fake.block(1), index: 1) },
        RPCMethodCase("eth_getTransactionByBlockNumberAndIndex", ["0x2", "0x0"], .null, bad: ["0x2"],
                      "missing value for required argument 1 (quantity)")
            .expecting { h in E.transaction(E.tx2, block: h.fake.block(2), index: 0) },
        RPCMethodCase("eth_getTransactionByBlockHashAndIndex", params: { h in [RPCJSON.hash(h.fake.block(1).hash), "0x0"] },
                      expected: { h in .result(E.transaction(E.tx0, block: h.fake.block(1), index: 0)) },
                      bad: [RPCJSON.hash(RPCFixture.tx0.hash), "0xg"], "argument 1: 0xg is not a hex quantity"),
        RPCMethodCase("eth_getTransactionReceipt", [RPCJSON.hash(RPCFixture.tx1.hash)], .null, bad: [],
                      "missing value for required argument 0 (string)")
            .expecting { h in E.receipt(block: h.fake.block(1), index: 1) },
        RPCMethodCase("eth_getBlockReceipts", ["0x1"], .null, bad: [["foo": 1]],
                      "argument 0: block object needs blockHash or blockNumber")
            .expecting { h in [E.receipt(block: h.fake.block(1), index: 0), E.receipt(block: h.fake.block(1), index: 1)] },
        RPCMethodCase("eth_sendRawTransaction", [RPCJSON.hex(tx3.encoded)], RPCJSON.hash(tx3.hash), bad: ["0xzz"],
                      "argument 0: 0xzz is not 0x-prefixed hex data"),
    ]

    static let state: [RPCMethodCase] = [
        RPCMethodCase("eth_getBalance", [sender, "latest"], "0xde0b6b3a7640000", bad: [sender, "newest"],
                      "argument 1: newest is not a hex quantity"),
        RPCMethodCase("eth_getTransactionCount", [sender, "pending"], "0x3", bad: [5], "argument 0 must be a string"),
        RPCMethodCase("eth_getCode", [contract, "latest"], "0xfe", bad: [contract, true], "argument 1 must be a hex quantity string"),
        RPCMethodCase("eth_getStorageAt", [contract, "0x0", "latest"], .string(E.word42), bad: [contract, "0xzz", "latest"],
                      "argument 1: 0xzz is not a storage key"),
        RPCMethodCase("eth_getProof", [contract, ["0x0"], "latest"], RPCJSON.parse("""
            {"address":"\(E.contract)","accountProof":["0xf85180","0xf86902"],"balance":"0x0",\
            "codeHash":"0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470","nonce":"0x0",\
            "storageHash":"\(Keccak256.hash(Array("contract storage".utf8)).hex)",\
            "storageProof":[{"key":"\(E.zeroHash)","value":"\(E.word42)","proof":["0xe2a0\(E.zeroHash.dropFirst(2))"]}]}
            """), bad: [contract, "0x0", "latest"], "argument 1 must be an array of storage keys"),
        RPCMethodCase("eth_call", [["to": contract, "data": "0xaabbccdd"], "latest"], .string(E.word42), bad: [["to": "0x12"]],
                      "to: 0x12 is not an address"),
        RPCMethodCase("eth_estimateGas", [["to": contract, "data": "0xaabbccdd000000"]], "0x65dc",
                      bad: [["to": contract, "gas": "0x"]], "gas: 0x is not a hex quantity"),
    ]

    static let filters: [RPCMethodCase] = [
        RPCMethodCase("eth_getLogs", [["fromBlock": "0x0", "toBlock": "latest", "address": contract]], .null,
                      bad: [["topics": [1]]], "topics must be 32-byte hashes")
            .expecting { h in .array(Array(E.block1Logs(h.fake.block(1))[0...1])) },
        RPCMethodCase("eth_newFilter", [["address": contract]], .randomID, bad: [["address": 5]],
                      "address must be an address or a list of addresses"),
        RPCMethodCase(noParams: "eth_newBlockFilter", .randomID),
        RPCMethodCase(noParams: "eth_newPendingTransactionFilter", .randomID),
        RPCMethodCase("eth_getFilterChanges", params: { h in
                          let id = try await h.result("eth_newBlockFilter")
                          h.fake.appendBlock()
                          return [id]
                      }, expected: { h in .result([RPCJSON.hash(h.fake.block(3).hash)]) },
                      bad: ["1001"], "argument 0: 1001 is not a hex quantity"),
        RPCMethodCase("eth_getFilterLogs", params: { h in
                          [try await h.result("eth_newFilter", [["fromBlock": "0x0", "address": .string(E.contract2)]])]
                      }, expected: { h in .result([E.block1Logs(h.fake.block(1))[2]]) },
                      bad: [], "missing value for required argument 0 (quantity)"),
        RPCMethodCase("eth_uninstallFilter", params: { h in [try await h.result("eth_newBlockFilter")] },
                      expected: { _ in .result(true) }, bad: [true], "argument 0 must be a hex quantity string"),
    ]

    static let subscriptions: [RPCMethodCase] = [
        RPCMethodCase("eth_subscribe", ["syncing"], .randomID, bad: ["newBlocks"],
                      "unknown subscription newBlocks (newHeads, logs, newPendingTransactions, syncing)"),
        RPCMethodCase("eth_unsubscribe", params: { h in
                          [try await h.result("eth_subscribe", ["syncing"], context: RPCCallContext(notifier: RPCMethodCases.connection))]
                      }, expected: { _ in .result(true) }, bad: [1], "argument 0 must be a string"),
    ]

    static let perm: [RPCMethodCase] = [
        RPCMethodCase(noParams: "perm_getNodesAllowlist", []),
        RPCMethodCase("perm_addNodesToAllowlist", [["enode://a"]], "Success", bad: [5], "argument 0 must be an array of strings"),
        RPCMethodCase("perm_removeNodesFromAllowlist", params: { h in
                          _ = try await h.result("perm_addNodesToAllowlist", [["enode://a"]])
                          return [["enode://a"]]
                      }, expected: { _ in .result("Success") }, bad: [[]], "argument 0 must not be empty"),
        RPCMethodCase(noParams: "perm_getAccountsAllowlist", []),
        RPCMethodCase("perm_addAccountsToAllowlist", [["0x00000000000000000000000000000000000000a1"]], "Success",
                      bad: [["0x12"]], "0x12 is not a 20-byte hex address"),
        RPCMethodCase("perm_removeAccountsFromAllowlist", [["0x00000000000000000000000000000000000000a1"]], "Success",
                      bad: [[5]], "argument 0 must be an array of strings"),
        RPCMethodCase(noParams: "perm_reloadPermissionsFromFile", "Success"),
    ]

    static let others: [RPCMethodCase] = [
        RPCMethodCase(noParams: "web3_clientVersion", "sankofa/v0.1.0-test/linux-x86_64/swift6"),
        RPCMethodCase("web3_sha3", ["0x68656c6c6f20776f726c64"], "0x47173285a8d7341e5e972fc677286384f802f8ef42a5ec5f03bbfa254cb01fad",
                      bad: ["0x123"], "argument 0: 0x123 is not 0x-prefixed hex data"),
        RPCMethodCase(noParams: "net_version", "2024"),
        RPCMethodCase(noParams: "net_listening", true),
        RPCMethodCase(noParams: "net_peerCount", "0x3"),
        RPCMethodCase(noParams: "net_enode", .error(.server("P2P has been disabled on this node"))),
        RPCMethodCase(noParams: "txpool_status", ["pending": "0x0", "queued": "0x0"]),
        RPCMethodCase(noParams: "txpool_content", ["pending": [:], "queued": [:]]),
        RPCMethodCase(noParams: "admin_nodeInfo", [
            "enode": .string("enode://" + String(repeating: "ab", count: 64) + "@127.0.0.1:30303"),
            "name": "sankofa/v0.1.0-test/linux-x86_64/swift6", "protocols": [:],
        ]),
        RPCMethodCase(noParams: "admin_peers", []),
        RPCMethodCase("admin_addPeer", params: { _ in ["enode://ab@10.0.0.2:30303"] },
                      expected: { _ in .error(.server("peer-to-peer networking is not available yet")) },
                      bad: [], "missing value for required argument 0 (string)"),
        RPCMethodCase("admin_removePeer", params: { _ in ["enode://ab@10.0.0.2:30303"] },
                      expected: { _ in .error(.server("peer-to-peer networking is not available yet")) },
                      bad: [false], "argument 0 must be a string"),
        RPCMethodCase("clique_getSigners", ["latest"], [.string(RPCFixture.signerA.hex), .string(RPCFixture.signerB.hex)],
                      bad: ["0xzz"], "argument 0: 0xzz is not a hex quantity"),
        RPCMethodCase("clique_getSignersAtHash", params: { h in [RPCJSON.hash(h.fake.block(0).hash)] },
                      expected: { _ in .result(["0x00000000000000000000000000000000000000a1"]) },
                      bad: ["0x12"], "argument 0: 0x12 is not a 32-byte hex hash"),
        RPCMethodCase("clique_propose", [RPCJSON.address(RPCFixture.signerB), false], true, bad: [RPCJSON.address(RPCFixture.signerB)],
                      "argument 1 must be true (add) or false (remove)"),
        RPCMethodCase("clique_discard", [RPCJSON.address(RPCFixture.signerB)], true, bad: ["0x12"],
                      "argument 0: 0x12 is not a 20-byte hex address"),
        RPCMethodCase("clique_proposals", params: { h in
                          _ = try await h.result("clique_propose", ["0x00000000000000000000000000000000000000c3", true])
                          return []
                      }, expected: { _ in .result(["0x00000000000000000000000000000000000000c3": true]) },
                      bad: 5, "params must be an array"),
        RPCMethodCase("sankofa_nodeInfo", params: { _ in [] }, expected: { h in
            let head: JSON = ["number": "0x2", "hash": RPCJSON.hash(h.fake.block(2).hash)]
            return .result([
                "clientVersion": "sankofa/v0.1.0-test/linux-x86_64/swift6", "mode": "validator", "tier": "core",
                "chainId": "0x7e8", "consensus": "clique", "head": head, "finalized": head, "peers": "0x3",
                "enode": .string("enode://" + String(repeating: "ab", count: 64) + "@127.0.0.1:30303"),
            ])
        }, bad: 5, "params must be an array"),
    ]
}

extension RPCMethodCase {
    /// The same case with a result computed from the harness (for results holding block hashes).
    func expecting(_ result: @escaping @Sendable (RPCHarness) -> JSON) -> RPCMethodCase {
        RPCMethodCase(method, params: params, expected: { h in .result(result(h)) }, bad: badParams,
                      String(badMessage.dropFirst("invalid params: ".count)))
    }
}

/// Every registered method has a good and a bad request, run through the dispatcher with exact expectations.
@Suite("RPC method table")
struct RPCMethodTableTests {
    @Test func everyRegisteredMethodHasACase() {
        let registered = RPCHarness().table.methodNames
        let covered = RPCMethodCases.all.map(\.method)
        for method in registered where !covered.contains(method) {
            Issue.record("no test case for \(method)")
        }
        for method in covered where !registered.contains(method) {
            Issue.record("test case for unregistered method \(method)")
        }
        #expect(Set(covered).count == covered.count, "duplicate cases")
        #expect(registered.count == 60)
    }

    @Test(arguments: RPCMethodCases.all)
    func succeeds(_ testCase: RPCMethodCase) async throws {
        let rpc = RPCHarness()
        let context = RPCCallContext(notifier: RPCMethodCases.connection)
        let params = try await testCase.params(rpc)
        let response = try await rpc.send(testCase.method, params, id: "good", context: context)
        #expect(response["jsonrpc"] == "2.0")
        #expect(response["id"] == "good")
        switch testCase.expected(rpc) {
        case .result(let expected):
            #expect(response["error"] == nil)
            #expect(response["result"] == expected)
        case .error(let expected):
            #expect(response["result"] == nil)
            #expect(try RPCHarness.decodeError(response) == expected)
        case .randomID:
            #expect(response["error"] == nil)
            let id = response["result"]?.stringValue ?? ""
            #expect(id.hasPrefix("0x") && id.count > 10 && id.dropFirst(2).allSatisfy(\.isHexDigit), "\(id)")
        }
    }

    @Test(arguments: RPCMethodCases.all)
    func rejectsBadParams(_ testCase: RPCMethodCase) async throws {
        let rpc = RPCHarness()
        let context = RPCCallContext(notifier: RPCFakeNotifier())
        let response = try await rpc.send(testCase.method, testCase.badParams, id: "bad", context: context)
        #expect(response["id"] == "bad")
        #expect(response["result"] == nil)
        #expect(try RPCHarness.decodeError(response) == RPCError(code: -32602, message: testCase.badMessage))
    }
}
