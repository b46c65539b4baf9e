// Bitwise operators and shifts. Shifts never trap: 256 or more shifts everything out, and a negative count
// shifts the other way (Swift's "smart shift" semantics).

extension UInt256 {
    /// Bitwise AND (masks, EVM `AND`).
    public static func & (a: UInt256, b: UInt256) -> UInt256 {
        UInt256(limbs: (a.w0 & b.w0, a.w1 & b.w1, a.w2 & b.w2, a.w3 & b.w3))
    }

    /// Bitwise OR (EVM `OR`).
    public static func | (a: UInt256, b: UInt256) -> UInt256 {
        UInt256(limbs: (a.w0 | b.w0, a.w1 | b.w1, a.w2 | b.w2, a.w3 | b.w3))
    }

    /// Bitwise XOR (EVM `XOR`).
    public static func ^ (a: UInt256, b: UInt256) -> UInt256 {
        UInt256(limbs: (a.w0 ^ b.w0, a.w1 ^ b.w1, a.w2 ^ b.w2, a.w3 ^ b.w3))
    }

    /// Bitwise NOT, i.e. `max - a` (EVM `NOT`).
    public static prefix func ~ (a: UInt256) -> UInt256 {
        UInt256(limbs: (~a.w0, ~a.w1, ~a.w2, ~a.w3))
    }

    /// ANDs in place.
    public static func &= (a: inout UInt256, b: UInt256) { a = a & b }
    /// ORs in place.
    public static func |= (a: inout UInt256, b: UInt256) { a = a | b }
    /// XORs in place.
    public static func ^= (a: inout UInt256, b: UInt256) { a = a ^ b }

    /// Shift toward the most significant bit; bits shifted past 2²⁵⁵ are lost, `>= 256` gives zero
    /// (EVM `SHL`), a negative count shifts right.
    public static func << (a: UInt256, count: Int) -> UInt256 {
        if count < 0 { return count <= -256 ? .zero : a.shiftedRight(-count) }
        return count >= 256 ? .zero : a.shiftedLeft(count)
    }

    /// Shift toward the least significant bit; `>= 256` gives zero (EVM `SHR`), a negative count shifts left.
    public static func >> (a: UInt256, count: Int) -> UInt256 {
        if count < 0 { return count <= -256 ? .zero : a.shiftedLeft(-count) }
        return count >= 256 ? .zero : a.shiftedRight(count)
    }

    /// Shifts left in place.
    public static func <<= (a: inout UInt256, count: Int) { a = a << count }
    /// Shifts right in place.
    public static func >>= (a: inout UInt256, count: Int) { a = a >> count }

    /// Left shift for `0 <= count < 256`.
    func shiftedLeft(_ count: Int) -> UInt256 {
        let limbs = count >> 6
        let bits = UInt64(count & 63)
        var result = UInt256.zero
        for i in limbs..<4 {
            var v = limb(i - limbs) &<< bits
            if bits != 0 { v |= limb(i - limbs - 1) &>> (64 - bits) }
            result.setLimb(i, v)
        }
        return result
    }

    /// Right shift for `0 <= count < 256`.
    func shiftedRight(_ count: Int) -> UInt256 {
        let limbs = count >> 6
        let bits = UInt64(count & 63)
        var result = UInt256.zero
        for i in 0..<(4 - limbs) {
            var v = limb(i + limbs) &>> bits
            if bits != 0 { v |= limb(i + limbs + 1) &<< (64 - bits) }
            result.setLimb(i, v)
        }
        return result
    }
}
