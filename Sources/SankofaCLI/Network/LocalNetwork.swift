import Dispatch
import Foundation
import SankofaCrypto
import SankofaPrimitives

/// `network up`: keys, genesis and one `sankofa run` child process per node, stopped together on SIGINT/SIGTERM.
struct LocalNetwork {
    let directory: String
    let consensus: String
    let chainId: UInt64
    let blockPeriod: UInt64
    let basePort: Int
    let logging: String

    func folder(_ name: String) -> String { (directory as NSString).appendingPathComponent(name) }
    var genesisPath: String { folder("genesis.json") }

    /// Creates (or, for a directory 'network up' used before, reuses) keys and genesis, and lays out the ports.
    func prepare(validators: Int, replicas: Int, light: Int) throws -> NetworkLayout {
        do { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) } catch {
            throw CLIError.file(path: directory, reason: "cannot create the directory (\(error.localizedDescription))")
        }
        let roles = (1...validators).map { ("validator-\($0)", "validator") }
            + (0..<replicas).map { ("replica-\($0 + 1)", "replica") } + (0..<light).map { ("light-\($0 + 1)", "light") }
        var nodes: [NetworkLayout.Node] = []
        for (i, (name, mode)) in roles.enumerated() {
            let key = try nodeKey(name)
            let p2p = basePort + NetworkLayout.Ports.p2p + i
            nodes.append(NetworkLayout.Node(
                name: name, mode: mode, address: key.address.checksummed,
                enode: "enode://\(Hex.encode(key.publicKey.rawBytes, prefix: false))@127.0.0.1:\(p2p)",
                p2pPort: p2p, rpcPort: basePort + i, wsPort: basePort + NetworkLayout.Ports.ws + i,
                metricsPort: basePort + NetworkLayout.Ports.metrics + i, pid: nil))
        }
        let signers = nodes.filter { $0.mode == "validator" }.map(\.address)
        if FileManager.default.fileExists(atPath: genesisPath) {
            // A network made before: the genesis must name the same validators, or the chain would not be this one.
            let previous = try? NetworkLayout.read(from: directory)
            let before = previous?.nodes.filter { $0.mode == "validator" }.map(\.address)
            guard before == signers, previous?.consensus == consensus, previous?.chainId == chainId else {
                throw CLIError.failed("\(directory) holds another network (\(before?.count ?? 0) validators, \(previous?.consensus ?? "?")"
                                      + " chain \(previous.map { String($0.chainId) } ?? "?")); use another --dir or remove it")
            }
        } else {
            // The same code path as 'sankofa genesis new'.
            let genesis = try GenesisCommand.New.parse(["--consensus", consensus, "--chain-id", String(chainId),
                                                        "--block-period", String(blockPeriod), "--validator"] + signers
                                                       + ["--admin", signers[0], "--output", genesisPath])
            try genesis.run()
        }
        return NetworkLayout(consensus: consensus, chainId: chainId, nodes: nodes)
    }

    /// A node's key, created like 'sankofa keys generate' on first use.
    func nodeKey(_ name: String) throws -> PrivateKey {
        let path = (folder(name) as NSString).appendingPathComponent("key")
        if FileManager.default.fileExists(atPath: path) { return try cli { try KeyFile.read(path: path) } }
        do { try FileManager.default.createDirectory(atPath: folder(name), withIntermediateDirectories: true) } catch {
            throw CLIError.file(path: folder(name), reason: "cannot create the directory (\(error.localizedDescription))")
        }
        let key = try cli { try PrivateKey.generate() }
        try cli { try KeyFile.write(key, path: path) }
        return key
    }

    /// The `sankofa run` arguments of one node: static peers are the validators (each validator the others).
    func arguments(_ node: NetworkLayout.Node, in layout: NetworkLayout) -> [String] {
        let peers = layout.nodes.filter { $0.mode == "validator" && $0.name != node.name }.map(\.enode)
        var arguments = ["run", "--genesis-file", genesisPath, "--data-path", (folder(node.name) as NSString).appendingPathComponent("data"),
                         "--node-private-key-file", (folder(node.name) as NSString).appendingPathComponent("key"),
                         "--mode", node.mode, "--p2p-host", "127.0.0.1", "--p2p-port", String(node.p2pPort),
                         "--rpc-http-enabled", "--rpc-http-port", String(node.rpcPort),
                         "--rpc-http-api", "ETH,NET,WEB3,TXPOOL,ADMIN,SANKOFA,\(consensus.uppercased())",
                         "--rpc-ws-enabled", "--rpc-ws-port", String(node.wsPort),
                         "--rpc-ws-api", "ETH,NET,WEB3,TXPOOL,SANKOFA,\(consensus.uppercased())",
                         "--metrics-enabled", "--metrics-port", String(node.metricsPort), "--logging", logging]
        if !peers.isEmpty { arguments += ["--bootnodes", peers.joined(separator: ",")] }
        return arguments
    }

    /// Starts every node, prints the table, and waits for SIGINT or SIGTERM; then stops them all.
    func run(_ initial: NetworkLayout, output: (String) -> Void) async throws {
        var layout = initial
        let busy = NetworkLayout.Ports.all(base: basePort, count: layout.nodes.count).filter { !PortProbe.isFree($0) }
        guard busy.isEmpty else {
            throw CLIError.failed("port\(busy.count > 1 ? "s" : "") \(busy.prefix(5).map(String.init).joined(separator: ", ")) in use; choose another --base-port")
        }
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        let events = AsyncStream.makeStream(of: NetworkEvent.self)
        var processes: [Process] = []
        for (i, node) in layout.nodes.enumerated() {
            let logPath = (folder(node.name) as NSString).appendingPathComponent("node.log")
            _ = FileManager.default.createFile(atPath: logPath, contents: nil)   // FileHandle below reports failure
            guard let log = FileHandle(forWritingAtPath: logPath) else { throw CLIError.file(path: logPath, reason: "cannot be written") }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments(node, in: layout)
            process.standardOutput = log
            process.standardError = log
            process.standardInput = FileHandle.nullDevice
            let name = node.name
            process.terminationHandler = { events.continuation.yield(.exited(name: name, status: $0.terminationStatus)) }
            do { try process.run() } catch {
                Self.stop(processes)
                throw CLIError.failed("cannot start \(name): \(error.localizedDescription)")
            }
            processes.append(process)
            layout.nodes[i].pid = process.processIdentifier
        }
        try layout.write(to: directory)
        let signals = [SIGINT, SIGTERM].map { signal -> any DispatchSourceSignal in
            Foundation.signal(signal, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signal, queue: .global())
            source.setEventHandler { events.continuation.yield(.signal(signal)) }
            source.resume()
            return source
        }
        defer { for source in signals { source.cancel() } }

        // Up means answering JSON-RPC; a node that exits first (a refused mode, a port taken meanwhile) fails it all.
        let started = BenchClock.now()
        var waiting = Set(layout.nodes.indices)
        while !waiting.isEmpty {
            if let i = waiting.first(where: { !processes[$0].isRunning }) {
                Self.stop(processes)
                try? NetworkLayout(consensus: layout.consensus, chainId: layout.chainId, nodes: initial.nodes).write(to: directory)
                throw CLIError.failed("\(layout.nodes[i].name) exited: \(lastError(of: layout.nodes[i].name))")
            }
            for i in waiting where await NetworkStatus.answers(layout.nodes[i]) { waiting.remove(i) }
            guard Double(BenchClock.now() - started) / 1e9 < 60 else {
                Self.stop(processes)
                throw CLIError.failed("\(waiting.map { layout.nodes[$0].name }.sorted().joined(separator: ", ")) did not answer JSON-RPC within 60 s; see node.log in \(directory)")
            }
            try? await Task.sleep(for: .milliseconds(200))
        }
        output(TextTable.render(["NODE", "MODE", "ENODE", "RPC", "METRICS"], layout.nodes.map {
            [$0.name, $0.mode, $0.enode, $0.rpcURL, $0.metricsURL]
        }) + "\n")
        output("\(layout.nodes.count) nodes up (\(consensus), chain \(chainId)); files in \(directory); admin key \(folder("validator-1"))/key\n")
        output("'sankofa network status --dir \(directory)' shows heads and peers; Ctrl-C stops every node.\n")

        var running = layout.nodes.count
        for await event in events.stream {
            switch event {
            case .exited(let name, let status):
                running -= 1
                output("\(name) exited with status \(status): \(lastError(of: name))\n")
                if running == 0 { throw CLIError.failed("every node has exited; see node.log in \(directory)") }
            case .signal:
                output("stopping \(running) node\(running == 1 ? "" : "s")…\n")
                let killed = Self.stop(processes)
                try? NetworkLayout(consensus: layout.consensus, chainId: layout.chainId, nodes: initial.nodes).write(to: directory)
                output(killed == 0 ? "all nodes stopped\n" : "all nodes stopped (\(killed) did not stop within 20 s and were killed)\n")
                return
            }
        }
    }

    /// SIGINT to every running child, then SIGKILL to any still running after 20 s; returns how many were killed.
    @discardableResult
    static func stop(_ processes: [Process]) -> Int {
        for process in processes where process.isRunning { kill(process.processIdentifier, SIGINT) }
        let deadline = BenchClock.now() + 20_000_000_000
        while processes.contains(where: \.isRunning), BenchClock.now() < deadline { usleep(50_000) }
        let stragglers = processes.filter(\.isRunning)
        for process in stragglers { kill(process.processIdentifier, SIGKILL) }
        for process in processes { process.waitUntilExit() }
        return stragglers.count
    }

    /// The last error line of a node's log (its one-line CLI error), or its last line.
    func lastError(of name: String) -> String {
        let path = (folder(name) as NSString).appendingPathComponent("node.log")
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        let lines = text.split(separator: "\n").map(String.init)
        let line = lines.last { $0.hasPrefix("Error: ") } ?? lines.last ?? "no output"
        return line.hasPrefix("Error: ") ? String(line.dropFirst("Error: ".count)) : line
    }
}

enum NetworkEvent: Sendable {
    case exited(name: String, status: Int32)
    case signal(Int32)
}

/// Whether a TCP port on 127.0.0.1 can be listened on now.
enum PortProbe {
    static func isFree(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        // As the node's own listeners do, so that a port whose old connections linger in TIME_WAIT counts as free.
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
    }
}
