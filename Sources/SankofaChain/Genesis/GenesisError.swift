import SankofaPrimitives

/// Why a genesis file was refused. Each message names the field and what to write instead, so an operator can fix
/// the file without reading the source.
public enum GenesisError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file is not JSON at all; `reason` has the parser's message with the byte offset.
    case malformedJSON(String)
    /// The top level is not a JSON object.
    case notAnObject
    /// The `config` object is missing.
    case missingConfig
    /// `config` has neither a `clique` nor a `qbft` section.
    case missingConsensus
    /// A field has the wrong type or an out-of-range value.
    case invalidField(String, String)
    /// `sankofa.threshold` is outside 1…board size.
    case thresholdOutOfRange(threshold: UInt64, boardSize: Int)
    /// `config.qbft.validatorcontractaddress` names a contract other than Governance (`0x…1000`), the only one
    /// that keeps a validator list.
    case unsupportedValidatorContract(Address)
    /// The database already holds a chain whose genesis differs from this file's.
    case differentChain(stored: Hash32, file: Hash32)
    /// The database was created with a genesis whose `field` (a `config` setting, or a genesis block field) had
    /// another value than this file gives.
    case storedChainMismatch(field: String, stored: String, file: String)

    public var description: String {
        switch self {
        case .malformedJSON(let reason): "genesis is not valid JSON: \(reason)"
        case .notAnObject: "genesis is not a JSON object"
        case .missingConfig: "genesis has no \"config\" object"
        case .missingConsensus: "config must have a \"clique\" or \"qbft\" section"
        case .invalidField(let field, let why): "\(field): \(why)"
        case .thresholdOutOfRange(let threshold, let size):
            "sankofa.threshold \(threshold) must be between 1 and the board size \(size)"
        case .unsupportedValidatorContract(let address):
            "config.qbft.validatorcontractaddress: \(address.hex) is not the Governance contract; write "
                + "\"\(GenesisFile.QBFTSettings.governanceContract.hex)\" (its validator list, actions 1 and 2) or leave the key out to use header votes"
        case .storedChainMismatch(let field, let stored, let file):
            "genesis file does not match the chain in the database at this data path: \(field) is \(file) in the "
                + "file but \(stored) in the database; use the genesis file the database was created with, or another --data-path"
        case .differentChain(let stored, let file):
            "the database at this data path holds a different chain (genesis \(stored.hex), this genesis file gives "
                + "\(file.hex)): use another --data-path or the genesis file the database was created with"
        }
    }
}
