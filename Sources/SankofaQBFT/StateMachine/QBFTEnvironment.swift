import SankofaChain
import SankofaConsensus
import SankofaCrypto
import SankofaPrimitives

/// The local validator's key, the ports and the shared counters, handed down from the controller to height
/// managers and rounds. One per controller; only ever used from the controller's caller.
final class QBFTEnvironment {
    let config: QBFTConfig
    let key: PrivateKey
    let address: Address
    let validatorProvider: any ValidatorProvider
    let blockBuilder: any BlockBuilder
    let blockValidator: (any ProposedBlockValidator)?
    let importer: any BlockImporter
    let gossip: any ConsensusGossip
    let clock: any ConsensusClock
    /// Asked before every signature (see `QBFTController.init`); false drops the message unsigned.
    let signingPermit: (SigningIntent) -> Bool
    var counters = QBFTCounters()
    let seen: DuplicateMessageTracker
    /// Votes the local proposer puts into its blocks (RPC `qbft_proposeValidatorVote`).
    var pendingVotes: [Address: QBFTVote.Kind] = [:]
    /// The last block import failure, for diagnostics.
    var lastImportError: String?
    /// This node's own messages at `ownMessagesHeight`, oldest first and at most `ownMessagesLimit`: sent again
    /// when a validator connects (`resendOwnMessages`).
    private var ownMessages: [(code: Int, data: [UInt8])] = []
    private var ownMessagesHeight: UInt64 = 0
    /// A round's proposal, prepare and commit, or a few rounds' round changes.
    static let ownMessagesLimit = 8

    static let blockTimerName = "qbft.block"
    static let roundTimerName = "qbft.round"
    static let relayTimerName = "qbft.relay"

    init(config: QBFTConfig, key: PrivateKey, validatorProvider: any ValidatorProvider, blockBuilder: any BlockBuilder,
         blockValidator: (any ProposedBlockValidator)?, importer: any BlockImporter, gossip: any ConsensusGossip,
         clock: any ConsensusClock, signingPermit: @escaping (SigningIntent) -> Bool) {
        self.config = config
        self.key = key
        self.address = key.address
        self.validatorProvider = validatorProvider
        self.blockBuilder = blockBuilder
        self.blockValidator = blockValidator
        self.importer = importer
        self.gossip = gossip
        self.clock = clock
        self.signingPermit = signingPermit
        self.seen = DuplicateMessageTracker(limit: config.duplicateHistoryLimit)
    }

    /// Whether the local key may sign `intent` now; a refusal is counted and the caller sends nothing.
    func permits(_ intent: SigningIntent) -> Bool {
        if signingPermit(intent) { return true }
        counters.signaturesRefused += 1
        return false
    }

    /// Signs a payload with the local key.
    func sign<P: QBFTPayload>(_ payload: P) -> SignedPayload<P> {
        counters.signatures += 1
        return SignedPayload(payload, signedWith: key)
    }

    /// A commit seal over `digest`.
    func seal(_ digest: Hash32) -> RecoverableSignature {
        counters.signatures += 1
        return key.sign(digest)
    }

    /// Sends a locally made message to every other validator of `context`, remembering it so that echoes are
    /// dropped as duplicates.
    func multicast(_ message: QBFTMessage, in context: HeightContext) {
        let data = message.encoded
        let code = Int(message.code.rawValue)
        seen.insert(code: code, data: data)
        if ownMessagesHeight != context.height {
            ownMessages.removeAll()
            ownMessagesHeight = context.height
        }
        if ownMessages.count == Self.ownMessagesLimit { ownMessages.removeFirst() }
        ownMessages.append((code, data))
        let recipients = context.validators.filter { $0 != address }
        guard !recipients.isEmpty else { return }
        counters.sent += recipients.count
        counters.sentBytes += recipients.count * data.count
        gossip.multicast(code: code, data: data, to: recipients)
    }

    /// Sends this node's messages of `context`'s height again (newly connected validators missed them).
    func resendOwnMessages(in context: HeightContext) {
        guard ownMessagesHeight == context.height else { return }
        let recipients = context.validators.filter { $0 != address }
        guard !recipients.isEmpty else { return }
        for (code, data) in ownMessages {
            counters.resent += 1
            counters.sent += recipients.count
            counters.sentBytes += recipients.count * data.count
            gossip.multicast(code: code, data: data, to: recipients)
        }
    }

    /// The vote the local proposer casts in its next block: the lowest address among pending votes that would
    /// change the set (add a non-validator, drop a validator). None in contract mode, where the Governance contract
    /// decides the set.
    func vote(for context: HeightContext) -> QBFTVote? {
        guard !config.usesValidatorContract else { return nil }
        return pendingVotes.keys.sorted().lazy.compactMap { subject -> QBFTVote? in
            guard let kind = self.pendingVotes[subject] else { return nil }
            let isValidator = context.isValidator(subject)
            return (kind == .add) != isValidator ? QBFTVote(recipient: subject, kind: kind) : nil
        }.first
    }
}
