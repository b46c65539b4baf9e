/// Compact RFC 8259 serialization, for JSON-RPC responses.
///
/// Output is deterministic: object members in their stored order, no whitespace, numbers exactly as their
/// literal text. Strings escape only what RFC 8259 §7 requires — `"`, `\` and U+0000–U+001F — using the short
/// forms `\b \f \n \r \t` where they exist (as geth's encoding/json does, and shorter and more readable than
/// `\u000a`) and lowercase `\u00XX` for the other control characters. `/` and non-ASCII are written as they are:
/// a Swift `String` is always valid UTF-8, so the output is too.
///
/// Why bytes: the transport sends bytes. Output is produced into a private raw buffer (`Sink`) and copied once
/// into the caller's array, because each `append` to an `[UInt8]` pays a uniqueness and capacity check; in
/// `jsonbench` (`write/block-10k`) that took the 10 KB block response from ~17 µs to ~13 µs.
public enum JSONWriter {
    /// Appends the compact text of `value` to `buffer`.
    ///
    /// Recursion depth equals the value's nesting; parsed values are bounded by `JSONLimits.depthCeiling`, and
    /// responses built in code are as deep as the code makes them.
    public static func write(_ value: JSON, into buffer: inout [UInt8]) {
        var sink = Sink(capacity: 1024)
        emit(value, into: &sink)
        sink.withBytes { buffer.append(contentsOf: $0) }
    }

    /// The compact text of `value` as bytes, in a fresh array of exactly its size.
    public static func encode(_ value: JSON) -> [UInt8] {
        var sink = Sink(capacity: 1024)
        emit(value, into: &sink)
        return sink.withBytes { Array($0) }
    }

    /// The compact text of `value` as a `String` (for logs, tests and tools; the server sends bytes).
    public static func string(_ value: JSON) -> String {
        var sink = Sink(capacity: 256)
        emit(value, into: &sink)
        return sink.withBytes { String(decoding: $0, as: UTF8.self) }
    }

    static func emit(_ value: JSON, into sink: inout Sink) {
        switch value {
        case .null:
            sink.append("null")
        case .bool(let b):
            sink.append(b ? "true" : "false")
        case .number(let n):
            emitVerbatim(n.text, into: &sink)
        case .string(let s):
            emitString(s, into: &sink)
        case .array(let elements):
            sink.append(JSONByte.openBracket)
            for i in elements.indices {
                if i != 0 { sink.append(JSONByte.comma) }
                emit(elements[i], into: &sink)
            }
            sink.append(JSONByte.closeBracket)
        case .object(let object):
            sink.append(JSONByte.openBrace)
            let members = object.members
            for i in members.indices {
                if i != 0 { sink.append(JSONByte.comma) }
                emitString(members[i].key, into: &sink)
                sink.append(JSONByte.colon)
                emit(members[i].value, into: &sink)
            }
            sink.append(JSONByte.closeBrace)
        }
    }

    /// Writes `s` as a quoted JSON string.
    @inline(__always)
    static func emitString(_ s: String, into sink: inout Sink) {
        sink.append(JSONByte.quote)
        let done: Void? = s.utf8.withContiguousStorageIfAvailable { emitEscaped($0, into: &sink) }
        if done == nil {
            Array(s.utf8).withUnsafeBufferPointer { emitEscaped($0, into: &sink) }
        }
        sink.append(JSONByte.quote)
    }

    /// Copies `utf8` escaping `"`, `\` and control bytes. Eight bytes are tested at a time (responses are mostly
    /// long hex strings that need no escaping), and runs between escapes are copied in bulk.
    @inline(__always)
    static func emitEscaped(_ utf8: UnsafeBufferPointer<UInt8>, into sink: inout Sink) {
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
            guard b < 0x20 || b == JSONByte.quote || b == JSONByte.backslash else { continue }
            sink.append(base + runStart, count: j - 1 - runStart)
            runStart = j
            switch b {
            case JSONByte.quote, JSONByte.backslash: sink.append(JSONByte.backslash, b)
            case 0x08: sink.append(JSONByte.backslash, UInt8(ascii: "b"))
            case 0x0C: sink.append(JSONByte.backslash, UInt8(ascii: "f"))
            case 0x0A: sink.append(JSONByte.backslash, UInt8(ascii: "n"))
            case 0x0D: sink.append(JSONByte.backslash, UInt8(ascii: "r"))
            case 0x09: sink.append(JSONByte.backslash, UInt8(ascii: "t"))
            default:
                sink.append("\\u00")
                sink.append(hexDigit(b >> 4), hexDigit(b & 0x0F))
            }
        }
        sink.append(base + runStart, count: count - runStart)
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

    /// Copies a number's literal (already valid JSON) as it is.
    @inline(__always)
    static func emitVerbatim(_ s: String, into sink: inout Sink) {
        let done: Void? = s.utf8.withContiguousStorageIfAvailable { sink.append($0) }
        if done == nil {
            Array(s.utf8).withUnsafeBufferPointer { sink.append($0) }
        }
    }
}

extension JSONWriter {
    /// A growable byte buffer written through a raw pointer.
    ///
    /// Memory safety rests on one rule, kept inside this type: every store goes through an `append` that first
    /// calls `reserve` for exactly the bytes it stores. Noncopyable, so the allocation has exactly one owner and is
    /// freed exactly once.
    struct Sink: ~Copyable {
        private var base: UnsafeMutablePointer<UInt8>
        private var count = 0
        private var capacity: Int

        init(capacity: Int) {
            self.capacity = max(capacity, 16)
            base = .allocate(capacity: self.capacity)
        }

        deinit { base.deallocate() }

        /// Makes room for `n` more bytes.
        @inline(__always)
        mutating func reserve(_ n: Int) {
            if capacity - count < n { grow(toFit: n) }
        }

        @inline(never)
        mutating func grow(toFit n: Int) {
            let newCapacity = max(capacity * 2, count + n)
            let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
            newBase.initialize(from: base, count: count)
            base.deallocate()
            base = newBase
            capacity = newCapacity
        }

        @inline(__always)
        mutating func append(_ b: UInt8) {
            reserve(1)
            base[count] = b
            count += 1
        }

        @inline(__always)
        mutating func append(_ b0: UInt8, _ b1: UInt8) {
            reserve(2)
            base[count] = b0
            base[count + 1] = b1
            count += 2
        }

        @inline(__always)
        mutating func append(_ bytes: UnsafePointer<UInt8>, count n: Int) {
            guard n > 0 else { return }
            reserve(n)
            (base + count).initialize(from: bytes, count: n)
            count += n
        }

        @inline(__always)
        mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
            if let base = bytes.baseAddress { append(base, count: bytes.count) }
        }

        @inline(__always)
        mutating func append(_ literal: StaticString) {
            append(literal.utf8Start, count: literal.utf8CodeUnitCount)
        }

        /// The bytes written so far, valid only inside `body`.
        func withBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
            body(UnsafeBufferPointer(start: base, count: count))
        }
    }
}
