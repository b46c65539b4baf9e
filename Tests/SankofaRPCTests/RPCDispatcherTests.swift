import Foundation
import SankofaJSON
import SankofaPrimitives
import Testing
@testable import SankofaRPC

/// JSON-RPC 2.0 framing: error codes, ids, batches, notifications, namespaces. Replies are compared as exact text.
@Suite("RPC dispatcher")
struct RPCDispatcherTests {
    let rpc = RPCHarness()

    // MARK: Parse errors and invalid requests

    @Test func malformedJSONIsAParseErrorWithNullID() async {
        #expect(await rpc.raw("{") ==
            #"{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"parse error: unexpected end of JSON input at byte 1"}}"#)
        #expect(await rpc.raw(#"{"jsonrpc":"2.0","id":1,"method":"eth_chainId"} x"#) ==
            #"{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"parse error: unexpected data after the JSON value at byte 48"}}"#)
        #expect(await rpc.raw("") ==
            #"{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"parse error: unexpected end of JSON input at byte 0"}}"#)
    }

    @Test func parseLimitsAreParseErrors() async {
        let shallow = RPCDispatcher(table: rpc.table, enabledNamespaces: RPCHarness.allNamespaces,
                                    limits: JSONLimits(maxDepth: 2))
        let reply = await shallow.handle(Array(#"{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[[1]]}"#.utf8))
        #expect(reply.map { String(decoding: $0, as: UTF8.self) } ==
            #"{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"parse error: JSON nested deeper than 2 levels"}}"#)
    }

    @Test(arguments: ["5", "\"eth_chainId\"", "null", "true"])
    func nonObjectCallIsInvalidRequest(_ body: String) async {
        #expect(await rpc.raw(body) ==
            #"{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"invalid request: a call must be an object"}}"#)
    }

    @Test func wrongOrMissingVersionIsInvalidRequestEchoingTheID() async {
        let expected = #"{"jsonrpc":"2.0","id":7,"error":{"code":-32600,"message":"invalid request: jsonrpc must be \"2.0\""}}"#
        #expect(await rpc.raw(#"{"jsonrpc":"1.0","id":7,"method":"eth_chainId"}"#) == expected)
        #expect(await rpc.raw(#"{"id":7,"method":"eth_chainId"}"#) == expected)
        #expect(await rpc.raw(#"{"jsonrpc":2.0,"id":7,"method":"eth_chainId"}"#) == expected)
    }

    @Test func methodMustBeAString() async {
        #expect(await rpc.raw(#"{"jsonrpc":"2.0","id":"a","method":5}"#) ==
            #"{"jsonrpc":"2.0","id":"a","error":{"code":-32600,"message":"invalid request: method must be a string"}}"#)
        #expect(await rpc.raw(#"{"jsonrpc":"2.0","id":"a"}"#) ==
            #"{"jsonrpc":"2.0","id":"a","error":{"code":-32600,"message":"invalid request: method must be a string"}}"#)
    }

    @Test(arguments: ["true", "{}", "[1]"])
    func badIDTypeIsInvalidRequestWithNullID(_ id: String) async {
        #expect(await rpc.raw(#"{"jsonrpc":"2.0","id":\#(id),"method":"eth_chainId"}"#) ==
            #"{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"invalid request: id must be a string, number or null"}}"#)
    }

    @Test func emptyBatchIsOneInvalidRequest() async {
        #expect(await rpc.raw("[]") ==
            #"{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"invalid request: empty batch"}}"#)
        #expect(await rpc.raw(" [ ] ") ==
            #"{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"invalid request: empty batch"}}"#)
    }

    // MARK: Method lookup and namespaces

    @Test func unknownMethodIs32601() async {
        #expect(await rpc.raw(#"{"jsonrpc":"2.0","id":1,"method":"eth_mine"}"#) ==
            #"{"jsonrpc":"2.0","id":1,"error":{"code":-32601,"message":"the method eth_mine does not exist/is not available"}}"#)
        // Lookup is exact: no case folding.
        #expect(await rpc.raw(#"{"jsonrpc":"2.0","id":1,"method":"ETH_chainId"}"#) ==
            #"{"jsonrpc":"2.0","id":1,"error":{"code":-32601,"message":"the method ETH_chainId does not exist/is not available"}}"#)
    }

    @Test func disabledNamespaceIs32601WithTheNamespaceMessage() async throws {
        let ethOnly = RPCHarness(namespaces: ["ETH"])
        #expect(await ethOnly.raw(#"{"jsonrpc":"2.0","id":1,"method":"net_version"}"#) ==
            #"{"jsonrpc":"2.0","id":1,"error":{"code":-32601,"message":"the method net_version does not exist/is not available (its namespace is not enabled on this endpoint)"}}"#)
        #expect(await ethOnly.raw(#"{"jsonrpc":"2.0","id":2,"method":"admin_peers"}"#) ==
            #"{"jsonrpc":"2.0","id":2,"error":{"code":-32601,"message":"the method admin_peers does not exist/is not available (its namespace is not enabled on this endpoint)"}}"#)
        #expect(await ethOnly.raw(#"{"jsonrpc":"2.0","id":3,"method":"eth_chainId"}"#) == #"{"jsonrpc":"2.0","id":3,"result":"0x7e8"}"#)
        // eth_subscribe belongs to ETH.
        let netOnly = RPCHarness(namespaces: ["NET"])
        let error = try await netOnly.error("eth_subscribe", ["newHeads"])
        #expect(error.code == -32601)
        #expect(error.message == "the method eth_subscribe does not exist/is not available (its namespace is not enabled on this endpoint)")
        #expect(try await netOnly.result("net_version") == "2024")
    }

    @Test func namespacesAreTheUppercasedPrefix() {
        let table = rpc.table
        #expect(Set(table.entries.values.map(\.namespace)) == RPCHarness.allNamespaces)
        #expect(table.entries["eth_subscribe"]?.namespace == "ETH")
        #expect(table.entries["sankofa_nodeInfo"]?.namespace == "SANKOFA")
        #expect(table.methodNames == table.methodNames.sorted())
    }

    // MARK: Invalid params

    @Test func invalidParamsIs32602() async {
        #expect(await rpc.raw(#"{"jsonrpc":"2.0","id":1,"method":"eth_getBalance","params":["0x12"]}"#) ==
            #"{"jsonrpc":"2.0","id":1,"error":{"code":-32602,"message":"invalid params: argument 0: 0x12 is not a 20-byte hex address"}}"#)
        #expect(await rpc.raw(#"{"jsonrpc":"2.0","id":1,"method":"eth_getBalance","params":[]}"#) ==
            #"{"jsonrpc":"2.0","id":1,"error":{"code":-32602,"message":"invalid params: missing value for required argument 0 (string)"}}"#)
        #expect(await rpc.raw(#"{"jsonrpc":"2.0","id":1,"method":"eth_getBalance","params":[null]}"#) ==
            #"{"jsonrpc":"2.0","id":1,"error":{"code":-32602,"message":"invalid params: missing value for required argument 0 (string)"}}"#)
    }

    @Test(arguments: [#"{"a":1}"#, "5", #""x""#, "true"])
    func paramsMustBeAnArray(_ params: String) async {
        #expect(await rpc.raw(#"{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":\#(params)}"#) ==
            #"{"jsonrpc":"2.0","id":1,"error":{"code":-32602,"message":"invalid params: params must be an array"}}"#)
    }

    @Test func absentOrNullParamsAreEmpty() async {
        #expect(await rpc.raw(#"{"jsonrpc":"2.0","id":1,"method":"eth_chainId"}"#) == #"{"jsonrpc":"2.0","id":1,"result":"0x7e8"}"#)
        #expect(await rpc.raw(#"{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":null}"#) ==
            #"{"jsonrpc":"2.0","id":1,"result":"0x7e8"}"#)
    }

    // MARK: Lower-layer errors

    @Test func plainBackendErrorsAreInternalErrors() async throws {
        let error = try await rpc.error("eth_getBalance", [RPCJSON.address(RPCFixture.failingAddress), "latest"])
        #expect(error == RPCError(code: -32603, message: "internal error: disk on fire"))
    }

    @Test func convertibleBackendErrorsKeepTheirForm() async throws {
        let error = try await rpc.error("eth_getBalance", [RPCJSON.address(RPCFixture.limitedAddress), "latest"])
        #expect(error == RPCError(code: -32005, message: "limit exceeded"))
    }

    // MARK: ids

    @Test func idsAreEchoedExactly() async {
        #expect(await rpc.raw(#"{"jsonrpc":"2.0","id":42,"method":"eth_chainId"}"#) == #"{"jsonrpc":"2.0","id":42,"result":"0x7e8"}"#)
        #expect(await rpc.raw(#"{"jsonrpc":"2.0","id":"req-1","method":"eth_chainId"}"#) ==
            #"{"jsonrpc":"2.0","id":"req-1","result":"0x7e8"}"#)
        #expect(await rpc.raw(#"{"jsonrpc":"2.0","id":null,"method":"eth_chainId"}"#) == #"{"jsonrpc":"2.0","id":null,"result":"0x7e8"}"#)
        // Numbers keep their literal text: no rounding through Double.
        #expect(await rpc.raw(#"{"jsonrpc":"2.0","id":18446744073709551617,"method":"eth_chainId"}"#) ==
            #"{"jsonrpc":"2.0","id":18446744073709551617,"result":"0x7e8"}"#)
        #expect(await rpc.raw(#"{"jsonrpc":"2.0","id":-1.50e3,"method":"eth_chainId"}"#) ==
            #"{"jsonrpc":"2.0","id":-1.50e3,"result":"0x7e8"}"#)
        #expect(await rpc.raw(#"{"jsonrpc":"2.0","id":"","method":"eth_chainId"}"#) == #"{"jsonrpc":"2.0","id":"","result":"0x7e8"}"#)
        // Member order in the request does not matter.
        #expect(await rpc.raw(#"{"method":"eth_chainId","id":"x","jsonrpc":"2.0"}"#) == #"{"jsonrpc":"2.0","id":"x","result":"0x7e8"}"#)
    }

    @Test func errorsEchoTheIDToo() async {
        #expect(await rpc.raw(#"{"jsonrpc":"2.0","id":"e","method":"nope"}"#) ==
            #"{"jsonrpc":"2.0","id":"e","error":{"code":-32601,"message":"the method nope does not exist/is not available"}}"#)
        #expect(await rpc.raw(#"{"jsonrpc":"2.0","id":null,"method":"nope"}"#) ==
            #"{"jsonrpc":"2.0","id":null,"error":{"code":-32601,"message":"the method nope does not exist/is not available"}}"#)
    }

    // MARK: Notifications

    @Test
    func notificationsGetNoReply() async {
        #expect(await rpc.raw(#"{"jsonrpc":"2.0","method":"eth_chainId"}"#) == nil)
        // Not even when the method is unknown, disabled or its params are wrong.
        #expect(await rpc.raw(#"{"jsonrpc":"2.0","method":"eth_nothing"}"#) == nil)
        #expect(await RPCHarness(namespaces: ["ETH"]).raw(#"{"jsonrpc":"2.0","method":"net_version"}"#) == nil)
        #expect(await rpc.raw(#"{"jsonrpc":"2.0","method":"eth_getBalance","params":["0x12"]}"#) == nil)
        #expect(await rpc.raw(#"{"jsonrpc":"2.0","method":"eth_getBalance","params":["\#(RPCFixture.failingAddress.hex)"]}"#) == nil)
    }

    @Test func syncingReportsProgressWhileASyncRuns() async {
        let call = #"{"jsonrpc":"2.0","id":1,"method":"eth_syncing"}"#
        #expect(await rpc.raw(call) == #"{"jsonrpc":"2.0","id":1,"result":false}"#)
        rpc.fake.sync.withLock { $0 = SyncStatus(startingBlock: 0x10, currentBlock: 0x20, highestBlock: 0x1f4) }
        #expect(await rpc.raw(call) ==
            #"{"jsonrpc":"2.0","id":1,"result":{"startingBlock":"0x10","currentBlock":"0x20","highestBlock":"0x1f4"}}"#)
    }

    @Test func notificationsStillRun() async throws {
        let address = RPCFixture.signerB.hex
        _ = await rpc.raw(#"{"jsonrpc":"2.0","method":"clique_propose","params":["\#(address)",false]}"#)
        #expect(await rpc.fake.proposals() == [RPCFixture.signerB: false])
    }

    @Test func malformedNotificationsAreStillAnswered() async {
        // Without a valid "jsonrpc" it is not a notification but an invalid request, answered with a null id.
        #expect(await rpc.raw(#"{"method":"eth_chainId"}"#) ==
            #"{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"invalid request: jsonrpc must be \"2.0\""}}"#)
        #expect(await rpc.raw(#"{"jsonrpc":"2.0"}"#) ==
            #"{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"invalid request: method must be a string"}}"#)
    }

    @Test
    func notificationWithByNameParamsGetsNoReply() async {
        #expect(await rpc.raw(#"{"jsonrpc":"2.0","method":"eth_chainId","params":{"a":1}}"#) == nil)
        #expect(await rpc.raw(#"[{"jsonrpc":"2.0","method":"eth_chainId","params":{"a":1}}]"#) == nil)
    }

    // MARK: Immediate answers

    /// What the transports answer without a task is byte for byte what `handle` answers.
    @Test(arguments: [
        #"{"jsonrpc":"2.0","id":1,"method":"eth_blockNumber"}"#,
        #"{"jsonrpc":"2.0","id":"x","method":"eth_chainId","params":[]}"#,
        #"{"jsonrpc":"2.0","id":2,"method":"net_version"}"#,
        #"{"jsonrpc":"2.0","id":3,"method":"web3_sha3","params":["0x68656c6c6f"]}"#,
        #"{"jsonrpc":"2.0","id":4,"method":"web3_sha3","params":["hello"]}"#,
        #"{"jsonrpc":"2.0","id":5,"method":"eth_noSuchMethod"}"#,
        #"{"jsonrpc":"2.0","id":6,"method":"eth_getBalance","params":{"a":1}}"#,
        #"{"id":7,"method":"eth_chainId"}"#,
        "{",
    ])
    func immediateAnswersAreTheTaskPathsAnswers(_ body: String) async throws {
        let immediate = try #require(rpc.dispatcher.immediateAnswer(rpc.dispatcher.read(Array(body.utf8)), context: RPCCallContext(notifier: nil)),
                                     "\(body) was not answered at once")
        #expect(String(decoding: immediate, as: UTF8.self) == (await rpc.raw(body)))
    }

    /// Batches, notifications and methods that read the database or wait are left to `handle`.
    @Test(arguments: [
        #"{"jsonrpc":"2.0","id":1,"method":"eth_getBalance","params":["0x0000000000000000000000000000000000000001","latest"]}"#,
        #"[{"jsonrpc":"2.0","id":1,"method":"eth_chainId"}]"#,
        #"{"jsonrpc":"2.0","method":"eth_chainId"}"#,
    ])
    func callsThatMaySuspendAreNotAnsweredAtOnce(_ body: String) {
        #expect(rpc.dispatcher.immediateAnswer(rpc.dispatcher.read(Array(body.utf8)), context: RPCCallContext(notifier: nil)) == nil)
    }

    @Test func immediateAnswersHonourNamespacesAndPermissions() throws {
        let ethOnly = RPCHarness(namespaces: ["ETH"])
        let netVersion = Array(#"{"jsonrpc":"2.0","id":1,"method":"net_version"}"#.utf8)
        let refused = try #require(ethOnly.dispatcher.immediateAnswer(ethOnly.dispatcher.read(netVersion), context: RPCCallContext(notifier: nil)))
        #expect(String(decoding: refused, as: UTF8.self).contains(#""code":-32601"#))
        let chainOnly = RPCCallContext(notifier: nil, permissions: RPCPermissions(["eth:chainId"]))
        let unauthorized = try #require(rpc.dispatcher.immediateAnswer(rpc.dispatcher.read(Array(#"{"jsonrpc":"2.0","id":1,"method":"eth_blockNumber"}"#.utf8)),
                                                                       context: chainOnly))
        #expect(String(decoding: unauthorized, as: UTF8.self).contains(#""code":-40100"#))
    }

    // MARK: Batches

    @Test func batchRepliesKeepRequestOrder() async {
        let body = """
        [{"jsonrpc":"2.0","id":3,"method":"net_version"},
         {"jsonrpc":"2.0","id":"b","method":"eth_nothing"},
         {"jsonrpc":"2.0","id":1,"method":"eth_blockNumber"},
         5,
         {"jsonrpc":"2.0","id":null,"method":"eth_getBalance","params":["0x12"]}]
        """
        let expected = "[" + [
            #"{"jsonrpc":"2.0","id":3,"result":"2024"}"#,
            #"{"jsonrpc":"2.0","id":"b","error":{"code":-32601,"message":"the method eth_nothing does not exist/is not available"}}"#,
            #"{"jsonrpc":"2.0","id":1,"result":"0x2"}"#,
            #"{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"invalid request: a call must be an object"}}"#,
            #"{"jsonrpc":"2.0","id":null,"error":{"code":-32602,"message":"invalid params: argument 0: 0x12 is not a 20-byte hex address"}}"#,
        ].joined(separator: ",") + "]"
        #expect(await rpc.raw(body) == expected)
    }

    @Test
    func notificationsInABatchAreLeftOut() async {
        let body = #"[{"jsonrpc":"2.0","id":1,"method":"eth_chainId"},{"jsonrpc":"2.0","method":"eth_chainId"},{"jsonrpc":"2.0","id":2,"method":"net_version"}]"#
        #expect(await rpc.raw(body) == #"[{"jsonrpc":"2.0","id":1,"result":"0x7e8"},{"jsonrpc":"2.0","id":2,"result":"2024"}]"#)
    }

    @Test func batchOfOneIsStillAnArray() async {
        #expect(await rpc.raw(#"[{"jsonrpc":"2.0","id":1,"method":"eth_chainId"}]"#) == #"[{"jsonrpc":"2.0","id":1,"result":"0x7e8"}]"#)
    }

    @Test
    func batchOfOnlyNotificationsGetsNoReply() async {
        #expect(await rpc.raw(#"[{"jsonrpc":"2.0","method":"eth_chainId"},{"jsonrpc":"2.0","method":"net_version"}]"#) == nil)
    }

    @Test func batchLimit() async {
        let small = RPCHarness(maxBatchSize: 2)
        let call = #"{"jsonrpc":"2.0","id":1,"method":"eth_chainId"}"#
        #expect(await small.raw("[\(call),\(call),\(call)]") ==
            #"{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"invalid request: batch exceeds 2 calls"}}"#)
        #expect(await small.raw("[\(call),\(call)]") == #"[{"jsonrpc":"2.0","id":1,"result":"0x7e8"},{"jsonrpc":"2.0","id":1,"result":"0x7e8"}]"#)
        // Notifications count towards the limit too.
        let note = #"{"jsonrpc":"2.0","method":"eth_chainId"}"#
        #expect(await small.raw("[\(note),\(note),\(note)]") ==
            #"{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"invalid request: batch exceeds 2 calls"}}"#)
    }

    @Test func defaultBatchLimitIs1024() async throws {
        let call = #"{"jsonrpc":"2.0","id":1,"method":"eth_syncing"}"#
        let atLimit = try #require(await rpc.raw("[" + Array(repeating: call, count: 1_024).joined(separator: ",") + "]"))
        #expect(try JSONParser.parse(atLimit).arrayValue?.count == 1_024)
        #expect(await rpc.raw("[" + Array(repeating: call, count: 1_025).joined(separator: ",") + "]") ==
            #"{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"invalid request: batch exceeds 1024 calls"}}"#)
    }

    @Test func nestedBatchElementsAreInvalidRequests() async {
        #expect(await rpc.raw(#"[[{"jsonrpc":"2.0","id":1,"method":"eth_chainId"}]]"#) ==
            #"[{"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"invalid request: a call must be an object"}}]"#)
    }

    // MARK: Error objects

    @Test func errorDataIsIncludedOnlyWhenPresent() async throws {
        let reverted = try #require(await rpc.raw(#"{"jsonrpc":"2.0","id":1,"method":"eth_call","params":[{"to":"\#(RPCFixture.contract.hex)","data":"0xc0ffee00"}]}"#))
        #expect(reverted == #"{"jsonrpc":"2.0","id":1,"error":{"code":3,"message":"execution reverted","data":"0x12345678"}}"#)
    }

    @Test func responseHelpersShapeTheEnvelope() {
        #expect(JSONWriter.string(RPCDispatcher.response(id: "z", result: [1, "a"])) == #"{"jsonrpc":"2.0","id":"z","result":[1,"a"]}"#)
        #expect(JSONWriter.string(RPCDispatcher.response(id: 9, error: RPCError(code: 3, message: "m", data: "0x00"))) ==
            #"{"jsonrpc":"2.0","id":9,"error":{"code":3,"message":"m","data":"0x00"}}"#)
    }
}
