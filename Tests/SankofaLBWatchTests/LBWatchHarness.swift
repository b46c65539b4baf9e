import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import SankofaChain
import SankofaContracts
import SankofaCrypto
import SankofaJSON
import SankofaPrimitives
import SankofaTestSupport

struct HarnessError: Error, CustomStringConvertible { let description: String }

/// Processes a scenario starts; each is killed when the harness is torn down, also when a test fails.
final class Processes: @unchecked Sendable {
    private let lock = NSLock()
    private var running: [Process] = []

    @discardableResult
    func start(_ path: String, _ arguments: [String], log: String) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        _ = FileManager.default.createFile(atPath: log, contents: nil)  // opening it below reports a failure
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        lock.withLock { running.append(process) }
        return process
    }

    /// SIGKILL, as a crash would; waits (boundedly) until the process is gone.
    func kill(_ process: Process) {
        if process.isRunning { Glibc.kill(process.processIdentifier, SIGKILL) }
        for _ in 0..<100 where process.isRunning { usleep(20_000) }
    }

    /// SIGTERM, then SIGKILL after 2 s.
    func stop(_ process: Process) {
        // HAProxy in master-worker mode: TERM lets the master take its workers down with it.
        if process.isRunning { Glibc.kill(process.processIdentifier, SIGTERM) }
        for _ in 0..<100 where process.isRunning { usleep(20_000) }
        kill(process)
    }

    func stopAll() {
        for process in lock.withLock({ running }).reversed() { stop(process) }
    }
}

/// JSON-RPC over HTTP and a plain HTTP GET, each with a timeout.
enum HTTP {
    static let session: URLSession = {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = 15
        configuration.httpMaximumConnectionsPerHost = 16
        return URLSession(configuration: configuration)
    }()

    static func get(_ url: String, method: String = "GET", headers: [String: String] = [:]) async throws -> (Int, String) {
        var request = URLRequest(url: URL(string: url)!)
        request.httpMethod = method
        // A new connection per request, so HAProxy's balancing and draining decide each one.
        request.setValue("close", forHTTPHeaderField: "Connection")
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let (data, response) = try await session.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
    }

    static func rpc(_ port: Int, _ method: String, _ params: [JSON]) async throws -> JSON {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)")!)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = Data(JSONWriter.encode(.object(JSONObject([("jsonrpc", "2.0"), ("id", 1), ("method", .string(method)),
                                                                      ("params", .array(params))]))))
        let (data, _) = try await session.data(for: request)
        let reply = try JSONParser.parse(Array(data))
        if let error = reply["error"] { throw HarnessError(description: "\(method): \(JSONWriter.string(error))") }
        return reply["result"] ?? .null
    }
}

/// Signs NodeRegistry calls with the dev OPERATOR key and waits for their receipts.
final class RegistryWriter: @unchecked Sendable {
    static let operatorKey = try! PrivateKey(hex: "0xc87509a1c067bbde78beb793e6fa76530b6382a4c0241e5e4a9ec0a0f44dc0d3")
    let port: Int
    var nonce: UInt64 = 0

    init(port: Int) { self.port = port }

    static func nodeId(_ n: Int) -> [UInt8] { Keccak256.hash(Array("lb-node-\(n)".utf8)).bytes }

    func register(_ id: [UInt8], zone: String, endpoint: String, proto: UInt64 = 1) async throws {
        try await send("registerNode", [.fixedBytes(id), .fixedBytes(Array(zone.utf8) + [UInt8](repeating: 0, count: 32 - zone.utf8.count)), .string(endpoint), .uint(UInt256(proto))])
    }

    func setStatus(_ id: [UInt8], _ status: UInt64) async throws {
        try await send("setNodeStatus", [.fixedBytes(id), .uint(UInt256(status))])
    }

    func deregister(_ id: [UInt8]) async throws {
        try await send("deregisterNode", [.fixedBytes(id)])
    }

    /// Sends a signed call and waits (at most 10 s) for a successful receipt.
    func send(_ name: String, _ values: [ABIValue]) async throws {
        let function = try NodeRegistry().functions.first { $0.name == name }.orThrow("no \(name)")
        let data = try ABI.encode(selector: function.selector, values, as: function.inputs.map(\.type))
        let tx = Transaction.Payload.dynamicFee(DynamicFeeTransaction(
            chainId: 1337, nonce: nonce, maxPriorityFeePerGas: .zero, maxFeePerGas: .zero, gasLimit: 500_000,
            to: SystemAddresses.nodeRegistry, value: .zero, data: data, accessList: [])).signed(with: Self.operatorKey)
        nonce += 1
        _ = try await HTTP.rpc(port, "eth_sendRawTransaction", [.string(Hex.encode(tx.encoded))])
        for _ in 0..<200 {
            let receipt = try await HTTP.rpc(port, "eth_getTransactionReceipt", [.string(tx.hash.hex)])
            if !receipt.isNull {
                guard receipt["status"] == .string("0x1") else { throw HarnessError(description: "\(name) reverted") }
                return
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw HarnessError(description: "\(name) was not mined within 10 s")
    }
}

extension Optional {
    func orThrow(_ message: String) throws -> Wrapped {
        guard let self else { throw HarnessError(description: message) }
        return self
    }
}

enum Ports {
    static func free() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { Glibc.close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// Polls `condition` every 100 ms for at most `seconds`.
func eventually(_ seconds: Double, _ condition: () async throws -> Bool) async throws -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if (try? await condition()) == true { return true }
        try await Task.sleep(for: .milliseconds(100))
    }
    return try await condition()
}

/// A tiny HTTP backend in Python: answers its name on `/`, and on `/slow` after 3 seconds.
let backendScript = """
import http.server, sys, time
name = sys.argv[2]
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path.startswith('/slow'):
            time.sleep(3)
        body = name.encode()
        self.send_response(200)
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *a):
        pass
http.server.ThreadingHTTPServer(('127.0.0.1', int(sys.argv[1])), H).serve_forever()
"""
