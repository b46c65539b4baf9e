import SankofaJSON
import SankofaRPC

/// A node's JSON-RPC endpoint named by `--rpc`.
typealias RPCEndpoint = HTTPEndpoint

extension HTTPEndpoint {
    /// Parses one `--rpc` URL (or one of another flag, such as `--metrics`).
    init(parsing text: String, flag: String = "--rpc", example: String = "http://127.0.0.1:8545") throws(CLIError) {
        guard let endpoint = HTTPEndpoint(url: text) else {
            throw .invalidFlag(flag: flag, expected: "http://HOST:PORT… (e.g. \(example)), not \(text)")
        }
        self = endpoint
    }

    /// Parses a comma-separated list of such URLs (empty text: none).
    static func list(parsing text: String, flag: String = "--rpc",
                     example: String = "http://127.0.0.1:8545") throws(CLIError) -> [HTTPEndpoint] {
        try text.split(separator: ",").map { item throws(CLIError) in
            try HTTPEndpoint(parsing: String(item), flag: flag, example: example)
        }
    }
}

extension HTTPClientConnection {
    /// One JSON-RPC call; a JSON-RPC error is thrown with its message.
    mutating func call(_ method: String, _ params: [JSON]) async throws -> JSON {
        let reply = try await post(JSONWriter.encode(BenchRPC.request(id: 1, method, params)))
        let response = try BenchRPC.parse(reply, from: endpoint)
        if let error = response["error"] {
            throw HTTPClientError(description: "\(method) failed on \(endpoint): \(error["message"]?.stringValue ?? JSONWriter.string(error))")
        }
        return response["result"] ?? .null
    }

    /// A batch of calls; the results come back in the order of `calls`, each a result or a JSON-RPC error message.
    mutating func batch(_ calls: [(String, [JSON])]) async throws -> [Result<JSON, BenchRPC.CallError>] {
        guard !calls.isEmpty else { return [] }
        let body = JSON.array(calls.enumerated().map { BenchRPC.request(id: $0.offset, $0.element.0, $0.element.1) })
        let reply = try BenchRPC.parse(try await post(JSONWriter.encode(body)), from: endpoint)
        return try BenchRPC.results(of: reply, count: calls.count, from: endpoint)
    }
}

/// JSON-RPC framing shared by the load generator's calls.
enum BenchRPC {
    /// A call's JSON-RPC error, by message.
    struct CallError: Error, Equatable {
        let message: String
    }

    static func request(id: Int, _ method: String, _ params: [JSON]) -> JSON {
        .object(JSONObject([("jsonrpc", "2.0"), ("id", .number(JSONNumber(id))), ("method", .string(method)),
                            ("params", .array(params))]))
    }

    static func parse(_ bytes: [UInt8], from endpoint: RPCEndpoint) throws -> JSON {
        do { return try JSONParser.parse(bytes, limits: JSONLimits(maxDepth: 64, maxStringBytes: 64 << 20, maxElements: 50_000_000)) } catch {
            throw HTTPClientError(description: "\(endpoint) answered with invalid JSON: \(error)")
        }
    }

    /// Matches a batch reply to its calls by id (0 ..< count). A whole-batch error (e.g. batch too large) is thrown.
    static func results(of reply: JSON, count: Int, from endpoint: RPCEndpoint) throws -> [Result<JSON, CallError>] {
        guard let responses = reply.arrayValue else {
            let message = reply["error"]?["message"]?.stringValue ?? JSONWriter.string(reply)
            throw HTTPClientError(description: "\(endpoint) refused the batch: \(message)")
        }
        var results = [Result<JSON, CallError>](repeating: .failure(CallError(message: "no answer in the batch reply")), count: count)
        for response in responses {
            guard let id = response["id"]?.intValue, results.indices.contains(id) else { continue }
            if let error = response["error"] {
                results[id] = .failure(CallError(message: error["message"]?.stringValue ?? JSONWriter.string(error)))
            } else {
                results[id] = .success(response["result"] ?? .null)
            }
        }
        return results
    }
}
