/// A JSON value (RFC 8259), the currency of the JSON-RPC layer: requests are parsed into it and responses are
/// built from it.
///
/// Why a closed enum of plain values rather than `Any` or `Codable`: handlers inspect requests with `switch`
/// and the accessors below without casts or reflection, a whole tree is `Sendable` (it crosses from the
/// transport's event loop to handlers), and building a response is a literal. Objects keep insertion order
/// (`JSONObject`) so responses are stable and readable; numbers keep their literal text (`JSONNumber`) so
/// large integers and exact decimals survive a parse/write round trip.
///
/// `==` is structural and byte-exact: strings and keys compare by UTF-8 bytes, numbers by literal text, object
/// members in order.
public enum JSON: Sendable {
    case null
    case bool(Bool)
    case number(JSONNumber)
    case string(String)
    case array([JSON])
    case object(JSONObject)
}

extension JSON {
    /// The value of the first member named `key` when this is an object; `nil` for a missing key or a non-object,
    /// so `request["params"]?[0]?.stringValue` reads a nested field in one line.
    public subscript(key: String) -> JSON? {
        guard case .object(let object) = self else { return nil }
        return object[key]
    }

    /// The element at `index` when this is an array and the index is in range; `nil` otherwise (never traps,
    /// because the index usually comes from the shape of a client's request).
    public subscript(index: Int) -> JSON? {
        guard case .array(let array) = self, array.indices.contains(index) else { return nil }
        return array[index]
    }

    /// The string, when this is a string.
    public var stringValue: String? {
        guard case .string(let s) = self else { return nil }
        return s
    }

    /// The Boolean, when this is `true` or `false` (numbers are not coerced).
    public var boolValue: Bool? {
        guard case .bool(let b) = self else { return nil }
        return b
    }

    /// The number with its literal text, when this is a number.
    public var numberValue: JSONNumber? {
        guard case .number(let n) = self else { return nil }
        return n
    }

    /// The number as `Int`, only when it is written as an integer (no fraction or exponent) that fits.
    public var intValue: Int? {
        guard case .number(let n) = self else { return nil }
        return n.intValue
    }

    /// The elements, when this is an array.
    public var arrayValue: [JSON]? {
        guard case .array(let a) = self else { return nil }
        return a
    }

    /// The object, when this is an object.
    public var objectValue: JSONObject? {
        guard case .object(let o) = self else { return nil }
        return o
    }

    /// True for `null` only (JSON-RPC distinguishes a `null` id from a missing one, which is `nil` from a lookup).
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }
}

extension JSON: Equatable {
    /// Structural, byte-exact equality (see the type's documentation).
    public static func == (lhs: JSON, rhs: JSON) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case (.bool(let l), .bool(let r)): return l == r
        case (.number(let l), .number(let r)): return l == r
        case (.string(let l), .string(let r)): return JSONByte.utf8Equal(l, r)
        case (.array(let l), .array(let r)): return l == r
        case (.object(let l), .object(let r)): return l == r
        default: return false
        }
    }
}

extension JSON: CustomStringConvertible {
    /// The compact JSON text, as `JSONWriter` writes it (handy in logs and test failures).
    public var description: String { JSONWriter.string(self) }
}

// Literals, so responses and test fixtures read like the JSON they produce. There is deliberately no nil literal:
// it would turn a bare `nil` meant as `Optional.none` into JSON `null` wherever a `JSON?` is inferred.

extension JSON: ExpressibleByBooleanLiteral {
    /// `true` / `false`.
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}

extension JSON: ExpressibleByIntegerLiteral {
    /// An integer literal becomes a number written in decimal.
    public init(integerLiteral value: Int) { self = .number(JSONNumber(value)) }
}

extension JSON: ExpressibleByStringLiteral {
    /// A string literal is a JSON string (not parsed as JSON text).
    public init(stringLiteral value: String) { self = .string(value) }
}

extension JSON: ExpressibleByArrayLiteral {
    /// `[1, "a", nil]`.
    public init(arrayLiteral elements: JSON...) { self = .array(elements) }
}

extension JSON: ExpressibleByDictionaryLiteral {
    /// `["jsonrpc": "2.0", "id": 1, "result": …]`, keeping the written order.
    public init(dictionaryLiteral elements: (String, JSON)...) { self = .object(JSONObject(elements)) }
}
