import Foundation
import Testing
@testable import SankofaJSON

/// Cross-checks against Foundation's `JSONSerialization`, an independent implementation, in both directions.
@Suite("Cross-check with Foundation")
struct JSONFoundationCrossCheckTests {
    /// Our text, read by Foundation, has the same structure and values as what we wrote.
    @Test func foundationReadsWhatWeWrite() throws {
        var generator = RandomJSON(seed: 42, foundationSafeNumbers: true)
        for n in 0..<1_000 {
            let value = generator.value()
            let bytes = JSONWriter.encode(value)
            let theirs = try JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
            #expect(same(value, theirs), "document \(n): \(JSONWriter.string(value))")
            let ours = try JSONParser.parse(bytes)
            #expect(same(ours, theirs), "document \(n)")
        }
    }

    /// Foundation's text (which escapes "/" as "\/" and orders keys its own way), read by us, has the same
    /// structure and values as the object Foundation wrote.
    @Test func weReadWhatFoundationWrites() throws {
        var generator = RandomJSON(seed: 43, foundationSafeNumbers: true)
        for n in 0..<1_000 {
            let value = generator.value()
            let theirs = try JSONSerialization.jsonObject(with: Data(JSONWriter.encode(value)), options: [.fragmentsAllowed])
            let text = try JSONSerialization.data(withJSONObject: theirs, options: [.fragmentsAllowed])
            let ours = try JSONParser.parse(text)
            #expect(same(ours, theirs), "document \(n): \(String(decoding: text, as: UTF8.self))")
        }
    }

    /// `Data` (what Foundation-based transports hand over) is parsed in place through the generic entry point.
    @Test func parsesData() throws {
        let data = Data(#"{"jsonrpc":"2.0","id":7,"method":"net_version","params":[]}"#.utf8)
        #expect(try JSONParser.parse(data)["id"]?.intValue == 7)
        #expect(throws: JSONParseError.trailingData(offset: 3)) { try JSONParser.parse(Data("{} {}".utf8)) }
    }

    /// The comparison must be able to fail, or the two tests above prove nothing.
    @Test func comparisonDetectsDifferences() throws {
        let theirs = try JSONSerialization.jsonObject(with: Data(#"{"a":[1,"x",true,null,2.5]}"#.utf8))
        #expect(same(["a": [1, "x", true, .null, .number(JSONNumber(literal: "2.5")!)]], theirs))
        #expect(!same(["a": [1, "x", true, .null, .number(JSONNumber(literal: "2.25")!)]], theirs))
        #expect(!same(["a": [1, "x", 1, .null, .number(JSONNumber(literal: "2.5")!)]], theirs))
        #expect(!same(["a": [1, "y", true, .null, .number(JSONNumber(literal: "2.5")!)]], theirs))
        #expect(!same(["b": [1, "x", true, .null, .number(JSONNumber(literal: "2.5")!)]], theirs))
        #expect(!same(["a": [1, "x", true, .null]], theirs))
    }

    /// Structural equality between our value and Foundation's `Any` tree. Objects compare as unordered maps
    /// (Foundation's are dictionaries); numbers compare by value; strings by UTF-8 bytes.
    func same(_ ours: JSON, _ theirs: Any) -> Bool {
        switch ours {
        case .null:
            return theirs is NSNull
        case .bool(let b):
            guard let number = theirs as? NSNumber, isBoolean(number) else { return false }
            return number.boolValue == b
        case .number(let n):
            guard let number = theirs as? NSNumber, !isBoolean(number) else { return false }
            if let decimal = number as? NSDecimalNumber {
                return decimal.decimalValue == Decimal(string: n.text)
            }
            if n.isInteger, let u = n.uint64Value, u > UInt64(Int64.max) {
                return number.uint64Value == u
            }
            if let i = n.intValue, String(cString: number.objCType) != "d" {
                return number.int64Value == Int64(i)
            }
            return number.doubleValue == n.doubleValue
        case .string(let s):
            guard let t = theirs as? String else { return false }
            return Array(s.utf8) == Array(t.utf8)
        case .array(let elements):
            guard let t = theirs as? [Any], t.count == elements.count else { return false }
            return zip(elements, t).allSatisfy { same($0, $1) }
        case .object(let object):
            guard let t = theirs as? [String: Any], t.count == object.count else { return false }
            return object.allSatisfy { key, value in t[key].map { same(value, $0) } ?? false }
        }
    }

    /// Foundation on Linux boxes JSON booleans as NSNumbers whose type code is "c" (char); integers never get it.
    func isBoolean(_ number: NSNumber) -> Bool {
        String(cString: number.objCType) == "c"
    }
}
