import ArgumentParser

/// The `sankofa` command: one binary for validators, replicas and light clients, plus operator tools.
public struct SankofaCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "sankofa",
        abstract: "Sankofa: a permissioned Proof-of-Authority blockchain node.",
        version: SankofaVersion.string,
        subcommands: [DevCommand.self, RunCommand.self, KeysCommand.self, TxCommand.self, GenesisCommand.self,
                      ContractsCommand.self, BlocksCommand.self, PasswordCommand.self, LBWatchCommand.self, BenchCommand.self, NetworkCommand.self])

    public init() {}
}

/// The client version reported by `--version` and, later, `web3_clientVersion`.
public enum SankofaVersion {
    public static let string = "sankofa/v0.1.0"
}
