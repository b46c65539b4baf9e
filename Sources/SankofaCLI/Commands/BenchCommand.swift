import ArgumentParser
import Foundation
import SankofaJSON

/// `sankofa bench …`: load generators.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Measure a network's throughput and latency.", subcommands: [Tx.self])

    /// `sankofa bench tx`: a Caliper-style open-loop transaction load generator.
    struct Tx: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "tx",
            abstract: "Send pre-signed transactions to nodes and report throughput, latency and failures.",
            discussion: """
            Signs every transaction before the clock starts, sends them in eth_sendRawTransaction batches over \
            keep-alive HTTP connections spread over the nodes (each sender to one node), follows new blocks to \
            time inclusion, then checks every receipt. Needs a free-gas chain (min gas price 0): transfers are \
            zero-value and no sender needs funds. Latency is send → block: final on QBFT, inclusion on Clique.
            """)

        @Option(help: "JSON-RPC HTTP endpoints, comma-separated (http://HOST:PORT,…).") var rpc: String
        @Option(help: "Transactions to send.") var txs = 1_000
        @Option(help: "Sender accounts (transactions are spread evenly over them).") var senders = 100
        @Option(help: "Target transactions per second over all nodes (default: as fast as the nodes accept; what a full pool refuses is sent again once it has room).")
        var rate: Double?
        @Option(help: "Kinds with optional weights: transfer, identity (IdentityRegistry self-registration, then updates), resource (ResourceRegistry.requestResource); e.g. transfer,identity=2.")
        var mix = "transfer"
        @Option(help: "Transactions per JSON-RPC batch (at most 1024, the node's batch limit).") var batch = 200
        @Option(help: "Connections (batches in flight) per node.") var connections = 4
        @Option(help: "Derive sender keys from this seed so that runs are repeatable (default: fresh random keys).") var seed: String?
        @Option(help: "Seconds to wait for more inclusions after the last send before counting the rest as missing.") var timeout = 60.0
        @Option(help: "The nodes' Prometheus URLs, comma-separated (http://HOST:PORT/metrics,…): reports their CPU seconds from first send to last inclusion.")
        var metrics: String?
        @Flag(help: "Print the summary as JSON on stdout (progress still goes to stderr).") var json = false

        func settings() throws -> BenchSettings {
            let endpoints = try RPCEndpoint.list(parsing: rpc)
            guard !endpoints.isEmpty else { throw CLIError.missingFlag("--rpc") }
            guard txs > 0 else { throw CLIError.invalidFlag(flag: "--txs", expected: "a positive count") }
            guard senders > 0 else { throw CLIError.invalidFlag(flag: "--senders", expected: "a positive count") }
            guard (1...1_024).contains(batch) else { throw CLIError.invalidFlag(flag: "--batch", expected: "1 to 1024") }
            guard (1...64).contains(connections) else { throw CLIError.invalidFlag(flag: "--connections", expected: "1 to 64") }
            guard timeout > 0 else { throw CLIError.invalidFlag(flag: "--timeout", expected: "positive seconds") }
            if let rate, !(rate > 0 && rate.isFinite) {
                throw CLIError.invalidFlag(flag: "--rate", expected: "positive transactions per second")
            }
            var settings = BenchSettings(endpoints: endpoints, mix: try BenchMix(parsing: mix))
            settings.transactions = txs
            settings.senders = senders
            settings.rate = rate
            // At a target rate, small batches keep the sending smooth: about 20 sends a second at least.
            settings.batchSize = rate.map { max(1, min(batch, Int($0 / 20))) } ?? batch
            settings.connections = connections
            settings.seed = seed
            settings.timeoutSeconds = timeout
            settings.metrics = try RPCEndpoint.list(parsing: metrics ?? "", flag: "--metrics",
                                                    example: "http://127.0.0.1:9545/metrics")
            return settings
        }

        func run() async throws {
            let settings = try settings()
            let runner = BenchRunner(settings: settings) { line in
                FileHandle.standardError.write(Data(("bench: " + line + "\n").utf8))
            }
            let report = try await cliAsync { try await runner.run() }
            if json {
                StandardOutput.write(JSONWriter.pretty(report.json) + "\n")
            } else {
                StandardOutput.write(report.table + "\n")
            }
        }
    }
}
