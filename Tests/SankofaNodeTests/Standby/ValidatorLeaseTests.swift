import Logging
import SankofaConsensus
import SankofaPrimitives
import Testing
@testable import SankofaNode

/// The hot-standby lease as a state machine over a fake etcd and a manual clock: members A and B share one
/// validator key and the lease key; only the holder signs, a lost lease stops signing at once, and no holder ever
/// signs a different block at a height/round the key already signed.
@Suite("Validator lease (hot standby)")
struct ValidatorLeaseTests {
    static let key = "/sankofa/test/validator"
    let clock = ManualClock()
    let etcd: FakeEtcd

    init() { etcd = FakeEtcd(clock: clock) }

    func member(_ name: String, ttl: Int64 = 6, log: FakeSignatureLog = FakeSignatureLog()) throws -> ValidatorLease {
        let clock = self.clock
        return try ValidatorLease(backend: etcd, key: Self.key, ttl: ttl, identity: name, log: log,
                                  logger: Logger(label: "test.\(name)"), now: { clock.now })
    }

    static func intent(_ height: UInt64, _ round: UInt32 = 0, _ tag: UInt8) -> SigningIntent {
        SigningIntent(height: height, round: round, blockHash: Hash32(bytes: [UInt8](repeating: tag, count: 32))!)
    }

    @Test func theFirstMemberClaimsTheKeyAndTheSecondStaysStandby() async throws {
        let a = try member("A"), b = try member("B")
        #expect(await a.step() == 2)   // TTL/3: renew soon
        #expect(await a.isActive)
        #expect(await b.step() == ValidatorLease.standbyPoll)
        #expect(await !b.isActive)
        #expect(await b.current.holder == "A")
        #expect(await b.current.role == .standby)
        #expect(etcd.value(Self.key)?.value == "A")
        // Only the holder's permit passes.
        try await a.permit(Self.intent(1, 0, 0xA1))
        await #expect(throws: SigningRefusal.self) { try await b.permit(Self.intent(1, 0, 0xB1)) }
    }

    @Test func renewalsKeepTheLeaseAndAMissedOneStopsSigningBeforeExpiry() async throws {
        let a = try member("A")
        _ = await a.step()
        for _ in 0..<5 {
            clock.advance(2)
            _ = await a.step()
            #expect(await a.isActive)
        }
        // No renewal for TTL - margin: signing stops while etcd still holds the lease (2 s left of 6).
        clock.advance(4.01)
        #expect(await !a.isActive)
        await #expect(throws: SigningRefusal.notActive("less than 2 s left on the validator lease \(Self.key); it was not renewed in time")) {
            try await a.permit(Self.intent(2, 0, 1))
        }
        #expect(etcd.value(Self.key) != nil)
        // The next step notices, says so, and gives the key up at once: a standby need not wait out the TTL.
        _ = await a.step()
        #expect(await a.current.role == .standby)
        #expect(etcd.value(Self.key) == nil)
        let b = try member("B")
        _ = await b.step()
        #expect(await b.isActive)
        await #expect(throws: SigningRefusal.notActive("this node does not hold the validator lease \(Self.key)")) {
            try await a.permit(Self.intent(2, 0, 1))
        }
    }

    @Test func losingEtcdStopsSigningAtOnce() async throws {
        let a = try member("A")
        _ = await a.step()
        let roles = await a.activeChanges()
        var iterator = roles.makeAsyncIterator()
        #expect(await iterator.next() == true)
        etcd.reachable = false
        clock.advance(2)
        #expect(await a.step() == ValidatorLease.standbyPoll)
        #expect(await !a.isActive)
        #expect(await iterator.next() == false)
        await #expect(throws: SigningRefusal.self) { try await a.permit(Self.intent(1, 0, 1)) }
        // Nobody else can claim while etcd is down either.
        let b = try member("B")
        _ = await b.step()
        #expect(await !b.isActive)
        #expect(await b.current.reason.contains("etcd is unreachable"))
    }

    @Test func aFailedRecordStopsSigningAndNothingIsSaved() async throws {
        let log = FakeSignatureLog()
        let a = try member("A", log: log)
        _ = await a.step()
        etcd.reachable = false
        await #expect(throws: SigningRefusal.self) { try await a.permit(Self.intent(1, 0, 1)) }
        #expect(log.last == nil)
        #expect(await !a.isActive)
    }

    @Test func theTransactionFencesAHolderWhoseKeyIsGone() async throws {
        let a = try member("A")
        _ = await a.step()
        // The key vanished (lease revoked by an operator, or expired by etcd's clock) while A's own clock says it has
        // time left: etcd refuses the record, so A never releases the signature.
        etcd.delete(Self.key)
        await #expect(throws: SigningRefusal.notActive("the validator lease \(Self.key) was lost")) {
            try await a.permit(Self.intent(1, 0, 1))
        }
        #expect(await !a.isActive)
    }

    @Test func aNewHolderNeverSignsAnotherBlockAtAHeightTheKeySigned() async throws {
        let a = try member("A"), b = try member("B")
        _ = await a.step()
        try await a.permit(Self.intent(5, 0, 0xA5))
        _ = await b.step()
        // A dies; its lease runs out and B claims the key.
        clock.advance(6.5)
        #expect(await b.step() == 2)
        #expect(await b.isActive)
        #expect(await b.lastSigned == Self.intent(5, 0, 0xA5))
        await #expect(throws: SigningRefusal.alreadySigned(previous: Self.intent(5, 0, 0xA5), requested: Self.intent(5, 0, 0xB5))) {
            try await b.permit(Self.intent(5, 0, 0xB5))
        }
        await #expect(throws: SigningRefusal.self) { try await b.permit(Self.intent(4, 0, 0xB4)) }
        try await b.permit(Self.intent(5, 0, 0xA5))   // the very same block: harmless
        try await b.permit(Self.intent(6, 0, 0xB6))
        #expect(etcd.value(ValidatorLease.recordKeyFor(Self.key))?.value == SignedRecord.encode(Self.intent(6, 0, 0xB6)))

        // A comes back: the key is B's, so A stays standby.
        let restarted = try member("A")
        _ = await restarted.step()
        #expect(await !restarted.isActive)
        #expect(await restarted.current.holder == "B")
    }

    @Test func theLocalRecordGuardsEvenAgainstAnEtcdThatForgot() async throws {
        let log = FakeSignatureLog()
        let a = try member("A", log: log)
        _ = await a.step()
        try await a.permit(Self.intent(9, 0, 0xA9))
        // etcd's data is wiped (a new cluster): the key and the record are gone.
        let fresh = FakeEtcd(clock: clock)
        let clock = self.clock
        let again = try ValidatorLease(backend: fresh, key: Self.key, ttl: 6, identity: "A", log: log,
                                       logger: Logger(label: "test"), now: { clock.now })
        _ = await again.step()
        #expect(await again.isActive)
        await #expect(throws: SigningRefusal.self) { try await again.permit(Self.intent(9, 0, 0x99)) }
        try await again.permit(Self.intent(10, 0, 0xAA))
    }

    @Test func resigningHandsTheKeyOverWithoutWaitingForTheTTL() async throws {
        let a = try member("A"), b = try member("B")
        _ = await a.step()
        _ = await b.step()
        await a.resign()
        #expect(await !a.isActive)
        _ = await b.step()
        #expect(await b.isActive)
    }

    @Test(arguments: [
        // (previous, requested, conflicts)
        (intent(5, 0, 1), intent(5, 0, 1), false),
        (intent(5, 0, 1), intent(5, 0, 2), true),
        (intent(5, 0, 1), intent(5, 1, 2), false),
        (intent(5, 2, 1), intent(5, 1, 2), true),
        (intent(5, 0, 1), intent(4, 0, 1), true),
        (intent(5, 0, 1), intent(6, 0, 2), false),
        // QBFT ROUND-CHANGEs: entering a round names no block there.
        (intent(5, 0, 1), .roundChange(height: 5, round: 1), false),       // round 0 signed, move on
        (.roundChange(height: 5, round: 1), intent(5, 1, 2), false),       // any block in the round entered
        (intent(5, 1, 2), .roundChange(height: 5, round: 1), false),       // re-entering: names no other block
        (intent(5, 2, 1), .roundChange(height: 5, round: 1), true),        // back to an earlier round
        (.roundChange(height: 5, round: 3), intent(5, 2, 1), true),        // a block in a round left behind
        (.roundChange(height: 5, round: 3), .roundChange(height: 5, round: 3), false),
    ])
    func conflictRules(previous: SigningIntent, requested: SigningIntent, conflicts: Bool) {
        #expect(requested.conflicts(after: previous) == conflicts)
    }

    /// Which permitted intents replace the record: never a ROUND-CHANGE over a block signed in the same round
    /// (the record must keep naming that block), nor the same intent again (no write).
    @Test(arguments: [
        (intent(5, 0, 1), intent(5, 0, 1), false),
        (intent(5, 0, 1), intent(5, 1, 1), true),
        (intent(5, 0, 1), intent(6, 0, 1), true),
        (intent(5, 1, 2), .roundChange(height: 5, round: 1), false),
        (.roundChange(height: 5, round: 1), intent(5, 1, 2), true),
        (intent(5, 0, 2), .roundChange(height: 5, round: 1), true),
    ])
    func recordRules(previous: SigningIntent, permitted: SigningIntent, advances: Bool) {
        #expect(permitted.advances(past: previous) == advances)
    }

    /// One QBFT height through the guard as the state machine asks it (PROPOSAL/PREPARE/COMMIT share one digest per
    /// round; ROUND-CHANGE enters a round), then a take-over: the new holder starts from etcd's record and refuses
    /// another block in the round the key signed, and any earlier round.
    @Test func qbftMessagesThroughTheGuardAndATakeOver() async throws {
        let a = try member("A"), b = try member("B")
        _ = await a.step()
        _ = await b.step()
        try await a.permit(Self.intent(7, 0, 0xA0))                          // PREPARE of round 0's proposal
        try await a.permit(.roundChange(height: 7, round: 1))                // round 0 timed out
        try await a.permit(Self.intent(7, 1, 0xB1))                          // PROPOSAL in round 1
        try await a.permit(Self.intent(7, 1, 0xB1))                          // its PREPARE: same intent, no write
        try await a.permit(Self.intent(7, 1, 0xB1))                          // COMMIT and its seal
        try await a.permit(.roundChange(height: 7, round: 1))                // late ROUND-CHANGE into round 1
        #expect(etcd.value(ValidatorLease.recordKeyFor(Self.key))?.value == SignedRecord.encode(Self.intent(7, 1, 0xB1)))
        await #expect(throws: SigningRefusal.self) { try await a.permit(Self.intent(7, 1, 0xC2)) }
        await #expect(throws: SigningRefusal.self) { try await a.permit(Self.intent(7, 0, 0xA0)) }

        // A dies without resigning; B claims the key once the lease has expired.
        clock.advance(7)
        _ = await b.step()
        #expect(await b.isActive)
        await #expect(throws: SigningRefusal.self) { try await b.permit(Self.intent(7, 1, 0xC2)) }
        await #expect(throws: SigningRefusal.self) { try await b.permit(.roundChange(height: 7, round: 0)) }
        try await b.permit(Self.intent(7, 1, 0xB1))                          // the block A signed: harmless
        try await b.permit(.roundChange(height: 7, round: 2))
        try await b.permit(Self.intent(7, 2, 0xD3))
        try await b.permit(Self.intent(8, 0, 0xE4))
        #expect(etcd.value(ValidatorLease.recordKeyFor(Self.key))?.value == SignedRecord.encode(Self.intent(8, 0, 0xE4)))
    }

    @Test func signedRecordsRoundTrip() {
        let intent = Self.intent(123_456, 7, 0xCD)
        #expect(SignedRecord.decode(SignedRecord.encode(intent)) == intent)
        #expect(SignedRecord.decode("12/0") == nil)
        #expect(SignedRecord.decode("x/0/0x00") == nil)
    }
}
