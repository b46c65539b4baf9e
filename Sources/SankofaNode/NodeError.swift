/// Why the node could not start: one line an operator can act on, naming the flag or file to fix.
public enum NodeError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A required flag is missing.
    case missingFlag(String)
    /// The node cannot run in this mode yet (light mode before the light-client layer).
    case modeNotAvailable(String)
    /// The genesis selects a consensus engine this node cannot run yet.
    case consensusNotAvailable(String)
    /// The genesis extraData does not carry the engine's initial validators.
    case invalidGenesisValidators(String)
    /// The data directory could not be created.
    case dataPath(path: String, reason: String)
    /// The database opened but holds no head block (a damaged or foreign directory).
    case noHead
    /// The validator key or hot-standby flags (`--validator-private-key-file`, `--validator-lease-*`) do not fit
    /// together or with this network.
    case invalidValidatorSettings(String)

    public var description: String {
        switch self {
        case .missingFlag(let flag): "\(flag) is required"
        case .modeNotAvailable(let why): why
        case .consensusNotAvailable(let why): why
        case .invalidGenesisValidators(let why): "genesis extraData: \(why)"
        case .dataPath(let path, let reason): "cannot create data path \(path): \(reason)"
        case .noHead: "the database has no head block: point --data-path at an empty directory or a Sankofa database"
        case .invalidValidatorSettings(let why): why
        }
    }
}
