import SankofaRPC
import Testing

@Suite struct HostAllowlistTests {
    @Test func portCaseAndBrackets() {
        let list: HostAllowlist = ["localhost", "Node.Example", "::1"]
        #expect(list.allows("localhost:8545"))
        #expect(list.allows("LOCALHOST"))
        #expect(list.allows("node.example:80"))
        #expect(list.allows("[::1]:8545"))
        #expect(!list.allows("127.0.0.1:8545"))
        #expect(!list.allows("evil.example"))
        #expect(!list.allows("localhost.evil.example"))
        #expect(!list.allows(nil))
        let open: HostAllowlist = ["*"]
        #expect(open.allows(nil))
        #expect(open.allows("anything:1"))
    }
}
