import Testing
@testable import SankofaSync

@Suite("Request rate")
struct RequestRateTests {
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
}
