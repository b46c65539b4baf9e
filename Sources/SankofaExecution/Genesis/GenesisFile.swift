import Foundation
import SankofaPrimitives

/// Why a genesis file was refused; the message names the field.
public struct GenesisError: Error, Equatable, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// A genesis file in Besu's format, plus the `sankofa` section that sets up the system contracts.
public struct GenesisFile: Sendable, Equatable {
    public enum Consensus: Sendable, Equatable {
        case clique(blockPeriodSeconds: UInt64, epochLength: UInt64)
        case qbft(blockPeriodSeconds: UInt64, epochLength: UInt64, requestTimeoutSeconds: UInt64)
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
    /// Parses genesis JSON. Numbers may be JSON numbers, decimal strings or 0x-hex strings, as Besu accepts.
    public init(json data: Data) throws {
        guard let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw GenesisError("genesis is not a JSON object")
        }
        guard let config = root["config"] as? [String: Any] else { throw GenesisError("genesis has no \"config\" object") }
        chainId = try Self.uint64(config["chainId"], "config.chainId")
        if let clique = config["clique"] as? [String: Any] {
            consensus = .clique(blockPeriodSeconds: try Self.uint64(clique["blockperiodseconds"] ?? 15, "config.clique.blockperiodseconds"),
                                epochLength: try Self.uint64(clique["epochlength"] ?? 30_000, "config.clique.epochlength"))
        } else if let qbft = config["qbft"] as? [String: Any] {
            consensus = .qbft(blockPeriodSeconds: try Self.uint64(qbft["blockperiodseconds"] ?? 1, "config.qbft.blockperiodseconds"),
                              epochLength: try Self.uint64(qbft["epochlength"] ?? 30_000, "config.qbft.epochlength"),
                              requestTimeoutSeconds: try Self.uint64(qbft["requesttimeoutseconds"] ?? 4, "config.qbft.requesttimeoutseconds"))
        } else {
            throw GenesisError("config must have a \"clique\" or \"qbft\" section")
        }
        timestamp = try Self.uint64(root["timestamp"] ?? 0, "timestamp")
        extraData = try Self.bytes(root["extraData"] ?? "0x", "extraData")
        gasLimit = try Self.uint64(root["gasLimit"] ?? "0x1fffffffffffff", "gasLimit")
        difficulty = try Self.uint256(root["difficulty"] ?? 1, "difficulty")
        mixHash = try Hash32(bytes: Self.bytes(root["mixHash"] ?? "0x" + String(repeating: "0", count: 64), "mixHash"))
            ?? { throw GenesisError("mixHash must be 32 bytes") }()
        nonce = try Self.uint64(root["nonce"] ?? 0, "nonce")
        coinbase = try Self.address(root["coinbase"] ?? "0x0000000000000000000000000000000000000000", "coinbase")
        baseFeePerGas = try Self.uint256(root["baseFeePerGas"] ?? 0, "baseFeePerGas")
        var alloc: [Address: UInt256] = [:]
        for (key, value) in root["alloc"] as? [String: Any] ?? [:] {
            let address = try Self.address(key, "alloc key \(key)")
            let entry = value as? [String: Any] ?? [:]
            alloc[address] = try Self.uint256(entry["balance"] ?? 0, "alloc.\(key).balance")
        }
        self.alloc = alloc
        let sankofa = root["sankofa"] as? [String: Any] ?? [:]
        var roles: [Hash32: [Address]] = [:]
        for (name, members) in sankofa["roles"] as? [String: Any] ?? [:] {
            let role = Keccak256.hash(Array(name.utf8))
            roles[role] = try (members as? [Any] ?? []).map { try Self.address($0, "sankofa.roles.\(name)") }
        }
        self.roles = roles
        board = try (sankofa["board"] as? [Any] ?? []).map { try Self.address($0, "sankofa.board") }
        threshold = try Self.uint64(sankofa["threshold"] ?? (board.isEmpty ? 0 : 1), "sankofa.threshold")
        guard threshold <= UInt64(board.count), board.isEmpty || threshold >= 1 else {
            throw GenesisError("sankofa.threshold must be between 1 and the board size \(board.count)")
        }
        var parameters: [Hash32: UInt256] = [:]
        for (name, value) in sankofa["parameters"] as? [String: Any] ?? [:] {
            parameters[Keccak256.hash(Array(name.utf8))] = try Self.uint256(value, "sankofa.parameters.\(name)")
        }
        self.parameters = parameters
    }

    static func uint256(_ value: Any?, _ field: String) throws -> UInt256 {
        switch value {
        case let number as NSNumber:
            // JSON true/false arrive as boolean NSNumbers (Objective-C type "c"), which also cast to Int: test first.
            guard String(cString: number.objCType) != "c" else {
                throw GenesisError("\(field) must be a number, not true/false")
            }
            // Whole numbers only: a float's text ("1.5") does not parse as a decimal integer.
            guard let parsed = UInt256(decimal: number.stringValue) else {
                throw GenesisError("\(field): \(number) is not a non-negative whole number")
            }
            return parsed
        case let number as Int:
            guard number >= 0 else { throw GenesisError("\(field) must not be negative") }
            return UInt256(UInt64(number))
        case let text as String:
            let parsed = text.hasPrefix("0x") || text.hasPrefix("0X") ? UInt256(hex: text) : UInt256(decimal: text)
            guard let parsed else { throw GenesisError("\(field): \"\(text)\" is not a number") }
            return parsed
        default:
            throw GenesisError("\(field) must be a number or a numeric string")
        }
    }

    static func uint64(_ value: Any?, _ field: String) throws -> UInt64 {
        guard let small = try uint256(value, field).asUInt64 else { throw GenesisError("\(field) does not fit 64 bits") }
        return small
    }

    static func bytes(_ value: Any?, _ field: String) throws -> [UInt8] {
        guard let text = value as? String, let bytes = try? Hex.decode(text) else {
            throw GenesisError("\(field) must be 0x-prefixed hex")
        }
        return bytes
    }

    static func address(_ value: Any?, _ field: String) throws -> Address {
        guard let text = value as? String else { throw GenesisError("\(field) must be an address string") }
        let prefixed = text.hasPrefix("0x") || text.hasPrefix("0X") ? text : "0x" + text
        guard let address = try? Address(hex: prefixed) else { throw GenesisError("\(field): \"\(text)\" is not an address") }
        return address
    }
}
