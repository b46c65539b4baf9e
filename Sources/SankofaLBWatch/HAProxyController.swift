import Foundation

/// Why HAProxy was not updated; the watcher keeps the running configuration and reports this.
public struct HAProxyError: Error, CustomStringConvertible, Sendable {
    /// One line: what failed and HAProxy's own words.
    public let description: String
    /// An error with its line.
    public init(_ description: String) { self.description = description }
}

/// Applies configurations to a running HAProxy without dropping connections:
/// - membership changes: the new file is written to `FILE.tmp`, checked with `haproxy -c -f`, then renamed over
///   `FILE` (the previous one kept as `FILE.prev`) and HAProxy reloaded (`--reload-command`, or `reload` on the
///   master CLI socket, confirmed by the master's reload counter; old workers finish their in-flight requests).
///   A failed check leaves `FILE` and the running HAProxy untouched.
/// - status changes: `set server BACKEND/SERVER state ready|drain|maint` on the runtime API socket, no reload.
public struct HAProxyController: Sendable {
    /// `--haproxy-config`: the file HAProxy runs from and lb-watch owns.
    public var configPath: String
    /// `--haproxy-binary`, for `haproxy -c`.
    public var haproxyBinary = "haproxy"
    /// `--haproxy-socket`: the runtime API (stats socket, level admin).
    public var runtimeSocket: String?
    /// `--haproxy-master-socket`: the master CLI, used for `reload` when no reload command is given.
    public var masterSocket: String?
    /// `--reload-command`: run with `/bin/sh -c`.
    public var reloadCommand: String?

    /// A controller for `configPath`; set a socket or reload command before applying.
    public init(configPath: String) { self.configPath = configPath }

    /// Checks `config` and installs it as `configPath` (keeping `.prev`); throws with HAProxy's own message.
    public func install(_ config: String) throws(HAProxyError) {
        let temp = configPath + ".tmp"
        do { try Data(config.utf8).write(to: URL(fileURLWithPath: temp), options: .atomic) } catch {
            throw HAProxyError("cannot write \(temp): \(error.localizedDescription)")
        }
        let check = Self.run(haproxyBinary, ["-c", "-q", "-f", temp])
        guard check.status == 0 else {
            try? FileManager.default.removeItem(atPath: temp)
            throw HAProxyError("haproxy -c refused the new configuration: \(check.output.trimmedLines)")
        }
        let manager = FileManager.default
        if manager.fileExists(atPath: configPath) {
            try? manager.removeItem(atPath: configPath + ".prev")
            guard link(configPath, configPath + ".prev") == 0 || (try? manager.copyItem(atPath: configPath, toPath: configPath + ".prev")) != nil else {
                throw HAProxyError("cannot keep \(configPath).prev")
            }
        }
        guard rename(temp, configPath) == 0 else { throw HAProxyError("cannot rename \(temp) to \(configPath): errno \(errno)") }
    }

    /// Reloads HAProxy with the installed file.
    public func reload() throws(HAProxyError) {
        if let reloadCommand {
            let result = Self.run("/bin/sh", ["-c", reloadCommand])
            guard result.status == 0 else {
                throw HAProxyError("reload command exited \(result.status): \(result.output.trimmedLines)")
            }
        } else if let masterSocket {
            try HAProxyMasterCLI(socket: masterSocket).reload()
        } else {
            throw HAProxyError("no way to reload: give --reload-command or --haproxy-master-socket")
        }
    }

    /// Sets servers' states through the runtime API; throws on the first refusal.
    public func setStates(_ changes: [RegistryState.StatusChange]) throws(HAProxyError) {
        guard !changes.isEmpty else { return }
        guard let runtimeSocket else { throw HAProxyError("status changed but no --haproxy-socket is given; reloading instead") }
        for change in changes {
            let reply = try UnixSocketCommand.send("set server \(change.backend)/\(change.server) state \(change.state)", to: runtimeSocket)
            guard reply.trimmedLines.isEmpty else {
                throw HAProxyError("runtime API refused \(change.backend)/\(change.server) \(change.state): \(reply.trimmedLines)")
            }
        }
    }

    /// Runs a program; its exit status and combined output (bounded).
    static func run(_ program: String, _ arguments: [String]) -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program.hasPrefix("/") ? program : "/usr/bin/env")
        process.arguments = program.hasPrefix("/") ? arguments : [program] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        do { try process.run() } catch { return (127, "cannot run \(program): \(error.localizedDescription)") }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data.prefix(8_192), as: UTF8.self))
    }
}

extension String {
    /// Lines joined with " | ", blank ones dropped: an error message on one line.
    var trimmedLines: String {
        split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            .joined(separator: " | ")
    }
}

/// One command on an HAProxy CLI socket (runtime API or master CLI): connect, send a line, read until close.
enum UnixSocketCommand {
    static func send(_ command: String, to path: String, timeoutSeconds: Int = 10) throws(HAProxyError) -> String {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw HAProxyError("cannot create a socket for \(path)") }
        defer { close(fd) }
        var address = try Self.address(path)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard connected == 0 else { throw HAProxyError("cannot connect to HAProxy socket \(path) (errno \(errno))") }
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let line = Array((command + "\n").utf8)
        guard line.withUnsafeBytes({ Glibc.send(fd, $0.baseAddress, $0.count, 0) }) == line.count else {
            throw HAProxyError("cannot send to HAProxy socket \(path)")
        }
        var reply: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4_096)
        while reply.count < 65_536 {
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { break }
            reply += chunk[0..<count]
        }
        return String(decoding: reply, as: UTF8.self)
    }

    /// The `sockaddr_un` for `path`.
    static func address(_ path: String) throws(HAProxyError) -> sockaddr_un {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let pathBytes = Array(path.utf8)
        guard pathBytes.count < MemoryLayout.size(ofValue: address.sun_path) else { throw HAProxyError("socket path too long: \(path)") }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in pathBytes.enumerated() { raw[index] = byte }
        }
        return address
    }
}
