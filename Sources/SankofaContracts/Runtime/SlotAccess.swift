import SankofaPrimitives

/// Raw slot access for one contract: a running call (metered, journaled) or genesis set-up (direct). Stored
/// collections are written against this so the same layout code serves both.
public protocol SlotAccess {
    func load(_ key: Hash32) throws -> [UInt8]
    func store(_ key: Hash32, _ value: [UInt8]) throws
}

extension Call: SlotAccess {}

/// Direct access to one contract's storage, unmetered: for building genesis state.
public struct GenesisSlots: SlotAccess {
    public let storage: ContractStorage
    public let contract: Address

    public init(storage: ContractStorage, contract: Address) {
        self.storage = storage
        self.contract = contract
    }

    public func load(_ key: Hash32) throws -> [UInt8] { try storage.load(contract, key) }
    public func store(_ key: Hash32, _ value: [UInt8]) throws { try storage.store(contract, key, value) }
}
