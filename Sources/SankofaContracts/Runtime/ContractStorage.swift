import SankofaPrimitives

/// The storage that contracts see: 32-byte keys to variable-length values, per contract address, with
/// checkpoints so a failing call rolls back. The execution layer backs it with the world state, so every byte of
/// contract data lands in the contract's storage trie (provable with `eth_getProof`); tests back it with a
/// dictionary.
public protocol ContractStorage: AnyObject {
    /// The value under `key`; empty if unset.
    func load(_ contract: Address, _ key: Hash32) throws -> [UInt8]
    /// Sets a value; an empty value deletes the slot.
    func store(_ contract: Address, _ key: Hash32, _ value: [UInt8]) throws
    /// Marks the current state; returns a token for `revert(to:)`.
    func checkpoint() -> Int
    /// Undoes every store since the checkpoint.
    func revert(to checkpoint: Int) throws
}

/// A dictionary-backed `ContractStorage` for unit tests of contracts in isolation.
public final class InMemoryContractStorage: ContractStorage {
    public private(set) var slots: [Address: [Hash32: [UInt8]]] = [:]
    private var journal: [(Address, Hash32, [UInt8])] = []

    public init() {}

    public func load(_ contract: Address, _ key: Hash32) throws -> [UInt8] { slots[contract]?[key] ?? [] }

    public func store(_ contract: Address, _ key: Hash32, _ value: [UInt8]) throws {
        journal.append((contract, key, slots[contract]?[key] ?? []))
        slots[contract, default: [:]][key] = value.isEmpty ? nil : value
    }

    public func checkpoint() -> Int { journal.count }

    public func revert(to checkpoint: Int) throws {
        while journal.count > checkpoint, let (contract, key, previous) = journal.popLast() {
            slots[contract, default: [:]][key] = previous.isEmpty ? nil : previous
        }
    }
}
