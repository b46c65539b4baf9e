import Foundation
import SankofaChain
import SankofaJSON
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
        defer { try? FileManager.default.removeItem(at: dir) }
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

    @Test func runExplainsWhatIsMissing() throws {
        let bare = try SankofaBinary.run(["run"])
        #expect(bare.status != 0 && bare.stderr == "Error: --genesis-file is required\n")
        let missing = try SankofaBinary.run(["run", "--genesis-file", "/nonexistent/genesis.json", "--data-path", "/tmp/x"])
        #expect(missing.status != 0 && missing.stderr.split(separator: "\n").count == 1 && missing.stderr.contains("genesis.json"))
        #expect(missing.stderr.contains("no such file") && !missing.stderr.contains("Domain"), "\(missing.stderr)")
        let badPort = try SankofaBinary.run(["run", "--genesis-file", "g", "--data-path", "d", "--rpc-http-port", "70000"])
        #expect(badPort.status != 0 && badPort.stderr.contains("rpc-http-port must be a port number"))
    }

    @Test func genesisNewWritesALoadableCliqueGenesis() throws {
        let admin = "0x627306090abaB3A6e1400e9345bC60c78a8BEf57"
        let result = try SankofaBinary.run(["genesis", "new", "--consensus", "clique", "--chain-id", "4242",
                                            "--validator", admin, "0xf17f52151EbEF6C7334FAD080c5704D77216b732",
                                            "--admin", admin, "--alloc", "\(admin)=1000000", "--block-period", "3"])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let config = try #require(json["config"] as? [String: Any])
        #expect((config["chainId"] as? NSNumber)?.intValue == 4242)
        let extraData = try #require(json["extraData"] as? String)
        #expect(extraData.count == 2 + 2 * (32 + 2 * 20 + 65))
        #expect(extraData.lowercased().contains("627306090abab3a6e1400e9345bc60c78a8bef57f17f52151ebef6c7334fad080c5704d77216b732"))
        let qbft = try SankofaBinary.run(["genesis", "new", "--consensus", "qbft", "--chain-id", "1", "--validator", admin])
        #expect(qbft.status == 0, "\(qbft.stderr)")
        let qbftGenesis = try GenesisFile(json: Array(qbft.stdout.utf8))
        #expect(qbftGenesis.consensus == .qbft(.init(blockPeriodSeconds: 2, epochLength: 30_000, requestTimeoutSeconds: 4,
                                                     maxRequestTimeoutSeconds: 16)))
        let unknown = try SankofaBinary.run(["genesis", "new", "--consensus", "pow", "--chain-id", "1", "--validator", admin])
        #expect(unknown.status != 0 && unknown.stderr.contains("qbft or clique"))
        let badAddress = try SankofaBinary.run(["genesis", "new", "--chain-id", "1", "--validator", "0x1234"])
        #expect(badAddress.status != 0 && badAddress.stderr.split(separator: "\n").count == 1)
    }

    /// A second node on the same data path gets one clear line; the first stops cleanly on Ctrl-C.
    @Test func devLocksItsDataPathAndStopsCleanlyOnInterrupt() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sankofa-dev-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(SankofaBinary.path))
        process.arguments = ["dev", "--data-path", path]
        let errors = Pipe()
        process.standardError = errors
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        // Wait until the node reports its chain (the database is open by then).
        var log = ""
        for _ in 0..<100 where !log.contains("Chain 1337") {
            log += String(decoding: errors.fileHandleForReading.availableData, as: UTF8.self)
        }
        #expect(log.contains("Chain 1337"))
        // The banner reaches a pipe while the node runs, not only when it exits (stdout is not left buffered).
        var pending = pollfd(fd: output.fileHandleForReading.fileDescriptor, events: Int16(POLLIN), revents: 0)
        #expect(poll(&pending, 1, 5_000) == 1)
        #expect(String(decoding: output.fileHandleForReading.availableData, as: UTF8.self).contains("Funded dev accounts"))
        let second = try SankofaBinary.run(["dev", "--data-path", path])
        #expect(second.status != 0)
        #expect(second.stderr.contains("is already open"), "\(second.stderr)")
        kill(process.processIdentifier, SIGINT)
        process.waitUntilExit()
        log += String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 0)
        #expect(log.contains("Stopped cleanly"))
    }

    @Test func contractsExportCheckDetectsDrift() throws {
        let committed = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Contracts").path
        let clean = try SankofaBinary.run(["contracts", "export", "--check", "--output", committed])
        #expect(clean.status == 0, "\(clean.stderr)")
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("sankofa-contracts-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: empty) }
        let stale = try SankofaBinary.run(["contracts", "export", "--check", "--output", empty])
        #expect(stale.status != 0 && stale.stderr.contains("run 'sankofa contracts export'"))
        let written = try SankofaBinary.run(["contracts", "export", "--output", empty])
        #expect(written.status == 0)
        #expect(try SankofaBinary.run(["contracts", "export", "--check", "--output", empty]).status == 0)
    }

    /// DESIGN/issue: a single `sankofa run` of a two-signer Clique network seals one block, then stalls — it may
    /// sign only one of any two consecutive blocks — and says why.
    @Test func loneSignerOfTwoStallsAsCliqueRequires() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sankofa-two-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let keyPath = directory.appendingPathComponent("key").path
        try "0xc87509a1c067bbde78beb793e6fa76530b6382a4c0241e5e4a9ec0a0f44dc0d3\n".write(toFile: keyPath, atomically: true, encoding: .utf8)
        let genesisPath = directory.appendingPathComponent("genesis.json").path
        let genesis = try SankofaBinary.run(["genesis", "new", "--chain-id", "77", "--block-period", "1",
                                             "--validator", "0x627306090abaB3A6e1400e9345bC60c78a8BEf57",
                                             "0xf17f52151EbEF6C7334FAD080c5704D77216b732", "--output", genesisPath])
        #expect(genesis.status == 0, "\(genesis.stderr)")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(SankofaBinary.path))
        process.arguments = ["run", "--genesis-file", genesisPath, "--data-path", directory.appendingPathComponent("data").path,
                             "--node-private-key-file", keyPath, "--p2p-port", "0"]
        let errors = Pipe()
        process.standardError = errors
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        try await Task.sleep(for: .seconds(4))
        kill(process.processIdentifier, SIGINT)
        process.waitUntilExit()
        let log = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(log.contains("Produced block #1 "), "\(log)")
        #expect(!log.contains("Produced block #2 "))
        #expect(log.contains("Waiting for another signer"))
        #expect(process.terminationStatus == 0)
    }

    /// `sankofa dev --block-period 1` seals empty blocks on a timer instead of waiting for transactions.
    @Test func devBlockPeriodSealsOnATimer() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sankofa-period-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(SankofaBinary.path))
        process.arguments = ["dev", "--data-path", path, "--block-period", "1", "--rpc-http-port", "0", "--rpc-ws-port", "0"]
        let errors = Pipe()
        process.standardError = errors
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        try await Task.sleep(for: .seconds(3.5))
        kill(process.processIdentifier, SIGINT)
        process.waitUntilExit()
        let log = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(log.contains("Produced block #2 "), "\(log)")
        #expect(log.contains("genesis 0x9e43a1b85c20e076327a992db11f97b6741eb755b646d061ec0ac7a53f3cdeff"))
        #expect(process.terminationStatus == 0)
    }

    @Test func portInUseIsOneClearLine() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        listen(fd, 1)
        let port = Int(UInt16(bigEndian: address.sin_port))
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sankofa-port-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = try SankofaBinary.run(["dev", "--data-path", path, "--rpc-http-port", String(port), "--rpc-ws-port", "0"])
        #expect(result.status == 1)
        let last = result.stderr.split(separator: "\n").last.map(String.init) ?? ""
        #expect(last == "Error: cannot listen for JSON-RPC HTTP on 127.0.0.1:\(port): the port is already in use (choose another port with its --…-port flag)")
    }
}
