import SankofaJSON
import Testing
@testable import SankofaRPC

/// Inputs that once could exhaust memory or CPU, and estimation details found in review.
@Suite("RPC review regressions")
struct RPCReviewRegressionTests {
    let rpc = RPCHarness()
    typealias E = RPCExpected

    @Test func feeHistoryPercentilesAreBounded() async throws {
        let many = JSON.array((0..<101).map { _ in 50 })
        #expect(try await rpc.error("eth_feeHistory", ["0x2", "latest", many]) == RPCError.invalidParams("at most 100 reward percentiles"))
        #expect(try await rpc.error("eth_feeHistory", ["0x2", "latest", [50, 10]])
            == RPCError.invalidParams("reward percentiles must be numbers in [0, 100], ascending"))
        #expect(try await rpc.error("eth_feeHistory", ["0x2", "latest", [101]])
            == RPCError.invalidParams("reward percentiles must be numbers in [0, 100], ascending"))
        let ok = try await rpc.result("eth_feeHistory", ["0x2", "latest", [10, 50, 90]])
        #expect(ok["reward"]?.arrayValue?.first?.arrayValue?.count == 3)
    }

    /// Issue 18: a non-list `rewardPercentiles` was read as no percentiles and answered, not refused.
    @Test(arguments: [JSON.string("50"), 50, ["p": 50], true])
    func feeHistoryPercentilesMustBeAList(_ percentiles: JSON) async throws {
        #expect(try await rpc.error("eth_feeHistory", ["0x2", "latest", percentiles])
            == RPCError.invalidParams("argument 2 (rewardPercentiles) must be a list of numbers, e.g. [25, 75]"))
        let noRewards = try await rpc.result("eth_feeHistory", ["0x2", "latest", .null])
        #expect(noRewards["reward"] == nil)
    }

    @Test func proofKeysAreBounded() async throws {
        let keys = JSON.array((0..<1_025).map { _ in "0x0" })
        #expect(try await rpc.error("eth_getProof", [.string(E.contract), keys, "latest"])
            == RPCError.invalidParams("at most 1024 storage keys per proof"))
    }

    @Test func logFilterCriteriaAreBounded() async throws {
        let addresses = JSON.array((0..<1_001).map { _ in .string(E.contract) })
        #expect(try await rpc.error("eth_getLogs", [["address": addresses]]) == RPCError.invalidParams("at most 1000 addresses per filter"))
        #expect(try await rpc.error("eth_newFilter", [["topics": [.array((0..<1_001).map { _ in .string(E.contract + String(repeating: "0", count: 24)) })]]])
            == RPCError.invalidParams("at most 1000 alternatives per topic position"))
    }

    /// Access lists are part of intrinsic gas: 2,400 per address and 1,900 per storage key.
    @Test func estimateGasCountsAccessLists() async throws {
        let plain = try await rpc.result("eth_estimateGas", [["to": .string(E.contract), "data": "0xaabbccdd000000"]])
        let listed = try await rpc.result("eth_estimateGas", [["to": .string(E.contract), "data": "0xaabbccdd000000",
            "accessList": [["address": .string(E.contract), "storageKeys": [.string("0x" + String(repeating: "0", count: 64)),
                                                                            .string("0x" + String(repeating: "1", count: 64))]]]]])
        func gas(_ value: JSON) -> UInt64? { value.stringValue.flatMap { UInt64($0.dropFirst(2), radix: 16) } }
        let base = try #require(gas(plain))
        let withList = try #require(gas(listed))
        #expect(withList - base == 2_400 + 2 * 1_900)
    }
}
