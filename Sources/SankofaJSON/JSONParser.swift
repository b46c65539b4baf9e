/// Strict RFC 8259 parsing of one JSON text, for the JSON-RPC hot path.
///
/// Strict because the input comes from any client on the network: no comments, trailing commas, `NaN`,
/// leading zeros or `+`, single quotes, BOM, or invalid UTF-8, and exactly one top-level value. Every failure is
/// a `JSONParseError` with a byte offset; nothing a client sends can trap, recurse without bound, or make the
/// parser allocate more than a small multiple of the input (see `JSONLimits`).
///
/// Why it is fast: it reads a contiguous byte buffer by index (no `Character` or `String` iteration), builds
/// strings straight from input byte ranges when they hold no escapes, and is iterative: values accumulate on
/// one reusable stack and each finished array or object is moved off it into a buffer of exactly its size,
/// so containers are allocated once instead of grown by appending.
public enum JSONParser {
    /// Parses bytes from any collection; contiguous ones (`[UInt8]`, `ArraySlice`, `Data`, a native
    /// `String.UTF8View`, NIO's `ByteBufferView`) are read in place, anything else is copied once.
    public static func parse(_ bytes: some Collection<UInt8>, limits: JSONLimits = .init()) throws(JSONParseError) -> JSON {
        if let result = bytes.withContiguousStorageIfAvailable({ run($0, limits) }) {
            return try result.get()
        }
        return try Array(bytes).withUnsafeBufferPointer { run($0, limits) }.get()
    }

    /// Parses a byte array in place (the common case; avoids the generic entry point's dispatch).
    public static func parse(_ bytes: [UInt8], limits: JSONLimits = .init()) throws(JSONParseError) -> JSON {
        try bytes.withUnsafeBufferPointer { run($0, limits) }.get()
    }

    /// Parses raw memory in place, e.g. a transport's receive buffer.
    public static func parse(_ bytes: UnsafeRawBufferPointer, limits: JSONLimits = .init()) throws(JSONParseError) -> JSON {
        try bytes.withMemoryRebound(to: UInt8.self) { run($0, limits) }.get()
    }

    /// Parses the UTF-8 of a string (convenient in tests and tools; servers should pass bytes).
    public static func parse(_ text: String, limits: JSONLimits = .init()) throws(JSONParseError) -> JSON {
        var text = text
        return try text.withUTF8 { run($0, limits) }.get()
    }

    /// The single implementation behind every entry point. Returns a `Result` because the standard library's
    /// buffer closures rethrow untyped errors.
    ///
    /// The open-container stack lives on the machine stack (at most `JSONLimits.depthCeiling` small frames, 8 KiB),
    /// which saves a heap allocation per parse.
    static func run(_ bytes: UnsafeBufferPointer<UInt8>, _ limits: JSONLimits) -> Result<JSON, JSONParseError> {
        withUnsafeTemporaryAllocation(of: Frame.self, capacity: max(1, limits.effectiveMaxDepth)) { frames in
            guard let frames = frames.baseAddress else { return .failure(.tooDeep(limit: 0)) }  // capacity ≥ 1
            var parser = Reader(bytes: bytes, limits: limits, frames: frames)
            do throws(JSONParseError) {
                return .success(try parser.parseDocument())
            } catch {
                return .failure(error)
            }
        }
    }

    /// Scans one number per RFC 8259 §6 starting at `start` and returns the index just past it. Shared with
    /// `JSONNumber.init?(literal:)` so both accept exactly the same literals.
    static func scanNumber(_ p: UnsafeBufferPointer<UInt8>, from start: Int) -> Result<Int, JSONParseError> {
        let end = p.count
        var i = start
        if i < end, p[i] == JSONByte.minus { i += 1 }
        guard i < end else { return .failure(.invalidNumber(offset: i)) }
        if p[i] == JSONByte.zero {
            i += 1
            if i < end, JSONByte.isDigit(p[i]) { return .failure(.invalidNumber(offset: i)) }  // leading zero
        } else if JSONByte.isDigit(p[i]) {
            i += 1
            while i < end, JSONByte.isDigit(p[i]) { i += 1 }
        } else {
            return .failure(.invalidNumber(offset: i))  // "-x", "+1", ".5"
        }
        if i < end, p[i] == JSONByte.dot {
            i += 1
            guard i < end, JSONByte.isDigit(p[i]) else { return .failure(.invalidNumber(offset: i)) }  // "1."
            while i < end, JSONByte.isDigit(p[i]) { i += 1 }
        }
        if i < end, p[i] | 0x20 == JSONByte.lowerE {
            i += 1
            if i < end, p[i] == JSONByte.plus || p[i] == JSONByte.minus { i += 1 }
            guard i < end, JSONByte.isDigit(p[i]) else { return .failure(.invalidNumber(offset: i)) }  // "1e", "1e+"
            while i < end, JSONByte.isDigit(p[i]) { i += 1 }
        }
        return .success(i)
    }
}

/// Byte constants, so the scanning code reads as the grammar does, and byte-level helpers shared by the files.
enum JSONByte {
    static let quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\"), slash = UInt8(ascii: "/")
    static let comma = UInt8(ascii: ","), colon = UInt8(ascii: ":"), minus = UInt8(ascii: "-"), plus = UInt8(ascii: "+")
    static let dot = UInt8(ascii: "."), zero = UInt8(ascii: "0"), lowerE = UInt8(ascii: "e")
    static let openBrace = UInt8(ascii: "{"), closeBrace = UInt8(ascii: "}")
    static let openBracket = UInt8(ascii: "["), closeBracket = UInt8(ascii: "]")

    @inline(__always) static func isDigit(_ b: UInt8) -> Bool { b &- zero < 10 }
}

extension JSONParser {
    /// One open array or object: where its entries start on the value stack.
    struct Frame {
        let isObject: Bool
        let valueStart: Int
    }
}

extension JSONParser {
    /// The state of one parse. Reads `bytes` only at indices checked against `end`; the unsafe buffer's own bounds
    /// checks vanish in release builds, so every `bytes[i]` below is preceded by an `i < end` test.
    struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
        let end: Int
        var i = 0
        let maxDepth: Int
        let maxStringBytes: Int
        let maxElements: Int
        /// Array elements plus object members seen so far, for `maxElements`.
        var elements = 0
        /// Finished values whose container is still open, innermost last; an open object's entries alternate
        /// key (as `.string`) and value, which saves a second stack and its allocation.
        var values: [JSON] = []
        /// The open containers, innermost at `depth - 1`; room for `maxDepth` of them (`Frame` is trivial,
        /// so slots are simply overwritten).
        let frames: UnsafeMutablePointer<JSONParser.Frame>
        var depth = 0
        /// Reused to decode strings that contain escapes.
        var scratch: [UInt8] = []

        init(bytes: UnsafeBufferPointer<UInt8>, limits: JSONLimits, frames: UnsafeMutablePointer<JSONParser.Frame>) {
            self.frames = frames
            self.bytes = bytes
            self.end = bytes.count
            self.maxDepth = limits.effectiveMaxDepth
            self.maxStringBytes = limits.maxStringBytes
            self.maxElements = limits.maxElements
            // One allocation up front instead of several while growing: a typical request never outgrows it.
            values.reserveCapacity(16)
        }

        /// Parses the whole input as exactly one value surrounded by optional whitespace.
        mutating func parseDocument() throws(JSONParseError) -> JSON {
            skipWhitespace()
            nextValue: while true {
                // A value starts at `i` (whitespace already skipped).
                guard i < end else { throw .unexpectedEnd(offset: end) }
                switch bytes[i] {
                case JSONByte.quote:
                    i += 1
                    values.append(.string(try parseString()))
                case JSONByte.openBrace, JSONByte.openBracket:
                    let isObject = bytes[i] == JSONByte.openBrace
                    guard depth < maxDepth else { throw .tooDeep(limit: maxDepth) }
                    i += 1
                    skipWhitespace()
                    if i < end, bytes[i] == (isObject ? JSONByte.closeBrace : JSONByte.closeBracket) {
                        i += 1
                        values.append(isObject ? .object(JSONObject()) : .array([]))
                    } else {
                        frames[depth] = JSONParser.Frame(isObject: isObject, valueStart: values.count)
                        depth += 1
                        if isObject { try parseKeyAndColon() }
                        continue nextValue
                    }
                case UInt8(ascii: "t"):
                    try expectLiteral("true")
                    values.append(.bool(true))
                case UInt8(ascii: "f"):
                    try expectLiteral("false")
                    values.append(.bool(false))
                case UInt8(ascii: "n"):
                    try expectLiteral("null")
                    values.append(.null)
                case JSONByte.minus, JSONByte.zero...UInt8(ascii: "9"):
                    values.append(.number(try parseNumber()))
                case let other:
                    throw .unexpectedCharacter(offset: i, found: other)
                }

                // A value has just been completed; each pass closes at most one container.
                while true {
                    guard depth > 0 else {
                        skipWhitespace()
                        guard i == end else { throw .trailingData(offset: i) }
                        return values.removeLast()
                    }
                    let top = frames[depth - 1]
                    elements += 1
                    guard elements <= maxElements else {
                        throw .tooLarge("more than \(maxElements) array elements and object members")
                    }
                    skipWhitespace()
                    guard i < end else { throw .unexpectedEnd(offset: end) }
                    let b = bytes[i]
                    if b == JSONByte.comma {
                        i += 1
                        skipWhitespace()
                        if top.isObject { try parseKeyAndColon() }
                        continue nextValue
                    }
                    guard b == (top.isObject ? JSONByte.closeBrace : JSONByte.closeBracket) else {
                        throw .unexpectedCharacter(offset: i, found: b)
                    }
                    i += 1
                    depth -= 1
                    top.isObject ? closeObject(top) : closeArray(top)
                }
            }
        }

        /// Reads `"key"` `:` and leaves `i` at the member's value.
        @inline(__always)
        mutating func parseKeyAndColon() throws(JSONParseError) {
            guard i < end else { throw .unexpectedEnd(offset: end) }
            guard bytes[i] == JSONByte.quote else { throw .unexpectedCharacter(offset: i, found: bytes[i]) }
            i += 1
            values.append(.string(try parseString()))
            skipWhitespace()
            guard i < end else { throw .unexpectedEnd(offset: end) }
            guard bytes[i] == JSONByte.colon else { throw .unexpectedCharacter(offset: i, found: bytes[i]) }
            i += 1
            skipWhitespace()
        }

        /// Moves the open array's elements off the value stack into an array of exactly their number.
        ///
        /// Moving (rather than copying and then popping) spares a retain and a release per element, which is most
        /// of the cost of closing a container whose elements are long strings or containers.
        @inline(__always)
        mutating func closeArray(_ frame: JSONParser.Frame) {
            let n = values.count - frame.valueStart
            var array = [JSON]()
            array.reserveCapacity(n)
            values.withUnsafeMutableBufferPointer { stack in
                guard let v = stack.baseAddress?.advanced(by: frame.valueStart) else { return }  // n ≥ 1: never nil
                for m in 0..<n { array.append((v + m).move()) }
                v.initialize(repeating: .null, count: n)  // refill the moved-from slots for removeLast to destroy
            }
            values.removeLast(n)
            values.append(.array(array))
        }

        /// Moves the open object's alternating keys and values off the stack into one member array of exactly
        /// their number.
        @inline(__always)
        mutating func closeObject(_ frame: JSONParser.Frame) {
            let n = (values.count - frame.valueStart) / 2
            var members = [JSONObject.Element]()
            members.reserveCapacity(n)
            values.withUnsafeMutableBufferPointer { stack in
                guard let v = stack.baseAddress?.advanced(by: frame.valueStart) else { return }  // n ≥ 1: never nil
                for m in 0..<n {
                    let key: String
                    if case .string(let s) = (v + 2 * m).move() { key = s } else { key = "" }  // always a string
                    members.append((key: key, value: (v + 2 * m + 1).move()))
                }
                v.initialize(repeating: .null, count: 2 * n)
            }
            values.removeLast(2 * n)
            values.append(.object(JSONObject(members: members)))
        }

        /// Checks the rest of `true`, `false` or `null`; the first byte has already been matched by the caller.
        @inline(__always)
        mutating func expectLiteral(_ word: StaticString) throws(JSONParseError) {
            let w = word.utf8Start
            for k in 1..<word.utf8CodeUnitCount {
                guard i + k < end else { throw .unexpectedEnd(offset: end) }
                guard bytes[i + k] == w[k] else { throw .unexpectedCharacter(offset: i + k, found: bytes[i + k]) }
            }
            i += word.utf8CodeUnitCount
        }

        /// Reads a number literal, keeping its text.
        @inline(__always)
        mutating func parseNumber() throws(JSONParseError) -> JSONNumber {
            let start = i
            i = try JSONParser.scanNumber(bytes, from: start).get()
            guard i - start <= maxStringBytes else {
                throw .tooLarge("number literal longer than \(maxStringBytes) bytes")
            }
            let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)
            return JSONNumber(unchecked: text)
        }

        /// RFC 8259 whitespace only: space, tab, LF, CR (no NBSP, no form feed, no BOM).
        @inline(__always)
        mutating func skipWhitespace() {
            while i < end {
                let b = bytes[i]
                guard b <= 0x20, b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 else { return }
                i += 1
            }
        }
    }
}
