import ArgumentParser
import Foundation
import SankofaCrypto
import SankofaPrimitives

/// `sankofa network …`: a whole local network on 127.0.0.1, one child process per node (the Quorum Dev Quickstart
/// without Docker).
struct NetworkCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "network", abstract: "Run a local multi-node network for development and benchmarks.",
        subcommands: [Up.self, Status.self])

    struct Up: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "up",
            abstract: "Generate keys and a genesis, start every node, print them and wait; Ctrl-C stops them all.",
            discussion: """
            Files go to DIR: genesis.json, network.json (what 'network status' reads) and one folder per node with \
            its key, database and node.log. Running 'network up' again on the same DIR restarts the same network \
            (same keys, genesis and chain). Node i listens on JSON-RPC BASE+i, WebSocket BASE+100+i, metrics \
            BASE+1000+i and P2P BASE+21758+i (8545…, 8645…, 9545…, 30303… by default). The first validator's key \
            is the chain's admin (every role, the only governance board member).
            """)

        @Option(help: "Validators (QBFT needs 4 to tolerate one fault).") var validators: Int
        @Option(help: "Replicas: full nodes that follow the validators.") var replicas = 0
        @Option(help: "Light nodes.") var light = 0
        @Option(help: "qbft or clique.") var consensus = "qbft"
        @Option(help: "Directory for keys, genesis, data and logs.") var dir = "sankofa-network"
        @Option(name: .customLong("base-port"), help: "First JSON-RPC port; the other ports follow from it.") var basePort = 8545
        @Option(name: .customLong("chain-id")) var chainId: UInt64 = 1337
        @Option(name: .customLong("block-period"), help: "Seconds between blocks.") var blockPeriod: UInt64 = 2
        @Option(help: "Node log level: TRACE, DEBUG, INFO, WARN, ERROR.") var logging = "INFO"

        func validate() throws {
            guard validators >= 1 else { throw CLIError.invalidFlag(flag: "--validators", expected: "at least 1") }
            guard replicas >= 0, light >= 0 else { throw CLIError.invalidFlag(flag: "--replicas/--light", expected: "0 or more") }
            guard validators + replicas + light <= NetworkLayout.Ports.maxNodes else {
                throw CLIError.invalidFlag(flag: "--validators", expected: "at most \(NetworkLayout.Ports.maxNodes) nodes in all")
            }
            guard consensus == "qbft" || consensus == "clique" else {
                throw CLIError.invalidFlag(flag: "--consensus", expected: "qbft or clique")
            }
            let count = validators + replicas + light
            guard basePort >= 1_024, basePort + NetworkLayout.Ports.p2p + count <= 65_535 else {
                throw CLIError.invalidFlag(flag: "--base-port", expected: "1024 to \(65_535 - NetworkLayout.Ports.p2p - count)")
            }
        }

        func run() async throws {
            let network = LocalNetwork(directory: dir, consensus: consensus, chainId: chainId, blockPeriod: blockPeriod,
                                       basePort: basePort, logging: logging)
            let layout = try network.prepare(validators: validators, replicas: replicas, light: light)
            try await network.run(layout) { StandardOutput.write($0) }
        }
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "status", abstract: "Show each node's head, final head, peers and QBFT round.")

        @Option(help: "The directory 'network up' wrote.") var dir = "sankofa-network"
        @Flag(help: "Print JSON instead of a table.") var json = false

        func run() async throws {
            let layout = try NetworkLayout.read(from: dir)
            let statuses = await NetworkStatus.collect(layout)
            StandardOutput.write((json ? NetworkStatus.json(statuses) : NetworkStatus.table(statuses)) + "\n")
        }
    }
}
