import SankofaChain
import SankofaPrimitives
import Testing
@testable import SankofaNode

/// RPC's cache of decoded recent blocks: each is loaded once while it is among the last few, a miss (nil) is
/// not remembered, and the oldest goes first.
@Suite("Recent blocks")
struct RecentBlocksTests {
    static func hash(_ byte: Int) -> Hash32 { Hash32(bytes: [UInt8](repeating: UInt8(byte), count: 32))! }

    @Test func aBlocksSendersAreLoadedOnce() throws {
        let recent = RecentBlocks()
        var loads = 0
        let hash = Self.hash(1)
        for _ in 0..<3 {
            #expect(try recent.senders(hash) { loads += 1; return [Address(low: 7)] } == [Address(low: 7)])
        }
        #expect(loads == 1)
    }

    @Test func aMissIsNotRemembered() throws {
        let recent = RecentBlocks()
        var loads = 0
        let hash = Self.hash(2)
        #expect(try recent.receipts(hash) { loads += 1; return nil } == nil)
        #expect(try recent.receipts(hash) { loads += 1; return [] } == [])
        #expect(try recent.receipts(hash) { loads += 1; return nil } == [])
        #expect(loads == 2)
    }

    @Test func theOldestGoesFirst() throws {
        let recent = RecentBlocks()
        var loads = 0
        let hashes = (0...RecentBlocks.capacity).map { Self.hash($0 + 10) }
        for hash in hashes { _ = try recent.senders(hash) { loads += 1; return [] } }
        _ = try recent.senders(hashes[RecentBlocks.capacity]) { loads += 1; return [] }
        #expect(loads == hashes.count)
        _ = try recent.senders(hashes[0]) { loads += 1; return [] }
        #expect(loads == hashes.count + 1)
    }
}
