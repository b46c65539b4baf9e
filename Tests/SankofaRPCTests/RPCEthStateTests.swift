import Foundation
import SankofaChain
import SankofaContracts
import SankofaJSON
import SankofaPrimitives
import Testing
@testable import SankofaRPC

/// Accounts, storage, proofs, simulated calls, gas estimates and submission.
@Suite("RPC eth state, calls, submission")
struct RPCEthStateTests {
    let rpc = RPCHarness()
    typealias E = RPCExpected
    let sender = RPCExpected.sender
    let contract = JSON.string(RPCExpected.contract)

    // MARK: Accounts

    @Test func balanceAtEachBlock() async throws {
        #expect(try await rpc.result("eth_getBalance", [sender, "latest"]) == "0xde0b6b3a7640000")
        #expect(try await rpc.result("eth_getBalance", [sender]) == "0xde0b6b3a7640000")
        #expect(try await rpc.result("eth_getBalance", [sender, "0x0"]) == "0x1bc16d674ec80000")
        #expect(try await rpc.result("eth_getBalance", [sender, "earliest"]) == "0x1bc16d674ec80000")
        #expect(try await rpc.result("eth_getBalance", [sender, "0x1"]) == "0x1bc16d674ec7fc18")
        #expect(try await rpc.result("eth_getBalance", [sender, ["blockHash": RPCJSON.hash(rpc.fake.block(0).hash)]]) ==
            "0x1bc16d674ec80000")
        // An untouched account reads as zero, not null.
        #expect(try await rpc.result("eth_getBalance", [.string(E.recipient), "latest"]) == "0x0")
    }

    @Test func stateReadsOnUnknownBlocksAreErrors() async throws {
        let notFound = RPCError(code: -32000, message: "header not found")
        #expect(try await rpc.error("eth_getBalance", [sender, "0x3"]) == notFound)
        #expect(try await rpc.error("eth_getTransactionCount", [sender, "0x3"]) == notFound)
        #expect(try await rpc.error("eth_getCode", [contract, "0x3"]) == notFound)
        #expect(try await rpc.error("eth_getStorageAt", [contract, "0x0", "0x3"]) == notFound)
        #expect(try await rpc.error("eth_getProof", [contract, [], "0x3"]) == notFound)
        #expect(try await rpc.error("eth_call", [["to": contract, "data": "0xaabbccdd"], "0x3"]) == notFound)
        #expect(try await rpc.error("eth_estimateGas", [["to": contract, "data": "0xaabbccdd"], "0x3"]) == notFound)
        #expect(try await rpc.error("eth_getBalance", [sender, ["blockHash": .string(E.zeroHash)]]) == notFound)
    }

    @Test func transactionCount() async throws {
        #expect(try await rpc.result("eth_getTransactionCount", [sender, "latest"]) == "0x3")
        #expect(try await rpc.result("eth_getTransactionCount", [sender, "0x0"]) == "0x0")
        #expect(try await rpc.result("eth_getTransactionCount", [sender, "0x1"]) == "0x2")
        #expect(try await rpc.result("eth_getTransactionCount", [.string(E.recipient), "latest"]) == "0x0")
    }

    @Test func pendingTransactionCountAsksThePool() async throws {
        #expect(try await rpc.result("eth_getTransactionCount", [sender, "pending"]) == "0x3")
        _ = try await rpc.result("eth_sendRawTransaction", [RPCJSON.hex(RPCMethodCases.tx3.encoded)])
        #expect(try await rpc.result("eth_getTransactionCount", [sender, "pending"]) == "0x4")
        #expect(try await rpc.result("eth_getTransactionCount", [sender, "latest"]) == "0x3")
        #expect(await rpc.fake.nextNonce(RPCFixture.sender) == 4)
    }

    @Test func code() async throws {
        #expect(try await rpc.result("eth_getCode", [contract, "latest"]) == "0xfe")
        #expect(try await rpc.result("eth_getCode", [.string(E.contract2)]) == "0xfe")
        #expect(try await rpc.result("eth_getCode", [.string(E.recipient), "latest"]) == "0x")
        #expect(try await rpc.result("eth_getCode", [sender, "0x0"]) == "0x")
    }

    // MARK: Storage

    @Test func storageIsLeftPaddedToAWord() async throws {
        #expect(try await rpc.result("eth_getStorageAt", [contract, "0x0", "latest"]) == .string(E.word42))
        #expect(try await rpc.result("eth_getStorageAt", [contract, "0x00", "latest"]) == .string(E.word42))
        #expect(try await rpc.result("eth_getStorageAt", [contract, .string(E.zeroHash), "latest"]) == .string(E.word42))
        // An unset slot is a zero word.
        #expect(try await rpc.result("eth_getStorageAt", [contract, "0x2", "latest"]) == .string(E.zeroHash))
        // At genesis the contract had nothing.
        #expect(try await rpc.result("eth_getStorageAt", [contract, "0x0", "0x0"]) == .string(E.zeroHash))
        // The block defaults to latest.
        #expect(try await rpc.result("eth_getStorageAt", [contract, "0x0"]) == .string(E.word42))
    }

    @Test func longerSystemContractRecordsAreReturnedWhole() async throws {
        #expect(try await rpc.result("eth_getStorageAt", [contract, "0x1", "latest"]) ==
            .string("0x" + String(repeating: "11", count: 40)))
        let key = "0x" + String(repeating: "0", count: 63) + "1"
        #expect(try await rpc.result("eth_getStorageAt", [contract, .string(key), "latest"]) ==
            .string("0x" + String(repeating: "11", count: 40)))
    }

    @Test func badStorageKeys() async throws {
        let long = "0x1" + String(repeating: "0", count: 64)
        #expect(try await rpc.error("eth_getStorageAt", [contract, .string(long), "latest"]) ==
            RPCError.invalidParams("argument 1: \(long) is not a storage key"))
        #expect(try await rpc.error("eth_getStorageAt", [contract]) ==
            RPCError.invalidParams("missing value for required argument 1 (string)"))
        #expect(try await rpc.error("eth_getStorageAt", ["0x12", "0x0"]) ==
            RPCError.invalidParams("argument 0: 0x12 is not a 20-byte hex address"))
    }

    // MARK: Proofs

    @Test func proofShape() async throws {
        let result = try await rpc.result("eth_getProof", [contract, ["0x1", "0x0", "0x5"], "latest"])
        let object = try #require(result.objectValue)
        #expect(object.keys == ["address", "accountProof", "balance", "codeHash", "nonce", "storageHash", "storageProof"])
        #expect(result["address"] == contract)
        #expect(result["accountProof"] == ["0xf85180", "0xf86902"])
        #expect(result["storageHash"] == RPCJSON.hash(Keccak256.hash(Array("contract storage".utf8))))
        let slots = try #require(result["storageProof"]?.arrayValue)
        #expect(slots.count == 3)
        // Keys are padded to 32 bytes and kept in request order.
        #expect(slots.map { $0["key"] } == [
            .string("0x" + String(repeating: "0", count: 63) + "1"), .string(E.zeroHash),
            .string("0x" + String(repeating: "0", count: 63) + "5"),
        ])
        #expect(slots[0]["value"] == .string("0x" + String(repeating: "11", count: 40)))
        #expect(slots[1]["value"] == .string(E.word42))
        #expect(slots[2]["value"] == .string(E.zeroHash))
        #expect(slots[1].objectValue?.keys == ["key", "value", "proof"])
        #expect(slots[1]["proof"] == [.string("0xe2a0" + String(repeating: "0", count: 64))])
    }

    @Test func proofOfAnAccountAtAnOlderBlock() async throws {
        let result = try await rpc.result("eth_getProof", [sender, [], "0x0"])
        #expect(result == [
            "address": sender, "accountProof": ["0xf85180", "0xf86900"], "balance": "0x1bc16d674ec80000",
            "codeHash": "0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470", "nonce": "0x0",
            "storageHash": .string(E.emptyTrieRoot), "storageProof": [],
        ])
    }

    @Test func badProofParams() async throws {
        #expect(try await rpc.error("eth_getProof", [contract]) ==
            RPCError.invalidParams("argument 1 must be an array of storage keys"))
        #expect(try await rpc.error("eth_getProof", [contract, [1], "latest"]) ==
            RPCError.invalidParams("storage key 0 must be a hex string"))
        #expect(try await rpc.error("eth_getProof", [contract, ["0x0", "0xq"], "latest"]) ==
            RPCError.invalidParams("argument 1: 0xq is not a storage key"))
    }

    // MARK: eth_call

    @Test func callReturnsTheOutput() async throws {
        #expect(try await rpc.result("eth_call", [["to": contract, "data": "0xaabbccdd"], "latest"]) == .string(E.word42))
        #expect(try await rpc.result("eth_call", [["to": contract, "input": "0xaabbccdd"]]) == .string(E.word42))
        // Calls to plain accounts succeed with no output.
        #expect(try await rpc.result("eth_call", [["to": .string(E.recipient)]]) == "0x")
    }

    @Test func callRequestIsParsed() async throws {
        _ = try await rpc.result("eth_call", [[
            "from": sender, "to": contract, "gas": "0x7530", "value": "0x0",
            "input": "0xaabbccdd01", "data": "0xdeadbeef",
        ], "0x1"])
        let (request, block) = try #require(rpc.fake.lastCall.current)
        #expect(request.from == RPCFixture.sender)
        #expect(request.to == RPCFixture.contract)
        #expect(request.gas == 30_000)
        #expect(request.value == .zero)
        #expect(request.data == [0xaa, 0xbb, 0xcc, 0xdd, 0x01])  // "input" wins over "data"
        #expect(block == 1)
        _ = try await rpc.result("eth_call", [["to": contract, "data": "0xaabbccdd"]])
        let (defaults, latest) = try #require(rpc.fake.lastCall.current)
        #expect(defaults.from == .zero)
        #expect(defaults.gas == nil)
        #expect(latest == 2)
    }

    @Test func revertIsCode3WithReasonAndData() async throws {
        let error = try await rpc.error("eth_call", [["to": contract, "data": "0xdeadbeef"], "latest"])
        #expect(error.code == 3)
        #expect(error.message == "execution reverted: not authorized")
        #expect(error.data == .string(E.revertData))
        #expect(error.data == RPCJSON.hex(ABI.encodeRevert("not authorized")))
    }

    @Test func revertWithoutAReasonString() async throws {
        #expect(try await rpc.error("eth_call", [["to": contract, "data": "0xc0ffee00"]]) ==
            RPCError(code: 3, message: "execution reverted", data: "0x12345678"))
    }

    @Test func outOfGasIsAServerError() async throws {
        let error = try await rpc.error("eth_call", [["to": contract, "data": "0x0badf00d", "gas": "0x5208"]])
        #expect(error == RPCError(code: -32000, message: "out of gas"))
        #expect(error.data == nil)
    }

    @Test func badCallObjects() async throws {
        #expect(try await rpc.error("eth_call", []) == RPCError.invalidParams("missing value for required argument 0 (object)"))
        #expect(try await rpc.error("eth_call", ["0x12"]) == RPCError.invalidParams("argument 0 must be an object"))
        #expect(try await rpc.error("eth_call", [["from": "nobody", "to": contract]]) ==
            RPCError.invalidParams("from: nobody is not an address"))
        #expect(try await rpc.error("eth_call", [["to": contract, "data": "0xabc"]]) == RPCError.invalidParams("input: not hex data"))
        #expect(try await rpc.error("eth_call", [["to": contract, "value": "ten"]]) ==
            RPCError.invalidParams("value: ten is not a hex quantity"))
    }

    // MARK: eth_estimateGas

    @Test func estimateIsIntrinsicPlusCalldataPlusContractGas() async throws {
        // 21 000 + 4 non-zero bytes × 16 + 3 zero bytes × 4 + 5 000 contract gas = 26 076.
        #expect(try await rpc.result("eth_estimateGas", [["to": contract, "data": "0xaabbccdd000000"]]) == "0x65dc")
        // A plain transfer: 21 000.
        #expect(try await rpc.result("eth_estimateGas", [["to": .string(E.recipient), "value": "0x1"]]) == "0x5208")
        // 21 000 + 4 + 16 = 21 020.
        #expect(try await rpc.result("eth_estimateGas", [["to": .string(E.recipient), "data": "0x0001"], "latest"]) == "0x521c")
    }

    @Test func estimateFailures() async throws {
        #expect(try await rpc.error("eth_estimateGas", [["to": contract, "data": "0xdeadbeef"]]) ==
            RPCError(code: 3, message: "execution reverted: not authorized", data: .string(E.revertData)))
        #expect(try await rpc.error("eth_estimateGas", [["to": contract, "data": "0x0badf00d"]]) ==
            RPCError(code: -32000, message: "out of gas"))
        #expect(try await rpc.error("eth_estimateGas", [["from": sender, "data": "0x6080"]]) ==
            RPCError(code: -32000, message: "contract creation is not supported: Sankofa runs native system contracts, there is no EVM"))
    }

    // MARK: eth_sendRawTransaction

    @Test func submissionReturnsTheHashAndFillsThePool() async throws {
        let tx3 = RPCMethodCases.tx3
        #expect(try await rpc.result("eth_sendRawTransaction", [RPCJSON.hex(tx3.encoded)]) == RPCJSON.hash(tx3.hash))
        #expect(try await rpc.result("txpool_status") == ["pending": "0x1", "queued": "0x0"])
        #expect(await rpc.fake.pendingTransaction(tx3.hash)?.sender == RPCFixture.sender)
    }

    @Test func poolRejectionsAreServerErrorsWithThePoolsMessage() async throws {
        let tx3 = RPCMethodCases.tx3
        _ = try await rpc.result("eth_sendRawTransaction", [RPCJSON.hex(tx3.encoded)])
        #expect(try await rpc.error("eth_sendRawTransaction", [RPCJSON.hex(tx3.encoded)]) ==
            RPCError(code: -32000, message: "already known"))
        let stale = RPCFixture.transaction(nonce: 1, to: RPCFixture.recipient, value: 9, gas: 21_000, maxFee: 10, tip: 1)
        #expect(try await rpc.error("eth_sendRawTransaction", [RPCJSON.hex(stale.encoded)]) ==
            RPCError(code: -32000, message: "nonce too low"))
        let otherChain = RPCFixture.transaction(nonce: 4, to: RPCFixture.recipient, gas: 21_000, maxFee: 10, tip: 1, chainId: 1)
        #expect(try await rpc.error("eth_sendRawTransaction", [RPCJSON.hex(otherChain.encoded)]) ==
            RPCError(code: -32000, message: "invalid chain id"))
    }

    /// Issue 18: bare hex was decoded as if prefixed; geth requires the `0x`.
    @Test func rawTransactionsNeedTheHexPrefix() async throws {
        let bare = RPCJSON.hex(RPCMethodCases.tx3.encoded).stringValue?.dropFirst(2) ?? ""
        let error = try await rpc.error("eth_sendRawTransaction", [.string(String(bare))])
        #expect(error.code == -32602)
        #expect(error.message.contains("is not 0x-prefixed hex data"))
        #expect(try await rpc.result("txpool_status") == ["pending": "0x0", "queued": "0x0"])
    }

    @Test func undecodableTransactionsAreServerErrors() async throws {
        #expect(try await rpc.error("eth_sendRawTransaction", ["0x1234"]) ==
            RPCError(code: -32000, message: "unsupported transaction type 0x12 (supported: legacy, 0x01, 0x02)"))
        #expect(try await rpc.error("eth_sendRawTransaction", ["0x"]) == RPCError(code: -32000, message: "empty transaction bytes"))
        #expect(try await rpc.error("eth_sendRawTransaction", []) ==
            RPCError.invalidParams("missing value for required argument 0 (string)"))
    }

    @Test func poolContentInGethShape() async throws {
        let tx3 = RPCMethodCases.tx3
        let gapped = RPCFixture.transaction(nonce: 5, to: RPCFixture.recipient, gas: 21_000, maxFee: 9, tip: 1)
        _ = try await rpc.result("eth_sendRawTransaction", [RPCJSON.hex(tx3.encoded)])
        _ = try await rpc.result("eth_sendRawTransaction", [RPCJSON.hex(gapped.encoded)])
        #expect(try await rpc.result("txpool_status") == ["pending": "0x1", "queued": "0x1"])
        let pending3 = E.transaction(E.TxFields(tx: tx3, gas: "0x5208", minedGasPrice: "-", maxFee: "0xa", tip: "0x1", input: "0x",
                                                nonce: "0x3", to: E.recipient, value: "0x5", accessList: []), block: nil, index: nil)
        let queued5 = E.transaction(E.TxFields(tx: gapped, gas: "0x5208", minedGasPrice: "-", maxFee: "0x9", tip: "0x1", input: "0x",
                                               nonce: "0x5", to: E.recipient, value: "0x0", accessList: []), block: nil, index: nil)
        // Senders are checksummed, nonces decimal (geth).
        let owner = RPCFixture.sender.checksummed
        #expect(owner != RPCFixture.sender.hex)
        #expect(try await rpc.result("txpool_content") == [
            "pending": .object(JSONObject([(owner, JSON.object(["3": pending3]))])),
            "queued": .object(JSONObject([(owner, JSON.object(["5": queued5]))])),
        ])
    }
}
