import Testing
@testable import SankofaJSON

@Suite("Values, objects and numbers")
struct JSONValueTests {
    @Test func literalsAndAccessors() {
        let v: JSON = ["s": "x", "i": 7, "b": false, "n": .null, "a": [1, 2], "o": ["k": "v"]]
        #expect(v["s"]?.stringValue == "x")
        #expect(v["i"]?.intValue == 7)
        #expect(v["b"]?.boolValue == false)
        #expect(v["n"]?.isNull == true)
        #expect(v["a"]?.arrayValue == [1, 2])
        #expect(v["a"]?[1] == 2)
        #expect(v["a"]?[2] == nil)
        #expect(v["a"]?[-1] == nil)
        #expect(v["o"]?.objectValue?["k"] == "v")
        #expect(v["s"]?.intValue == nil)
        #expect(v["i"]?.stringValue == nil)
        #expect(v["b"]?.isNull == false)
        #expect(v[0] == nil)
        #expect(JSON.string("x")["k"] == nil)
        #expect(v.objectValue?.keys == ["s", "i", "b", "n", "a", "o"])
    }

    /// Equality must tell apart every pair of different values, or round-trip tests prove nothing.
    @Test func equalityDistinguishesValues() throws {
        let distinct: [JSON] = [.null, true, false, 0, 1, "0", "1", "", [], [.null], [0], [1], [0, 1], [1, 0], [:], ["a": 1],
                                ["b": 1], ["a": 2], ["a": 1, "b": 1], ["b": 1, "a": 1], ["a": [:]], ["a": []], [[]], [[:]]]
        for (i, a) in distinct.enumerated() {
            for (j, b) in distinct.enumerated() {
                #expect((a == b) == (i == j), "\(a) vs \(b)")
            }
        }
        #expect(try parseJSON("[1,{\"a\":\"x\"}]") == [1, ["a": "x"]])
    }

    @Test func objectsAreOrderedAndKeepFirstDuplicate() throws {
        let o = try #require(try parseJSON(#"{"b":1,"a":2,"b":3}"#).objectValue)
        #expect(o.count == 3)
        #expect(o["b"] == 1)
        #expect(o.keys == ["b", "a", "b"])
        #expect(o.map(\.key) == ["b", "a", "b"])
        let reordered = try #require(try parseJSON(#"{"a":2,"b":1,"b":3}"#).objectValue)
        #expect(o != reordered)  // order is part of the value
    }

    @Test func objectMutation() {
        var o: JSONObject = ["a": 1, "b": 2, "a": 3]
        o["a"] = 10
        #expect(JSONWriter.string(.object(o)) == #"{"a":10,"b":2,"a":3}"#)
        o["c"] = "new"
        #expect(o.keys == ["a", "b", "a", "c"])
        o["a"] = nil
        #expect(o.keys == ["b", "c"])
        #expect(o.isEmpty == false)
        #expect(JSONObject().isEmpty)
        #expect(JSONObject([("x", 1), ("y", 2)]).keys == ["x", "y"])
    }

    /// Keys and strings compare by bytes (RFC 8259 §8.3), unlike Swift's canonical-equivalence `==`.
    @Test func byteExactComparison() throws {
        let composed = "\u{E9}", decomposed = "e\u{301}"
        #expect(composed == decomposed)  // Swift says equal…
        #expect(JSON.string(composed) != JSON.string(decomposed))  // …JSON does not
        let o = try #require(try parseJSON("{\"e\u{301}\":1}").objectValue)
        #expect(o[decomposed] == 1)
        #expect(o[composed] == nil)
        #expect(o.index(forKey: decomposed) == 0)
    }

    @Test func numbers() {
        #expect(JSONNumber(42).text == "42")
        #expect(JSONNumber(-42).intValue == -42)
        #expect(JSONNumber(UInt64.max).text == "18446744073709551615")
        #expect(JSONNumber(UInt64.max).uint64Value == .max)
        #expect(JSONNumber(UInt64.max).intValue == nil)
        #expect(JSONNumber(Int.min).intValue == .min)
        #expect(JSONNumber(literal: "1.5e3")?.doubleValue == 1500)
        #expect(JSONNumber(literal: "1.0")?.intValue == nil)  // not written as an integer
        #expect(JSONNumber(literal: "-0")?.uint64Value == 0)
        #expect(JSONNumber(literal: "-1")?.uint64Value == nil)
        #expect(JSONNumber(literal: "1e400")?.doubleValue == .infinity)
        for bad in ["", "01", "+1", " 1", "1 ", "1.", ".1", "-", "1e", "NaN", "Infinity", "0x10", "1_000", "１"] {
            #expect(JSONNumber(literal: bad) == nil, "\(bad)")
        }
        for good in ["0", "-0", "1", "-1.25", "1e5", "1E-5", "1e+05", "123456789012345678901234567890"] {
            #expect(JSONNumber(literal: good)?.text == good)
        }
        #expect(JSONNumber(Double.nan) == nil)
        #expect(JSONNumber(-Double.infinity) == nil)
        for d in [0.1, -0.0, 1e-5, 1e16, Double.greatestFiniteMagnitude, 123.456, Double.leastNonzeroMagnitude] {
            let n = JSONNumber(d)
            #expect(n.flatMap { JSONNumber(literal: $0.text) } != nil, "\(d)")  // always a valid literal
            #expect(n?.doubleValue == d)
        }
        #expect(JSONNumber(literal: "1") != JSONNumber(literal: "1.0"))  // text, not value
    }

    @Test func parseEntryPointsAgree() throws {
        let text = #"{"a":[1,"é",null]}"#
        let bytes = Array(text.utf8)
        let expected = try JSONParser.parse(bytes)
        #expect(try JSONParser.parse(text) == expected)
        #expect(try JSONParser.parse(bytes[...]) == expected)
        #expect(try JSONParser.parse(text.utf8) == expected)
        #expect(try bytes.withUnsafeBytes { try JSONParser.parse($0) } == expected)
        #expect(try JSONParser.parse(bytes.lazy.map { $0 }) == expected)  // non-contiguous: copied once
        #expect(try JSONParser.parse(AnyCollection(bytes)) == expected)
    }

    @Test func descriptionIsCompactJSON() {
        let v: JSON = ["a": [true, .null, "x\n"]]
        #expect(v.description == #"{"a":[true,null,"x\n"]}"#)
        #expect(JSONNumber(literal: "2.50")?.description == "2.50")
    }
}
