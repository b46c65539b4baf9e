import Testing
@testable import SankofaSync

@Suite("Sync building blocks")
struct SyncPrimitivesTests {
    @Test func recentSetForgetsTheOldestFirst() {
        var set = RecentSet<Int>(capacity: 3)
        for value in [1, 2, 3] { set.insert(value) }
        #expect(set.contains(1) && set.contains(3) && set.count == 3)
        set.insert(2)   // already there: nothing is evicted
        #expect(set.contains(1))
        set.insert(4)
        #expect(!set.contains(1) && set.contains(2) && set.contains(4) && set.count == 3)
        for value in 5...100 { set.insert(value) }
        #expect(set.count == 3 && set.contains(98) && set.contains(99) && set.contains(100))
    }

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

    @Test func syncTriggerIsLevelTriggeredAndTimesOut() async {
        let trigger = SyncTrigger()
        trigger.fire()
        trigger.fire()
        let clock = ContinuousClock()
        // Two fires before a wait count as one: the first wait returns at once, the second times out.
        let first = await clock.measure { await trigger.wait(timeout: .seconds(5)) }
        #expect(first < .seconds(1))
        let second = await clock.measure { await trigger.wait(timeout: .milliseconds(100)) }
        #expect(second >= .milliseconds(100) && second < .seconds(3))
        // A fire during a wait ends it.
        async let waited: Duration = clock.measure { await trigger.wait(timeout: .seconds(10)) }
        try? await Task.sleep(for: .milliseconds(50))
        trigger.fire()
        #expect(await waited < .seconds(5))
    }
}
