import ArgumentParser
import Foundation
import SankofaContracts
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
                throw CLIError(consensus == "qbft" ? "QBFT genesis files are not available yet: use --consensus clique"
                                                   : "--consensus must be clique or qbft")
            }
            guard !validators.isEmpty else { throw CLIError("at least one --validator is required") }
            let signers = try validators.map { text in try cli { try Address(checksummed: text) } }.sorted()
            var extraData = [UInt8](repeating: 0, count: 32)
            for signer in signers { extraData += signer.bytes }
            extraData += [UInt8](repeating: 0, count: 65)
            var balances: [(String, String)] = []
            for entry in alloc {
                let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
                guard parts.count == 2, let wei = UInt256(decimal: parts[1]) ?? UInt256(hex: parts[1]) else {
                    throw CLIError("--alloc \(entry): expected ADDRESS=WEI")
                }
                let address = try cli { try Address(checksummed: parts[0]) }
                balances.append((Hex.encode(address.bytes, prefix: false), wei.hexString))
            }
            var sankofa: [(String, JSONOutput)] = []
            if let admin {
                let address = try cli { try Address(checksummed: admin) }.hex
                sankofa.append(("roles", .object(Roles.byName.keys.sorted().map { ($0, .array([.string(address)])) })))
                sankofa.append(("board", .array([.string(address)])))
                sankofa.append(("threshold", .raw("1")))
            }
            let genesis = JSONOutput.object([
                ("config", .object([
                    ("chainId", .raw(String(chainId))),
                    ("londonBlock", .raw("0")),
                    ("clique", .object([("blockperiodseconds", .raw(String(blockPeriod))), ("epochlength", .raw("30000"))])),
                ])),
                ("nonce", .string("0x0")),
                ("timestamp", .string("0x0")),
                ("extraData", .string(Hex.encode(extraData))),
                ("gasLimit", .string("0x" + String(gasLimit, radix: 16))),
                ("difficulty", .string("0x1")),
                ("mixHash", .string(Hash32.zero.hex)),
                ("coinbase", .string(Address.zero.hex)),
                ("baseFeePerGas", .string("0x0")),
                ("alloc", .object(balances.map { ($0.0, .object([("balance", .string($0.1))])) })),
                ("sankofa", .object(sankofa)),
            ]).rendered() + "\n"
            if let output {
                try cli { try genesis.write(toFile: output, atomically: true, encoding: .utf8) }
            } else {
                print(genesis, terminator: "")
            }
        }
    }
}
