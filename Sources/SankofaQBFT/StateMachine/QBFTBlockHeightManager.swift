import SankofaChain
import SankofaConsensus
import SankofaPrimitives

/// Runs consensus for one height (Besu `QbftBlockHeightManager`): waits for the block timer, starts round 0,
/// moves rounds on timeouts and ROUND-CHANGE quorums, and routes each message to the current round or holds it
/// for a later one.
final class QBFTBlockHeightManager {
    /// PREPARE/COMMIT/PROPOSAL for rounds further ahead than this are dropped, so round buffers stay bounded.
    static let futureRoundsMaxDistance: UInt32 = 10

    let context: HeightContext
    private let env: QBFTEnvironment
    private(set) var currentRound: QBFTRound?
    private var futureRounds: [UInt32: RoundState] = [:]
    private var roundChanges: RoundChangeManager
    private var latestPrepared: PreparedCertificate?
    private let blockValidator: BlockConsensusValidator
    private let roundChangeValidator: RoundChangeValidator

    init(context: HeightContext, env: QBFTEnvironment) {
        self.context = context
        self.env = env
        self.roundChanges = RoundChangeManager(quorum: context.quorum)
        let clock = env.clock
        self.blockValidator = BlockConsensusValidator(context: context, executionValidator: env.blockValidator,
                                                      blockPeriodSeconds: env.config.blockPeriodSeconds,
                                                      nowSeconds: { clock.nowMilliseconds / 1000 },
                                                      refusesVotes: env.config.usesValidatorContract)
        self.roundChangeValidator = RoundChangeValidator(context: context, blockValidator: blockValidator)
        startBlockTimer(deadline: (context.parent.timestamp &+ env.config.blockPeriodSeconds) &* 1000)
    }

    var roundNumber: UInt32? { currentRound?.roundIdentifier.round }
    /// The validators whose PREPARE or COMMIT counted in `round`, if it is the current round.
    func voters(inRound round: UInt32) -> [Address] {
        guard let current = currentRound, current.roundIdentifier.round == round else { return [] }
        return Array(current.state.voters)
    }
    /// Messages held for rounds after the current one, and ROUND-CHANGEs held.
    var heldMessages: Int { futureRounds.values.reduce(0) { $0 + $1.prepareCount + $1.commitCount } + roundChanges.count }

    // MARK: Timers

    private func startBlockTimer(deadline: UInt64) {
        env.clock.startTimer(ConsensusTimer(name: QBFTEnvironment.blockTimerName, height: context.height, round: 0),
                             deadlineMilliseconds: deadline)
    }

    /// The block period has passed since the parent: start round 0 and propose if it is our turn.
    func blockTimerExpired() {
        if currentRound != nil { return }
        startRound(0)
        guard let round = currentRound, context.proposer(round: 0) == env.address else { return }
        let block: Block
        do { block = try round.createBlock() } catch {
            env.lastImportError = "block builder: \(error)"
            return
        }
        let emptyPeriod = env.config.emptyBlockPeriodSeconds
        if block.transactions.isEmpty, emptyPeriod > env.config.blockPeriodSeconds {
            let now = env.clock.nowMilliseconds
            let emptyDeadline = (context.parent.timestamp &+ emptyPeriod) &* 1000
            if now < emptyDeadline {
                // Besu `resetTimerForEmptyBlock`: wait for transactions or the empty-block period, whichever first.
                startBlockTimer(deadline: min(emptyDeadline, now &+ env.config.blockPeriodSeconds &* 1000))
                env.clock.cancelTimer(named: QBFTEnvironment.roundTimerName)
                currentRound = nil
                return
            }
        }
        round.propose(block, roundChanges: [], prepares: [])
    }

    /// The current round timed out: move to the next one and say so (Besu `roundExpired`, `doRoundChange`).
    func roundExpired(_ round: UInt32) {
        guard let current = currentRound, current.roundIdentifier.round == round, round < RoundIdentifier.maximumRound else { return }
        env.counters.roundChanges += 1
        changeRound(to: round + 1)
    }

    private func changeRound(to newRound: UInt32) {
        if let current = currentRound, current.roundIdentifier.round >= newRound { return }
        startRound(newRound)
        guard env.permits(.roundChange(height: context.height, round: newRound)) else { return }
        let prepared = latestPrepared.map {
            PreparedRoundMetadata(preparedRound: $0.round,
                                  preparedBlockHash: (try? QBFTBlockHashing.commitSealHash($0.block.header)) ?? .zero)
        }
        let payload = env.sign(RoundChangePayload(roundIdentifier: context.roundIdentifier(newRound), prepared: prepared))
        let roundChange = RoundChange(signedPayload: payload, preparedBlock: latestPrepared?.block,
                                      prepares: latestPrepared?.prepares ?? [])
        try? handleRoundChange(roundChange)
        env.multicast(.roundChange(roundChange), in: context)
    }

    /// Moves to `round`. The round being left hands over its prepared certificate, if it has one, whichever way
    /// the node leaves it (timeout, round-change quorum, justified future proposal), so the next ROUND-CHANGE
    /// always reports the latest preparation.
    private func startRound(_ round: UInt32) {
        if let certificate = currentRound?.state.preparedCertificate,
           certificate.round >= (latestPrepared?.round ?? 0) {
            latestPrepared = certificate
        }
        let state = futureRounds[round] ?? makeRoundState(round)
        futureRounds = futureRounds.filter { $0.key > round }
        currentRound = QBFTRound(state: state, env: env)
        roundChanges.discardRounds(before: round)
    }

    private func makeRoundState(_ round: UInt32) -> RoundState {
        RoundState(roundIdentifier: context.roundIdentifier(round), context: context,
                   proposalValidator: ProposalValidator(context: context, round: round, blockValidator: blockValidator,
                                                        roundChangeValidator: roundChangeValidator))
    }

    // MARK: Messages

    private enum Age { case prior, current, future }

    private func age(of round: UInt32) -> Age {
        guard let current = roundNumber else { return .future }
        return round > current ? .future : round == current ? .current : .prior
    }

    private func isWithinFutureWindow(_ round: UInt32) -> Bool {
        round <= (roundNumber ?? 0) &+ Self.futureRoundsMaxDistance
    }

    func handleProposal(_ proposal: Proposal) throws(MessageRejection) {
        let round = proposal.roundIdentifier.round
        switch age(of: round) {
        case .prior: throw MessageRejection("PROPOSAL for past round \(round)")
        case .future:
            // Validated in full (with its justification) before the node jumps to its round.
            try ProposalValidator(context: context, round: round, blockValidator: blockValidator,
                                  roundChangeValidator: roundChangeValidator).validate(proposal)
            startRound(round)
            try currentRound?.handleProposal(proposal, trusted: true)
        case .current:
            try currentRound?.handleProposal(proposal, trusted: false)
        }
    }

    func handlePrepare(_ prepare: Prepare) throws(MessageRejection) {
        let round = prepare.payload.roundIdentifier.round
        switch age(of: round) {
        case .prior: throw MessageRejection("PREPARE for past round \(round)")
        case .current: try currentRound?.handlePrepare(prepare)
        case .future: try futureRoundState(round).addPrepare(prepare)
        }
    }

    func handleCommit(_ commit: Commit) throws(MessageRejection) {
        let round = commit.payload.roundIdentifier.round
        switch age(of: round) {
        case .prior: throw MessageRejection("COMMIT for past round \(round)")
        case .current: try currentRound?.handleCommit(commit)
        case .future: try futureRoundState(round).addCommit(commit)
        }
    }

    private func futureRoundState(_ round: UInt32) throws(MessageRejection) -> RoundState {
        guard isWithinFutureWindow(round) else { throw MessageRejection("round \(round) is too far ahead") }
        if let state = futureRounds[round] { return state }
        let state = makeRoundState(round)
        futureRounds[round] = state
        return state
    }

    /// Stores a ROUND-CHANGE; on a quorum for a later round, moves there, and proposes if it is our turn.
    func handleRoundChange(_ roundChange: RoundChange) throws(MessageRejection) {
        try roundChangeValidator.validate(roundChange)
        let target = roundChange.roundIdentifier.round
        let age = age(of: target)
        if age == .prior { throw MessageRejection("ROUND-CHANGE for past round \(target)") }
        if let certificate = roundChanges.append(roundChange) {
            if age == .future { startRound(target) }
            if context.proposer(round: target) == env.address, roundNumber == target {
                do { try currentRound?.start(with: RoundChangeArtifacts(certificate)) } catch {
                    env.lastImportError = "block builder: \(error)"
                }
            }
        }
        // f+1 validators are in later rounds: join the lowest of them.
        let threshold = QBFTQuorum.futureRoundChange(validatorCount: context.validators.count)
        if let current = roundNumber, let ahead = roundChanges.roundAhead(of: current, threshold: threshold) {
            env.counters.roundChanges += 1
            changeRound(to: ahead)
        }
    }
}
