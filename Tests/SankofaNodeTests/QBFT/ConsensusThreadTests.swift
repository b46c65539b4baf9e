import SankofaConsensus
import Testing
@testable import SankofaNode

/// The consensus thread's queue, read without starting the thread: events come out in arrival order, and a flood
/// of peer messages loses its oldest messages, never timers or head changes.
@Suite("Consensus thread queue")
struct ConsensusThreadTests {
    static let timer = ConsensusTimer(name: "round", height: 1, round: 0)

    static func describe(_ event: ConsensusThread.Event?) -> String {
        switch event {
        case .message(let code, let data): "m\(code):\(data.first ?? 0)"
        case .timer(let timer): "t:\(timer.name)"
        case .newHead(let header): "h\(header.number)"
        case .call: "call"
        case nil: "none"
        }
    }

    @Test func eventsRunInArrivalOrder() {
        let queue = ConsensusThread()
        queue.post(.message(code: 0x12, data: [1]))
        queue.post(.timer(Self.timer))
        queue.post(.message(code: 0x13, data: [2]))
        queue.post(.message(code: 0x14, data: [3]))
        queue.post(.call({}))
        queue.post(.message(code: 0x12, data: [4]))
        let order = (0..<6).map { _ in Self.describe(queue.next()) }
        #expect(order == ["m18:1", "t:round", "m19:2", "m20:3", "call", "m18:4"])
    }

    @Test func aFloodDropsTheOldestMessagesOnly() {
        let queue = ConsensusThread()
        queue.post(.timer(Self.timer))
        for index in 0..<(ConsensusThread.messageLimit + 5) {
            queue.post(.message(code: 0x12, data: [UInt8(truncatingIfNeeded: index)]))
        }
        #expect(queue.droppedMessages == 5)
        #expect(Self.describe(queue.next()) == "t:round")
        #expect(Self.describe(queue.next()) == "m18:5", "messages 0-4 were the oldest")
        for _ in 1..<ConsensusThread.messageLimit { _ = queue.next() }
        queue.stop()
        #expect(queue.next() == nil)
    }
}
