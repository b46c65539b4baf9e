import SankofaCrypto
import SankofaPrimitives
import Testing
@testable import SankofaP2P

@Suite("enode URLs")
struct EnodeTests {
    static let id = "ca634cae0d49acb401d8a4c6b6fe8c55b70d115bf400769cc1400f3258cd31387574077f301b421bc84df7266c44e9e6d569fc56be00812904767bf5ccd1fc7f"

    @Test func parseAndPrint() throws {
        let enode = try Enode("enode://\(Self.id)@10.3.58.6:30303?discport=30301")
        #expect(Hex.encode(enode.publicKey.rawBytes, prefix: false) == Self.id)
        #expect(enode.host == "10.3.58.6")
        #expect(enode.tcpPort == 30303)
        #expect(enode.discoveryPort == 30301)
        #expect(enode.description == "enode://\(Self.id)@10.3.58.6:30303?discport=30301")
        let plain = try Enode("enode://\(Self.id)@127.0.0.1:1")
        #expect(plain.description == "enode://\(Self.id)@127.0.0.1:1")
        #expect(try Enode(plain.description) == plain)
        let v6 = try Enode("enode://\(Self.id)@[::1]:30303")
        #expect(v6.host == "::1")
        #expect(v6.description == "enode://\(Self.id)@[::1]:30303")
    }

    @Test(arguments: [
        ("http://x@1.2.3.4:1", EnodeError.notEnode),
        ("enode://abcd@1.2.3.4:1", .invalidNodeID("4 hex digits, expected 128")),
        ("enode://\(String(repeating: "zz", count: 64))@1.2.3.4:1", .invalidNodeID("not hex")),
        ("enode://\(String(repeating: "00", count: 64))@1.2.3.4:1", .invalidNodeID("not a secp256k1 public key")),
        ("enode://\(EnodeTests.id)@:30303", .missingHost),
        ("enode://\(EnodeTests.id)@1.2.3.4", .invalidPort("")),
        ("enode://\(EnodeTests.id)@1.2.3.4:0", .invalidPort("0")),
        ("enode://\(EnodeTests.id)@1.2.3.4:70000", .invalidPort("70000")),
        ("enode://\(EnodeTests.id)@1.2.3.4:x", .invalidPort("x")),
    ])
    func refused(text: String, error: EnodeError) {
        #expect(throws: error) { _ = try Enode(text) }
    }
}
