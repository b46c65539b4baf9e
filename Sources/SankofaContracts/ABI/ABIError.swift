/// Why an ABI type, value or byte string was refused.
///
/// ABI data reaches system contracts from any account that can send a transaction, so the decoder treats it as
/// hostile: every way the bytes can be malformed maps to one case here instead of a trap. Each case says what is
/// wrong in terms a caller of `eth_call` can act on; contracts turn it into revert data.
public enum ABIError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A type string or `ABIType` that the Solidity ABI does not allow (`uint7`, `bytes33`, `T[0]`, `()`), with
    /// the offending text.
    case invalidType(String)
    /// A value of the wrong shape for its type (a string where a `uint256` was declared, a tuple with too few
    /// fields, the wrong number of arguments).
    case valueMismatch(expected: String, got: String)
    /// A value of the right shape that does not fit its type: a `uint8` above 255, an `int8` below -128, a
    /// `bytes4` that is not 4 bytes long, a `T[3]` with 2 elements.
    case valueOutOfRange(type: String)
    /// The data ends before the part being read: a head, a length word, or the bytes a length promises.
    case dataTooShort(needed: Int, available: Int)
    /// An offset word that points outside the data (values too large for `Int` are reported as `Int.max`).
    case offsetOutOfBounds(Int)
    /// A word whose unused bits are not zero: high bits of `uintN`, `address` or `bool`, an `intN` that is not
    /// sign-extended, padding after `bytesN`, or a `bool` other than 0 or 1. Solidity reverts on these, and
    /// accepting them would let two different calldata strings mean the same call.
    case dirtyBits(type: String)
    /// An array or byte-string length that cannot fit in the remaining data (values too large for `Int` are
    /// reported as `Int.max`).
    case lengthTooLarge(Int)
    /// Offsets that make several values share the same bytes so often that the decoded result would be larger
    /// than the data itself (a "decoding bomb": a few kilobytes claiming gigabytes). A canonical encoding never
    /// does this; Solidity would be stopped by gas, the node by this check.
    case overlappingData(decodedAtLeast: Int, available: Int)
    /// A `string` whose bytes are not well-formed UTF-8.
    case invalidUTF8
    /// A type nested deeper than `ABIType.maxNestingDepth`; refused so recursion stays bounded.
    case tooDeep

    public var description: String {
        switch self {
        case .invalidType(let text): "invalid ABI type: \(text)"
        case .valueMismatch(let expected, let got): "ABI value mismatch: expected \(expected), got \(got)"
        case .valueOutOfRange(let type): "value does not fit ABI type \(type)"
        case .dataTooShort(let needed, let available):
            "ABI data too short: needed \(needed) bytes, only \(available) available"
        case .offsetOutOfBounds(let offset): "ABI offset \(offset) points outside the data"
        case .dirtyBits(let type): "ABI word for \(type) has non-zero unused bits (not canonically encoded)"
        case .lengthTooLarge(let length): "ABI length \(length) exceeds the remaining data"
        case .overlappingData(let decoded, let available):
            "ABI offsets overlap: decoding would produce at least \(decoded) bytes from \(available) bytes of data"
        case .invalidUTF8: "ABI string is not valid UTF-8"
        case .tooDeep: "ABI type nested more than \(ABIType.maxNestingDepth) levels deep"
        }
    }
}
