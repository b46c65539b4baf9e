import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import SankofaTestSupport

/// A real single-member etcd (Debian's `etcd-server`, 3.4) on 127.0.0.1 for hot-standby tests: OS-assigned free
/// client and peer ports, its own temporary data directory, its log in a file; stopped by `stop()` or on deinit.
final class EtcdTestServer {
    let directory: URL
    let clientPort: Int
    let peerPort: Int
    private var process: Process?

    var endpoint: String { "http://127.0.0.1:\(clientPort)" }
    var logPath: String { directory.appendingPathComponent("etcd.log").path }
    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// The `etcd` executable on PATH (or Debian's /usr/bin/etcd).
    static var binary: String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") + ["/usr/bin", "/usr/local/bin"] {
            let candidate = "\(directory)/etcd"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    init(in directory: URL) throws {
        self.directory = directory
        clientPort = try DevRPCEndToEndTests.freePort()
        peerPort = try DevRPCEndToEndTests.freePort()
    }

    deinit { process.map { if $0.isRunning { kill($0.processIdentifier, SIGKILL) } } }

    /// Starts etcd and waits (bounded) until it answers on its client port. Throws, never skips, when etcd is not
    /// installed: CI installs it, so its absence is a broken set-up.
    func start() async throws {
        guard let binary = Self.binary else {
            throw RPCTestError(description: "the etcd binary is not installed (PATH has no etcd): run apt-get install -y etcd-server (etcd 3.4), as the README's test command and .ci/run do")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        let client = endpoint, peer = "http://127.0.0.1:\(peerPort)"
        process.arguments = [
            "--name", "sankofa-test", "--data-dir", directory.appendingPathComponent("etcd-data").path,
            "--listen-client-urls", client, "--advertise-client-urls", client,
            "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
            "--initial-cluster", "sankofa-test=\(peer)", "--initial-cluster-state", "new",
        ]
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        process.standardOutput = log
        process.standardError = log
        try process.run()
        self.process = process
        let ready = try await P2PTestNode.eventually(seconds: 20) { await self.answers() }
        guard ready else { throw RPCTestError(description: "etcd did not answer on \(client) within 20 s; log:\n\(self.log.suffix(2_000))") }
    }

    /// Whether a v3 range request through the JSON gateway succeeds.
    func answers() async -> Bool {
        guard let url = URL(string: "\(endpoint)/v3/kv/range") else { return false }
        var request = URLRequest(url: url, timeoutInterval: 1)
        request.httpMethod = "POST"
        request.httpBody = Data(#"{"key":"AA=="}"#.utf8)
        guard let (_, response) = try? await URLSession.shared.data(for: request) else { return false }
        return (response as? HTTPURLResponse)?.statusCode == 200
    }

    /// Stops etcd (SIGKILL: as abrupt as losing it) and waits, bounded, for the process to end.
    func stop() async {
        guard let process, process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        for _ in 0..<100 where process.isRunning { try? await Task.sleep(for: .milliseconds(50)) }
    }
}
