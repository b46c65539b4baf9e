import SankofaChain
import SankofaConsensus
import SankofaCrypto
import SankofaPrimitives
@testable import SankofaQBFT

/// An in-memory network of QBFT validators with one manual clock. Messages are queued and delivered in order;
/// `run` delivers everything deliverable, then advances time to the next armed timer, until a condition holds.
/// Controls: stop and restart nodes, partition them, rewrite or drop messages in flight.
final class FakeNetwork {
    enum Event {
        case message(from: String, to: String, code: Int, data: [UInt8])
        case newHead(node: String, header: BlockHeader)
        case block(to: String, block: Block)
    }

    struct Traffic {
        var messages = 0
        var bytes = 0
    }

    let config: QBFTConfig
    let genesis: BlockHeader
    private(set) var nodes: [String: FakeNode] = [:]
    let labels: [String]
    /// The manual clock every node reads (shared with header verifiers, hence a Sendable box).
    let time: FakeTime
    var nowMilliseconds: UInt64 {
        get { time.milliseconds }
        set { time.milliseconds = newValue }
    }
    private var events: [Event] = []
    private var eventHead = 0
    fileprivate var timers: [String: [String: (ConsensusTimer, UInt64)]] = [:]
    /// Groups that can talk to each other; nil means everyone can.
    var partition: [Set<String>]?
    /// Rewrites (or, returning nil, drops) a message in flight.
    var rewrite: ((_ from: String, _ to: String, _ code: Int, _ data: [UInt8]) -> [UInt8]?)?
    private(set) var traffic = Traffic()
    private(set) var trafficByCode: [Int: Traffic] = [:]
    /// Called after every import, with the node and the block.
    var onImport: ((String, Block) -> Void)?

    /// Contract mode's validator lists, shared by every node's verifier (nil: header votes).
    let contractSource: (any ContractValidatorSource)?

    init(validators labels: [String], config: QBFTConfig, extra observers: [String] = [], genesisTime: UInt64 = 1_000,
         contractSource: (any ContractValidatorSource)? = nil) {
        self.config = config
        self.contractSource = contractSource
        self.labels = labels + observers
        self.genesis = TestBlocks.genesis(validators: TestValidators.addresses(labels), timestamp: genesisTime)
        self.time = FakeTime(milliseconds: genesisTime * 1000)
        for label in self.labels { nodes[label] = FakeNode(label: label, network: self) }
    }

    subscript(label: String) -> FakeNode {
        guard let node = nodes[label] else { preconditionFailure("no node \(label)") }
        return node
    }

    func label(of address: Address) -> String? { labels.first { TestValidators.address($0) == address } }

    /// Starts every node's controller on its chain head.
    func start() {
        for label in labels { self[label].start() }
    }

    func canTalk(_ a: String, _ b: String) -> Bool {
        guard let partition else { return true }
        return partition.contains { $0.contains(a) && $0.contains(b) }
    }

    // MARK: Ports' side

    fileprivate func send(from: String, code: Int, data: [UInt8], to recipients: [Address]) {
        for address in recipients {
            guard let to = label(of: address) else { continue }
            events.append(.message(from: from, to: to, code: code, data: data))
        }
    }

    fileprivate func announce(_ block: Block, importedBy node: String) {
        events.append(.newHead(node: node, header: block.header))
        for other in labels where other != node { events.append(.block(to: other, block: block)) }
        onImport?(node, block)
    }

    fileprivate func arm(_ node: String, _ timer: ConsensusTimer, _ deadline: UInt64) {
        timers[node, default: [:]][timer.name] = (timer, deadline)
    }

    fileprivate func disarm(_ node: String, _ name: String) { timers[node]?[name] = nil }

    func clearTimers(of node: String) { timers[node] = [:] }

    /// Brings `node` up to the longest chain among the running nodes it can reach, verifying every header
    /// (standing in for eth/68 full sync).
    func sync(_ node: String) {
        let target = self[node]
        guard let source = runningNodes.filter({ $0.label != node && canTalk($0.label, node) })
            .max(by: { $0.chain.headNumber < $1.chain.headNumber }) else { return }
        var imported = false
        while target.chain.headNumber < source.chain.headNumber,
              let block = source.chain.blocks[target.chain.headNumber + 1] {
            do { try target.chain.append(block) } catch { break }
            imported = true
        }
        if imported { events.append(.newHead(node: node, header: target.chain.head)) }
    }

    /// Queues a raw message from outside the validator set (or a forged one) to `to`.
    func inject(code: Int, data: [UInt8], to: String) {
        events.append(.message(from: "?", to: to, code: code, data: data))
    }

    // MARK: Running

    /// Delivers queued events until none are left. Returns false if `limit` events were not enough.
    @discardableResult
    func drain(limit: Int = 5_000_000) -> Bool {
        var delivered = 0
        while eventHead < events.count {
            let event = events[eventHead]
            eventHead += 1
            delivered += 1
            if delivered > limit { return false }
            deliver(event)
            if eventHead > 4096, eventHead * 2 > events.count {
                events.removeFirst(eventHead)
                eventHead = 0
            }
        }
        return true
    }

    private func deliver(_ event: Event) {
        switch event {
        case .message(let from, let to, let code, var data):
            guard from == "?" || canTalk(from, to), let node = nodes[to], node.isRunning else { return }
            if let rewrite {
                guard let rewritten = rewrite(from, to, code, data) else { return }
                data = rewritten
            }
            traffic.messages += 1
            traffic.bytes += data.count
            trafficByCode[code, default: Traffic()].messages += 1
            trafficByCode[code, default: Traffic()].bytes += data.count
            node.controller?.handleMessage(code: code, data: data)
        case .newHead(let label, let header):
            guard let node = nodes[label], node.isRunning else { return }
            node.controller?.handleNewChainHead(header)
        case .block(let to, let block):
            guard let node = nodes[to], node.isRunning else { return }
            node.receiveAnnounced(block, network: self)
        }
    }

    /// Fires the earliest armed timer (ties broken by node label, then timer name), moving the clock to it.
    /// Returns false when no timer is armed.
    @discardableResult
    func fireNextTimer() -> Bool {
        var next: (node: String, timer: ConsensusTimer, deadline: UInt64)?
        for label in labels.sorted() {
            guard self[label].isRunning else { continue }
            for (_, entry) in (timers[label] ?? [:]).sorted(by: { $0.key < $1.key }) where next == nil || entry.1 < next!.deadline {
                next = (label, entry.0, entry.1)
            }
        }
        guard let next else { return false }
        timers[next.node]?[next.timer.name] = nil
        nowMilliseconds = max(nowMilliseconds, next.deadline)
        self[next.node].controller?.handleTimer(next.timer)
        return true
    }

    /// Runs until `condition` holds or the clock passes `deadline` (absolute ms). Returns whether it held.
    @discardableResult
    func run(untilTime deadline: UInt64, while keepGoing: () -> Bool = { true }) -> Bool {
        while true {
            drain()
            if !keepGoing() { return true }
            let before = nowMilliseconds
            guard nextTimerDeadline().map({ $0 <= deadline }) ?? false else {
                nowMilliseconds = max(before, deadline)
                return false
            }
            fireNextTimer()
        }
    }

    /// Runs until every running node's head reaches `height`, or `seconds` of fake time pass.
    @discardableResult
    func run(untilHeight height: UInt64, within seconds: UInt64 = 600) -> Bool {
        let deadline = nowMilliseconds + seconds * 1000
        run(untilTime: deadline) { runningNodes.contains { $0.chain.headNumber < height } }
        return runningNodes.allSatisfy { $0.chain.headNumber >= height }
    }

    /// Advances fake time by `seconds`, firing timers and delivering messages on the way.
    func advance(seconds: UInt64) {
        run(untilTime: nowMilliseconds + seconds * 1000)
    }

    func nextTimerDeadline() -> UInt64? {
        labels.filter { self[$0].isRunning }.compactMap { timers[$0]?.values.map(\.1).min() }.min()
    }

    var runningNodes: [FakeNode] { labels.map { self[$0] }.filter(\.isRunning) }

    /// Heights at which two nodes hold different blocks: must always be empty.
    func conflictingHeights() -> [UInt64] {
        let top = nodes.values.map(\.chain.headNumber).max() ?? 0
        guard top > 0 else { return [] }
        return (1...top).filter { height in Set(nodes.values.compactMap { $0.chain.hash(at: height) }).count > 1 }
    }
}

/// One validator on the fake network: its chain, its controller and the ports that connect them.
final class FakeNode: BlockBuilder, ProposedBlockValidator, BlockImporter, ConsensusGossip, ConsensusClock {
    let label: String
    let key: PrivateKey
    private unowned let network: FakeNetwork
    private(set) var chain: FakeQBFTChain
    private(set) var controller: QBFTController?
    private(set) var isRunning = false
    /// Blocks built by this node (a builder executes once and keeps the result).
    private(set) var built = 0
    /// Transactions to put in the next block built (empty blocks otherwise).
    var pendingTransactions: [Transaction] = []
    /// The signing port the next `start()` hands the controller (a hot standby's guard); nil signs everything.
    var signingPermit: ((SigningIntent) -> Bool)?
    /// How far this node's consensus clock runs behind the network's, in ms: its timers, absolute deadlines in its
    /// own time (a block timer from the parent's timestamp), fire that much late, while delays it measures from its
    /// own "now" (the relay delay, round timeouts) last as long as everyone's. Header checks keep the network's
    /// time (their future bound is a whole second).
    var clockLag: UInt64 = 0

    init(label: String, network: FakeNetwork) {
        self.label = label
        self.key = TestValidators.key(label)
        self.network = network
        let time = network.time
        let nowSeconds: @Sendable () -> UInt64 = { time.milliseconds / 1000 }
        chain = FakeQBFTChain(genesis: network.genesis,
                              verifier: QBFTHeaderVerifier(config: network.config, contractSource: network.contractSource,
                                                           clock: nowSeconds))
    }

    var address: Address { key.address }

    /// A fresh controller on the current chain head: a start, or a restart with consensus state wiped.
    func start() {
        network.clearTimers(of: label)
        isRunning = true
        network.sync(label)
        let controller = QBFTController(config: network.config, key: key, validatorProvider: chain, blockBuilder: self,
                                        blockValidator: self, importer: self, gossip: self, clock: self,
                                        signingPermit: signingPermit ?? { _ in true })
        self.controller = controller
        controller.start(head: chain.head)
    }

    func stop() {
        isRunning = false
        network.clearTimers(of: label)
    }

    /// A block another node imported: import it too if it extends this chain (block propagation, standing in
    /// for eth/68 sync).
    func receiveAnnounced(_ block: Block, network: FakeNetwork) {
        if block.header.number > chain.headNumber + 1 { network.sync(label) }
        guard block.header.number == chain.headNumber + 1 else { return }
        do { try chain.append(block) } catch { return }
        network.announceLocal(block, node: label)
    }

    // MARK: Ports

    func buildBlock(_ template: BlockTemplate) throws -> Block {
        built += 1
        let header = BlockHeader(parentHash: template.parentHash, coinbase: template.coinbase,
                                 stateRoot: Keccak256.hash(template.parentHash.bytes + template.coinbase.bytes),
                                 difficulty: template.difficulty, number: template.number,
                                 gasLimit: template.parent.gasLimit, gasUsed: 0, timestamp: template.timestamp,
                                 extraData: template.extraData, mixHash: template.mixHash, nonce: template.nonce)
        return Block(header: header, transactions: pendingTransactions)
    }

    func validateProposedBlock(_ block: Block, parent: BlockHeader) throws {
        struct BadState: Error {}
        let expected = Keccak256.hash(block.header.parentHash.bytes + block.header.coinbase.bytes)
        guard block.header.stateRoot == expected else { throw BadState() }
    }

    func importBlock(_ block: Block) throws {
        try chain.append(block)
        network.announceLocal(block, node: label, announce: true)
    }

    func send(code: Int, data: [UInt8], to validator: Address) {
        network.sendFrom(label, code: code, data: data, to: [validator])
    }

    func multicast(code: Int, data: [UInt8], to validators: [Address]) {
        network.sendFrom(label, code: code, data: data, to: validators)
    }

    var nowMilliseconds: UInt64 { network.nowMilliseconds - clockLag }

    func startTimer(_ timer: ConsensusTimer, deadlineMilliseconds: UInt64) {
        network.arm(label, timer, deadlineMilliseconds + clockLag)
    }

    func cancelTimer(named name: String) { network.disarm(label, name) }
}

extension FakeNetwork {
    fileprivate func sendFrom(_ label: String, code: Int, data: [UInt8], to recipients: [Address]) {
        send(from: label, code: code, data: data, to: recipients)
    }

    fileprivate func announceLocal(_ block: Block, node: String, announce: Bool = true) {
        self.announce(block, importedBy: node)
    }
}

/// The fake network's clock value, readable from `@Sendable` closures (tests are single-threaded).
final class FakeTime: @unchecked Sendable {
    var milliseconds: UInt64

    init(milliseconds: UInt64) { self.milliseconds = milliseconds }
}
