import SankofaJSON
import SankofaPrimitives

/// A call's positional parameters with typed readers that fail as `-32602 invalid params` naming the position.
public struct RPCParams: Sendable {
    public let values: [JSON]
    public let method: String

    public init(_ values: [JSON], method: String) {
        self.values = values
        self.method = method
    }

    public var count: Int { values.count }

    /// The value at `index`; missing and explicit null read as nil.
    public func optional(_ index: Int) -> JSON? {
        guard values.indices.contains(index), !values[index].isNull else { return nil }
        return values[index]
    }

    func required(_ index: Int, _ what: String) throws(RPCError) -> JSON {
        guard let value = optional(index) else { throw .invalidParams("missing value for required argument \(index) (\(what))") }
        return value
    }

    public func string(_ index: Int) throws(RPCError) -> String {
        guard let text = try required(index, "string").stringValue else { throw .invalidParams("argument \(index) must be a string") }
        return text
    }

    public func address(_ index: Int) throws(RPCError) -> Address {
        let text = try string(index)
        guard let address = try? Address(hex: text) else { throw .invalidParams("argument \(index): \(text) is not a 20-byte hex address") }
        return address
    }

    public func optionalAddress(_ index: Int) throws(RPCError) -> Address? {
        optional(index) == nil ? nil : try address(index)
    }

    public func hash(_ index: Int) throws(RPCError) -> Hash32 {
        let text = try string(index)
        guard let hash = try? Hash32(hex: text) else { throw .invalidParams("argument \(index): \(text) is not a 32-byte hex hash") }
        return hash
    }

    public func data(_ index: Int) throws(RPCError) -> [UInt8] {
        let text = try string(index)
        // geth requires the prefix on hex data ("hex string without 0x prefix"): bare hex is refused, not guessed at.
        guard text.hasPrefix("0x") || text.hasPrefix("0X"), let bytes = try? Hex.decode(text) else {
            throw .invalidParams("argument \(index): \(text.count > 80 ? text.prefix(80) + "…" : text) is not 0x-prefixed hex data")
        }
        return bytes
    }

    public func quantity(_ index: Int) throws(RPCError) -> UInt256 {
        try Self.quantity(try required(index, "quantity"), position: "argument \(index)")
    }

    public func bool(_ index: Int, default fallback: Bool) throws(RPCError) -> Bool {
        guard let value = optional(index) else { return fallback }
        guard let flag = value.boolValue else { throw .invalidParams("argument \(index) must be true or false") }
        return flag
    }

    public func object(_ index: Int) throws(RPCError) -> JSONObject {
        guard let object = try required(index, "object").objectValue else { throw .invalidParams("argument \(index) must be an object") }
        return object
    }

    /// A block tag or number (`latest`, `earliest`, `pending`, `safe`, `finalized`, or a quantity); `fallback` when absent.
    public func block(_ index: Int, default fallback: BlockTag = .latest) throws(RPCError) -> BlockTag {
        guard let value = optional(index) else { return fallback }
        return try BlockTag(value, position: "argument \(index)")
    }

    /// Ethereum's quantity encoding: 0x-prefixed hex without leading zeros ("0x0" for zero).
    public static func quantity(_ value: JSON, position: String) throws(RPCError) -> UInt256 {
        guard let text = value.stringValue else {
            if let number = value.intValue, number >= 0 { return UInt256(UInt64(number)) }
            throw .invalidParams("\(position) must be a hex quantity string")
        }
        guard text.hasPrefix("0x"), text.count > 2, text.count <= 66, let parsed = UInt256(hex: text) else {
            throw .invalidParams("\(position): \(text) is not a hex quantity")
        }
        return parsed
    }
}

/// Which block a call refers to.
public enum BlockTag: Sendable, Equatable {
    case latest, earliest, pending, safe, finalized
    case number(UInt64)
    case hash(Hash32)

    init(_ value: JSON, position: String) throws(RPCError) {
        if let object = value.objectValue {
            // EIP-1898: {"blockHash": …} or {"blockNumber": …}
            if let hash = object["blockHash"]?.stringValue, let parsed = try? Hash32(hex: hash) {
                self = .hash(parsed)
                return
            }
            if let number = object["blockNumber"] {
                self = try BlockTag(number, position: position)
                return
            }
            throw .invalidParams("\(position): block object needs blockHash or blockNumber")
        }
        switch value.stringValue {
        case "latest": self = .latest
        case "earliest": self = .earliest
        case "pending": self = .pending
        case "safe": self = .safe
        case "finalized": self = .finalized
        default:
            guard let number = try RPCParams.quantity(value, position: position).asUInt64 else {
                throw .invalidParams("\(position): block number too large")
            }
            self = .number(number)
        }
    }
}
