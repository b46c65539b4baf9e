import SankofaJSON
import SankofaPrimitives

/// Ethereum's JSON encodings: quantities as minimal hex, data as even-length hex, hashes and addresses as hex.
extension JSON {
    public static func quantity(_ value: UInt64) -> JSON { .string("0x" + String(value, radix: 16)) }
    public static func quantity(_ value: Int) -> JSON { quantity(UInt64(max(0, value))) }
    public static func quantity(_ value: UInt256) -> JSON { .string(value.hexString) }
    public static func data(_ bytes: some Sequence<UInt8>) -> JSON { .string(Hex.encode(bytes)) }
    public static func hash(_ value: Hash32) -> JSON { .string(value.hex) }
    public static func address(_ value: Address) -> JSON { .string(value.hex) }
    public static func address(_ value: Address?) -> JSON { value.map { .string($0.hex) } ?? .null }
}
