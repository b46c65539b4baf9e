import Foundation
import NIOCore
import NIOPosix
import SankofaChain
import SankofaCrypto
import SankofaJSON
import SankofaNode
import SankofaPrimitives
import SankofaRPC

/// One load case's figures: successful requests per second over the measured window and their latency
/// percentiles, with the throughput ratio to the static `/liveness` response measured in the same run.
struct RPCLoadRow: Sendable {
    let name: String
    let requestsPerSecond: Double
    let p50Milliseconds: Double
    let p99Milliseconds: Double
    /// Successful requests completed inside the measured window.
    let requests: Int
    /// Failed responses (wrong status, missing result, connection errors) at any time, warm-up included.
    let errors: Int
    let firstError: String?
    let responseBytes: Int
    var ratio: (baseline: String, value: Double)?
}

/// The RPC load test (issue text: "requests/s and p50/p99 latency for eth_blockNumber, eth_getBlockByNumber (full)
/// and eth_call of a view function at 50 concurrent keep-alive connections, compared with a trivial static HTTP
/// response from the same server measured in the same run").
///
/// An in-process dev node with three 50-transaction blocks serves JSON-RPC over its real HTTP server (the one
/// `Node.services()` wires: its dispatcher over the node's method table, ETH/NET/WEB3 enabled) on 127.0.0.1:0. A
/// SwiftNIO client on its own event-loop thread keeps 50 HTTP/1.1 keep-alive connections busy, each sending its
/// next request as soon as the previous response is complete, for a warm-up then a measured window. Every response
/// is checked (status 200 and a non-null `"result"`, or `{"status":"UP"}` for the baseline) so errors cannot pass
/// as speed. Client and server share the machine, so read the figures as ratios to the baseline.
enum RPCLoad {
    static let baseline = "rpc/static-liveness"
    static let connections = 50
    static let warmUpSeconds = 0.3
    static let transactionsPerBlock = 50
    /// Governance (`threshold()` selector 0x42cde4e8): a view call that reads one storage slot.
    static let governance = "0x0000000000000000000000000000000000001000"

    struct Case: Sendable {
        let name: String
        let request: ByteBuffer
        /// Must appear in the body; for JSON-RPC not followed by `null`.
        let marker: [UInt8]
    }

    static func rpcCase(_ name: String, _ method: String, _ params: String) -> Case {
        let body = #"{"jsonrpc":"2.0","id":1,"method":"\#(method)","params":\#(params)}"#
        let head = "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n"
        return Case(name: name, request: ByteBuffer(string: head + body), marker: Array(#""result":"#.utf8))
    }

    static let cases: [Case] = [
        Case(name: baseline, request: ByteBuffer(string: "GET /liveness HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"),
             marker: Array(#""status":"UP""#.utf8)),
        rpcCase("rpc/eth_blockNumber", "eth_blockNumber", "[]"),
        rpcCase("rpc/eth_getBlockByNumber-full", "eth_getBlockByNumber", #"["latest",true]"#),
        rpcCase("rpc/eth_call-view", "eth_call", #"[{"to":"\#(governance)","data":"0x42cde4e8"},"latest"]"#),
    ]

    /// Whether a `--filter` prefix selects any RPC case.
    static func selects(_ prefix: String) -> Bool { cases.contains { $0.name.hasPrefix(prefix) } }

    /// Runs the selected cases (the baseline always, first) for `seconds` each after the warm-up.
    static func run(seconds: Double, prefixes: [String]) async throws -> [RPCLoadRow] {
        let chosen = cases.filter { bench in bench.name == baseline || prefixes.contains { bench.name.hasPrefix($0) } }
        let fixture = try await RPCFixture()
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        var rows: [RPCLoadRow] = []
        do {
            try await fixture.check(group: group)
            for bench in chosen {
                var row = try await measure(bench, port: fixture.port, seconds: seconds, group: group)
                if bench.name != baseline, let base = rows.first(where: { $0.name == baseline }), base.requestsPerSecond > 0 {
                    row.ratio = (baseline, row.requestsPerSecond / base.requestsPerSecond)
                }
                rows.append(row)
            }
        } catch {
            await fixture.stop()
            try? await group.shutdownGracefully()
            throw error
        }
        await fixture.stop()
        try await group.shutdownGracefully()
        return rows
    }

    static func measure(_ bench: Case, port: Int, seconds: Double, group: MultiThreadedEventLoopGroup,
                        connections: Int = RPCLoad.connections) async throws -> RPCLoadRow {
        let start = NIODeadline.now().uptimeNanoseconds + UInt64(warmUpSeconds * 1e9)
        let window = LoadWindow(start: start, end: start + UInt64(seconds * 1e9))
        let results = try await LoadConnection.open(connections, port: port, request: bench.request, marker: bench.marker,
                                                    window: window, group: group)
        var latencies = results.flatMap(\.latencies)
        latencies.sort()
        func percentile(_ p: Double) -> Double {
            guard !latencies.isEmpty else { return .nan }
            let index = min(latencies.count - 1, max(0, Int((p * Double(latencies.count)).rounded(.up)) - 1))
            return Double(latencies[index]) / 1e6
        }
        return RPCLoadRow(name: bench.name, requestsPerSecond: Double(latencies.count) / seconds,
                          p50Milliseconds: percentile(0.50), p99Milliseconds: percentile(0.99), requests: latencies.count,
                          errors: results.reduce(0) { $0 + $1.errors }, firstError: results.lazy.compactMap(\.firstError).first,
                          responseBytes: results.lazy.compactMap(\.sample).first?.count ?? 0)
    }

    static func report(_ rows: [RPCLoadRow], json: Bool) -> String {
        func ms(_ value: Double) -> String { value.isNaN ? "null" : Harness.format(value) }
        if json {
            return JSONWriter.pretty(.array(rows.map { r in
                var row: JSONObject = [
                    "name": .string(r.name), "requests_per_second": Harness.number(r.requestsPerSecond.rounded(.down)),
                    "p50_ms": Harness.number(r.p50Milliseconds), "p99_ms": Harness.number(r.p99Milliseconds),
                    "requests": .number(JSONNumber(r.requests)), "errors": .number(JSONNumber(r.errors)),
                    "response_bytes": .number(JSONNumber(r.responseBytes)), "connections": .number(JSONNumber(connections)),
                ]
                if let ratio = r.ratio {
                    row.append("baseline", .string(ratio.baseline))
                    row.append("ratio", Harness.number(ratio.value))
                }
                return .object(row)
            }))
        }
        var lines = ["benchmark (\(connections) keep-alive conns)     req/s   p50 ms   p99 ms   errors   resp B   ratio to baseline"]
        for r in rows {
            var line = r.name.padding(30) + String(Int(r.requestsPerSecond)).leftPadding(12)
            line += ms(r.p50Milliseconds).leftPadding(9) + ms(r.p99Milliseconds).leftPadding(9)
            line += String(r.errors).leftPadding(9) + String(r.responseBytes).leftPadding(9)
            if let ratio = r.ratio { line += "   \(Harness.format(ratio.value)) × \(ratio.baseline)" }
            lines.append(line)
        }
        for r in rows where r.errors > 0 { lines.append("\(r.name): \(r.errors) errors, first: \(r.firstError ?? "?")") }
        return lines.joined(separator: "\n")
    }
}

/// An in-process dev node (embedded dev genesis, temp data dir) with three sealed blocks of 50 EIP-1559 transfers
/// each, serving its JSON-RPC HTTP endpoint on an ephemeral port.
final class RPCFixture: Sendable {
    let node: Node
    let path: String
    let port: Int
    let server: NIOAsyncChannel<RPCHTTPServer.Connection, Never>
    let serving: Task<Void, any Error>
    let head: UInt64

    init(limits: RPCLimits = RPCLimits()) async throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("sankofa-rpcbench-\(UUID().uuidString)").path
        var config = NodeConfig()
        config.dataPath = path
        config.rpcHTTPEnabled = true
        config.rpcHTTPPort = 0
        config.rpcHTTPAPI = ["ETH", "NET", "WEB3"]
        config.rpcLimits = limits
        let signer = try PrivateKey(hex: DevGenesis.signerKey)
        node = try Node(config: config, genesis: try GenesisFile(json: Array(DevGenesis.json.utf8)), signer: signer, logger: .init(label: "rpc-bench"),
                        isDev: true)

        // One block per funded dev account, so each sender's nonces start at 0 against the pool's (genesis) view.
        for (index, account) in DevGenesis.keys.enumerated() {
            let sender = try PrivateKey(hex: account.privateKey)
            for nonce in 0..<UInt64(RPCLoad.transactionsPerBlock) {
                let tx = Transaction.Payload.dynamicFee(DynamicFeeTransaction(
                    chainId: 1337, nonce: nonce, maxPriorityFeePerGas: .zero, maxFeePerGas: .zero, gasLimit: 21_000,
                    to: Address(low: UInt32(0x20_0000 + index * 1_000) + UInt32(nonce)), value: UInt256(nonce + 1), data: [],
                    accessList: [])).signed(with: sender)
                try await node.pool.add(tx)
            }
            let produced = try await node.blockchain.produceBlock(signer: signer, candidates: await node.pool.candidates(),
                                                                  timestamp: UInt64(Date().timeIntervalSince1970))
            guard produced.block.transactions.count == RPCLoad.transactionsPerBlock, produced.receipts.allSatisfy(\.succeeded) else {
                throw BenchmarkError("fixture block \(index + 1): \(produced.block.transactions.count) transactions included, "
                                + "\(produced.rejected.count) rejected")
            }
            for tx in produced.block.transactions { await node.pool.remove(tx.hash) }
        }
        head = try node.chain.headHeader()?.number ?? 0

        // The node's own HTTP endpoint, as `sankofa` wires it (dispatcher over the node's table, node as health).
        guard let http = node.services().lazy.compactMap({ $0 as? RPCHTTPServer }).first else {
            throw BenchmarkError("the node configured no HTTP JSON-RPC server")
        }
        server = try await http.bind()
        guard let port = server.channel.localAddress?.port else { throw BenchmarkError("server has no local port") }
        self.port = port
        serving = Task { [server] in try await http.serve(server) }
    }

    /// One request per case on its own connection, checked in depth: the load cases then only check shape.
    func check(group: MultiThreadedEventLoopGroup) async throws {
        for bench in RPCLoad.cases {
            let results = try await LoadConnection.open(1, port: port, request: bench.request, marker: bench.marker,
                                                        window: LoadWindow(start: 0, end: 0), group: group)
            guard let result = results.first, result.errors == 0, let body = result.sample,
                  let object = try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else {
                throw BenchmarkError("\(bench.name): \(results.first?.firstError ?? "no response")")
            }
            let ok: Bool
            switch bench.name {
            case RPCLoad.baseline: ok = object["status"] as? String == "UP"
            case "rpc/eth_blockNumber": ok = object["result"] as? String == "0x" + String(head, radix: 16)
            case "rpc/eth_getBlockByNumber-full":
                let block = object["result"] as? [String: Any]
                let transactions = block?["transactions"] as? [[String: Any]] ?? []
                ok = block?["number"] as? String == "0x" + String(head, radix: 16)
                    && transactions.count == RPCLoad.transactionsPerBlock && transactions.allSatisfy { $0["from"] is String }
            case "rpc/eth_call-view": ok = object["result"] as? String == "0x" + String(repeating: "0", count: 63) + "1"
            default: ok = false
            }
            guard ok else { throw BenchmarkError("\(bench.name): unexpected response \(String(decoding: body.prefix(300), as: UTF8.self))") }
        }
    }

    func stop() async {
        try? await server.channel.close()
        serving.cancel()
        _ = await serving.result
        node.store.close()
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// The measured window in uptime nanoseconds: requests completing inside it count; at its end each connection
/// stops after its in-flight response.
struct LoadWindow: Sendable {
    let start: UInt64
    let end: UInt64
}

/// One keep-alive HTTP/1.1 client connection sending `request` back to back (one in flight), parsing responses
/// by Content-Length and checking each; runs on its channel's event loop.
final class LoadConnection: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    struct Result: Sendable {
        /// Latencies in nanoseconds of successful requests completed inside the window.
        var latencies: [UInt64] = []
        var errors = 0
        var firstError: String?
        /// The first response body.
        var sample: [UInt8]?
    }

    let request: ByteBuffer
    let marker: [UInt8]
    let window: LoadWindow
    let done: EventLoopPromise<Result>
    var received = ByteBuffer()
    var sentAt: UInt64 = 0
    var result = Result()
    var finished = false
    /// The response being read: header length and body length, once its header is complete.
    var headerLength = 0
    var bodyLength = -1
    var status = 0

    init(request: ByteBuffer, marker: [UInt8], window: LoadWindow, done: EventLoopPromise<Result>) {
        self.request = request
        self.marker = marker
        self.window = window
        self.done = done
        result.latencies.reserveCapacity(4_096)
    }

    /// Opens `count` connections and returns each one's result when all have finished.
    static func open(_ count: Int, port: Int, request: ByteBuffer, marker: [UInt8], window: LoadWindow,
                     group: MultiThreadedEventLoopGroup) async throws -> [Result] {
        var futures: [EventLoopFuture<Result>] = []
        for _ in 0..<count {
            let loop = group.next()
            let done = loop.makePromise(of: Result.self)
            ClientBootstrap(group: loop)
                .channelOption(.socketOption(.tcp_nodelay), value: 1)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(
                            LoadConnection(request: request, marker: marker, window: window, done: done))
                    }
                }
                .connect(host: "127.0.0.1", port: port)
                .whenFailure { done.fail($0) }
            futures.append(done.futureResult)
        }
        return try await EventLoopFuture.whenAllSucceed(futures, on: group.next()).get()
    }

    func channelActive(context: ChannelHandlerContext) {
        send(context: context)
    }

    func send(context: ChannelHandlerContext) {
        sentAt = NIODeadline.now().uptimeNanoseconds
        context.writeAndFlush(wrapOutboundOut(request), promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var chunk = unwrapInboundIn(data)
        received.writeBuffer(&chunk)
        while !finished {
            if bodyLength < 0 {
                guard let header = parseHeader() else { break }
                if let problem = header {
                    fail(problem)  // the stream cannot be followed any further
                    return finish(context: context)
                }
            }
            guard received.readableBytes >= headerLength + bodyLength else { break }
            let verdict = checkResponse()
            received.moveReaderIndex(forwardBy: headerLength + bodyLength)
            bodyLength = -1
            let now = NIODeadline.now().uptimeNanoseconds
            if let verdict {
                fail(verdict)
            } else if now >= window.start, now <= window.end {
                result.latencies.append(now - sentAt)
            }
            if now >= window.end { return finish(context: context) }
            send(context: context)
        }
        received.discardReadBytes()
    }

    /// Checks the complete response at the reader index: nil if it passed, else why not.
    func checkResponse() -> String? {
        received.withUnsafeReadableBytes { raw in
            let body = UnsafeRawBufferPointer(rebasing: raw[headerLength..<(headerLength + bodyLength)])
            if result.sample == nil { result.sample = Array(body) }
            guard status == 200 else { return "HTTP \(status): \(String(decoding: body.prefix(200), as: UTF8.self))" }
            guard let at = Self.find(marker, in: body) else {
                return "no \(String(decoding: marker, as: UTF8.self)) in \(String(decoding: body.prefix(200), as: UTF8.self))"
            }
            let value = body[(at + marker.count)...]
            if marker.last == UInt8(ascii: ":"), value.starts(with: "null".utf8) { return "null result" }
            return nil
        }
    }

    /// Parses the status line and Content-Length once the header is complete: nil if incomplete, `.some(nil)` if
    /// parsed, else `.some(reason)`.
    func parseHeader() -> String?? {
        received.withUnsafeReadableBytes { raw -> String?? in
            guard let end = Self.find(Array("\r\n\r\n".utf8), in: raw) else { return nil }
            let header = String(decoding: raw[..<end], as: UTF8.self)
            let lines = header.split(separator: "\r\n")
            guard let statusLine = lines.first, statusLine.hasPrefix("HTTP/1.1 "),
                  let code = Int(statusLine.dropFirst(9).prefix(3)) else { return .some("bad status line in \(header.prefix(100))") }
            var length: Int?
            for line in lines.dropFirst() {
                let parts = line.split(separator: ":", maxSplits: 1)
                if parts.count == 2, parts[0].lowercased() == "content-length" {
                    length = Int(parts[1].trimmingCharacters(in: .whitespaces))
                }
            }
            guard let length else { return .some("no Content-Length in \(header.prefix(200))") }
            status = code
            headerLength = end + 4
            bodyLength = length
            return .some(nil)
        }
    }

    /// The offset of the first occurrence of `needle`, or nil.
    static func find(_ needle: [UInt8], in haystack: UnsafeRawBufferPointer) -> Int? {
        guard let first = needle.first, haystack.count >= needle.count else { return nil }
        var i = 0
        let last = haystack.count - needle.count
        while i <= last {
            if haystack[i] == first {
                var j = 1
                while j < needle.count, haystack[i + j] == needle[j] { j += 1 }
                if j == needle.count { return i }
            }
            i += 1
        }
        return nil
    }

    func fail(_ reason: String) {
        result.errors += 1
        if result.firstError == nil { result.firstError = reason }
    }

    func finish(context: ChannelHandlerContext) {
        guard !finished else { return }
        finished = true
        context.close(promise: nil)
        done.succeed(result)
    }

    func channelInactive(context: ChannelHandlerContext) {
        if !finished {
            fail("connection closed by server")
            finished = true
            done.succeed(result)
        }
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        fail("\(error)")
        finish(context: context)
    }
}
