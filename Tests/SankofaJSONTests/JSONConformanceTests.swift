import SankofaTestSupport  // SplitMix64
import Testing
@testable import SankofaJSON

/// One document of the table, named as in nst/JSONTestSuite where a case comes from there.
struct JSONDoc: CustomTestStringConvertible, Sendable {
    let name: String
    let bytes: [UInt8]
    init(_ name: String, _ text: String) { self.name = name; bytes = Array(text.utf8) }
    init(_ name: String, bytes: [UInt8]) { self.name = name; self.bytes = bytes }
    /// Text around raw bytes (for invalid UTF-8, which a Swift string literal cannot hold).
    init(_ name: String, _ prefix: String, _ raw: [UInt8], _ suffix: String) {
        self.name = name
        bytes = Array(prefix.utf8) + raw + Array(suffix.utf8)
    }
    var testDescription: String { name }
}

/// Documents RFC 8259 accepts: each must parse, and writing the result must parse back to the same value.
let jsonMustParse: [JSONDoc] = [
    JSONDoc("y_array_arraysWithSpaces", "[[]   ]"), JSONDoc("y_array_empty", "[]"), JSONDoc("y_array_empty-string", "[\"\"]"),
    JSONDoc("y_array_false", "[false]"), JSONDoc("y_array_heterogeneous", "[null, 1, \"1\", {}]"),
    JSONDoc("y_array_null", "[null]"), JSONDoc("y_array_with_1_and_newline", "[1\n]"), JSONDoc("y_array_with_leading_space", " [1]"),
    JSONDoc("y_array_with_several_null", "[1,null,null,null,2]"), JSONDoc("y_array_with_trailing_space", "[2] "),
    JSONDoc("y_number", "[123e65]"), JSONDoc("y_number_0e+1", "[0e+1]"), JSONDoc("y_number_0e1", "[0e1]"),
    JSONDoc("y_number_after_space", "[ 4]"),
    JSONDoc("y_number_double_close_to_zero", "[-0.000000000000000000000000000000000000000000000000000000000000000000000000000001]"),
    JSONDoc("y_number_int_with_exp", "[20e1]"), JSONDoc("y_number_minus_zero", "[-0]"), JSONDoc("y_number_negative_int", "[-123]"),
    JSONDoc("y_number_real_capital_e", "[1E22]"), JSONDoc("y_number_real_capital_e_neg_exp", "[1E-2]"),
    JSONDoc("y_number_real_capital_e_pos_exp", "[1E+2]"), JSONDoc("y_number_real_fraction_exponent", "[123.456e78]"),
    JSONDoc("y_number_simple_real", "[123.456789]"), JSONDoc("y_number_huge_exp", "[1.5e99999]"),
    JSONDoc("y_number_very_big_negative_int", "[-237462374673276894279832749832423479823246327846]"),
    JSONDoc("y_number_2^64", "18446744073709551616"), JSONDoc("y_number_leading_zero_fraction", "[0.000001]"),
    JSONDoc("y_object", "{\"asd\":\"sdf\", \"dfg\":\"fgh\"}"), JSONDoc("y_object_duplicated_key", "{\"a\":\"b\",\"a\":\"c\"}"),
    JSONDoc("y_object_empty", "{}"), JSONDoc("y_object_empty_key", "{\"\":0}"),
    JSONDoc("y_object_escaped_null_in_key", "{\"foo\\u0000bar\": 42}"),
    JSONDoc("y_object_extreme_numbers", "{ \"min\": -1.0e+28, \"max\": 1.0e+28 }"),
    JSONDoc("y_object_with_newlines", "{\n\"a\": \"b\"\n}"), JSONDoc("y_object_nested", "{\"a\":{\"b\":[{\"c\":[]}]}}"),
    JSONDoc("y_string_1_2_3_bytes_UTF-8_sequences", "[\"\\u0060\\u012a\\u12AB\"]"),
    JSONDoc("y_string_accepted_surrogate_pair", "[\"\\uD801\\udc37\"]"),
    JSONDoc("y_string_last_surrogates_1_and_2", "[\"\\uDBFF\\uDFFF\"]"),
    JSONDoc("y_string_allowed_escapes", "[\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"]"),
    JSONDoc("y_string_backslash_and_u_escaped_zero", "[\"\\\\u0000\"]"),
    JSONDoc("y_string_escaped_control_character", "[\"\\u0012\"]"),
    JSONDoc("y_string_nonCharacterInUTF-8_U+FFFF", "[\"", [0xEF, 0xBF, 0xBF], "\"]"),
    JSONDoc("y_string_unicode_U+10FFFE_nonchar", "[\"", [0xF4, 0x8F, 0xBF, 0xBE], "\"]"),
    JSONDoc("y_string_utf8", "[\"€𝄞\"]"), JSONDoc("y_string_unescaped_char_delete", "[\"\u{7F}\"]"),
    JSONDoc("y_string_u+2028_line_sep", "[\"\u{2028}\"]"), JSONDoc("y_string_mixed_escapes_and_utf8", "\"é\\n中\\u00e9😀\\ud83d\\ude00x\""),
    JSONDoc("y_string_long_ascii", "\"" + String(repeating: "0123456789abcdef", count: 40) + "\""),
    JSONDoc("y_structure_lonely_false", "false"), JSONDoc("y_structure_lonely_int", "42"),
    JSONDoc("y_structure_lonely_negative_real", "-0.1"), JSONDoc("y_structure_lonely_null", "null"),
    JSONDoc("y_structure_lonely_string", "\"asd\""), JSONDoc("y_structure_lonely_true", "true"),
    JSONDoc("y_structure_string_empty", "\"\""), JSONDoc("y_structure_trailing_newline", "[\"a\"]\n"),
    JSONDoc("y_structure_whitespace_array", " \t\r\n[ \t\r\n] \t\r\n"), JSONDoc("y_depth_64", String(repeating: "[", count: 64) + String(repeating: "]", count: 64)),
]

/// Documents a strict parser must reject; each must throw (never trap).
let jsonMustFail: [JSONDoc] = [
    JSONDoc("n_array_1_true_without_comma", "[1 true]"), JSONDoc("n_array_a_invalid_utf8", "[a", [0xE5], "]"),
    JSONDoc("n_array_colon_instead_of_comma", "[\"\": 1]"), JSONDoc("n_array_comma_after_close", "[\"\"],"),
    JSONDoc("n_array_comma_and_number", "[,1]"), JSONDoc("n_array_double_comma", "[1,,2]"),
    JSONDoc("n_array_extra_close", "[\"x\"]]"), JSONDoc("n_array_extra_comma", "[\"\",]"), JSONDoc("n_array_incomplete", "[\"x\""),
    JSONDoc("n_array_inner_array_no_comma", "[3[4]]"), JSONDoc("n_array_items_separated_by_semicolon", "[1:2]"),
    JSONDoc("n_array_just_comma", "[,]"), JSONDoc("n_array_just_minus", "[-]"), JSONDoc("n_array_missing_value", "[   , \"\"]"),
    JSONDoc("n_array_unclosed", "[\"\""), JSONDoc("n_array_unclosed_trailing_comma", "[1,"), JSONDoc("n_array_star_inside", "[*]"),
    JSONDoc("n_incomplete_false", "[fals]"), JSONDoc("n_incomplete_null", "[nul]"), JSONDoc("n_incomplete_true", "[tru]"),
    JSONDoc("n_number_++", "[++1234]"), JSONDoc("n_number_+1", "[+1]"), JSONDoc("n_number_+Inf", "[+Inf]"),
    JSONDoc("n_number_-01", "[-01]"), JSONDoc("n_number_-1.0.", "[-1.0.]"), JSONDoc("n_number_-2.", "[-2.]"),
    JSONDoc("n_number_-NaN", "[-NaN]"), JSONDoc("n_number_.-1", "[.-1]"), JSONDoc("n_number_.2e-3", "[.2e-3]"),
    JSONDoc("n_number_0.1.2", "[0.1.2]"), JSONDoc("n_number_0.3e+", "[0.3e+]"), JSONDoc("n_number_0.3e", "[0.3e]"),
    JSONDoc("n_number_0.e1", "[0.e1]"), JSONDoc("n_number_0_capital_E+", "[0E+]"), JSONDoc("n_number_1.0e-", "[1.0e-]"),
    JSONDoc("n_number_1_000", "[1 000.0]"), JSONDoc("n_number_1eE2", "[1eE2]"), JSONDoc("n_number_2.e+3", "[2.e+3]"),
    JSONDoc("n_number_Inf", "[Inf]"), JSONDoc("n_number_NaN", "[NaN]"), JSONDoc("n_number_U+FF11_fullwidth_digit_one", "[１]"),
    JSONDoc("n_number_hex_1_digit", "[0x1]"), JSONDoc("n_number_infinity", "[Infinity]"), JSONDoc("n_number_leading_zero", "[012]"),
    JSONDoc("n_number_minus_infinity", "[-Infinity]"), JSONDoc("n_number_minus_space_1", "[- 1]"),
    JSONDoc("n_number_neg_int_starting_with_zero", "[-012]"), JSONDoc("n_number_real_without_fractional_part", "[1.]"),
    JSONDoc("n_number_with_alpha", "[1.2a-3]"), JSONDoc("n_number_lonely_minus_at_end", "-"), JSONDoc("n_number_00", "00"),
    JSONDoc("n_object_bad_value", "[\"x\", truth]"), JSONDoc("n_object_comma_instead_of_colon", "{\"x\", null}"),
    JSONDoc("n_object_double_colon", "{\"x\"::\"b\"}"), JSONDoc("n_object_missing_colon", "{\"a\" b}"),
    JSONDoc("n_object_missing_key", "{:\"b\"}"), JSONDoc("n_object_missing_value", "{\"a\":"), JSONDoc("n_object_non_string_key", "{1:1}"),
    JSONDoc("n_object_single_quote", "{'a':0}"), JSONDoc("n_object_trailing_comma", "{\"id\":0,}"),
    JSONDoc("n_object_trailing_comment", "{\"a\":\"b\"}/**/"), JSONDoc("n_object_unquoted_key", "{a: \"b\"}"),
    JSONDoc("n_object_with_trailing_garbage", "{\"a\":\"b\"}#"), JSONDoc("n_object_close_bracket", "{\"a\":1]"),
    JSONDoc("n_string_1_surrogate_then_escape", "[\"\\uD800\\\"]"), JSONDoc("n_string_1_surrogate_then_escape_u1", "[\"\\uD800\\u1\"]"),
    JSONDoc("n_string_lone_high_surrogate", "[\"\\uD800\"]"), JSONDoc("n_string_lone_low_surrogate", "[\"\\uDC00\"]"),
    JSONDoc("n_string_reversed_surrogates", "[\"\\uDC00\\uD800\"]"), JSONDoc("n_string_high_then_bmp", "[\"\\uD800\\u0041\"]"),
    JSONDoc("n_string_escape_x", "[\"\\x00\"]"), JSONDoc("n_string_escaped_emoji", "[\"\\🌀\"]"), JSONDoc("n_string_incomplete_escape", "[\"\\\"]"),
    JSONDoc("n_string_invalid_unicode_escape", "[\"\\uqqqq\"]"), JSONDoc("n_string_single_quote", "['single quote']"),
    JSONDoc("n_string_unescaped_newline", "[\"new\nline\"]"), JSONDoc("n_string_unescaped_tab", "[\"\t\"]"),
    JSONDoc("n_string_unescaped_ctrl_char", "[\"a\u{0}a\"]"), JSONDoc("n_string_no_quotes_with_bad_escape", "[\\n]"),
    JSONDoc("n_string_with_trailing_garbage", "\"\"x"), JSONDoc("n_string_unterminated", "\"abc"),
    JSONDoc("n_utf8_overlong_2", "[\"", [0xC0, 0xAF], "\"]"), JSONDoc("n_utf8_overlong_C1", "[\"", [0xC1, 0xBF], "\"]"),
    JSONDoc("n_utf8_overlong_3", "[\"", [0xE0, 0x80, 0xAF], "\"]"), JSONDoc("n_utf8_overlong_4", "[\"", [0xF0, 0x80, 0x80, 0xAF], "\"]"),
    JSONDoc("n_utf8_surrogate_encoded", "[\"", [0xED, 0xA0, 0x80], "\"]"), JSONDoc("n_utf8_above_10FFFF", "[\"", [0xF4, 0x90, 0x80, 0x80], "\"]"),
    JSONDoc("n_utf8_F5", "[\"", [0xF5, 0x80, 0x80, 0x80], "\"]"), JSONDoc("n_utf8_FF", "[\"", [0xFF], "\"]"),
    JSONDoc("n_utf8_lone_continuation", "[\"", [0x80], "\"]"), JSONDoc("n_utf8_truncated_3", "[\"", [0xE2, 0x82], "\"]"),
    JSONDoc("n_utf8_truncated_at_end", "\"", [0xF0, 0x9F, 0x98], ""), JSONDoc("n_utf8_in_key", "{\"", [0xC3], "\":1}"),
    JSONDoc("n_structure_UTF8_BOM_no_data", "", [0xEF, 0xBB, 0xBF], ""), JSONDoc("n_structure_BOM_object", "", [0xEF, 0xBB, 0xBF], "{}"),
    JSONDoc("n_structure_no_data", ""), JSONDoc("n_structure_whitespace_only", " \n"),
    JSONDoc("n_structure_object_with_comment", "{\"a\":/*comment*/\"b\"}"), JSONDoc("n_structure_double_array", "[][]"),
    JSONDoc("n_structure_unclosed_object", "{\"asd\":\"asd\""), JSONDoc("n_structure_open_array_object", "[{"),
    JSONDoc("n_structure_whitespace_formfeed", "[\u{C}]"), JSONDoc("n_structure_whitespace_U+2060_word_joiner", "[\u{2060}]"),
    JSONDoc("n_structure_nbsp", "[\u{A0}1]"), JSONDoc("n_structure_null-byte-outside-string", "[\u{0}]"),
    JSONDoc("n_structure_capitalized_True", "[True]"), JSONDoc("n_structure_lone-invalid-utf-8", "", [0xE5], ""),
    JSONDoc("n_structure_two_values", "1 2"), JSONDoc("n_depth_65", String(repeating: "[", count: 65) + String(repeating: "]", count: 65)),
    JSONDoc("n_structure_100000_opening_arrays", String(repeating: "[", count: 100_000)),
    JSONDoc("n_structure_open_objects", String(repeating: "{\"a\":", count: 10_000)),
]

@Suite("RFC 8259 conformance")
struct JSONConformanceTests {
    @Test("accepts", arguments: jsonMustParse)
    func accepts(_ doc: JSONDoc) throws {
        let value = try JSONParser.parse(doc.bytes)
        #expect(try JSONParser.parse(JSONWriter.encode(value)) == value)
    }

    @Test("rejects", arguments: jsonMustFail)
    func rejects(_ doc: JSONDoc) {
        #expect(throws: JSONParseError.self) { try JSONParser.parse(doc.bytes) }
    }

    @Test func tableIsLargeEnough() {
        #expect(jsonMustParse.count + jsonMustFail.count >= 80)
    }

    /// The error says what went wrong and where, so the RPC layer can tell the client.
    @Test("error kinds and offsets", arguments: [
        ("[1,]", JSONParseError.unexpectedCharacter(offset: 3, found: UInt8(ascii: "]"))),
        ("", .unexpectedEnd(offset: 0)), ("[1", .unexpectedEnd(offset: 2)), ("{\"a\":1", .unexpectedEnd(offset: 6)),
        ("[01]", .invalidNumber(offset: 2)), ("-", .invalidNumber(offset: 1)), ("[1.]", .invalidNumber(offset: 3)),
        ("[.5]", .unexpectedCharacter(offset: 1, found: UInt8(ascii: "."))), ("1e+", .invalidNumber(offset: 3)),
        ("[+1]", .unexpectedCharacter(offset: 1, found: UInt8(ascii: "+"))),
        ("\"a\\qb\"", .invalidEscape(offset: 2)), ("\"\\uD800x\"", .invalidEscape(offset: 1)),
        ("\"\\uDC00\"", .invalidEscape(offset: 1)), ("\"a\nb\"", .controlCharacterInString(offset: 2)),
        ("{} x", .trailingData(offset: 3)), ("nul", .unexpectedEnd(offset: 3)),
        ("nulL", .unexpectedCharacter(offset: 3, found: UInt8(ascii: "L"))),
        ("[1}", .unexpectedCharacter(offset: 2, found: UInt8(ascii: "}"))),
        ("{\"a\" 1}", .unexpectedCharacter(offset: 5, found: UInt8(ascii: "1"))),
    ])
    func errorKinds(_ text: String, _ expected: JSONParseError) {
        #expect(throws: expected) { try parseJSON(text) }
    }

    @Test func invalidUTF8Offsets() {
        #expect(throws: JSONParseError.invalidUTF8(offset: 3)) { try JSONParser.parse(Array("[\"a".utf8) + [0xC0, 0xAF] + Array("\"]".utf8)) }
        #expect(throws: JSONParseError.invalidUTF8(offset: 1)) { try JSONParser.parse([0x22, 0xED, 0xA0, 0x80, 0x22]) }
    }

    @Test func deepNestingFailsWithTooDeep() throws {
        let deep = String(repeating: "[", count: 10_000)
        #expect(throws: JSONParseError.tooDeep(limit: 64)) { try parseJSON(deep) }
        #expect(throws: JSONParseError.tooDeep(limit: 64)) { try parseJSON(String(repeating: "{\"k\":", count: 10_000)) }
        // A larger requested depth is clamped to the ceiling, because releasing and writing a tree recurse.
        let limits = JSONLimits(maxDepth: 1_000_000)
        #expect(throws: JSONParseError.tooDeep(limit: JSONLimits.depthCeiling)) { try parseJSON(deep, limits: limits) }
        let atCeiling = String(repeating: "[", count: 512) + String(repeating: "]", count: 512)
        #expect((try? parseJSON(atCeiling, limits: limits)) != nil)
        #expect(throws: JSONParseError.tooDeep(limit: 0)) { try parseJSON("[]", limits: JSONLimits(maxDepth: 0)) }
        #expect(try parseJSON("1", limits: JSONLimits(maxDepth: 0)) == 1)
    }

    @Test func elementAndStringLimits() throws {
        let small = JSONLimits(maxStringBytes: 4, maxElements: 3)
        #expect(try parseJSON("[1,2,3]", limits: small) == [1, 2, 3])
        #expect(throws: JSONParseError.self) { try parseJSON("[1,2,3,4]", limits: small) }
        #expect(throws: JSONParseError.self) { try parseJSON("[[1],[2]]", limits: small) }  // 4 values in total
        #expect(throws: JSONParseError.self) { try parseJSON("{\"a\":1,\"b\":2,\"c\":3,\"d\":4}", limits: small) }
        #expect(try parseJSON("\"abcd\"", limits: small) == "abcd")
        #expect(throws: JSONParseError.self) { try parseJSON("\"abcde\"", limits: small) }
        #expect(throws: JSONParseError.self) { try parseJSON("\"ab\\u00e9de\"", limits: small) }  // 6 decoded bytes
        #expect(try parseJSON("\"\\u0041\\u0042\\u0043\\u0044\"", limits: small) == "ABCD")   // decoded size counts
        #expect(throws: JSONParseError.self) { try parseJSON("123456", limits: small) }
        #expect(throws: JSONParseError.self) { try parseJSON("{\"abcde\":1}", limits: small) }
    }

    /// Every prefix of a valid document is invalid (only whole values count), and none of them traps.
    @Test func everyTruncationFails() throws {
        let doc = "{\"a\":[1,-2.5e+3,\"x\\u00e9\\ud83d\\ude00é\",true,false,null,{}],\"b\":{\"c\":[]}}"
        let bytes = Array(doc.utf8)
        _ = try JSONParser.parse(bytes)
        for n in 0..<bytes.count {
            #expect(throws: JSONParseError.self, "prefix \(n)") { try JSONParser.parse(bytes[0..<n]) }
        }
    }

    /// Random byte flips of valid documents: each either parses (and then round-trips) or throws.
    @Test func mutatedDocumentsNeverTrap() throws {
        var rng = SplitMix64(seed: 7)
        var generator = RandomJSON(seed: 8)
        var accepted = 0
        for _ in 0..<2_000 {
            var bytes = JSONWriter.encode(generator.value(maxDepth: 3))
            guard !bytes.isEmpty else { continue }
            for _ in 0..<Int.random(in: 1...3, using: &rng) {
                let interesting: [UInt8] = [0x22, 0x5C, 0x2C, 0x3A, 0x5B, 0x5D, 0x7B, 0x7D, 0x2D, 0x30, 0x2E, 0x65, 0x00, 0x0A, 0x80, 0xC3, 0xED, 0xF4, 0xFF]
                let b = Bool.random(using: &rng) ? interesting.randomElement(using: &rng)! : UInt8.random(in: 0...255, using: &rng)
                switch Int.random(in: 0..<3, using: &rng) {
                case 0: bytes[Int.random(in: 0..<bytes.count, using: &rng)] = b
                case 1: bytes.insert(b, at: Int.random(in: 0...bytes.count, using: &rng))
                default: if bytes.count > 1 { bytes.remove(at: Int.random(in: 0..<bytes.count, using: &rng)) }
                }
            }
            if let value = try? JSONParser.parse(bytes) {
                accepted += 1
                #expect(try JSONParser.parse(JSONWriter.encode(value)) == value)
            }
        }
        #expect(accepted > 0)
    }
}
