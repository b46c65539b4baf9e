import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
@testable import SankofaRPC
import SankofaJSON

/// JSON-RPC over HTTP for tests, parsing with the node's own JSON type.
struct RPCClient {
    let port: Int
    private static let counter = Counter()

    func status(_ path: String) async throws -> Int {
        let (_, response) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        return (response as? HTTPURLResponse)?.statusCode ?? 0
    }

    func raw(_ method: String, _ params: [JSON]) async throws -> JSON {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)")!)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        let body = JSON.object(JSONObject([("jsonrpc", "2.0"), ("id", .number(JSONNumber(Self.counter.next()))),
                                           ("method", .string(method)), ("params", .array(params))]))
        request.httpBody = Data(JSONWriter.encode(body))
        let (data, _) = try await URLSession.shared.data(for: request)
        return try JSONParser.parse(Array(data))
    }

    /// The result; throws if the call failed.
    func call(_ method: String, _ params: [JSON] = []) async throws -> JSON {
        let response = try await raw(method, params)
        if let error = response["error"] { throw RPCTestError(description: "\(method) failed: \(JSONWriter.string(error))") }
        return response["result"] ?? .null
    }

    /// The error object of a call expected to fail.
    func error(_ method: String, _ params: [JSON] = []) async throws -> JSON {
        let response = try await raw(method, params)
        guard let error = response["error"] else { throw RPCTestError(description: "\(method) unexpectedly succeeded") }
        return error
    }

    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var value = 0
        func next() -> Int { lock.withLock { value += 1; return value } }
    }
}

struct RPCTestError: Error, CustomStringConvertible { let description: String }

