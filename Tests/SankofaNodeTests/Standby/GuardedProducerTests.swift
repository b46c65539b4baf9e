import Foundation
import Logging
import SankofaConsensus
import SankofaPrimitives
import Testing
@testable import SankofaNode

/// A guard the test switches by hand, recording what it permitted.
final class FakeSigningGuard: SigningGuard {
    private let state = Locked((active: false, refuse: false, permitted: [SigningIntent](), asked: 0))
    private let listeners = Locked([AsyncStream<Bool>.Continuation]())

    var permitted: [SigningIntent] { state.withLock { $0.permitted } }
    /// Every `permit` call, granted or not.
    var asked: Int { state.withLock { $0.asked } }

    func set(active: Bool, refuse: Bool = false) {
        state.withLock { $0.active = active; $0.refuse = refuse }
        for listener in listeners.withLock({ $0 }) { listener.yield(active) }
    }

    var isActive: Bool { state.withLock { $0.active } }

    func activeChanges() -> AsyncStream<Bool> {
        let (stream, continuation) = AsyncStream.makeStream(of: Bool.self, bufferingPolicy: .bufferingNewest(1))
        listeners.withLock { $0.append(continuation) }
        continuation.yield(isActive)
        return stream
    }

    func permit(_ intent: SigningIntent) async throws(SigningRefusal) {
        let refused = state.withLock { state -> Bool in
            state.asked += 1
            guard state.active, !state.refuse else { return true }
            state.permitted.append(intent)
            return false
        }
        if refused { throw .recordFailed("refused by the test") }
    }
}

/// The block producer behind a signing guard, in process on the dev chain (which seals as soon as a transaction is
/// pending): a standby seals nothing, an active member seals and the guard saw the block before it was stored, and
/// a refused permit stores nothing.
@Suite("Block producer behind a signing guard")
struct GuardedProducerTests {
    @Test func sealsOnlyWhileActiveAndOnlyWhatTheGuardPermitted() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sankofa-guard-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let node = try NodeTests.node(at: path)
        defer { node.store.close() }
        let signingGuard = FakeSigningGuard()
        let store = node.store
        let producer = BlockProducer(blockchain: node.blockchain, pool: node.pool, key: NodeTests.signer, period: 0,
                                     logger: Logger(label: "test"), metrics: NodeMetrics(), sealOnTransaction: true,
                                     signingGuard: signingGuard,
                                     headState: { try HeadStateReader(store: store, root: $0.stateRoot) })
        let running = Task { try await producer.loop() }
        var failure: (any Error)?
        do { try await scenario(node, signingGuard) } catch { failure = error }
        running.cancel()
        _ = await running.result
        if let failure { throw failure }
    }

    func scenario(_ node: Node, _ signingGuard: FakeSigningGuard) async throws {

        // Standby: a pending transaction is not sealed.
        try await node.pool.add(NodeTests.transfer(0))
        try await Task.sleep(for: .milliseconds(600))
        #expect(node.blockchain.head.number == 0)

        // Active but every permit refused: still nothing stored.
        signingGuard.set(active: true, refuse: true)
        try await Task.sleep(for: .milliseconds(600))
        #expect(node.blockchain.head.number == 0)

        // Active and permitted: the block is sealed, and the guard saw exactly that block first.
        signingGuard.set(active: true)
        var head = node.blockchain.head
        for _ in 0..<100 where head.number == 0 {
            try await Task.sleep(for: .milliseconds(30))
            head = node.blockchain.head
        }
        #expect(head.number == 1)
        #expect(signingGuard.permitted.last == SigningIntent(height: 1, round: 0, blockHash: head.hash))

        // Back to standby: the next transaction waits.
        signingGuard.set(active: false)
        try await Task.sleep(for: .milliseconds(100))
        try await node.pool.add(NodeTests.transfer(1))
        try await Task.sleep(for: .milliseconds(600))
        #expect(node.blockchain.head.number == 1)
    }
}
