import SankofaPrimitives

/// The governance actions (DESIGN.md): the proposal's `payload` is the ABI encoding of the action's arguments.
public enum GovernanceAction: UInt8, CaseIterable, Sendable {
    case addValidator = 1
    case removeValidator = 2
    case pause = 3
    case unpause = 4
    case grantRole = 5
    case revokeRole = 6
    case addBoardMember = 7
    case removeBoardMember = 8
    case setThreshold = 9
    case setParameter = 10

    /// The ABI types of the payload.
    public var payloadTypes: [ABIType] {
        switch self {
        case .addValidator, .removeValidator, .pause, .unpause, .addBoardMember, .removeBoardMember: [.address]
        case .grantRole, .revokeRole: [.fixedBytes(32), .address]
        case .setThreshold: [.uint(256)]
        case .setParameter: [.fixedBytes(32), .uint(256)]
        }
    }
}

/// A proposal as stored: `rlp([proposer, action, payload, description, yes, no, executed, createdAt])`.
struct ProposalRecord: RLPRecord, Equatable {
    var proposer: Address
    var action: UInt8
    var payload: [UInt8]
    var description: String
    var yes: UInt64
    var no: UInt64
    var executed: Bool
    var createdAt: UInt64

    init(proposer: Address, action: UInt8, payload: [UInt8], description: String, createdAt: UInt64) {
        self.proposer = proposer
        self.action = action
        self.payload = payload
        self.description = description
        self.yes = 0
        self.no = 0
        self.executed = false
        self.createdAt = createdAt
    }
}

/// Governance's storage layout.
enum GovernanceLayout {
    static let board = StoredSet("board")
    static let validators = StoredSet("validators")
    static let threshold = StorageKey.make("threshold")
    static let proposalCount = StorageKey.make("proposal.count")
    static func proposal(_ id: UInt64) -> Hash32 { StorageKey.make("proposal", StorageKey.number(id)) }
    static func vote(_ id: UInt64, _ voter: Address) -> Hash32 { StorageKey.make("vote", StorageKey.number(id), voter.bytes) }
    static func parameter(_ key: Hash32) -> Hash32 { StorageKey.make("parameter", key.bytes) }
}
