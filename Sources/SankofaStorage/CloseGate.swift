import Glibc

/// Lets `RocksDBStore.close()` free the C handles without racing operations that are using them.
///
/// Every operation brackets its use of the handles with `enter()`/`leave()`. `close()` refuses new entries and
/// then waits for the in-flight ones to leave before the handles are freed. If `close()` is called by a thread
/// that is itself inside an operation (say from an `iterate` callback), waiting would deadlock, so the release
/// is deferred to the moment the last operation leaves.
///
/// `@unchecked Sendable` is safe: the mutable state (`active`, `closing`, `deferred`, `liveSnapshots`) is only
/// touched with `mutex` held, and the pthread objects live at fixed heap addresses for the gate's lifetime.
final class CloseGate: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let drained: UnsafeMutablePointer<pthread_cond_t>
    /// Threads currently inside an operation, one entry per nesting level (short: usually 0–2 entries).
    private var active: [pthread_t] = []
    private var closing = false
    private var deferred = false
    /// Snapshots handed out and not yet released (pointer bit patterns), so the release can free them first.
    private var liveSnapshots: Set<Int> = []

    init() {
        mutex = .allocate(capacity: 1)
        drained = .allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(drained, nil)
    }

    deinit {
        pthread_cond_destroy(drained)
        pthread_mutex_destroy(mutex)
        drained.deallocate()
        mutex.deallocate()
    }

    /// Registers an operation; false once closing has begun (the caller must then not touch the handles).
    func enter() -> Bool {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        guard !closing else { return false }
        active.append(pthread_self())
        return true
    }

    /// Ends an operation begun with a successful `enter()`. True when the caller must now release the
    /// handles (a close was deferred and this was the last operation).
    func leave() -> Bool {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        let me = pthread_self()
        if let index = active.lastIndex(where: { pthread_equal($0, me) != 0 }) {
            active.remove(at: index)
        }
        guard closing, active.isEmpty else { return false }
        pthread_cond_broadcast(drained)
        if deferred {
            deferred = false
            return true
        }
        return false
    }

    /// Begins closing. True exactly once, for the caller that must release the handles now; false for
    /// repeated calls and when the release is deferred to the last `leave()`.
    func close() -> Bool {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        guard !closing else { return false }
        closing = true
        let me = pthread_self()
        if active.contains(where: { pthread_equal($0, me) != 0 }) {
            deferred = true
            return false
        }
        while !active.isEmpty {
            pthread_cond_wait(drained, mutex)
        }
        return true
    }

    /// Records a snapshot the store handed out.
    func registerSnapshot(_ bits: Int) {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        liveSnapshots.insert(bits)
    }

    /// Forgets a snapshot; true if it was still registered (so the caller must release it).
    func unregisterSnapshot(_ bits: Int) -> Bool {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return liveSnapshots.remove(bits) != nil
    }

    /// Forgets every snapshot, returning them for release.
    func takeSnapshots() -> Set<Int> {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        defer { liveSnapshots.removeAll() }
        return liveSnapshots
    }

    /// Whether `close()` has been called.
    var isClosing: Bool {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return closing
    }
}
