// Division: a one-limb fast path, otherwise Knuth's Algorithm D (TAOCP vol. 2, §4.3.1) on 64-bit limbs,
// following the structure of Hacker's Delight `divmnu64`. Scratch limbs live in a stack allocation.

extension UInt256 {
    /// Quotient and remainder; traps on division by zero like Swift integers.
    public func quotientAndRemainder(dividingBy divisor: UInt256) -> (quotient: UInt256, remainder: UInt256) {
        precondition(!divisor.isZero, "UInt256 division by zero")
        return Self.divide(self, by: divisor)
    }

    /// The quotient and `overflow == true` for division by zero, in which case the partial value is the dividend
    /// (as `FixedWidthInteger.dividedReportingOverflow`). EVM `DIV`, which defines x / 0 = 0, must map that itself.
    public func dividedReportingOverflow(by divisor: UInt256) -> (partialValue: UInt256, overflow: Bool) {
        if divisor.isZero { return (self, true) }
        return (Self.divide(self, by: divisor).quotient, false)
    }

    /// The remainder and `overflow == true` for division by zero, in which case the partial value is the dividend
    /// (as `FixedWidthInteger.remainderReportingOverflow`).
    public func remainderReportingOverflow(dividingBy divisor: UInt256) -> (partialValue: UInt256, overflow: Bool) {
        if divisor.isZero { return (self, true) }
        return (Self.divide(self, by: divisor).remainder, false)
    }

    /// Quotient; traps on division by zero.
    public static func / (a: UInt256, b: UInt256) -> UInt256 { a.quotientAndRemainder(dividingBy: b).quotient }
    /// Remainder; traps on division by zero.
    public static func % (a: UInt256, b: UInt256) -> UInt256 { a.quotientAndRemainder(dividingBy: b).remainder }
    /// Divides in place; traps on division by zero.
    public static func /= (a: inout UInt256, b: UInt256) { a = a / b }
    /// Takes the remainder in place; traps on division by zero.
    public static func %= (a: inout UInt256, b: UInt256) { a = a % b }

    /// Divides by a non-zero single limb: four hardware 128/64 divisions, used by the fast path and `decimalString`.
    func quotientAndRemainder(dividingByLimb d: UInt64) -> (quotient: UInt256, remainder: UInt64) {
        var r: UInt64 = 0
        var q = UInt256.zero
        for i in stride(from: 3, through: 0, by: -1) {
            let (qi, ri) = d.dividingFullWidth((high: r, low: limb(i)))  // r < d, so this cannot overflow
            q.setLimb(i, qi)
            r = ri
        }
        return (q, r)
    }

    /// Division for a non-zero divisor.
    static func divide(_ u: UInt256, by v: UInt256) -> (quotient: UInt256, remainder: UInt256) {
        if u < v { return (.zero, u) }
        if (v.w1 | v.w2 | v.w3) == 0 {
            let (q, r) = u.quotientAndRemainder(dividingByLimb: v.w0)
            return (q, UInt256(r))
        }
        return knuthDivide(u, v)
    }

    /// Algorithm D for `u >= v` with `v` of at least two limbs.
    private static func knuthDivide(_ u: UInt256, _ v: UInt256) -> (quotient: UInt256, remainder: UInt256) {
        let n = v.limbCount  // 2...4
        let m = u.limbCount  // n...4
        // D1: normalise so the divisor's top limb has its high bit set; this makes the quotient-digit
        // estimate at most two too large.
        let s = v.limb(n - 1).leadingZeroBitCount
        let vn = v << s  // cannot lose bits: the top limb had `s` leading zeros
        let us = u << s
        let spill: UInt64 = s == 0 ? 0 : u.limb(m - 1) &>> UInt64(64 - s)

        return withUnsafeTemporaryAllocation(of: UInt64.self, capacity: 5) { buffer in
            let un = buffer.baseAddress!  // 5 limbs: u << s plus the bits that spilled out of limb m - 1
            for i in 0..<5 { (un + i).initialize(to: us.limb(i)) }
            un[m] = spill  // limbs above m are zero already
            let vTop = vn.limb(n - 1)
            let vNext = vn.limb(n - 2)
            var q = UInt256.zero

            // D2–D7: one quotient limb per step, most significant first.
            var j = m - n
            while j >= 0 {
                // D3: estimate qhat from the top two remainder limbs, then refine it with the third.
                let top = un[j + n]
                let below = un[j + n - 1]
                var qhat: UInt64
                var rhat: UInt64
                var rhatOverflow = false
                if top >= vTop {
                    // The true estimate is >= 2^64; the quotient limb is < 2^64, so start at 2^64 - 1.
                    // The loop invariant gives top == vTop, so rhat = top * 2^64 + below - qhat * vTop.
                    qhat = .max
                    (rhat, rhatOverflow) = below.addingReportingOverflow(vTop)
                } else {
                    (qhat, rhat) = vTop.dividingFullWidth((high: top, low: below))
                }
                while !rhatOverflow {
                    let (ph, pl) = qhat.multipliedFullWidth(by: vNext)
                    let third = un[j + n - 2]
                    guard ph > rhat || (ph == rhat && pl > third) else { break }
                    qhat -= 1
                    (rhat, rhatOverflow) = rhat.addingReportingOverflow(vTop)
                }

                // D4: subtract qhat * vn from the window un[j ... j + n].
                var mulCarry: UInt64 = 0
                var borrow = false
                for i in 0..<n {
                    let (ph, pl) = qhat.multipliedFullWidth(by: vn.limb(i))
                    let (low, c) = pl.addingReportingOverflow(mulCarry)
                    mulCarry = ph &+ (c ? 1 : 0)
                    un[i + j] = subLimb(un[i + j], low, &borrow)
                }
                un[j + n] = subLimb(un[j + n], mulCarry, &borrow)

                // D5–D6: if that went negative (rare, probability about 2 / 2^64), qhat was one too large.
                if borrow {
                    qhat -= 1
                    var carry = false
                    for i in 0..<n {
                        un[i + j] = addLimb(un[i + j], vn.limb(i), &carry)
                    }
                    un[j + n] = un[j + n] &+ (carry ? 1 : 0)  // the carry cancels the earlier borrow
                }
                q.setLimb(j, qhat)
                j -= 1
            }

            // D8: the remainder is un[0 ..< n] shifted back by s.
            var r = UInt256.zero
            for i in 0..<n {
                var word = un[i] &>> UInt64(s)
                if s != 0 { word |= un[i + 1] &<< UInt64(64 - s) }
                r.setLimb(i, word)
            }
            return (q, r)
        }
    }
}
