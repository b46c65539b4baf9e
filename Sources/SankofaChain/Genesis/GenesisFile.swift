import SankofaJSON
import SankofaPrimitives

/// A genesis file in Besu's format, plus the `sankofa` section that sets up the system contracts.
public struct GenesisFile: Sendable, Equatable {
    public enum Consensus: Sendable, Equatable {
        case clique(blockPeriodSeconds: UInt64, epochLength: UInt64)
        case qbft(QBFTSettings)
    }

    /// `config.qbft` as Besu reads it, plus `maxrequesttimeoutseconds`, Sankofa's cap on the doubling round timer
    /// (Besu has none, so a network that lost quorum for long waits hours for its next round).
    public struct QBFTSettings: Sendable, Equatable {
        public var blockPeriodSeconds: UInt64
        public var emptyBlockPeriodSeconds: UInt64
        public var epochLength: UInt64
        public var requestTimeoutSeconds: UInt64
        /// nil: four times `requestTimeoutSeconds`.
        public var maxRequestTimeoutSeconds: UInt64?
        /// Besu's `validatorcontractaddress` ("contract mode"): when set, the validators of each block are the
        /// Governance contract's list at its parent's state instead of the result of header votes. Only the
        /// Governance system contract can hold that list, so any other address is refused when parsing.
        public var validatorContractAddress: Address?

        /// The one contract that may be named as `validatorcontractaddress`: Governance at `0x…1000` (DESIGN.md;
        /// the contracts layer's `SystemAddresses.governance`, which a test keeps equal to this).
        public static let governanceContract = Address(low: 0x1000)

        public init(blockPeriodSeconds: UInt64 = 1, emptyBlockPeriodSeconds: UInt64 = 0, epochLength: UInt64 = 30_000,
                    requestTimeoutSeconds: UInt64 = 4, maxRequestTimeoutSeconds: UInt64? = nil,
                    validatorContractAddress: Address? = nil) {
            self.blockPeriodSeconds = blockPeriodSeconds
            self.emptyBlockPeriodSeconds = emptyBlockPeriodSeconds
            self.epochLength = epochLength
            self.requestTimeoutSeconds = requestTimeoutSeconds
            self.maxRequestTimeoutSeconds = maxRequestTimeoutSeconds
            self.validatorContractAddress = validatorContractAddress
        }
    }

    public var chainId: UInt64
    public var consensus: Consensus
    public var timestamp: UInt64
    public var extraData: [UInt8]
    public var gasLimit: UInt64
    public var difficulty: UInt256
    public var mixHash: Hash32
    public var nonce: UInt64
    public var coinbase: Address
    /// London's base fee at genesis; Sankofa networks run with free gas, so it defaults to 0.
    public var baseFeePerGas: UInt256
    public var alloc: [Address: UInt256]
    /// Roles granted at genesis, by role hash.
    public var roles: [Hash32: [Address]]
    public var board: [Address]
    public var threshold: UInt64
    /// Governance parameters (e.g. `BILLING_APPROVALS`), keyed by keccak of their name.
    public var parameters: [Hash32: UInt256]

    /// A genesis built in code (tests, tools); files go through `init(json:)`.
    public init(chainId: UInt64, consensus: Consensus, timestamp: UInt64, extraData: [UInt8], gasLimit: UInt64,
                difficulty: UInt256, mixHash: Hash32, nonce: UInt64, coinbase: Address, baseFeePerGas: UInt256,
                alloc: [Address: UInt256], roles: [Hash32: [Address]], board: [Address], threshold: UInt64,
                parameters: [Hash32: UInt256]) {
        self.chainId = chainId
        self.consensus = consensus
        self.timestamp = timestamp
        self.extraData = extraData
        self.gasLimit = gasLimit
        self.difficulty = difficulty
        self.mixHash = mixHash
        self.nonce = nonce
        self.coinbase = coinbase
        self.baseFeePerGas = baseFeePerGas
        self.alloc = alloc
        self.roles = roles
        self.board = board
        self.threshold = threshold
        self.parameters = parameters
    }
}

extension GenesisFile {
    /// Parses genesis JSON in Besu's format. Numbers may be JSON numbers, decimal strings or 0x-hex strings, as
    /// Besu accepts; unknown keys are ignored, as Besu ignores them.
    public init(json bytes: some Collection<UInt8>) throws(GenesisError) {
        let root: JSON
        do { root = try JSONParser.parse(bytes) } catch { throw .malformedJSON(error.description) }
        guard case .object = root else { throw .notAnObject }
        guard let config = root["config"], case .object = config else { throw .missingConfig }
        chainId = try Self.uint64(config["chainId"], "config.chainId")
        if let clique = config["clique"] {
            consensus = .clique(blockPeriodSeconds: try Self.uint64(clique["blockperiodseconds"] ?? 15, "config.clique.blockperiodseconds"),
                                epochLength: try Self.uint64(clique["epochlength"] ?? 30_000, "config.clique.epochlength"))
        } else if let qbft = config["qbft"] {
            consensus = .qbft(QBFTSettings(
                blockPeriodSeconds: try Self.uint64(qbft["blockperiodseconds"] ?? 1, "config.qbft.blockperiodseconds"),
                emptyBlockPeriodSeconds: try Self.uint64(qbft["emptyblockperiodseconds"] ?? 0, "config.qbft.emptyblockperiodseconds"),
                epochLength: try Self.uint64(qbft["epochlength"] ?? 30_000, "config.qbft.epochlength"),
                requestTimeoutSeconds: try Self.uint64(qbft["requesttimeoutseconds"] ?? 4, "config.qbft.requesttimeoutseconds"),
                maxRequestTimeoutSeconds: try qbft["maxrequesttimeoutseconds"].map { value throws(GenesisError) in
                    try Self.uint64(value, "config.qbft.maxrequesttimeoutseconds")
                },
                validatorContractAddress: try qbft["validatorcontractaddress"].map { value throws(GenesisError) in
                    let address = try Self.address(value, "config.qbft.validatorcontractaddress")
                    guard address == QBFTSettings.governanceContract else { throw .unsupportedValidatorContract(address) }
                    return address
                }))
        } else {
            throw .missingConsensus
        }
        timestamp = try Self.uint64(root["timestamp"] ?? 0, "timestamp")
        extraData = try Self.bytes(root["extraData"] ?? "0x", "extraData")
        gasLimit = try Self.uint64(root["gasLimit"] ?? "0x1fffffffffffff", "gasLimit")
        difficulty = try Self.uint256(root["difficulty"] ?? 1, "difficulty")
        guard let mixHash = Hash32(bytes: try Self.bytes(root["mixHash"] ?? .string("0x" + String(repeating: "0", count: 64)), "mixHash")) else {
            throw .invalidField("mixHash", "must be 32 bytes")
        }
        self.mixHash = mixHash
        nonce = try Self.uint64(root["nonce"] ?? 0, "nonce")
        coinbase = try Self.address(root["coinbase"] ?? "0x0000000000000000000000000000000000000000", "coinbase")
        baseFeePerGas = try Self.uint256(root["baseFeePerGas"] ?? 0, "baseFeePerGas")
        var alloc: [Address: UInt256] = [:]
        for (key, value) in try Self.object(root["alloc"], "alloc") {
            let address = try Self.address(.string(key), "alloc key \(key)")
            alloc[address] = try Self.uint256(value["balance"] ?? 0, "alloc.\(key).balance")
        }
        self.alloc = alloc
        let sankofa = root["sankofa"] ?? [:]
        var roles: [Hash32: [Address]] = [:]
        for (name, members) in try Self.object(sankofa["roles"], "sankofa.roles") {
            let role = Keccak256.hash(Array(name.utf8))
            roles[role] = try Self.array(members, "sankofa.roles.\(name)").map { value throws(GenesisError) in
                try Self.address(value, "sankofa.roles.\(name)")
            }
        }
        self.roles = roles
        board = try Self.array(sankofa["board"] ?? [], "sankofa.board").map { value throws(GenesisError) in
            try Self.address(value, "sankofa.board")
        }
        threshold = try Self.uint64(sankofa["threshold"] ?? (board.isEmpty ? 0 : 1), "sankofa.threshold")
        guard threshold <= UInt64(board.count), board.isEmpty || threshold >= 1 else {
            throw .thresholdOutOfRange(threshold: threshold, boardSize: board.count)
        }
        var parameters: [Hash32: UInt256] = [:]
        for (name, value) in try Self.object(sankofa["parameters"], "sankofa.parameters") {
            parameters[Keccak256.hash(Array(name.utf8))] = try Self.uint256(value, "sankofa.parameters.\(name)")
        }
        self.parameters = parameters
    }

    static func uint256(_ value: JSON?, _ field: String) throws(GenesisError) -> UInt256 {
        switch value {
        case .number(let number)?:
            // Whole numbers only: a fraction or exponent ("1.5", "1e3") does not parse as a decimal integer.
            guard let parsed = UInt256(decimal: number.text) else {
                throw .invalidField(field, "\(number.text) is not a non-negative whole number")
            }
            return parsed
        case .string(let text)?:
            let parsed = text.hasPrefix("0x") || text.hasPrefix("0X") ? UInt256(hex: text) : UInt256(decimal: text)
            guard let parsed else { throw .invalidField(field, "\"\(text)\" is not a number") }
            return parsed
        case .bool?:
            throw .invalidField(field, "must be a number, not true/false")
        default:
            throw .invalidField(field, "must be a number or a numeric string")
        }
    }

    static func uint64(_ value: JSON?, _ field: String) throws(GenesisError) -> UInt64 {
        guard let small = try uint256(value, field).asUInt64 else { throw .invalidField(field, "does not fit 64 bits") }
        return small
    }

    static func bytes(_ value: JSON?, _ field: String) throws(GenesisError) -> [UInt8] {
        guard let text = value?.stringValue, let bytes = try? Hex.decode(text) else {
            throw .invalidField(field, "must be 0x-prefixed hex")
        }
        return bytes
    }

    static func address(_ value: JSON?, _ field: String) throws(GenesisError) -> Address {
        guard let text = value?.stringValue else { throw .invalidField(field, "must be an address string") }
        let prefixed = text.hasPrefix("0x") || text.hasPrefix("0X") ? text : "0x" + text
        guard let address = try? Address(hex: prefixed) else { throw .invalidField(field, "\"\(text)\" is not an address") }
        return address
    }

    /// The members of an optional object (absent means empty).
    static func object(_ value: JSON?, _ field: String) throws(GenesisError) -> JSONObject {
        switch value {
        case nil: return JSONObject()
        case .object(let object)?: return object
        default: throw .invalidField(field, "must be an object")
        }
    }

    static func array(_ value: JSON, _ field: String) throws(GenesisError) -> [JSON] {
        guard let array = value.arrayValue else { throw .invalidField(field, "must be a list") }
        return array
    }
}
