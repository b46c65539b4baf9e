import SankofaJSON
import Testing
@testable import SankofaRPC

@Suite("JSON-RPC shapes")
struct JSONRPCTests {
    static let request = #"{"jsonrpc":"2.0","id":1,"method":"eth_getBlockByNumber","params":["0x1b4",true]}"#

    @Test func typicalRequest() throws {
        let r = try JSONParser.parse(Self.request)
        #expect(r["jsonrpc"]?.stringValue == "2.0")
        #expect(r["id"]?.intValue == 1)
        #expect(r["method"]?.stringValue == "eth_getBlockByNumber")
        #expect(r["params"]?[0]?.stringValue == "0x1b4")
        #expect(r["params"]?[1]?.boolValue == true)
        #expect(r["params"]?[2] == nil)
        #expect(r["missing"] == nil)
        #expect(r.objectValue?.keys == ["jsonrpc", "id", "method", "params"])
        #expect(JSONWriter.string(r) == Self.request)
    }

    @Test func batchOf100() throws {
        let batch = "[" + (0..<100).map { id in
            Self.request.replacing("\"id\":1", with: "\"id\":\(id)", maxReplacements: 1)
        }.joined(separator: ",") + "]"
        let parsed = try JSONParser.parse(batch)
        let calls = try #require(parsed.arrayValue)
        #expect(calls.count == 100)
        for (id, call) in calls.enumerated() {
            #expect(call["id"]?.intValue == id)
            #expect(call["method"]?.stringValue == "eth_getBlockByNumber")
        }
        #expect(JSONWriter.string(parsed) == batch)
    }

    @Test func idForms() throws {
        #expect(try JSONParser.parse(#"{"id":null}"#)["id"]?.isNull == true)
        #expect(try JSONParser.parse(#"{"id":"abc"}"#)["id"]?.stringValue == "abc")
        #expect(try JSONParser.parse(#"{"id":1.5}"#)["id"]?.intValue == nil)
        #expect(try JSONParser.parse(#"{"id":99999999999999999999}"#)["id"]?.intValue == nil)
        #expect(try JSONParser.parse(#"{}"#)["id"] == nil)  // missing, not null
    }

    @Test func buildingAResponse() {
        var result = JSONObject()
        result.reserveCapacity(3)
        result.append("number", "0x1b4")
        result.append("hash", .string("0x" + String(repeating: "ab", count: 32)))
        result["transactions"] = []
        let response: JSON = ["jsonrpc": "2.0", "id": 1, "result": .object(result)]
        #expect(JSONWriter.string(response) ==
            #"{"jsonrpc":"2.0","id":1,"result":{"number":"0x1b4","hash":"0x"# + String(repeating: "ab", count: 32)
            + #"","transactions":[]}}"#)
        let error: JSON = ["jsonrpc": "2.0", "id": .null, "error": ["code": -32700, "message": "Parse error"]]
        #expect(JSONWriter.string(error) == #"{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"Parse error"}}"#)
    }

    @Test func parseErrorsDescribeThemselves() {
        #expect(JSONParseError.unexpectedCharacter(offset: 3, found: UInt8(ascii: "]")).description
            == "unexpected character ']' (0x5d) at byte 3")
        #expect(JSONParseError.tooDeep(limit: 64).description.contains("64"))
        #expect(JSONParseError.invalidUTF8(offset: 9).offset == 9)
        #expect(JSONParseError.tooLarge("x").offset == nil)
    }
}
