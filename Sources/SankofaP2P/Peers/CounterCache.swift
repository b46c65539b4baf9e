import Metrics
import SankofaPrimitives

/// swift-metrics counters made once per key and reused. Making a `Counter` asks the backend's registry each time
/// (a lock, a name check, a lookup): about 1 % of a loaded validator's CPU when the P2P and eth layers did it for
/// every message. Keys must come from closed sets (message types, protocol names), never from what peers send.
public final class CounterCache<Key: Hashable & Sendable>: Sendable {
    private let counters = Locked<[Key: Counter]>([:])

    public init() {}

    /// The counter for `key`, made by `make` the first time.
    public func counter(_ key: Key, make: () -> Counter) -> Counter {
        counters.withLock { made in
            if let counter = made[key] { return counter }
            let counter = make()
            made[key] = counter
            return counter
        }
    }
}
