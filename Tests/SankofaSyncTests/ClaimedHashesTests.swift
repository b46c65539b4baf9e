import SankofaPrimitives
import Testing
@testable import SankofaSync

@Suite("Claimed hashes")
struct ClaimedHashesTests {
    static func hashes(_ range: Range<UInt8>) -> [Hash32] { range.map { Keccak256.hash([$0]) } }

    @Test func aHeldHashIsNotClaimedAgainUntilReleased() {
        let claims = ClaimedHashes()
        let first = Self.hashes(0..<10)
        #expect(claims.claim(first) == first)
        #expect(claims.claim(Self.hashes(5..<15)) == Self.hashes(10..<15))
        #expect(claims.claim([first[7]]).isEmpty)
        claims.release(first)
        #expect(claims.claim(Self.hashes(0..<12)) == Self.hashes(0..<10))
    }

    @Test func aHashTwiceInOneClaimIsTakenOnce() {
        let claims = ClaimedHashes()
        let twice = Self.hashes(0..<3) + Self.hashes(1..<2)
        #expect(claims.claim(twice) == Self.hashes(0..<3))
    }

    @Test func theLimitBoundsWhatIsHeld() {
        let claims = ClaimedHashes(limit: 4)
        #expect(claims.claim(Self.hashes(0..<10)) == Self.hashes(0..<4))
        #expect(claims.claim(Self.hashes(10..<12)).isEmpty)
        claims.release(Self.hashes(0..<1))
        #expect(claims.claim(Self.hashes(10..<12)) == Self.hashes(10..<11))
    }

    /// Many tasks claiming overlapping sets at once: every hash goes to exactly one of them.
    @Test func concurrentClaimsAreDisjoint() async {
        let claims = ClaimedHashes()
        let all = Self.hashes(0..<200)
        let taken = await withTaskGroup(of: [Hash32].self) { group in
            for start in stride(from: 0, to: 150, by: 10) {
                group.addTask { claims.claim(Array(all[start..<start + 50])) }
            }
            return await group.reduce(into: [Hash32]()) { $0 += $1 }
        }
        #expect(taken.count == Set(taken).count)
        #expect(Set(taken) == Set(all.prefix(190)))
    }
}
