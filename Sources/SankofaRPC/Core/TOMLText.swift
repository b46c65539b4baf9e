import TOMLKit

/// The one way the node parses a TOML file (config, RPC credentials, permissions): TOMLKit behind a guard.
///
/// Why the guard: TOMLKit's bundled toml++ aborts on an assertion (`parse_key`: "is_bare_key_character(*cp) ||
/// is_string_delimiter(*cp)") when a table header starts with certain characters, e.g. `[` U+1000 or `[` U+0001
/// or `[+`, and (`parse_value`: "!is_value_terminator(*cp)") on `s = [}` — all found by the `toml` fuzz target
/// (Fuzz/): toml++ checks those characters only in its assertions. Likewise (`parse_time`: "is_decimal_digit(*cp)")
/// on a date followed by `T` and no digit, e.g. `1979-05-27Tb2p07:32:00Z`; and `parse_value` again on a `}` in an
/// array that a multi-line string ending in four quotes had hidden from an earlier version of this guard, and on a
/// date, a space and a single digit (`1979-05-27 3`), which toml++ takes for the start of a space-separated time.
/// TOML 1.0 allows no control character but tab anywhere (line breaks aside), and bare keys are ASCII
/// (`A-Za-z0-9_-`), so such files are invalid anyway and are refused before they reach the parser; strings (quoted
/// keys included) and comments may still hold any UTF-8.
public enum TOMLText {
    /// Why a file was refused.
    public struct ParseError: Error, CustomStringConvertible {
        public let description: String
    }

    /// Parses `text` into a table, refusing (never trapping on) anything TOML 1.0 does not allow there.
    public static func parse(_ text: String) throws(ParseError) -> TOMLTable {
        if let offset = text.utf8.firstIndex(where: { ($0 < 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D) || $0 == 0x7F }) {
            let position = text.utf8.distance(from: text.utf8.startIndex, to: offset)
            throw ParseError(description: "control character at byte \(position)")
        }
        if let offset = nonASCIIOutsideStrings(text) {
            throw ParseError(description: "non-ASCII character outside a string or comment at byte \(offset)")
        }
        if let offset = badTableHeader(text) {
            throw ParseError(description: "table header without a key or unbalanced bracket at byte \(offset)")
        }
        if let offset = malformedDateTime(text) {
            throw ParseError(description: "date-time without a time after its T or space at byte \(offset)")
        }
        do { return try TOMLTable(string: text) } catch { throw ParseError(description: "\(error)") }
    }

    /// The byte offset of the first non-ASCII byte outside a string or comment, or nil if there is none.
    static func nonASCIIOutsideStrings(_ text: String) -> Int? {
        let bytes = Array(text.utf8)
        let code = outsideStrings(bytes)
        return bytes.indices.first { code[$0] && bytes[$0] >= 0x80 }
    }

    /// The byte offset, outside strings and comments, of a `T` or `t` that follows a full date (`YYYY-MM-DD`) without
    /// a digit after it, or of a space after something date-shaped (`-` at the 5th and 8th of ten characters)
    /// followed by one digit alone — no time is that short — or nil if there is none.
    static func malformedDateTime(_ text: String) -> Int? {
        let bytes = Array(text.utf8)
        let code = outsideStrings(bytes)
        func isDigit(_ i: Int) -> Bool { i >= 0 && i < bytes.count && bytes[i] >= UInt8(ascii: "0") && bytes[i] <= UInt8(ascii: "9") }
        let dash = UInt8(ascii: "-")
        return bytes.indices.first { i in
            guard code[i], i >= 10, bytes[i - 6] == dash, bytes[i - 3] == dash else { return false }
            switch bytes[i] {
            case UInt8(ascii: "T"), UInt8(ascii: "t"):
                return [i - 10, i - 9, i - 8, i - 7, i - 5, i - 4, i - 2, i - 1].allSatisfy(isDigit) && !isDigit(i + 1)
            case UInt8(ascii: " "):
                return isDigit(i + 1) && !isDigit(i + 2)
            default:
                return false
            }
        }
    }

    /// For each byte, whether it lies outside every string and comment (where TOML's syntax, not its text, is).
    static func outsideStrings(_ bytes: [UInt8]) -> [Bool] {
        var code = [Bool](repeating: true, count: bytes.count)
        let quote = UInt8(ascii: "\""), apostrophe = UInt8(ascii: "'"), backslash = UInt8(ascii: "\\")
        func opensTriple(_ i: Int) -> Bool {
            i + 2 < bytes.count && bytes[i + 1] == bytes[i] && bytes[i + 2] == bytes[i]
        }
        var index = 0
        while index < bytes.count {
            let byte = bytes[index], start = index
            if byte == UInt8(ascii: "#") {
                while index < bytes.count, bytes[index] != UInt8(ascii: "\n") { index += 1 }
            } else if (byte == quote || byte == apostrophe) && opensTriple(index) {
                index += 3
                while index < bytes.count, !(bytes[index] == byte && opensTriple(index)) {
                    index += byte == quote && bytes[index] == backslash ? 2 : 1
                }
                // TOML 1.0: one or two quotes right before the closing three belong to the string (`""""` ends
                // a string whose last character is `"`), so a run of up to five closes it.
                var run = 3
                while run < 5, index + run < bytes.count, bytes[index + run] == byte { run += 1 }
                index += run
            } else if byte == quote || byte == apostrophe {
                index += 1
                while index < bytes.count, bytes[index] != byte, bytes[index] != UInt8(ascii: "\n") {
                    index += byte == quote && bytes[index] == backslash ? 2 : 1
                }
                index += 1
            } else {
                index += 1
                continue
            }
            for covered in start..<min(index, bytes.count) { code[covered] = false }
        }
        return code
    }

    /// The byte offset of a table header (`[` or `[[` at depth zero, outside a value) whose key does not start with
    /// a bare-key character or a quote, or of a `]` or `}` in a value that does not close the innermost open
    /// bracket, or nil if there is none. Strings and comments are skipped as above.
    static func badTableHeader(_ text: String) -> Int? {
        let bytes = Array(text.utf8)
        let code = outsideStrings(bytes)
        func isKeyStart(_ byte: UInt8) -> Bool {
            (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "_")
                || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'")
        }
        var index = 0, open: [UInt8] = [], inValue = false
        while index < bytes.count {
            let byte = bytes[index]
            guard code[index] else {
                index += 1
                continue
            }
            switch byte {
            case UInt8(ascii: "="): inValue = true
            case UInt8(ascii: "\n"): if open.isEmpty { inValue = false }
            case UInt8(ascii: "{") where inValue: open.append(byte)
            case UInt8(ascii: "]"), UInt8(ascii: "}"):
                guard open.popLast() == (byte == UInt8(ascii: "]") ? UInt8(ascii: "[") : UInt8(ascii: "{")) else { return index }
            case UInt8(ascii: "["):
                if inValue || !open.isEmpty {
                    open.append(byte)
                } else {
                    var next = index + 1
                    if next < bytes.count, bytes[next] == UInt8(ascii: "[") { next += 1 }
                    while next < bytes.count, bytes[next] == 0x20 || bytes[next] == 0x09 { next += 1 }
                    if next < bytes.count, !isKeyStart(bytes[next]) { return index }
                    // Skip the header itself: its brackets are not array brackets.
                    while index < bytes.count, bytes[index] != UInt8(ascii: "\n"), bytes[index] != UInt8(ascii: "]") {
                        index += 1
                    }
                    while index < bytes.count, bytes[index] == UInt8(ascii: "]") { index += 1 }
                    continue
                }
            default: break
            }
            index += 1
        }
        return nil
    }
}
