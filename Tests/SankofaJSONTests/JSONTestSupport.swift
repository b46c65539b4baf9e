import SankofaTestSupport  // SplitMix64
@testable import SankofaJSON

/// Random JSON values that exercise the awkward corners: escapes, control characters, non-ASCII and astral
/// scalars, combining marks, big and fractional numbers, empty and nested containers, duplicate-free keys.
struct RandomJSON {
    var rng: SplitMix64
    /// When true, numbers stay where Foundation represents them exactly (Int64 / UInt64 integers, short decimals).
    var foundationSafeNumbers = false

    init(seed: UInt64, foundationSafeNumbers: Bool = false) {
        rng = SplitMix64(seed: seed)
        self.foundationSafeNumbers = foundationSafeNumbers
    }

    /// Scalars chosen to hit every branch of the string code: plain ASCII, characters that need escaping,
    /// 2-, 3- and 4-byte UTF-8, a combining mark, U+2028 and the noncharacter U+FFFF.
    static let palette: [Unicode.Scalar] = [
        "a", "z", "0", "9", " ", "_", "/", "\"", "\\", "\u{0}", "\u{1}", "\u{8}", "\u{9}", "\u{A}", "\u{C}", "\u{D}",
        "\u{1F}", "\u{7F}", "é", "ß", "\u{301}", "€", "中", "\u{2028}", "\u{FFFF}", "😀", "\u{10FFFF}", "x", "y",
    ]

    mutating func string(maxLength: Int = 12) -> String {
        var s = String.UnicodeScalarView()
        let length = Int.random(in: 0...maxLength, using: &rng)
        let plainOnly = Bool.random(using: &rng)  // half the strings take the parser's ASCII fast path
        for _ in 0..<length {
            if plainOnly {
                s.append(Unicode.Scalar(UInt8.random(in: 0x20...0x7E, using: &rng)))
                if s.last == "\"" || s.last == "\\" { s.removeLast(); s.append("q") }
            } else {
                s.append(Self.palette.randomElement(using: &rng)!)
            }
        }
        return String(s)
    }

    mutating func digits(_ count: Int, leadingNonZero: Bool) -> String {
        var d = ""
        for k in 0..<count {
            let low = (k == 0 && leadingNonZero) ? 1 : 0
            d.append(Character(Unicode.Scalar(UInt8(ascii: "0") + UInt8.random(in: UInt8(low)...9, using: &rng))))
        }
        return d
    }

    mutating func number() -> JSONNumber {
        if foundationSafeNumbers {
            switch Int.random(in: 0..<4, using: &rng) {
            case 0: return JSONNumber(Int.random(in: -(1 << 62)...(1 << 62), using: &rng))
            case 1: return JSONNumber(UInt64.random(in: UInt64(Int64.max) + 1 ... UInt64.max, using: &rng))
            case 2: return JSONNumber(Int.random(in: -1000...1000, using: &rng))
            default:
                let text = "\(Bool.random(using: &rng) ? "-" : "")\(Int.random(in: 0...99999, using: &rng)).\(digits(3, leadingNonZero: false))"
                return JSONNumber(literal: text)!
            }
        }
        switch Int.random(in: 0..<4, using: &rng) {
        case 0: return JSONNumber(Int.random(in: Int.min...Int.max, using: &rng))
        case 1: return JSONNumber(UInt64.random(in: 0...UInt64.max, using: &rng))
        case 2: return JSONNumber(Double(bitPattern: UInt64.random(in: 0...UInt64.max, using: &rng))) ?? JSONNumber(0)
        default:
            // Any literal the grammar allows, including 40-digit integers and exponents with signs.
            var text = Bool.random(using: &rng) ? "-" : ""
            text += Bool.random(using: &rng) ? "0" : digits(Int.random(in: 1...40, using: &rng), leadingNonZero: true)
            if Bool.random(using: &rng) { text += "." + digits(Int.random(in: 1...20, using: &rng), leadingNonZero: false) }
            if Bool.random(using: &rng) {
                text += ["e", "E"].randomElement(using: &rng)! + ["", "+", "-"].randomElement(using: &rng)!
                text += digits(Int.random(in: 1...4, using: &rng), leadingNonZero: false)
            }
            return JSONNumber(literal: text)!
        }
    }

    mutating func value(depth: Int = 0, maxDepth: Int = 5) -> JSON {
        let containers = depth < maxDepth
        switch Int.random(in: 0..<(containers ? 8 : 5), using: &rng) {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &rng))
        case 2: return .number(number())
        case 3, 4: return .string(string())
        case 5: return .array((0..<Int.random(in: 0...6, using: &rng)).map { _ in value(depth: depth + 1, maxDepth: maxDepth) })
        default:
            var object = JSONObject()
            for _ in 0..<Int.random(in: 0...6, using: &rng) {
                let key = string(maxLength: 8)
                // Unique both byte-wise and under String == (Foundation's dictionaries use the latter).
                if object[key] == nil, !object.keys.contains(key) { object.append(key, value(depth: depth + 1, maxDepth: maxDepth)) }
            }
            return .object(object)
        }
    }
}

/// Parses text for tests; the failure shows which document broke.
func parseJSON(_ text: String, limits: JSONLimits = .init()) throws(JSONParseError) -> JSON {
    try JSONParser.parse(Array(text.utf8), limits: limits)
}

/// A deliberately naive writer (byte at a time, no fast paths) that the real one must match byte for byte.
func referenceJSONEncode(_ value: JSON) -> [UInt8] {
    switch value {
    case .null: return Array("null".utf8)
    case .bool(let b): return Array((b ? "true" : "false").utf8)
    case .number(let n): return Array(n.text.utf8)
    case .string(let s): return referenceJSONEncode(string: s)
    case .array(let a): return Array("[".utf8) + a.map(referenceJSONEncode).joined(separator: Array(",".utf8)) + Array("]".utf8)
    case .object(let o):
        let members = o.map { referenceJSONEncode(string: $0.key) + Array(":".utf8) + referenceJSONEncode($0.value) }
        return Array("{".utf8) + members.joined(separator: Array(",".utf8)) + Array("}".utf8)
    }
}

func referenceJSONEncode(string s: String) -> [UInt8] {
    var out: [UInt8] = [0x22]
    let short: [UInt8: String] = [0x22: "\\\"", 0x5C: "\\\\", 0x08: "\\b", 0x0C: "\\f", 0x0A: "\\n", 0x0D: "\\r", 0x09: "\\t"]
    for b in s.utf8 {
        if let escape = short[b] {
            out += Array(escape.utf8)
        } else if b < 0x20 {
            let hex = Array("0123456789abcdef".utf8)
            out += Array("\\u00".utf8) + [hex[Int(b >> 4)], hex[Int(b & 15)]]
        } else {
            out.append(b)
        }
    }
    out.append(0x22)
    return out
}
