import SankofaChain
import SankofaPrimitives

// The narrow ports a BFT consensus state machine (QBFT) reaches the rest of the node through, so that it stays
// pure and synchronous: no threads, no wall clock, no sockets. The node adapts its chain, executor, P2P layer
// and timers to these; tests plug in a fake network and a manual clock (Besu's QBFT adaptor interfaces:
// `QbftBlockCreator`, `QbftBlockImporter`, `ValidatorMulticaster`, `BftExecutors` timers, `ValidatorProvider`).
//
// Every port is called on the caller's own executor, from inside the engine's event handlers; none may call back
// into the engine synchronously. Events flow the other way through the engine's `handle…` methods.

/// The consensus-chosen header fields of a block a validator is about to propose. The builder keeps them and
/// fills in everything execution decides (transactions, roots, gas used, bloom, base fee).
public struct BlockTemplate: Hashable, Sendable {
    public var parent: BlockHeader
    /// The hash the new header's `parentHash` must carry (an engine may hash headers its own way, as QBFT does).
    public var parentHash: Hash32
    public var number: UInt64
    public var timestamp: UInt64
    public var coinbase: Address
    public var extraData: [UInt8]
    public var difficulty: UInt256
    public var mixHash: Hash32
    public var nonce: UInt64

    public init(parent: BlockHeader, parentHash: Hash32, number: UInt64, timestamp: UInt64, coinbase: Address,
                extraData: [UInt8], difficulty: UInt256, mixHash: Hash32, nonce: UInt64) {
        self.parent = parent
        self.parentHash = parentHash
        self.number = number
        self.timestamp = timestamp
        self.coinbase = coinbase
        self.extraData = extraData
        self.difficulty = difficulty
        self.mixHash = mixHash
        self.nonce = nonce
    }
}

/// Builds the block a local proposer offers: picks transactions and executes them once on the template's parent
/// state. The builder should keep the execution result, keyed by the block, so that importing the same block
/// after consensus does not execute it again.
public protocol BlockBuilder: AnyObject {
    /// A complete, executed, unsealed block whose header carries every field of `template`.
    func buildBlock(_ template: BlockTemplate) throws -> Block
}

/// Checks that a block proposed by a peer is valid to vote for: its body matches its header and executing it on
/// its parent reproduces its state, receipts and gas (Besu `QbftBlockValidator`). Consensus fields are checked
/// by the engine itself.
public protocol ProposedBlockValidator: AnyObject {
    /// Throws a description of the first problem; returns when the block may be voted for.
    func validateProposedBlock(_ block: Block, parent: BlockHeader) throws
}

/// Commits a block the validators finalised, with its seals written into the header (Besu `QbftBlockImporter`).
/// The node announces the new head back to the engine once the block is stored.
public protocol BlockImporter: AnyObject {
    func importBlock(_ block: Block) throws
}

/// Sends consensus messages to validators, as devp2p message code + data (Besu `ValidatorMulticaster`).
/// Delivery is best effort; the protocol tolerates loss through its round timers.
public protocol ConsensusGossip: AnyObject {
    /// To one validator.
    func send(code: Int, data: [UInt8], to validator: Address)
    /// To each of `validators` (the engine leaves itself out of the list).
    func multicast(code: Int, data: [UInt8], to validators: [Address])
    /// A received message passed on to `validators`, never to `holders`: its author and any validator known to
    /// have it already.
    func relay(code: Int, data: [UInt8], to validators: [Address], holders: [Address])
}

extension ConsensusGossip {
    public func relay(code: Int, data: [UInt8], to validators: [Address], holders: [Address]) {
        multicast(code: code, data: data, to: validators)
    }
}

/// A named one-shot timer: its purpose (e.g. "block", "round") and the height and round it belongs to, so that a
/// stale expiry can be recognised and ignored.
public struct ConsensusTimer: Hashable, Sendable, CustomStringConvertible {
    public var name: String
    public var height: UInt64
    public var round: UInt32

    public init(name: String, height: UInt64, round: UInt32) {
        self.name = name
        self.height = height
        self.round = round
    }

    public var description: String { "\(name)@\(height)/\(round)" }
}

/// Time as the engine sees it: a monotonic-enough "now" and one-shot timers. When a timer's deadline passes the
/// host calls the engine's timer handler with it; starting a timer with the same name replaces the old one.
public protocol ConsensusClock: AnyObject {
    /// Milliseconds since the Unix epoch (block timestamps derive from it).
    var nowMilliseconds: UInt64 { get }
    /// Arms `timer` to fire at `deadlineMilliseconds` (at once if that is already past), replacing any armed timer
    /// with the same name.
    func startTimer(_ timer: ConsensusTimer, deadlineMilliseconds: UInt64)
    /// Disarms the timer with `timer`'s name, if armed.
    func cancelTimer(named name: String)
}

/// The validator set in force for the child of a header (Besu `ValidatorProvider.getValidatorsAfterBlock`).
public protocol ValidatorProvider {
    /// The validators allowed to propose and vote on the block after `header`, sorted ascending.
    func validators(after header: BlockHeader) throws(ConsensusError) -> [Address]
}
