/// Well-formed UTF-8 as defined by Unicode §3.9, Table 3-7: no overlong forms, no surrogates, nothing above
/// U+10FFFF, no truncated sequences. The one definition both the ABI decoder and the JSON parser use.
///
/// The standard library's `String(decoding:as:)` silently repairs bad bytes with U+FFFD, which would let two
/// different inputs decode to the same string; `String(validating:as:)` needs macOS 15. So decoders check first,
/// with an 8-bytes-at-a-time fast path for ASCII.
public enum UTF8Validation {
    /// What starts at a byte ≥ 0x80.
    public enum Sequence: Equatable, Sendable {
        /// A well-formed multi-byte sequence of this many bytes.
        case valid(length: Int)
        /// A byte that may not appear there (stray continuation, overlong, surrogate, above U+10FFFF).
        case invalid
        /// The input ends inside the sequence.
        case truncated
    }

    /// Checks the multi-byte sequence whose lead byte is at `index` (which must be ≥ 0x80), reading no further than
    /// `end`. The second byte's allowed range depends on the lead (Table 3-7); later bytes are plain continuations.
    @inline(__always)
    public static func sequence(at index: Int, in bytes: UnsafeBufferPointer<UInt8>, end: Int) -> Sequence {
        let length: Int
        var low: UInt8 = 0x80, high: UInt8 = 0xBF
        switch bytes[index] {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; low = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; high = 0x9F
        case 0xF0: length = 4; low = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; high = 0x8F
        default: return .invalid
        }
        for k in 1..<length {
            guard index + k < end else { return .truncated }
            let byte = bytes[index + k]
            guard byte >= low, byte <= high else { return .invalid }
            (low, high) = (0x80, 0xBF)
        }
        return .valid(length: length)
    }

    /// Whether all of `bytes` is well-formed UTF-8.
    public static func isValid(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { isValid($0) }
    }

    /// Whether all of `bytes` is well-formed UTF-8.
    public static func isValid(_ bytes: UnsafeRawBufferPointer) -> Bool {
        let n = bytes.count
        guard n > 0 else { return true }
        let octets = bytes.assumingMemoryBound(to: UInt8.self)
        var i = 0
        while i < n {
            // ASCII fast path, one word at a time.
            if i + 8 <= n, bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                i += 8
                continue
            }
            if octets[i] < 0x80 {
                i += 1
                continue
            }
            guard case .valid(let length) = sequence(at: i, in: octets, end: n) else { return false }
            i += length
        }
        return true
    }
}
