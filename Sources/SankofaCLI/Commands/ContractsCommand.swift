import ArgumentParser
import Foundation
import SankofaContracts
import SankofaJSON

/// `sankofa contracts export`: writes `Contracts/<Name>.json`, `<Name>.sol` and `addresses.json` from the Swift
/// definitions of the system contracts.
struct ContractsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "contracts", abstract: "System-contract ABIs and interfaces.", subcommands: [Export.self])

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export",
            abstract: "Write the ABI JSON, Solidity interfaces and address map of every system contract.")

        @Option(help: "Directory to write into.")
        var output: String = "Contracts"

        @Flag(help: "Write nothing; exit non-zero if any file in the directory differs from what would be written.")
        var check = false

        func run() throws {
            let directory = URL(fileURLWithPath: output, isDirectory: true)
            var stale: [String] = []
            if !check {
                try cli { try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true) }
            }
            for (name, contents) in ContractExport.files().sorted(by: { $0.key < $1.key }) {
                let url = directory.appendingPathComponent(name)
                if check {
                    if (try? String(contentsOf: url, encoding: .utf8)) != contents { stale.append(name) }
                } else {
                    try cli { try contents.write(to: url, atomically: true, encoding: .utf8) }
                    print(url.path)
                }
            }
            if !stale.isEmpty {
                throw CLIError.staleContracts(directory: output, files: stale)
            }
        }
    }
}
