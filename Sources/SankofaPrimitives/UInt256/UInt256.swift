/// A 256-bit unsigned integer: the word of the Ethereum data model (balances, nonces beyond 64 bits, gas
/// prices, storage values) as defined in the Yellow Paper, §4.
///
/// Four inline `UInt64` limbs, least significant first, so a value is 32 bytes on the stack and no operation
/// allocates. Arithmetic follows Swift's integer conventions: `+ - * / %` trap on overflow or division by
/// zero (a programmer error), `&+ &- &*` wrap, and the `…ReportingOverflow` / `checked…` forms report instead.
/// Everything that reads external input (bytes, text) returns `nil` rather than trapping.
public struct UInt256: Sendable, Hashable {
    /// Limb 0, bits 0–63 (least significant).
    public var w0: UInt64
    /// Limb 1, bits 64–127.
    public var w1: UInt64
    /// Limb 2, bits 128–191.
    public var w2: UInt64
    /// Limb 3, bits 192–255 (most significant).
    public var w3: UInt64

    /// Builds a value from its limbs, least significant first — the cheapest way in from other word-based code.
    public init(limbs: (UInt64, UInt64, UInt64, UInt64)) {
        (w0, w1, w2, w3) = limbs
    }

    /// Widens a 64-bit value, which always fits.
    public init(_ v: UInt64) {
        w0 = v; w1 = 0; w2 = 0; w3 = 0
    }

    /// Converts any integer, returning `nil` when it is negative or does not fit in 256 bits, so callers
    /// never trap on a value they did not produce (for example `UInt256(exactly: someInt)`).
    public init?<T: BinaryInteger>(exactly source: T) {
        if source < 0 { return nil }
        var result = UInt256.zero
        var shift = 0
        for word in source.words {
            if shift >= 256 {
                if word != 0 { return nil }
            } else {
                result.setLimb(shift >> 6, result.limb(shift >> 6) | UInt64(word) &<< UInt64(shift & 63))
            }
            shift += UInt.bitWidth
        }
        self = result
    }

    /// The limbs, least significant first, for code that works limb by limb.
    public var limbs: (UInt64, UInt64, UInt64, UInt64) { (w0, w1, w2, w3) }

    /// Zero, the additive identity and the default balance.
    public static let zero = UInt256(0)
    /// One, the multiplicative identity.
    public static let one = UInt256(1)
    /// 2²⁵⁶ − 1, the largest value (all bits set).
    public static let max = UInt256(limbs: (.max, .max, .max, .max))

    /// True when the value is zero; cheaper than comparing with `.zero`.
    public var isZero: Bool { (w0 | w1 | w2 | w3) == 0 }

    /// The value as a `UInt64`, or `nil` when it needs more than 64 bits (used for nonces, gas, RLP fast path).
    public var asUInt64: UInt64? { (w1 | w2 | w3) == 0 ? w0 : nil }

    /// The width of the type in bits, always 256 (as `FixedWidthInteger.bitWidth`).
    public static var bitWidth: Int { 256 }
    /// The width of a value in bits, always 256 (as `BinaryInteger.bitWidth`); see `significantBitCount`.
    public var bitWidth: Int { 256 }

    /// Number of zero bits above the highest set bit (256 for zero), for sizing and normalisation.
    public var leadingZeroBitCount: Int {
        if w3 != 0 { return w3.leadingZeroBitCount }
        if w2 != 0 { return 64 + w2.leadingZeroBitCount }
        if w1 != 0 { return 128 + w1.leadingZeroBitCount }
        return 192 + w0.leadingZeroBitCount
    }

    /// Number of zero bits below the lowest set bit (256 for zero).
    public var trailingZeroBitCount: Int {
        if w0 != 0 { return w0.trailingZeroBitCount }
        if w1 != 0 { return 64 + w1.trailingZeroBitCount }
        if w2 != 0 { return 128 + w2.trailingZeroBitCount }
        return 192 + w3.trailingZeroBitCount
    }

    /// Number of bits needed to write the value (0 for zero): 256 − `leadingZeroBitCount`.
    public var significantBitCount: Int { 256 - leadingZeroBitCount }

    /// Number of bytes in the minimal big-endian form (0 for zero) — the RLP payload length.
    public var byteCount: Int { (significantBitCount + 7) >> 3 }

    /// Limb `i` (0…3), or zero outside that range so shifts can read past the ends.
    func limb(_ i: Int) -> UInt64 {
        switch i {
        case 0: return w0
        case 1: return w1
        case 2: return w2
        case 3: return w3
        default: return 0
        }
    }

    /// Sets limb `i` (0…3); other indices are ignored.
    mutating func setLimb(_ i: Int, _ value: UInt64) {
        switch i {
        case 0: w0 = value
        case 1: w1 = value
        case 2: w2 = value
        case 3: w3 = value
        default: break
        }
    }

    /// Number of limbs up to the highest non-zero one (0 for zero).
    var limbCount: Int {
        if w3 != 0 { return 4 }
        if w2 != 0 { return 3 }
        if w1 != 0 { return 2 }
        return w0 != 0 ? 1 : 0
    }
}

// MARK: - Protocols

extension UInt256: Comparable {
    /// Numeric order, most significant limb first.
    public static func < (a: UInt256, b: UInt256) -> Bool {
        if a.w3 != b.w3 { return a.w3 < b.w3 }
        if a.w2 != b.w2 { return a.w2 < b.w2 }
        if a.w1 != b.w1 { return a.w1 < b.w1 }
        return a.w0 < b.w0
    }
}

extension UInt256: ExpressibleByIntegerLiteral {
    /// Literals up to `UInt64.max`; larger constants come from `init?(hex:)` or shifts.
    public init(integerLiteral value: UInt64) {
        self.init(value)
    }
}

extension UInt256: CustomStringConvertible {
    /// Decimal, as people read amounts.
    public var description: String { decimalString }
}

// MARK: - Big-endian bytes

extension UInt256 {
    /// Reads a big-endian integer of 0…32 bytes (leading zeros allowed, empty is zero), as stored in RLP,
    /// ABI words and storage slots. Returns `nil` for more than 32 bytes instead of truncating.
    public init?(bigEndian bytes: some Collection<UInt8>) {
        let count = bytes.count
        guard count <= 32 else { return nil }
        var result = UInt256.zero
        var position = count  // byte position from the least significant end, plus one
        for byte in bytes {
            position -= 1
            guard position >= 0 else { return nil }  // a collection whose count lied
            let limbIndex = position >> 3
            result.setLimb(limbIndex, result.limb(limbIndex) | UInt64(byte) &<< UInt64((position & 7) << 3))
        }
        guard position == 0 else { return nil }
        self = result
    }

    /// The value as exactly 32 big-endian bytes (an ABI word, a storage slot value).
    public var bigEndianBytes: [UInt8] {
        [UInt8](unsafeUninitializedCapacity: 32) { buffer, initialized in
            writeBigEndian(into: UnsafeMutableRawBufferPointer(buffer))
            initialized = 32
        }
    }

    /// The value as big-endian bytes without leading zeros (zero is empty): the RLP integer encoding.
    public var minimalBigEndianBytes: [UInt8] {
        let n = byteCount
        return [UInt8](unsafeUninitializedCapacity: n) { buffer, initialized in
            for i in 0..<n {
                buffer[n - 1 - i] = UInt8(truncatingIfNeeded: limb(i >> 3) &>> UInt64((i & 7) << 3))
            }
            initialized = n
        }
    }

    /// Writes the 32 big-endian bytes at the start of `buffer` (which must hold at least 32 bytes), so encoders
    /// can fill a preallocated output without an intermediate array.
    public func writeBigEndian(into buffer: UnsafeMutableRawBufferPointer) {
        precondition(buffer.count >= 32, "UInt256.writeBigEndian needs 32 bytes")
        buffer.storeBytes(of: w3.bigEndian, toByteOffset: 0, as: UInt64.self)
        buffer.storeBytes(of: w2.bigEndian, toByteOffset: 8, as: UInt64.self)
        buffer.storeBytes(of: w1.bigEndian, toByteOffset: 16, as: UInt64.self)
        buffer.storeBytes(of: w0.bigEndian, toByteOffset: 24, as: UInt64.self)
    }
}
