import Foundation
import Testing
@testable import SankofaCrypto

/// A class, so that each test's scratch directory goes with its instance (`deinit`).
@Suite("Key files")
final class KeyFileTests {
    let directory: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("sankofa-keyfile-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }()

    deinit { try? FileManager.default.removeItem(at: directory) }

    @Test func writeThenReadWithOwnerOnlyMode() throws {
        let path = directory.appendingPathComponent("key").path
        let key = try PrivateKey.generate()
        try KeyFile.write(key, path: path)
        #expect(try KeyFile.read(path: path) == key)
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.hasPrefix("0x") && text.hasSuffix("\n") && text.count == 67)
        #expect(throws: KeyFileError.self) { try KeyFile.write(key, path: path) }
    }

    @Test func clearErrors() throws {
        let missing = directory.appendingPathComponent("missing").path
        #expect(throws: KeyFileError(code: .notFound, path: missing, detail: "No such file or directory")) {
            _ = try KeyFile.read(path: missing)
        }
        let garbage = directory.appendingPathComponent("garbage").path
        try "not a key\n".write(toFile: garbage, atomically: true, encoding: .utf8)
        do {
            _ = try KeyFile.read(path: garbage)
            Issue.record("garbage key file was accepted")
        } catch {
            #expect(error.code == .malformed)
            #expect(error.description.contains(garbage))
        }
        // Besu writes keys without a trailing newline sometimes; whitespace is tolerated.
        let spaced = directory.appendingPathComponent("spaced").path
        try "  0x4646464646464646464646464646464646464646464646464646464646464646 \n".write(toFile: spaced, atomically: true, encoding: .utf8)
        #expect(try KeyFile.read(path: spaced).address.hex == "0x9d8a62f656a8d1615c1294fd71e9cfb3e4855a4f")
    }
}
