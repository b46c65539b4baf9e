extension ABIType {
    /// Parses a type as Solidity, ABI JSON and ethers write it: `uint256`, `uint` (= `uint256`), `int`,
    /// `bytes32`, `address[]`, `uint8[3][]`, `(uint256,string)[]`, or ethers' `tuple(uint256,bytes)[2]`.
    /// Whitespace between tokens is ignored.
    ///
    /// Type strings can come from users (RPC, config, CLI), so the parser never traps and refuses nesting
    /// deeper than `maxNestingDepth`; it also refuses what Solidity refuses (`uint7`, `bytes0`, `T[0]`, `()`).
    public init(parsing text: String) throws(ABIError) {
        var parser = TypeParser(text: text)
        let (type, _) = try parser.parseType(level: 0)
        parser.skipWhitespace()
        guard parser.atEnd else { throw parser.error("unexpected text after the type") }
        self = type
    }
}

/// A recursive-descent parser over the UTF-8 bytes of a type string.
private struct TypeParser {
    let text: String
    let bytes: [UInt8]
    var position = 0

    init(text: String) {
        self.text = text
        self.bytes = Array(text.utf8)
    }

    var atEnd: Bool { position >= bytes.count }

    var current: UInt8? { position < bytes.count ? bytes[position] : nil }

    mutating func skipWhitespace() {
        while let c = current, c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D { position += 1 }
    }

    func error(_ what: String) -> ABIError {
        .invalidType("\(what) at offset \(position) in \"\(text)\"")
    }

    /// Parses one type nested inside `level` containers; returns it with its own nesting depth, so the total
    /// (`level + depth`) can be held to `maxNestingDepth` before recursing any further.
    mutating func parseType(level: Int) throws(ABIError) -> (ABIType, Int) {
        guard level <= ABIType.maxNestingDepth else { throw .tooDeep }
        skipWhitespace()
        var type: ABIType
        var depth: Int
        if current == UInt8(ascii: "(") {
            (type, depth) = try parseTuple(level: level)
        } else {
            let word = identifier()
            if word == "tuple" {
                skipWhitespace()
                guard current == UInt8(ascii: "(") else { throw error("expected '(' after 'tuple'") }
                (type, depth) = try parseTuple(level: level)
            } else {
                type = try elementary(word)
                depth = 0
            }
        }
        while true {
            skipWhitespace()
            guard current == UInt8(ascii: "[") else { break }
            position += 1
            skipWhitespace()
            let digits = identifier()
            skipWhitespace()
            guard current == UInt8(ascii: "]") else { throw error("expected ']'") }
            position += 1
            if digits.isEmpty {
                type = .array(type)
            } else {
                guard let count = Self.number(digits), count >= 1 else {
                    throw .invalidType("array size [\(digits)] in \"\(text)\" (must be a positive integer)")
                }
                type = .fixedArray(type, count)
            }
            depth += 1
            guard level + depth <= ABIType.maxNestingDepth else { throw .tooDeep }
        }
        return (type, depth)
    }

    /// `(T1, ..., Tn)` with the opening parenthesis current.
    mutating func parseTuple(level: Int) throws(ABIError) -> (ABIType, Int) {
        position += 1  // "("
        var components: [ABIType] = []
        var depth = 0
        skipWhitespace()
        guard current != UInt8(ascii: ")") else { throw error("empty tuple") }
        while true {
            let (component, componentDepth) = try parseType(level: level + 1)
            components.append(component)
            depth = max(depth, componentDepth + 1)
            guard level + depth <= ABIType.maxNestingDepth else { throw .tooDeep }
            skipWhitespace()
            switch current {
            case UInt8(ascii: ","): position += 1
            case UInt8(ascii: ")"):
                position += 1
                return (.tuple(components), depth)
            default: throw error("expected ',' or ')'")
            }
        }
    }

    /// The run of ASCII letters and digits at the current position (possibly empty).
    mutating func identifier() -> String {
        let start = position
        while let c = current,
              (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(c) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(c)
              || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(c) {
            position += 1
        }
        return String(decoding: bytes[start..<position], as: UTF8.self)
    }

    func elementary(_ word: String) throws(ABIError) -> ABIType {
        switch word {
        case "": throw error("expected a type")
        case "address": return .address
        case "bool": return .bool
        case "string": return .string
        case "bytes": return .bytes
        case "uint": return .uint(256)
        case "int": return .int(256)
        default: break
        }
        let type: ABIType
        if word.hasPrefix("uint"), let bits = Self.number(word.dropFirst(4)) {
            type = .uint(bits)
        } else if word.hasPrefix("int"), let bits = Self.number(word.dropFirst(3)) {
            type = .int(bits)
        } else if word.hasPrefix("bytes"), let n = Self.number(word.dropFirst(5)) {
            type = .fixedBytes(n)
        } else {
            throw .invalidType("unknown type \"\(word)\" in \"\(text)\"")
        }
        try type.validate()
        return type
    }

    /// Decimal digits without a leading zero (Solidity's canonical spelling), or nil; never overflows.
    static func number(_ digits: some StringProtocol) -> Int? {
        let utf8 = digits.utf8
        guard let first = utf8.first, first != UInt8(ascii: "0") || utf8.count == 1 else { return nil }
        var value = 0
        for c in utf8 {
            guard c >= UInt8(ascii: "0"), c <= UInt8(ascii: "9") else { return nil }
            let (times10, o1) = value.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times10.addingReportingOverflow(Int(c - UInt8(ascii: "0")))
            guard !o1, !o2 else { return nil }
            value = sum
        }
        return value
    }
}
