import ArgumentParser
import Foundation
import SankofaContracts
import SankofaJSON
import SankofaPrimitives

/// `sankofa genesis new`: writes a Besu-format genesis for a new network.
struct GenesisCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "genesis", abstract: "Create genesis files.", subcommands: [New.self])

    struct New: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "new", abstract: "Print a genesis file for a new Clique network (QBFT is not available yet).")

        @Option(help: "clique or qbft.") var consensus = "clique"
        @Option(name: .customLong("chain-id")) var chainId: UInt64
        @Option(name: .customLong("validator"), parsing: .upToNextOption, help: "Initial signer addresses.") var validators: [String]
        @Option(help: "An account granted every role and made the only governance board member (threshold 1).") var admin: String?
        @Option(name: .customLong("alloc"), parsing: .upToNextOption, help: "ADDRESS=WEI balances.") var alloc: [String] = []
        @Option(name: .customLong("block-period"), help: "Seconds between blocks (0 seals only when transactions arrive).") var blockPeriod: UInt64 = 2
        @Option(name: .customLong("gas-limit"), help: "Block gas limit.") var gasLimit: UInt64 = 0x1fff_ffff_ffff_ff
        @Option(help: "Write to this file instead of standard output.") var output: String?

        func run() throws {
            guard consensus == "clique" else {
                throw consensus == "qbft" ? CLIError.failed("QBFT genesis files are not available yet: use --consensus clique")
                                          : CLIError.invalidFlag(flag: "--consensus", expected: "clique or qbft")
            }
            guard !validators.isEmpty else { throw CLIError.missingFlag("at least one --validator") }
            let signers = try validators.map { text in try cli { try Address(checksummed: text) } }.sorted()
            var extraData = [UInt8](repeating: 0, count: 32)
            for signer in signers { extraData += signer.bytes }
            extraData += [UInt8](repeating: 0, count: 65)
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
            let genesis: JSON = [
                "config": [
                    "chainId": .number(JSONNumber(chainId)),
                    "londonBlock": 0,
                    "clique": ["blockperiodseconds": .number(JSONNumber(blockPeriod)), "epochlength": 30000],
                ],
                "nonce": "0x0",
                "timestamp": "0x0",
                "extraData": .string(Hex.encode(extraData)),
                "gasLimit": .string("0x" + String(gasLimit, radix: 16)),
                "difficulty": "0x1",
                "mixHash": .string(Hash32.zero.hex),
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
