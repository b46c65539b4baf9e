import SankofaChain
import SankofaConsensus
import SankofaCrypto
import SankofaPrimitives

/// The entry point of a QBFT validator (Besu `QbftController`): a pure, synchronous state machine. The host feeds
/// it three kinds of events — a new chain head, a message from a peer, a timer expiry — from one executor, and
/// it answers only through its ports (build, validate and import blocks, gossip, timers).
///
/// For each message it drops duplicates, decodes strictly, drops stale heights, holds future heights within
/// bounds, ignores non-validators, re-gossips, then hands it to the height manager of the current height.
/// Nothing a peer sends can trap; every message is counted in `counters`.
public final class QBFTController {
    private let env: QBFTEnvironment
    private var heightManager: QBFTBlockHeightManager?
    private var futureMessages: FutureMessageBuffer
    /// Peers' PROPOSALs of this height waiting to be re-sent (`QBFTConfig.proposalRelayDelayMilliseconds`).
    private var pendingRelays: [FutureMessageBuffer.Entry] = []
    /// At most this many wait at once: one per round, and only the current round's is ever sent.
    static let pendingRelayLimit = 4
    /// The head the current height builds on.
    public private(set) var head: BlockHeader?
    /// Why the last height could not start (the validator set could not be read), if it failed.
    public private(set) var lastError: String?

    /// A validator signing with `key`, reaching the node only through the given ports. Call `start(head:)` next.
    ///
    /// `signingPermit` is asked before each signature, with what it commits the key to (a hot standby's
    /// `SigningGuard`): PROPOSAL, PREPARE and COMMIT (with its commit seal) at height/round as
    /// `SigningIntent(height, round, digest)`, where the digest is the proposed block's commit-seal hash, which
    /// all three sign; ROUND-CHANGE into round r as `SigningIntent.roundChange(height, r)`. False: the message is
    /// not signed nor sent (counted in `signaturesRefused`), and the round goes on as if it had been lost.
    public init(config: QBFTConfig, key: PrivateKey, validatorProvider: any ValidatorProvider,
                blockBuilder: any BlockBuilder, blockValidator: (any ProposedBlockValidator)?,
                importer: any BlockImporter, gossip: any ConsensusGossip, clock: any ConsensusClock,
                signingPermit: @escaping (SigningIntent) -> Bool = { _ in true }) {
        env = QBFTEnvironment(config: config, key: key, validatorProvider: validatorProvider, blockBuilder: blockBuilder,
                              blockValidator: blockValidator, importer: importer, gossip: gossip, clock: clock,
                              signingPermit: signingPermit)
        futureMessages = FutureMessageBuffer(maxDistance: config.futureMessagesMaxDistance,
                                             limit: config.futureMessagesLimit, perSender: config.futureMessagesPerSender)
    }

    // MARK: State, for RPC, metrics and tests

    public var address: Address { env.address }
    /// Everything received, refused, sent and signed so far.
    public var counters: QBFTCounters { env.counters }
    /// The height being decided and its current round (nil before round 0 starts).
    public var height: UInt64? { heightManager?.context.height }
    public var round: UInt32? { heightManager?.roundNumber }
    /// The validators of the current height.
    public var validators: [Address] { heightManager?.context.validators ?? [] }
    /// Messages held: future heights, future rounds and ROUND-CHANGEs.
    public var heldMessages: Int { futureMessages.count + (heightManager?.heldMessages ?? 0) }
    /// Digests remembered to drop duplicates.
    public var rememberedDigests: Int { env.seen.count }
    /// The last failure of the block builder or importer port, for diagnostics.
    public var lastImportError: String? { env.lastImportError }

    /// Votes the local node casts when it proposes (RPC `qbft_proposeValidatorVote` / `discardValidatorVote`).
    public var pendingVotes: [Address: QBFTVote.Kind] {
        get { env.pendingVotes }
        set { env.pendingVotes = newValue }
    }

    // MARK: Events

    /// Starts consensus on top of `head` (Besu `start`).
    public func start(head: BlockHeader) {
        startHeight(on: head)
    }

    /// The chain moved: start the next height unless `header` is not past the current parent (Besu
    /// `handleNewBlockEvent`).
    public func handleNewChainHead(_ header: BlockHeader) {
        if let head {
            if header.number < head.number { return }
            if header.number == head.number,
               (try? QBFTBlockHashing.onChainHash(header)) == (try? QBFTBlockHashing.onChainHash(head)) { return }
        }
        startHeight(on: header)
    }

    /// A timer armed through the clock port fired.
    public func handleTimer(_ timer: ConsensusTimer) {
        guard let manager = heightManager, timer.height == manager.context.height else { return }
        switch timer.name {
        case QBFTEnvironment.blockTimerName: manager.blockTimerExpired()
        case QBFTEnvironment.roundTimerName: manager.roundExpired(timer.round)
        case QBFTEnvironment.relayTimerName: relayWaitingProposals(in: manager)
        default: break
        }
    }

    /// A validator peer connected: this node's own messages of the current height go out again. Without this, a
    /// proposal or vote made before the session existed (every validator of a network starting at once) is lost,
    /// and the height waits for a round timeout. Receivers drop the copies they already have as duplicates.
    public func resendOwnMessages() {
        guard let manager = heightManager else { return }
        env.resendOwnMessages(in: manager.context)
    }

    /// A consensus message from a peer: devp2p code and data.
    public func handleMessage(code: Int, data: [UInt8]) {
        env.counters.received += 1
        guard env.seen.insert(code: code, data: data) else {
            env.counters.duplicates += 1
            return
        }
        let message: QBFTMessage
        do { message = try QBFTMessage(code: code, data: data) } catch {
            env.counters.malformed += 1
            return
        }
        env.counters.recoveries += Self.recoveries(in: message)
        route(FutureMessageBuffer.Entry(message: message, code: code, data: data))
    }

    // MARK: Internals

    private func startHeight(on parent: BlockHeader) {
        head = parent
        if let manager = heightManager {
            // Decided before their delay ran out: the validators that lacked them import the block instead.
            for entry in pendingRelays { env.counters.relaysWithheld += relayCandidates(of: entry, in: manager.context).count }
        }
        pendingRelays.removeAll()
        heightManager = nil
        let context: HeightContext
        do {
            context = HeightContext(parent: parent, parentHash: try QBFTBlockHashing.onChainHash(parent),
                                    validators: try env.validatorProvider.validators(after: parent))
        } catch {
            lastError = "cannot start height \(parent.number &+ 1): \(error)"
            return
        }
        lastError = nil
        guard context.isValidator(env.address) else {
            // Not a validator at this height: follow the chain through block import only.
            _ = futureMessages.take(height: context.height)
            return
        }
        let manager = QBFTBlockHeightManager(context: context, env: env)
        heightManager = manager
        for entry in futureMessages.take(height: context.height) { route(entry) }
    }

    private func route(_ entry: FutureMessageBuffer.Entry) {
        let messageHeight = entry.message.roundIdentifier.height
        guard let current = head.map({ $0.number &+ 1 }) else { return }
        if messageHeight < current {
            env.counters.stale += 1
            return
        }
        if messageHeight > current {
            let (held, dropped) = futureMessages.add(entry, currentHeight: current)
            if held { env.counters.futureBuffered += 1 }
            env.counters.futureDropped += dropped
            return
        }
        guard let manager = heightManager else {
            env.counters.invalid += 1
            return
        }
        guard manager.context.isValidator(entry.message.author) else {
            env.counters.fromNonValidators += 1
            return
        }
        if env.config.gossipReceivedMessages {
            if case .proposal = entry.message, env.config.proposalRelayDelayMilliseconds > 0 {
                waitToRelay(entry)
            } else {
                relay(entry, holders: [entry.message.author], in: manager.context)
            }
        }
        do {
            switch entry.message {
            case .proposal(let proposal): try manager.handleProposal(proposal)
            case .prepare(let prepare): try manager.handlePrepare(prepare)
            case .commit(let commit): try manager.handleCommit(commit)
            case .roundChange(let roundChange): try manager.handleRoundChange(roundChange)
            }
            env.counters.accepted += 1
        } catch {
            env.counters.invalid += 1
        }
    }

    /// Re-sends a peer's message to the validators other than this node and `holders`.
    private func relay(_ entry: FutureMessageBuffer.Entry, holders: [Address], in context: HeightContext) {
        let candidates = relayCandidates(of: entry, in: context)
        let others = candidates.filter { !holders.contains($0) }
        env.counters.relaysWithheld += candidates.count - others.count
        guard !others.isEmpty else { return }
        env.counters.regossiped += others.count
        env.counters.sent += others.count
        env.counters.sentBytes += others.count * entry.data.count
        env.gossip.relay(code: entry.code, data: entry.data, to: others, holders: holders)
    }

    /// The validators a peer's message could be re-sent to: all but this node and its author.
    private func relayCandidates(of entry: FutureMessageBuffer.Entry, in context: HeightContext) -> [Address] {
        context.validators.filter { $0 != env.address && $0 != entry.message.author }
    }

    /// Holds a peer's PROPOSAL for `proposalRelayDelayMilliseconds` (see there why).
    private func waitToRelay(_ entry: FutureMessageBuffer.Entry) {
        pendingRelays.append(entry)
        if pendingRelays.count > Self.pendingRelayLimit { pendingRelays.removeFirst() }
        let round = entry.message.roundIdentifier
        env.clock.startTimer(ConsensusTimer(name: QBFTEnvironment.relayTimerName, height: round.height, round: round.round),
                             deadlineMilliseconds: env.clock.nowMilliseconds &+ env.config.proposalRelayDelayMilliseconds)
    }

    /// The relay delay ran out (one timer: a later proposal restarts it): each waiting PROPOSAL goes to the
    /// validators that have neither sent it nor voted on it. One for a round this node has moved past is needed by
    /// nobody any more (nor is any once the height is decided, which clears the queue); one for a round it has not
    /// reached yet (its own timers are late) still goes on.
    private func relayWaitingProposals(in manager: QBFTBlockHeightManager) {
        let waiting = pendingRelays
        pendingRelays.removeAll()
        for entry in waiting {
            let round = entry.message.roundIdentifier.round
            guard round >= manager.roundNumber ?? 0 else {
                env.counters.relaysWithheld += relayCandidates(of: entry, in: manager.context).count
                continue
            }
            relay(entry, holders: [entry.message.author] + manager.voters(inRound: round), in: manager.context)
        }
    }

    /// Signatures recovered while decoding and checking `message`: its own, those of the messages it embeds, and
    /// a COMMIT's seal.
    static func recoveries(in message: QBFTMessage) -> Int {
        switch message {
        case .proposal(let proposal): 1 + proposal.roundChanges.count + proposal.prepares.count
        case .prepare: 1
        case .commit: 2
        case .roundChange(let roundChange): 1 + roundChange.prepares.count
        }
    }
}
