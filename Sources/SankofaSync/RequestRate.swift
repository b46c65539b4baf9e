/// A token bucket over the requests one peer may make of us (eth/68 sets no rate; Besu and Nethermind bound it):
/// `perSecond` tokens refill continuously up to `burst`. A request waits for a token, so a peer asking faster
/// than the rate is served at the rate, and its queue (bounded elsewhere) fills until it is dropped.
struct RequestRate: Sendable {
    let perSecond: Double
    let burst: Double
    private var tokens: Double
    private var updated: ContinuousClock.Instant

    init(perSecond: Double, burst: Double, now: ContinuousClock.Instant = .now) {
        self.perSecond = perSecond
        self.burst = burst
        tokens = burst
        updated = now
    }

    /// Takes a token; returns how long to wait first (zero when one was available).
    mutating func take(now: ContinuousClock.Instant = .now) -> Duration {
        let elapsed = now - updated
        updated = now
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        tokens = min(burst, tokens + seconds * perSecond)
        tokens -= 1
        guard tokens < 0 else { return .zero }
        return .milliseconds(Int64((-tokens / perSecond * 1000).rounded(.up)))
    }
}
