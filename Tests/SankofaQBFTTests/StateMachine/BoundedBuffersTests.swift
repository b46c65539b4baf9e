import SankofaPrimitives
@testable import SankofaQBFT
import Testing

/// The buffers a peer can fill stay within their limits.
@Suite("QBFT bounded buffers")
struct BoundedBuffersTests {
    func prepare(_ label: String, height: UInt64, round: UInt32 = 0) -> FutureMessageBuffer.Entry {
        let message = Prepare(PreparePayload(roundIdentifier: RoundIdentifier(height: height, round: round), digest: .zero),
                              signedWith: TestValidators.key(label))
        return FutureMessageBuffer.Entry(message: .prepare(message), code: 0x13, data: message.encoded)
    }

    @Test func futureBufferKeepsDistancePerSenderAndTotalLimits() {
        var buffer = FutureMessageBuffer(maxDistance: 5, limit: 6, perSender: 3)
        #expect(buffer.add(prepare("A", height: 10), currentHeight: 10).held == false, "current height is not future")
        #expect(buffer.add(prepare("A", height: 16), currentHeight: 10).held == false, "beyond the distance")
        for round in 0..<3 { #expect(buffer.add(prepare("A", height: 11, round: UInt32(round)), currentHeight: 10).held) }
        #expect(buffer.add(prepare("A", height: 12), currentHeight: 10).held == false, "A's share is used up")
        for round in 0..<3 { _ = buffer.add(prepare("B", height: 15, round: UInt32(round)), currentHeight: 10) }
        #expect(buffer.count == 6)
        // One more (from C, at a low height) evicts the highest height first, as Besu does.
        #expect(buffer.add(prepare("C", height: 12), currentHeight: 10).held)
        #expect(buffer.count == 4)
        #expect(buffer.take(height: 12).count == 1)
        #expect(buffer.count == 0, "taking height 12 discards height 11 too")
        #expect(buffer.add(prepare("A", height: 13), currentHeight: 12).held, "A's share was released")
    }

    @Test func futureBufferReportsWhetherTheNewMessageSurvived() {
        var buffer = FutureMessageBuffer(maxDistance: 5, limit: 2, perSender: 5)
        #expect(buffer.add(prepare("A", height: 11), currentHeight: 10).held)
        #expect(buffer.add(prepare("B", height: 11), currentHeight: 10).held)
        let third = buffer.add(prepare("C", height: 11), currentHeight: 10)
        #expect(third.held && third.dropped == 1, "one height only: its oldest goes, the newest stays")
        let higher = buffer.add(prepare("D", height: 13), currentHeight: 10)
        #expect(!higher.held && higher.dropped == 1, "over the limit the highest height goes, here the new one's")
        #expect(buffer.take(height: 11).map(\.message.author) == ["B", "C"].map(TestValidators.address))
    }

    @Test func roundChangeManagerKeepsFewRoundsPerAuthor() {
        var manager = RoundChangeManager(quorum: 3)
        for round in 1...50 {
            let payload = RoundChangePayload(roundIdentifier: RoundIdentifier(height: 1, round: UInt32(round)), prepared: nil)
            #expect(manager.append(RoundChange(signedPayload: SignedPayload(payload, signedWith: TestValidators.key("D")))) == nil)
        }
        #expect(manager.count == RoundChangeManager.roundsPerAuthor)
        #expect(manager.roundAhead(of: 10, threshold: 1) == 50)
        #expect(manager.roundAhead(of: 10, threshold: 2) == nil)
        // A quorum for one round yields its certificate once.
        var certificate: [RoundChange]?
        for label in ["A", "B", "C", "C"] {
            let payload = RoundChangePayload(roundIdentifier: RoundIdentifier(height: 1, round: 60), prepared: nil)
            certificate = manager.append(RoundChange(signedPayload: SignedPayload(payload, signedWith: TestValidators.key(label)))) ?? certificate
        }
        #expect(certificate?.map(\.author) == ["A", "B", "C"].map(TestValidators.address))
    }

    @Test func duplicateTrackerForgetsTheOldest() {
        let tracker = DuplicateMessageTracker(limit: 3)
        for byte in 0..<5 as Range<UInt8> { #expect(tracker.insert(code: 0x13, data: [byte])) }
        #expect(tracker.count == 3)
        #expect(!tracker.insert(code: 0x13, data: [4]))
        #expect(tracker.insert(code: 0x13, data: [0]), "forgotten, so seen as new")
        #expect(tracker.insert(code: 0x14, data: [4]), "the code is part of the identity")
    }
}
