import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import SankofaChain
import SankofaCrypto
import SankofaJSON
import SankofaPrimitives
import SankofaTestSupport
import Testing

/// Real `sankofa run` processes on 127.0.0.1 connecting over RLPx, observed only through JSON-RPC: every wait is
/// bounded and every process is stopped, also when an expectation fails.
@Suite("sankofa run peer to peer", .enabled(if: SankofaBinary.available), .timeLimit(.minutes(3)))
struct P2PNetworkTests {
    /// Makes `names.count` nodes on one genesis, runs `body`, then stops them all and removes their files.
    func withNodes(_ names: [String], _ body: ([P2PTestNode]) async throws -> Void) async throws {
        let (directory, genesisPath) = try P2PTestNode.network()
        let nodes = try names.map { try P2PTestNode($0, in: directory, genesisPath: genesisPath) }
        do {
            try await body(nodes)
        } catch {
            for node in nodes { await node.stop(SIGKILL) }
            let logs: [String] = nodes.map { node in "--- \(node.name)\n" + String(node.log.suffix(2_000)) }
            Issue.record(Comment(rawValue: "logs:\n" + logs.joined(separator: "\n")))
            throw error
        }
        for node in nodes { await node.stop() }
        try? FileManager.default.removeItem(at: directory)
    }

    func expectPeers(_ node: P2PTestNode, _ count: Int, within seconds: Double = 30) async throws {
        let reached = try await P2PTestNode.eventually(seconds: seconds) { await node.peerCount() == count }
        let actual = await node.peerCount()
        #expect(reached, "\(node.name) has \(String(describing: actual)) peers, expected \(count)")
        if !reached { throw RPCTestError(description: "\(node.name) never reached \(count) peers") }
    }

    /// Starts `a`, then `b` with `a` as its bootnode.
    func startDialling(_ b: P2PTestNode, to a: P2PTestNode) async throws {
        try a.start()
        try await a.waitUntilListening()
        b.extraArguments += ["--bootnodes", a.enode]
        try b.start()
    }

    /// Handshake and Hello: each node sees the other in `admin_peers` and `net_peerCount`; readiness follows peers.
    @Test func twoNodesHandshakeAndSeeEachOther() async throws {
        try await withNodes(["a", "b"]) { nodes in
            let (a, b) = (nodes[0], nodes[1])
            let metricsPort = try DevRPCEndToEndTests.freePort()
            a.extraArguments = ["--metrics-enabled", "--metrics-port", String(metricsPort)]
            try a.start()
            try await a.waitUntilListening()
            #expect(try await a.rpc.status("/readiness") == 503)   // no peer yet
            b.extraArguments = ["--bootnodes", a.enode]
            try b.start()
            try await expectPeers(a, 1)
            try await expectPeers(b, 1)
            #expect(await a.peerIDs() == [b.id])
            #expect(await b.peerIDs() == [a.id])

            let seenByA = try #require(try await a.rpc.call("admin_peers").arrayValue?.first)
            #expect(seenByA["name"] == "sankofa/v0.1.0/linux-x86_64/swift6")
            #expect(seenByA["network"]?["inbound"] == true)
            #expect(seenByA["enode"]?.stringValue == b.enode)   // Hello's listen port, the TCP peer's IP
            let seenByB = try #require(try await b.rpc.call("admin_peers").arrayValue?.first)
            #expect(seenByB["network"]?["inbound"] == false)
            #expect(seenByB["network"]?["remoteAddress"]?.stringValue == "127.0.0.1:\(a.p2pPort)")

            let info = try await a.rpc.call("admin_nodeInfo")
            #expect(info["enode"]?.stringValue == a.enode)
            #expect(info["ports"]?["listener"] == .number(JSONNumber(a.p2pPort)))
            #expect(try await a.rpc.call("net_enode").stringValue == a.enode)
            #expect(try await a.rpc.call("sankofa_nodeInfo")["peers"] == "0x1")
            #expect(try await a.rpc.status("/readiness") == 200)
            #expect(try await b.rpc.status("/readiness") == 200)

            let (data, _) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(metricsPort)/metrics")!)
            let metrics = String(decoding: data, as: UTF8.self)
            #expect(metrics.contains(#"sankofa_p2p_peers{direction="inbound"} 1"#), "\(metrics)")
            #expect(metrics.contains(#"sankofa_p2p_messages_total{direction="inbound",protocol="p2p"}"#))
            #expect(metrics.contains("sankofa_p2p_bytes_total"))
        }
    }

    @Test func threeNodesConnectToEachOther() async throws {
        try await withNodes(["a", "b", "c"]) { nodes in
            let (a, b, c) = (nodes[0], nodes[1], nodes[2])
            try a.start()
            b.extraArguments = ["--bootnodes", a.enode]
            try b.start()
            c.extraArguments = ["--bootnodes", "\(a.enode),\(b.enode)"]
            try c.start()
            try await expectPeers(a, 2)
            try await expectPeers(b, 2)
            try await expectPeers(c, 2)
            #expect(Set(await c.peerIDs()) == [a.id, b.id])
        }
    }

    /// Two nodes that list each other as bootnodes dial each other at once; they settle on one connection.
    @Test func mutualBootnodesSettleOnOneConnection() async throws {
        try await withNodes(["a", "b"]) { nodes in
            let (a, b) = (nodes[0], nodes[1])
            a.extraArguments = ["--bootnodes", b.enode]
            b.extraArguments = ["--bootnodes", a.enode]
            try a.start()
            try b.start()
            try await expectPeers(a, 1)
            try await expectPeers(b, 1)
            try await Task.sleep(for: .seconds(2))
            #expect(await a.peerCount() == 1)
            #expect(await b.peerCount() == 1)
        }
    }

    /// A peer killed with SIGKILL and restarted is found again by the node that dials it.
    @Test func reconnectsAfterAPeerIsKilledAndRestarted() async throws {
        try await withNodes(["a", "b"]) { nodes in
            let (a, b) = (nodes[0], nodes[1])
            try await startDialling(b, to: a)
            try await expectPeers(b, 1)
            await a.stop(SIGKILL)
            try await expectPeers(b, 0)
            try a.start()
            try await expectPeers(a, 1)
            try await expectPeers(b, 1)
            #expect(await b.peerIDs() == [a.id])
        }
    }

    /// A node with an allow-list refuses an unlisted node whichever side dials, by node id; listing it at run time
    /// lets it in, and removing it again disconnects it at once.
    @Test func allowlistRefusesUnlistedNodesInBothDirections() async throws {
        try await withNodes(["a", "b", "c"]) { nodes in
            let (a, b, c) = (nodes[0], nodes[1], nodes[2])
            let permissions = a.directory.appendingPathComponent("a-permissions.toml").path
            try "nodes-allowlist = [\"\(b.enode)\"]\n".write(toFile: permissions, atomically: true, encoding: .utf8)
            a.extraArguments = ["--permissions-nodes-config-file-enabled", "--permissions-nodes-config-file", permissions]
            for node in nodes { try node.start() }
            for node in nodes { try await node.waitUntilListening() }

            // B is listed: it connects.
            #expect(try await b.rpc.call("admin_addPeer", [.string(a.enode)]) == true)
            try await expectPeers(a, 1)
            // C dials A: refused in the handshake. A dials C: refused before dialling.
            #expect(try await c.rpc.call("admin_addPeer", [.string(a.enode)]) == true)
            let refused = try await a.rpc.error("admin_addPeer", [.string(c.enode)])
            #expect(refused["message"]?.stringValue?.contains("not on the nodes allowlist") == true)
            try await Task.sleep(for: .seconds(2))
            #expect(await a.peerIDs() == [b.id])
            #expect(await c.peerCount() == 0)

            // Listed at run time (and persisted), C gets in; removed again, it is dropped at once.
            #expect(try await a.rpc.call("perm_addNodesToAllowlist", [[.string(c.enode)]]) == "Success")
            #expect(try await a.rpc.call("perm_getNodesAllowlist") == [.string(b.enode), .string(c.enode)])
            #expect(try await a.rpc.call("admin_addPeer", [.string(c.enode)]) == true)
            try await expectPeers(a, 2)
            #expect(try await a.rpc.call("perm_removeNodesFromAllowlist", [[.string(c.enode)]]) == "Success")
            try await expectPeers(a, 1, within: 5)
            #expect(await a.peerIDs() == [b.id])
            let file = try String(contentsOfFile: permissions, encoding: .utf8)
            #expect(file.contains(b.id) && !file.contains(c.id), "\(file)")
            // Without permissioning enabled, perm_ says so.
            #expect(try await b.rpc.error("perm_getNodesAllowlist")["code"] == -32000)
        }
    }

    /// Bad P2P settings stop the node with one line naming the flag or file.
    @Test func badP2PSettingsAreOneClearLine() async throws {
        let (directory, genesisPath) = try P2PTestNode.network()
        defer { try? FileManager.default.removeItem(at: directory) }
        let data = directory.appendingPathComponent("data").path
        let base = ["run", "--genesis-file", genesisPath, "--data-path", data, "--mode", "replica"]
        let badBootnode = try SankofaBinary.run(base + ["--bootnodes", "enode://1234@10.0.0.1:30303"])
        #expect(badBootnode.status != 0)
        #expect(badBootnode.stderr.split(separator: "\n").last == "Error: --bootnodes: invalid enode node id: 4 hex digits, expected 128",
                "\(badBootnode.stderr)")
        let missing = try SankofaBinary.run(base + ["--permissions-nodes-config-file-enabled"])
        #expect(missing.status != 0)
        #expect(missing.stderr.split(separator: "\n").last?.contains("cannot read permissions file \(data)/permissions_config.toml") == true,
                "\(missing.stderr)")
        // The P2P port is taken by a running node.
        let node = try P2PTestNode("a", in: directory, genesisPath: genesisPath)
        try node.start()
        try await node.waitUntilListening()
        let taken = try SankofaBinary.run(base + ["--p2p-port", String(node.p2pPort)])
        await node.stop()
        #expect(taken.status != 0)
        #expect(taken.stderr.split(separator: "\n").last ==
            "Error: cannot listen for P2P on 127.0.0.1:\(node.p2pPort): the port is already in use (choose another port with --p2p-port)",
            "\(taken.stderr)")
    }

    @Test func addAndRemovePeerAtRunTime() async throws {
        try await withNodes(["a", "b"]) { nodes in
            let (a, b) = (nodes[0], nodes[1])
            for node in nodes { try node.start() }
            for node in nodes { try await node.waitUntilListening() }
            #expect(await a.peerCount() == 0)
            #expect(try await b.rpc.call("admin_addPeer", [.string(a.enode)]) == true)
            try await expectPeers(a, 1)
            try await expectPeers(b, 1)
            #expect(try await b.rpc.call("admin_removePeer", [.string(a.enode)]) == true)
            try await expectPeers(a, 0, within: 5)
            try await expectPeers(b, 0, within: 5)
            let bad = try await b.rpc.error("admin_addPeer", ["enode://nope"])
            #expect(bad["code"] == -32602)
        }
    }

    /// eth/68 transaction exchange in both directions at once: each node announces what it was sent while the other
    /// announces to it. Fetching an announcement used to wait inside the peer's inbox, which also serves that
    /// peer's GetPooledTransactions, so two nodes announcing to each other each waited for the other until the
    /// 10 s request timeout, and under load hardly any transaction crossed (each QBFT proposer then built blocks
    /// from its own RPC clients' transactions only). Both pools must hold all of them well within that timeout.
    @Test func transactionsSentToTwoNodesAtOnceReachBothPools() async throws {
        try await withNodes(["a", "b"]) { nodes in
            let (a, b) = (nodes[0], nodes[1])
            try await startDialling(b, to: a)
            try await expectPeers(a, 1)
            try await expectPeers(b, 1)

            let perNode = 300
            let (toA, toB) = (try Self.signedTransfers(perNode), try Self.signedTransfers(perNode))
            let (rpcA, rpcB) = (a.rpc, b.rpc)
            async let sentToA: Void = Self.send(toA, to: rpcA)
            async let sentToB: Void = Self.send(toB, to: rpcB)
            _ = try await (sentToA, sentToB)

            let crossed = try await P2PTestNode.eventually(seconds: 6) {
                let (inA, inB) = (await Self.pending(a), await Self.pending(b))
                return inA == 2 * perNode && inB == 2 * perNode
            }
            let (inA, inB) = (await Self.pending(a), await Self.pending(b))
            #expect(crossed, "pending after 6 s: a \(String(describing: inA)), b \(String(describing: inB)) of \(2 * perNode)")
        }
    }

    /// A line A – B – C: what A's clients send goes to B in full (Transactions: no peer can have it yet), and B,
    /// having it from a peer, announces it to C (NewPooledTransactionHashes), which fetches it from B.
    @Test func ownTransactionsGoInFullAndRelayedOnesByAnnouncement() async throws {
        try await withNodes(["a", "b", "c"]) { nodes in
            let (a, b, c) = (nodes[0], nodes[1], nodes[2])
            let metricsPorts = try (0..<3).map { _ in try DevRPCEndToEndTests.freePort() }
            for (node, port) in zip(nodes, metricsPorts) { node.extraArguments = ["--metrics-enabled", "--metrics-port", String(port)] }
            try b.start()
            try await b.waitUntilListening()
            for node in [a, c] {
                node.extraArguments += ["--bootnodes", b.enode]
                try node.start()
            }
            try await expectPeers(b, 2)

            let count = 50
            try await Self.send(try Self.signedTransfers(count), to: a.rpc)
            let reached = try await P2PTestNode.eventually(seconds: 10) { await Self.pending(c) == count }
            let inC = await Self.pending(c)
            #expect(reached, "c holds \(String(describing: inC)) of \(count)")
            #expect(await Self.pending(b) == count)

            let received = Self.received
            #expect(try await received(metricsPorts[1], "transactions") >= 1, "B got A's transactions in full")
            #expect(try await received(metricsPorts[1], "newPooledTransactionHashes") == 0, "A announced its own transactions")
            #expect(try await received(metricsPorts[2], "newPooledTransactionHashes") >= 1, "B did not announce to C")
            #expect(try await received(metricsPorts[2], "pooledTransactions") >= 1, "C did not fetch from B")
            #expect(try await received(metricsPorts[2], "transactions") == 0, "B sent relayed transactions in full")
        }
    }

    /// A triangle A, B, C: B and C get A's transactions at the same moment and would each announce them to the other,
    /// which already has them. Each waits a random moment before relaying, and the later one finds its peer has
    /// already announced them: about one announcement per batch between B and C instead of two.
    @Test func peersThatGotTheSameTransactionsMostlySkipAnnouncingThemToEachOther() async throws {
        try await withNodes(["a", "b", "c"]) { nodes in
            let (a, b, c) = (nodes[0], nodes[1], nodes[2])
            let metricsPorts = try (0..<3).map { _ in try DevRPCEndToEndTests.freePort() }
            for (node, port) in zip(nodes, metricsPorts) { node.extraArguments = ["--metrics-enabled", "--metrics-port", String(port)] }
            try await startDialling(c, to: b)
            try await expectPeers(b, 1)
            a.extraArguments += ["--bootnodes", "\(b.enode),\(c.enode)"]
            try a.start()
            for node in nodes { try await expectPeers(node, 2) }

            let batches = 10, perBatch = 5
            let transfers = try Self.signedTransfers(batches * perBatch)
            for batch in 0..<batches {
                try await Self.sendInOneRequest(Array(transfers[batch * perBatch..<(batch + 1) * perBatch]), to: a.rpc.port)
                try await Task.sleep(for: .milliseconds(300))
            }
            let reached = try await P2PTestNode.eventually(seconds: 10) {
                let (inB, inC) = (await Self.pending(b), await Self.pending(c))
                return inB == transfers.count && inC == transfers.count
            }
            #expect(reached)
            let broadcasts = try await Self.received(metricsPorts[1], "transactions")
            let announcements = try await Self.received(metricsPorts[1], "newPooledTransactionHashes")
                + Self.received(metricsPorts[2], "newPooledTransactionHashes")
            #expect(broadcasts >= batches)
            #expect(announcements >= 1)
            #expect(Double(announcements) <= 1.5 * Double(broadcasts),
                    "B and C announced to each other \(announcements) times for \(broadcasts) batches from A")
        }
    }

    /// One JSON-RPC batch of `eth_sendRawTransaction` calls: one pool admission, so one broadcast to each peer.
    static func sendInOneRequest(_ transactions: [String], to port: Int) async throws {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)")!)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        let calls = transactions.enumerated().map { id, raw in
            JSON.object(JSONObject([("jsonrpc", "2.0"), ("id", .number(JSONNumber(id))), ("method", "eth_sendRawTransaction"),
                                    ("params", .array([.string(raw)]))]))
        }
        request.httpBody = Data(JSONWriter.encode(.array(calls)))
        let (data, _) = try await URLSession.shared.data(for: request)
        let answers = try #require(try JSONParser.parse(Array(data)).arrayValue)
        #expect(answers.count == transactions.count && answers.allSatisfy { $0["result"] != nil }, "\(answers)")
    }

    /// How many eth messages of `type` the node whose metrics are on `port` has received.
    @Sendable static func received(_ port: Int, _ type: String) async throws -> Int {
        let (data, _) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)/metrics")!)
        let prefix = "sankofa_eth_messages_received_total{type=\"\(type)\"} "
        let line = String(decoding: data, as: UTF8.self).split(separator: "\n").first { $0.hasPrefix(prefix) }
        return line.flatMap { Double($0.dropFirst(prefix.count)) }.map { Int($0) } ?? 0
    }

    /// `count` transfers from one new sender, as raw hex.
    static func signedTransfers(_ count: Int) throws -> [String] {
        let key = try PrivateKey.generate()
        return (0..<count).map { nonce in
            Hex.encode(Transaction.Payload.dynamicFee(DynamicFeeTransaction(
                chainId: 4711, nonce: UInt64(nonce), maxPriorityFeePerGas: .zero, maxFeePerGas: .zero, gasLimit: 21_000,
                to: key.address, value: .zero, data: [], accessList: [])).signed(with: key).encoded)
        }
    }

    @Sendable static func send(_ transactions: [String], to rpc: RPCClient) async throws {
        for raw in transactions { _ = try await rpc.call("eth_sendRawTransaction", [.string(raw)]) }
    }

    /// `txpool_status`'s pending count.
    static func pending(_ node: P2PTestNode) async -> Int? {
        guard let text = (try? await node.rpc.call("txpool_status"))?["pending"]?.stringValue else { return nil }
        return Int(text.dropFirst(2), radix: 16)
    }
}
