import Foundation
import Logging
import SankofaChain
import SankofaCrypto
import SankofaNode
import SankofaP2P
import SankofaPrimitives
@testable import SankofaSync
import Testing

/// Issue 13: full sync onto a heavier Clique branch. Two nodes of one three-signer Clique chain build different
/// branches from genesis; the one with the lighter branch syncs from the other over eth/68 (real TCP on
/// 127.0.0.1, in this process) and reorganises onto the heavier branch.
@Suite("Sync reorganises onto a heavier Clique branch", .timeLimit(.minutes(1)))
struct SyncReorgTests {
    static let keys = DevGenesis.keys.map { try! PrivateKey(hex: $0.privateKey) }

    /// The dev genesis with all three dev keys as Clique signers.
    static var genesis: GenesisFile {
        get throws {
            let signers = keys.map(\.address).sorted { $0.bytes.lexicographicallyPrecedes($1.bytes) }
            let extra = String(repeating: "00", count: 32) + signers.map { Hex.encode($0.bytes, prefix: false) }.joined()
                + String(repeating: "00", count: 65)
            var text = DevGenesis.json
            let start = try #require(text.range(of: #""extraData": "0x"#))
            let end = try #require(text.range(of: "\"", range: start.upperBound..<text.endIndex))
            text.replaceSubrange(start.upperBound..<end.lowerBound, with: extra)
            return try GenesisFile(json: Array(text.utf8))
        }
    }

    static func node(_ directory: URL, _ name: String) throws -> Node {
        var config = NodeConfig()
        config.dataPath = directory.appendingPathComponent(name).path
        return try Node(config: config, genesis: try genesis, signer: keys[0], logger: Logger(label: "test"))
    }

    /// Seals one empty block on `node`'s head with `key`.
    static func seal(_ node: Node, with key: PrivateKey) async throws {
        let head = node.blockchain.head
        _ = try await node.blockchain.produceBlock(signer: key, candidates: [], timestamp: head.timestamp + 1)
    }

    static func eth(_ node: Node) async throws -> (EthHandler, P2PHost) {
        let handler = try EthHandler(configuration: .init(networkId: 1337), blockchain: node.blockchain, pool: node.pool,
                                     head: node.blockchain.head, logger: Logger(label: "test"))
        let host = P2PHost(configuration: .init(nodeKey: try PrivateKey.generate(), protocols: [EthProtocol()]),
                           onMessage: { handler.receive($1, from: $0) }, onPeer: { handler.peerChanged($0) })
        return (handler, host)
    }

    @Test func theLighterNodeReorganisesOntoTheHeavierBranch() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sankofa-reorg-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let heavy = try Self.node(directory, "heavy")
        let light = try Self.node(directory, "light")
        defer {
            heavy.store.close()
            light.store.close()
        }
        // Light: two blocks (signers 3, 1). Heavy: six blocks alternating signers 1 and 2 — more weight whatever
        // the in-turn pattern (at most 2 per block on light, at least 1 per block on heavy).
        for key in [Self.keys[2], Self.keys[0]] { try await Self.seal(light, with: key) }
        for index in 0..<6 { try await Self.seal(heavy, with: Self.keys[index % 2]) }
        let lightBlockOne = try #require(try light.chain.canonicalHash(1))
        let heavyHead = heavy.blockchain.head
        #expect(lightBlockOne != (try heavy.chain.canonicalHash(1)))

        let (serving, server) = try await Self.eth(heavy)
        let (syncing, client) = try await Self.eth(light)
        _ = serving
        let sync = ChainSync(handler: syncing, logger: Logger(label: "test"))
        let enode = try await server.start()
        try await client.start()
        let task = Task { await sync.run() }
        defer { task.cancel() }
        _ = try await client.connect(to: enode)
        var reorganised = false
        for _ in 0..<200 where !reorganised {
            reorganised = light.blockchain.head.hash == heavyHead.hash
            if !reorganised { try await Task.sleep(for: .milliseconds(50)) }
        }
        await client.stop()
        await server.stop()
        #expect(reorganised, "the light node did not move to the heavier branch")
        #expect(try light.chain.canonicalHash(1) == (try heavy.chain.canonicalHash(1)))
        #expect(try light.chain.canonicalHash(2) == (try heavy.chain.canonicalHash(2)))
        // The abandoned block is still stored, off the canonical chain.
        #expect(try light.chain.header(lightBlockOne) != nil)
    }

    /// Regression: a Clique signer that sealed block 1 before its eth side subscribed to head events advertised
    /// genesis in its Status forever, so no peer learned of its (heavier) block and three signers each stalled on
    /// their own block 1.
    @Test func aBlockSealedBeforeTheAnnouncerStartsIsInTheStatus() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sankofa-status-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let node = try Self.node(directory, "signer")
        defer { node.store.close() }
        let (handler, _) = try await Self.eth(node)
        #expect(handler.ourStatus().bestHash == (try node.chain.canonicalHash(0)))
        try await Self.seal(node, with: Self.keys[1])
        let announcer = Task { await handler.announceBlocks(wantsWholeBlock: { _, _ in true }) }
        defer { announcer.cancel() }
        let head = node.blockchain.head
        var status = handler.ourStatus()
        for _ in 0..<100 where status.bestHash != head.hash {
            try await Task.sleep(for: .milliseconds(20))
            status = handler.ourStatus()
        }
        #expect(status.bestHash == head.hash)
        #expect(status.totalDifficulty == (try node.chain.totalDifficulty(head.hash)))
    }
}
