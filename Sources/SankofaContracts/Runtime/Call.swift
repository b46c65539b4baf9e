import SankofaChain
import SankofaPrimitives

/// What a handler sees: the caller, the decoded arguments, and the current contract's storage, events and
/// cross-contract calls. Arguments were decoded against the function's declared types, so the typed accessors
/// only fail if a handler asks for the wrong type (a programming error reported as a revert, never a trap).
public struct Call {
    let host: ContractHost
    /// The contract being executed.
    public let contract: Address
    public let contractName: String
    public let function: ContractFunction
    /// `msg.sender`: the transaction's signer, or the calling contract for cross-contract calls.
    public let sender: Address
    public let arguments: [ABIValue]

    /// The block being executed (`block.number`, `block.timestamp`).
    public var block: BlockContext { host.block }
    /// The transaction's signer (`tx.origin`).
    public var origin: Address { host.origin }

    // MARK: Failing

    /// A revert with a reason prefixed by the function's name: `throw call.revert("already registered")`.
    public func revert(_ reason: String) -> ContractError {
        .revert("\(contractName).\(function.name): \(reason)")
    }

    // MARK: Arguments

    func argument(_ index: Int) throws -> ABIValue {
        guard arguments.indices.contains(index) else { throw revert("missing argument \(index)") }
        return arguments[index]
    }

    public func address(_ index: Int) throws -> Address {
        guard case .address(let value) = try argument(index) else { throw revert("argument \(index) is not an address") }
        return value
    }

    public func uint(_ index: Int) throws -> UInt256 {
        guard case .uint(let value) = try argument(index) else { throw revert("argument \(index) is not an unsigned integer") }
        return value
    }

    /// A uint argument of at most 64 bits (uint8…uint64), as Swift's UInt64.
    public func uint64(_ index: Int) throws -> UInt64 {
        guard let value = try uint(index).asUInt64 else { throw revert("argument \(index) does not fit 64 bits") }
        return value
    }

    /// A `uint8` argument that selects one case of `E` (a tier, status, protocol or action); any other value reverts
    /// with the valid ones listed, so a caller can correct the call from the message alone.
    public func choice<E: RawRepresentable & CaseIterable>(_ index: Int, _ name: String,
                                                             as type: E.Type = E.self) throws -> E where E.RawValue == UInt8 {
        let raw = try uint(index)
        guard let small = raw.asUInt64, let byte = UInt8(exactly: small), let value = E(rawValue: byte) else {
            let options = E.allCases.map { "\($0.rawValue) (\($0))" }
            let valid = options.dropLast().joined(separator: ", ") + (options.count > 1 ? " or " : "") + (options.last ?? "")
            throw revert("\(name) \(raw) is not valid: use \(valid)")
        }
        return value
    }

    public func bytes32(_ index: Int) throws -> Hash32 {
        guard case .fixedBytes(let bytes) = try argument(index), let value = Hash32(bytes: bytes) else {
            throw revert("argument \(index) is not bytes32")
        }
        return value
    }

    public func bytes(_ index: Int) throws -> [UInt8] {
        guard case .bytes(let value) = try argument(index) else { throw revert("argument \(index) is not bytes") }
        return value
    }

    public func string(_ index: Int) throws -> String {
        guard case .string(let value) = try argument(index) else { throw revert("argument \(index) is not a string") }
        return value
    }

    public func bool(_ index: Int) throws -> Bool {
        guard case .bool(let value) = try argument(index) else { throw revert("argument \(index) is not a bool") }
        return value
    }

    // MARK: Storage of the current contract

    /// The raw bytes under `key` (empty if unset).
    public func load(_ key: Hash32) throws -> [UInt8] { try host.load(contract, key) }

    /// Stores raw bytes (empty deletes). View functions cannot store.
    public func store(_ key: Hash32, _ value: [UInt8]) throws {
        guard function.mutability != .view, !host.isStatic else { throw revert("cannot change state in a view call") }
        try host.store(contract, key, value)
    }

    public func loadUInt(_ key: Hash32) throws -> UInt256 { UInt256(bigEndian: try load(key)) ?? .zero }
    public func storeUInt(_ key: Hash32, _ value: UInt256) throws { try store(key, value.minimalBigEndianBytes) }

    public func loadBool(_ key: Hash32) throws -> Bool { try !load(key).isEmpty }
    public func storeBool(_ key: Hash32, _ value: Bool) throws { try store(key, value ? [1] : []) }

    public func loadAddress(_ key: Hash32) throws -> Address? { Address(bytes: try load(key)) }
    public func storeAddress(_ key: Hash32, _ value: Address?) throws { try store(key, value?.bytes ?? []) }

    public func loadHash(_ key: Hash32) throws -> Hash32 { Hash32(bytes: try load(key)) ?? .zero }
    public func storeHash(_ key: Hash32, _ value: Hash32) throws { try store(key, value.isZero ? [] : value.bytes) }

    public func loadString(_ key: Hash32) throws -> String { String(decoding: try load(key), as: UTF8.self) }
    public func storeString(_ key: Hash32, _ value: String) throws { try store(key, Array(value.utf8)) }

    /// A record stored as RLP; nil when the slot is empty.
    public func loadRecord<T: RLPDecodable>(_ type: T.Type, _ key: Hash32) throws -> T? {
        let bytes = try load(key)
        if bytes.isEmpty { return nil }
        do { return try T(rlp: bytes) } catch { throw revert("stored record is corrupt: \(error)") }
    }

    public func storeRecord<T: RLPEncodable>(_ key: Hash32, _ record: T) throws { try store(key, record.rlpEncoded) }

    // MARK: Events, roles, other contracts

    /// Emits one of this contract's events.
    public func emit(_ event: ContractEvent, _ values: ABIValue...) throws {
        try host.emit(try event.log(from: contract, values))
    }

    /// Whether `account` holds `role` in IdentityRegistry.
    public func hasRole(_ role: Hash32, _ account: Address) throws -> Bool { try host.hasRole(role, account) }

    /// Reverts unless the caller holds `role` (or one of `alternatives`).
    public func requireRole(_ role: Hash32, or alternatives: Hash32...) throws {
        for candidate in [role] + alternatives where try hasRole(candidate, sender) { return }
        let names = ([role] + alternatives).map(Roles.name(of:)).joined(separator: " or ")
        throw revert("caller \(sender.checksummed) lacks role \(names)")
    }

    /// Calls another system contract's function by name, as this contract.
    public func call(_ address: Address, _ functionName: String, _ arguments: ABIValue...) throws -> [ABIValue] {
        try host.invoke(address, functionName, arguments, sender: contract)
    }
}
