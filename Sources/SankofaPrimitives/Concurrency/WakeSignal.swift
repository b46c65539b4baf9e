/// A level-triggered wake-up for one waiter: any number of `fire()`s before the next wait count as one. Loops that
/// act on events but must also look again after a while (the block producer, the chain sync, gossip batching) wait
/// on it instead of polling.
public final class WakeSignal: Sendable {
    private struct State {
        var fired = false
        var generation: UInt64 = 0
        var waiter: (generation: UInt64, continuation: CheckedContinuation<Void, Never>)?
        var expired: UInt64?
    }

    private let state = Locked(State())

    public init() {}

    public func fire() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard let waiter = state.waiter else {
                state.fired = true
                return nil
            }
            state.waiter = nil
            return waiter.continuation
        }
        waiter?.resume()
    }

    /// Returns at the next `fire()` (at once if one came since the last wait), after `timeout`, or when the task is
    /// cancelled.
    public func wait(timeout: Duration) async {
        let generation = state.withLock { state -> UInt64? in
            if state.fired {
                state.fired = false
                return nil
            }
            state.generation += 1
            return state.generation
        }
        guard let generation else { return }
        let timer = Task { [self] in
            try? await Task.sleep(for: timeout)
            expire(generation)
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let now = state.withLock { state -> Bool in
                    if state.fired || state.expired == generation {
                        state.fired = false
                        return true
                    }
                    state.waiter = (generation, continuation)
                    return false
                }
                if now { continuation.resume() }
            }
        } onCancel: {
            expire(generation)
        }
        timer.cancel()
    }

    private func expire(_ generation: UInt64) {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard let waiter = state.waiter, waiter.generation == generation else {
                state.expired = generation
                return nil
            }
            state.waiter = nil
            return waiter.continuation
        }
        waiter?.resume()
    }
}
