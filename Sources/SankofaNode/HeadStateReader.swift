import SankofaPrimitives
import SankofaState
import SankofaStorage
import SankofaTxPool

/// The pool's view of the head state: nonces and balances read through the flat snapshot.
///
/// `@unchecked Sendable` is safe: a `WorldState` is not thread-safe, so every read takes the lock; the pool reads
/// it from its own actor anyway.
final class HeadStateReader: PoolStateReader, @unchecked Sendable {
    private let state: WorldState
    private let lock = PThreadMutex()

    init(store: any KeyValueReader, root: Hash32) throws {
        state = try WorldState(reader: store, root: root, snapshot: true)
    }

    func nonce(of address: Address) throws -> UInt64 { try lock.withLock { try state.nonce(address) } }
    func balance(of address: Address) throws -> UInt256 { try lock.withLock { try state.balance(address) } }
}
