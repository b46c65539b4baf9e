import Testing
@testable import SankofaRPC

/// `TOMLText.parse` refuses, rather than letting toml++ abort on, non-ASCII bytes outside strings and comments.
@Suite("TOML text guard")
struct TOMLTextTests {
    /// Found by the `toml` fuzz target (Fuzz/): `[` U+1000 NUL made toml++'s `parse_key` assertion abort the process.
    @Test func fuzzCrashInputIsRefused() {
        let input: [UInt8] = [0x5b, 0xe1, 0x80, 0x80, 0x00]
        #expect(throws: TOMLText.ParseError.self) { _ = try TOMLText.parse(String(decoding: input, as: UTF8.self)) }
        #expect(TOMLText.nonASCIIOutsideStrings(String(decoding: input, as: UTF8.self)) == 1)
    }

    /// Found by the same target: `[` U+0001 … hit the same assertion.
    @Test func fuzzControlCharacterInputIsRefused() {
        let input: [UInt8] = [0x5b, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x07, 0x7a]
        #expect(throws: TOMLText.ParseError.self) { _ = try TOMLText.parse(String(decoding: input, as: UTF8.self)) }
    }

    @Test(arguments: ["key = \"ÆØÅ\"", "key = 'ÆØÅ'", "# ÆØÅ\nkey = 1", "key = \"\"\"\nÆØÅ \\\"\"\"\"", "key = '''\nÆØÅ'''",
                      "[Users.\"bjørn\"]\npassword = \"x\""])
    func unicodeInStringsAndCommentsIsAccepted(text: String) throws {
        #expect(TOMLText.nonASCIIOutsideStrings(text) == nil)
        _ = try TOMLText.parse(text)
    }

    /// `[+` and `s = [}` (both found by the same target) hit toml++ assertions.
    @Test(arguments: ["[+", "[[ +]]", "a = 1\n[ ?]", "s = [}\n", "s = {a = [1}}", "s = ]"])
    func headerWithoutKeyIsRefused(text: String) {
        #expect(TOMLText.badTableHeader(text) != nil)
        #expect(throws: TOMLText.ParseError.self) { _ = try TOMLText.parse(text) }
    }

    /// Found by a long run of the `toml` target: `""""` closes a multi-line string (the first quote is its content);
    /// the guard closed it one quote early, lost track of strings and missed the `}` inside the array, on which
    /// toml++'s `parse_value` assertion aborted.
    @Test func multiLineStringEndingInExtraQuotesIsTracked() throws {
        let crash = String(decoding: [0x70, 0x3d, 0x5b, 0x22, 0x22, 0x22, 0x21, 0x22, 0x2c, 0x2c, 0x22, 0x22, 0x2c, 0x22, 0x22,
                                      0x2c, 0x7d, 0x22, 0x22, 0x22, 0x22, 0x2c, 0x22, 0x22, 0x2c, 0x7d, 0x22, 0x22, 0x25, 0x5d] as [UInt8],
                              as: UTF8.self)   // p=["""!",,"","",}"""","",}""%]
        #expect(TOMLText.badTableHeader(crash) != nil)
        #expect(throws: TOMLText.ParseError.self) { _ = try TOMLText.parse(crash) }
        for valid in [#"s = """a""""#, "s = '''b'''''", #"k = ["""x"""", "y"]"# + "\n[t]\nz = 1"] {
            #expect(TOMLText.badTableHeader(valid) == nil, "\(valid)")
            _ = try TOMLText.parse(valid)
        }
    }

    @Test(arguments: ["[a]\nx = 1", "[[ \"b\" ]]\ny = 2", "k = [\n  [+1, 2],\n]\n[t]\nz = 3", "k = \"[+\"\n[u]", "t = { a = [1, { b = 2 }] }\n[v]", "[[arr]]\nx = 1\n[[arr]]\nx = 2"])
    func validHeadersAndArraysPass(text: String) throws {
        #expect(TOMLText.badTableHeader(text) == nil)
        _ = try TOMLText.parse(text)
    }

    @Test(arguments: ["ÆØÅ = 1", "[ÆØÅ]", "key = 1 ÆØÅ", "key = \"a\" ÆØÅ"])
    func unicodeOutsideStringsIsRefused(text: String) {
        #expect(TOMLText.nonASCIIOutsideStrings(text) != nil)
        #expect(throws: TOMLText.ParseError.self) { _ = try TOMLText.parse(text) }
    }

    /// Found by the `toml` fuzz target: a date, `T`, then no digit hit toml++'s `parse_time` assertion.
    @Test(arguments: ["[section]\nkey = 1.5\nother = 1979-05-27Tb2p07:32:00Z\n", "d = 2024-01-01T", "d = 2024-01-01tx"])
    func dateWithoutTimeAfterTIsRefused(text: String) {
        #expect(TOMLText.malformedDateTime(text) != nil)
        #expect(throws: TOMLText.ParseError.self) { _ = try TOMLText.parse(text) }
    }

    /// Found by the `toml` fuzz target (a 20 s CI run): a date-shaped value, a space and one digit hit toml++'s
    /// `parse_value` assertion (`!is_value_terminator(*cp)`); the first is the fuzzer's input.
    @Test(arguments: ["y = 1.5\nother = 1979-05-=0 3\nbootno2es = 27T07:32:00Z\n", "d = 1979-05-27 3,", "d = [1979-05-xx 3]",
                      "d = {b = 1979-05-27 3}", "d = 19x9-05-27 3 # c"])
    func dateSpaceAndOneDigitIsRefused(text: String) {
        #expect(TOMLText.malformedDateTime(text) != nil)
        #expect(throws: TOMLText.ParseError.self) { _ = try TOMLText.parse(text) }
    }

    @Test(arguments: ["d = 1979-05-27T07:32:00Z", "d = 1979-05-27t07:32:00", "d = 1979-05-27", "s = \"1979-05-27Tb\"",
                      "# 1979-05-27Tb\nk = 1", "d = 1979-05-27 07:32:00", "d = 1979-05-27 # 3", "s = \"1979-05-27 3\""])
    func wellFormedDatesAndQuotedTextPass(text: String) throws {
        #expect(TOMLText.malformedDateTime(text) == nil)
        _ = try TOMLText.parse(text)
    }
}
