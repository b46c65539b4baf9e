import SankofaTestSupport
import Testing
@testable import SankofaPrimitives

/// Random cases per operation; the generator is seeded so any failure reproduces.
private let caseCount = 2_000

@Suite("UInt256")
struct UInt256Tests {
    // MARK: Known constants

    @Test func knownConstants() {
        let maxDecimal = "115792089237316195423570985008687907853269984665640564039457584007913129639935"
        #expect(UInt256.max.decimalString == maxDecimal)
        #expect(UInt256.max.description == maxDecimal)
        #expect(UInt256(decimal: maxDecimal) == .max)
        #expect(UInt256.max.hexString == "0x" + String(repeating: "f", count: 64))
        #expect(UInt256(hex: "0x" + String(repeating: "F", count: 64)) == .max)
        #expect(UInt256.zero.decimalString == "0")
        #expect(UInt256.zero.hexString == "0x0")
        #expect(UInt256.one.hexString == "0x1")
        #expect((UInt256.one << 64).decimalString == "18446744073709551616")
        #expect((UInt256.one << 128).decimalString == "340282366920938463463374607431768211456")
        #expect((UInt256.one << 255).hexString == "0x8" + String(repeating: "0", count: 63))
        #expect(UInt256(decimal: "10000000000000000000") == UInt256(limbs: (10_000_000_000_000_000_000 as UInt64, 0, 0, 0)))
        #expect(UInt256(limbs: (1, 0, 0, 0)) == 1)
        #expect(UInt256(limbs: (0, 1, 0, 0)) == UInt256(hex: "0x10000000000000000"))
        #expect(UInt256(limbs: (0, 0, 0, 1)).hexString == "0x1" + String(repeating: "0", count: 48))
        #expect(UInt256(1).bigEndianBytes == [UInt8](repeating: 0, count: 31) + [1])
        #expect(UInt256(0x0102).minimalBigEndianBytes == [1, 2])
        #expect(UInt256.zero.minimalBigEndianBytes == [])
        #expect(UInt256.max.bigEndianBytes == [UInt8](repeating: 0xFF, count: 32))
        #expect(UInt256(limbs: (0x08090A0B0C0D0E0F, 0, 0, 0x0102030405060708)).bigEndianBytes.prefix(8)
                == [1, 2, 3, 4, 5, 6, 7, 8])
        #expect(UInt256.max.leadingZeroBitCount == 0)
        #expect(UInt256.zero.leadingZeroBitCount == 256)
        #expect(UInt256.zero.trailingZeroBitCount == 256)
        #expect(UInt256.bitWidth == 256 && UInt256.one.bitWidth == 256)
        #expect(UInt256.zero.byteCount == 0 && UInt256(255).byteCount == 1 && UInt256(256).byteCount == 2)
        #expect(UInt256.max.byteCount == 32)
        // 2^256 - 1 = (2^128 - 1)(2^128 + 1).
        let p128 = UInt256.one << 128
        #expect(UInt256.max / (p128 + 1) == p128 - 1 && (UInt256.max % (p128 + 1)).isZero)
        #expect((UInt256.max &+ 1).isZero && (UInt256.zero &- 1) == .max)
        #expect(UInt256.max &* UInt256.max == 1)
    }

    @Test func integerConversions() {
        #expect(UInt256(exactly: -1) == nil)
        #expect(UInt256(exactly: Int.min) == nil)
        #expect(UInt256(exactly: Int.max) == UInt256(UInt64(Int.max)))
        #expect(UInt256(exactly: 0) == .zero)
        #expect(UInt256(exactly: UInt64.max) == UInt256(UInt64.max))
        #expect(UInt256(exactly: Int8(-5)) == nil)
        #expect(UInt256(exactly: UInt8(200)) == 200)
        #expect(UInt256(UInt64.max).asUInt64 == UInt64.max)
        #expect((UInt256(UInt64.max) &+ 1).asUInt64 == nil)
        #expect(UInt256(limbs: (0, 0, 0, 1)).asUInt64 == nil)
        #expect(UInt256.zero.asUInt64 == 0)
    }

    // MARK: Arithmetic against the reference

    @Test func addition() {
        var rng = SplitMix64(seed: 1)
        for _ in 0..<caseCount {
            let a = rng.value(), b = rng.value()
            let sum = BigRef(a) + BigRef(b)
            let overflow = !(sum < BigRef.twoTo256)
            let r = a.addingReportingOverflow(b)
            #expect(r.partialValue == sum.truncated && r.overflow == overflow, "\(a) + \(b)")
            #expect(a &+ b == sum.truncated)
            #expect(a.checkedAdd(b) == (overflow ? nil : sum.truncated))
            if !overflow {
                #expect(a + b == sum.truncated)
                var c = a; c += b
                #expect(c == sum.truncated)
            }
        }
    }

    @Test func subtraction() {
        var rng = SplitMix64(seed: 2)
        for _ in 0..<caseCount {
            let a = rng.value(), b = rng.value()
            let ra = BigRef(a), rb = BigRef(b)
            let underflow = ra < rb
            let expected = underflow ? (ra + BigRef.twoTo256 - rb).truncated : (ra - rb).truncated
            let r = a.subtractingReportingOverflow(b)
            #expect(r.partialValue == expected && r.overflow == underflow, "\(a) - \(b)")
            #expect(a &- b == expected)
            #expect(a.checkedSub(b) == (underflow ? nil : expected))
            if !underflow {
                #expect(a - b == expected)
                var c = a; c -= b
                #expect(c == expected)
            }
        }
    }

    @Test func multiplication() {
        var rng = SplitMix64(seed: 3)
        for _ in 0..<caseCount {
            let a = rng.value(), b = rng.value()
            let product = BigRef(a) * BigRef(b)
            let overflow = !(product < BigRef.twoTo256)
            let full = a.multipliedFullWidth(by: b)
            #expect(full.low == product.truncated, "\(a) * \(b)")
            #expect(full.high == product.shiftedRight(256).truncated, "\(a) * \(b)")
            #expect(a &* b == product.truncated, "\(a) &* \(b)")
            let r = a.multipliedReportingOverflow(by: b)
            #expect(r.partialValue == product.truncated && r.overflow == overflow)
            #expect(a.checkedMul(b) == (overflow ? nil : product.truncated))
            if !overflow {
                #expect(a * b == product.truncated)
                var c = a; c *= b
                #expect(c == product.truncated)
            }
            var w = a; w &*= b
            #expect(w == product.truncated)
        }
    }

    /// Checks one division against both the reference and the Euclidean property u = q·v + r, r < v.
    private func checkDivision(_ u: UInt256, _ v: UInt256, sourceLocation: SourceLocation = #_sourceLocation) {
        let (q, r) = u.quotientAndRemainder(dividingBy: v)
        let ref = BigRef.divMod(BigRef(u), BigRef(v))
        #expect(q == ref.q.exact && r == ref.r.exact, "\(u) /% \(v)", sourceLocation: sourceLocation)
        #expect(BigRef(q) * BigRef(v) + BigRef(r) == BigRef(u) && r < v, sourceLocation: sourceLocation)
        #expect(u / v == q && u % v == r, sourceLocation: sourceLocation)
        #expect(u.dividedReportingOverflow(by: v) == (q, false), sourceLocation: sourceLocation)
        #expect(u.remainderReportingOverflow(dividingBy: v) == (r, false), sourceLocation: sourceLocation)
    }

    @Test func divisionByEachDivisorSize() {
        var rng = SplitMix64(seed: 4)
        for i in 0..<caseCount {
            let v = rng.value(limbs: i % 4 + 1)  // 1, 2, 3 and 4-limb divisors in turn
            let u = i % 5 == 0 ? rng.value(limbs: rng.below(4) + 1) : rng.value()
            checkDivision(u, v)
        }
    }

    @Test func divisionMixedShapes() {
        var rng = SplitMix64(seed: 5)
        for _ in 0..<caseCount {
            let u = rng.value()
            var v = rng.value()
            if v.isZero { v = 1 }
            checkDivision(u, v)
            checkDivision(v, u.isZero ? 1 : u)  // divisor larger than dividend half the time
        }
    }

    /// Built so the dividend is just below a multiple of the divisor, where qhat estimates are most often wrong.
    @Test func divisionNearMultiples() {
        var rng = SplitMix64(seed: 6)
        for _ in 0..<caseCount {
            let v = rng.value(limbs: rng.below(3) + 2)
            let q = rng.value() >> (v.significantBitCount)
            let (qv, _) = q.multipliedReportingOverflow(by: v)
            for delta in [UInt256.zero, .one] {
                let u = qv &- delta
                checkDivision(u, v)
                checkDivision(qv &+ v &- .one, v)
            }
        }
    }

    /// Hacker's Delight `divmnu` vectors scaled from 16-bit to 64-bit digits, including the ones that
    /// need the add-back step (D6) and the qhat = b - 1 start.
    @Test func divisionAddBackVectors() {
        let b1: UInt64 = .max, h: UInt64 = 1 << 63
        let cases: [(UInt256, UInt256)] = [
            (UInt256(limbs: (0, b1 - 1, 0, h)), UInt256(limbs: (1, 0, h, 0))),
            (UInt256(limbs: (3, 0, h, 0)), UInt256(limbs: (1, 0, h, 0))),
            (UInt256(limbs: (0, 0, h, h - 1)), UInt256(limbs: (1, 0, h, 0))),
            (UInt256(limbs: (0, b1 - 1, 0, h)), UInt256(limbs: (1, 0, h, 0)) >> 1),
            (UInt256(limbs: (0, 0, b1, h)), UInt256(limbs: (b1, 0, h, 0))),
            (UInt256(limbs: (b1, b1, b1, b1)), UInt256(limbs: (b1, b1, 0, 0))),
            (UInt256(limbs: (b1, b1, b1, b1)), UInt256(limbs: (1, 0, 0, 1))),
            (UInt256(limbs: (0, 0, 0, h)), UInt256(limbs: (1, 0, 0, h))),
            (UInt256(limbs: (0, 0, 0, b1)), UInt256(limbs: (b1, b1, b1, h))),
            (UInt256(limbs: (0, b1, h, h)), UInt256(limbs: (b1, h, h, 0))),
        ]
        for (u, v) in cases { checkDivision(u, v) }
    }

    @Test func divisionByZeroIsReported() {
        for u in edgeValues {
            #expect(u.dividedReportingOverflow(by: .zero) == (u, true))
            #expect(u.remainderReportingOverflow(dividingBy: .zero) == (u, true))
        }
    }

    // MARK: Bits

    @Test func shifts() {
        var rng = SplitMix64(seed: 7)
        let fixed = [0, 1, 63, 64, 65, 127, 128, 192, 255, 256, 257, 1000, Int.max, -1, -64, -255, -256, Int.min]
        for i in 0..<caseCount {
            let a = rng.value()
            let s = i < fixed.count ? fixed[i] : rng.below(600) - 300
            let ra = BigRef(a)
            let left = s >= 0 ? (s >= 256 ? .zero : ra.shiftedLeft(s).truncated)
                              : (s <= -256 ? .zero : ra.shiftedRight(-s).truncated)
            let right = s >= 0 ? (s >= 256 ? .zero : ra.shiftedRight(s).truncated)
                               : (s <= -256 ? .zero : ra.shiftedLeft(-s).truncated)
            #expect(a << s == left, "\(a) << \(s)")
            #expect(a >> s == right, "\(a) >> \(s)")
            var c = a; c <<= s
            #expect(c == left)
            c = a; c >>= s
            #expect(c == right)
        }
    }

    @Test func bitwiseAndCounts() {
        var rng = SplitMix64(seed: 8)
        for _ in 0..<caseCount {
            let a = rng.value(), b = rng.value()
            let ra = BigRef(a), rb = BigRef(b)
            #expect(a & b == BigRef.bitwise(ra, rb, &).truncated)
            #expect(a | b == BigRef.bitwise(ra, rb, |).truncated)
            #expect(a ^ b == BigRef.bitwise(ra, rb, ^).truncated)
            #expect(~a == (BigRef(UInt256.max) - ra).truncated)
            var c = a; c &= b; c |= a; c ^= b
            #expect(c == ((a & b) | a) ^ b)
            #expect(a.leadingZeroBitCount == 256 - ra.bitLength)
            #expect(a.significantBitCount == ra.bitLength)
            #expect(a.byteCount == (ra.bitLength + 7) / 8)
            let tz = (0..<256).first { ra.bit($0) } ?? 256
            #expect(a.trailingZeroBitCount == tz)
        }
    }

    @Test func comparisonsAndHashing() {
        var rng = SplitMix64(seed: 9)
        for _ in 0..<caseCount {
            let a = rng.value()
            let b = rng.below(4) == 0 ? a : rng.value()
            let ra = BigRef(a), rb = BigRef(b)
            #expect((a < b) == (ra < rb), "\(a) < \(b)")
            #expect((a == b) == (ra == rb))
            #expect((a <= b) == !(rb < ra) && (a > b) == (rb < ra))
            if a == b { #expect(a.hashValue == b.hashValue) }
            #expect(a.isZero == ra.isZero)
            #expect(a.asUInt64 == (ra.bitLength <= 64 ? a.w0 : nil))
        }
    }

    // MARK: Text and bytes

    @Test func decimalRoundTrip() {
        var rng = SplitMix64(seed: 10)
        for _ in 0..<caseCount {
            let a = rng.value()
            let text = BigRef(a).decimal
            #expect(a.decimalString == text)
            #expect(UInt256(decimal: text) == a)
            #expect(UInt256(decimal: String(repeating: "0", count: rng.below(40)) + text) == a)
        }
    }

    @Test func decimalOverflowBoundary() {
        var rng = SplitMix64(seed: 11)
        for _ in 0..<caseCount {
            // Values just above 2^256 - 1 and random values of 78-100 digits must be rejected exactly when too big.
            let extra = BigRef(UInt256(limbs: (rng.next(), rng.next(), 0, 0)) >> rng.below(128))
            let big = BigRef(UInt256.max) + extra
            #expect(UInt256(decimal: big.decimal) == big.exact)
            let digits = String((0..<(78 + rng.below(23))).map { _ in Character(String(rng.below(10))) })
            #expect(UInt256(decimal: digits) == BigRef(decimalText: digits)?.exact)
        }
    }

    @Test func hexRoundTrip() {
        var rng = SplitMix64(seed: 12)
        for _ in 0..<caseCount {
            let a = rng.value()
            let digits = BigRef(a).hex
            #expect(a.hexString == "0x" + digits)
            #expect(UInt256(hex: "0x" + digits) == a)
            #expect(UInt256(hex: digits.uppercased()) == a)
            #expect(UInt256(hex: "0X" + String(repeating: "0", count: 64 - digits.count) + digits) == a)
        }
    }

    @Test func bytesRoundTrip() {
        var rng = SplitMix64(seed: 13)
        for _ in 0..<caseCount {
            let a = rng.value()
            let full = a.bigEndianBytes
            let minimal = a.minimalBigEndianBytes
            #expect(full.count == 32)
            #expect(minimal.count == a.byteCount)
            #expect(minimal.first != 0)
            #expect(Array(full.drop { $0 == 0 }) == minimal)
            // Bytes checked against the reference's hex digits.
            let refHex = BigRef(a).hex
            let paddedHex = String(repeating: "0", count: 64 - refHex.count) + refHex
            #expect(full.map { String($0 >> 4, radix: 16) + String($0 & 15, radix: 16) }.joined() == paddedHex)
            #expect(UInt256(bigEndian: full) == a)
            #expect(UInt256(bigEndian: minimal) == a)
            #expect(UInt256(bigEndian: minimal[...]) == a)
            #expect(UInt256(bigEndian: minimal.lazy.map { $0 }) == a)
            #expect(UInt256(bigEndian: [UInt8](repeating: 0, count: 32 - minimal.count) + minimal) == a)
            var raw = [UInt8](repeating: 0xAA, count: 40)
            raw.withUnsafeMutableBytes { a.writeBigEndian(into: UnsafeMutableRawBufferPointer(rebasing: $0[4...])) }
            #expect(Array(raw[4..<36]) == full && raw[0..<4].allSatisfy { $0 == 0xAA } && raw[36...].allSatisfy { $0 == 0xAA })
        }
        #expect(UInt256(bigEndian: [UInt8]()) == .zero)
        #expect(UInt256(bigEndian: [UInt8](repeating: 0, count: 33)) == nil)
        #expect(UInt256(bigEndian: [UInt8](repeating: 1, count: 100)) == nil)
    }

    @Test func invalidTextIsRejected() {
        let badDecimal = [
            "", "-1", "+1", " 1", "1 ", "12a", "0x10", "1_000", "1.0", "١٢", "１",
            "115792089237316195423570985008687907853269984665640564039457584007913129639936",
            "115792089237316195423570985008687907853269984665640564039457584007913129639935" + "0",
            String(repeating: "9", count: 200),
        ]
        for text in badDecimal { #expect(UInt256(decimal: text) == nil, "decimal \(text.debugDescription)") }
        let badHex = [
            "", "0x", "0X", "x1", "0x-1", "-0x1", "0xg", "0x 1", "0x1 ", "00x1", "0xx1", "0x0x1", "ff ", "ｆ",
            "0x" + String(repeating: "1", count: 65), String(repeating: "f", count: 65),
        ]
        for text in badHex { #expect(UInt256(hex: text) == nil, "hex \(text.debugDescription)") }
        #expect(UInt256(hex: "0") == .zero)
        #expect(UInt256(hex: "0x0") == .zero)
        #expect(UInt256(hex: "x") == nil)
        #expect(UInt256(hex: "0x00ff") == 255)
        #expect(UInt256(hex: "0xAbC") == 0xABC)
        #expect(UInt256(decimal: "000") == .zero)
    }

    /// Random junk must never trap, and anything accepted must round-trip.
    @Test func textFuzzNeverTraps() {
        var rng = SplitMix64(seed: 14)
        let alphabet = Array("0123456789abcdefABCDEFxX -+_.é\u{0}９")
        for _ in 0..<caseCount {
            let text = String((0..<rng.below(80)).map { _ in alphabet[rng.below(alphabet.count)] })
            if let d = UInt256(decimal: text) {
                #expect(UInt256(decimal: d.decimalString) == d)
                #expect(BigRef(decimalText: text) == BigRef(d))
            }
            if let h = UInt256(hex: text) { #expect(UInt256(hex: h.hexString) == h) }
            let bytes = (0..<rng.below(40)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            if let b = UInt256(bigEndian: bytes) {
                #expect(bytes.count <= 32 && b.minimalBigEndianBytes == Array(bytes.drop { $0 == 0 }))
            } else {
                #expect(bytes.count > 32)
            }
        }
    }

    // MARK: Traps (programmer errors) stay traps

    @Test func trappingOperatorsTrap() async {
        await #expect(processExitsWith: .failure) { _ = UInt256.max + UInt256.one }
        await #expect(processExitsWith: .failure) { _ = UInt256.zero - UInt256.one }
        await #expect(processExitsWith: .failure) { _ = UInt256.max * UInt256(2) }
        await #expect(processExitsWith: .failure) { _ = UInt256.one / UInt256.zero }
        await #expect(processExitsWith: .failure) { _ = UInt256.one % UInt256.zero }
    }
}
