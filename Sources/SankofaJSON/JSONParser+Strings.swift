import SankofaPrimitives

/// String decoding: RFC 8259 §7 escapes and strict UTF-8 (Unicode Table 3-7).
///
/// Why validate here instead of letting `String(decoding:as:)` repair bad bytes: repair silently turns a
/// client's malformed bytes into U+FFFD, so two different inputs would parse to the same request; a strict
/// parser reports `invalidUTF8` with the offending offset instead. After validation the bytes are known good,
/// so `String(decoding:as:)` is only a copy (plus its own quick check).
extension JSONParser.Reader {
    /// Reads a string whose opening quote has been consumed, leaving `i` after the closing quote.
    ///
    /// Fast path: JSON-RPC strings are overwhelmingly ASCII without escapes (method names, hex quantities,
    /// hashes), so scan 8 bytes at a time for a quote, backslash, control or non-ASCII byte and, when the
    /// first such byte is the closing quote, make the `String` straight from the input range.
    @inline(__always)
    mutating func parseString() throws(JSONParseError) -> String {
        let start = i
        i = skipPlainASCII(from: i)
        if i < end, bytes[i] == JSONByte.quote {
            let length = i - start
            guard length <= maxStringBytes else { throw stringTooLong(length) }
            let s = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)
            i += 1
            return s
        }
        return try parseStringSlowly(from: start)
    }

    /// Index of the first byte at or after `from` that is a quote, backslash, control byte or non-ASCII
    /// (or `end`). Eight bytes per step with SWAR tests (each test is exact about *whether* a word holds such a
    /// byte), then byte by byte inside the word that does.
    @inline(__always)
    func skipPlainASCII(from start: Int) -> Int {
        var j = start
        if let base = bytes.baseAddress {
            let raw = UnsafeRawPointer(base)
            while j + 8 <= end {
                let w = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: j, as: UInt64.self))
                if Self.hasSpecialByte(w) { break }
                j += 8
            }
        }
        while j < end {
            let b = bytes[j]
            if b == JSONByte.quote || b == JSONByte.backslash || b < 0x20 || b >= 0x80 { break }
            j += 1
        }
        return j
    }

    /// Whether any byte of `w` is `"`, `\`, below 0x20 or at least 0x80 (the classic "has zero byte" trick).
    @inline(__always)
    static func hasSpecialByte(_ w: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        let quote = w ^ (ones &* 0x22), backslash = w ^ (ones &* 0x5C)
        let hasQuote = (quote &- ones) & ~quote
        let hasBackslash = (backslash &- ones) & ~backslash
        let hasControl = w &- (ones &* 0x20)  // borrows into a byte's high bit when that byte is < 0x20
        return ((hasQuote | hasBackslash | hasControl) & ~w | w) & highs != 0
    }

    /// The general case: escapes, non-ASCII UTF-8, and errors. Bytes are copied to `scratch` only once an
    /// escape has been seen; until then the result is still made straight from the input.
    mutating func parseStringSlowly(from start: Int) throws(JSONParseError) -> String {
        var runStart = start  // input bytes [runStart, i) are verbatim and not yet in `scratch`
        var escaped = false
        while true {
            i = skipPlainASCII(from: i)
            guard i < end else { throw .unexpectedEnd(offset: end) }
            let b = bytes[i]
            if b == JSONByte.quote {
                let result: String
                if escaped {
                    scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<i]))
                    guard scratch.count <= maxStringBytes else { throw stringTooLong(scratch.count) }
                    result = String(decoding: scratch, as: UTF8.self)
                } else {
                    guard i - start <= maxStringBytes else { throw stringTooLong(i - start) }
                    result = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)
                }
                i += 1
                return result
            } else if b == JSONByte.backslash {
                if !escaped {
                    escaped = true
                    scratch.removeAll(keepingCapacity: true)
                }
                scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<i]))
                try appendEscape()
                runStart = i
            } else if b < 0x20 {
                throw .controlCharacterInString(offset: i)
            } else {
                try skipUTF8Sequence()
            }
        }
    }

    func stringTooLong(_ length: Int) -> JSONParseError {
        .tooLarge("string of \(length) bytes exceeds the limit of \(maxStringBytes)")
    }

    /// Steps over one multi-byte UTF-8 sequence at `i`, refusing what Unicode Table 3-7 does not allow (stray
    /// continuation bytes, overlongs, UTF-16 surrogates, code points above U+10FFFF).
    @inline(__always)
    mutating func skipUTF8Sequence() throws(JSONParseError) {
        switch UTF8Validation.sequence(at: i, in: bytes, end: end) {
        case .valid(let length): i += length
        case .invalid: throw .invalidUTF8(offset: i)
        case .truncated: throw .unexpectedEnd(offset: end)
        }
    }

    /// Decodes the escape at `i` (a backslash) into `scratch` and steps over it. `\u` escapes that form a
    /// UTF-16 surrogate pair become one code point; a lone or reversed surrogate is `invalidEscape`, because it
    /// has no UTF-8 form and a Swift `String` cannot hold it.
    mutating func appendEscape() throws(JSONParseError) {
        let at = i
        guard i + 1 < end else { throw .unexpectedEnd(offset: end) }
        let e = bytes[i + 1]
        i += 2
        switch e {
        case JSONByte.quote: scratch.append(JSONByte.quote)
        case JSONByte.backslash: scratch.append(JSONByte.backslash)
        case JSONByte.slash: scratch.append(JSONByte.slash)
        case UInt8(ascii: "b"): scratch.append(0x08)
        case UInt8(ascii: "f"): scratch.append(0x0C)
        case UInt8(ascii: "n"): scratch.append(0x0A)
        case UInt8(ascii: "r"): scratch.append(0x0D)
        case UInt8(ascii: "t"): scratch.append(0x09)
        case UInt8(ascii: "u"):
            let unit = try readHex4(escapeAt: at)
            switch unit {
            case 0xD800...0xDBFF:
                guard i + 1 < end, bytes[i] == JSONByte.backslash, bytes[i + 1] == UInt8(ascii: "u") else {
                    throw .invalidEscape(offset: at)
                }
                i += 2
                let trail = try readHex4(escapeAt: at)
                guard (0xDC00...0xDFFF).contains(trail) else { throw .invalidEscape(offset: at) }
                appendUTF8(0x10000 + ((unit - 0xD800) << 10) + (trail - 0xDC00))
            case 0xDC00...0xDFFF:
                throw .invalidEscape(offset: at)
            default:
                appendUTF8(unit)
            }
        default:
            throw .invalidEscape(offset: at)
        }
    }

    /// Reads the four hex digits of a `\u` escape (either case).
    @inline(__always)
    mutating func readHex4(escapeAt at: Int) throws(JSONParseError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard i < end else { throw .unexpectedEnd(offset: end) }
            let b = bytes[i]
            let digit: UInt8
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = b - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = b - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = b - UInt8(ascii: "A") + 10
            default: throw .invalidEscape(offset: at)
            }
            value = value << 4 | UInt32(digit)
            i += 1
        }
        return value
    }

    /// Appends a Unicode scalar value (never a surrogate) as UTF-8.
    @inline(__always)
    mutating func appendUTF8(_ v: UInt32) {
        switch v {
        case ..<0x80:
            scratch.append(UInt8(v))
        case ..<0x800:
            scratch.append(UInt8(0xC0 | v >> 6))
            scratch.append(UInt8(0x80 | v & 0x3F))
        case ..<0x10000:
            scratch.append(UInt8(0xE0 | v >> 12))
            scratch.append(UInt8(0x80 | v >> 6 & 0x3F))
            scratch.append(UInt8(0x80 | v & 0x3F))
        default:
            scratch.append(UInt8(0xF0 | v >> 18))
            scratch.append(UInt8(0x80 | v >> 12 & 0x3F))
            scratch.append(UInt8(0x80 | v >> 6 & 0x3F))
            scratch.append(UInt8(0x80 | v & 0x3F))
        }
    }
}
