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
///
/// Behind a hot-standby lease (`signingGuard`), the state machine runs only while the guard is active: a standby
/// follows the chain as a replica (blocks over `eth`), and a fresh state machine starts from the head when it
/// becomes active and is dropped the moment it stops being so. Every signature the state machine makes is still
/// asked of the guard first (`QBFTController.init`'s `signingPermit`), which refuses a different block at a
/// height/round the shared key already signed, whichever member signed it.
final class QBFTService: Service, CustomStringConvertible, @unchecked Sendable {
    var description: String { "QBFT(\(key.address.checksummed))" }
    let blockchain: Blockchain
    let key: PrivateKey
    let logger: Logger
    let metrics: NodeMetrics
    let thread = ConsensusThread()
    let ports: QBFTNodePorts
    let verifier: QBFTHeaderVerifier
    let gossip: any ConsensusGossip
    let signingGuard: (any SigningGuard)?
    /// The running state machine, only ever touched on the consensus thread; nil while a standby.
    private let machine = ConsensusThreadOnly<QBFTController?>(nil)
    /// Whether peer messages and timers go to the state machine: cleared at once (off the consensus thread) when
    /// the guard stops being active, so queued messages are not acted on.
    private let running = Locked(false)
    /// What RPC and metrics read of the state machine, refreshed after every event.
    let status = Locked(QBFTStatus())

    init(blockchain: Blockchain, headers: any ChainHeaderReader, pool: TransactionPool, verifier: QBFTHeaderVerifier,
         key: PrivateKey, logger: Logger, metrics: NodeMetrics, gossip: any ConsensusGossip,
         signingGuard: (any SigningGuard)? = nil) {
        self.blockchain = blockchain
        self.key = key
        self.logger = logger
        self.metrics = metrics
        self.verifier = verifier
        self.gossip = gossip
        self.signingGuard = signingGuard
        ports = QBFTNodePorts(blockchain: blockchain, headers: headers, pool: pool, verifier: verifier, thread: thread,
                              logger: logger)
    }

    /// A fresh state machine; its signatures go through the guard, if there is one. Pending votes carry over.
    private func makeController() -> QBFTController {
        let permit: (SigningIntent) -> Bool
        if let signingGuard {
            let logger = self.logger
            permit = { intent in
                do {
                    _ = try blocking { () async throws -> Bool in
                        try await signingGuard.permit(intent)
                        return true
                    }
                    return true
                } catch {
                    logger.warning("QBFT: not signing \(intent): \(error)")
                    return false
                }
            }
        } else {
            permit = { _ in true }
        }
        let controller = QBFTController(config: verifier.config, key: key, validatorProvider: ports, blockBuilder: ports,
                                        blockValidator: ports, importer: ports, gossip: gossip, clock: ports,
                                        signingPermit: permit)
        controller.pendingVotes = status.withLock { $0.pendingVotes }.mapValues { $0 ? .add : .drop }
        return controller
    }

    func run() async throws {
        let events = await blockchain.headEvents()
        let machine = self.machine
        thread.start(name: "qbft") { [self] event in
            switch event {
            case .call(let body): body()
            case .newHead(let header): if running.withLock({ $0 }) { machine.value?.handleNewChainHead(header) }
            case .timer(let timer): if running.withLock({ $0 }) { machine.value?.handleTimer(timer) }
            case .message(let code, let data): if running.withLock({ $0 }) { machine.value?.handleMessage(code: code, data: data) }
            }
            publish()
        }
        if signingGuard == nil { await setRunning(true) }
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    for await event in events { self.thread.post(.newHead(event.block.header)) }
                }
                if let signingGuard = self.signingGuard {
                    group.addTask {
                        for await active in await signingGuard.activeChanges() { await self.setRunning(active) }
                    }
                }
                await group.waitForAll()
            }
        }
        thread.stop()
    }

    /// Starts a fresh state machine on the current head, or drops the running one.
    private func setRunning(_ active: Bool) async {
        let was = running.withLock { old -> Bool in
            defer { old = active }
            return old
        }
        guard was != active else { return }
        let machine = self.machine
        if active {
            let head = blockchain.head
            thread.post(.call { [self] in
                // Counters restart with the state machine; metrics count from the new zero.
                status.withLock { $0.counters = QBFTCounters() }
                let controller = makeController()
                machine.value = controller
                controller.start(head: head)
            })
            logger.info("QBFT validator \(key.address.checksummed) started on #\(head.number)")
        } else {
            let status = self.status
            thread.post(.call {
                machine.value = nil
                status.withLock { $0.height = nil; $0.round = nil }
            })
            logger.info("QBFT validator \(key.address.checksummed) stopped: this member is a standby; following the chain")
        }
    }

    /// Delivers a peer's `istanbul/100` message to the state machine (Besu `BftProtocolManager.processMessage`);
    /// other protocols and ids are ignored. Never waits: the consensus thread's queue is bounded and drops the
    /// oldest peer message when full. Called on NIO event loops.
    func receive(_ message: SubProtocolMessage) {
        guard let code = IstanbulSubProtocol.consensusCode(of: message) else { return }
        thread.post(.message(code: code, data: message.data))
    }

    /// A peer's session started: if it runs `istanbul`, the state machine sends its own messages of the current
    /// height again (`QBFTController.resendOwnMessages`), which the peer missed if they were made before it was
    /// connected. Called on NIO event loops.
    func peerConnected(_ peer: Peer) {
        guard !ValidatorPeers.consensusPeers([peer]).isEmpty else { return }
        let (machine, running) = (self.machine, self.running)
        thread.post(.call {
            if running.withLock({ $0 }) { machine.value?.resendOwnMessages() }
        })
    }

    /// Queues a validator vote for this node's next proposals (nil discards it): `qbft_proposeValidatorVote`.
    func vote(_ subject: Address, add: Bool?) {
        status.withLock { $0.pendingVotes[subject] = add }
        let machine = self.machine
        thread.post(.call {
            machine.value?.pendingVotes[subject] = add.map { $0 ? .add : .drop }
        })
    }

    /// Runs on the consensus thread after every event.
    private func publish() {
        guard let controller = machine.value else { return }
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
    var value: Value
    init(_ value: Value) { self.value = value }
}
