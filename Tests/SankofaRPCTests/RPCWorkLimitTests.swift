import SankofaJSON
import SankofaPrimitives
import Testing
@testable import SankofaRPC

/// Issue 18: the work one request, batch or client may cause — response bytes (EIP-1186 proofs first), and turns
/// for heavy calls.
@Suite("RPC work limits")
struct RPCWorkLimitTests {
    typealias F = RPCFixture

    static func proofCall(id: Int, keys: Int) -> String {
        let slots = (0..<keys).map { #""0x\#(String($0 + 1, radix: 16))""# }.joined(separator: ",")
        return #"{"jsonrpc":"2.0","id":\#(id),"method":"eth_getProof","params":["\#(F.contract.hex)",[\#(slots)],"latest"]}"#
    }

    static func harness(maxResponseBytes: Int) -> RPCHarness {
        var limits = RPCLimits()
        limits.maxResponseBytes = maxResponseBytes
        return RPCHarness(limits: limits)
    }

    /// A batch of proofs stops at the response budget: the calls after it answer -32005 with their ids and are not
    /// run, so the answer stays near the budget instead of ~80× the request.
    @Test func batchOfProofsStopsAtTheResponseBudget() async throws {
        let rpc = Self.harness(maxResponseBytes: 20_000)
        let body = "[" + (0..<50).map { Self.proofCall(id: $0, keys: 20) }.joined(separator: ",") + "]"
        let reply = try #require(await rpc.raw(body))
        #expect(reply.utf8.count < 40_000, "batch answer of \(reply.utf8.count) bytes")
        let answers = try #require(try JSONParser.parse(reply).arrayValue)
        #expect(answers.count == 50)
        let proved = answers.filter { $0["result"] != nil }.count
        #expect(proved > 0 && proved < 10, "\(proved) proofs answered")
        let refused = answers.filter { $0["error"]?["code"]?.intValue == -32005 }
        #expect(refused.count == 50 - proved)
        #expect(refused.last?["id"]?.intValue == 49)
        #expect(refused.first?["error"]?["message"]?.stringValue?.contains("--rpc-max-response-size") == true)
    }

    /// One proof larger than the whole budget is refused before it is encoded.
    @Test func oneProofOverTheBudgetIsRefused() async throws {
        let rpc = Self.harness(maxResponseBytes: 20_000)
        let reply = try #require(await rpc.raw(Self.proofCall(id: 7, keys: 1_000)))
        let answer = try JSONParser.parse(reply)
        #expect(answer["error"]?["code"]?.intValue == -32005, "\(reply.prefix(200))")
        #expect(answer["id"]?.intValue == 7)
        // Within budget it still answers.
        #expect(try JSONParser.parse(try #require(await rpc.raw(Self.proofCall(id: 8, keys: 5))))["result"] != nil)
    }

    /// Light calls are never charged a heavy turn; the rule that tells them apart.
    @Test(arguments: [
        ("eth_getLogs", [JSON]([]), true), ("eth_getProof", [], true), ("eth_call", [], true), ("eth_estimateGas", [], true),
        ("eth_getBlockReceipts", [], true), ("eth_getBlockByNumber", ["latest", true], true),
        ("eth_getBlockByNumber", ["latest", false], false), ("eth_getBlockByHash", ["0x00"], false),
        ("eth_blockNumber", [], false), ("eth_chainId", [], false), ("eth_getBalance", [], false),
        ("txpool_content", [], true), ("txpool_status", [], false),
    ] as [(String, [JSON], Bool)])
    func heavyCalls(method: String, params: [JSON], heavy: Bool) {
        #expect(RPCLimits.isHeavy(method, params) == heavy)
    }

    /// Turns are handed out first come, first served up to the global limit; one client's running and waiting heavy
    /// requests are bounded, and its extra ones answer -32005 at once while other clients still queue.
    @Test func heavyTurnsAreBoundedGloballyAndPerClient() async throws {
        var limits = RPCLimits()
        limits.maxActiveHeavyRequests = 1
        limits.maxHeavyRequestsPerAddress = 2
        let gate = HeavyCallGate(limits: limits)
        let first = try await gate.enter(client: "flood")
        let waiting = Task { try await gate.enter(client: "flood") }
        #expect(await rpcEventually { gate.load.waiting == 1 })
        await #expect(throws: RPCError.self) { _ = try await gate.enter(client: "flood") }
        let other = Task { try await gate.enter(client: "victim") }
        #expect(await rpcEventually { gate.load.waiting == 2 })
        first.leave()
        let second = try await waiting.value   // first in, first served
        #expect(gate.load == (active: 1, waiting: 1))
        second.leave()
        let third = try await other.value
        third.leave()
        #expect(gate.load == (active: 0, waiting: 0))
    }

    /// Over HTTP-like dispatch, a client past its heavy-request bound gets -32005 while its light calls still answer.
    @Test func clientOverItsHeavyBoundGetsLimitExceeded() async throws {
        var limits = RPCLimits()
        limits.maxActiveHeavyRequests = 1
        limits.maxHeavyRequestsPerAddress = 1
        let rpc = RPCHarness(limits: limits)
        let holder = try await rpc.dispatcher.heavyCalls.enter(client: "flood")
        defer { holder.leave() }
        let context = RPCCallContext(notifier: nil, client: "flood")
        let proof = try JSONParser.parse(try #require(await rpc.raw(Self.proofCall(id: 1, keys: 1), context: context)))
        #expect(proof["error"]?["code"]?.intValue == -32005, "\(proof)")
        let light = try JSONParser.parse(try #require(await rpc.raw(#"{"jsonrpc":"2.0","id":2,"method":"eth_blockNumber"}"#, context: context)))
        #expect(light["result"] != nil)
    }
}
