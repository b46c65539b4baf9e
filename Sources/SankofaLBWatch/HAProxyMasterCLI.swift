#if canImport(Glibc)
import Glibc
#endif

/// HAProxy's master CLI (`haproxy -W -S SOCKET`), used to reload with proof that the reload happened.
///
/// HAProxy 2.6 answers `reload` by re-executing the master, with no reply; a request that reaches the socket while
/// the master is re-executing for the previous one can be accepted and then dropped unanswered, which looks exactly
/// like success. The master's reload counter in `show proc` is the proof: it is read after the new file is in
/// place, and a reload is confirmed when the counter passes that value (any load counted after it read the new
/// file), re-sent when it does not move, and refused when the load failed. HAProxy 2.7+ answer `Success=0|1`
/// themselves.
struct HAProxyMasterCLI: Sendable {
    /// The master CLI socket.
    var socket: String
    /// How long one `reload` request may take to show in the counter before it is sent again.
    var confirmSeconds = 5.0
    /// How many `reload` requests before giving up.
    var attempts = 3
    /// How long to keep trying while the master re-executes (its socket refuses, or accepts and says nothing).
    var connectSeconds = 3.0

    /// A client for the master CLI at `socket`.
    init(socket: String) { self.socket = socket }

    /// The master's reload counters, from `show proc`.
    struct Reloads: Equatable, Sendable {
        /// Times the master has reloaded.
        var total: Int
        /// Failed loads since the last good one (`[failed: N]`). HAProxy 2.0–2.4 do not count them (always 0), so
        /// there a failed load passes for a reload; `haproxy -c` before installing makes that rare.
        var failed: Int
    }

    /// Reloads HAProxy and returns once the master has loaded the installed file.
    func reload() throws(HAProxyError) {
        let before = try reloads(retryingFor: connectSeconds)
        for _ in 0..<attempts {
            let reply = try command("reload", retryingFor: connectSeconds)
            let status = reply.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
            if status.hasPrefix("Success=1") { return }
            // 3.1+ refuse a reload while another is still loading: like a dropped request, wait and ask again.
            if status.hasPrefix("Success=0"), !reply.contains("in progress") {
                throw HAProxyError("master CLI reload failed: \(reply.trimmedLines)")
            }
            if status.hasPrefix("Unknown") { throw HAProxyError("master CLI refused reload: \(reply.trimmedLines)") }
            let deadline = ContinuousClock.now + .seconds(confirmSeconds)
            repeat {
                usleep(100_000)
                guard let after = try? reloads(retryingFor: 0, timeoutSeconds: 2), after.total > before.total else { continue }
                guard after.failed == 0 else {
                    throw HAProxyError("HAProxy's master could not load the new configuration and keeps the previous workers; HAProxy's log says why")
                }
                return
            } while ContinuousClock.now < deadline
        }
        throw HAProxyError("HAProxy's master at \(socket) did not reload after \(attempts) requests \(Int(confirmSeconds)) s apart (its reload counter did not move)")
    }

    /// The master's counters now; an absent socket or an unreadable answer (a master still re-executing) is
    /// retried for `seconds`.
    func reloads(retryingFor seconds: Double, timeoutSeconds: Int = 10) throws(HAProxyError) -> Reloads {
        let reply = try command("show proc;quit", retryingFor: seconds, timeoutSeconds: timeoutSeconds) {
            Self.parse(showProc: $0) != nil
        }
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

    /// One command (`show proc` ends with `;quit`: the 2.6 master CLI otherwise keeps the connection open),
    /// repeated for `seconds` while the socket is refused or absent or the answer is not yet `usable`; the last
    /// answer once time is up.
    func command(_ line: String, retryingFor seconds: Double, timeoutSeconds: Int = 10,
                 until usable: (String) -> Bool = { _ in true }) throws(HAProxyError) -> String {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while true {
            do {
                let reply = try UnixSocketCommand.send(line, to: socket, timeoutSeconds: timeoutSeconds)
                if usable(reply) || ContinuousClock.now >= deadline { return reply }
            } catch {
                guard ContinuousClock.now < deadline else { throw error }
            }
            usleep(100_000)
        }
    }
}
