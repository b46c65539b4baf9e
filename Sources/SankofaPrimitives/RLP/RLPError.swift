/// Why RLP input was refused. Ethereum's RLP has exactly one valid encoding per value, so anything else
/// (a long form for a short length, a wrapped single byte, leading zeros) is an error, as in geth's `rlp` package.
public enum RLPError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The item claims more bytes than the input has left.
    case truncated(needed: Int, available: Int)
    /// Bytes remain after the value (or after the last item of a list).
    case trailingBytes(count: Int)
    /// A single byte below 0x80 must be encoded as itself, not as a one-byte string.
    case nonCanonicalSingleByte
    /// The long form was used for a length that fits in the short form (< 56).
    case nonCanonicalLength
    /// A length prefix starts with a zero byte.
    case leadingZeroInLength
    /// A length that does not fit this machine's address space.
    case lengthOverflow
    /// A list where a byte string was expected.
    case expectedBytes
    /// A byte string where a list was expected.
    case expectedList
    /// An integer whose encoding starts with a zero byte (integers are minimal big-endian).
    case leadingZeroInInteger
    /// An integer wider than the field allows.
    case integerTooLarge(maxBytes: Int, got: Int)
    /// A fixed-width field (address, hash) of the wrong length.
    case wrongLength(expected: Int, got: Int)
    /// Input ended where an item was expected.
    case unexpectedEnd
    /// Lists nested deeper than a generic decoder accepts (protects the stack from hostile input).
    case tooDeep(limit: Int)
    /// A stored record (`RLPRecord`) whose fields are well-formed RLP but not valid values of their types (an enum
    /// raw value out of range, an integer too wide for its field, a string that is not UTF-8).
    case invalidRecord(String)

    public var description: String {
        switch self {
        case .truncated(let needed, let available):
            "RLP item needs \(needed) bytes but only \(available) remain"
        case .trailingBytes(let count): "\(count) unexpected bytes after the RLP value"
        case .nonCanonicalSingleByte: "non-canonical RLP: a single byte below 0x80 must encode as itself"
        case .nonCanonicalLength: "non-canonical RLP: long length form used for a length below 56"
        case .leadingZeroInLength: "non-canonical RLP: length prefix has a leading zero byte"
        case .lengthOverflow: "RLP length is too large"
        case .expectedBytes: "expected an RLP byte string, found a list"
        case .expectedList: "expected an RLP list, found a byte string"
        case .leadingZeroInInteger: "non-canonical RLP integer: leading zero byte"
        case .integerTooLarge(let maxBytes, let got): "RLP integer of \(got) bytes exceeds \(maxBytes) bytes"
        case .wrongLength(let expected, let got): "RLP field must be \(expected) bytes, got \(got)"
        case .unexpectedEnd: "RLP input ended where an item was expected"
        case .tooDeep(let limit): "RLP lists nested deeper than \(limit) levels"
        case .invalidRecord(let why): "corrupt record: \(why)"
        }
    }
}
