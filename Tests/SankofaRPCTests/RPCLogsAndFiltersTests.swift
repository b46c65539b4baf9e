import Foundation
import SankofaChain
import SankofaJSON
import SankofaPrimitives
import Testing
@testable import SankofaRPC

/// eth_getLogs criteria, the range cap, and installed filters polled with eth_getFilterChanges.
@Suite("RPC logs and filters")
struct RPCLogsAndFiltersTests {
    let rpc = RPCHarness()
    typealias E = RPCExpected
    typealias F = RPCFixture

    var logs: [JSON] { E.block1Logs(rpc.fake.block(1)) }
    let everything: JSON = ["fromBlock": "earliest", "toBlock": "latest"]

    func getLogs(_ filter: JSON) async throws -> JSON { try await rpc.result("eth_getLogs", [filter]) }

    /// Block 3: tx3 with a `Minted` log from `contract` and a `Transfer` log from `contract2`.
    @discardableResult
    func mintBlock(removed: [Block] = []) -> Block {
        let receipt = Receipt(type: .dynamicFee, succeeded: true, cumulativeGasUsed: 21_000, logs: [
            Log(address: F.contract, topics: [F.topicMinted], data: [0x07]),
            Log(address: F.contract2, topics: [F.topicTransfer, F.topicAlice], data: []),
        ])
        return rpc.fake.appendBlock(transactions: [RPCMethodCases.tx3], receipts: [receipt], removed: removed)
    }

    func mintedLog(_ block: Block, removed: Bool = false) -> JSON {
        E.log(Log(address: F.contract, topics: [F.topicMinted], data: [0x07]), address: E.contract, data: "0x07", block: block,
              tx: RPCMethodCases.tx3, txIndex: 0, logIndex: 0, removed: removed)
    }

    // MARK: eth_getLogs

    @Test func allLogsWithBlockWideIndexes() async throws {
        let result = try await getLogs(everything)
        #expect(result == .array(logs))
        #expect(result.arrayValue?.map { $0["logIndex"] } == ["0x0", "0x1", "0x2"])
        #expect(result.arrayValue?.map { $0["transactionIndex"] } == ["0x0", "0x0", "0x1"])
    }

    @Test func byAddress() async throws {
        #expect(try await getLogs(["fromBlock": "0x0", "address": .string(E.contract)]) == .array(Array(logs[0...1])))
        #expect(try await getLogs(["fromBlock": "0x0", "address": [.string(E.contract2)]]) == [logs[2]])
        #expect(try await getLogs(["fromBlock": "0x0", "address": [.string(E.contract2), .string(E.contract)]]) == .array(logs))
        #expect(try await getLogs(["fromBlock": "0x0", "address": .string(E.recipient)]) == [])
        // Hex input is case-insensitive.
        let upperTransfer = "0x" + F.topicTransfer.hex.dropFirst(2).uppercased()
        #expect(try await getLogs(["fromBlock": "0x0", "topics": [.string(upperTransfer)]]) == [logs[0], logs[2]])
    }

    @Test func byTopics() async throws {
        let transfer = RPCJSON.hash(F.topicTransfer), approval = RPCJSON.hash(F.topicApproval)
        let alice = RPCJSON.hash(F.topicAlice), bob = RPCJSON.hash(F.topicBob)
        #expect(try await getLogs(["fromBlock": "0x0", "topics": [transfer]]) == [logs[0], logs[2]])
        #expect(try await getLogs(["fromBlock": "0x0", "topics": [[transfer]]]) == [logs[0], logs[2]])
        #expect(try await getLogs(["fromBlock": "0x0", "topics": [.null, alice]]) == [logs[0]])
        #expect(try await getLogs(["fromBlock": "0x0", "topics": [[approval, transfer], [bob]]]) == [logs[2]])
        #expect(try await getLogs(["fromBlock": "0x0", "topics": [[approval, transfer]]]) == .array(logs))
        // An empty alternative list is a wildcard.
        #expect(try await getLogs(["fromBlock": "0x0", "topics": [[], alice]]) == [logs[0]])
        // A position beyond a log's topics does not match.
        #expect(try await getLogs(["fromBlock": "0x0", "topics": [approval, .null]]) == [logs[1]])
        #expect(try await getLogs(["fromBlock": "0x0", "topics": [approval, alice]]) == [])
        #expect(try await getLogs(["fromBlock": "0x0", "topics": [transfer, alice, .null, bob]]) == [])
        // Address and topics together.
        #expect(try await getLogs(["fromBlock": "0x0", "address": .string(E.contract2), "topics": [transfer]]) == [logs[2]])
        #expect(try await getLogs(["fromBlock": "0x0", "address": .string(E.contract), "topics": [.null, bob]]) == [])
    }

    @Test func byRange() async throws {
        #expect(try await getLogs(["fromBlock": "0x1", "toBlock": "0x1"]) == .array(logs))
        #expect(try await getLogs(["fromBlock": "0x2", "toBlock": "0x2"]) == [])
        #expect(try await getLogs(["fromBlock": "0x0", "toBlock": "0x0"]) == [])
        // Reversed and future ranges are empty.
        #expect(try await getLogs(["fromBlock": "0x2", "toBlock": "0x1"]) == [])
        #expect(try await getLogs(["fromBlock": "0x5", "toBlock": "latest"]) == [])
        // Without a range: the latest block only (which has no logs).
        #expect(try await getLogs([:]) == [])
        #expect(try await getLogs(["toBlock": "0x1", "fromBlock": "earliest"]) == .array(logs))
    }

    /// Issue 18: a `toBlock` past the head answered `[]` although blocks up to the head had logs; geth stops at the head.
    @Test func rangePastTheHeadStopsAtTheHead() async throws {
        #expect(try await getLogs(["fromBlock": "0x0", "toBlock": "0x64"]) == .array(logs))
        #expect(try await getLogs(["fromBlock": "0x1", "toBlock": "0xffffffffffffffff"]) == .array(logs))
        // The range cap counts the blocks that exist, not the ones asked for.
        #expect(try await getLogs(["fromBlock": "0x0", "toBlock": "0x1000000"]) == .array(logs))
        // Starting past the head is still empty.
        #expect(try await getLogs(["fromBlock": "0x64", "toBlock": "0x100"]) == [])
    }

    @Test func byBlockHash() async throws {
        #expect(try await getLogs(["blockHash": RPCJSON.hash(rpc.fake.block(1).hash)]) == .array(logs))
        #expect(try await getLogs(["blockHash": RPCJSON.hash(rpc.fake.block(1).hash), "topics": [.null, RPCJSON.hash(F.topicBob)]]) ==
            [logs[2]])
        #expect(try await getLogs(["blockHash": RPCJSON.hash(rpc.fake.block(2).hash)]) == [])
        #expect(try await rpc.error("eth_getLogs", [["blockHash": .string(E.zeroHash)]]) == RPCError(code: -32000, message: "unknown block"))
    }

    @Test func invalidCriteria() async throws {
        let hash = RPCJSON.hash(rpc.fake.block(1).hash)
        #expect(try await rpc.error("eth_getLogs", [["blockHash": hash, "fromBlock": "0x0"]]) ==
            RPCError.invalidParams("cannot specify both blockHash and fromBlock/toBlock"))
        #expect(try await rpc.error("eth_getLogs", [["blockHash": hash, "toBlock": "latest"]]) ==
            RPCError.invalidParams("cannot specify both blockHash and fromBlock/toBlock"))
        #expect(try await rpc.error("eth_getLogs", [["blockHash": "0x1234"]]) == RPCError.invalidParams("blockHash: 0x1234 is not a hash"))
        #expect(try await rpc.error("eth_getLogs", [["address": "0x12"]]) == RPCError.invalidParams("address: 0x12 is not an address"))
        #expect(try await rpc.error("eth_getLogs", [["address": ["0x12"]]]) == RPCError.invalidParams("address list must hold addresses"))
        #expect(try await rpc.error("eth_getLogs", [["topics": [.null, .null, .null, .null, .null]]]) ==
            RPCError.invalidParams("at most 4 topic positions"))
        #expect(try await rpc.error("eth_getLogs", [["topics": [["0x12"]]]]) == RPCError.invalidParams("topics must be 32-byte hashes"))
        #expect(try await rpc.error("eth_getLogs", [["fromBlock": "first"]]) ==
            RPCError.invalidParams("fromBlock: first is not a hex quantity"))
        #expect(try await rpc.error("eth_getLogs", [["toBlock": "0xg"]]) == RPCError.invalidParams("toBlock: 0xg is not a hex quantity"))
        #expect(try await rpc.error("eth_getLogs", []) == RPCError.invalidParams("missing value for required argument 0 (object)"))
    }

    @Test
    func nullRangeBoundsMeanAbsent() async throws {
        #expect(try await getLogs(["fromBlock": .null, "toBlock": .null]) == [])
        #expect(try await getLogs(["fromBlock": "0x0", "toBlock": .null]) == .array(logs))
        #expect(try await getLogs(["blockHash": RPCJSON.hash(rpc.fake.block(1).hash), "fromBlock": .null]) == .array(logs))
    }

    @Test func rangeCap() async throws {
        // 10 003 blocks: the fixture's three and 10 000 empty ones.
        let long = RPCHarness(fake: RPCFakeBackend(emptyBlocksAfterFixture: 10_000))
        let tooLarge = RPCError(code: -32000, message: "block range too large: at most 10000 blocks per query (--rpc-max-logs-range)")
        #expect(try await long.error("eth_getLogs", [["fromBlock": "0x0", "toBlock": "0x2710"]]) == tooLarge)  // 10 001 blocks
        #expect(try await long.error("eth_getLogs", [["fromBlock": "earliest", "toBlock": "latest"]]) == tooLarge)
        // Exactly 10 000 blocks is allowed.
        let allowed = try await long.result("eth_getLogs", [["fromBlock": "0x1", "toBlock": "0x2710"]])
        #expect(allowed.arrayValue?.count == 3)
        #expect(allowed.arrayValue?.first?["blockHash"] == RPCJSON.hash(long.fake.block(1).hash))
    }

    /// `--rpc-max-logs-range` (Besu's flag) sets the cap.
    @Test func rangeCapIsConfigurable() async throws {
        var limits = RPCLimits()
        limits.maxLogsRange = 2
        let narrow = RPCHarness(limits: limits)
        #expect(try await narrow.error("eth_getLogs", [["fromBlock": "0x0", "toBlock": "0x2"]]) ==
            RPCError(code: -32000, message: "block range too large: at most 2 blocks per query (--rpc-max-logs-range)"))
        #expect(try await narrow.result("eth_getLogs", [["fromBlock": "0x1", "toBlock": "0x2"]]).arrayValue != nil)
    }

    // MARK: Log filters

    @Test func logFilterLifecycle() async throws {
        let id = try await rpc.result("eth_newFilter", [["address": .string(E.contract)]])
        #expect(id.stringValue?.hasPrefix("0x") == true)
        #expect(try await rpc.result("eth_getFilterChanges", [id]) == [])
        let block3 = mintBlock()
        // Only the new block's matching log, with its block-wide index.
        #expect(try await rpc.result("eth_getFilterChanges", [id]) == [mintedLog(block3)])
        #expect(try await rpc.result("eth_getFilterChanges", [id]) == [])
        rpc.fake.appendBlock()
        #expect(try await rpc.result("eth_getFilterChanges", [id]) == [])
        #expect(try await rpc.result("eth_uninstallFilter", [id]) == true)
        #expect(try await rpc.result("eth_uninstallFilter", [id]) == false)
        #expect(try await rpc.error("eth_getFilterChanges", [id]) == RPCError(code: -32000, message: "filter not found"))
        #expect(try await rpc.error("eth_getFilterLogs", [id]) == RPCError(code: -32000, message: "filter not found"))
    }

    @Test func filterLogsReturnsEverythingInTheFiltersRange() async throws {
        let id = try await rpc.result("eth_newFilter", [["fromBlock": "0x0", "topics": [RPCJSON.hash(F.topicTransfer)]]])
        #expect(try await rpc.result("eth_getFilterLogs", [id]) == [logs[0], logs[2]])
        // Changes start after the head at install time, whatever fromBlock says.
        #expect(try await rpc.result("eth_getFilterChanges", [id]) == [])
        let block3 = mintBlock()
        let transfer3 = E.log(Log(address: F.contract2, topics: [F.topicTransfer, F.topicAlice], data: []), address: E.contract2,
                              data: "0x", block: block3, tx: RPCMethodCases.tx3, txIndex: 0, logIndex: 1)
        #expect(try await rpc.result("eth_getFilterChanges", [id]) == [transfer3])
        #expect(try await rpc.result("eth_getFilterLogs", [id]) == [logs[0], logs[2], transfer3])
        // Polling getFilterLogs does not consume changes.
        #expect(try await rpc.result("eth_getFilterChanges", [id]) == [])
    }

    /// Filter ids are random quantities (another client cannot guess and poll one), unique, and uninstall once.
    @Test func filterIDsAreRandomAndUninstallOnce() async throws {
        let ids = [try await rpc.result("eth_newFilter", [[:]]), try await rpc.result("eth_newBlockFilter"),
                   try await rpc.result("eth_newPendingTransactionFilter")]
        #expect(Set(ids.compactMap(\.stringValue)).count == 3)
        #expect(ids.allSatisfy { ($0.stringValue?.count ?? 0) > 10 })
        #expect(try await rpc.result("eth_uninstallFilter", [ids[1]]) == true)
        #expect(try await rpc.result("eth_uninstallFilter", [ids[1]]) == false)
        #expect(try await rpc.result("eth_uninstallFilter", ["0x1001"]) == false)
        #expect(try await rpc.error("eth_getFilterChanges", [ids[1]]) == RPCError.server("filter not found"))
    }

    @Test
    func filterChangesRespectToBlock() async throws {
        let id = try await rpc.result("eth_newFilter", [["fromBlock": "0x0", "toBlock": "0x2"]])
        mintBlock()
        #expect(try await rpc.result("eth_getFilterChanges", [id]) == [])
    }

    @Test
    func blockHashFilterDoesNotRepeatLogs() async throws {
        let id = try await rpc.result("eth_newFilter", [["blockHash": RPCJSON.hash(rpc.fake.block(1).hash)]])
        rpc.fake.appendBlock()
        let first = try await rpc.result("eth_getFilterChanges", [id])
        rpc.fake.appendBlock()
        let second = try await rpc.result("eth_getFilterChanges", [id])
        // Block 1's logs were mined before the filter existed; no poll may return them, let alone twice.
        #expect(first == [])
        #expect(second == [])
    }

    @Test
    func logFilterSurvivesALongGapBetweenPolls() async throws {
        let id = try await rpc.result("eth_newFilter", [["address": .string(E.contract)]])
        for _ in 0..<10_001 { rpc.fake.appendBlock(notify: false) }
        _ = try await rpc.send("eth_getFilterChanges", [id])   // may refuse once
        rpc.fake.appendBlock()
        #expect(try await rpc.result("eth_getFilterChanges", [id]) == [])
    }

    // MARK: Block filters

    @Test func blockFilterSeesNewBlocks() async throws {
        let id = try await rpc.result("eth_newBlockFilter")
        #expect(try await rpc.result("eth_getFilterChanges", [id]) == [])
        let block3 = rpc.fake.appendBlock()
        #expect(try await rpc.result("eth_getFilterChanges", [id]) == [RPCJSON.hash(block3.hash)])
        #expect(try await rpc.result("eth_getFilterChanges", [id]) == [])
        let block4 = rpc.fake.appendBlock(), block5 = rpc.fake.appendBlock()
        #expect(try await rpc.result("eth_getFilterChanges", [id]) == [RPCJSON.hash(block4.hash), RPCJSON.hash(block5.hash)])
        // A block filter has no logs.
        #expect(try await rpc.error("eth_getFilterLogs", [id]) == RPCError(code: -32000, message: "filter not found"))
    }

    @Test func filtersAreIndependent() async throws {
        let early = try await rpc.result("eth_newBlockFilter")
        let block3 = rpc.fake.appendBlock()
        let late = try await rpc.result("eth_newBlockFilter")
        let block4 = rpc.fake.appendBlock()
        #expect(try await rpc.result("eth_getFilterChanges", [late]) == [RPCJSON.hash(block4.hash)])
        #expect(try await rpc.result("eth_getFilterChanges", [early]) == [RPCJSON.hash(block3.hash), RPCJSON.hash(block4.hash)])
    }

    // MARK: Pending filters

    @Test func pendingFilterSeesSubmissions() async throws {
        let id = try await rpc.result("eth_newPendingTransactionFilter")
        #expect(try await rpc.result("eth_getFilterChanges", [id]) == [])
        let tx3 = RPCMethodCases.tx3
        _ = try await rpc.result("eth_sendRawTransaction", [RPCJSON.hex(tx3.encoded)])
        var seen: JSON = []
        let arrived = await rpcEventually {
            seen = (try? await rpc.result("eth_getFilterChanges", [id])) ?? []
            return seen != []
        }
        #expect(arrived)
        #expect(seen == [RPCJSON.hash(tx3.hash)])
        #expect(try await rpc.result("eth_getFilterChanges", [id]) == [])
        #expect(rpc.fake.pendingSubscribers == 1)
        // Uninstalling stops the pool subscription.
        #expect(try await rpc.result("eth_uninstallFilter", [id]) == true)
        #expect(await rpcEventually { rpc.fake.pendingSubscribers == 0 })
    }

    /// Issue 18: thousands of idle pending filters share one pool subscription and one log; each filter is only a
    /// cursor, so a transaction costs the same however many filters are installed, and the last uninstall frees it.
    @Test func pendingFiltersShareOneSubscription() async throws {
        var ids: [JSON] = []
        for _ in 0..<2_000 { ids.append(try await rpc.result("eth_newPendingTransactionFilter")) }
        #expect(rpc.fake.pendingSubscribers == 1)
        let tx3 = RPCMethodCases.tx3
        _ = try await rpc.result("eth_sendRawTransaction", [RPCJSON.hex(tx3.encoded)])
        let arrived = await rpcEventually { (try? await rpc.result("eth_getFilterChanges", [ids[0]])) == [RPCJSON.hash(tx3.hash)] }
        #expect(arrived)
        #expect(try await rpc.result("eth_getFilterChanges", [ids[1_999]]) == [RPCJSON.hash(tx3.hash)])
        for id in ids { _ = try await rpc.result("eth_uninstallFilter", [id]) }
        #expect(await rpcEventually { rpc.fake.pendingSubscribers == 0 })
    }

    @Test func aPendingLogKeepsTheNewestHashes() {
        var log = PendingHashLog(capacity: 3)
        let hashes = (1...5).map { Hash32(bytes: Array(repeating: UInt8($0), count: 32))! }
        #expect(log.since(0).hashes.isEmpty)
        for hash in hashes.prefix(2) { log.append(hash) }
        #expect(log.since(0) == (Array(hashes.prefix(2)), 2))
        #expect(log.since(1) == ([hashes[1]], 2))
        for hash in hashes.dropFirst(2) { log.append(hash) }
        // Five appended into room for three: a reader at 0 gets the newest three.
        #expect(log.since(0) == (Array(hashes.suffix(3)), 5))
        #expect(log.since(4) == ([hashes[4]], 5))
        #expect(log.since(5).hashes.isEmpty)
    }

    // MARK: Expiry

    @Test func unpolledFiltersExpire() async throws {
        let rpc = RPCHarness(filterTimeout: 0.05)
        let id = try await rpc.result("eth_newBlockFilter")
        try await Task.sleep(for: .milliseconds(200))
        #expect(try await rpc.error("eth_getFilterChanges", [id]) == RPCError(code: -32000, message: "filter not found"))
    }
}
