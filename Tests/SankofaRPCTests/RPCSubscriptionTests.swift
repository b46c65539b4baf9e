import Foundation
import SankofaChain
import SankofaJSON
import SankofaPrimitives
import Testing
@testable import SankofaRPC

/// eth_subscribe / eth_unsubscribe with a recording notifier standing in for a WebSocket connection.
@Suite("RPC subscriptions")
struct RPCSubscriptionTests {
    let rpc = RPCHarness()
    let notifier = RPCFakeNotifier()
    var context: RPCCallContext { RPCCallContext(notifier: notifier) }
    typealias E = RPCExpected
    typealias F = RPCFixture

    func subscribe(_ params: JSON) async throws -> JSON {
        try await rpc.result("eth_subscribe", params, context: context)
    }

    /// Subscribes to chain updates and waits until the subscription's task is listening to the backend.
    func subscribeToChain(_ params: JSON) async throws -> JSON {
        let before = rpc.fake.updateSubscribers
        let id = try await subscribe(params)
        #expect(await rpcEventually { rpc.fake.updateSubscribers == before + 1 }, "the subscription never listened to updates()")
        return id
    }

    func waitForMessages(_ count: Int) async -> [JSON] {
        _ = await rpcEventually { notifier.received.count >= count }
        return notifier.received
    }

    func notification(_ id: JSON, _ result: JSON) -> JSON {
        ["jsonrpc": "2.0", "method": "eth_subscription", "params": ["subscription": id, "result": result]]
    }

    /// newHeads' header: the block JSON without transactions, uncles and size.
    func head(_ block: Block) -> JSON {
        guard case .object(let full) = E.block(block, full: false, fields: []) else { return .null }
        return .object(JSONObject(full.filter { !["transactions", "uncles", "size"].contains($0.key) }.map { ($0.key, $0.value) }))
    }

    // MARK: Availability

    @Test func subscribeNeedsANotifier() async throws {
        #expect(try await rpc.error("eth_subscribe", ["newHeads"]) ==
            RPCError(code: -32601, message: "notifications not supported: subscribe over WebSocket"))
    }

    @Test func badSubscriptions() async throws {
        #expect(try await rpc.error("eth_subscribe", [], context: context) ==
            RPCError.invalidParams("missing value for required argument 0 (string)"))
        #expect(try await rpc.error("eth_subscribe", ["logs", ["address": "0x12"]], context: context) ==
            RPCError.invalidParams("address: 0x12 is not an address"))
        #expect(try await rpc.error("eth_subscribe", ["pendingTransactions"], context: context) ==
            RPCError.invalidParams("unknown subscription pendingTransactions (newHeads, logs, newPendingTransactions, syncing)"))
        #expect(rpc.fake.updateSubscribers == 0)
    }

    /// Issue 18: subscriptions are bounded across all connections, not only per connection.
    @Test func subscriptionsAreBoundedAcrossConnections() async throws {
        let rpc = RPCHarness(maxSubscriptions: 4)
        let connections = (0..<3).map { _ in RPCCallContext(notifier: RPCFakeNotifier()) }
        for context in connections.prefix(2) {
            for _ in 0..<2 { _ = try await rpc.result("eth_subscribe", ["newHeads"], context: context) }
        }
        #expect(try await rpc.error("eth_subscribe", ["newHeads"], context: connections[2]) ==
            RPCError.server("too many subscriptions on this node (at most 4); unsubscribe or retry later"))
    }

    /// Ids are random hex strings, so no client can guess (and cancel) another's subscription.
    @Test func idsAreDistinctUnguessableHexStrings() async throws {
        var ids: Set<String> = []
        for _ in 0..<50 { ids.insert(try #require(try await subscribe(["syncing"]).stringValue)) }
        #expect(ids.count == 50)
        for id in ids {
            #expect(id.hasPrefix("0x") && id.count >= 20 && id.dropFirst(2).allSatisfy(\.isHexDigit), "\(id)")
        }
    }

    /// Another connection cannot cancel this connection's subscription.
    @Test func unsubscribeOnlyFromTheOwningConnection() async throws {
        let id = try await subscribeToChain(["newHeads"])
        let stranger = RPCCallContext(notifier: RPCFakeNotifier())
        #expect(try await rpc.result("eth_unsubscribe", [id], context: stranger) == false)
        #expect(try await rpc.result("eth_unsubscribe", [id]) == false)   // over HTTP: no connection owns anything
        #expect(try await rpc.result("eth_unsubscribe", [id], context: context) == true)
    }

    // MARK: newHeads

    @Test func newHeadsNotifiesEachNewBlock() async throws {
        let id = try await subscribeToChain(["newHeads"])
        let block3 = rpc.fake.appendBlock()
        let block4 = rpc.fake.appendBlock()
        let messages = await waitForMessages(2)
        #expect(messages == [notification(id, head(block3)), notification(id, head(block4))])
        let header = try #require(messages.first?["params"]?["result"]?.objectValue)
        #expect(header.keys == [
            "baseFeePerGas", "difficulty", "extraData", "gasLimit", "gasUsed", "hash", "logsBloom", "miner", "mixHash", "nonce",
            "number", "parentHash", "receiptsRoot", "sha3Uncles", "stateRoot", "timestamp", "transactionsRoot",
        ])
        #expect(header["number"] == "0x3")
        #expect(header["parentHash"] == RPCJSON.hash(rpc.fake.block(2).hash))
    }

    @Test func unsubscribeStopsNotifications() async throws {
        let id = try await subscribeToChain(["newHeads"])
        #expect(try await rpc.result("eth_unsubscribe", [id], context: context) == true)
        #expect(await rpcEventually { rpc.fake.updateSubscribers == 0 }, "the subscription kept listening")
        rpc.fake.appendBlock()
        try await Task.sleep(for: .milliseconds(50))
        #expect(notifier.received == [])
        #expect(try await rpc.result("eth_unsubscribe", [id], context: context) == false)
        #expect(try await rpc.result("eth_unsubscribe", ["0x1"], context: context) == false)
    }

    @Test func closingTheConnectionEndsItsSubscriptions() async throws {
        let id = try await subscribeToChain(["newHeads"])
        notifier.close()
        #expect(await rpcEventually { rpc.fake.updateSubscribers == 0 }, "the subscription outlived its connection")
        #expect(await rpcEventually { (try? await rpc.result("eth_unsubscribe", [id])) == false })
    }

    @Test func aFailedSendEndsTheSubscription() async throws {
        _ = try await subscribeToChain(["newHeads"])
        notifier.open.withLock { $0 = false }
        rpc.fake.appendBlock()
        #expect(await rpcEventually { rpc.fake.updateSubscribers == 0 })
    }

    @Test
    func blocksImportedRightAfterSubscribingAreNotified() async throws {
        let rpc = RPCHarness(fake: RPCFakeBackend(updatesDelay: .milliseconds(200)))
        let id = try await rpc.result("eth_subscribe", ["newHeads"], context: context)
        let block3 = rpc.fake.appendBlock()
        #expect(await rpcEventually(timeout: .seconds(2)) { notifier.received.count >= 1 })
        #expect(notifier.received.first == notification(id, head(block3)))
    }

    // MARK: logs

    @Test func logsNotifyMatchingLogsOfNewBlocks() async throws {
        let id = try await subscribeToChain(["logs", ["address": .string(E.contract2)]])
        let receipt = Receipt(type: .dynamicFee, succeeded: true, cumulativeGasUsed: 21_000, logs: [
            Log(address: F.contract, topics: [F.topicMinted], data: [0x07]),
            Log(address: F.contract2, topics: [F.topicTransfer, F.topicAlice], data: [0xab]),
        ])
        let block3 = rpc.fake.appendBlock(transactions: [RPCMethodCases.tx3], receipts: [receipt])
        let expected = E.log(receipt.logs[1], address: E.contract2, data: "0xab", block: block3, tx: RPCMethodCases.tx3, txIndex: 0,
                             logIndex: 1)
        #expect(await waitForMessages(1) == [notification(id, expected)])
        rpc.fake.appendBlock()  // no logs: nothing to send
        try await Task.sleep(for: .milliseconds(50))
        #expect(notifier.received.count == 1)
    }

    @Test func logsWithoutCriteriaSendEveryLog() async throws {
        let id = try await subscribeToChain(["logs"])
        let block1 = rpc.fake.block(1)
        // A block carrying the fixture's block-1 transactions and receipts again.
        let block3 = rpc.fake.appendBlock(transactions: [RPCFixture.tx0, RPCFixture.tx1],
                                          receipts: [RPCFixture.receipt0, RPCFixture.receipt1])
        let messages = await waitForMessages(3)
        let expected = E.block1Logs(block1).map { log -> JSON in
            var object = log.objectValue!
            object["blockNumber"] = "0x3"
            object["blockHash"] = RPCJSON.hash(block3.hash)
            return notification(id, .object(object))
        }
        #expect(messages == expected)
    }

    @Test func reorgedLogsAreResentAsRemoved() async throws {
        let id = try await subscribeToChain(["logs", ["topics": [RPCJSON.hash(F.topicTransfer)]]])
        let block1 = rpc.fake.block(1)
        let block3 = rpc.fake.appendBlock(removed: [block1])
        _ = block3
        let logs = E.block1Logs(block1, removed: true)
        #expect(await waitForMessages(2) == [notification(id, logs[0]), notification(id, logs[2])])
    }

    // MARK: Pending transactions and syncing

    @Test func newPendingTransactionsNotifiesHashes() async throws {
        let id = try await subscribe(["newPendingTransactions"])
        #expect(await rpcEventually { rpc.fake.pendingSubscribers == 1 })
        let tx3 = RPCMethodCases.tx3
        _ = try await rpc.result("eth_sendRawTransaction", [RPCJSON.hex(tx3.encoded)])
        #expect(await waitForMessages(1) == [notification(id, RPCJSON.hash(tx3.hash))])
    }

    /// Sankofa never syncs until peer-to-peer sync exists, and geth sends nothing until the status changes.
    @Test func syncingSendsNothingWhileNotSyncing() async throws {
        let id = try await subscribe(["syncing"])
        #expect(id.stringValue?.hasPrefix("0x") == true)
        try await Task.sleep(for: .milliseconds(50))
        #expect(notifier.received.isEmpty)
    }
}
