import Foundation
import SankofaJSON
import SankofaPrimitives
import SankofaRPC

/// etcd's v3 API through its JSON gateway over plain HTTP (etcd 3.4: `POST /v3/lease/grant`, `/v3/lease/keepalive`,
/// `/v3/lease/revoke`, `/v3/kv/range`, `/v3/kv/txn`), no gRPC. Keys and values travel base64-encoded and int64s as
/// JSON strings, as the gateway's protobuf-JSON mapping wants; fields at their default value (0, false, empty) are
/// left out of answers, so a missing `succeeded` means false.
///
/// Every call goes to the first endpoint that answers, in order, and is bounded by `timeout`: the lease decides
/// whether a validator may sign, so a hung etcd must look like a lost one, quickly.
struct EtcdClient: LeaseBackend {
    let endpoints: [HTTPEndpoint]
    let timeout: Duration

    init(endpoints: [HTTPEndpoint], timeout: Duration = .seconds(1)) {
        self.endpoints = endpoints
        self.timeout = timeout
    }

    func grant(ttl: Int64) async throws(LeaseBackendError) -> GrantedLease {
        let reply = try await call("/v3/lease/grant", ["TTL": .string(String(ttl)), "ID": "0"])
        guard let id = Self.int64(reply["ID"]), id != 0 else { throw Self.unreadable("lease grant", reply) }
        return GrantedLease(id: id, ttl: Self.int64(reply["TTL"]) ?? 0)
    }

    func keepAlive(_ lease: Int64) async throws(LeaseBackendError) -> Int64 {
        // The gateway streams: one request, one `{"result": …}` line; an expired lease comes back without a TTL.
        let reply = try await call("/v3/lease/keepalive", ["ID": .string(String(lease))])
        if let error = reply["error"] {
            if (error["message"]?.stringValue ?? "").contains("lease not found") { return 0 }
            throw LeaseBackendError(description: "etcd refused the keep-alive of lease \(lease): \(error)")
        }
        return Self.int64(reply["result"]?["TTL"]) ?? 0
    }

    func revoke(_ lease: Int64) async throws(LeaseBackendError) {
        _ = try await call("/v3/lease/revoke", ["ID": .string(String(lease))])
    }

    func read(_ key: String) async throws(LeaseBackendError) -> LeasedValue? {
        Self.value(try await call("/v3/kv/range", ["key": .string(Self.base64(key))]))
    }

    func claim(_ key: String, holder: String, lease: Int64, recordKey: String) async throws(LeaseBackendError) -> LeaseClaim {
        let reply = try await call("/v3/kv/txn", [
            "compare": [["result": "EQUAL", "target": "CREATE", "key": .string(Self.base64(key)), "create_revision": "0"]],
            "success": [
                ["request_put": ["key": .string(Self.base64(key)), "value": .string(Self.base64(holder)), "lease": .string(String(lease))]],
                ["request_range": ["key": .string(Self.base64(recordKey))]],
            ],
            "failure": [["request_range": ["key": .string(Self.base64(key))]]],
        ])
        let responses = reply["responses"]?.arrayValue ?? []
        if reply["succeeded"]?.boolValue == true {
            return .won(lastSigned: responses.count > 1 ? Self.value(responses[1]["response_range"])?.value : nil)
        }
        return .taken(by: responses.first.flatMap { Self.value($0["response_range"]) })
    }

    func record(_ value: String, at recordKey: String, ifKey key: String, heldBy lease: Int64) async throws(LeaseBackendError) -> Bool {
        let reply = try await call("/v3/kv/txn", [
            "compare": [["result": "EQUAL", "target": "LEASE", "key": .string(Self.base64(key)), "lease": .string(String(lease))]],
            "success": [["request_put": ["key": .string(Self.base64(recordKey)), "value": .string(Self.base64(value))]]],
        ])
        return reply["succeeded"]?.boolValue == true
    }

    // MARK: Transport

    /// POSTs `body` to `path` on the first endpoint that answers within `timeout`.
    private func call(_ path: String, _ body: JSON) async throws(LeaseBackendError) -> JSON {
        var failures: [String] = []
        for endpoint in endpoints {
            do {
                let bytes = try await Self.post(JSONWriter.encode(body), to: endpoint, path: path, timeout: timeout)
                // The keep-alive stream may carry more than one line; the first is the answer to our one request.
                let line = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true).first.map(Array.init) ?? []
                return try JSONParser.parse(line)
            } catch {
                failures.append("\(endpoint)\(path): \(error)")
            }
        }
        throw LeaseBackendError(description: "etcd did not answer (" + failures.joined(separator: "; ") + ")")
    }

    /// One request, answered or failed within `timeout`. The exchange runs in its own task, which a timeout cancels
    /// and leaves behind rather than waits for: a silent or blackholed etcd must not hold up the lease's clock.
    static func post(_ body: [UInt8], to endpoint: HTTPEndpoint, path: String, timeout: Duration) async throws -> [UInt8] {
        let pending = Locked<CheckedContinuation<[UInt8], any Error>?>(nil)
        let take: @Sendable () -> CheckedContinuation<[UInt8], any Error>? = { pending.withLock { waiting in
            defer { waiting = nil }
            return waiting
        } }
        return try await withCheckedThrowingContinuation { continuation in
            pending.withLock { $0 = continuation }
            let exchange = Task {
                let outcome: Result<[UInt8], any Error>
                do { outcome = .success(try await HTTPClientConnection.with(endpoint) { try await $0.post(body, path: path) }) } catch {
                    outcome = .failure(error)
                }
                take()?.resume(with: outcome)
            }
            Task {
                try? await Task.sleep(for: timeout)
                guard let waiting = take() else { return }
                exchange.cancel()
                waiting.resume(throwing: HTTPClientError(description: "no answer within \(timeout)"))
            }
        }
    }

    // MARK: Encoding

    static func base64(_ text: String) -> String { Data(text.utf8).base64EncodedString() }

    static func unbase64(_ text: String?) -> String? {
        guard let text, let data = Data(base64Encoded: text) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    /// An int64 as the gateway writes it (a JSON string), or as a number.
    static func int64(_ json: JSON?) -> Int64? {
        if let text = json?.stringValue { return Int64(text) }
        return json?.intValue.map(Int64.init)
    }

    /// The first key-value of a `RangeResponse`.
    static func value(_ range: JSON?) -> LeasedValue? {
        guard let kv = range?["kvs"]?.arrayValue?.first else { return nil }
        return LeasedValue(value: unbase64(kv["value"]?.stringValue) ?? "", lease: int64(kv["lease"]) ?? 0)
    }

    private static func unreadable(_ what: String, _ reply: JSON) -> LeaseBackendError {
        LeaseBackendError(description: "etcd's answer to \(what) is not what the v3 JSON gateway sends: \(JSONWriter.string(reply).prefix(200))")
    }
}
