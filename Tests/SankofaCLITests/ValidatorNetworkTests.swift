import Foundation
import SankofaChain
import SankofaContracts
import SankofaCrypto
import SankofaJSON
import SankofaPrimitives
import SankofaTestSupport
import Testing

/// Issue 14: validator sets that change across processes, and Clique signers sealing in and out of turn across
/// processes. Every node is a real `sankofa run` on 127.0.0.1, observed through JSON-RPC; every wait is bounded and
/// every process is stopped, also on failure.
@Suite("Validator networks across processes", .enabled(if: SankofaBinary.available), .timeLimit(.minutes(5)))
struct ValidatorNetworkTests {
    static func directory(_ name: String) throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sankofa-\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    /// Runs `body` over `nodes`, killing every node and attaching their logs if it throws.
    static func running(_ nodes: [P2PTestNode], _ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch {
            for node in nodes { await node.stop(SIGKILL) }
            Issue.record(Comment(rawValue: "logs:\n" + nodes.map { "--- \($0.name)\n" + String($0.log.suffix(3_000)) }.joined(separator: "\n")))
            throw error
        }
        for node in nodes { await node.stop() }
    }

    static func validators(_ node: P2PTestNode) async -> Set<String> {
        let list = (try? await node.rpc.call("qbft_getValidatorsByBlockNumber", ["latest"]))?.arrayValue ?? []
        return Set(list.compactMap { $0.stringValue?.lowercased() })
    }

    /// The addresses that proposed blocks `first…last` (`qbft_getSignerMetrics`).
    static func proposers(_ node: P2PTestNode, from first: UInt64, to last: UInt64) async throws -> Set<String> {
        let metrics = try await node.rpc.call("qbft_getSignerMetrics", [.string("0x" + String(first, radix: 16)),
                                                                       .string("0x" + String(last, radix: 16))])
        return Set((metrics.arrayValue ?? []).compactMap { $0["address"]?.stringValue?.lowercased() })
    }

    static func difficulty(_ node: P2PTestNode, _ number: UInt64) async throws -> String? {
        try await node.rpc.call("eth_getBlockByNumber", [.string("0x" + String(number, radix: 16)), false])["difficulty"]?.stringValue
    }

    // MARK: QBFT header votes

    @Test func aValidatorVotedInTakesPartAndOneVotedOutNoLongerCounts() async throws {
        let directory = try Self.directory("qbft-votes")
        let genesisPath = directory.appendingPathComponent("genesis.json").path
        let nodes = try ["a", "b", "c", "d", "e"].map { try P2PTestNode($0, in: directory, genesisPath: genesisPath) }
        let (a, d, e) = (nodes[0], nodes[3], nodes[4])
        let founders = Array(nodes.prefix(4))
        let genesis = try SankofaBinary.run(["genesis", "new", "--consensus", "qbft", "--chain-id", "2019", "--block-period", "1",
                                             "--request-timeout", "2", "--validator"]
                                            + founders.map { $0.key.address.checksummed } + ["--output", genesisPath])
        #expect(genesis.status == 0, "\(genesis.stderr)")
        for node in nodes {
            node.mode = "validator"
            node.extraArguments = ["--bootnodes", nodes.filter { $0 !== node }.map(\.enode).joined(separator: ",")]
        }
        try await Self.running(nodes) {
            for node in nodes { try node.start() }
            try await QBFTNetworkTests.waitForHeads(nodes, atLeast: 2, seconds: 90)
            let eAddress = e.key.address.hex.lowercased()
            #expect(!(await Self.validators(a)).contains(eAddress))

            // Every founder votes E in; a majority of proposals carrying the vote adds it.
            for node in founders { _ = try await node.rpc.call("qbft_proposeValidatorVote", [.string(eAddress), true]) }
            let added = try await P2PTestNode.eventually(seconds: 60) { await Self.validators(a).contains(eAddress) }
            #expect(added, "E was not voted in")
            for node in founders { _ = try await node.rpc.call("qbft_discardValidatorVote", [.string(eAddress)]) }
            let addedAt = try #require(await QBFTNetworkTests.head(a))

            // E takes part: it proposes blocks in its turn.
            let proposed = try await P2PTestNode.eventually(seconds: 60) {
                let head = await QBFTNetworkTests.head(a) ?? addedAt
                guard head > addedAt else { return false }
                return ((try? await Self.proposers(a, from: addedAt + 1, to: head)) ?? []).contains(eAddress)
            }
            #expect(proposed, "E never proposed a block after joining")

            // Voted out, D keeps running but no longer proposes; the five-validator chain goes on with four.
            let dAddress = d.key.address.hex.lowercased()
            for node in [nodes[0], nodes[1], nodes[2], e] {
                _ = try await node.rpc.call("qbft_proposeValidatorVote", [.string(dAddress), false])
            }
            let removed = try await P2PTestNode.eventually(seconds: 60) { !(await Self.validators(a)).contains(dAddress) }
            #expect(removed, "D was not voted out")
            for node in [nodes[0], nodes[1], nodes[2], e] { _ = try await node.rpc.call("qbft_discardValidatorVote", [.string(dAddress)]) }
            let removedAt = try #require(await QBFTNetworkTests.head(a))
            try await QBFTNetworkTests.waitForHeads([a, e], atLeast: removedAt + 8, seconds: 90)
            let later = try await Self.proposers(a, from: removedAt + 1, to: removedAt + 8)
            #expect(!later.contains(dAddress), "D proposed after it was voted out")
            #expect(later.contains(eAddress))
            // D still follows the chain it no longer validates.
            try await QBFTNetworkTests.waitForHeads([d], atLeast: removedAt + 8, seconds: 30)
        }
        try? FileManager.default.removeItem(at: directory)
    }

    // MARK: Replicas never vote

    /// Two QBFT validators, one run as a validator and the other's key run by a replica: 2 of 2 must commit, and a
    /// replica never seals or votes even with a validator key, so no block can follow genesis; once the second key
    /// runs as a validator, blocks come and the replica imports them.
    @Test func aReplicaHoldingAValidatorKeyNeverVotes() async throws {
        let directory = try Self.directory("replica-key")
        let genesisPath = directory.appendingPathComponent("genesis.json").path
        let a = try P2PTestNode("a", in: directory, genesisPath: genesisPath)
        let b = try P2PTestNode("b", in: directory, genesisPath: genesisPath)
        let genesis = try SankofaBinary.run(["genesis", "new", "--consensus", "qbft", "--chain-id", "2021", "--block-period", "1",
                                             "--request-timeout", "1", "--validator", a.key.address.checksummed,
                                             b.key.address.checksummed, "--output", genesisPath])
        #expect(genesis.status == 0, "\(genesis.stderr)")
        a.mode = "validator"
        a.extraArguments = ["--bootnodes", b.enode]
        b.extraArguments = ["--bootnodes", a.enode]
        try await Self.running([a, b]) {
            try a.start()
            try b.start()
            try await a.waitUntilListening()
            try await b.waitUntilListening()
            let connected = try await P2PTestNode.eventually(seconds: 20) { (await a.peerCount() ?? 0) >= 1 }
            #expect(connected)
            try await Task.sleep(for: .seconds(4))
            #expect(await QBFTNetworkTests.head(a) == 0, "a block was committed with a replica's vote")
            await b.stop()
            b.mode = "validator"
            try b.start()
            try await QBFTNetworkTests.waitForHeads([a, b], atLeast: 2, seconds: 60)
        }
        try? FileManager.default.removeItem(at: directory)
    }

    // MARK: QBFT validators from Governance

    @Test func aValidatorAddedByGovernanceTakesPart() async throws {
        let directory = try Self.directory("qbft-gov-net")
        let genesisPath = directory.appendingPathComponent("genesis.json").path
        let a = try P2PTestNode("a", in: directory, genesisPath: genesisPath)
        let b = try P2PTestNode("b", in: directory, genesisPath: genesisPath)
        let chainId: UInt64 = 2020
        let admin = a.key.address.checksummed
        let genesis = try SankofaBinary.run(["genesis", "new", "--consensus", "qbft", "--chain-id", String(chainId),
                                             "--block-period", "1", "--request-timeout", "2", "--validator", admin,
                                             "--admin", admin, "--validator-contract", "--output", genesisPath])
        #expect(genesis.status == 0, "\(genesis.stderr)")
        for (node, other) in [(a, b), (b, a)] {
            node.mode = "validator"
            node.extraArguments = ["--bootnodes", other.enode]
        }
        try await Self.running([a, b]) {
            try a.start()
            try b.start()
            try await QBFTNetworkTests.waitForHeads([a, b], atLeast: 2, seconds: 60)
            let bAddress = b.key.address.hex.lowercased()
            #expect(!(await Self.validators(a)).contains(bAddress))
            // The board (A alone, threshold 1) proposes action 1 for B, votes and executes it.
            let payload = try ABI.encode([.address(b.key.address)], as: [.address])
            let calls: [(String, [ABIValue])] = [("propose", [.uint(UInt256(1)), .bytes(payload), .string("add B")]),
                                                 ("vote", [.uint(UInt256(1)), .bool(true)]), ("execute", [.uint(UInt256(1))])]
            var hashes: [Hash32] = []
            for (nonce, (name, arguments)) in calls.enumerated() {
                let function = try #require(Governance().functions.first { $0.name == name })
                let tx = Transaction.Payload.dynamicFee(DynamicFeeTransaction(
                    chainId: chainId, nonce: UInt64(nonce), maxPriorityFeePerGas: .zero, maxFeePerGas: .zero, gasLimit: 500_000,
                    to: SystemAddresses.governance, value: .zero,
                    data: function.selector + (try ABI.encode(arguments, as: function.inputs.map(\.type))), accessList: [])).signed(with: a.key)
                // Sent to B, which gossips them to A, the only validator so far.
                #expect(try await b.rpc.call("eth_sendRawTransaction", [.string(Hex.encode(tx.encoded))]) == .string(tx.hash.hex))
                hashes.append(tx.hash)
            }
            for hash in hashes {
                let receipt = try await QBFTContractModeRunTests.receipt(hash, rpc: a.rpc)
                #expect(receipt["status"] == "0x1", "governance call \(hash.hex) failed")
            }
            let added = try await P2PTestNode.eventually(seconds: 30) { await Self.validators(a).contains(bAddress) }
            #expect(added, "B is not in the validator list after the proposal executed")
            // Two of two now commit each block: the chain goes on only because B takes part, and B proposes in turn.
            let addedAt = try #require(await QBFTNetworkTests.head(a))
            try await QBFTNetworkTests.waitForHeads([a, b], atLeast: addedAt + 4, seconds: 60)
            #expect(try await Self.proposers(a, from: addedAt + 1, to: addedAt + 4).contains(bAddress), "B never proposed")
        }
        try? FileManager.default.removeItem(at: directory)
    }

    // MARK: Clique

    @Test func threeCliqueSignersSealInAndOutOfTurnAndOneComesBack() async throws {
        let directory = try Self.directory("clique-net")
        let genesisPath = directory.appendingPathComponent("genesis.json").path
        let signers = try ["s1", "s2", "s3"].map { try P2PTestNode($0, in: directory, genesisPath: genesisPath) }
        let replica = try P2PTestNode("replica", in: directory, genesisPath: genesisPath)
        let genesis = try SankofaBinary.run(["genesis", "new", "--consensus", "clique", "--chain-id", "4713", "--block-period", "1",
                                             "--validator"] + signers.map { $0.key.address.checksummed } + ["--output", genesisPath])
        #expect(genesis.status == 0, "\(genesis.stderr)")
        let all = signers + [replica]
        for node in signers {
            node.mode = "validator"
            node.extraArguments = ["--bootnodes", all.filter { $0 !== node }.map(\.enode).joined(separator: ",")]
        }
        replica.extraArguments = ["--bootnodes", signers.map(\.enode).joined(separator: ",")]
        // The in-turn signer of block n is the (n mod 3)-th signer by address.
        let sorted = signers.sorted { $0.key.address.bytes.lexicographicallyPrecedes($1.key.address.bytes) }
        let absent = signers[2]
        let absentSlot = UInt64(sorted.firstIndex { $0 === absent }!)
        try await Self.running(all) {
            for node in all { try node.start() }
            // All three up: the chain grows with every signer in turn (difficulty 2) and the replica follows.
            try await QBFTNetworkTests.waitForHeads(all, atLeast: 6, seconds: 90)
            var inTurn = 0
            for number in UInt64(1)...6 where try await Self.difficulty(signers[0], number) == "0x2" { inTurn += 1 }
            #expect(inTurn >= 3, "only \(inTurn) of 6 blocks were sealed in turn")

            // One down: its turns are sealed out of turn by the others (difficulty 1) and the chain goes on.
            await absent.stop(SIGKILL)
            let downAt = try #require(await QBFTNetworkTests.head(signers[0]))
            try await QBFTNetworkTests.waitForHeads([signers[0], signers[1], replica], atLeast: downAt + 7, seconds: 90)
            var outOfTurn: [UInt64] = []
            for number in (downAt + 2)...(downAt + 7) where number % 3 == absentSlot {
                if try await Self.difficulty(signers[0], number) == "0x1" { outOfTurn.append(number) }
            }
            #expect(!outOfTurn.isEmpty, "no block in the absent signer's turn was sealed out of turn")

            // Back: it syncs what it missed and seals in its turn again.
            try absent.start()
            try await absent.waitUntilListening()
            let backAt = try #require(await QBFTNetworkTests.head(signers[0]))
            try await QBFTNetworkTests.waitForHeads(all, atLeast: backAt + 9, seconds: 90)
            var sealedInTurn = false
            for number in (backAt + 3)...(backAt + 9) where number % 3 == absentSlot {
                if try await Self.difficulty(signers[0], number) == "0x2" { sealedInTurn = true }
            }
            #expect(sealedInTurn, "the returning signer did not seal in its turn")

            // Everyone agrees on every block.
            let ledger = QBFTNetworkTests.Ledger()
            let head = try #require(await QBFTNetworkTests.head(signers[0]))
            try await QBFTNetworkTests.waitForHeads(all, atLeast: head, seconds: 30)
            for node in all {
                for number in UInt64(1)...head {
                    let block = try await node.rpc.call("eth_getBlockByNumber", [.string("0x" + String(number, radix: 16)), false])
                    if let hash = block["hash"]?.stringValue { ledger.hashes[number, default: []].insert(hash) }
                }
            }
            #expect(ledger.forks.isEmpty, "nodes disagree at \(ledger.forks)")
        }
        try? FileManager.default.removeItem(at: directory)
    }
}
