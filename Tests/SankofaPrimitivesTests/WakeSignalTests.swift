import SankofaPrimitives
import Testing

@Suite("Wake signal")
struct WakeSignalTests {
    /// Waits that must end by a fire use a 60 s timeout, so a fire that went missing shows as a wait of a minute
    /// (not a tight time bound that a loaded machine could break).
    @Test func isLevelTriggeredAndTimesOut() async {
        let trigger = WakeSignal()
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

    @Test func cancellingTheWaiterEndsTheWait() async {
        let signal = WakeSignal()
        let waiter = Task { await ContinuousClock().measure { await signal.wait(timeout: .seconds(60)) } }
        try? await Task.sleep(for: .milliseconds(50))
        waiter.cancel()
        #expect(await waiter.value < .seconds(30))
    }
}
