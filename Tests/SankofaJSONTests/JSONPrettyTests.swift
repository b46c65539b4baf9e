import Testing
@testable import SankofaJSON

@Suite("JSON pretty printing")
struct JSONPrettyTests {
    @Test func layoutIsTwoSpaceIndentedWithInlineEmptyContainers() {
        let value: JSON = ["name": "a\"b\n", "list": [1, [], ["x": true]], "empty": [:], "none": .null]
        #expect(JSONWriter.pretty(value) == """
            {
              "name": "a\\"b\\n",
              "list": [
                1,
                [],
                {
                  "x": true
                }
              ],
              "empty": {},
              "none": null
            }
            """)
    }

    @Test func prettyTextParsesBackToTheSameValue() throws {
        var random = RandomJSON(seed: 7)
        for _ in 0..<200 {
            let value = random.value(maxDepth: 4)
            #expect(try JSONParser.parse(JSONWriter.pretty(value)) == value)
        }
    }
}
