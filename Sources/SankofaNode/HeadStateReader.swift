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
    private let lock = NSLockLike()

    init(store: any KeyValueReader, root: Hash32) throws {
        state = try WorldState(reader: store, root: root, snapshot: true)
    }

    func nonce(of address: Address) throws -> UInt64 { try lock.withLock { try state.nonce(address) } }
    func balance(of address: Address) throws -> UInt256 { try lock.withLock { try state.balance(address) } }
}

/// A minimal mutex over pthread (Foundation-free).
final class NSLockLike: @unchecked Sendable {
    private var mutex = pthread_mutex_t()

    init() { pthread_mutex_init(&mutex, nil) }
    deinit { pthread_mutex_destroy(&mutex) }

    func withLock<T>(_ body: () throws -> T) rethrows -> T {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return try body()
    }
}

#if canImport(Glibc)
import Glibc
#endif
