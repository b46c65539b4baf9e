import SankofaPrimitives
import Synchronization

/// A value computed once and then shared: what `BlockHeader` keeps its hash in. A class, so that copies of a
/// header share one memo; a mutex, so that headers may be hashed from several threads.
final class HashMemo: Sendable {
    private let value = Mutex<Hash32?>(nil)

    init() {}

    /// The remembered hash, computing it with `make` the first time.
    func get(_ make: () -> Hash32) -> Hash32 {
        if let known = value.withLock({ $0 }) { return known }
        let made = make()
        value.withLock { $0 = made }
        return made
    }
}
