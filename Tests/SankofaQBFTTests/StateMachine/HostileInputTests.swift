import SankofaChain
import SankofaPrimitives
@testable import SankofaQBFT
import SankofaTestSupport
import Testing

/// Property test: whatever bytes a peer sends — random, or real messages with bytes flipped, cut or extended —
/// the controller neither traps nor loses count, and consensus carries on.
@Suite("QBFT hostile input")
struct HostileInputTests {
    @Test(arguments: [1, 2, 3] as [UInt64])
    func mutatedAndRandomMessagesAreAbsorbed(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        let network = FakeNetwork(validators: ["A", "B", "C", "D"], config: QBFTScenarioTests.config)
        network.start()
        // Record real traffic for a height, to mutate it.
        var samples: [(Int, [UInt8])] = []
        network.rewrite = { _, _, code, data in
            if samples.count < 200 { samples.append((code, data)) }
            return data
        }
        #expect(network.run(untilHeight: 1, within: 10))
        network.rewrite = nil
        try #require(!samples.isEmpty)
        for _ in 0..<600 {
            var (code, data) = samples[Int(random.next() % UInt64(samples.count))]
            switch random.next() % 5 {
            case 0: data = random.bytes(Int(random.next() % 300))
            case 1: if !data.isEmpty { data[Int(random.next() % UInt64(data.count))] ^= UInt8(truncatingIfNeeded: random.next() | 1) }
            case 2: data = Array(data.prefix(Int(random.next() % UInt64(data.count + 1))))
            case 3: data += random.bytes(Int(random.next() % 8) + 1)
            default: code = Int(random.next() % 0x20)
            }
            network.inject(code: code, data: data, to: "C")
        }
        network.drain()
        let counters = try #require(network["C"].controller?.counters)
        let bucketed = counters.duplicates + counters.malformed + counters.stale + counters.futureBuffered
            + counters.futureDropped + counters.fromNonValidators + counters.invalid + counters.accepted
        #expect(bucketed == counters.received, "every message lands in one bucket")
        #expect(counters.malformed > 0)
        #expect(network.run(untilHeight: 4, within: 60))
        #expect(network.conflictingHeights().isEmpty)
    }
}
