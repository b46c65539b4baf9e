import SankofaChain
import SankofaConsensus
import SankofaCrypto
import SankofaPrimitives
import SankofaQBFT

/// QBFT's own overhead per block on an in-memory network (no execution, no sockets): messages and bytes on the
/// wire, signature operations, and the CPU time from the proposal to the last validator's commit, all n
/// validators running in one thread. Cases `consensus/qbft-4`, `-16`, `-64` use a full mesh; `…-gossip` also
/// re-gossips every message as Besu does. The ratio compares the measured time with what the signature
/// operations alone cost at the raw ecrecover rate measured in the same run.
enum QBFTConsensus {
    static let cases: [(name: String, validators: Int, gossip: Bool, heights: Int)] = [
        ("consensus/qbft-4", 4, false, 40), ("consensus/qbft-16", 16, false, 10), ("consensus/qbft-64", 64, false, 3),
        ("consensus/qbft-4-gossip", 4, true, 40), ("consensus/qbft-16-gossip", 16, true, 5),
    ]

    static func selects(_ prefix: String) -> Bool { cases.contains { $0.name.hasPrefix(prefix) } || prefix.hasPrefix("consensus") }

    struct Figures {
        let name: String
        let validators: Int
        let messagesPerBlock: Double
        let bytesPerBlock: Double
        let signatureOpsPerBlock: Double
        let millisecondsPerBlock: Double
        let rawRecoverPerSecond: Double

        /// Measured time over the time the signature operations alone take.
        var ratio: Double { millisecondsPerBlock / (signatureOpsPerBlock / rawRecoverPerSecond * 1000) }
    }

    static func run(prefixes: [String]) -> [Figures] {
        let raw = rawRecoverRate()
        return cases.filter { c in prefixes.isEmpty || prefixes.contains { c.name.hasPrefix($0) || $0 == "consensus" } }
            .map { measure($0.name, validators: $0.validators, gossip: $0.gossip, heights: $0.heights, raw: raw) }
    }

    static func rawRecoverRate() -> Double {
        guard let key = try? PrivateKey(bytes: Keccak256.hash([1]).bytes) else { return 1 }
        let digest = Keccak256.hash([2])
        let signature = key.sign(digest)
        let clock = ContinuousClock()
        let count = 2000
        let elapsed = clock.measure { for _ in 0..<count { blackHole(try? Secp256k1.recoverAddress(digest, signature)) } }
        return Double(count) / elapsed.seconds
    }

    static func measure(_ name: String, validators count: Int, gossip: Bool, heights: Int, raw: Double) -> Figures {
        let network = BenchNetwork(validators: count, gossip: gossip)
        network.run(untilHeight: 1)  // warm up: first height
        let before = network.totals()
        let clock = ContinuousClock()
        var busy: Duration = .zero
        for height in 2...(heights + 1) {
            busy += network.run(untilHeight: UInt64(height), clock: clock)
        }
        let after = network.totals()
        let blocks = Double(heights)
        return Figures(name: name, validators: count,
                       messagesPerBlock: Double(after.messages - before.messages) / blocks,
                       bytesPerBlock: Double(after.bytes - before.bytes) / blocks,
                       signatureOpsPerBlock: Double(after.signatureOps - before.signatureOps) / blocks,
                       millisecondsPerBlock: busy.seconds * 1000 / blocks, rawRecoverPerSecond: raw)
    }

    static func report(_ figures: [Figures], json: Bool) -> String {
        if json {
            return "[" + figures.map {
                "{\"name\":\"\($0.name)\",\"validators\":\($0.validators),\"messages_per_block\":\(Int($0.messagesPerBlock)),"
                    + "\"bytes_per_block\":\(Int($0.bytesPerBlock)),\"signature_ops_per_block\":\(Int($0.signatureOpsPerBlock)),"
                    + "\"ms_per_block\":\(Harness.format($0.millisecondsPerBlock)),\"ratio\":\(Harness.format($0.ratio))}"
            }.joined(separator: ",") + "]"
        }
        var lines = ["QBFT consensus overhead per block (all validators in one thread; ratio = time / signature-op time at the raw ecrecover rate)"]
        for f in figures {
            lines.append("  \(f.name.padding(26)) \(String(Int(f.messagesPerBlock)).leftPadding(8)) msgs  "
                + "\(String(Int(f.bytesPerBlock / 1024)).leftPadding(7)) KiB  \(String(Int(f.signatureOpsPerBlock)).leftPadding(7)) sig ops  "
                + "\(Harness.format(f.millisecondsPerBlock).leftPadding(8)) ms  \(Harness.format(f.ratio)) × sig time")
        }
        if let raw = figures.first?.rawRecoverPerSecond { lines.append("  raw ecrecover baseline (same run, 1 core)  \(Int(raw))/s") }
        return lines.joined(separator: "\n")
    }
}

/// The benchmark's network: n validators, full mesh, one manual clock, instant delivery in FIFO order.
final class BenchNetwork {
    final class Node: BlockBuilder, BlockImporter, ConsensusGossip, ConsensusClock, ValidatorProvider {
        let index: Int
        unowned let network: BenchNetwork
        var controller: QBFTController?
        var head: BlockHeader
        var timers: [String: (ConsensusTimer, UInt64)] = [:]

        init(index: Int, network: BenchNetwork, genesis: BlockHeader) {
            self.index = index
            self.network = network
            self.head = genesis
        }

        func validators(after header: BlockHeader) throws(ConsensusError) -> [Address] { network.addresses }
        func buildBlock(_ template: BlockTemplate) throws -> Block {
            Block(header: BlockHeader(parentHash: template.parentHash, coinbase: template.coinbase, stateRoot: .zero,
                                      difficulty: template.difficulty, number: template.number, gasLimit: 30_000_000,
                                      gasUsed: 0, timestamp: template.timestamp, extraData: template.extraData,
                                      mixHash: template.mixHash, nonce: template.nonce), transactions: [])
        }
        func importBlock(_ block: Block) throws {
            head = block.header
            network.queue.append((-1, index, 0, []))
        }
        func send(code: Int, data: [UInt8], to validator: Address) { multicast(code: code, data: data, to: [validator]) }
        func multicast(code: Int, data: [UInt8], to validators: [Address]) {
            for address in validators {
                guard let target = network.indexByAddress[address] else { continue }
                network.queue.append((index, target, code, data))
            }
        }
        var nowMilliseconds: UInt64 { network.now }
        func startTimer(_ timer: ConsensusTimer, deadlineMilliseconds: UInt64) { timers[timer.name] = (timer, deadlineMilliseconds) }
        func cancelTimer(named name: String) { timers[name] = nil }
    }

    var nodes: [Node] = []
    let addresses: [Address]
    var indexByAddress: [Address: Int] = [:]
    var now: UInt64 = 1_000_000
    /// (from, to, code, data); from -1 marks a new-head event for `to`.
    var queue: [(Int, Int, Int, [UInt8])] = []
    var messages = 0
    var bytes = 0

    init(validators count: Int, gossip: Bool) {
        let keys = (0..<count).compactMap { try? PrivateKey(bytes: Keccak256.hash(Array("validator \($0)".utf8)).bytes) }
        addresses = keys.map(\.address).sorted()
        for (i, key) in keys.enumerated() { indexByAddress[key.address] = i }
        let genesis = BlockHeader(parentHash: .zero, coinbase: .zero, stateRoot: .zero, difficulty: 1, number: 0,
                                  gasLimit: 30_000_000, gasUsed: 0, timestamp: now / 1000,
                                  extraData: QBFTExtraData(validators: addresses).encoded(), mixHash: QBFTHeaderConstants.mixHash)
        let config = QBFTConfig(blockPeriodSeconds: 1, requestTimeoutSeconds: 10, gossipReceivedMessages: gossip)
        for (i, key) in keys.enumerated() {
            let node = Node(index: i, network: self, genesis: genesis)
            node.controller = QBFTController(config: config, key: key, validatorProvider: node, blockBuilder: node,
                                             blockValidator: nil, importer: node, gossip: node, clock: node)
            nodes.append(node)
        }
        for node in nodes { node.controller?.start(head: genesis) }
    }

    func totals() -> (messages: Int, bytes: Int, signatureOps: Int) {
        let ops = nodes.reduce(0) { $0 + ($1.controller.map { $0.counters.signatures + $0.counters.recoveries } ?? 0) }
        return (messages, bytes, ops)
    }

    /// Fires timers and delivers messages until every node's head is at `height`; returns the time spent
    /// delivering (the consensus work), not the fake waiting.
    @discardableResult
    func run(untilHeight height: UInt64, clock: ContinuousClock = ContinuousClock()) -> Duration {
        var busy: Duration = .zero
        while nodes.contains(where: { $0.head.number < height }) {
            busy += clock.measure { drain() }
            guard nodes.contains(where: { $0.head.number < height }) else { break }
            guard let (node, name, deadline) = nextTimer() else { break }
            now = max(now, deadline)
            if let (timer, _) = nodes[node].timers.removeValue(forKey: name) {
                busy += clock.measure { nodes[node].controller?.handleTimer(timer) }
            }
        }
        return busy
    }

    private func nextTimer() -> (Int, String, UInt64)? {
        var best: (Int, String, UInt64)?
        for node in nodes {
            for (name, entry) in node.timers where best.map({ entry.1 < $0.2 }) ?? true { best = (node.index, name, entry.1) }
        }
        return best
    }

    private func drain() {
        var head = 0
        while head < queue.count {
            let (from, to, code, data) = queue[head]
            head += 1
            if from < 0 {
                nodes[to].controller?.handleNewChainHead(nodes[to].head)
                continue
            }
            messages += 1
            bytes += data.count
            nodes[to].controller?.handleMessage(code: code, data: data)
        }
        queue.removeAll(keepingCapacity: true)
    }
}
