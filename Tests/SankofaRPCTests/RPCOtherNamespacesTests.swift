import Foundation
import SankofaJSON
import SankofaPrimitives
import Testing
@testable import SankofaRPC

/// web3_, net_, txpool_, admin_, clique_ and sankofa_.
@Suite("RPC web3, net, txpool, admin, clique, sankofa")
struct RPCOtherNamespacesTests {
    let rpc = RPCHarness()
    let signerA = JSON.string("0x00000000000000000000000000000000000000a1")
    let signerB = JSON.string("0x00000000000000000000000000000000000000b2")
    let signerC = JSON.string("0x00000000000000000000000000000000000000c3")

    @Test func web3() async throws {
        #expect(try await rpc.result("web3_clientVersion") == "sankofa/v0.1.0-test/linux-x86_64/swift6")
        #expect(try await rpc.result("web3_sha3", ["0x"]) == "0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470")
        #expect(try await rpc.result("web3_sha3", ["0x68656c6c6f20776f726c64"]) ==
            "0x47173285a8d7341e5e972fc677286384f802f8ef42a5ec5f03bbfa254cb01fad")
        #expect(try await rpc.error("web3_sha3", [5]) == RPCError.invalidParams("argument 0 must be a string"))
    }

    @Test func net() async throws {
        #expect(try await rpc.result("net_version") == "2024")   // decimal, as a string
        #expect(try await rpc.result("net_listening") == true)
        #expect(try await rpc.result("net_peerCount") == "0x3")
    }

    @Test func txpoolStartsEmpty() async throws {
        #expect(try await rpc.result("txpool_status") == ["pending": "0x0", "queued": "0x0"])
        #expect(try await rpc.result("txpool_content") == ["pending": [:], "queued": [:]])
    }

    @Test func admin() async throws {
        let info = try await rpc.result("admin_nodeInfo")
        #expect(info.objectValue?.keys == ["enode", "name", "protocols"])
        #expect(info["enode"] == .string("enode://" + String(repeating: "ab", count: 64) + "@127.0.0.1:30303"))
        #expect(try await rpc.result("admin_peers") == [])
        #expect(try await rpc.error("admin_addPeer", ["enode://x@1.2.3.4:30303"]) ==
            RPCError(code: -32000, message: "peer-to-peer networking is not available yet"))
        #expect(try await rpc.error("admin_removePeer", ["enode://x@1.2.3.4:30303"]) ==
            RPCError(code: -32000, message: "peer-to-peer networking is not available yet"))
    }

    @Test func cliqueSigners() async throws {
        #expect(try await rpc.result("clique_getSigners") == [signerA, signerB])
        #expect(try await rpc.result("clique_getSigners", ["latest"]) == [signerA, signerB])
        #expect(try await rpc.result("clique_getSigners", ["0x0"]) == [signerA])
        #expect(try await rpc.result("clique_getSigners", ["earliest"]) == [signerA])
        #expect(try await rpc.result("clique_getSignersAtHash", [RPCJSON.hash(rpc.fake.block(1).hash)]) == [signerA, signerB])
        #expect(try await rpc.error("clique_getSigners", ["0x3"]) == RPCError(code: -32000, message: "unknown block"))
        #expect(try await rpc.error("clique_getSignersAtHash", [.string(RPCExpected.zeroHash)]) ==
            RPCError(code: -32000, message: "unknown block"))
        #expect(try await rpc.error("clique_getSignersAtHash", []) ==
            RPCError.invalidParams("missing value for required argument 0 (string)"))
    }

    @Test func cliqueVoting() async throws {
        #expect(try await rpc.result("clique_proposals") == [:])
        #expect(try await rpc.result("clique_propose", [signerC, true]) == true)
        #expect(try await rpc.result("clique_propose", [signerB, false]) == true)
        // Keyed by lowercase address, in address order.
        let proposals = try await rpc.result("clique_proposals")
        #expect(proposals == .object(JSONObject([(signerB.stringValue!, false), (signerC.stringValue!, true)])))
        #expect(await rpc.fake.proposals() == [RPCFixture.signerB: false, Address(low: 0xc3): true])
        #expect(try await rpc.result("clique_discard", [signerB]) == true)
        #expect(try await rpc.result("clique_proposals") == .object(JSONObject([(signerC.stringValue!, true)])))
        // Discarding nothing still answers true.
        #expect(try await rpc.result("clique_discard", [signerA]) == true)
    }

    @Test func cliqueProposeNeedsABoolean() async throws {
        #expect(try await rpc.error("clique_propose", [signerC, "true"]) ==
            RPCError.invalidParams("argument 1 must be true (add) or false (remove)"))
        #expect(try await rpc.error("clique_propose", [signerC, 1]) ==
            RPCError.invalidParams("argument 1 must be true (add) or false (remove)"))
        #expect(try await rpc.error("clique_propose", ["0x12", true]) ==
            RPCError.invalidParams("argument 0: 0x12 is not a 20-byte hex address"))
        #expect(await rpc.fake.proposals() == [:])
    }

    @Test func sankofaNodeInfoFollowsTheHead() async throws {
        let block3 = rpc.fake.appendBlock()
        let info = try await rpc.result("sankofa_nodeInfo")
        #expect(info.objectValue?.keys == ["clientVersion", "mode", "tier", "chainId", "consensus", "head", "finalized", "peers", "enode"])
        #expect(info["head"] == ["number": "0x3", "hash": RPCJSON.hash(block3.hash)])
        #expect(info["finalized"] == ["number": "0x3", "hash": RPCJSON.hash(block3.hash)])
        #expect(try await rpc.result("eth_blockNumber") == "0x3")
    }

    @Test func sankofaNodeInfoShowsTheValidatorLease() async throws {
        rpc.fake.lease.withLock {
            $0 = ValidatorLeaseInfo(role: "active", key: "/sankofa/net/v1", leaseId: 2_324_035_791_814_543_111, secondsLeft: 4.7,
                                    holder: "0xA6C6CB2b05250D2915212BA22cbdDe5D8363822E@10.0.0.5:30303", reason: "claimed the free lease key")
        }
        let info = try await rpc.result("sankofa_nodeInfo")
        #expect(info["validatorLease"] == ["role": "active", "key": "/sankofa/net/v1", "leaseId": "2324035791814543111",
                                           "secondsLeft": 4, "holder": "0xA6C6CB2b05250D2915212BA22cbdDe5D8363822E@10.0.0.5:30303",
                                           "reason": "claimed the free lease key"])
    }
}
