/// A fan-out of values to any number of `AsyncStream` listeners, each with its own bounded buffer
/// (`bufferingNewest`), so a listener that stops reading loses its oldest values instead of holding memory or
/// slowing the producer. Listeners leave by ending their iteration (or dropping the stream); `finish()` ends all.
///
/// Re-entrancy: `AsyncStream` may run a continuation's `onTermination` synchronously inside `yield` or `finish`
/// (when the stream has already been dropped). That handler takes this type's lock to forget the listener, so
/// continuations are only ever yielded to and finished *outside* the lock; taking a non-recursive mutex twice on
/// one thread is what crashed an earlier version of this type.
public final class Broadcast<Element: Sendable>: Sendable {
    private struct Listeners {
        var next: UInt64 = 0
        var active: [UInt64: AsyncStream<Element>.Continuation] = [:] { didSet { all = Array(active.values) } }
        /// `active`'s continuations, rebuilt when a listener comes or goes rather than on every value.
        private(set) var all: [AsyncStream<Element>.Continuation] = []
        var finished = false
    }

    private let listeners = Locked(Listeners())
    private let bufferLimit: Int

    /// - Parameter bufferLimit: values kept for a listener that has not read them yet; older ones are dropped.
    public init(bufferLimit: Int) {
        precondition(bufferLimit > 0, "a broadcast listener needs room for at least one value")
        self.bufferLimit = bufferLimit
    }

    /// A new listener that receives every value yielded from now on; after `finish()` it ends at once. A listener
    /// that must not miss bursts (gossip) may ask for a larger buffer than the default.
    public func subscribe(bufferLimit: Int? = nil) -> AsyncStream<Element> {
        let limit = max(1, bufferLimit ?? self.bufferLimit)
        let (stream, continuation) = AsyncStream<Element>.makeStream(bufferingPolicy: .bufferingNewest(limit))
        let id: UInt64? = listeners.withLock { state in
            guard !state.finished else { return nil }
            state.next += 1
            state.active[state.next] = continuation
            return state.next
        }
        guard let id else {
            continuation.finish()
            return stream
        }
        continuation.onTermination = { [weak self] _ in self?.remove(id) }
        return stream
    }

    /// Sends `value` to every listener (O(listeners); never blocks).
    public func yield(_ value: Element) {
        for continuation in listeners.withLock({ $0.all }) { continuation.yield(value) }
    }

    /// Ends every listener's stream; later subscribers end at once.
    public func finish() {
        let ended = listeners.withLock { state -> [AsyncStream<Element>.Continuation] in
            state.finished = true
            defer { state.active.removeAll() }
            return state.all
        }
        for continuation in ended { continuation.finish() }
    }

    /// How many listeners are attached (for tests and metrics).
    public var listenerCount: Int { listeners.withLock { $0.active.count } }

    private func remove(_ id: UInt64) { listeners.withLock { _ = $0.active.removeValue(forKey: id) } }
}
