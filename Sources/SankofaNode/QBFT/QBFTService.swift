import Logging
import SankofaBlockchain
import SankofaChain
import SankofaConsensus
import SankofaCrypto
import SankofaP2P
import SankofaPrimitives
import SankofaQBFT
import SankofaTxPool
import ServiceLifecycle

/// A QBFT validator: runs the `QBFTController` state machine on its own thread and feeds it the chain's head
/// changes, its timers and (with peers) consensus messages. Besu `QbftBesuControllerBuilder` + `BftProcessor`.
final class QBFTService: Service, CustomStringConvertible, @unchecked Sendable {
    var description: String { "QBFT(\(key.address.checksummed))" }
    let blockchain: Blockchain
    let key: PrivateKey
    let logger: Logger
    let metrics: NodeMetrics
    let thread = ConsensusThread()
    let ports: QBFTNodePorts
    /// The state machine, only ever touched on the consensus thread.
    private let machine: ConsensusThreadOnly<QBFTController>
    /// What RPC and metrics read of the state machine, refreshed after every event.
    let status = Locked(QBFTStatus())

    init(blockchain: Blockchain, headers: any ChainHeaderReader, pool: TransactionPool, verifier: QBFTHeaderVerifier,
         key: PrivateKey, logger: Logger, metrics: NodeMetrics, gossip: any ConsensusGossip) {
        self.blockchain = blockchain
        self.key = key
        self.logger = logger
        self.metrics = metrics
        ports = QBFTNodePorts(blockchain: blockchain, headers: headers, pool: pool, verifier: verifier, thread: thread,
                              logger: logger)
        machine = ConsensusThreadOnly(QBFTController(config: verifier.config, key: key, validatorProvider: ports,
                                                     blockBuilder: ports, blockValidator: ports, importer: ports,
                                                     gossip: gossip, clock: ports))
    }

    func run() async throws {
        let head = await blockchain.head
        let events = await blockchain.headEvents()
        let machine = self.machine
        thread.start(name: "qbft") { [self] event in
            let controller = machine.value
            switch event {
            case .newHead(let header): controller.handleNewChainHead(header)
            case .timer(let timer): controller.handleTimer(timer)
            case .message(let code, let data): controller.handleMessage(code: code, data: data)
            case .call(let body): body()
            }
            publish()
        }
        thread.post(.call { machine.value.start(head: head) })
        logger.info("QBFT validator \(key.address.checksummed) started on #\(head.number)")
        await cancelWhenGracefulShutdown {
            for await event in events { self.thread.post(.newHead(event.block.header)) }
        }
        thread.stop()
    }

    /// Delivers a peer's `istanbul/100` message to the state machine (Besu `BftProtocolManager.processMessage`);
    /// other protocols and ids are ignored. Never waits: the consensus thread's queue is bounded and drops the
    /// oldest peer message when full. Called on NIO event loops.
    func receive(_ message: SubProtocolMessage) {
        guard let code = IstanbulSubProtocol.consensusCode(of: message) else { return }
        thread.post(.message(code: code, data: message.data))
    }

    /// Queues a validator vote for this node's next proposals (nil discards it): `qbft_proposeValidatorVote`.
    func vote(_ subject: Address, add: Bool?) {
        status.withLock { $0.pendingVotes[subject] = add }
        let machine = self.machine
        thread.post(.call {
            machine.value.pendingVotes[subject] = add.map { $0 ? .add : .drop }
        })
    }

    /// Runs on the consensus thread after every event.
    private func publish() {
        let controller = machine.value
        let snapshot = QBFTStatus(height: controller.height, round: controller.round, counters: controller.counters,
                                  pendingVotes: controller.pendingVotes.mapValues { $0 == .add },
                                  lastError: controller.lastImportError ?? controller.lastError)
        let previous = status.withLock { old -> QBFTStatus in
            defer { old = snapshot }
            return old
        }
        metrics.qbft(snapshot, previous: previous)
    }
}

/// A QBFT validator's state as RPC and metrics see it.
struct QBFTStatus: Sendable {
    var height: UInt64?
    var round: UInt32?
    var counters = QBFTCounters()
    var pendingVotes: [Address: Bool] = [:]
    var lastError: String?
}

/// A value confined to the consensus thread. `@unchecked Sendable` is sound because every access happens inside an
/// event that `ConsensusThread` runs, one at a time, on its one thread.
final class ConsensusThreadOnly<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
