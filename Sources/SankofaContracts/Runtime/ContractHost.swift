import SankofaChain
import SankofaPrimitives

/// The result of running a call against the system contracts.
public struct CallOutcome: Sendable, Equatable {
    /// false when the call reverted (or ran out of gas); its state changes and logs were rolled back.
    public let succeeded: Bool
    /// The ABI-encoded return values, or the revert data (`Error(string)`).
    public let output: [UInt8]
    /// Gas the contract work consumed (excluding the transaction's intrinsic gas).
    public let gasUsed: UInt64
    public let logs: [Log]
    /// Why it failed, if it did.
    public let error: ContractError?

    public init(succeeded: Bool, output: [UInt8], gasUsed: UInt64, logs: [Log], error: ContractError?) {
        self.succeeded = succeeded
        self.output = output
        self.gasUsed = gasUsed
        self.logs = logs
        self.error = error
    }
}

/// Runs one transaction's (or one `eth_call`'s) contract work: dispatch by selector, argument decoding, role,
/// pause and read-only checks, gas metering from storage and log work, per-frame rollback, cross-contract calls.
///
/// Not thread-safe: one per call, on one task.
public final class ContractHost {
    public let registry: ContractRegistry
    public let storage: ContractStorage
    public let block: BlockContext
    public let schedule: GasSchedule
    /// The transaction's signer (`tx.origin`).
    public let origin: Address
    /// true for `eth_call` of view functions: any state change reverts.
    public let isStatic: Bool
    public let gasLimit: UInt64
    public private(set) var gasUsed: UInt64 = 0
    public private(set) var logs: [Log] = []
    var warm: Set<SlotReference> = []
    var depth = 0

    /// Nested contract calls beyond this depth revert (no contract recurses; this bounds mistakes).
    public static let maximumDepth = 16

    struct SlotReference: Hashable {
        let contract: Address
        let key: Hash32
    }

    public init(registry: ContractRegistry, storage: ContractStorage, block: BlockContext, origin: Address,
                gasLimit: UInt64, isStatic: Bool = false, schedule: GasSchedule = .standard) {
        self.registry = registry
        self.storage = storage
        self.block = block
        self.origin = origin
        self.gasLimit = gasLimit
        self.isStatic = isStatic
        self.schedule = schedule
    }

    /// Executes `input` (selector ‖ ABI arguments) against the contract at `contract` on behalf of `sender`.
    /// Reverts and out-of-gas come back as a failed outcome; storage I/O failures are thrown (the block cannot be
    /// executed on this node). A call carrying `value` reverts before any work: system contracts hold no ether
    /// (they have no payable functions), for transactions and simulated calls alike.
    public func execute(_ contract: Address, input: [UInt8], sender: Address, value: UInt256 = .zero) throws -> CallOutcome {
        guard value.isZero else {
            let error = ContractError.revert("system contracts do not accept value")
            return CallOutcome(succeeded: false, output: error.revertData, gasUsed: 0, logs: [], error: error)
        }
        let checkpoint = storage.checkpoint()
        do {
            let output = try dispatch(contract, input: input, sender: sender)
            return CallOutcome(succeeded: true, output: output, gasUsed: gasUsed, logs: logs, error: nil)
        } catch let error as ContractError {
            try storage.revert(to: checkpoint)
            logs.removeAll()
            if case .outOfGas = error { gasUsed = gasLimit }
            return CallOutcome(succeeded: false, output: error.revertData, gasUsed: gasUsed, logs: [], error: error)
        }
    }

    /// Charges gas, failing the call once the limit is passed.
    public func charge(_ amount: UInt64) throws {
        let (total, overflow) = gasUsed.addingReportingOverflow(amount)
        guard !overflow, total <= gasLimit else {
            gasUsed = gasLimit
            throw ContractError.outOfGas(limit: gasLimit)
        }
        gasUsed = total
    }

    // MARK: Dispatch

    func dispatch(_ address: Address, input: [UInt8], sender: Address) throws -> [UInt8] {
        guard let entry = registry.entries[address] else {
            throw ContractError.revert("no system contract at \(address.checksummed)")
        }
        let name = entry.contract.name
        guard input.count >= 4 else {
            throw ContractError.revert("\(name): call data must start with a 4-byte function selector")
        }
        guard let function = entry.bySelector[ContractRegistry.selectorKey(input)] else {
            throw ContractError.revert("\(name): unknown function selector \(Hex.encode(input.prefix(4)))")
        }
        try charge(schedule.call + UInt64((input.count - 4 + 31) / 32) * schedule.callDataWord)
        let arguments: [ABIValue]
        do {
            arguments = try ABI.decode(input.dropFirst(4), as: function.inputs.map(\.type))
        } catch {
            throw ContractError.revert("\(name).\(function.name): invalid call data: \(error)")
        }
        let results = try invoke(entry, function, arguments, sender: sender)
        do {
            return try ABI.encode(results, as: function.outputs.map(\.type))
        } catch {
            throw ContractError.revert("\(name).\(function.name): could not encode its result: \(error)")
        }
    }

    /// Runs one function with the runtime's checks around it; on any failure the frame's state and logs roll back.
    func invoke(_ entry: ContractRegistry.Entry, _ function: ContractFunction, _ arguments: [ABIValue],
                sender: Address) throws -> [ABIValue] {
        let contract = entry.contract
        var label: String { "\(contract.name).\(function.name)" }
        if function.mutability != .view && isStatic {
            throw ContractError.revert("\(label) changes state and cannot run in a read-only call")
        }
        if function.pausable, try isPaused(entry) {
            throw ContractError.revert("\(contract.name) is paused")
        }
        if !function.requiredRoles.isEmpty {
            var allowed = false
            for role in function.requiredRoles where try hasRole(role, sender) {
                allowed = true
                break
            }
            guard allowed else {
                let names = function.requiredRoles.map(Roles.name(of:)).joined(separator: " or ")
                throw ContractError.revert("\(label): caller \(sender.checksummed) lacks role \(names)")
            }
        }
        guard depth < Self.maximumDepth else { throw ContractError.revert("\(label): call depth exceeded") }
        depth += 1
        defer { depth -= 1 }
        let checkpoint = storage.checkpoint()
        let logCount = logs.count
        do {
            let call = Call(host: self, contract: contract.address, contractName: contract.name,
                            function: function, sender: sender, arguments: arguments)
            return try function.handler(call)
        } catch {
            try storage.revert(to: checkpoint)
            logs.removeSubrange(logCount...)
            if let contractError = error as? ContractError { throw contractError }
            if let abiError = error as? ABIError { throw ContractError.revert("\(label): \(abiError)") }
            throw error
        }
    }

    /// Calls a function of another system contract by name (e.g. ServiceLevels crediting a customer in Billing).
    /// The callee sees the calling contract as `msg.sender`; a revert in the callee reverts the caller too.
    func invoke(_ address: Address, _ functionName: String, _ arguments: [ABIValue], sender: Address) throws -> [ABIValue] {
        guard let entry = registry.entries[address], let function = entry.byName[functionName] else {
            throw ContractError.revert("no function \(functionName) at \(address.checksummed)")
        }
        try charge(schedule.call)
        return try invoke(entry, function, arguments, sender: sender)
    }

    // MARK: Storage with gas

    func load(_ contract: Address, _ key: Hash32) throws -> [UInt8] {
        let first = warm.insert(SlotReference(contract: contract, key: key)).inserted
        try charge(first ? schedule.coldRead : schedule.warmRead)
        let value = try storage.load(contract, key)
        try charge(UInt64((value.count + 31) / 32) * schedule.readWord)
        return value
    }

    func store(_ contract: Address, _ key: Hash32, _ value: [UInt8]) throws {
        let previous = try load(contract, key)
        if previous == value { return }
        let words = UInt64((value.count + 31) / 32)
        try charge((previous.isEmpty ? schedule.setSlot : schedule.resetSlot) + (words > 1 ? (words - 1) * schedule.writeWord : 0))
        try storage.store(contract, key, value)
    }

    func emit(_ log: Log) throws {
        try charge(schedule.log + UInt64(log.topics.count) * schedule.logTopic + UInt64(log.data.count) * schedule.logDataByte)
        logs.append(log)
    }

    /// Whether `account` holds `role` in IdentityRegistry.
    public func hasRole(_ role: Hash32, _ account: Address) throws -> Bool {
        try !load(SystemAddresses.identityRegistry, RoleLayout.grant(role, account)).isEmpty
    }

    /// Whether Governance has paused the contract.
    func isPaused(_ entry: ContractRegistry.Entry) throws -> Bool {
        try !load(SystemAddresses.governance, entry.pauseKey).isEmpty
    }
}
