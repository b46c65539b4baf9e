import Foundation
import SankofaChain
import SankofaCrypto
import SankofaJSON
import SankofaPrimitives
import SankofaQBFT
import SankofaTestSupport
import Testing

/// Issue 17's hot standby on QBFT, end to end: four validators, where validator 1 is a pair of `sankofa run`
/// processes (primary and standby, each with its own node key) sharing one validator key behind a real etcd lease,
/// and validators 2–4 are ordinary. Kill -9 the primary: blocks stay final (3 of 4 is a quorum anyway), the standby
/// becomes active within TTL + one block period, and validator 1's commit seals reappear in the headers; the
/// primary returns as a standby; without etcd neither member signs and the other three go on. Over the whole run no height holds two blocks on any node, and no height/round
/// carries validator 1's seal on two different blocks. Every wait is bounded; every process (five nodes and etcd)
/// is stopped, also on failure.
@Suite("QBFT validator hot standby on an etcd lease", .enabled(if: SankofaBinary.available), .timeLimit(.minutes(5)))
struct QBFTStandbyTests {
    static let ttl = 3
    static let period = 1

    /// Every header seen, by height, from every node ever asked; and the height/round → block hashes that carry
    /// the shared key's commit seal.
    final class Ledger {
        var hashes: [UInt64: Set<String>] = [:]
        var sealedByShared: [String: Set<String>] = [:]
        /// Heights whose commit seals include the shared key's.
        var sharedSealHeights: Set<UInt64> = []

        func record(_ node: P2PTestNode, shared: Address) async throws {
            guard let head = await QBFTNetworkTests.head(node), head >= 1 else { return }
            for number in 1...head {
                let json = try await node.rpc.call("eth_getBlockByNumber", [.string("0x" + String(number, radix: 16)), false])
                let header = try QBFTStandbyTests.header(json)
                let hash = try #require(json["hash"]?.stringValue)
                #expect(header.hash.hex == hash.lowercased(), "header #\(number) rebuilt from RPC does not hash to \(hash)")
                hashes[number, default: []].insert(hash)
                let round = try QBFTExtraData(rlp: header.extraData).round
                if try QBFTBlockHashing.recoverCommitters(header).contains(shared) {
                    sharedSealHeights.insert(number)
                    sealedByShared["\(number)/\(round)", default: []].insert(hash)
                }
            }
        }

        var forks: [UInt64] { hashes.filter { $0.value.count > 1 }.map(\.key).sorted() }
        var doubleSeals: [String] { sealedByShared.filter { $0.value.count > 1 }.map(\.key).sorted() }
    }

    /// A header from `eth_getBlockByNumber`'s JSON (checked by its hash above).
    static func header(_ json: JSON) throws -> BlockHeader {
        func text(_ name: String) throws -> String {
            guard let value = json[name]?.stringValue else { throw RPCTestError(description: "block JSON has no \(name)") }
            return value
        }
        func quantity(_ name: String) throws -> UInt64 {
            guard let value = UInt64(try text(name).dropFirst(2), radix: 16) else { throw RPCTestError(description: "bad \(name)") }
            return value
        }
        guard let bloom = Bloom(bytes: try Hex.decode(try text("logsBloom"))),
              let difficulty = UInt256(hex: try text("difficulty")) else { throw RPCTestError(description: "bad bloom or difficulty") }
        let nonce = try Hex.decode(try text("nonce")).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        return BlockHeader(parentHash: try Hash32(hex: try text("parentHash")), ommersHash: try Hash32(hex: try text("sha3Uncles")),
                           coinbase: try Address(hex: try text("miner")), stateRoot: try Hash32(hex: try text("stateRoot")),
                           transactionsRoot: try Hash32(hex: try text("transactionsRoot")),
                           receiptsRoot: try Hash32(hex: try text("receiptsRoot")), logsBloom: bloom, difficulty: difficulty,
                           number: try quantity("number"), gasLimit: try quantity("gasLimit"), gasUsed: try quantity("gasUsed"),
                           timestamp: try quantity("timestamp"), extraData: try Hex.decode(try text("extraData")),
                           mixHash: try Hash32(hex: try text("mixHash")), nonce: nonce,
                           baseFeePerGas: json["baseFeePerGas"]?.stringValue.flatMap { UInt256(hex: $0) })
    }

    @Test func aKilledPrimarysStandbyTakesOverAndTheKeyNeverSignsTwoBlocksAtOneHeightAndRound() async throws {
        let fixture = try StandbyFixture("standby-qbft")
        let (directory, genesisPath, etcd, shared) = (fixture.directory, fixture.genesisPath, fixture.etcd, fixture.validator)
        let primary = try P2PTestNode("primary", in: directory, genesisPath: genesisPath)
        let standby = try P2PTestNode("standby", in: directory, genesisPath: genesisPath)
        let others = try ["v2", "v3", "v4"].map { try P2PTestNode($0, in: directory, genesisPath: genesisPath) }
        let all = [primary, standby] + others
        let genesis = try SankofaBinary.run(["genesis", "new", "--consensus", "qbft", "--chain-id", "2019",
                                             "--block-period", String(Self.period), "--request-timeout", "2", "--validator",
                                             shared.address.checksummed] + others.map { $0.key.address.checksummed }
                                            + ["--output", genesisPath])
        #expect(genesis.status == 0, "\(genesis.stderr)")
        for node in all {
            node.mode = "validator"
            node.extraArguments = ["--bootnodes", all.filter { $0 !== node }.map(\.enode).joined(separator: ",")]
        }
        for node in [primary, standby] {
            node.extraArguments += fixture.leaseArguments(key: "/sankofa/test/qbft-validator-1", ttl: Self.ttl)
        }
        do {
            try await scenario(primary: primary, standby: standby, others: others, shared: shared.address, etcd: etcd)
        } catch {
            for node in all { await node.stop(SIGKILL) }
            await etcd.stop()
            Issue.record(Comment(rawValue: "logs:\n" + all.map { "--- \($0.name)\n" + String($0.log.suffix(3_000)) }.joined(separator: "\n")
                + "\n--- etcd\n" + String(etcd.log.suffix(1_500))))
            throw error
        }
        for node in all { await node.stop() }
        await etcd.stop()
        try? FileManager.default.removeItem(at: directory)
    }

    func scenario(primary: P2PTestNode, standby: P2PTestNode, others: [P2PTestNode], shared: Address,
                  etcd: EtcdTestServer) async throws {
        let all = [primary, standby] + others
        let ledger = Ledger()
        try await etcd.start()

        // The primary claims the lease first; then everyone starts and blocks are final with all four validators.
        try primary.start()
        try await primary.waitUntilListening()
        try await ValidatorStandbyTests.waitFor("the primary did not become active", seconds: 30, all) {
            await ValidatorStandbyTests.role(primary) == "active"
        }
        for node in [standby] + others { try node.start() }
        try await QBFTNetworkTests.waitForHeads(all, atLeast: 4, seconds: 90)
        #expect(await ValidatorStandbyTests.role(standby) == "standby")
        for node in all { try await ledger.record(node, shared: shared) }
        #expect(!ledger.sharedSealHeights.isEmpty, "the primary's commit seals should be in the headers")

        // kill -9 the primary: the other three are a quorum, and the standby becomes active within TTL + one
        // block period, its commit seals then in later headers under the shared address.
        let killed = ContinuousClock.now
        await primary.stop(SIGKILL)
        let lastBeforeKill = await QBFTNetworkTests.head(others[0]) ?? 0
        try await ValidatorStandbyTests.waitFor("the standby did not become active after the primary died", seconds: 30, all) {
            await ValidatorStandbyTests.role(standby) == "active"
        }
        let takeOver = ContinuousClock.now - killed
        print("QBFT hot standby: the standby became active \(takeOver) after the primary was killed")
        let bound = Duration.seconds(Self.ttl + Self.period)
        #expect(takeOver <= bound, "the standby became active \(takeOver) after the kill, more than TTL + one block period (\(bound))")
        let activeFrom = await QBFTNetworkTests.head(others[0]) ?? 0
        try await QBFTNetworkTests.waitForHeads([standby] + others, atLeast: max(lastBeforeKill, activeFrom) + 4, seconds: 60)
        // Only the first quorum of COMMITs makes it into a header, and the holder's PREPARE waits for an etcd write,
        // so its seal is in some later headers, not all: look for one, bounded.
        let sealedBefore = max(ledger.sharedSealHeights.max() ?? 0, activeFrom)
        let sealedAgain = try await P2PTestNode.eventually(seconds: 60) {
            (try? await ledger.record(others[0], shared: shared)) != nil && ledger.sharedSealHeights.contains { $0 > sealedBefore }
        }
        #expect(sealedAgain, "no commit seal of the shared key after the standby took over (at #\(activeFrom))")
        for node in [standby] + others { try await ledger.record(node, shared: shared) }

        // The primary returns: it follows as a standby while the new holder keeps signing.
        try primary.start()
        try await primary.waitUntilListening()
        let backAt = await QBFTNetworkTests.head(others[0]) ?? 0
        try await QBFTNetworkTests.waitForHeads(all, atLeast: backAt + 3, seconds: 60)
        #expect(await ValidatorStandbyTests.role(primary) == "standby")
        #expect(await ValidatorStandbyTests.role(standby) == "active")

        // etcd goes away: the holder stops its state machine (no member may sign), and the three others, still a
        // quorum, keep finalising blocks that carry no seal of the shared key.
        await etcd.stop()
        try await ValidatorStandbyTests.waitFor("the active member did not stop without etcd", seconds: Double(Self.ttl + 2), all) {
            await ValidatorStandbyTests.role(standby) == "standby"
        }
        let stoppedAt = await QBFTNetworkTests.head(others[0]) ?? 0
        try await QBFTNetworkTests.waitForHeads(all, atLeast: stoppedAt + 4, seconds: 60)
        for node in all { try await ledger.record(node, shared: shared) }
        let sealedWithoutEtcd = ledger.sharedSealHeights.filter { $0 > stoppedAt + 1 }
        #expect(sealedWithoutEtcd.isEmpty, "the shared key sealed #\(sealedWithoutEtcd.sorted()) without etcd")
        #expect(await ValidatorStandbyTests.role(primary) == "standby")

        // Over the whole run, on every node: one block per height, and the shared key's seal on at most one block
        // per height/round.
        for node in all { try await ledger.record(node, shared: shared) }
        print("QBFT hot standby: \(ledger.hashes.count) blocks, the shared key sealed \(ledger.sharedSealHeights.count) of them; took over at #\(activeFrom)")
        #expect(ledger.forks.isEmpty, "heights with two blocks: \(ledger.forks)")
        #expect(ledger.doubleSeals.isEmpty, "height/rounds where the shared key sealed two blocks: \(ledger.doubleSeals)")
        #expect(!primary.log.contains("Fatal error") && !standby.log.contains("Fatal error"))
    }
}
