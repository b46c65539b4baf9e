import SankofaTestSupport
// A deliberately simple, slow, independent reference for checking UInt256: arbitrary-precision naturals as
// little-endian UInt32 digits with schoolbook algorithms and bit-by-bit division. It shares no code with the
// library (digit size, algorithms and text conversion all differ).
@testable import SankofaPrimitives

/// An arbitrary-precision natural number; `digits` has no trailing (most significant) zeros.
struct BigRef: Equatable, Comparable, CustomStringConvertible {
    private(set) var digits: [UInt32]

    init(digits: [UInt32]) {
        self.digits = digits
        normalize()
    }

    init(_ v: UInt64) {
        self.init(digits: [UInt32(truncatingIfNeeded: v), UInt32(truncatingIfNeeded: v >> 32)])
    }

    init(_ x: UInt256) {
        var d: [UInt32] = []
        for limb in [x.w0, x.w1, x.w2, x.w3] {
            d.append(UInt32(truncatingIfNeeded: limb))
            d.append(UInt32(truncatingIfNeeded: limb >> 32))
        }
        self.init(digits: d)
    }

    static let zero = BigRef(digits: [])
    /// 2^256, the modulus of wrapping arithmetic.
    static let twoTo256 = BigRef.powerOfTwo(256)

    static func powerOfTwo(_ k: Int) -> BigRef {
        var d = [UInt32](repeating: 0, count: k / 32 + 1)
        d[k / 32] = 1 << UInt32(k % 32)
        return BigRef(digits: d)
    }

    private mutating func normalize() {
        while let last = digits.last, last == 0 { digits.removeLast() }
    }

    var isZero: Bool { digits.isEmpty }

    func digit(_ i: Int) -> UInt32 { i < digits.count ? digits[i] : 0 }

    var bitLength: Int {
        guard let top = digits.last else { return 0 }
        return (digits.count - 1) * 32 + (32 - top.leadingZeroBitCount)
    }

    func bit(_ i: Int) -> Bool { (digit(i / 32) >> UInt32(i % 32)) & 1 == 1 }

    /// The value if it fits in 256 bits.
    var exact: UInt256? { digits.count <= 8 ? truncated : nil }

    /// The value modulo 2^256.
    var truncated: UInt256 {
        func limb(_ i: Int) -> UInt64 { UInt64(digit(2 * i)) | UInt64(digit(2 * i + 1)) << 32 }
        return UInt256(limbs: (limb(0), limb(1), limb(2), limb(3)))
    }

    static func < (a: BigRef, b: BigRef) -> Bool {
        if a.digits.count != b.digits.count { return a.digits.count < b.digits.count }
        for i in stride(from: a.digits.count - 1, through: 0, by: -1) where a.digits[i] != b.digits[i] {
            return a.digits[i] < b.digits[i]
        }
        return false
    }

    static func + (a: BigRef, b: BigRef) -> BigRef {
        let n = Swift.max(a.digits.count, b.digits.count)
        var out: [UInt32] = []
        var carry: UInt64 = 0
        for i in 0..<n {
            let s = UInt64(a.digit(i)) + UInt64(b.digit(i)) + carry
            out.append(UInt32(truncatingIfNeeded: s))
            carry = s >> 32
        }
        out.append(UInt32(carry))
        return BigRef(digits: out)
    }

    /// Requires a >= b.
    static func - (a: BigRef, b: BigRef) -> BigRef {
        precondition(!(a < b), "reference subtraction underflow")
        var out: [UInt32] = []
        var borrow: Int64 = 0
        for i in 0..<a.digits.count {
            var d = Int64(a.digit(i)) - Int64(b.digit(i)) - borrow
            borrow = 0
            if d < 0 { d += 1 << 32; borrow = 1 }
            out.append(UInt32(d))
        }
        return BigRef(digits: out)
    }

    static func * (a: BigRef, b: BigRef) -> BigRef {
        if a.isZero || b.isZero { return .zero }
        var out = [UInt32](repeating: 0, count: a.digits.count + b.digits.count)
        for i in 0..<a.digits.count {
            var carry: UInt64 = 0
            for j in 0..<b.digits.count {
                let t = UInt64(a.digits[i]) * UInt64(b.digits[j]) + UInt64(out[i + j]) + carry
                out[i + j] = UInt32(truncatingIfNeeded: t)
                carry = t >> 32
            }
            out[i + b.digits.count] = UInt32(carry)
        }
        return BigRef(digits: out)
    }

    /// Restoring binary long division, one bit at a time, on fixed-size digit arrays. Requires b != 0.
    static func divMod(_ a: BigRef, _ b: BigRef) -> (q: BigRef, r: BigRef) {
        precondition(!b.isZero)
        let width = Swift.max(a.digits.count, b.digits.count) + 1
        var q = [UInt32](repeating: 0, count: width)
        var r = [UInt32](repeating: 0, count: width)
        let d = b.digits + [UInt32](repeating: 0, count: width - b.digits.count)
        for i in stride(from: a.bitLength - 1, through: 0, by: -1) {
            // r = r * 2 + bit i of a
            var carry: UInt32 = a.bit(i) ? 1 : 0
            for k in 0..<width {
                let next = r[k] >> 31
                r[k] = r[k] << 1 | carry
                carry = next
            }
            // if r >= d { r -= d; set bit i of q }
            var geq = true
            for k in stride(from: width - 1, through: 0, by: -1) where r[k] != d[k] {
                geq = r[k] > d[k]
                break
            }
            if geq {
                var borrow: Int64 = 0
                for k in 0..<width {
                    var t = Int64(r[k]) - Int64(d[k]) - borrow
                    borrow = 0
                    if t < 0 { t += 1 << 32; borrow = 1 }
                    r[k] = UInt32(t)
                }
                q[i / 32] |= 1 << UInt32(i % 32)
            }
        }
        return (BigRef(digits: q), BigRef(digits: r))
    }

    func shiftedLeft(_ k: Int) -> BigRef {
        if isZero { return self }
        var out = [UInt32](repeating: 0, count: digits.count + k / 32 + 1)
        for i in 0..<bitLength where bit(i) {
            let j = i + k
            out[j / 32] |= 1 << UInt32(j % 32)
        }
        return BigRef(digits: out)
    }

    func shiftedRight(_ k: Int) -> BigRef {
        var out = [UInt32](repeating: 0, count: digits.count)
        var i = k
        while i < bitLength {
            if bit(i) { out[(i - k) / 32] |= 1 << UInt32((i - k) % 32) }
            i += 1
        }
        return BigRef(digits: out)
    }

    static func bitwise(_ a: BigRef, _ b: BigRef, _ op: (UInt32, UInt32) -> UInt32) -> BigRef {
        let n = Swift.max(a.digits.count, b.digits.count)
        return BigRef(digits: (0..<n).map { op(a.digit($0), b.digit($0)) })
    }

    /// Decimal by repeated short division by 10.
    var decimal: String {
        if isZero { return "0" }
        var d = digits
        var out: [Character] = []
        while !d.isEmpty {
            var rem: UInt64 = 0
            for i in stride(from: d.count - 1, through: 0, by: -1) {
                let cur = rem << 32 | UInt64(d[i])
                d[i] = UInt32(cur / 10)
                rem = cur % 10
            }
            out.append(Character(String(rem)))
            while let last = d.last, last == 0 { d.removeLast() }
        }
        return String(out.reversed())
    }

    /// Lowercase hex without prefix or leading zeros ("0" for zero), nibble by nibble.
    var hex: String {
        if isZero { return "0" }
        let table = Array("0123456789abcdef")
        let nibbles = (bitLength + 3) / 4
        var out = ""
        for i in stride(from: nibbles - 1, through: 0, by: -1) {
            out.append(table[Int((digit(i / 8) >> UInt32((i % 8) * 4)) & 0xF)])
        }
        return out
    }

    /// Parses decimal digits by multiply-and-add; nil on any non-digit.
    init?(decimalText: String) {
        if decimalText.isEmpty { return nil }
        var v = BigRef.zero
        for ch in decimalText {
            guard let d = ch.wholeNumberValue, ch.isASCII else { return nil }
            v = v * BigRef(digits: [10]) + BigRef(digits: [UInt32(d)])
        }
        self = v
    }

    var description: String { decimal }
}

/// Value generators for the UInt256 property tests, on the target's seeded `SplitMix64`.
extension SplitMix64 {
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }

    /// A limb biased toward the values that break carry, borrow and normalisation logic.
    mutating func interestingLimb() -> UInt64 {
        switch below(10) {
        case 0: return 0
        case 1: return 1
        case 2: return .max
        case 3: return 1 << 63
        case 4: return .max - 1
        case 5: return (1 << 63) - 1
        case 6: return 1 << UInt64(below(64))
        case 7: return UInt64(below(1000))
        case 8: return (1 << 63) | 1
        default: return next()
        }
    }

    /// A value drawn from a mix of shapes: edge constants, random, patterned limbs, short values, powers of two.
    mutating func value() -> UInt256 {
        switch below(9) {
        case 0: return edgeValues[below(edgeValues.count)]
        case 1: return UInt256(limbs: (next(), next(), next(), next()))
        case 2: return UInt256(limbs: (interestingLimb(), interestingLimb(), interestingLimb(), interestingLimb()))
        case 3: return UInt256(limbs: (next(), next(), next(), next())) >> below(256)
        case 4:
            let p = UInt256.one << below(256)
            switch below(3) {
            case 0: return p
            case 1: return p &- .one
            default: return p &+ .one
            }
        case 5: return value(limbs: below(4) + 1)
        case 6: // zero middle limbs
            return UInt256(limbs: (next(), below(2) == 0 ? 0 : next(), 0, next()))
        case 7: return UInt256(limbs: (0, 0, interestingLimb(), interestingLimb()))
        default: return UInt256(limbs: (interestingLimb(), next(), interestingLimb(), next()))
        }
    }

    /// A value whose highest non-zero limb is limb `limbs - 1` (1…4 limbs).
    mutating func value(limbs: Int) -> UInt256 {
        var l: [UInt64] = (0..<4).map { $0 < limbs ? (below(2) == 0 ? interestingLimb() : next()) : 0 }
        if l[limbs - 1] == 0 { l[limbs - 1] = below(2) == 0 ? 1 : next() | 1 }
        return UInt256(limbs: (l[0], l[1], l[2], l[3]))
    }
}

/// Values that sit on limb and type boundaries.
let edgeValues: [UInt256] = {
    var v: [UInt256] = [0, 1, 2, 3, 10, UInt256(UInt64.max), UInt256(UInt64.max - 1), .max, .max &- .one]
    for k in [63, 64, 65, 127, 128, 129, 191, 192, 193, 255] {
        let p = UInt256.one << k
        v += [p, p &- .one, p &+ .one]
    }
    v.append(UInt256(limbs: (1, 0, 0, 1)))
    v.append(UInt256(limbs: (.max, 0, 0, .max)))
    v.append(UInt256(limbs: (0, .max, .max, 0)))
    v.append(UInt256(limbs: (0, 0, 0, 1 << 63)))
    return v
}()
