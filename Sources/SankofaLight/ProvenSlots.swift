import SankofaContracts
import SankofaPrimitives

/// Contract storage over slots proven against one block's state root, for running system-contract calls on a
/// light node in the same Swift code a full node runs. A slot not proven yet reads as empty and is recorded in
/// `missing`; the caller proves those and runs the call again, until a run reads nothing unproven — only that
/// run's outcome is used. Writes (a call may change state; nothing is kept) stay in an overlay with a journal.
final class ProvenSlots: ContractStorage {
    struct Reference: Hashable, Sendable {
        var contract: Address
        var key: Hash32
    }

    private let proven: [Reference: [UInt8]]
    private var written: [Reference: [UInt8]] = [:]
    private var journal: [(Reference, [UInt8]?)] = []
    private(set) var missing: Set<Reference> = []

    init(_ proven: [Reference: [UInt8]]) { self.proven = proven }

    func load(_ contract: Address, _ key: Hash32) throws -> [UInt8] {
        let reference = Reference(contract: contract, key: key)
        if let value = written[reference] { return value }
        if let value = proven[reference] { return value }
        missing.insert(reference)
        return []
    }

    func store(_ contract: Address, _ key: Hash32, _ value: [UInt8]) throws {
        let reference = Reference(contract: contract, key: key)
        journal.append((reference, written[reference]))
        written[reference] = value
    }

    func checkpoint() -> Int { journal.count }

    func revert(to checkpoint: Int) throws {
        while journal.count > checkpoint, let (reference, previous) = journal.popLast() { written[reference] = previous }
    }
}
