/// A value that Ethereum's JSON writes as `0x`-prefixed hex text; conforming gives it `Codable` in that form
/// (hashes as 32-byte hex, addresses EIP-55 checksummed, integers as minimal hex quantities). `RLPRecord`'s coder
/// never calls these: it writes the values' own RLP forms.
public protocol HexTextCodable: Codable {
    /// Parses the text form; nil when it is not one.
    init?(hexText: String)
    /// The text form.
    var hexText: String { get }
}

extension HexTextCodable {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let value = Self(hexText: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                    debugDescription: "\(text) is not a valid \(Self.self)"))
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(hexText)
    }
}

extension Hash32: HexTextCodable {
    public init?(hexText: String) { try? self.init(hex: hexText) }
    public var hexText: String { hex }
}

extension Address: HexTextCodable {
    public init?(hexText: String) { try? self.init(hex: hexText) }
    public var hexText: String { checksummed }
}

extension UInt256: HexTextCodable {
    public init?(hexText: String) { self.init(hex: hexText) }
    public var hexText: String { hexString }
}
