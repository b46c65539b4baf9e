import Foundation
import SankofaContracts
import SankofaCrypto
import SankofaJSON
import SankofaPrimitives
import SankofaTestSupport
import Testing

/// Issue 15: light nodes (`--mode light`) beside a Clique validator and a replica, all separate `sankofa run`
/// processes on 127.0.0.1. Every answer a light node gives must equal the replica's; lying servers are caught,
/// banned, and worked around; verified headers survive a restart; a checkpoint start verifies forward.
@Suite("Light client over sfl/1", .enabled(if: SankofaBinary.available), .timeLimit(.minutes(6)))
struct LightClientTests {
    static let chainId: UInt64 = 4713
    /// Small, so a checkpoint start fetches back to a recent epoch block rather than genesis.
    static let epoch: UInt64 = 8

    @Test func lightNodesAnswerAsTheReplicaCatchLiarsAndKeepTheirHeaders() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sankofa-light-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let genesisPath = directory.appendingPathComponent("genesis.json").path
        let validator = try P2PTestNode("validator", in: directory, genesisPath: genesisPath)
        let replica = try P2PTestNode("replica", in: directory, genesisPath: genesisPath)
        let light = try P2PTestNode("light", in: directory, genesisPath: genesisPath)
        let created = try SankofaBinary.run(["genesis", "new", "--chain-id", String(Self.chainId), "--block-period", "1",
                                             "--validator", validator.key.address.checksummed, "--output", genesisPath])
        #expect(created.status == 0, "\(created.stderr)")
        let text = try String(contentsOfFile: genesisPath, encoding: .utf8)
        try text.replacingOccurrences(of: "\"epochlength\": 30000", with: "\"epochlength\": \(Self.epoch)")
            .write(toFile: genesisPath, atomically: true, encoding: .utf8)
        validator.mode = "validator"
        replica.extraArguments = ["--bootnodes", validator.enode]
        light.mode = "light"
        light.extraArguments = ["--bootnodes", "\(validator.enode),\(replica.enode)", "--rpc-ws-enabled", "--rpc-ws-port", String(light.wsPort)]
        var nodes = [validator, replica, light]
        var liars: [LyingLightServer] = []
        do {
            try await run(validator, replica, light, directory: directory, genesisPath: genesisPath, nodes: &nodes, liars: &liars)
        } catch {
            for node in nodes { await node.stop(SIGKILL) }
            for liar in liars { await liar.stop() }
            Issue.record(Comment(rawValue: "logs:\n" + nodes.map { "--- \($0.name)\n" + String($0.log.suffix(4_000)) }.joined(separator: "\n")))
            throw error
        }
        for node in nodes { await node.stop() }
        for liar in liars { await liar.stop() }
        try? FileManager.default.removeItem(at: directory)
    }

    private func run(_ validator: P2PTestNode, _ replica: P2PTestNode, _ light: P2PTestNode, directory: URL, genesisPath: String,
                     nodes: inout [P2PTestNode], liars: inout [LyingLightServer]) async throws {
        for node in [validator, replica, light] {
            try node.start()
            try await node.waitUntilListening()
        }
        // State worth asking about: transfers, IdentityRegistry and ResourceRegistry transactions from 20 senders,
        // spread over a dozen blocks so that queries about different blocks cannot be answered from one cached body.
        let bench = try SankofaBinary.run(["bench", "tx", "--rpc", "http://127.0.0.1:\(validator.rpcPort)", "--txs", "300",
                                           "--senders", "20", "--mix", "transfer,identity,resource", "--rate", "25",
                                           "--timeout", "60"], timeout: 120)
        #expect(bench.status == 0, "bench: \(bench.stderr.suffix(2_000))")
        let head = try #require(await QBFTNetworkTests.head(validator))
        try await QBFTNetworkTests.waitForHeads([replica, light], atLeast: head, seconds: 60)
        #expect(try await light.rpc.status("/readiness") == 200)
        let world = try await World.read(from: replica, upTo: head)
        #expect(world.transactions.count == 300, "the replica holds \(world.transactions.count) of 300 transactions")

        // 200 random queries: the light node answers exactly as the replica does.
        var random = SplitMix64(seed: 0x5eed_0015)
        var mismatches: [String] = []
        var substantial = 0
        for _ in 0..<200 {
            let (method, params) = world.randomQuery(&random)
            let fromLight = try await light.rpc.raw(method, params)
            let fromReplica = try await replica.rpc.raw(method, params)
            if let result = fromReplica["result"], !World.isTrivial(result) { substantial += 1 }
            if fromLight["result"] != fromReplica["result"] || fromLight["error"] != nil || fromReplica["error"] != nil {
                mismatches.append("\(method) \(JSONWriter.string(.array(params))): light \(JSONWriter.string(fromLight)) "
                    + "replica \(JSONWriter.string(fromReplica))".prefix(600))
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) of 200 answers differ:\n\(mismatches.prefix(5).joined(separator: "\n"))")
        // Most answers carry data (records, logs, receipts, nonces), not only zeros and absences.
        #expect(substantial >= 100, "only \(substantial) of 200 answers carry data")
        // newHeads over WebSocket carries verified headers; logs subscriptions are refused with a reason.
        let subscriber = try WebSocketTestClient(port: light.wsPort)
        defer { subscriber.close() }
        let subscribed = try subscriber.request(#"{"jsonrpc":"2.0","id":1,"method":"eth_subscribe","params":["newHeads"]}"#)
        #expect(subscribed["result"]?.stringValue != nil, "\(JSONWriter.string(subscribed))")
        let announced = try subscriber.next()
        let number = try #require(announced["params"]?["result"]?["number"]?.stringValue)
        let announcedHash = announced["params"]?["result"]?["hash"]
        #expect(try await replica.rpc.call("eth_getBlockByNumber", [.string(number), false])["hash"] == announcedHash)
        let second = try WebSocketTestClient(port: light.wsPort)
        defer { second.close() }
        let refused = try second.request(#"{"jsonrpc":"2.0","id":2,"method":"eth_subscribe","params":["logs",{}]}"#)
        #expect(refused["error"]?["message"]?.stringValue?.contains("light node") == true, "\(JSONWriter.string(refused))")

        // A transaction sent through the light node reaches a full node's pool and is mined.
        let user = try PrivateKey.generate()
        let tx = ReplicaSyncTests.transfer(from: user, nonce: 0, chainId: Self.chainId)
        #expect(try await light.rpc.call("eth_sendRawTransaction", [.string(Hex.encode(tx.encoded))]) == .string(tx.hash.hex))
        let mined = try await P2PTestNode.eventually(seconds: 30) {
            (try? await light.rpc.call("eth_getTransactionReceipt", [.string(tx.hash.hex)]))?["status"] == "0x1"
        }
        #expect(mined, "a transaction sent to the light node was not mined")
        let pendingNonce = try await light.rpc.raw("eth_getTransactionCount", [.string(user.address.hex), .string("pending")])
        #expect(pendingNonce["result"] == "0x1", "pending nonce through the light node: \(JSONWriter.string(pendingNonce))")

        // Lying servers: each lie is detected, the liar dropped and banned, and the answer still right.
        for lie in LyingLightServer.Lie.allCases {
            let liar = try LyingLightServer(lie: lie)
            liars.append(liar)
            let liarEnode = try await liar.start(honest: replica.enode)
            let victim = try P2PTestNode("light-\(lie.rawValue)", in: directory, genesisPath: genesisPath)
            victim.mode = "light"
            nodes.append(victim)
            if lie == .headerSeal {
                // Alone with the liar, the victim header-syncs from it and must refuse the badly sealed header
                // (a race with an honest server would decide who is asked first); then the honest server joins.
                victim.extraArguments = ["--bootnodes", liarEnode]
                try victim.start()
                try await victim.waitUntilListening()
                let refused = try await P2PTestNode.eventually(seconds: 30) { liar.dropped }
                #expect(refused, "the header-seal liar was not dropped")
                #expect((await QBFTNetworkTests.head(victim) ?? .max) < head, "a badly sealed header was stored")
                _ = try await victim.rpc.call("admin_addPeer", [.string(replica.enode)])
            } else {
                victim.extraArguments = ["--bootnodes", "\(liarEnode),\(replica.enode)"]
                try victim.start()
                try await victim.waitUntilListening()
            }
            try await QBFTNetworkTests.waitForHeads([victim], atLeast: head, seconds: 60)
            var wrong: [String] = []
            for (index, query) in world.queries(for: lie).enumerated() where index < 24 {
                let fromVictim = try await victim.rpc.raw(query.0, query.1)
                let fromReplica = try await replica.rpc.raw(query.0, query.1)
                if fromVictim["result"] != fromReplica["result"] || fromVictim["result"] == nil {
                    wrong.append("\(query.0): \(JSONWriter.string(fromVictim))".prefix(300).description)
                }
                if liar.dropped { break }
            }
            let caught = try await P2PTestNode.eventually(seconds: 10) { liar.dropped }
            #expect(liar.lies > 0, "the \(lie) liar was never asked")
            #expect(caught, "the \(lie) liar was not dropped")
            #expect(victim.log.contains("server lied and is banned"), "no ban logged for the \(lie) liar")
            #expect(wrong.isEmpty, "\(lie) liar: wrong answers \(wrong.prefix(3))")
            // After the ban every answer comes from the honest server.
            for query in world.queries(for: lie).suffix(4) {
                #expect(try await victim.rpc.raw(query.0, query.1)["result"] == (try await replica.rpc.raw(query.0, query.1))["result"])
            }
            await victim.stop()
            await liar.stop()
        }

        // Restart without peers: the verified headers are still there.
        let before = try #require(await QBFTNetworkTests.head(light))
        await light.stop()
        light.extraArguments = []
        try light.start()
        try await light.waitUntilListening()
        #expect((await QBFTNetworkTests.head(light) ?? 0) >= before, "the restarted light node lost verified headers")
        #expect(try await light.rpc.status("/readiness") == 503, "a light node without servers must not be ready")

        // A checkpoint start verifies forward from a trusted recent header; older headers are never fetched.
        try await QBFTNetworkTests.waitForHeads([validator], atLeast: 3 * Self.epoch, seconds: 60)
        let checkpointNumber = try #require(await QBFTNetworkTests.head(validator)) - 2
        let checkpointHash = try #require(try await replica.rpc.call("eth_getBlockByNumber", [.string("0x" + String(checkpointNumber, radix: 16)), false])["hash"]?.stringValue)
        let late = try P2PTestNode("light-checkpoint", in: directory, genesisPath: genesisPath)
        late.mode = "light"
        late.extraArguments = ["--bootnodes", replica.enode, "--light-checkpoint", checkpointHash]
        nodes.append(late)
        try late.start()
        try await late.waitUntilListening()
        let now = try #require(await QBFTNetworkTests.head(validator))
        try await QBFTNetworkTests.waitForHeads([late], atLeast: now, seconds: 60)
        #expect(late.log.contains("starts at checkpoint #\(checkpointNumber)"))
        #expect(try await late.rpc.call("eth_getBlockByNumber", ["0x1", false]) == .null, "a header before the checkpoint's epoch was fetched")
        let after = JSON.string("0x" + String(now, radix: 16))
        #expect(try await late.rpc.call("eth_getBlockByNumber", [after, false]) == (try await replica.rpc.call("eth_getBlockByNumber", [after, false])))
        let sender = world.senders[0]
        #expect(try await late.rpc.call("eth_getBalance", [.string(sender.hex), after])
                == (try await replica.rpc.call("eth_getBalance", [.string(sender.hex), after])))
    }
}

/// What the replica holds after the load: every transaction and its sender, for building queries.
private struct World {
    var head: UInt64
    var transactions: [(hash: String, block: UInt64)] = []
    var senders: [Address] = []

    static func read(from node: P2PTestNode, upTo head: UInt64) async throws -> World {
        var world = World(head: head)
        var senders: Set<Address> = []
        for number in 1...head {
            let block = try await node.rpc.call("eth_getBlockByNumber", [.string("0x" + String(number, radix: 16)), true])
            for tx in block["transactions"]?.arrayValue ?? [] {
                guard let hash = tx["hash"]?.stringValue, let from = tx["from"]?.stringValue else { continue }
                world.transactions.append((hash, number))
                senders.insert(try Address(hex: from))
            }
        }
        world.senders = senders.sorted { $0.bytes.lexicographicallyPrecedes($1.bytes) }
        return world
    }

    static func tag(_ number: UInt64) -> JSON { .string("0x" + String(number, radix: 16)) }

    /// Null, an empty list, or a quantity or word of zeros.
    static func isTrivial(_ result: JSON) -> Bool {
        switch result {
        case .null: return true
        case .array(let items): return items.isEmpty
        case .string(let text): return text.dropFirst(2).allSatisfy { $0 == "0" }
        default: return false
        }
    }

    func call(_ signature: String, _ arguments: [ABIValue], types: [ABIType], to contract: Address, at number: UInt64) -> (String, [JSON]) {
        let data = (try? ABI.encode(selector: ABI.selector(signature), arguments, as: types)) ?? []
        return ("eth_call", [.object(JSONObject([("to", .string(contract.hex)), ("data", .string(Hex.encode(data)))])), Self.tag(number)])
    }

    func randomQuery(_ random: inout SplitMix64) -> (String, [JSON]) {
        let number = UInt64.random(in: 1...head, using: &random)
        let sender = senders.randomElement(using: &random)!
        let tx = transactions.randomElement(using: &random)!
        switch Int.random(in: 0..<11, using: &random) {
        case 0: return ("eth_getBalance", [.string(sender.hex), Self.tag(number)])
        case 1: return ("eth_getTransactionCount", [.string(sender.hex), Self.tag(number)])
        case 2:
            let slot = Hex.encode(Keccak256.hash(random.bytes(8)).bytes)
            return ("eth_getStorageAt", [.string(SystemAddresses.identityRegistry.hex), .string(slot), Self.tag(number)])
        case 3: return ("eth_getTransactionReceipt", [.string(tx.hash)])
        case 4: return ("eth_getTransactionByHash", [.string(tx.hash)])
        case 5:
            let from = UInt64.random(in: 1...head, using: &random)
            return ("eth_getLogs", [.object(JSONObject([("fromBlock", Self.tag(from)), ("toBlock", Self.tag(min(head, from + 20)))]))])
        case 6: return ("eth_getBlockByNumber", [Self.tag(tx.block), .bool(Bool.random(using: &random))])
        case 7: return call("identityOf(address)", [.address(sender)], types: [.address], to: SystemAddresses.identityRegistry, at: number)
        case 8: return call("resourcesOf(address)", [.address(sender)], types: [.address], to: SystemAddresses.resourceRegistry, at: number)
        case 9: return call("resourceCount()", [], types: [], to: SystemAddresses.resourceRegistry, at: number)
        default:
            return ("eth_getProof", [.string(SystemAddresses.identityRegistry.hex),
                                     .array([.string(Hex.encode(Keccak256.hash(random.bytes(8)).bytes))]), Self.tag(number)])
        }
    }

    /// Queries that reach what a liar falsifies, each about a different block so none is answered from a cache.
    func queries(for lie: LyingLightServer.Lie) -> [(String, [JSON])] {
        let blocks = Array(Set(transactions.map(\.block))).sorted()
        switch lie {
        case .balance, .headerSeal:
            return (0..<senders.count).map { ("eth_getBalance", [.string(senders[$0].hex), Self.tag(UInt64(1 + $0 % Int(head)))]) }
        case .storage:
            return senders.enumerated().map { index, sender in
                call("identityOf(address)", [.address(sender)], types: [.address], to: SystemAddresses.identityRegistry,
                     at: head - UInt64(index) % head)
            }
        case .receipt:
            return blocks.compactMap { block in transactions.first { $0.block == block } }.map { ("eth_getTransactionReceipt", [.string($0.hash)]) }
        }
    }
}
