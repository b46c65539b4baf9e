import SankofaPrimitives

/// The multi-party board: proposals, votes and thresholds for validator-set changes, pauses, role changes, board
/// changes and parameters, plus an immediate emergency pause by any member (DESIGN.md `0x…1000`). Its own
/// functions are never pausable, so the board can always act.
///
/// The validator set kept here (`validators()`, actions 1 and 2) is the list a QBFT network will follow. Clique
/// networks change signers by signer votes (`clique_propose`), as EIP-225 requires; on them the governance list
/// records the board's decision but does not by itself change who seals.
public struct Governance: SystemContract {
    public let name = "Governance"
    public let address = SystemAddresses.governance

    public init() {}

    public static let proposalCreated = ContractEvent("ProposalCreated", [
        ABIParameter("proposalId", .uint(256), indexed: true), ABIParameter("proposer", .address, indexed: true),
        ABIParameter("action", .uint(8)), ABIParameter("description", .string)])
    public static let voted = ContractEvent("Voted", [
        ABIParameter("proposalId", .uint(256), indexed: true), ABIParameter("voter", .address, indexed: true),
        ABIParameter("support", .bool)])
    public static let proposalExecuted = ContractEvent("ProposalExecuted", [ABIParameter("proposalId", .uint(256), indexed: true)])
    public static let contractPaused = ContractEvent("ContractPaused", [
        ABIParameter("target", .address, indexed: true), ABIParameter("by", .address, indexed: true)])
    public static let contractUnpaused = ContractEvent("ContractUnpaused", [ABIParameter("target", .address, indexed: true)])
    public static let validatorAdded = ContractEvent("ValidatorAdded", [ABIParameter("validator", .address, indexed: true)])
    public static let validatorRemoved = ContractEvent("ValidatorRemoved", [ABIParameter("validator", .address, indexed: true)])
    public static let parameterSet = ContractEvent("ParameterSet", [
        ABIParameter("key", .fixedBytes(32), indexed: true), ABIParameter("value", .uint(256))])

    public var events: [ContractEvent] {
        [Self.proposalCreated, Self.voted, Self.proposalExecuted, Self.contractPaused, Self.contractUnpaused,
         Self.validatorAdded, Self.validatorRemoved, Self.parameterSet]
    }

    public var functions: [ContractFunction] {
        [
            ContractFunction("propose", [ABIParameter("action", .uint(8)), ABIParameter("payload", .bytes),
                                         ABIParameter("description", .string)],
                             returns: [ABIParameter("proposalId", .uint(256))], pausable: false) { call in
                try Self.requireBoardMember(call)
                let action = try call.choice(0, "action", as: GovernanceAction.self)
                let payload = try call.bytes(1)
                do { _ = try ABI.decode(payload, as: action.payloadTypes) } catch {
                    throw call.revert("payload is not the ABI encoding of (\(action.payloadTypes.map(\.canonicalName).joined(separator: ","))): \(error)")
                }
                let id = try call.loadUInt(GovernanceLayout.proposalCount).asUInt64.map { $0 + 1 } ?? 1
                try call.storeUInt(GovernanceLayout.proposalCount, UInt256(id))
                let description = try call.string(2)
                try call.storeRecord(GovernanceLayout.proposal(id), ProposalRecord(
                    proposer: call.sender, action: action.rawValue, payload: payload, description: description,
                    createdAt: call.block.timestamp))
                try call.emit(Self.proposalCreated, .uint(UInt256(id)), .address(call.sender),
                              .uint(UInt256(UInt64(action.rawValue))), .string(description))
                return [.uint(UInt256(id))]
            },
            ContractFunction("vote", [ABIParameter("proposalId", .uint(256)), ABIParameter("support", .bool)],
                             pausable: false) { call in
                try Self.requireBoardMember(call)
                let (id, key, proposal) = try Self.openProposal(call)
                var updated = proposal
                let voteKey = GovernanceLayout.vote(id, call.sender)
                guard try call.load(voteKey).isEmpty else { throw call.revert("\(call.sender.checksummed) already voted on proposal \(id)") }
                let support = try call.bool(1)
                try call.store(voteKey, [support ? 1 : 2])
                if support { updated.yes += 1 } else { updated.no += 1 }
                try call.storeRecord(key, updated)
                try call.emit(Self.voted, .uint(UInt256(id)), .address(call.sender), .bool(support))
                return []
            },
            ContractFunction("execute", [ABIParameter("proposalId", .uint(256))], pausable: false) { call in
                let (id, key, proposal) = try Self.openProposal(call)
                let threshold = try call.loadUInt(GovernanceLayout.threshold).asUInt64 ?? .max
                guard proposal.yes >= threshold else {
                    throw call.revert("proposal \(id) has \(proposal.yes) yes votes; \(threshold) needed")
                }
                var updated = proposal
                updated.executed = true
                try call.storeRecord(key, updated)
                try Self.perform(call, action: GovernanceAction(rawValue: proposal.action), payload: proposal.payload)
                try call.emit(Self.proposalExecuted, .uint(UInt256(id)))
                return []
            },
            ContractFunction("emergencyPause", [ABIParameter("target", .address)], pausable: false) { call in
                try Self.requireBoardMember(call)
                try Self.setPaused(call, try call.address(0), true, by: call.sender)
                return []
            },
            ContractFunction("isPaused", [ABIParameter("target", .address)], returns: [ABIParameter("paused", .bool)],
                             .view) { call in
                [.bool(try call.loadBool(PauseLayout.paused(try call.address(0))))]
            },
            ContractFunction("boardMembers", [], returns: [ABIParameter("members", .array(.address))], .view) { call in
                [.array(try GovernanceLayout.board.addresses(call).map { .address($0) })]
            },
            ContractFunction("threshold", [], returns: [ABIParameter("threshold", .uint(256))], .view) { call in
                [.uint(try call.loadUInt(GovernanceLayout.threshold))]
            },
            ContractFunction("validators", [], returns: [ABIParameter("validators", .array(.address))], .view) { call in
                [.array(try GovernanceLayout.validators.addresses(call).map { .address($0) })]
            },
            ContractFunction("parameter", [ABIParameter("key", .fixedBytes(32))], returns: [ABIParameter("value", .uint(256))],
                             .view) { call in
                [.uint(try call.loadUInt(GovernanceLayout.parameter(try call.bytes32(0))))]
            },
            ContractFunction("hasVoted", [ABIParameter("proposalId", .uint(256)), ABIParameter("voter", .address)],
                             returns: [ABIParameter("voted", .bool)], .view) { call in
                let id = try call.uint(0).asUInt64 ?? 0
                return [.bool(try !call.load(GovernanceLayout.vote(id, try call.address(1))).isEmpty)]
            },
            ContractFunction("getProposal", [ABIParameter("proposalId", .uint(256))], returns: [
                ABIParameter("proposer", .address), ABIParameter("action", .uint(8)), ABIParameter("payload", .bytes),
                ABIParameter("description", .string), ABIParameter("yesVotes", .uint(256)),
                ABIParameter("noVotes", .uint(256)), ABIParameter("executed", .bool),
            ], .view) { call in
                let id = try call.uint(0).asUInt64 ?? 0
                guard let p = try call.loadRecord(ProposalRecord.self, GovernanceLayout.proposal(id)) else {
                    throw call.revert("no proposal \(id)")
                }
                return [.address(p.proposer), .uint(UInt256(UInt64(p.action))), .bytes(p.payload), .string(p.description),
                        .uint(UInt256(p.yes)), .uint(UInt256(p.no)), .bool(p.executed)]
            },
        ]
    }

    // MARK: Helpers

    static func requireBoardMember(_ call: Call) throws {
        guard try GovernanceLayout.board.contains(call, call.sender.bytes) else {
            throw call.revert("caller \(call.sender.checksummed) is not a board member")
        }
    }

    /// The proposal named by argument 0, which must exist and not yet be executed.
    static func openProposal(_ call: Call) throws -> (UInt64, Hash32, ProposalRecord) {
        guard let id = try call.uint(0).asUInt64,
              let proposal = try call.loadRecord(ProposalRecord.self, GovernanceLayout.proposal(id)) else {
            throw call.revert("no proposal \(try call.uint(0))")
        }
        guard !proposal.executed else { throw call.revert("proposal \(id) was already executed") }
        return (id, GovernanceLayout.proposal(id), proposal)
    }

    static func setPaused(_ call: Call, _ target: Address, _ paused: Bool, by: Address) throws {
        guard call.host.registry.isSystemContract(target) else {
            throw call.revert("\(target.checksummed) is not a system contract")
        }
        guard target != SystemAddresses.governance else { throw call.revert("Governance itself cannot be paused") }
        let already = try call.loadBool(PauseLayout.paused(target))
        guard already != paused else { throw call.revert("\(target.checksummed) is already \(paused ? "paused" : "unpaused")") }
        try call.storeBool(PauseLayout.paused(target), paused)
        if paused {
            try call.emit(Self.contractPaused, .address(target), .address(by))
        } else {
            try call.emit(Self.contractUnpaused, .address(target))
        }
    }

    /// Carries out an approved action. Each failure reverts the whole execution (the proposal stays open).
    static func perform(_ call: Call, action: GovernanceAction?, payload: [UInt8]) throws {
        guard let action else { throw call.revert("stored proposal has an unknown action") }
        let values = try ABI.decode(payload, as: action.payloadTypes)
        func address(_ i: Int) throws -> Address {
            guard case .address(let a) = values[i] else { throw call.revert("payload argument \(i) is not an address") }
            return a
        }
        func word(_ i: Int) throws -> Hash32 {
            guard case .fixedBytes(let b) = values[i], let h = Hash32(bytes: b) else { throw call.revert("payload argument \(i) is not bytes32") }
            return h
        }
        func number(_ i: Int) throws -> UInt256 {
            guard case .uint(let n) = values[i] else { throw call.revert("payload argument \(i) is not a uint") }
            return n
        }
        switch action {
        case .addValidator:
            let validator = try address(0)
            guard try GovernanceLayout.validators.insert(call, validator.bytes) else {
                throw call.revert("\(validator.checksummed) is already a validator")
            }
            try call.emit(Self.validatorAdded, .address(validator))
        case .removeValidator:
            let validator = try address(0)
            guard try GovernanceLayout.validators.remove(call, validator.bytes) else {
                throw call.revert("\(validator.checksummed) is not a validator")
            }
            guard try GovernanceLayout.validators.count(call) > 0 else { throw call.revert("cannot remove the last validator") }
            try call.emit(Self.validatorRemoved, .address(validator))
        case .pause:
            try setPaused(call, try address(0), true, by: call.contract)
        case .unpause:
            try setPaused(call, try address(0), false, by: call.contract)
        case .grantRole:
            _ = try call.call(SystemAddresses.identityRegistry, "grantRole", .fixedBytes(try word(0).bytes), .address(try address(1)))
        case .revokeRole:
            _ = try call.call(SystemAddresses.identityRegistry, "revokeRole", .fixedBytes(try word(0).bytes), .address(try address(1)))
        case .addBoardMember:
            let member = try address(0)
            guard try GovernanceLayout.board.insert(call, member.bytes) else {
                throw call.revert("\(member.checksummed) is already a board member")
            }
        case .removeBoardMember:
            let member = try address(0)
            guard try GovernanceLayout.board.remove(call, member.bytes) else {
                throw call.revert("\(member.checksummed) is not a board member")
            }
            let threshold = try call.loadUInt(GovernanceLayout.threshold)
            guard UInt256(try GovernanceLayout.board.count(call)) >= threshold else {
                throw call.revert("removing \(member.checksummed) would leave fewer board members than the threshold \(threshold)")
            }
        case .setThreshold:
            let threshold = try number(0)
            let size = try GovernanceLayout.board.count(call)
            guard threshold >= .one, threshold <= UInt256(size) else {
                throw call.revert("threshold must be between 1 and the board size \(size)")
            }
            try call.storeUInt(GovernanceLayout.threshold, threshold)
        case .setParameter:
            let key = try word(0)
            let value = try number(1)
            try call.storeUInt(GovernanceLayout.parameter(key), value)
            try call.emit(Self.parameterSet, .fixedBytes(key.bytes), .uint(value))
        }
    }

    /// The validator list kept in `slots` (Governance's storage), in insertion order: what QBFT follows in contract
    /// mode. Read directly, unmetered, by the node rather than through `validators()`.
    public static func validators(in slots: some SlotAccess) throws -> [Address] {
        try GovernanceLayout.validators.addresses(slots)
    }

    /// Genesis: the board, its threshold, the initial validator set and parameters.
    public static func initialize(_ slots: some SlotAccess, board: [Address], threshold: UInt64, validators: [Address],
                                  parameters: [Hash32: UInt256] = [:]) throws {
        for member in board { try GovernanceLayout.board.insert(slots, member.bytes) }
        try slots.store(GovernanceLayout.threshold, UInt256(threshold).minimalBigEndianBytes)
        for validator in validators { try GovernanceLayout.validators.insert(slots, validator.bytes) }
        for (key, value) in parameters { try slots.store(GovernanceLayout.parameter(key), value.minimalBigEndianBytes) }
    }
}
