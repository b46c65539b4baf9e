/// Why a byte sequence is not one strict RFC 8259 JSON text.
///
/// Every way hostile input can fail ends here, never in a trap: the JSON-RPC layer maps any of these to
/// error -32700 ("Parse error") and may echo `description` as the error message. Offsets are byte offsets into
/// the input, so a client can find the fault in what it sent.
///
/// Duplicate object keys are not an error: RFC 8259 §4 only says names "SHOULD be unique", JSON-RPC clients do
/// not send them, and rejecting them would cost a hash per member. Both members are kept (the writer reproduces
/// them) and lookup returns the first, see `JSONObject.subscript(_:)`.
public enum JSONParseError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The input ended inside a value (or was empty / only whitespace).
    case unexpectedEnd(offset: Int)
    /// A byte that no JSON production allows at this position (including a UTF-8 BOM, comments, `NaN`).
    case unexpectedCharacter(offset: Int, found: UInt8)
    /// A number outside RFC 8259 §6's grammar: leading zeros, a lone `-`, `1.`, `.5`, `1e`, a leading `+`.
    case invalidNumber(offset: Int)
    /// An unknown `\x` escape, a malformed `\uXXXX`, or a lone or mismatched UTF-16 surrogate.
    case invalidEscape(offset: Int)
    /// Bytes inside a string that are not well-formed UTF-8 (Unicode Table 3-7: no overlongs, no encoded
    /// surrogates, nothing above U+10FFFF).
    case invalidUTF8(offset: Int)
    /// A raw byte below 0x20 inside a string; RFC 8259 §7 requires these to be escaped.
    case controlCharacterInString(offset: Int)
    /// Something other than whitespace after the single top-level value.
    case trailingData(offset: Int)
    /// Arrays and objects nested deeper than the limit in force.
    case tooDeep(limit: Int)
    /// A string or number longer than `JSONLimits.maxStringBytes`, or more array elements and object members
    /// in total than `JSONLimits.maxElements`; the text says which.
    case tooLarge(String)

    /// Where in the input the problem was found, when there is a single place to point at.
    public var offset: Int? {
        switch self {
        case .unexpectedEnd(let o), .unexpectedCharacter(let o, _), .invalidNumber(let o), .invalidEscape(let o),
             .invalidUTF8(let o), .controlCharacterInString(let o), .trailingData(let o):
            return o
        case .tooDeep, .tooLarge:
            return nil
        }
    }

    /// One line for logs and for the `message` of a JSON-RPC -32700 error.
    public var description: String {
        switch self {
        case .unexpectedEnd(let o): return "unexpected end of JSON input at byte \(o)"
        case .unexpectedCharacter(let o, let b):
            let shown = b >= 0x20 && b < 0x7F ? "'\(Character(Unicode.Scalar(b)))' " : ""
            return "unexpected character \(shown)(0x\(String(b, radix: 16))) at byte \(o)"
        case .invalidNumber(let o): return "invalid number at byte \(o)"
        case .invalidEscape(let o): return "invalid escape sequence at byte \(o)"
        case .invalidUTF8(let o): return "invalid UTF-8 at byte \(o)"
        case .controlCharacterInString(let o): return "unescaped control character in string at byte \(o)"
        case .trailingData(let o): return "unexpected data after the JSON value at byte \(o)"
        case .tooDeep(let limit): return "JSON nested deeper than \(limit) levels"
        case .tooLarge(let what): return "JSON too large: \(what)"
        }
    }
}

/// Bounds on what one parse may build, so that a hostile request costs at most a small multiple of its size.
///
/// The defaults suit a JSON-RPC request body: nesting deeper than 64 or a million values is never legitimate,
/// and 10 MiB covers the largest `eth_sendRawTransaction` payload. The HTTP/WS layer bounds the input size itself.
public struct JSONLimits: Sendable, Equatable {
    /// The deepest nesting any parse accepts whatever `maxDepth` says. The parser itself is iterative, but
    /// releasing, comparing and writing a `JSON` tree recurse, and a server thread's stack may be 512 KiB.
    public static let depthCeiling = 512

    /// Maximum nesting of arrays and objects (`[[1]]` is depth 2; scalars are depth 0); clamped to `depthCeiling`.
    public var maxDepth: Int
    /// Maximum length in bytes of one decoded string or one number literal.
    public var maxStringBytes: Int
    /// Maximum number of array elements plus object members in the whole document.
    public var maxElements: Int

    /// The defaults are the ones a JSON-RPC server wants; tests and tools may loosen or tighten them.
    public init(maxDepth: Int = 64, maxStringBytes: Int = 10 << 20, maxElements: Int = 1_000_000) {
        self.maxDepth = maxDepth
        self.maxStringBytes = maxStringBytes
        self.maxElements = maxElements
    }

    /// `maxDepth` as the parser applies it.
    var effectiveMaxDepth: Int { max(0, min(maxDepth, Self.depthCeiling)) }
}
