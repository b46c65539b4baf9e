import Glibc

/// A value behind a pthread mutex.
///
/// Used instead of `Synchronization.Mutex` because ThreadSanitizer on Linux (Swift 6.3.1) does not see
/// `Mutex`'s locking — every guarded access is reported as a race — while it understands pthread mutexes,
/// so code built on this store can be checked with `--sanitize=thread`.
///
/// `@unchecked Sendable` is safe: `value` is only read or written inside `withLock`, with the mutex held,
/// and the mutex lives at a fixed heap address for the object's lifetime.
final class Locked<Value: Sendable>: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private var value: Value

    init(_ value: Value) {
        self.value = value
        mutex = .allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    /// Runs `body` with exclusive access to the value. `body` must not call back into this lock.
    @inline(__always)
    func withLock<R>(_ body: (inout Value) throws -> R) rethrows -> R {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value)
    }
}
