import SankofaChain
import SankofaPrimitives
import SankofaState
import SankofaStorage
import SankofaTrie

/// A deterministic chain for crash-safety tests: block n's state changes depend only on n, so the state root of any
/// block can be recomputed from scratch and compared with what survived on disk.
public enum CrashScenario {
    public static let contract = Address(low: 0x1001)

    /// Applies block `number`'s changes: balances of 40 accounts and a spread of contract storage slots.
    public static func apply(block number: UInt64, to state: WorldState) throws {
        for i in 0..<40 as Range<UInt64> {
            try state.addBalance(Address(low: UInt32(i + 1)), UInt256(number &* 31 &+ i &+ 1))
            let slot = Keccak256.hash(UInt256((number &* 7 &+ i) % 211).bigEndianBytes)
            let length = Int((number &+ i) % 48)
            try state.setStorage(contract, slot, (0..<length).map { UInt8(truncatingIfNeeded: Int(number) &+ $0) })
        }
    }

    /// The header of block `number` on top of `parent` with the given state root.
    public static func header(number: UInt64, parent: Hash32, stateRoot: Hash32) -> BlockHeader {
        BlockHeader(parentHash: parent, coinbase: .zero, stateRoot: stateRoot, difficulty: UInt256(2), number: number,
                    gasLimit: 30_000_000, gasUsed: 0, timestamp: 1_700_000_000 + number, extraData: [])
    }

    /// Imports blocks `from...through` on top of the store's head (or a fresh genesis), one atomic batch each.
    /// `afterBlock` runs once each block is durable.
    public static func importBlocks(into store: any KeyValueStore, through last: UInt64,
                                    afterBlock: (UInt64) -> Void = { _ in }) throws {
        let chain = try ChainStore(store: store)
        var parent = Hash32.zero
        var root = MerklePatriciaTrie.emptyRoot
        var next: UInt64 = 0
        if let head = try chain.headHash(), let header = try chain.header(head) {
            parent = head
            root = header.stateRoot
            next = header.number + 1
        } else {
            try store.put(.metadata, Schema.snapshotRootKey, root.bytes)
        }
        let state = try WorldState(reader: store, root: root, snapshot: true)
        while next <= last {
            try apply(block: next, to: state)
            let commit = try state.commit()
            let block = Block(header: header(number: next, parent: parent, stateRoot: commit.root), transactions: [])
            try chain.commit(block, receipts: [], state: commit, makeHead: true)
            afterBlock(next)
            parent = block.hash
            next += 1
        }
    }

    /// The state root after blocks 0...number, recomputed in memory.
    public static func expectedRoot(through number: UInt64) throws -> Hash32 {
        let state = try WorldState(reader: MemoryStore(), root: MerklePatriciaTrie.emptyRoot, snapshot: false)
        for n in 0...number { try apply(block: n, to: state) }
        return try state.commit().root
    }
}
