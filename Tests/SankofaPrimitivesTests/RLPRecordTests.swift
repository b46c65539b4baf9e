import Testing
@testable import SankofaPrimitives

/// A record with every field kind the system contracts store.
enum RecordColour: UInt8, Codable, Equatable { case red = 1, green = 2 }

struct RecordSample: RLPRecord, Equatable {
    var hash: Hash32
    var owner: Address
    var amount: UInt256
    var note: String
    var payload: [UInt8]
    var flag: Bool
    var small: UInt8
    var medium: UInt32
    var count: UInt64
    var colour: RecordColour
}

struct RecordOuter: RLPRecord, Equatable {
    var inner: RecordSample
    var tags: [UInt64]
}

@Suite("RLP records")
struct RLPRecordTests {
    static let sample = RecordSample(hash: Keccak256.hash(Array("x".utf8)), owner: Address(low: 7), amount: UInt256(1_000_000),
                               note: "héllo", payload: [0, 1, 0xff], flag: true, small: 200, medium: 70_000,
                               count: 0, colour: .green)

    /// The bytes the hand-written codecs produced, field by field.
    static func handEncoded(_ s: RecordSample) -> [UInt8] {
        var writer = RLPWriter()
        writer.writeList { w in
            w.write(s.hash)
            w.write(s.owner)
            w.write(s.amount)
            w.write(bytes: Array(s.note.utf8))
            w.write(bytes: s.payload)
            w.write(s.flag)
            w.write(UInt64(s.small))
            w.write(UInt64(s.medium))
            w.write(s.count)
            w.write(UInt64(s.colour.rawValue))
        }
        return writer.bytes
    }

    @Test func encodesExactlyAsTheHandWrittenCodecs() throws {
        #expect(Self.sample.rlpEncoded == Self.handEncoded(Self.sample))
        #expect(try RecordSample(rlp: Self.handEncoded(Self.sample)) == Self.sample)
    }

    @Test func nestedRecordsAndArraysAreNestedLists() throws {
        let outer = RecordOuter(inner: Self.sample, tags: [1, 300, 0])
        var writer = RLPWriter()
        writer.writeList { w in
            w.writeRaw(Self.handEncoded(Self.sample))
            w.writeList { t in for tag in outer.tags { t.write(tag) } }
        }
        #expect(outer.rlpEncoded == writer.bytes)
        #expect(try RecordOuter(rlp: writer.bytes) == outer)
        // Long payloads take the long list header.
        var long = Self.sample
        long.note = String(repeating: "n", count: 300)
        #expect(try RecordSample(rlp: long.rlpEncoded) == long)
    }

    @Test func anEnumValueOutOfRangeNamesTheFieldAndType() throws {
        var fields = Self.fields(of: Self.sample)
        fields[9] = [0x09]
        #expect(throws: RLPError.invalidRecord("field colour: Cannot initialize RecordColour from invalid UInt8 value 9")) {
            try RecordSample(rlp: Self.list(fields))
        }
    }

    @Test func anIntegerTooWideForItsFieldIsRefused() throws {
        var fields = Self.fields(of: Self.sample)
        fields[6] = [0x82, 0x01, 0x00]  // 256 in a UInt8 field
        #expect(throws: RLPError.invalidRecord("field small: integer 256 is larger than 255")) {
            try RecordSample(rlp: Self.list(fields))
        }
    }

    @Test func missingTrailingAndMalformedFieldsAreRefused() throws {
        let fields = Self.fields(of: Self.sample)
        #expect(throws: RLPError.self) { try RecordSample(rlp: Self.list(Array(fields.dropLast()))) }
        #expect(throws: RLPError.trailingBytes(count: 1)) { try RecordSample(rlp: Self.list(fields + [[0x80]])) }
        var badUTF8 = fields
        badUTF8[3] = [0x82, 0xc3, 0x28]
        #expect(throws: RLPError.self) { try RecordSample(rlp: Self.list(badUTF8)) }
        var shortHash = fields
        shortHash[0] = [0x81, 0xaa]
        #expect(throws: RLPError.self) { try RecordSample(rlp: Self.list(shortHash)) }
        #expect(throws: RLPError.self) { try RecordSample(rlp: [0x80]) }
    }

    @Test func hexTextCodableRoundTrips() throws {
        #expect(Hash32(hexText: Self.sample.hash.hexText) == Self.sample.hash)
        #expect(Address(hexText: Address(low: 7).hexText) == Address(low: 7))
        #expect(UInt256(hexText: "0x0") == .zero)
        #expect(Address(hexText: "0x12") == nil)
    }

    static func fields(of sample: RecordSample) -> [[UInt8]] {
        var reader = RLPReader(sample.rlpEncoded)
        guard var list = try? reader.readList() else { return [] }
        var items: [[UInt8]] = []
        while !list.isAtEnd, let item = try? list.readRawItem() { items.append(Array(item)) }
        return items
    }

    static func list(_ items: [[UInt8]]) -> [UInt8] {
        var writer = RLPWriter()
        writer.writeList { w in for item in items { w.writeRaw(item) } }
        return writer.bytes
    }
}
