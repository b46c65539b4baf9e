import Foundation
import Testing
@testable import SankofaLBWatch

@Suite("HAProxy master CLI")
struct HAProxyMasterCLITests {
    @Test func readsTheMasterCountersOfEveryShowProcFormat() {
        // HAProxy 2.6 (Debian 12), as captured from `show proc`.
        let v26 = """
            #<PID>          <type>          <reloads>       <uptime>        <version>
            4958            master          2 [failed: 1]   0d00h13m56s     2.6.12-1+deb12u4
            # workers
            7474            worker          0               0d00h00m14s     2.6.12-1+deb12u4
            # programs

            """
        #expect(HAProxyMasterCLI.parse(showProc: v26) == .init(total: 2, failed: 1))
        // HAProxy 2.0–2.4: a relative PID column comes before the reloads and there is no failed counter.
        let v24 = """
            #<PID>          <type>          <relative PID>  <reloads>       <uptime>        <version>
            1162            master          0               7               0d00h02m07s     2.4.22
            # workers
            1271            worker          1               0               0d00h00m00s     2.4.22
            """
        #expect(HAProxyMasterCLI.parse(showProc: v24) == .init(total: 7, failed: 0))
        #expect(HAProxyMasterCLI.parse(showProc: "Unknown command: 'show'") == nil)
        #expect(HAProxyMasterCLI.parse(showProc: "#<PID> <type> <reloads>\n# workers\n12 worker 0\n") == nil)
    }

    @Test func aReloadTheMasterDroppedIsSentAgain() throws {
        let master = try FakeMaster(answers: [.drop, .reload])
        defer { master.stop() }
        var cli = HAProxyMasterCLI(socket: master.path)
        cli.confirmSeconds = 0.5
        try cli.reload()
        #expect(master.reloadRequests == 2)
        #expect(master.counters == .init(total: 1, failed: 0))
    }

    @Test func aSynchronousAnswerIsTrustedAndItsStartupLogIsNotAVerdict() throws {
        // HAProxy 2.7+: `Success=1`, then the new worker's startup messages, which may say anything.
        let master = try FakeMaster(answers: [.busy, .success])
        defer { master.stop() }
        var cli = HAProxyMasterCLI(socket: master.path)
        cli.confirmSeconds = 0.3
        try cli.reload()
        #expect(master.reloadRequests == 2)
    }

    @Test func aMasterThatCannotLoadTheFileIsAnError() throws {
        let master = try FakeMaster(answers: [.fail])
        defer { master.stop() }
        let error = #expect(throws: HAProxyError.self) { try HAProxyMasterCLI(socket: master.path).reload() }
        #expect(error?.description.contains("could not load") == true)
        #expect(master.reloadRequests == 1)
    }

    @Test func aMasterThatNeverReloadsIsAnErrorAfterTheLastAttempt() throws {
        let master = try FakeMaster(answers: [])
        defer { master.stop() }
        var cli = HAProxyMasterCLI(socket: master.path)
        cli.confirmSeconds = 0.3
        cli.attempts = 2
        let error = #expect(throws: HAProxyError.self) { try cli.reload() }
        #expect(error?.description.contains("did not reload after 2 requests") == true)
        #expect(master.reloadRequests == 2)
    }

    @Test func anAbsentSocketIsAnErrorNamingIt() {
        var cli = HAProxyMasterCLI(socket: "/nonexistent/master.sock")
        cli.connectSeconds = 0.2
        let error = #expect(throws: HAProxyError.self) { try cli.reload() }
        #expect(error?.description.contains("/nonexistent/master.sock") == true)
    }
}

/// A master CLI on a Unix socket that answers `show proc;quit` with its counters and handles each `reload` as its
/// script says (then as `.drop` once the script is used up); one connection at a time, like HAProxy's master.
final class FakeMaster: @unchecked Sendable {
    enum Answer {
        /// 2.6: reloads, no reply.
        case reload
        /// 2.6: the load fails, no reply.
        case fail
        /// 2.6 re-executing: the request is accepted and lost.
        case drop
        /// 2.7+: reloads and says so, with a startup log.
        case success
        /// 3.1+: another reload is still loading.
        case busy
    }
    let path: String
    private let fd: Int32
    private let lock = NSLock()
    private var answers: [Answer]
    private var state = HAProxyMasterCLI.Reloads(total: 0, failed: 0)
    private var reloads = 0
    private var stopped = false
    private var thread: Thread?

    var reloadRequests: Int { lock.withLock { reloads } }
    var counters: HAProxyMasterCLI.Reloads { lock.withLock { state } }

    init(answers: [Answer]) throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("master-\(UUID().uuidString.prefix(8)).sock").path
        self.answers = answers
        var address = try UnixSocketCommand.address(path)
        fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard fd >= 0, bound == 0, listen(fd, 8) == 0 else {
            if fd >= 0 { close(fd) }
            unlink(path)
            throw HAProxyError("fake master cannot listen on \(path)")
        }
        let thread = Thread { [unowned self] in self.serve() }
        self.thread = thread
        thread.start()
    }

    private func serve() {
        while true {
            let client = accept(fd, nil, nil)
            guard client >= 0, !isStopped else { if client >= 0 { close(client) }; return }
            handle(client)
            close(client)
        }
    }

    private var isStopped: Bool { lock.withLock { stopped } }

    private func handle(_ client: Int32) {
        var buffer = [UInt8](repeating: 0, count: 256)
        let count = buffer.withUnsafeMutableBytes { recv(client, $0.baseAddress, $0.count, 0) }
        let line = String(decoding: buffer.prefix(max(count, 0)), as: UTF8.self)
        if line.hasPrefix("show proc") {
            let now = counters
            let text = """
                #<PID>          <type>          <reloads>       <uptime>        <version>
                100             master          \(now.total) [failed: \(now.failed)]   0d00h00m01s     2.6.12
                # workers
                101             worker          0               0d00h00m01s     2.6.12

                """
            _ = Array(text.utf8).withUnsafeBytes { send(client, $0.baseAddress, $0.count, 0) }
        } else if line.hasPrefix("reload") {
            let reply: String = lock.withLock {
                reloads += 1
                switch answers.isEmpty ? .drop : answers.removeFirst() {
                case .reload: state = .init(total: state.total + 1, failed: 0); return ""
                case .fail: state = .init(total: state.total + 1, failed: state.failed + 1); return ""
                case .drop: return ""
                case .success:
                    state = .init(total: state.total + 1, failed: 0)
                    return "Success=1\n--\n[WARNING] (101) : Failed to resolve a server; Unknown keyword ignored\n"
                case .busy: return "Success=0\n--\nAnother reload is still in progress.\n"
                }
            }
            _ = Array(reply.utf8).withUnsafeBytes { send(client, $0.baseAddress, $0.count, 0) }
        }
    }

    func stop() {
        lock.withLock { stopped = true }
        // Wake the accept with one last connection, then let the thread see `stopped`.
        let waker = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = (try? UnixSocketCommand.address(path)) ?? sockaddr_un()
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(waker, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        close(waker)
        while thread?.isFinished == false { usleep(10_000) }
        close(fd)
        unlink(path)
    }
}
