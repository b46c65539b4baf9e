import Foundation
import SankofaCrypto
import SankofaJSON
import SankofaPrimitives
import SankofaTestSupport

/// One `sankofa run` replica on 127.0.0.1 for multi-process P2P tests: its own key, data path and free ports,
/// its log in a file (a pipe nobody reads would fill and stall the node), stopped by `stop()` or on deinit.
final class P2PTestNode {
    let name: String
    let directory: URL
    let key: PrivateKey
    let genesisPath: String
    let p2pPort: Int
    let rpcPort: Int
    /// Free for `--rpc-ws-port` when a test enables WebSocket.
    let wsPort: Int
    var extraArguments: [String] = []
    /// `--mode`: replicas by default; QBFT tests run validators.
    var mode = "replica"
    private(set) var process: Process?

    /// The node's enode URL, known before it starts.
    var enode: String { "enode://\(id)@127.0.0.1:\(p2pPort)" }
    /// The node id: the 64-byte public key in hex.
    var id: String { Hex.encode(key.publicKey.rawBytes, prefix: false) }
    var rpc: RPCClient { RPCClient(port: rpcPort) }
    var logPath: String { directory.appendingPathComponent("\(name).log").path }
    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    init(_ name: String, in directory: URL, genesisPath: String) throws {
        self.name = name
        self.directory = directory
        self.genesisPath = genesisPath
        key = try PrivateKey.generate()
        try KeyFile.write(key, path: directory.appendingPathComponent("\(name).key").path)
        p2pPort = try DevRPCEndToEndTests.freePort()
        rpcPort = try DevRPCEndToEndTests.freePort()
        wsPort = try DevRPCEndToEndTests.freePort()
    }

    deinit { process.map { if $0.isRunning { kill($0.processIdentifier, SIGKILL) } } }

    /// Starts the node (again, after a kill: same key, data and ports).
    func start() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: SankofaBinary.path ?? "/nonexistent/sankofa")
        process.arguments = [
            "run", "--genesis-file", genesisPath, "--mode", mode,
            "--data-path", directory.appendingPathComponent("\(name)-data").path,
            "--node-private-key-file", directory.appendingPathComponent("\(name).key").path,
            "--p2p-port", String(p2pPort), "--rpc-http-enabled", "--rpc-http-port", String(rpcPort),
            "--rpc-http-api", "ETH,NET,WEB3,ADMIN,PERM,SANKOFA,QBFT,CLIQUE,TXPOOL", "--logging", "DEBUG",
        ] + extraArguments
        if !FileManager.default.fileExists(atPath: logPath) { _ = FileManager.default.createFile(atPath: logPath, contents: nil) }
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        log.seekToEndOfFile()
        process.standardError = log
        process.standardOutput = log
        try process.run()
        self.process = process
    }

    /// Sends `signal` and waits (bounded) for the process to end; SIGKILL if it will not.
    func stop(_ signal: Int32 = SIGINT) async {
        guard let process, process.isRunning else { return }
        kill(process.processIdentifier, signal)
        for _ in 0..<100 where process.isRunning { try? await Task.sleep(for: .milliseconds(50)) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        for _ in 0..<100 where process.isRunning { try? await Task.sleep(for: .milliseconds(50)) }
    }

    /// Waits until JSON-RPC answers and P2P listens.
    func waitUntilListening() async throws {
        let listening = try await P2PTestNode.eventually(seconds: 30) {
            (try? await self.rpc.call("net_listening")) == .bool(true)
        }
        guard listening else { throw RPCTestError(description: "\(name) did not start listening; log:\n\(log.suffix(3_000))") }
    }

    func peerCount() async -> Int? {
        guard let text = (try? await rpc.call("net_peerCount"))?.stringValue else { return nil }
        return Int(text.dropFirst(2), radix: 16)
    }

    /// The node ids in `admin_peers`.
    func peerIDs() async -> [String] {
        ((try? await rpc.call("admin_peers"))?.arrayValue ?? []).compactMap { $0["id"]?.stringValue }
            .map { $0.hasPrefix("0x") ? String($0.dropFirst(2)) : $0 }
    }

    /// Polls `condition` every 100 ms for up to `seconds`.
    static func eventually(seconds: Double, _ condition: () async -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while ContinuousClock.now < deadline {
            if await condition() { return true }
            try await Task.sleep(for: .milliseconds(100))
        }
        return await condition()
    }

    /// A temporary directory with a Clique genesis whose only validator is not among the test nodes (they run
    /// as replicas and never seal).
    static func network() throws -> (URL, String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sankofa-p2p-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let genesisPath = directory.appendingPathComponent("genesis.json").path
        let genesis = try SankofaBinary.run(["genesis", "new", "--chain-id", "4711", "--block-period", "1",
                                             "--validator", "0x627306090abaB3A6e1400e9345bC60c78a8BEf57", "--output", genesisPath])
        guard genesis.status == 0 else { throw RPCTestError(description: "genesis new failed: \(genesis.stderr)") }
        return (directory, genesisPath)
    }
}
