import SankofaContracts
import SankofaPrimitives
import Testing
@testable import SankofaLight

@Suite("Proven contract storage")
struct ProvenSlotsTests {
    static let contract = Address(low: 0x5a)
    static func key(_ n: UInt8) -> Hash32 { Hash32(bytes: Array(repeating: n, count: 32))! }

    @Test func unprovenReadsAreRecordedAndWritesRollBack() throws {
        let storage = ProvenSlots([.init(contract: Self.contract, key: Self.key(1)): [0xaa]])
        #expect(try storage.load(Self.contract, Self.key(1)) == [0xaa])
        #expect(try storage.load(Self.contract, Self.key(2)).isEmpty)
        #expect(storage.missing == [.init(contract: Self.contract, key: Self.key(2))])

        let mark = storage.checkpoint()
        try storage.store(Self.contract, Self.key(1), [0xbb])
        try storage.store(Self.contract, Self.key(3), [0xcc])
        #expect(try storage.load(Self.contract, Self.key(1)) == [0xbb])
        // A slot written before it is read needs no proof.
        #expect(try storage.load(Self.contract, Self.key(3)) == [0xcc])
        try storage.revert(to: mark)
        #expect(try storage.load(Self.contract, Self.key(1)) == [0xaa])
        #expect(try storage.load(Self.contract, Self.key(3)).isEmpty)
        #expect(storage.missing.count == 2, "key 3, unwritten again, now needs a proof")
    }
}
