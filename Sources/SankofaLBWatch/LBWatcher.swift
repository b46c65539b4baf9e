#if canImport(Glibc)
import Glibc
#endif
import Logging
import NIOPosix
import SankofaJSON

/// Where and what to watch (`sankofa lb-watch` flags).
public struct LBWatchSettings: Sendable {
    /// The node's WebSocket JSON-RPC (`--rpc ws://HOST:PORT/PATH`).
    public var rpcHost = "127.0.0.1"
    public var rpcPort = 8546
    public var rpcPath = "/"
    /// `--rpc-token-file`: a bearer token for a node with `--rpc-ws-authentication-enabled`, read again before each
    /// connection so an external job can refresh it.
    public var rpcTokenFile: String?
    /// `--zone`, in order (zone n gets frontend port + n).
    public var zones: [Zone] = []
    /// Events are applied once this many blocks are on top of theirs; nil: 0 when the node answers QBFT's
    /// `qbft_getValidatorsByBlockNumber` (immediate finality), else 6 (Clique can reorg recent blocks).
    public var confirmations: UInt64?
    /// How often to look at the head when no notification arrives.
    public var pollInterval: Duration = .seconds(2)
    /// The longest wait between reconnection attempts (the wait doubles from 250 ms).
    public var maxBackoff: Duration = .seconds(10)
    /// How the configuration is written.
    public var renderer = HAProxyConfigRenderer()
    /// How it is applied.
    public var controller: HAProxyController

    /// Settings with defaults around `controller`.
    public init(controller: HAProxyController) { self.controller = controller }
}

/// Keeps an HAProxy configuration in step with NodeRegistry.
///
/// Exactly-once, in-order application: on start the registry is read with `eth_call` at the final block `F`
/// (head − confirmations) and `lastApplied = F`; afterwards, every wake-up (a `logs` or `newHeads` subscription
/// notification, or the poll interval) applies `eth_getLogs(lastApplied+1 … newF)` in (block, logIndex) order and
/// moves `lastApplied` to `newF`. A dropped connection is reopened with exponential backoff and resubscribed; the
/// next wake-up backfills from `lastApplied`, so nothing is missed and nothing applied twice.
public actor LBWatcher {
    let settings: LBWatchSettings
    let logger: Logger
    /// What the API reports.
    public nonisolated let status: LBWatchStatus
    var state: RegistryState?
    /// `settings.confirmations`, or what the node's consensus implies (decided on the first connection).
    var confirmations: UInt64?
    /// A configuration was installed but its reload failed (e.g. the master was still re-executing): retried on
    /// every wake-up until it succeeds, so HAProxy never stays behind the file.
    var reloadPending = false

    /// A watcher; nothing happens until `run()`.
    public init(settings: LBWatchSettings, status: LBWatchStatus = LBWatchStatus(), logger: Logger) {
        self.settings = settings
        self.status = status
        self.logger = logger
    }

    /// Runs until cancelled.
    public func run() async {
        var backoff = Duration.milliseconds(250)
        while !Task.isCancelled {
            do {
                let token = try settings.rpcTokenFile.map { path -> String in
                    guard let text = FileText.read(path) else { throw RPCClientError("cannot read --rpc-token-file \(path)") }
                    return String(text.filter { !$0.isWhitespace })
                }
                let client = try await WebSocketRPCClient.connect(host: settings.rpcHost, port: settings.rpcPort,
                                                                  path: settings.rpcPath, token: token)
                backoff = .milliseconds(250)
                try await follow(client)
                await client.close()
            } catch is CancellationError {
                return
            } catch {
                logger.warning("lb-watch: node connection: \(error); retrying in \(backoff)")
            }
            guard !Task.isCancelled else { return }
            status.update { $0.reconnects += 1 }
            try? await Task.sleep(for: backoff)
            backoff = min(backoff * 2, settings.maxBackoff)
        }
    }

    func follow(_ client: WebSocketRPCClient) async throws {
        let reader = RegistryReader(client: client)
        if confirmations == nil {
            let isQBFT = (try? await client.call("qbft_getValidatorsByBlockNumber", ["latest"])) != nil
            confirmations = settings.confirmations ?? (isQBFT ? 0 : 6)
            logger.info("lb-watch: applying events at \(confirmations ?? 6) confirmations\(settings.confirmations == nil ? (isQBFT ? " (QBFT chain)" : " (Clique chain)") : "")")
        }
        let filter = JSON.object(JSONObject([("address", .string(RegistryReader.address.hex))]))
        _ = try await client.call("eth_subscribe", ["logs", filter])
        _ = try await client.call("eth_subscribe", ["newHeads"])
        let poll = settings.pollInterval
        let ticker = Task { [weak client] in
            while !Task.isCancelled {
                try? await Task.sleep(for: poll)
                client?.wake()
            }
        }
        defer { ticker.cancel() }
        try await sync(reader)
        for await _ in client.notifications {
            try Task.checkCancellation()
            try await sync(reader)
        }
        throw RPCClientError("the node closed the WebSocket connection")
    }

    /// Brings the state up to the current final block.
    func sync(_ reader: RegistryReader) async throws {
        if reloadPending { await reloadInstalled() }
        let head = try await reader.blockNumber()
        status.update { $0.head = head }
        let depth = confirmations ?? 6
        guard head >= depth else { return }
        let final = head - depth
        guard var current = state else {
            var fresh = RegistryState(zones: settings.zones, lastApplied: final)
            var outcome = RegistryState.Outcome()
            for zone in settings.zones {
                for node in try await reader.nodes(in: zone, at: final) { fresh.load(node, into: &outcome) }
            }
            state = fresh
            logger.info("lb-watch: read the registry at block \(final): \(fresh.nodes.count) nodes in \(settings.zones.count) zones")
            await publish(fresh, outcome, forceReload: true)
            return
        }
        guard final > current.lastApplied else { return }
        let events = try await reader.events(after: current.lastApplied, through: final)
        var outcome = RegistryState.Outcome()
        for event in events { current.apply(event, into: &outcome) }
        current.lastApplied = final
        state = current
        await publish(current, outcome, forceReload: false)
    }

    /// Renders and applies: reload for membership changes, runtime API for status-only changes.
    func publish(_ state: RegistryState, _ outcome: RegistryState.Outcome, forceReload: Bool) async {
        for refused in outcome.refused {
            logger.error("lb-watch: refused endpoint of node \(refused.node): \(refused.reason) (\(String(reflecting: refused.endpoint)))")
        }
        let config = settings.renderer.render(zones: state.zones, nodes: state.nodes, block: state.lastApplied)
        status.update {
            $0.lastApplied = state.lastApplied
            $0.nodesPerZone = state.countsByZone
            $0.refusedEndpoints += outcome.refused.count
        }
        if forceReload || outcome.membershipChanged {
            await apply(config, reload: true)
        } else if !outcome.statusChanges.isEmpty {
            do {
                try await offLoop { try $0.setStates(outcome.statusChanges) }
                status.update { $0.runtimeUpdates += outcome.statusChanges.count }
                // Keep the file in step for the next reload or restart; the running HAProxy already is.
                await apply(config, reload: false)
                logger.info("lb-watch: \(outcome.statusChanges.count) server state(s) changed through the runtime API")
            } catch {
                logger.warning("lb-watch: \(error)")
                await apply(config, reload: true)
            }
        }
    }

    /// Installs `config` (checked by `haproxy -c`) and reloads; a failure keeps the running config.
    func apply(_ config: String, reload: Bool) async {
        let now = Int64(Clock.unixSeconds)
        do {
            try await offLoop { try $0.install(config) }
            status.update { $0.config = config }
        } catch {
            status.update {
                $0.reloadFailures += 1
                $0.lastReloadAt = now
                $0.lastReloadResult = "failed: \(error.description)"
            }
            logger.error("lb-watch: \(error.description); the running configuration is kept")
            return
        }
        if reload { await reloadInstalled() }
    }

    /// Reloads HAProxy with the installed file; on failure remembers to try again.
    func reloadInstalled() async {
        let now = Int64(Clock.unixSeconds)
        do {
            try await offLoop { try $0.reload() }
            reloadPending = false
            status.update {
                $0.reloads += 1
                $0.lastReloadAt = now
                $0.lastReloadResult = "ok"
            }
            logger.info("lb-watch: HAProxy reloaded at block \(state?.lastApplied ?? 0)")
        } catch {
            reloadPending = true
            status.update {
                $0.reloadFailures += 1
                $0.lastReloadAt = now
                $0.lastReloadResult = "failed: \(error.description)"
            }
            logger.error("lb-watch: \(error.description); will retry the reload")
        }
    }

    /// Runs a controller step (which waits on `haproxy -c`, sockets and sleeps) on lb-watch's own thread, so the
    /// Swift concurrency pool and the API's event loops never block on HAProxy.
    func offLoop(_ body: @escaping @Sendable (HAProxyController) throws -> Void) async throws(HAProxyError) {
        let controller = settings.controller
        do {
            try await Self.blocking.runIfActive { try body(controller) }
        } catch let error as HAProxyError {
            throw error
        } catch {
            throw HAProxyError("HAProxy step did not run: \(error)")
        }
    }

    /// One thread for HAProxy work: steps run one at a time, in order.
    static let blocking: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: 1)
        pool.start()
        return pool
    }()

    /// `POST /reload`: renders the current state and reloads; the result line.
    public func reloadNow() async -> String {
        guard let state else { return "not synced yet" }
        await apply(settings.renderer.render(zones: state.zones, nodes: state.nodes, block: state.lastApplied), reload: true)
        return status.json()["lastReload"]?["result"]?.stringValue ?? "unknown"
    }
}

/// Small file reads without Foundation.
enum FileText {
    /// The file's UTF-8 text, at most 64 KiB; nil when it cannot be read.
    static func read(_ path: String) -> String? {
        guard let file = fopen(path, "r") else { return nil }
        defer { fclose(file) }
        var bytes = [UInt8](repeating: 0, count: 65_536)
        let count = fread(&bytes, 1, bytes.count, file)
        return String(decoding: bytes[0..<count], as: UTF8.self)
    }
}

enum Clock {
    static var unixSeconds: Int { Int(time(nil)) }
}
