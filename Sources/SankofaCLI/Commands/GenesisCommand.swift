import ArgumentParser
import Foundation
import SankofaChain
import SankofaContracts
import SankofaJSON
import SankofaPrimitives
import SankofaQBFT

/// `sankofa genesis new`: writes a Besu-format genesis for a new network.
struct GenesisCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "genesis", abstract: "Create genesis files.", subcommands: [New.self])

    struct New: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "new", abstract: "Print a Besu-format genesis file for a new QBFT or Clique network.")

        @Option(help: "qbft or clique.") var consensus = "clique"
        @Option(name: .customLong("chain-id")) var chainId: UInt64
        @Option(name: .customLong("validator"), parsing: .upToNextOption, help: "Initial signer addresses.") var validators: [String]
        @Option(help: "An account granted every role and made the only governance board member (threshold 1).") var admin: String?
        @Option(name: .customLong("alloc"), parsing: .upToNextOption, help: "ADDRESS=WEI balances.") var alloc: [String] = []
        @Option(name: .customLong("block-period"), help: "Seconds between blocks (Clique: 0 seals only when transactions arrive).") var blockPeriod: UInt64 = 2
        @Option(name: .customLong("request-timeout"), help: "QBFT: round 0's timeout in seconds; it doubles per round.") var requestTimeout: UInt64 = 4
        @Option(name: .customLong("max-request-timeout"), help: "QBFT: the cap on the doubling round timeout (default 4 × --request-timeout).") var maxRequestTimeout: UInt64?
        @Option(name: .customLong("gas-limit"), help: "Block gas limit.") var gasLimit: UInt64 = 0x1fff_ffff_ffff_ff
        @Flag(name: .customLong("validator-contract"),
              help: "QBFT: take validators from the Governance contract (actions 1 and 2) instead of header votes.")
        var validatorContract = false
        @Option(help: "Write to this file instead of standard output.") var output: String?

        func run() throws {
            guard consensus == "clique" || consensus == "qbft" else {
                throw CLIError.invalidFlag(flag: "--consensus", expected: "qbft or clique")
            }
            guard !validators.isEmpty else { throw CLIError.missingFlag("at least one --validator") }
            guard !validatorContract || consensus == "qbft" else {
                throw CLIError.invalidFlag(flag: "--validator-contract", expected: "only with --consensus qbft (Clique changes signers by votes, EIP-225)")
            }
            let signers = try validators.map { text in try cli { try Address(checksummed: text) } }.sorted()
            let extraData: [UInt8]
            let engineConfig: (String, JSON)
            let mixHash: Hash32
            if consensus == "qbft" {
                // Besu's QBFT layout: rlp([vanity32, [validators], no vote, round 0, no seals]).
                extraData = QBFTExtraData(validators: signers).encoded()
                var qbft: JSONObject = ["blockperiodseconds": .number(JSONNumber(blockPeriod)), "epochlength": 30000,
                                        "requesttimeoutseconds": .number(JSONNumber(requestTimeout))]
                qbft.append("maxrequesttimeoutseconds", .number(JSONNumber(maxRequestTimeout ?? 4 * requestTimeout)))
                if validatorContract {
                    // Besu's key; the node initialises Governance's validator list from the extraData validators.
                    qbft.append("validatorcontractaddress", .string(SystemAddresses.governance.hex))
                }
                engineConfig = ("qbft", .object(qbft))
                mixHash = BlockHeader.istanbulMixHash
            } else {
                // EIP-225: vanity32 ‖ signers ‖ an empty 65-byte seal.
                extraData = [UInt8](repeating: 0, count: 32) + signers.flatMap(\.bytes) + [UInt8](repeating: 0, count: 65)
                engineConfig = ("clique", ["blockperiodseconds": .number(JSONNumber(blockPeriod)), "epochlength": 30000])
                mixHash = .zero
            }
            var balances: [(String, String)] = []
            for entry in alloc {
                let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
                guard parts.count == 2, let wei = UInt256(decimal: parts[1]) ?? UInt256(hex: parts[1]) else {
                    throw CLIError.invalidFlag(flag: "--alloc \(entry)", expected: "ADDRESS=WEI")
                }
                let address = try cli { try Address(checksummed: parts[0]) }
                balances.append((Hex.encode(address.bytes, prefix: false), wei.hexString))
            }
            var sankofa = JSONObject()
            if let admin {
                let address = try cli { try Address(checksummed: admin) }.hex
                sankofa.append("roles", .object(JSONObject(Roles.byName.keys.sorted().map { ($0, [.string(address)]) })))
                sankofa.append("board", [.string(address)])
                sankofa.append("threshold", 1)
            }
            var config: JSONObject = ["chainId": .number(JSONNumber(chainId)), "londonBlock": 0]
            config.append(engineConfig.0, engineConfig.1)
            let genesis: JSON = [
                "config": .object(config),
                "nonce": "0x0",
                "timestamp": "0x0",
                "extraData": .string(Hex.encode(extraData)),
                "gasLimit": .string("0x" + String(gasLimit, radix: 16)),
                "difficulty": "0x1",
                "mixHash": .string(mixHash.hex),
                "coinbase": .string(Address.zero.hex),
                "baseFeePerGas": "0x0",
                "alloc": .object(JSONObject(balances.map { ($0.0, ["balance": .string($0.1)]) })),
                "sankofa": .object(sankofa),
            ]
            let text = JSONWriter.pretty(genesis) + "\n"
            if let output {
                try cli { try text.write(toFile: output, atomically: true, encoding: .utf8) }
            } else {
                print(text, terminator: "")
            }
        }
    }
}
