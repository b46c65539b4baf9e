/// What a QBFT node has done and refused, for metrics and tests. Every message a peer sends lands in exactly one
/// of the receive-side buckets.
public struct QBFTCounters: Hashable, Sendable {
    /// Messages handed to the controller.
    public var received = 0
    /// Same bytes seen before (Besu `MessageTracker`).
    public var duplicates = 0
    /// Bytes that did not decode (bad RLP, bad signature, unknown code).
    public var malformed = 0
    /// For a height already decided.
    public var stale = 0
    /// Held for a later height.
    public var futureBuffered = 0
    /// For a later height but too far ahead, or over the per-sender or total limit, or evicted.
    public var futureDropped = 0
    /// Signed by an address outside the validator set of its height.
    public var fromNonValidators = 0
    /// From a validator but refused by a message validator (wrong proposer, bad justification, wrong digest…).
    public var invalid = 0
    /// Accepted and acted on.
    public var accepted = 0
    /// Messages this node signed and sent, and their encoded bytes.
    public var sent = 0
    public var sentBytes = 0
    /// Messages re-sent to other validators (gossip).
    public var regossiped = 0
    /// Copies of peers' messages not re-sent: the validator had sent or voted on it, or its round had ended.
    public var relaysWithheld = 0
    /// Own messages sent again because a validator connected.
    public var resent = 0
    /// secp256k1 signatures made (message signatures and commit seals) and recovered (authors, seals).
    public var signatures = 0
    public var recoveries = 0
    /// Signatures the signing port refused (a hot standby's guard: not the lease holder, or the key already signed
    /// another block at that height/round); the message was not sent.
    public var signaturesRefused = 0
    /// Rounds this node moved past on a timeout, and blocks it committed.
    public var roundChanges = 0
    public var blocksCommitted = 0
    /// PROPOSALs this node made as the round's proposer, and peers' PROPOSALs it accepted.
    public var proposalsMade = 0
    public var proposalsReceived = 0
    /// Milliseconds from accepting the committed block's PROPOSAL to handing the sealed block to the importer,
    /// for the last block this node committed (nil before the first).
    public var lastProposalToCommitMilliseconds: UInt64?

    public init() {}
}
