import SankofaChain
import SankofaPrimitives

/// QBFT parameters: the genesis `config.qbft` keys Besu reads (`blockperiodseconds`, `emptyblockperiodseconds`,
/// `epochlength`, `requesttimeoutseconds`) plus the bounds this node puts on what peers can make it hold.
public struct QBFTConfig: Hashable, Sendable {
    /// Minimum seconds between a block and its parent (Besu `blockperiodseconds`).
    public var blockPeriodSeconds: UInt64
    /// When non-zero, a proposer with no transactions waits this long after the parent instead
    /// (Besu `emptyblockperiodseconds`).
    public var emptyBlockPeriodSeconds: UInt64
    /// Blocks per epoch: at each multiple pending votes are discarded (Besu `epochlength`).
    public var epochLength: UInt64
    /// Round 0's timeout; each later round doubles it (Besu `requesttimeoutseconds`,
    /// `BftRoundExpiryTimeCalculator`).
    public var requestTimeoutSeconds: UInt64
    /// The doubling stops here, so a long outage does not leave validators hours apart; defaults to four times
    /// `requestTimeoutSeconds`.
    public var maxRequestTimeoutSeconds: UInt64
    /// Messages for heights more than this far ahead are dropped (Besu `futureMessagesMaxDistance`, default 10).
    public var futureMessagesMaxDistance: UInt64
    /// At most this many future-height messages are held in all (Besu `futureMessagesLimit`, default 1000).
    public var futureMessagesLimit: Int
    /// At most this many future-height messages are held per author, so one validator cannot fill the buffer.
    public var futureMessagesPerSender: Int
    /// How many message digests are remembered to drop duplicates (Besu `gossipedHistoryLimit`, default 1000).
    public var duplicateHistoryLimit: Int
    /// Re-send each new valid message to the other validators, as Besu does for networks that are not a full mesh.
    public var gossipReceivedMessages: Bool
    /// How long a peer's PROPOSAL waits before it is re-sent, and then only to the validators that have not shown
    /// they hold it (by a PREPARE or COMMIT for it). A proposal carries its whole block, and in a full mesh every
    /// validator already has it from its proposer: re-sent at once, each block crossed the mesh (n-1)(n-2) extra
    /// times (six copies of a 600 KB block per height with four validators). Defaults to an eighth of round 0's
    /// timeout, at most 500 ms, so a validator reached only through others still votes well within the round. 0:
    /// re-sent at once, to all.
    public var proposalRelayDelayMilliseconds: UInt64
    /// Contract mode (Besu `validatorcontractaddress`): the validators of a block are the list this contract keeps
    /// at the parent's state, read through a `ContractValidatorSource`; headers still list them, and carry no votes.
    /// nil: header votes (Besu's default).
    public var validatorContract: Address?

    /// Whether validators come from a contract rather than header votes.
    public var usesValidatorContract: Bool { validatorContract != nil }

    /// Besu's defaults (`JsonBftConfigOptions`: period 1 s, round expiry 1 s, epoch 30 000, future messages 1000
    /// within 10 heights, history 1000); out-of-range values are clamped.
    public init(blockPeriodSeconds: UInt64 = 1, emptyBlockPeriodSeconds: UInt64 = 0, epochLength: UInt64 = 30_000,
                requestTimeoutSeconds: UInt64 = 1, maxRequestTimeoutSeconds: UInt64? = nil,
                futureMessagesMaxDistance: UInt64 = 10, futureMessagesLimit: Int = 1000, futureMessagesPerSender: Int = 100,
                duplicateHistoryLimit: Int = 1000, gossipReceivedMessages: Bool = true,
                proposalRelayDelayMilliseconds: UInt64? = nil, validatorContract: Address? = nil) {
        self.blockPeriodSeconds = blockPeriodSeconds
        self.emptyBlockPeriodSeconds = emptyBlockPeriodSeconds
        self.epochLength = max(1, epochLength)
        self.requestTimeoutSeconds = max(1, requestTimeoutSeconds)
        self.maxRequestTimeoutSeconds = max(self.requestTimeoutSeconds, maxRequestTimeoutSeconds ?? 4 * self.requestTimeoutSeconds)
        self.futureMessagesMaxDistance = futureMessagesMaxDistance
        self.futureMessagesLimit = max(0, futureMessagesLimit)
        self.futureMessagesPerSender = max(0, futureMessagesPerSender)
        self.duplicateHistoryLimit = max(1, duplicateHistoryLimit)
        self.gossipReceivedMessages = gossipReceivedMessages
        self.proposalRelayDelayMilliseconds = proposalRelayDelayMilliseconds ?? min(500, self.requestTimeoutSeconds * 1000 / 8)
        self.validatorContract = validatorContract
    }

    /// Whether `number` starts an epoch (genesis does).
    public func isEpochBlock(_ number: UInt64) -> Bool { number % epochLength == 0 }

    /// The timeout of `round` in milliseconds: base × 2^round, capped at `maxRequestTimeoutSeconds`.
    public func roundTimeoutMilliseconds(round: UInt32) -> UInt64 {
        let base = requestTimeoutSeconds * 1000
        let cap = maxRequestTimeoutSeconds * 1000
        guard round < 40 else { return cap }
        let (doubled, overflow) = base.multipliedReportingOverflow(by: UInt64(1) << UInt64(round))
        return overflow ? cap : min(doubled, cap)
    }
}

extension QBFTConfig {
    /// The configuration a genesis file's `config.qbft` section sets, with Besu's defaults for the rest.
    public init(genesis settings: GenesisFile.QBFTSettings) {
        self.init(blockPeriodSeconds: settings.blockPeriodSeconds, emptyBlockPeriodSeconds: settings.emptyBlockPeriodSeconds,
                  epochLength: settings.epochLength, requestTimeoutSeconds: settings.requestTimeoutSeconds,
                  maxRequestTimeoutSeconds: settings.maxRequestTimeoutSeconds,
                  validatorContract: settings.validatorContractAddress)
    }
}
