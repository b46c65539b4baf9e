/// A Solidity ABI type, as in the Contract ABI Specification ("Types").
///
/// System contracts declare their functions and events with these, so the same description drives selectors,
/// encoding of return data and events, strict decoding of calldata, and the generated ABI JSON. Only the types a
/// Solidity `external` function can take are modelled; `fixed`/`ufixed` and `function` are left out because no
/// tool in use emits them.
public indirect enum ABIType: Hashable, Sendable, CustomStringConvertible {
    /// `uintN`, N in 8...256 step 8 (the payload is N, in bits).
    case uint(Int)
    /// `intN`, two's complement, N in 8...256 step 8.
    case int(Int)
    /// A 20-byte account address, encoded like `uint160`.
    case address
    /// `bool`, encoded like `uint8` restricted to 0 and 1.
    case bool
    /// `bytesN`, N in 1...32, left-aligned in its word.
    case fixedBytes(Int)
    /// Dynamic `bytes`.
    case bytes
    /// Dynamic `string`, UTF-8.
    case string
    /// `T[]`, a dynamic-length array.
    case array(ABIType)
    /// `T[k]`, k ≥ 1 elements.
    case fixedArray(ABIType, Int)
    /// `(T1,...,Tn)`, a struct, n ≥ 1.
    case tuple([ABIType])

    /// How deeply arrays and tuples may nest (a scalar has depth 0, `uint8[][]` depth 2). Solidity itself has
    /// no such limit, but nothing real comes near it, and it bounds recursion on types parsed from user text.
    public static let maxNestingDepth = 32

    /// The canonical spelling used in function signatures, and so in selectors and event topics:
    /// `uint256` (never `uint`), `(uint256,string)[]` (never `tuple(...)`), no spaces.
    public var canonicalName: String {
        var out = ""
        appendCanonicalName(to: &out)
        return out
    }

    private func appendCanonicalName(to out: inout String) {
        switch self {
        case .uint(let bits): out += "uint\(bits)"
        case .int(let bits): out += "int\(bits)"
        case .address: out += "address"
        case .bool: out += "bool"
        case .fixedBytes(let n): out += "bytes\(n)"
        case .bytes: out += "bytes"
        case .string: out += "string"
        case .array(let element):
            element.appendCanonicalName(to: &out)
            out += "[]"
        case .fixedArray(let element, let count):
            element.appendCanonicalName(to: &out)
            out += "[\(count)]"
        case .tuple(let components):
            out += "("
            for (i, component) in components.enumerated() {
                if i > 0 { out += "," }
                component.appendCanonicalName(to: &out)
            }
            out += ")"
        }
    }

    public var description: String { canonicalName }

    /// Whether the encoding is placed in the tail and referenced by an offset (spec: "dynamic types" are
    /// `bytes`, `string`, `T[]`, and `T[k]` or tuples containing any of them).
    public var isDynamic: Bool {
        switch self {
        case .uint, .int, .address, .bool, .fixedBytes: false
        case .bytes, .string, .array: true
        case .fixedArray(let element, _): element.isDynamic
        case .tuple(let components): components.contains { $0.isDynamic }
        }
    }

    /// Bytes the type takes in its enclosing head: 32 for an offset when dynamic, else the whole static
    /// encoding. Saturates at `Int.max` so a hostile `uint256[huge][huge]` compares as "too big" instead of
    /// overflowing. This is also the least an array element can occupy, which bounds array lengths on decode.
    var headSize: Int {
        switch self {
        case .uint, .int, .address, .bool, .fixedBytes, .bytes, .string, .array: return 32
        case .fixedArray(let element, let count):
            if element.isDynamic { return 32 }
            let (product, overflow) = element.headSize.multipliedReportingOverflow(by: count)
            return overflow ? Int.max : product
        case .tuple(let components):
            if components.contains(where: { $0.isDynamic }) { return 32 }
            return Self.headSize(of: components)
        }
    }

    /// Size of the head of a tuple of `types` (the argument list of a call), saturating at `Int.max`.
    static func headSize(of types: [ABIType]) -> Int {
        var total = 0
        for type in types {
            let (sum, overflow) = total.addingReportingOverflow(type.headSize)
            if overflow { return Int.max }
            total = sum
        }
        return total
    }

    /// Checks what the enum cannot express on its own (bit widths, `bytesN` range, non-empty arrays and
    /// tuples, nesting depth), so encoder and decoder can rely on it. Cheap: one walk over the type.
    func validate(depth: Int = 0) throws(ABIError) {
        guard depth <= Self.maxNestingDepth else { throw .tooDeep }
        switch self {
        case .uint(let bits):
            guard bits >= 8, bits <= 256, bits % 8 == 0 else { throw .invalidType("uint\(bits)") }
        case .int(let bits):
            guard bits >= 8, bits <= 256, bits % 8 == 0 else { throw .invalidType("int\(bits)") }
        case .fixedBytes(let n):
            guard n >= 1, n <= 32 else { throw .invalidType("bytes\(n)") }
        case .address, .bool, .bytes, .string:
            break
        case .array(let element):
            try element.validate(depth: depth + 1)
        case .fixedArray(let element, let count):
            guard count >= 1 else { throw .invalidType("\(element.canonicalName)[\(count)]") }
            try element.validate(depth: depth + 1)
        case .tuple(let components):
            guard !components.isEmpty else { throw .invalidType("() (empty tuple)") }
            for component in components { try component.validate(depth: depth + 1) }
        }
    }

    /// Validates an argument list (which, unlike a nested tuple, may be empty).
    static func validate(_ types: [ABIType]) throws(ABIError) {
        for type in types { try type.validate() }
    }
}
