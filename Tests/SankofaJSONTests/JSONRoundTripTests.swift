import Testing
@testable import SankofaJSON

@Suite("Round trips and canonical output")
struct JSONRoundTripTests {
    /// parse(write(v)) == v for random values, including every escape, astral scalars and 40-digit numbers.
    @Test(arguments: [1, 2, 3, 4] as [UInt64])
    func randomValuesRoundTrip(seed: UInt64) throws {
        var generator = RandomJSON(seed: seed)
        for _ in 0..<500 {
            let value = generator.value()
            let bytes = JSONWriter.encode(value)
            let back = try JSONParser.parse(bytes)
            #expect(back == value, "\(JSONWriter.string(value))")
            #expect(JSONWriter.encode(back) == bytes)  // writing is deterministic
            #expect(bytes == referenceJSONEncode(value))
        }
    }

    /// Outputs far beyond the writer's initial buffer, with escapes on both sides of every 8-byte boundary.
    @Test func largeOutputs() throws {
        var generator = RandomJSON(seed: 99)
        var text = ""
        for k in 0..<20_000 { text += k % 7 == 0 ? "\"" : k % 11 == 0 ? "\u{1}é" : "abc" }
        let big: JSON = ["s": .string(text), "a": .array((0..<5_000).map { _ in generator.value(maxDepth: 2) })]
        let bytes = JSONWriter.encode(big)
        #expect(bytes == referenceJSONEncode(big))
        #expect(bytes.count > 100_000)
        #expect(try JSONParser.parse(bytes) == big)
        var appended: [UInt8] = [1, 2, 3]
        JSONWriter.write(big, into: &appended)
        #expect(appended == [1, 2, 3] + bytes)
        #expect(JSONWriter.string(big) == String(decoding: bytes, as: UTF8.self))
    }

    /// write(parse(text)) is the compact canonical form: whitespace gone, order and number text kept,
    /// escapes normalized to the shortest RFC 8259 form.
    @Test("canonical compact output", arguments: [
        (" { \"b\" : 1 ,\n\t\"a\" : [ true , false , null ] } ", #"{"b":1,"a":[true,false,null]}"#),
        ("[1.0, -0, 1E+2, 0.000001, 123456789012345678901234567890]", "[1.0,-0,1E+2,0.000001,123456789012345678901234567890]"),
        (#""\/\"\\\b\f\n\r\t""#, #""/\"\\\b\f\n\r\t""#),
        (#""\u0000\u001f\u007f\u0041""#, #""\u0000\u001f"# + "\u{7F}A\""),
        (#""\u00e9\u20AC\ud83d\ude00""#, "\"é€😀\""),
        ("\"é€😀\"", "\"é€😀\""),
        (#"{"a":1,"a":2}"#, #"{"a":1,"a":2}"#),
        ("[[],{},[{}],\"\"]", "[[],{},[{}],\"\"]"),
        (#"{"jsonrpc":"2.0","id":1,"method":"eth_getBlockByNumber","params":["0x1b4",true]}"#,
         #"{"jsonrpc":"2.0","id":1,"method":"eth_getBlockByNumber","params":["0x1b4",true]}"#),
    ])
    func canonicalOutput(_ input: String, _ expected: String) throws {
        #expect(JSONWriter.string(try parseJSON(input)) == expected)
    }

    @Test func writerEscapesExactlyWhatRFC8259Requires() {
        var all = ""
        for v in 0..<0x80 { all.unicodeScalars.append(Unicode.Scalar(UInt8(v))) }
        let written = JSONWriter.string(.string(all))
        #expect(written.hasPrefix(#""\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\b\t\n\u000b\f\r\u000e"#))
        #expect(written.contains(##"\u001f !\"#"##))
        #expect(written.contains(#"[\\]"#))
        #expect(written.hasSuffix("}~\u{7F}\""))
        #expect(written.contains("/"))
        #expect(!written.contains(#"\/"#))
    }

    @Test func writerAppendsToExistingBuffer() {
        var buffer: [UInt8] = Array("prefix:".utf8)
        JSONWriter.write(["a": [1, .null, true]], into: &buffer)
        #expect(String(decoding: buffer, as: UTF8.self) == #"prefix:{"a":[1,null,true]}"#)
    }

    /// Numbers keep their literal text, so values a Double would round survive unchanged.
    @Test func numbersKeepTheirText() throws {
        for literal in ["18446744073709551615", "18446744073709551616", "-9223372036854775809", "0.1", "1e400", "-0.0",
                        "3.141592653589793238462643383279"] {
            let value = try parseJSON(literal)
            #expect(value.numberValue?.text == literal)
            #expect(JSONWriter.string(value) == literal)
        }
    }
}
