import SankofaPrimitives

/// A value of some `ABIType`: the arguments a contract handler receives and the results and event fields it
/// returns.
///
/// The value does not carry its type; `ABI.encode` checks it against the declared type, and `ABI.decode` only
/// produces values that match. Integers are always 256-bit words so the same case serves every `uintN`/`intN`.
public indirect enum ABIValue: Hashable, Sendable {
    /// Any `uintN`.
    case uint(UInt256)
    /// Any `intN`, as its 256-bit two's complement (Solidity's semantics: `-1` is `UInt256.max`). Build one
    /// from a Swift integer with `ABIValue.int(_: Int64)`, or from a magnitude with
    /// `ABIValue.int(magnitude:negative:)`.
    case int(UInt256)
    /// An `address`.
    case address(Address)
    /// A `bool`.
    case bool(Bool)
    /// A `bytesN`: exactly N bytes.
    case fixedBytes([UInt8])
    /// Dynamic `bytes`.
    case bytes([UInt8])
    /// A `string`.
    case string(String)
    /// The elements of a `T[]` or a `T[k]`.
    case array([ABIValue])
    /// The fields of a tuple (struct) in declaration order.
    case tuple([ABIValue])

    /// A signed integer from a Swift `Int64`, sign-extended to 256 bits.
    public static func int(_ value: Int64) -> ABIValue {
        let low = UInt64(bitPattern: value)
        let fill: UInt64 = value < 0 ? .max : 0
        return .int(UInt256(limbs: (low, fill, fill, fill)))
    }

    /// A signed integer from a Swift `Int`. Besides convenience, this overload is what makes a literal such as
    /// `.int(-5)` unambiguous: without it the literal could be either an `Int64` or a `UInt256`.
    public static func int(_ value: Int) -> ABIValue { .int(Int64(value)) }

    /// A signed integer `-magnitude` (or `+magnitude` when `negative` is false), for values beyond `Int64`.
    public static func int(magnitude: UInt256, negative: Bool) -> ABIValue {
        .int(negative ? UInt256.zero &- magnitude : magnitude)
    }

    /// An unsigned integer from a Swift `UInt64`.
    public static func uint64(_ value: UInt64) -> ABIValue { .uint(UInt256(value)) }

    // MARK: - Accessors (nil when the case does not match), so handlers can destructure arguments briefly.

    /// The value of a `.uint`.
    public var uint: UInt256? {
        if case .uint(let v) = self { return v }
        return nil
    }

    /// The value of a `.uint` that fits in 64 bits (amounts of gas, counts, timestamps).
    public var uint64: UInt64? { uint?.asUInt64 }

    /// The two's complement word of an `.int`.
    public var int: UInt256? {
        if case .int(let v) = self { return v }
        return nil
    }

    /// The value of an `.int` that fits in `Int64`.
    public var int64: Int64? {
        guard case .int(let v) = self else { return nil }
        let (w0, w1, w2, w3) = v.limbs
        let fill: UInt64 = Int64(bitPattern: w0) < 0 ? .max : 0
        guard w1 == fill, w2 == fill, w3 == fill else { return nil }
        return Int64(bitPattern: w0)
    }

    /// The value of an `.address`.
    public var address: Address? {
        if case .address(let v) = self { return v }
        return nil
    }

    /// The value of a `.bool`.
    public var bool: Bool? {
        if case .bool(let v) = self { return v }
        return nil
    }

    /// The value of a 32-byte `.fixedBytes` (a `bytes32` argument such as a document hash or role id).
    public var bytes32: Hash32? {
        if case .fixedBytes(let v) = self { return Hash32(bytes: v) }
        return nil
    }

    /// The bytes of a `.fixedBytes` of any length.
    public var fixedBytes: [UInt8]? {
        if case .fixedBytes(let v) = self { return v }
        return nil
    }

    /// The bytes of a dynamic `.bytes`.
    public var bytes: [UInt8]? {
        if case .bytes(let v) = self { return v }
        return nil
    }

    /// The text of a `.string`.
    public var string: String? {
        if case .string(let v) = self { return v }
        return nil
    }

    /// The elements of an `.array`.
    public var array: [ABIValue]? {
        if case .array(let v) = self { return v }
        return nil
    }

    /// The fields of a `.tuple`.
    public var tuple: [ABIValue]? {
        if case .tuple(let v) = self { return v }
        return nil
    }

    /// The case name, for `valueMismatch` messages.
    var kindName: String {
        switch self {
        case .uint: "uint"
        case .int: "int"
        case .address: "address"
        case .bool: "bool"
        case .fixedBytes(let v): "\(v.count) fixed bytes"
        case .bytes: "bytes"
        case .string: "string"
        case .array(let v): "array of \(v.count)"
        case .tuple(let v): "tuple of \(v.count)"
        }
    }
}
