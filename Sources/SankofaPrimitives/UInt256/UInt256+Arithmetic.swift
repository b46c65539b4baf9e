// Addition, subtraction and multiplication on four 64-bit limbs, with carries propagated explicitly.

extension UInt256 {
    /// `a + b + carry` on one limb, updating `carry`.
    @inline(__always)
    static func addLimb(_ a: UInt64, _ b: UInt64, _ carry: inout Bool) -> UInt64 {
        let (s1, o1) = a.addingReportingOverflow(b)
        let (s2, o2) = s1.addingReportingOverflow(carry ? 1 : 0)
        carry = o1 || o2
        return s2
    }

    /// `a - b - borrow` on one limb, updating `borrow`.
    @inline(__always)
    static func subLimb(_ a: UInt64, _ b: UInt64, _ borrow: inout Bool) -> UInt64 {
        let (d1, o1) = a.subtractingReportingOverflow(b)
        let (d2, o2) = d1.subtractingReportingOverflow(borrow ? 1 : 0)
        borrow = o1 || o2
        return d2
    }

    /// `a * b + c + carry`, returning the low limb and leaving the high limb in `carry`.
    /// Cannot overflow: (2⁶⁴−1)² + 2(2⁶⁴−1) = 2¹²⁸ − 1.
    @inline(__always)
    static func mulAdd(_ a: UInt64, _ b: UInt64, _ c: UInt64, _ carry: inout UInt64) -> UInt64 {
        let (high, low) = a.multipliedFullWidth(by: b)
        let (l1, o1) = low.addingReportingOverflow(c)
        let (l2, o2) = l1.addingReportingOverflow(carry)
        carry = high &+ (o1 ? 1 : 0) &+ (o2 ? 1 : 0)
        return l2
    }

    /// Adds `a * b` into the four limbs `x0…x3` and returns the carry out (the next limb up).
    @inline(__always)
    static func mulAddRow(
        _ a: UInt64, _ b: UInt256,
        _ x0: inout UInt64, _ x1: inout UInt64, _ x2: inout UInt64, _ x3: inout UInt64
    ) -> UInt64 {
        var carry: UInt64 = 0
        x0 = mulAdd(a, b.w0, x0, &carry)
        x1 = mulAdd(a, b.w1, x1, &carry)
        x2 = mulAdd(a, b.w2, x2, &carry)
        x3 = mulAdd(a, b.w3, x3, &carry)
        return carry
    }

    // MARK: Reporting overflow

    /// The sum modulo 2²⁵⁶ and whether it wrapped, as `FixedWidthInteger.addingReportingOverflow`.
    public func addingReportingOverflow(_ other: UInt256) -> (partialValue: UInt256, overflow: Bool) {
        var carry = false
        let r0 = Self.addLimb(w0, other.w0, &carry)
        let r1 = Self.addLimb(w1, other.w1, &carry)
        let r2 = Self.addLimb(w2, other.w2, &carry)
        let r3 = Self.addLimb(w3, other.w3, &carry)
        return (UInt256(limbs: (r0, r1, r2, r3)), carry)
    }

    /// The difference modulo 2²⁵⁶ and whether it wrapped (`other > self`).
    public func subtractingReportingOverflow(_ other: UInt256) -> (partialValue: UInt256, overflow: Bool) {
        var borrow = false
        let r0 = Self.subLimb(w0, other.w0, &borrow)
        let r1 = Self.subLimb(w1, other.w1, &borrow)
        let r2 = Self.subLimb(w2, other.w2, &borrow)
        let r3 = Self.subLimb(w3, other.w3, &borrow)
        return (UInt256(limbs: (r0, r1, r2, r3)), borrow)
    }

    /// The full 512-bit product as two halves, for modular arithmetic and overflow detection.
    public func multipliedFullWidth(by other: UInt256) -> (high: UInt256, low: UInt256) {
        var r0: UInt64 = 0, r1: UInt64 = 0, r2: UInt64 = 0, r3: UInt64 = 0
        var r4: UInt64 = 0, r5: UInt64 = 0, r6: UInt64 = 0
        r4 = Self.mulAddRow(w0, other, &r0, &r1, &r2, &r3)
        r5 = Self.mulAddRow(w1, other, &r1, &r2, &r3, &r4)
        r6 = Self.mulAddRow(w2, other, &r2, &r3, &r4, &r5)
        let r7 = Self.mulAddRow(w3, other, &r3, &r4, &r5, &r6)
        return (UInt256(limbs: (r4, r5, r6, r7)), UInt256(limbs: (r0, r1, r2, r3)))
    }

    /// The product modulo 2²⁵⁶ and whether any bits were lost.
    public func multipliedReportingOverflow(by other: UInt256) -> (partialValue: UInt256, overflow: Bool) {
        let (high, low) = multipliedFullWidth(by: other)
        return (low, !high.isZero)
    }

    /// The product modulo 2²⁵⁶, computing only the ten limb products that reach the low half.
    func wrappingMultiplied(by b: UInt256) -> UInt256 {
        var carry: UInt64 = 0
        let r0 = Self.mulAdd(w0, b.w0, 0, &carry)
        var r1 = Self.mulAdd(w0, b.w1, 0, &carry)
        var r2 = Self.mulAdd(w0, b.w2, 0, &carry)
        var r3 = w0 &* b.w3 &+ carry
        carry = 0
        r1 = Self.mulAdd(w1, b.w0, r1, &carry)
        r2 = Self.mulAdd(w1, b.w1, r2, &carry)
        r3 = r3 &+ w1 &* b.w2 &+ carry
        carry = 0
        r2 = Self.mulAdd(w2, b.w0, r2, &carry)
        r3 = r3 &+ w2 &* b.w1 &+ carry
        r3 = r3 &+ w3 &* b.w0
        return UInt256(limbs: (r0, r1, r2, r3))
    }

    /// Multiplies by one limb, returning the low 256 bits and the limb that overflowed out of them
    /// (used by decimal parsing).
    func multipliedFullWidth(byLimb m: UInt64) -> (high: UInt64, low: UInt256) {
        var carry: UInt64 = 0
        let r0 = Self.mulAdd(w0, m, 0, &carry)
        let r1 = Self.mulAdd(w1, m, 0, &carry)
        let r2 = Self.mulAdd(w2, m, 0, &carry)
        let r3 = Self.mulAdd(w3, m, 0, &carry)
        return (carry, UInt256(limbs: (r0, r1, r2, r3)))
    }

    // MARK: Checked (money) arithmetic

    /// The sum, or `nil` on overflow: for balances, where overflow must be handled, not trapped.
    public func checkedAdd(_ other: UInt256) -> UInt256? {
        let (r, o) = addingReportingOverflow(other)
        return o ? nil : r
    }

    /// The difference, or `nil` when `other > self` (insufficient funds).
    public func checkedSub(_ other: UInt256) -> UInt256? {
        let (r, o) = subtractingReportingOverflow(other)
        return o ? nil : r
    }

    /// The product, or `nil` on overflow (gas × price, value × rate).
    public func checkedMul(_ other: UInt256) -> UInt256? {
        let (r, o) = multipliedReportingOverflow(by: other)
        return o ? nil : r
    }

    // MARK: Operators

    /// Sum; traps on overflow like Swift integers — use only where overflow is a programmer error.
    public static func + (a: UInt256, b: UInt256) -> UInt256 {
        let (r, o) = a.addingReportingOverflow(b)
        precondition(!o, "UInt256 addition overflow")
        return r
    }

    /// Difference; traps when `b > a` — use only where underflow is a programmer error.
    public static func - (a: UInt256, b: UInt256) -> UInt256 {
        let (r, o) = a.subtractingReportingOverflow(b)
        precondition(!o, "UInt256 subtraction overflow")
        return r
    }

    /// Product; traps on overflow — use only where overflow is a programmer error.
    public static func * (a: UInt256, b: UInt256) -> UInt256 {
        let (r, o) = a.multipliedReportingOverflow(by: b)
        precondition(!o, "UInt256 multiplication overflow")
        return r
    }

    /// Sum modulo 2²⁵⁶ (EVM `ADD`).
    public static func &+ (a: UInt256, b: UInt256) -> UInt256 { a.addingReportingOverflow(b).partialValue }

    /// Difference modulo 2²⁵⁶ (EVM `SUB`).
    public static func &- (a: UInt256, b: UInt256) -> UInt256 { a.subtractingReportingOverflow(b).partialValue }

    /// Product modulo 2²⁵⁶ (EVM `MUL`).
    public static func &* (a: UInt256, b: UInt256) -> UInt256 { a.wrappingMultiplied(by: b) }

    /// Adds in place; traps on overflow.
    public static func += (a: inout UInt256, b: UInt256) { a = a + b }
    /// Subtracts in place; traps on underflow.
    public static func -= (a: inout UInt256, b: UInt256) { a = a - b }
    /// Multiplies in place; traps on overflow.
    public static func *= (a: inout UInt256, b: UInt256) { a = a * b }
    /// Adds in place modulo 2²⁵⁶.
    public static func &+= (a: inout UInt256, b: UInt256) { a = a &+ b }
    /// Subtracts in place modulo 2²⁵⁶.
    public static func &-= (a: inout UInt256, b: UInt256) { a = a &- b }
    /// Multiplies in place modulo 2²⁵⁶.
    public static func &*= (a: inout UInt256, b: UInt256) { a = a &* b }
}
