import Foundation
import SankofaTestSupport
import Testing

/// The real `sankofa` binary: outputs, exit codes, and one-line errors.
@Suite("sankofa CLI", .enabled(if: SankofaBinary.available, "the sankofa executable was not built"))
struct CLITests {
    /// EIP-155's example transaction.
    static let eip155Raw = "0xf86c098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a76400008025a028ef61340bd939bc2195fe537567866003e1a15d3c71ff63e1590620aa636276a067cbe9d8997f761aecb703304b3800ccf555c9f3dc64214b297fb1966a3b6d83"

    @Test func txDecodeLegacy() throws {
        let result = try SankofaBinary.run(["tx", "decode", Self.eip155Raw])
        #expect(result.status == 0)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(json["from"] as? String == "0x9d8A62f656a8d1615C1294fd71e9CFb3E4855A4F")
        #expect(json["hash"] as? String == "0x33469b22e9f636356c4160a87eb19df52b7412e8eac32a4a55ffe88ea8350788")
        #expect(json["type"] as? String == "0x0")
        #expect(json["chainId"] as? String == "0x1")
        #expect(json["nonce"] as? String == "0x9")
        #expect(json["gas"] as? String == "0x5208")
        #expect(json["gasPrice"] as? String == "0x4a817c800")
        #expect(json["value"] as? String == "0xde0b6b3a7640000")
        #expect(json["input"] as? String == "0x")
        #expect(json["v"] as? String == "0x25")
        #expect(json["to"] as? String == "0x3535353535353535353535353535353535353535")
    }

    @Test func txDecodeRejectsGarbageWithOneLine() throws {
        for bad in ["0x1234", "zz", "0x02c0", Self.eip155Raw + "00"] {
            let result = try SankofaBinary.run(["tx", "decode", bad])
            #expect(result.status != 0, "\(bad)")
            #expect(result.stdout.isEmpty)
            let lines = result.stderr.split(separator: "\n")
            #expect(lines.count == 1, "\(result.stderr)")
            #expect(result.stderr.hasPrefix("Error: "))
        }
    }

    @Test func keysGenerateAndAddress() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sankofa-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let path = dir.appendingPathComponent("node.key").path
        let generated = try SankofaBinary.run(["keys", "generate", "--output", path])
        #expect(generated.status == 0)
        let address = generated.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(address.hasPrefix("0x") && address.count == 42)
        let shown = try SankofaBinary.run(["keys", "address", "--key-file", path])
        #expect(shown.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == address)
        let mode = (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue
        #expect(mode == 0o600)
        let again = try SankofaBinary.run(["keys", "generate", "--output", path])
        #expect(again.status != 0 && again.stderr.contains("refusing to overwrite"))
        let enode = try SankofaBinary.run(["keys", "enode", "--key-file", path, "--host", "10.0.0.5", "--port", "30310"])
        #expect(enode.stdout.hasPrefix("enode://") && enode.stdout.contains("@10.0.0.5:30310"))
        #expect(enode.stdout.trimmingCharacters(in: .whitespacesAndNewlines).count == "enode://".count + 128 + "@10.0.0.5:30310".count)
        let missing = try SankofaBinary.run(["keys", "address", "--key-file", dir.appendingPathComponent("nope").path])
        #expect(missing.status != 0 && missing.stderr.contains("does not exist"))
    }

    @Test func pendingCommandsSaySo() throws {
        let result = try SankofaBinary.run(["run"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("not available yet"))
    }

    @Test func contractsExportCheckDetectsDrift() throws {
        let committed = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Contracts").path
        let clean = try SankofaBinary.run(["contracts", "export", "--check", "--output", committed])
        #expect(clean.status == 0, "\(clean.stderr)")
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("sankofa-contracts-\(UUID().uuidString)").path
        let stale = try SankofaBinary.run(["contracts", "export", "--check", "--output", empty])
        #expect(stale.status != 0 && stale.stderr.contains("run 'sankofa contracts export'"))
        let written = try SankofaBinary.run(["contracts", "export", "--output", empty])
        #expect(written.status == 0)
        #expect(try SankofaBinary.run(["contracts", "export", "--check", "--output", empty]).status == 0)
    }
}
