import Testing
@testable import SankofaPrimitives

@Suite("Broadcast")
struct BroadcastTests {
    @Test func everyListenerReceivesEveryValueInOrder() async {
        let broadcast = Broadcast<Int>(bufferLimit: 16)
        let first = broadcast.subscribe()
        let second = broadcast.subscribe()
        for value in 1...5 { broadcast.yield(value) }
        broadcast.finish()
        var a: [Int] = [], b: [Int] = []
        for await value in first { a.append(value) }
        for await value in second { b.append(value) }
        #expect(a == [1, 2, 3, 4, 5] && b == a)
        #expect(broadcast.listenerCount == 0)
    }

    @Test func aListenerThatDoesNotReadKeepsOnlyTheNewestValues() async {
        let broadcast = Broadcast<Int>(bufferLimit: 3)
        let slow = broadcast.subscribe()
        for value in 1...100 { broadcast.yield(value) }
        broadcast.finish()
        var seen: [Int] = []
        for await value in slow { seen.append(value) }
        #expect(seen == [98, 99, 100])
    }

    /// A dropped stream terminates its continuation, whose handler takes the broadcast's lock: this must not happen
    /// while `yield` holds it (the crash an earlier fan-out had).
    @Test func droppedListenersAreForgottenWithoutReentrancy() async {
        let broadcast = Broadcast<Int>(bufferLimit: 4)
        for _ in 0..<50 { _ = broadcast.subscribe() }  // each stream is dropped at once
        broadcast.yield(1)
        #expect(broadcast.listenerCount == 0)
        let kept = broadcast.subscribe()
        broadcast.yield(2)
        #expect(broadcast.listenerCount == 1)
        withExtendedLifetime(kept) {}
    }

    @Test func cancellingAConsumerRemovesIt() async {
        let broadcast = Broadcast<Int>(bufferLimit: 4)
        let stream = broadcast.subscribe()
        let consumer = Task { for await _ in stream {} }
        consumer.cancel()
        await consumer.value
        #expect(broadcast.listenerCount == 0)
    }

    @Test func subscribersAfterFinishEndAtOnce() async {
        let broadcast = Broadcast<Int>(bufferLimit: 4)
        broadcast.finish()
        var count = 0
        for await _ in broadcast.subscribe() { count += 1 }
        #expect(count == 0)
    }

    @Test func concurrentSubscribersAndProducersDoNotCrash() async {
        let broadcast = Broadcast<Int>(bufferLimit: 8)
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<4 {
                group.addTask { for value in 0..<2_000 { broadcast.yield(value) } }
                group.addTask {
                    for _ in 0..<200 {
                        let stream = broadcast.subscribe()
                        let reader = Task { for await _ in stream { break } }
                        reader.cancel()
                        await reader.value
                    }
                }
            }
        }
        broadcast.finish()
        #expect(broadcast.listenerCount == 0)
    }
}
