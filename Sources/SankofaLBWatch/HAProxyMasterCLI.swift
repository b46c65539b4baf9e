#if canImport(Glibc)
import Glibc
#endif

/// HAProxy's master CLI (`haproxy -W -S SOCKET`), used to reload with proof that the reload happened.
///
/// HAProxy 2.6 answers `reload` by re-executing the master, with no reply; a request that reaches the socket while
/// the master is re-executing for the previous one can be accepted and then dropped unanswered, which looks exactly
/// like success. The master's reload counter in `show proc` is the proof: a request is confirmed when the counter
/// passes the value read before it, re-sent when it does not move, and refused when the failed counter moves (the
/// master could not load the file and keeps the previous workers). HAProxy 2.7+ also answers `Success=0|1`.
public struct HAProxyMasterCLI: Sendable {
    /// The master CLI socket.
    public var socket: String
    /// How long one `reload` request may take to show in the counter before it is sent again.
    public var confirmSeconds = 5.0
    /// How many `reload` requests before giving up.
    public var attempts = 3
    /// How long to keep trying to connect while the master re-executes (its socket is briefly refused).
    public var connectSeconds = 3.0

    /// A client for the master CLI at `socket`.
    public init(socket: String) { self.socket = socket }

    /// The master's reload counters, from `show proc`.
    public struct Reloads: Equatable, Sendable {
        /// Times the master has re-executed.
        public var total: Int
        /// Times a re-execution could not load the configuration (`[failed: N]`; 0 where HAProxy does not say).
        public var failed: Int
    }

    /// Reloads HAProxy and returns once the master has re-executed with the installed file.
    public func reload() throws(HAProxyError) {
        let before = try reloads(retryingFor: connectSeconds)
        for _ in 0..<attempts {
            let reply = try command("reload", retryingFor: connectSeconds)
            if reply.contains("Success=0") || reply.contains("Failed") || reply.contains("Unknown") {
                throw HAProxyError("master CLI reload failed: \(reply.trimmedLines)")
            }
            let deadline = Self.now() + confirmSeconds
            repeat {
                usleep(100_000)
                guard let after = try? reloads(retryingFor: 0) else { continue }
                if after.failed > before.failed {
                    throw HAProxyError("HAProxy's master could not load \(socket)'s new configuration and keeps the previous workers; HAProxy's log says why")
                }
                if after.total > before.total { return }
            } while Self.now() < deadline
        }
        throw HAProxyError("HAProxy's master at \(socket) did not reload after \(attempts) requests \(Int(confirmSeconds)) s apart (its reload counter did not move)")
    }

    /// The master's counters now.
    public func reloads(retryingFor seconds: Double) throws(HAProxyError) -> Reloads {
        let reply = try command("show proc", retryingFor: seconds)
        guard let reloads = Self.parse(showProc: reply) else {
            throw HAProxyError("cannot read the master's reload count from `show proc` on \(socket): \(reply.trimmedLines)")
        }
        return reloads
    }

    /// The master line's counters. The `<reloads>` column is found by the header, since HAProxy 2.0–2.4 put a
    /// `<relative PID>` column before it and 2.5+ do not.
    static func parse(showProc text: String) -> Reloads? {
        let lines = text.split(whereSeparator: \.isNewline)
        guard let header = lines.first(where: { $0.hasPrefix("#") && $0.contains("<reloads>") }) else { return nil }
        let columns = header.split(separator: "<").dropFirst().map { $0.prefix { $0 != ">" } }
        guard let column = columns.firstIndex(of: "reloads"),
              let master = lines.first(where: { $0.split(separator: " ").dropFirst().first == "master" })
        else { return nil }
        let fields = master.split(separator: " ")
        guard column < fields.count, let total = Int(fields[column]) else { return nil }
        var failed = 0
        if let range = master.range(of: "[failed: ") {
            failed = Int(master[range.upperBound...].prefix { $0.isNumber }) ?? 0
        }
        return Reloads(total: total, failed: failed)
    }

    /// One command, its connection closed by `quit` (the 2.6 master CLI otherwise keeps it open); connecting is
    /// retried while the socket is refused or absent.
    func command(_ line: String, retryingFor seconds: Double) throws(HAProxyError) -> String {
        let deadline = Self.now() + seconds
        let text = line == "reload" ? line : line + ";quit"
        while true {
            do {
                return try UnixSocketCommand.send(text, to: socket)
            } catch {
                guard Self.now() < deadline else { throw error }
                usleep(100_000)
            }
        }
    }

    static func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}
