import SankofaContracts
import SankofaPrimitives
import SankofaTestSupport
import Testing

/// Hostile calldata: every malformed input must be refused with the right `ABIError`, never trap, never
/// allocate more than the data can justify.
@Suite("ABI strict decoding")
struct ABIStrictDecodingTests {
    /// A 32-byte big-endian word holding `value`.
    static func word(_ value: UInt64) -> [UInt8] { UInt256(value).bigEndianBytes }

    /// A word whose first byte is `first` and the rest as `word(low)`.
    static func word(_ low: UInt64, first: UInt8) -> [UInt8] {
        var w = word(low)
        w[0] = first
        return w
    }

    @Test("data shorter than the head")
    func shortHead() {
        #expect(throws: ABIError.dataTooShort(needed: 32, available: 31)) {
            try ABI.decode([UInt8](repeating: 0, count: 31), as: [.uint(256)])
        }
        #expect(throws: ABIError.dataTooShort(needed: 96, available: 64)) {
            try ABI.decode([UInt8](repeating: 0, count: 64), as: [.address, .bool, .uint(8)])
        }
        #expect(throws: ABIError.dataTooShort(needed: 64, available: 32)) {
            try ABI.decode(Self.word(0), as: [.fixedArray(.uint(256), 2)])
        }
    }

    @Test("offsets outside the data")
    func offsets() {
        #expect(throws: ABIError.offsetOutOfBounds(4096)) { try ABI.decode(Self.word(4096), as: [.string]) }
        #expect(throws: ABIError.offsetOutOfBounds(Int.max)) {
            try ABI.decode(Self.word(32, first: 1) + Self.word(0), as: [.bytes])
        }
        #expect(throws: ABIError.offsetOutOfBounds(Int.max)) {
            try ABI.decode(Self.word(UInt64.max) + Self.word(0), as: [.bytes])
        }
        // An offset to the very end leaves no room for the length word.
        #expect(throws: ABIError.dataTooShort(needed: 32, available: 0)) { try ABI.decode(Self.word(32), as: [.string]) }
    }

    @Test("lengths larger than the data, checked before allocating")
    func lengths() {
        #expect(throws: ABIError.lengthTooLarge(1 << 40)) {
            try ABI.decode(Self.word(32) + Self.word(1 << 40), as: [.array(.uint(256))])
        }
        #expect(throws: ABIError.lengthTooLarge(Int.max)) {
            try ABI.decode(Self.word(32) + Self.word(0, first: 0xFF), as: [.array(.string)])
        }
        // Two elements of a dynamic type need two offset words.
        #expect(throws: ABIError.lengthTooLarge(2)) {
            try ABI.decode(Self.word(32) + Self.word(2) + Self.word(0), as: [.array(.bytes)])
        }
        #expect(throws: ABIError.lengthTooLarge(33)) {
            try ABI.decode(Self.word(32) + Self.word(33) + Self.word(0), as: [.bytes])
        }
        // A huge static fixed array inside a dynamic array: elements are 2^62 * 32 bytes each (saturates).
        let huge = ABIType.array(.fixedArray(.uint(256), 1 << 62))
        #expect(throws: ABIError.lengthTooLarge(1)) { try ABI.decode(Self.word(32) + Self.word(1), as: [huge]) }
        #expect(throws: ABIError.dataTooShort(needed: Int.max, available: 32)) {
            try ABI.decode(Self.word(1), as: [.fixedArray(.fixedArray(.uint(8), 1 << 40), 1 << 40)])
        }
    }

    @Test("dirty high bits, sign extension, padding and booleans")
    func dirtyBits() throws {
        var address = Self.word(0xAB)
        address[11] = 1
        #expect(throws: ABIError.dirtyBits(type: "address")) { try ABI.decode(address, as: [.address]) }
        #expect(throws: ABIError.dirtyBits(type: "bool")) { try ABI.decode(Self.word(2), as: [.bool]) }
        #expect(throws: ABIError.dirtyBits(type: "bool")) { try ABI.decode(Self.word(1, first: 0x80), as: [.bool]) }
        #expect(throws: ABIError.dirtyBits(type: "uint8")) { try ABI.decode(Self.word(256), as: [.uint(8)]) }
        #expect(throws: ABIError.dirtyBits(type: "uint64")) { try ABI.decode(Self.word(0, first: 1), as: [.uint(64)]) }
        // int8: 0x80 is 128, not -128, unless sign-extended.
        #expect(throws: ABIError.dirtyBits(type: "int8")) { try ABI.decode(Self.word(0x80), as: [.int(8)]) }
        #expect(throws: ABIError.dirtyBits(type: "int8")) {
            try ABI.decode([UInt8](repeating: 0xFF, count: 31) + [0x7F], as: [.int(8)])
        }
        let minus128 = try ABI.decode([UInt8](repeating: 0xFF, count: 31) + [0x80], as: [.int(8)])
        #expect(minus128[0].int64 == -128)
        #expect(try ABI.decode(Self.word(0x7F), as: [.int(8)])[0].int64 == 127)
        var bytes4 = [UInt8](repeating: 0, count: 32)
        bytes4[0...3] = [1, 2, 3, 4]
        #expect(try ABI.decode(bytes4, as: [.fixedBytes(4)]) == [.fixedBytes([1, 2, 3, 4])])
        bytes4[4] = 1
        #expect(throws: ABIError.dirtyBits(type: "bytes4")) { try ABI.decode(bytes4, as: [.fixedBytes(4)]) }
        bytes4[4] = 0
        bytes4[31] = 1
        #expect(throws: ABIError.dirtyBits(type: "bytes4")) { try ABI.decode(bytes4, as: [.fixedBytes(4)]) }
        // Static values nested in arrays and tuples are checked too.
        #expect(throws: ABIError.dirtyBits(type: "bool")) {
            try ABI.decode(Self.word(1) + Self.word(3), as: [.tuple([.bool, .fixedArray(.bool, 1)])])
        }
    }

    @Test("strings must be well-formed UTF-8", arguments: [
        [0xFF], [0xC0, 0x80], [0xC1, 0xBF], [0xE0, 0x80, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80],
        [0xF5, 0x80, 0x80, 0x80], [0xE2, 0x82], [0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x80], [0x80],
    ] as [[UInt8]])
    func invalidUTF8(bytes: [UInt8]) throws {
        let data = Self.word(32) + Self.word(UInt64(bytes.count)) + bytes + [UInt8](repeating: 0, count: 32)
        #expect(throws: ABIError.invalidUTF8) { try ABI.decode(data, as: [.string]) }
        // The same bytes are fine as `bytes`.
        #expect(try ABI.decode(data, as: [.bytes]) == [.bytes(bytes)])
    }

    @Test("valid UTF-8 of every width decodes")
    func validUTF8() throws {
        for text in ["", "plain ascii over eight bytes", "é", "€uro", "🚀 rocket", "\u{10FFFF}", "\u{D7FF}\u{E000}"] {
            let encoded = try ABI.encode([.string(text)], as: [.string])
            #expect(try ABI.decode(encoded, as: [.string]) == [.string(text)])
        }
    }

    @Test("trailing bytes, backward offsets and non-contiguous input are accepted, as in Solidity")
    func lenient() throws {
        let encoded = try ABI.encode([.uint(7), .string("hi")], as: [.uint(8), .string])
        let expected: [ABIValue] = [.uint(7), .string("hi")]
        #expect(try ABI.decode(encoded + [1, 2, 3], as: [.uint(8), .string]) == expected)
        #expect(try ABI.decode(AnyCollection(encoded), as: [.uint(8), .string]) == expected)
        #expect(try ABI.decode(encoded[...], as: [.uint(8), .string]) == expected)
        // Tails in the opposite order to their heads.
        func text(_ s: String) -> [UInt8] { Self.word(UInt64(s.utf8.count)) + Array(s.utf8) + [UInt8](repeating: 0, count: 32 - s.utf8.count) }
        let reversed = Self.word(0x80) + Self.word(0x40) + text("b") + text("a")
        #expect(try ABI.decode(reversed, as: [.string, .string]) == [.string("a"), .string("b")])
    }

    @Test("offsets that share data beyond the data's size are refused (decoding bomb)")
    func sharedOffsets() throws {
        // Both strings point at the same tail: the second length word is the 130th byte read from 128.
        let shared = Self.word(64) + Self.word(64) + Self.word(2) + Array("hi".utf8) + [UInt8](repeating: 0, count: 30)
        #expect(throws: ABIError.overlappingData(decodedAtLeast: 130, available: 128)) {
            try ABI.decode(shared, as: [.string, .string])
        }
        // string[][]: 200 outer offsets to one inner array of 200 offsets to one 4 KiB string would decode to
        // 160 MB from about 17 KB.
        let n = 200
        var bomb = Self.word(32) + Self.word(UInt64(n))  // head: offset of the outer array; its length
        let innerAt = UInt64(32 * n)  // relative to the outer elements, which start at byte 64
        for _ in 0..<n { bomb += Self.word(innerAt) }
        bomb += Self.word(UInt64(n))  // inner length; inner elements start at 64 + 32n + 32
        for _ in 0..<n { bomb += Self.word(UInt64(32 * n)) }
        bomb += Self.word(4096) + [UInt8](repeating: 0x61, count: 4096)
        let started = ContinuousClock.now
        #expect(throws: ABIError.self) { try ABI.decode(bomb, as: [.array(.array(.string))]) }
        #expect(ContinuousClock.now - started < .seconds(1))
        do {
            _ = try ABI.decode(bomb, as: [.array(.array(.string))])
        } catch {
            guard case .overlappingData = error else { Issue.record("unexpected \(error)"); return }
        }
    }

    @Test("types deeper than the cap and invalid enum values are refused")
    func invalidTypes() {
        var deep = ABIType.uint(8)
        for _ in 0...ABIType.maxNestingDepth { deep = .array(deep) }
        #expect(throws: ABIError.tooDeep) { try ABI.decode(Self.word(0), as: [deep]) }
        #expect(throws: ABIError.tooDeep) { try ABI.encode([.uint(1)], as: [deep]) }
        #expect(throws: ABIError.self) { try ABI.decode(Self.word(0), as: [.uint(7)]) }
        #expect(throws: ABIError.self) { try ABI.decode(Self.word(0), as: [.fixedBytes(33)]) }
        #expect(throws: ABIError.self) { try ABI.decode(Self.word(0), as: [.tuple([])]) }
        #expect(throws: ABIError.self) { try ABI.decode(Self.word(0), as: [.fixedArray(.bool, 0)]) }
    }

    /// Types the fuzz loop decodes against: nested dynamic arrays, tuples, strings and every static kind.
    static let fuzzTypes: [[ABIType]] = [
        [.array(.tuple([.uint(256), .string, .fixedBytes(32)]))],
        [.address, .bytes, .fixedArray(.uint(8), 2)],
        [.array(.array(.string))],
        [.tuple([.array(.tuple([.uint(16), .string])), .bool]), .int(8)],
        [.fixedArray(.tuple([.bytes, .int(32)]), 2), .array(.bool)],
    ]

    @Test("fuzz: 20k random and mutated inputs only ever throw ABIError, and what decodes re-encodes")
    func fuzz() throws {
        var rng = SplitMix64(seed: 0xAB1_C0DE)
        // Valid encodings to mutate, so the fuzz reaches past the first offset check.
        let seeds: [[UInt8]] = try [
            ABI.encode([.array([.tuple([.uint(1), .string("one"), .fixedBytes([UInt8](repeating: 9, count: 32))])])],
                       as: Self.fuzzTypes[0]),
            ABI.encode([.address(Address(low: 0x1000)), .bytes([1, 2, 3]), .array([.uint(1), .uint(2)])],
                       as: Self.fuzzTypes[1]),
            ABI.encode([.array([.array([.string("a"), .string("bc")]), .array([])])], as: Self.fuzzTypes[2]),
            ABI.encode([.tuple([.array([.tuple([.uint(5), .string("x")])]), .bool(true)]), .int(-3)],
                       as: Self.fuzzTypes[3]),
            ABI.encode([.array([.tuple([.bytes([7]), .int(-1)]), .tuple([.bytes([]), .int(2)])]), .array([.bool(false)])],
                       as: Self.fuzzTypes[4]),
        ]
        var decoded = 0
        var refused = 0
        for iteration in 0..<20_000 {
            let which = iteration % Self.fuzzTypes.count
            var input: [UInt8]
            if iteration % 2 == 0 {
                input = rng.bytes(Int(rng.next() % 400))
            } else {
                input = seeds[which]
                for _ in 0..<(1 + Int(rng.next() % 4)) where !input.isEmpty {
                    let position = Int(rng.next() % UInt64(input.count))
                    let choices: [UInt8] = [0, 1, 0x20, 0x40, 0x7F, 0x80, 0xFF, UInt8(truncatingIfNeeded: rng.next())]
                    input[position] = choices[Int(rng.next() % UInt64(choices.count))]
                }
                if rng.next() % 8 == 0 { input.removeLast(Int(rng.next() % UInt64(input.count + 1))) }
            }
            do {
                let values = try ABI.decode(input, as: Self.fuzzTypes[which])
                decoded += 1
                let again = try ABI.encode(values, as: Self.fuzzTypes[which])
                #expect(try ABI.decode(again, as: Self.fuzzTypes[which]) == values)
            } catch {
                // `error` is statically an ABIError (typed throws); every case must explain itself.
                #expect(!error.description.isEmpty)
                refused += 1
            }
        }
        #expect(decoded > 100)
        #expect(refused > 100)
    }
}
