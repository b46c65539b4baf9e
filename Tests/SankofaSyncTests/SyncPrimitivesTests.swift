import Testing
@testable import SankofaSync

@Suite("Sync building blocks")
struct SyncPrimitivesTests {
    @Test func requestRateAllowsTheBurstThenPacesAtTheRate() {
        let start = ContinuousClock.now
        var rate = RequestRate(perSecond: 10, burst: 5, now: start)
        for _ in 0..<5 { #expect(rate.take(now: start) == .zero) }
        // The sixth request at the same instant waits one token's time: 100 ms.
        #expect(rate.take(now: start) == .milliseconds(100))
        // A second later the bucket has refilled up to the burst, not beyond.
        let later = start + .seconds(10)
        for _ in 0..<4 { #expect(rate.take(now: later) == .zero) }
        #expect(rate.take(now: later) == .zero)
        #expect(rate.take(now: later) > .zero)
    }

    /// Waits that must end by a fire use a 60 s timeout, so a fire that went missing shows as a wait of a minute
    /// (not a tight time bound that a loaded machine could break).
    @Test func syncTriggerIsLevelTriggeredAndTimesOut() async {
        let trigger = SyncTrigger()
        trigger.fire()
        trigger.fire()
        let clock = ContinuousClock()
        // Two fires before a wait count as one: the first wait returns at once, the second runs to its timeout.
        let first = await clock.measure { await trigger.wait(timeout: .seconds(60)) }
        #expect(first < .seconds(30))
        let second = await clock.measure { await trigger.wait(timeout: .milliseconds(100)) }
        #expect(second >= .milliseconds(100))
        // A fire during a wait ends it.
        async let waited: Duration = clock.measure { await trigger.wait(timeout: .seconds(60)) }
        try? await Task.sleep(for: .milliseconds(50))
        trigger.fire()
        #expect(await waited < .seconds(30))
    }
}
