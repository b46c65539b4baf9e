import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import Prometheus
import SankofaRPC
import SankofaStorage
import ServiceLifecycle

/// Serves `GET /metrics` in Prometheus text format on `--metrics-host:--metrics-port`.
public struct MetricsServer: Service, CustomStringConvertible {
    public var description: String { "MetricsServer(\(host):\(port))" }
    let registry: PrometheusCollectorRegistry
    let host: String
    let port: Int
    let store: RocksDBStore?
    let logger: Logger

    /// With a `store`, its memory is exported too (`StoreMetrics`).
    public init(registry: PrometheusCollectorRegistry, host: String, port: Int, store: RocksDBStore? = nil, logger: Logger) {
        self.registry = registry
        self.host = host
        self.port = port
        self.store = store
        self.logger = logger
    }

    public func run() async throws {
        let channel: Channel
        do { channel = try await Self.bind(registry: registry, host: host, port: port, store: store) } catch {
            throw ListenError(endpoint: "metrics", host: host, port: port, cause: error)
        }
        logger.info("Metrics on http://\(host):\(channel.localAddress?.port ?? port)/metrics")
        try await withGracefulShutdownHandler {
            try await channel.closeFuture.get()
        } onGracefulShutdown: {
            channel.close(promise: nil)
        }
    }

    /// Binds the listening socket (exposed for tests, which bind port 0).
    static func bind(registry: PrometheusCollectorRegistry, host: String, port: Int,
                     store: RocksDBStore? = nil) async throws -> Channel {
        let scraped: [any ScrapedMetrics] = [ProcessMetrics(registry: registry)]
            + (store.map { [StoreMetrics(registry: registry, store: $0)] } ?? [])
        return try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 64)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.pipeline.configureHTTPServerPipeline().flatMap {
                    channel.pipeline.addHandler(MetricsHandler(registry: registry, scraped: scraped))
                }
            }
            .bind(host: host, port: port)
            .get()
    }
}

/// Answers one request per call: the registry's text for GET /metrics (scraped figures read just before), 404
/// otherwise.
final class MetricsHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    let registry: PrometheusCollectorRegistry
    let scraped: [any ScrapedMetrics]
    var head: HTTPRequestHead?

    init(registry: PrometheusCollectorRegistry, scraped: [any ScrapedMetrics]) {
        self.registry = registry
        self.scraped = scraped
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let request): head = request
        case .body: break
        case .end:
            guard let request = head else { return }
            let found = request.method == .GET && request.uri.split(separator: "?").first == "/metrics"
            var body = context.channel.allocator.buffer(capacity: 4_096)
            if found {
                for metrics in scraped { metrics.update() }
                body.writeBytes(registry.emitToBuffer())
            } else {
                body.writeString("not found\n")
            }
            var headers = HTTPHeaders()
            headers.add(name: "Content-Type", value: found ? "text/plain; version=0.0.4" : "text/plain")
            headers.add(name: "Content-Length", value: String(body.readableBytes))
            let keepAlive = request.isKeepAlive
            if !keepAlive { headers.add(name: "Connection", value: "close") }
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: request.version, status: found ? .ok : .notFound,
                                                                  headers: headers))), promise: nil)
            context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
            let written = context.writeAndFlush(wrapOutboundOut(.end(nil)))
            if !keepAlive {
                // Closed once the last byte is out; the channel, unlike the handler context, may be captured here.
                let channel = context.channel
                written.whenComplete { _ in channel.close(promise: nil) }
            }
            head = nil
        }
    }
}
