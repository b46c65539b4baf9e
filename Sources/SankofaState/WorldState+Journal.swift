import SankofaPrimitives

/// One undoable change: the value a key had before it was written.
enum JournalEntry {
    case account(Address, previous: Account)
    case storage(Address, Hash32, previous: [UInt8])
}

/// A point in the journal to roll back to. Checkpoints nest: reverting to an outer one also undoes every change
/// made after inner ones.
public struct StateCheckpoint: Sendable, Equatable {
    let position: Int
    let epoch: Int
}

extension WorldState {
    /// Marks the current state so that a failing call can be undone with `revert(to:)`.
    public func checkpoint() -> StateCheckpoint {
        StateCheckpoint(position: journal.count, epoch: epoch)
    }

    /// Undoes every change made since `checkpoint`, newest first.
    public func revert(to checkpoint: StateCheckpoint) throws {
        guard checkpoint.epoch == epoch, checkpoint.position <= journal.count else { throw StateError.staleCheckpoint }
        while journal.count > checkpoint.position {
            switch journal.removeLast() {
            case .account(let address, let previous):
                accounts[address] = previous
            case .storage(let address, let key, let previous):
                storage[address, default: [:]][key] = previous
            }
        }
    }

    /// How many changes are journaled (for tests and metrics).
    public var journalLength: Int { journal.count }
}
