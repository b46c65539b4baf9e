import NIOConcurrencyHelpers
import SankofaJSON

/// What lb-watch reports at `/status` and `/metrics`, shared between the watcher and the API.
public final class LBWatchStatus: Sendable {
    struct Snapshot {
        var lastApplied: UInt64?
        var head: UInt64?
        var nodesPerZone: [(String, Int)] = []
        var lastReloadAt: Int64?
        var lastReloadResult: String?
        var config = ""
        var reloads = 0
        var reloadFailures = 0
        var runtimeUpdates = 0
        var refusedEndpoints = 0
        var reconnects = 0
    }

    private let state = NIOLockedValueBox(Snapshot())

    public init() {}

    func update(_ change: (inout Snapshot) -> Void) { state.withLockedValue(change) }

    /// The config last written (what `/config` shows).
    public var config: String { state.withLockedValue { $0.config } }
    /// The last block whose events are applied (nil before the first read).
    public var lastApplied: UInt64? { state.withLockedValue { $0.lastApplied } }
    /// Endpoints refused since start.
    public var refusedEndpoints: Int { state.withLockedValue { $0.refusedEndpoints } }
    /// Successful reloads since start.
    public var reloads: Int { state.withLockedValue { $0.reloads } }

    /// `/status` as JSON.
    public func json() -> JSON {
        let snapshot = state.withLockedValue { $0 }
        let lag: JSON = if let head = snapshot.head, let applied = snapshot.lastApplied {
            .number(JSONNumber(head >= applied ? head - applied : 0))
        } else { .null }
        let zones = JSON.object(JSONObject(snapshot.nodesPerZone.map { ($0.0, .number(JSONNumber($0.1))) }))
        return .object(JSONObject([
            ("lastBlockApplied", snapshot.lastApplied.map { .number(JSONNumber($0)) } ?? .null),
            ("head", snapshot.head.map { .number(JSONNumber($0)) } ?? .null),
            ("lagBlocks", lag),
            ("nodesPerZone", zones),
            ("lastReload", .object(JSONObject([
                ("at", snapshot.lastReloadAt.map { .number(JSONNumber(Int($0))) } ?? .null),
                ("result", snapshot.lastReloadResult.map { .string($0) } ?? .null),
            ]))),
            ("refusedEndpoints", .number(JSONNumber(snapshot.refusedEndpoints))),
        ]))
    }

    /// Prometheus text exposition (version 0.0.4).
    public func prometheus() -> String {
        let s = state.withLockedValue { $0 }
        let lag = (s.head ?? 0) >= (s.lastApplied ?? 0) ? (s.head ?? 0) - (s.lastApplied ?? 0) : 0
        return """
            # HELP lbwatch_reloads_total HAProxy reloads after membership changes.
            # TYPE lbwatch_reloads_total counter
            lbwatch_reloads_total \(s.reloads)
            # HELP lbwatch_reload_failures_total Configurations refused by haproxy -c or reloads that failed.
            # TYPE lbwatch_reload_failures_total counter
            lbwatch_reload_failures_total \(s.reloadFailures)
            # HELP lbwatch_runtime_updates_total Server state changes applied through the runtime API.
            # TYPE lbwatch_runtime_updates_total counter
            lbwatch_runtime_updates_total \(s.runtimeUpdates)
            # HELP lbwatch_refused_endpoints_total Registry endpoints refused as not host:port.
            # TYPE lbwatch_refused_endpoints_total counter
            lbwatch_refused_endpoints_total \(s.refusedEndpoints)
            # HELP lbwatch_reconnects_total WebSocket reconnections to the node.
            # TYPE lbwatch_reconnects_total counter
            lbwatch_reconnects_total \(s.reconnects)
            # HELP lbwatch_lag_blocks Blocks between the node's head and the last block applied.
            # TYPE lbwatch_lag_blocks gauge
            lbwatch_lag_blocks \(lag)
            # HELP lbwatch_last_block_applied The last block whose registry events are applied.
            # TYPE lbwatch_last_block_applied gauge
            lbwatch_last_block_applied \(s.lastApplied ?? 0)

            """
    }
}
