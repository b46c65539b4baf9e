/// A JSON number kept as its literal text.
///
/// Why text and not `Double`: a `Double` silently rounds integers above 2^53 and decimals such as `0.1`, and a
/// server that parses and re-serializes must not change a client's numbers. Ethereum JSON-RPC carries quantities
/// as hex strings anyway, so numbers here are small (ids, booleans-as-ints, limits) and converting on demand
/// (`intValue`, `doubleValue`) is cheaper than converting every number while parsing. Literals of up to
/// 15 bytes are stored inline in the `String`, so most numbers allocate nothing.
///
/// Equality compares the text: `1`, `1.0` and `1e0` are different `JSONNumber`s, as they are different
/// documents; compare `doubleValue` or `intValue` when the numeric value is what matters.
public struct JSONNumber: Sendable, Hashable, CustomStringConvertible {
    /// The literal, always valid under RFC 8259 §6 (optional `-`, no leading zeros, optional fraction and exponent).
    public let text: String

    /// For the parser, which has already checked the grammar.
    init(unchecked text: String) {
        self.text = text
    }

    /// An integer, written in decimal.
    public init(_ int: Int) {
        text = String(int)
    }

    /// An unsigned 64-bit integer, written in decimal (all of `UInt64` is representable, unlike with `Double`).
    public init(_ uint: UInt64) {
        text = String(uint)
    }

    /// A finite `Double` in Swift's shortest round-trip form (`0.1`, `1e-05`, `1e+16`); `nil` for NaN and
    /// infinities, which JSON cannot express.
    public init?(_ double: Double) {
        guard double.isFinite else { return nil }
        text = String(double)
    }

    /// A literal checked against RFC 8259's number grammar; `nil` for anything else (`"01"`, `"+1"`, `" 1"`, `"NaN"`).
    public init?(literal: String) {
        var copy = literal
        let valid = copy.withUTF8 { bytes -> Bool in
            guard !bytes.isEmpty, case .success(let end) = JSONParser.scanNumber(bytes, from: 0) else { return false }
            return end == bytes.count
        }
        guard valid else { return nil }
        text = literal
    }

    /// True when the literal has no fraction and no exponent (so `1.0` and `1e2` are not integers here).
    public var isInteger: Bool {
        !text.utf8.contains { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }
    }

    /// The value as `Int` when the literal is an integer that fits; `nil` otherwise (including `1.0`, `1e2`).
    public var intValue: Int? {
        isInteger ? Int(text) : nil
    }

    /// The value as `UInt64` when the literal is a non-negative integer that fits (`-0` counts as 0).
    public var uint64Value: UInt64? {
        guard isInteger else { return nil }
        if text == "-0" { return 0 }
        return UInt64(text)
    }

    /// The nearest `Double`; infinite when the literal's magnitude exceeds `Double.greatestFiniteMagnitude`.
    public var doubleValue: Double {
        Double(text) ?? .nan  // never nan: `text` is always a valid literal, which Double(_:) accepts
    }

    /// The literal itself.
    public var description: String { text }
}
