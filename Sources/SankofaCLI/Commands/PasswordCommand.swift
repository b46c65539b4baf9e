import ArgumentParser
import SankofaRPC

/// `sankofa password hash`: the salted hash to put in an `--rpc-http-authentication-credentials-file` (as
/// `besu password hash`).
struct PasswordCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "password", abstract: "Hash passwords for the JSON-RPC credentials file.", subcommands: [Hash.self])

    struct Hash: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "hash", abstract: "Print pbkdf2-sha256$<iterations>$<salt>$<hash> for a password.")

        @Option(help: "The password to hash.") var password: String
        @Option(help: "PBKDF2-HMAC-SHA256 iterations.") var iterations = PasswordHash.defaultIterations

        func run() throws {
            guard (1...PasswordHash.maxIterations).contains(iterations) else {
                throw ValidationError("--iterations must be 1…\(PasswordHash.maxIterations)")
            }
            print(try cli { try PasswordHash(hashing: password, iterations: iterations) }.encoded)
        }
    }
}
