import Foundation
import NIOCore
import SankofaChain
import SankofaConsensus
import SankofaPrimitives

/// One OS thread that runs a consensus state machine's events in order (Besu's single BFT processor thread).
///
/// The state machine is synchronous and its ports may need the `Blockchain` actor; on this dedicated thread a
/// port can wait for an async call (`blocking`) without starving Swift's cooperative pool. Events come from
/// async code (peers, timers, head changes) through a bounded queue: when a flood fills it, the oldest peer
/// messages are dropped first, never head changes or timers.
final class ConsensusThread: @unchecked Sendable {
    enum Event: Sendable {
        case message(code: Int, data: [UInt8])
        case timer(ConsensusTimer)
        case newHead(BlockHeader)
        /// Runs `body` on the thread (RPC reads and writes of the state machine's votes).
        case call(@Sendable () -> Void)
    }

    /// Peer messages queued at most; beyond it the oldest message is dropped and counted.
    static let messageLimit = 10_000

    /// Peer messages and the other events in two rings, each stamped with its arrival number: dropping the oldest
    /// message and taking the next event are O(1) however full the queue is, and events still run in arrival order.
    private var messages = CircularBuffer<(arrival: UInt64, code: Int, data: [UInt8])>()
    private var others = CircularBuffer<(arrival: UInt64, event: Event)>()
    private var arrivals: UInt64 = 0
    private var stopped = false
    private let condition = NSCondition()
    private var thread: Thread?
    /// Peer messages dropped because the queue was full.
    private(set) var droppedMessages = 0

    /// Starts the thread; `handle` runs every event, one at a time, in arrival order.
    func start(name: String, handle: @escaping @Sendable (Event) -> Void) {
        let thread = Thread { [self] in
            while let event = next() { handle(event) }
        }
        thread.name = name
        thread.stackSize = 4 << 20
        self.thread = thread
        thread.start()
    }

    func post(_ event: Event) {
        condition.lock()
        defer { condition.unlock() }
        guard !stopped else { return }
        arrivals += 1
        if case .message(let code, let data) = event {
            if messages.count >= Self.messageLimit {
                messages.removeFirst()
                droppedMessages += 1
            }
            messages.append((arrivals, code, data))
        } else {
            others.append((arrivals, event))
        }
        condition.signal()
    }

    /// Ends the thread after the event it is running; queued events are dropped.
    func stop() {
        condition.lock()
        stopped = true
        messages.removeAll()
        others.removeAll()
        condition.broadcast()
        condition.unlock()
    }

    /// The next event in arrival order, waiting for one; nil once stopped.
    func next() -> Event? {
        condition.lock()
        defer { condition.unlock() }
        while messages.isEmpty, others.isEmpty, !stopped { condition.wait() }
        guard !stopped else { return nil }
        if let message = messages.first, others.first.map({ message.arrival < $0.arrival }) ?? true {
            messages.removeFirst()
            return .message(code: message.code, data: message.data)
        }
        return others.removeFirst().event
    }
}
