import Foundation
import NIOCore
import SankofaChain
import SankofaCrypto
import SankofaJSON
import SankofaP2P
import SankofaPrimitives
import SankofaTestSupport
import Testing

/// Issue 13: peers that lie during sync. A test peer in this process speaks eth/68 to a real `sankofa` replica,
/// claims a heavier chain, and answers its requests with forged headers (seals nobody made), with real headers
/// but tampered bodies, or with malformed RLP. Each time the replica must drop the peer and keep its chain; then
/// it syncs correctly from the honest validator.
@Suite("Hostile peers during sync", .enabled(if: SankofaBinary.available), .timeLimit(.minutes(3)))
struct HostileSyncPeerTests {
    /// How the test peer lies.
    enum Lie: Sendable {
        /// A chain of headers whose seals were made by a key that is no signer.
        case forgedSeals
        /// The real chain's headers, each body missing its first transaction.
        case tamperedBodies
        /// A NewBlockHashes message that is not valid RLP.
        case malformedMessage
    }

    /// A one-peer eth/68 node that answers from `headers` and `bodies`, as told by `lie`.
    final class LyingPeer: Sendable {
        let host: P2PHost
        let ended = Locked(false)

        init(lie: Lie, status: EthStatus, headers: [BlockHeader], bodies: [Hash32: BlockBody]) throws {
            let source = HeaderList(headers: headers)
            let ended = self.ended
            host = P2PHost(configuration: .init(nodeKey: try PrivateKey.generate(), protocols: [EthProtocol()]),
                           onMessage: { peer, message in
                let reply: EthMessage?
                switch try? EthMessage.decode(code: message.id, data: message.data) {
                case .getBlockHeaders(let id, let query)?:
                    reply = .blockHeaders(requestId: id, (try? HeaderRequestServer.answer(query, from: source)) ?? [])
                case .getBlockBodies(let id, let hashes)?:
                    reply = .blockBodies(requestId: id, hashes.compactMap { bodies[$0] })
                default:
                    reply = nil
                }
                if let reply {
                    peer.channel.writeAndFlush(SubProtocolMessage(protocolName: "eth", id: reply.code.rawValue, data: reply.encoded),
                                               promise: nil)
                }
            }, onPeer: { change in
                switch change {
                case .connected(let peer):
                    let send = { (message: EthMessage) in
                        peer.channel.writeAndFlush(SubProtocolMessage(protocolName: "eth", id: message.code.rawValue,
                                                                      data: message.encoded), promise: nil)
                    }
                    send(.status(status))
                    if case .malformedMessage = lie {
                        peer.channel.writeAndFlush(SubProtocolMessage(protocolName: "eth", id: EthMessageCode.newBlockHashes.rawValue,
                                                                      data: [0xc5, 0xc3, 0x01]), promise: nil)
                    }
                case .disconnected:
                    ended.withLock { $0 = true }
                }
            })
        }
    }

    struct HeaderList: HeaderSource {
        let headers: [BlockHeader]
        func header(_ hash: Hash32) throws -> BlockHeader? { headers.first { $0.hash == hash } }
        func canonicalHeader(_ number: UInt64) throws -> BlockHeader? { headers.first { $0.number == number } }
    }

    @Test func liarsAreDroppedAndTheReplicaStaysCorrect() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sankofa-hostile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let genesisPath = directory.appendingPathComponent("genesis.json").path
        let validator = try P2PTestNode("validator", in: directory, genesisPath: genesisPath)
        let replica = try P2PTestNode("replica", in: directory, genesisPath: genesisPath)
        let genesis = try SankofaBinary.run(["genesis", "new", "--chain-id", String(ReplicaSyncTests.chainId), "--block-period", "0",
                                             "--validator", validator.key.address.checksummed, "--output", genesisPath])
        #expect(genesis.status == 0, "\(genesis.stderr)")
        validator.mode = "validator"
        do {
            let blocks = try await ReplicaSyncTests.writeBacklog(validator, genesisPath: genesisPath, blocks: 12, transactionsPerBlock: 2)
            try await run(validator, replica, blocks)
        } catch {
            for node in [validator, replica] { await node.stop(SIGKILL) }
            Issue.record(Comment(rawValue: "logs:\n" + [validator, replica].map { "--- \($0.name)\n" + String($0.log.suffix(4_000)) }.joined(separator: "\n")))
            throw error
        }
        for node in [validator, replica] { await node.stop() }
        try? FileManager.default.removeItem(at: directory)
    }

    private func run(_ validator: P2PTestNode, _ replica: P2PTestNode, _ blocks: [Block]) async throws {
        try replica.start()
        try await replica.waitUntilListening()
        let genesisBlock = try await replica.rpc.call("eth_getBlockByNumber", ["0x0", false])
        let genesisHash = try Hash32(hex: try #require(genesisBlock["hash"]?.stringValue))
        let genesisHeader = try #require(blocks.first.map { _ in genesisHash })
        let replicaEnode = try Enode(replica.enode)

        // 1. Forged seals: a heavier chain signed by nobody the chain knows.
        let impostor = try PrivateKey.generate()
        var forged: [BlockHeader] = []
        var parent = genesisHeader
        for header in blocks.prefix(5).map(\.header) {
            var fake = header
            fake.parentHash = parent
            fake.transactionsRoot = BlockHeader.emptyTrieRoot
            fake.extraData = Array(repeating: 0, count: 32) + Array(repeating: 0, count: 65)
            let seal = impostor.sign(Keccak256.hash(fake.rlpEncoded))
            fake.extraData = Array(repeating: 0, count: 32) + seal.rsv
            forged.append(fake)
            parent = fake.hash
        }
        let emptyBodies = Dictionary(uniqueKeysWithValues: forged.map { ($0.hash, BlockBody(transactions: [])) })
        try await expectDropped(.forgedSeals, headers: forged, bodies: emptyBodies, head: forged.last!, genesis: genesisHash,
                                replica: replica, at: replicaEnode)

        // 2. Real headers, bodies that do not match them.
        let tampered = Dictionary(uniqueKeysWithValues: blocks.map { ($0.hash, BlockBody(transactions: Array($0.transactions.dropFirst()))) })
        try await expectDropped(.tamperedBodies, headers: blocks.map(\.header), bodies: tampered, head: blocks.last!.header,
                                genesis: genesisHash, replica: replica, at: replicaEnode)

        // 3. Malformed RLP.
        try await expectDropped(.malformedMessage, headers: [], bodies: [:], head: blocks.last!.header, genesis: genesisHash,
                                replica: replica, at: replicaEnode)
        #expect(await QBFTNetworkTests.head(replica) == 0, "the replica imported something from a liar")

        // Then the honest validator: the replica syncs its real chain.
        try validator.start()
        try await validator.waitUntilListening()
        #expect(try await replica.rpc.call("admin_addPeer", [.string(validator.enode)]) == .bool(true))
        try await QBFTNetworkTests.waitForHeads([replica], atLeast: UInt64(blocks.count), seconds: 60)
        let tag = JSON.string("0x" + String(blocks.count, radix: 16))
        #expect(try await replica.rpc.call("eth_getBlockByNumber", [tag, false])["hash"] == .string(blocks.last!.hash.hex))
        #expect(replica.log.contains("peer dropped"), "the replica did not log why it dropped the liars")
    }

    private func expectDropped(_ lie: Lie, headers: [BlockHeader], bodies: [Hash32: BlockBody], head: BlockHeader,
                               genesis: Hash32, replica: P2PTestNode, at enode: Enode) async throws {
        let status = EthStatus(networkId: ReplicaSyncTests.chainId, totalDifficulty: UInt256(1_000_000), bestHash: head.hash,
                               genesisHash: genesis, forkID: ForkSchedule(genesisHash: genesis, blockForks: []).forkID(headNumber: 0))
        let liar = try LyingPeer(lie: lie, status: status, headers: headers, bodies: bodies)
        try await liar.host.start()
        _ = try await liar.host.connect(to: enode)
        let dropped = try await P2PTestNode.eventually(seconds: 20) { liar.ended.withLock { $0 } }
        await liar.host.stop()
        #expect(dropped, "the replica kept a peer that lied with \(lie)")
        let reason = switch lie {
        case .forgedSeals: "is invalid: consensus"
        case .tamperedBodies: "does not match header"
        case .malformedMessage: "malformed eth NewBlockHashes"
        }
        let logged = try await P2PTestNode.eventually(seconds: 5) { replica.log.contains(reason) }
        #expect(logged, "the replica's log does not say \"\(reason)\" for \(lie)")
    }
}
