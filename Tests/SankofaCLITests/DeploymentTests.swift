import Foundation
import FoundationNetworking
import SankofaNode
import SankofaTestSupport
import Testing

/// Issue 17, deployment: the Kubernetes overlays render, the Prometheus rules load, and everything the manifests
/// and the monitoring files name — `sankofa run` flags, TOML keys, metric names — is something the node has.
@Suite("deploy/ manifests and monitoring")
struct DeploymentTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let deploy = root.appendingPathComponent("deploy")
    static let tiers = ["core", "core-standby", "regional", "edge"]

    @Test(.enabled(if: Tool.path("kubectl") != nil, "kubectl is not installed: overlays not rendered"), arguments: tiers)
    func overlayRenders(tier: String) throws {
        let overlay = Self.deploy.appendingPathComponent("kubernetes/overlays/\(tier)").path
        let output = try Tool.run(try #require(Tool.path("kubectl")), ["kustomize", overlay])
        #expect(output.status == 0, "\(output.stderr)")
        let kinds = Set(output.stdout.split(separator: "\n").filter { $0.hasPrefix("kind: ") }.map { String($0.dropFirst(6)) })
        for kind in ["Namespace", "ConfigMap", "NetworkPolicy", "Service"] { #expect(kinds.contains(kind), "\(tier): no \(kind)") }
        let workload = ["core": "StatefulSet", "core-standby": "StatefulSet", "regional": "StatefulSet", "edge": "DaemonSet"][tier] ?? ""
        #expect(kinds.contains(workload), "\(tier): no \(workload)")
        if tier != "edge" { #expect(kinds.contains("PodDisruptionBudget"), "\(tier): no PodDisruptionBudget") }
    }

    @Test(.enabled(if: Tool.path("promtool") != nil, "promtool is not installed (Debian: apt-get install prometheus): rules not checked"))
    func alertRulesLoad() throws {
        let rules = Self.deploy.appendingPathComponent("monitoring/rules/sankofa.rules.yml").path
        let promtool = try #require(Tool.path("promtool"))
        let output = try Tool.run(promtool, ["check", "rules", rules])
        #expect(output.status == 0, "\(output.stdout)\(output.stderr)")
        // Unit tests: the alerts fire on the situations they describe (series → expected alerts and annotations).
        let tests = Self.deploy.appendingPathComponent("monitoring/rules/sankofa.rules.test.yml").path
        let unit = try Tool.run(promtool, ["test", "rules", tests])
        #expect(unit.status == 0, "\(unit.stdout)\(unit.stderr)")
    }

    /// Every `sankofa_*` series the rules and the dashboard query is one the node's sources create (histograms add
    /// `_bucket`, `_sum` and `_count` to a `Timer`'s name).
    @Test func monitoringUsesOnlyMetricsTheNodeExports() throws {
        let sources = try Self.sourceText()
        let files = ["monitoring/rules/sankofa.rules.yml", "monitoring/grafana/sankofa-dashboard.json"]
        var used = Set<String>()
        for file in files {
            let text = try String(contentsOf: Self.deploy.appendingPathComponent(file), encoding: .utf8)
            used.formUnion(Self.matches(of: #"sankofa_[a-z0-9_]+"#, in: text))
        }
        #expect(used.count >= 10, "\(used)")
        for name in used.sorted() {
            var base = name
            for suffix in ["_bucket", "_sum", "_count"] where base.hasSuffix(suffix) { base = String(base.dropLast(suffix.count)) }
            let exported = Self.exported(base, in: sources)
            #expect(exported, "\(name) is not a metric the node exports")
        }
    }

    /// The same names against a real scrape of `sankofa dev --metrics-enabled`: every series the monitoring files
    /// use that this node exports must be spelled exactly so (a `Timer` must come out as `_bucket`/`_sum`/`_count`).
    /// A one-node dev chain creates only some metrics (no peers, no QBFT); the source check above covers the rest.
    @Test(.enabled(if: SankofaBinary.available)) func monitoringMatchesARealScrape() async throws {
        let ports = (http: try DevRPCEndToEndTests.freePort(), ws: try DevRPCEndToEndTests.freePort(), metrics: try DevRPCEndToEndTests.freePort())
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sankofa-scrape-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let node = Process()
        node.executableURL = URL(fileURLWithPath: try #require(SankofaBinary.path))
        node.arguments = ["dev", "--data-path", path, "--rpc-http-port", String(ports.http), "--rpc-ws-port", String(ports.ws),
                          "--metrics-enabled", "--metrics-port", String(ports.metrics)]
        node.standardOutput = FileHandle.nullDevice
        node.standardError = FileHandle.nullDevice
        try node.run()
        defer { if node.isRunning { kill(node.processIdentifier, SIGKILL) } }
        var scrape = ""
        for _ in 0..<100 where !scrape.contains("sankofa_chain_head_number") {
            if let url = URL(string: "http://127.0.0.1:\(ports.metrics)/metrics"),
               let (data, _) = try? await URLSession.shared.data(from: url) {
                scrape = String(decoding: data, as: UTF8.self)
            }
            if !scrape.contains("sankofa_chain_head_number") { try await Task.sleep(for: .milliseconds(100)) }
        }
        let exported = Set(Self.matches(of: #"(?m)^sankofa_[a-z0-9_]+"#, in: scrape))
        #expect(exported.contains("sankofa_chain_head_number"), "\(scrape)")
        var used = Set<String>()
        for file in ["monitoring/rules/sankofa.rules.yml", "monitoring/grafana/sankofa-dashboard.json"] {
            used.formUnion(Self.matches(of: #"sankofa_[a-z0-9_]+"#, in: try String(contentsOf: Self.deploy.appendingPathComponent(file), encoding: .utf8)))
        }
        var compared = 0
        for name in used.sorted() {
            var base = name
            for suffix in ["_bucket", "_sum", "_count"] where base.hasSuffix(suffix) { base = String(base.dropLast(suffix.count)) }
            guard exported.contains(where: { $0 == base || $0.hasPrefix(base + "_") }) else { continue }
            #expect(exported.contains(name), "\(name): the node exports \(exported.filter { $0.hasPrefix(base) }.sorted())")
            compared += 1
        }
        #expect(compared >= 4, "only \(compared) of the monitoring's metrics appear in a dev node's scrape: \(exported.sorted())")
    }

    /// Every flag the manifests pass to `sankofa run` and every key of their TOML files is one `run` accepts.
    @Test(.enabled(if: SankofaBinary.available)) func manifestsUseRealRunFlags() throws {
        let help = try SankofaBinary.run(["run", "--help"])
        #expect(help.status == 0)
        let known = Set(Self.matches(of: #"--[a-z0-9-]+"#, in: help.stdout))
        let kubernetes = Self.deploy.appendingPathComponent("kubernetes")
        var checked = 0
        for path in try FileManager.default.subpathsOfDirectory(atPath: kubernetes.path).sorted()
        where path.hasSuffix(".yaml") || path.hasSuffix(".toml") {
            let text = try String(contentsOf: kubernetes.appendingPathComponent(path), encoding: .utf8)
            if path.hasSuffix(".yaml") {
                for flag in Self.matches(of: #"(?<=\s|^|-)--[a-z0-9-]+(?==)"#, in: text) {
                    #expect(known.contains(flag), "\(path): \(flag) is not a 'sankofa run' flag")
                    checked += 1
                }
            } else if path.hasSuffix(".toml") {
                // The node itself reads it as it would from --config-file.
                var config = NodeConfig()
                #expect(throws: Never.self, "\(path)") { try config.apply(toml: text) }
                for line in text.split(separator: "\n") where !line.hasPrefix("#") && line.contains("=") {
                    let key = "--" + line.split(separator: "=")[0].trimmingCharacters(in: .whitespaces)
                    #expect(known.contains(key), "\(path): \(key.dropFirst(2)) is not a configuration key")
                    checked += 1
                }
            }
        }
        #expect(checked > 30)
    }

    // MARK: Helpers

    static func sourceText() throws -> String {
        let sources = root.appendingPathComponent("Sources")
        var text = ""
        for path in try FileManager.default.subpathsOfDirectory(atPath: sources.path) where path.hasSuffix(".swift") {
            text += try String(contentsOf: sources.appendingPathComponent(path), encoding: .utf8)
        }
        return text
    }

    /// A metric label spelled out in the sources, or a QBFT counter named in `NodeMetrics.qbft`'s table
    /// (`Counter(label: "sankofa_qbft_\(name)_total")`).
    static func exported(_ name: String, in sources: String) -> Bool {
        // swift-metrics labels, or a name the node registers with the Prometheus registry itself (read at each scrape).
        if sources.contains("label: \"\(name)\"") || sources.contains("metricName: \"\(name)\"") { return true }
        if name.hasPrefix("sankofa_qbft_"), name.hasSuffix("_total") {
            let inner = name.dropFirst("sankofa_qbft_".count).dropLast("_total".count)
            return sources.contains("Counter(label: \"sankofa_qbft_\\(name)_total\")") && sources.contains("(\"\(inner)\", now.")
        }
        return false
    }

    static func matches(of pattern: String, in text: String) -> [String] {
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return [] }
        return regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap { Range($0.range, in: text).map { String(text[$0]) } }
    }
}

/// An external tool found on PATH (tests that need one are skipped, with the reason, when it is absent).
enum Tool {
    static func path(_ name: String) -> String? {
        let directories = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        return directories.map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    struct Output {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    static func run(_ executable: String, _ arguments: [String]) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        // stderr goes to a file, so a tool writing much to both streams cannot block on a full pipe.
        let errorPath = FileManager.default.temporaryDirectory.appendingPathComponent("tool-\(UUID().uuidString).err").path
        _ = FileManager.default.createFile(atPath: errorPath, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: errorPath) }
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle(forWritingAtPath: errorPath)
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let stderr = FileManager.default.contents(atPath: errorPath) ?? Data()
        return Output(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                      stderr: String(decoding: stderr, as: UTF8.self))
    }
}
