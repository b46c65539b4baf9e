import Foundation
import SankofaJSON
import SankofaPrimitives
import SankofaQBFT
import SankofaTestSupport
import Testing

/// Issue 14: four QBFT validators and a replica, each a real `sankofa run` process with its own key, agree on one
/// chain over RLPx (`istanbul/100` between validators, `eth/68` to the replica), keep going with one validator
/// killed (3 of 4 is a quorum), halt without forking with two killed, and resume when both come back and sync what
/// they missed. Observed only through JSON-RPC; every wait is bounded and every process is stopped on failure.
@Suite("QBFT validators over RLPx", .enabled(if: SankofaBinary.available), .timeLimit(.minutes(5)))
struct QBFTNetworkTests {
    /// Block hashes seen, by height, from every node ever asked: two different hashes at one height is a fork.
    final class Ledger {
        var hashes: [UInt64: Set<String>] = [:]

        /// Records heights `from...` up to `node`'s head.
        func record(_ node: P2PTestNode, from: UInt64 = 1) async throws {
            guard let head = await QBFTNetworkTests.head(node), head >= from else { return }
            for number in from...head {
                let block = try await node.rpc.call("eth_getBlockByNumber", [.string("0x" + String(number, radix: 16)), false])
                guard let hash = block["hash"]?.stringValue else { continue }
                hashes[number, default: []].insert(hash)
            }
        }

        var forks: [UInt64] { hashes.filter { $0.value.count > 1 }.map(\.key).sorted() }
    }

    static func head(_ node: P2PTestNode) async -> UInt64? {
        guard let text = (try? await node.rpc.call("eth_blockNumber"))?.stringValue else { return nil }
        return UInt64(text.dropFirst(2), radix: 16)
    }

    /// Waits (bounded) until every node's head is at least `number`.
    static func waitForHeads(_ nodes: [P2PTestNode], atLeast number: UInt64, seconds: Double) async throws {
        let reached = try await P2PTestNode.eventually(seconds: seconds) {
            for node in nodes { guard let head = await head(node), head >= number else { return false } }
            return true
        }
        guard reached else {
            var heads: [String] = []
            for node in nodes { heads.append("\(node.name)=\(await head(node).map(String.init) ?? "?")") }
            throw RPCTestError(description: "not every node reached #\(number) within \(seconds) s: \(heads.joined(separator: " "))")
        }
    }

    @Test func fourValidatorsAgreeSurviveOneFailureHaltWithoutQuorumAndResume() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sankofa-qbft-net-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let genesisPath = directory.appendingPathComponent("genesis.json").path
        let nodes = try ["a", "b", "c", "d"].map { try P2PTestNode($0, in: directory, genesisPath: genesisPath) }
        let replica = try P2PTestNode("replica", in: directory, genesisPath: genesisPath)
        let genesis = try SankofaBinary.run(["genesis", "new", "--consensus", "qbft", "--chain-id", "2018",
                                             "--block-period", "1", "--request-timeout", "2", "--validator"]
                                            + nodes.map { $0.key.address.checksummed } + ["--output", genesisPath])
        #expect(genesis.status == 0, "\(genesis.stderr)")
        for node in nodes {
            node.mode = "validator"
            node.extraArguments = ["--bootnodes", nodes.filter { $0 !== node }.map(\.enode).joined(separator: ",")]
        }
        replica.extraArguments = ["--bootnodes", nodes.map(\.enode).joined(separator: ",")]
        do {
            try await run(nodes, replica: replica)
        } catch {
            for node in nodes + [replica] { await node.stop(SIGKILL) }
            let logs = (nodes + [replica]).map { "--- \($0.name)\n" + String($0.log.suffix(3_000)) }
            Issue.record(Comment(rawValue: "logs:\n" + logs.joined(separator: "\n")))
            throw error
        }
        for node in nodes + [replica] { await node.stop() }
        try? FileManager.default.removeItem(at: directory)
    }

    /// Proposals reach a validator its proposer is not connected to through the others (re-sent after
    /// `QBFTConfig.proposalRelayDelayMilliseconds`). A and D never dial each other and B is down, so a height
    /// proposed by A or D needs the other's vote and closes only if the relay gets through. With relays working
    /// only B's heights change round, once; without them A's and D's would too, and D's (whose next proposer is
    /// down as well, or cut off) more than once.
    @Test func validatorsNotConnectedToTheProposerVoteThroughRelays() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sankofa-qbft-relay-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let genesisPath = directory.appendingPathComponent("genesis.json").path
        let nodes = try ["a", "b", "c", "d"].map { try P2PTestNode($0, in: directory, genesisPath: genesisPath) }
        let (a, b, c, d) = (nodes[0], nodes[1], nodes[2], nodes[3])
        let genesis = try SankofaBinary.run(["genesis", "new", "--consensus", "qbft", "--chain-id", "2018",
                                             "--block-period", "1", "--request-timeout", "2", "--validator"]
                                            + nodes.map { $0.key.address.checksummed } + ["--output", genesisPath])
        #expect(genesis.status == 0, "\(genesis.stderr)")
        let peers: [ObjectIdentifier: [P2PTestNode]] = [ObjectIdentifier(a): [b, c], ObjectIdentifier(b): [a, c, d],
                                                        ObjectIdentifier(c): [a, b, d], ObjectIdentifier(d): [b, c]]
        for node in nodes {
            node.mode = "validator"
            node.extraArguments = ["--bootnodes", (peers[ObjectIdentifier(node)] ?? []).map(\.enode).joined(separator: ",")]
        }
        do {
            for node in nodes { try node.start() }
            try await Self.waitForHeads(nodes, atLeast: 2, seconds: 90)
            await b.stop(SIGKILL)
            let from = (await Self.head(c) ?? 0) + 1
            try await Self.waitForHeads([a, c, d], atLeast: from + 8, seconds: 90)
            var rounds: [UInt32] = []
            var roundZeroByAOrD = 0
            for number in from...(from + 8) {
                let block = try await c.rpc.call("eth_getBlockByNumber", [.string("0x" + String(number, radix: 16)), false])
                let extra = try Hex.decode(try #require(block["extraData"]?.stringValue))
                let round = try QBFTExtraData(rlp: extra).round
                rounds.append(round)
                let miner = block["miner"]?.stringValue?.lowercased()
                if round == 0, [a, d].contains(where: { $0.key.address.hex == miner }) { roundZeroByAOrD += 1 }
            }
            #expect(rounds.allSatisfy { $0 <= 1 }, "rounds of #\(from)…: \(rounds)")
            #expect(roundZeroByAOrD > 0, "no height proposed by A or D closed in round 0: \(rounds)")
            let (peersOfA, peersOfD) = (await a.peerCount(), await d.peerCount())
            #expect(peersOfA == 1 && peersOfD == 1, "A and D should see only C with B down")
        } catch {
            for node in nodes { await node.stop(SIGKILL) }
            let logs = nodes.map { "--- \($0.name)\n" + String($0.log.suffix(3_000)) }
            Issue.record(Comment(rawValue: "logs:\n" + logs.joined(separator: "\n")))
            throw error
        }
        for node in nodes { await node.stop() }
        try? FileManager.default.removeItem(at: directory)
    }

    private func run(_ nodes: [P2PTestNode], replica: P2PTestNode) async throws {
        let (a, b, c, d) = (nodes[0], nodes[1], nodes[2], nodes[3])
        let ledger = Ledger()
        for node in nodes + [replica] { try node.start() }

        // All four agree on blocks 1…5 and beyond, and the replica imports the same blocks.
        try await Self.waitForHeads(nodes + [replica], atLeast: 5, seconds: 90)
        for node in nodes + [replica] { try await ledger.record(node) }
        #expect(ledger.forks.isEmpty, "forks at \(ledger.forks)")
        #expect(ledger.hashes.count >= 5)

        // One validator gone: three of four still make a quorum.
        await d.stop(SIGKILL)
        let afterOne = await Self.head(a) ?? 0
        try await Self.waitForHeads([a, b, c], atLeast: afterOne + 3, seconds: 60)
        for node in [a, b, c] { try await ledger.record(node) }
        #expect(ledger.forks.isEmpty, "forks at \(ledger.forks)")

        // Two gone: no quorum, so no new block (after one in flight may finish), and no disagreement.
        await c.stop(SIGKILL)
        try await Task.sleep(for: .seconds(2))
        let halted = [await Self.head(a), await Self.head(b)]
        try await Task.sleep(for: .seconds(5))
        #expect([await Self.head(a), await Self.head(b)] == halted, "blocks without a quorum")
        for node in [a, b] { try await ledger.record(node) }
        #expect(ledger.forks.isEmpty, "forks at \(ledger.forks)")

        // Both back on their data, C at most a block behind the halted head and D several: each syncs the blocks
        // it missed over eth/68, so A, B and C (then D) are a quorum again and blocks resume.
        try c.start()
        try d.start()
        try await c.waitUntilListening()
        try await d.waitUntilListening()
        let haltedAt = halted.compactMap { $0 }.max() ?? 0
        let resumed = try await P2PTestNode.eventually(seconds: 30) { (await Self.head(a) ?? 0) > haltedAt }
        #expect(resumed, "no block after C and D rejoined (halted at #\(haltedAt))")
        try await Self.waitForHeads(nodes + [replica], atLeast: haltedAt + 2, seconds: 60)
        for node in nodes + [replica] { try await ledger.record(node) }
        #expect(ledger.forks.isEmpty, "forks at \(ledger.forks)")
    }
}
