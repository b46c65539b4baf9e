/// Compact RFC 8259 serialization, for JSON-RPC responses.
///
/// Output is deterministic: object members in their stored order, no whitespace, numbers exactly as their
/// literal text. Strings escape only what RFC 8259 §7 requires — `"`, `\` and U+0000–U+001F — using the short
/// forms `\b \f \n \r \t` where they exist (as geth's encoding/json does, and shorter and more readable than
/// `\u000a`) and lowercase `\u00XX` for the other control characters. `/` and non-ASCII are written as they are:
/// a Swift `String` is always valid UTF-8, so the output is too.
///
/// Why bytes into a caller's `[UInt8]`: the transport sends bytes, and reusing one buffer per connection
/// (cleared with `removeAll(keepingCapacity: true)`) makes serializing a response allocation-free once warm.
public enum JSONWriter {
    /// Appends the compact text of `value` to `buffer`.
    ///
    /// Recursion depth equals the value's nesting; parsed values are bounded by `JSONLimits.depthCeiling`, and
    /// responses built in code are as deep as the code makes them.
    public static func write(_ value: JSON, into buffer: inout [UInt8]) {
        switch value {
        case .null:
            appendLiteral("null", to: &buffer)
        case .bool(let b):
            appendLiteral(b ? "true" : "false", to: &buffer)
        case .number(let n):
            appendUTF8(of: n.text, to: &buffer)
        case .string(let s):
            writeString(s, into: &buffer)
        case .array(let elements):
            buffer.append(ASCII.openBracket)
            var first = true
            for element in elements {
                if !first { buffer.append(ASCII.comma) }
                first = false
                write(element, into: &buffer)
            }
            buffer.append(ASCII.closeBracket)
        case .object(let object):
            buffer.append(ASCII.openBrace)
            var first = true
            for (key, member) in object.members {
                if !first { buffer.append(ASCII.comma) }
                first = false
                writeString(key, into: &buffer)
                buffer.append(ASCII.colon)
                write(member, into: &buffer)
            }
            buffer.append(ASCII.closeBrace)
        }
    }

    /// The compact text of `value` as bytes, in a fresh buffer.
    public static func encode(_ value: JSON) -> [UInt8] {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(256)
        write(value, into: &buffer)
        return buffer
    }

    /// The compact text of `value` as a `String` (for logs, tests and tools; the server sends bytes).
    public static func string(_ value: JSON) -> String {
        String(decoding: encode(value), as: UTF8.self)
    }

    /// Writes `s` as a quoted JSON string, copying runs that need no escaping in bulk.
    static func writeString(_ s: String, into buffer: inout [UInt8]) {
        buffer.append(ASCII.quote)
        let done: Void? = s.utf8.withContiguousStorageIfAvailable { writeEscaped($0, into: &buffer) }
        if done == nil {
            Array(s.utf8).withUnsafeBufferPointer { writeEscaped($0, into: &buffer) }
        }
        buffer.append(ASCII.quote)
    }

    /// Copies `utf8` escaping `"`, `\` and control bytes. Eight bytes are tested at a time (responses are mostly
    /// long hex strings that need no escaping), and runs between escapes are appended in bulk.
    @inline(__always)
    static func writeEscaped(_ utf8: UnsafeBufferPointer<UInt8>, into buffer: inout [UInt8]) {
        guard let base = utf8.baseAddress else { return }
        let count = utf8.count
        var runStart = 0, j = 0
        while j < count {
            if j + 8 <= count {
                let w = UInt64(littleEndian: UnsafeRawPointer(base + j).loadUnaligned(as: UInt64.self))
                if !needsEscape(w) {
                    j += 8
                    continue
                }
            }
            let b = base[j]
            j += 1
            guard b < 0x20 || b == ASCII.quote || b == ASCII.backslash else { continue }
            if runStart < j - 1 {
                buffer.append(contentsOf: UnsafeBufferPointer(start: base + runStart, count: j - 1 - runStart))
            }
            runStart = j
            switch b {
            case ASCII.quote, ASCII.backslash: buffer.append(ASCII.backslash); buffer.append(b)
            case 0x08: buffer.append(ASCII.backslash); buffer.append(UInt8(ascii: "b"))
            case 0x0C: buffer.append(ASCII.backslash); buffer.append(UInt8(ascii: "f"))
            case 0x0A: buffer.append(ASCII.backslash); buffer.append(UInt8(ascii: "n"))
            case 0x0D: buffer.append(ASCII.backslash); buffer.append(UInt8(ascii: "r"))
            case 0x09: buffer.append(ASCII.backslash); buffer.append(UInt8(ascii: "t"))
            default:
                appendLiteral("\\u00", to: &buffer)
                buffer.append(hexDigit(b >> 4))
                buffer.append(hexDigit(b & 0x0F))
            }
        }
        if runStart < count {
            buffer.append(contentsOf: UnsafeBufferPointer(start: base + runStart, count: count - runStart))
        }
    }

    /// Whether any byte of `w` is `"`, `\` or below 0x20 (exact about whether, not where: see the parser's
    /// `hasSpecialByte`). Bytes of 0x80 and above need no escaping and never trigger it.
    @inline(__always)
    static func needsEscape(_ w: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        let quote = w ^ (ones &* 0x22), backslash = w ^ (ones &* 0x5C)
        let found = ((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash) | ((w &- (ones &* 0x20)) & ~w)
        return found & highs != 0
    }

    @inline(__always)
    static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
    }

    @inline(__always)
    static func appendLiteral(_ literal: StaticString, to buffer: inout [UInt8]) {
        buffer.append(contentsOf: UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }

    @inline(__always)
    static func appendUTF8(of s: String, to buffer: inout [UInt8]) {
        let done: Void? = s.utf8.withContiguousStorageIfAvailable { buffer.append(contentsOf: $0) }
        if done == nil { buffer.append(contentsOf: s.utf8) }
    }
}
