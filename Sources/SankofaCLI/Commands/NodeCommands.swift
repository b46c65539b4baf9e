import ArgumentParser

/// `sankofa dev`: a one-node chain on the embedded default genesis. The node itself is not built yet; this
/// says so plainly instead of pretending to run.
struct DevCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dev", abstract: "Run a one-node development chain (not available yet).")

    func run() async throws {
        throw CLIError(NodePending.message(for: "dev"))
    }
}

/// `sankofa run`: a validator, replica or light node from a genesis file (not built yet).
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run", abstract: "Run a node from a genesis file (not available yet).")

    func run() async throws {
        throw CLIError(NodePending.message(for: "run"))
    }
}

enum NodePending {
    static func message(for command: String) -> String {
        "'sankofa \(command)' is not available yet: the node (storage, execution, consensus, RPC) has not landed. "
            + "Working now: 'sankofa keys generate|address|enode', 'sankofa tx decode'."
    }
}
