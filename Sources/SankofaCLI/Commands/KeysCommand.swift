import ArgumentParser
import SankofaCrypto
import SankofaPrimitives

/// `sankofa keys …`: node and account key files in Besu's format.
struct KeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys", abstract: "Create and inspect secp256k1 key files.",
        subcommands: [Generate.self, AddressOf.self, Enode.self])

    struct Generate: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "generate", abstract: "Write a new private key to a file (mode 0600) and print its address.")

        @Option(name: .long, help: "Where to write the key; an existing file is never overwritten.")
        var output: String

        func run() throws {
            let key = try cli { try PrivateKey.generate() }
            try cli { try KeyFile.write(key, path: output) }
            print(key.address.checksummed)
        }
    }

    struct AddressOf: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "address", abstract: "Print the account address of a key file.")

        @Option(name: .customLong("key-file"), help: "A key file: 0x-prefixed hex private key on one line.")
        var keyFile: String

        func run() throws {
            print(try cli { try KeyFile.read(path: keyFile) }.address.checksummed)
        }
    }

    struct Enode: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "enode", abstract: "Print the enode URL of a node key file.")

        @Option(name: .customLong("key-file"), help: "The node's key file.")
        var keyFile: String
        @Option(help: "Host or IP to put in the URL.")
        var host: String = "127.0.0.1"
        @Option(help: "P2P TCP port to put in the URL.")
        var port: UInt16 = 30303

        func run() throws {
            let key = try cli { try KeyFile.read(path: keyFile) }
            print("enode://\(Hex.encode(key.publicKey.rawBytes, prefix: false))@\(host):\(port)")
        }
    }
}

/// Runs a throwing step and turns its error into a one-line `CLIError`.
func cli<T>(_ body: () throws -> T) throws -> T {
    do { return try body() } catch { throw CLIError(describing: error) }
}
