import SankofaPrimitives
import SankofaStorage
import SankofaTrie
import SankofaTestSupport
import Testing
@testable import SankofaState

@Suite("State pruning")
struct StatePrunerTests {
    @Test func keptRootsStayWholeAndOlderOnesGo() throws {
        let store = MemoryStore()
        let state = try WorldState(reader: store, root: MerklePatriciaTrie.emptyRoot, snapshot: false)
        var roots: [Hash32] = []
        for block in 0..<12 as Range<UInt64> {
            for i in 0..<30 as Range<UInt64> {
                try state.addBalance(Address(low: UInt32(i + 1)), UInt256(block + 1))
                try state.setStorage(Address(low: 0x1001), Keccak256.hash(UInt256(i % 7 + block).bigEndianBytes),
                                     Array(repeating: UInt8(block), count: Int(i % 40) + 1))
            }
            let commit = try state.commit()
            try store.write(commit.batch, sync: false)
            roots.append(commit.root)
        }
        func count() throws -> Int {
            var n = 0
            try store.iterate(.trieNodes) { _, _ in n += 1; return true }
            return n
        }
        let before = try count()
        let kept = Array(roots.suffix(3))
        let outcome = try StatePruner(store: store).prune(keeping: kept)
        #expect(outcome.deleted > 0)
        #expect(try count() == before - outcome.deleted)
        #expect(try count() == outcome.kept)

        // Every kept state reads completely through the tries (no snapshot).
        for (offset, root) in kept.enumerated() {
            let block = UInt64(roots.count - kept.count + offset)
            let past = try WorldState(reader: store, root: root, snapshot: false)
            for i in 0..<30 as Range<UInt64> {
                #expect(try past.balance(Address(low: UInt32(i + 1))) == UInt256((1...(block + 1)).reduce(0, +)))
            }
            // Slot `block` was last written at this block by i = 28: 29 bytes of `block`.
            #expect(try past.storage(Address(low: 0x1001), Keccak256.hash(UInt256(block).bigEndianBytes))
                == Array(repeating: UInt8(block), count: 29))
        }
        // A pruned state is gone: reading it fails rather than returning wrong data.
        let pruned = try WorldState(reader: store, root: roots[0], snapshot: false)
        #expect(throws: (any Error).self) { _ = try pruned.balance(Address(low: 1)) }

        // Pruning again with the same roots deletes nothing.
        #expect(try StatePruner(store: store).prune(keeping: kept).deleted == 0)
    }

    @Test func retentionFollowsTheCanonicalChain() throws {
        let store = MemoryStore()
        try CrashScenario.importBlocks(into: store, through: 20)
        let chain = try ChainStore(store: store)
        #expect(try StatePruner(store: store).prune(chain: chain, retention: .archive) == nil)
        let outcome = try #require(try StatePruner(store: store).prune(chain: chain, retention: .recent(blocks: 4)))
        #expect(outcome.deleted > 0)
        func root(_ number: UInt64) throws -> Hash32 {
            let hash = try #require(try chain.canonicalHash(number))
            return try #require(try chain.header(hash)).stateRoot
        }
        for number in 17...20 as ClosedRange<UInt64> {
            let state = try WorldState(reader: store, root: try root(number), snapshot: false)
            #expect(try state.balance(Address(low: 1)) == UInt256((0...number).reduce(0) { $0 + $1 * 31 + 1 }))
        }
        let old = try WorldState(reader: store, root: try root(16), snapshot: false)
        #expect(throws: (any Error).self) { _ = try old.balance(Address(low: 1)) }
    }
}
