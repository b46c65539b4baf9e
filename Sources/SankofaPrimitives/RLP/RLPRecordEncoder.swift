/// The `Encoder` behind `RLPRecord`: writes each value into one `RLPWriter`, opening a list for every keyed or
/// unkeyed container and closing it once the value's `encode(to:)` returns.
final class RLPRecordEncoder: Encoder {
    var writer: RLPWriter
    /// Whether the value being encoded asked for a keyed or unkeyed container (and so is a list).
    private var openedList = false

    init(writer: RLPWriter) { self.writer = writer }

    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    /// Writes `value`: a leaf type directly, anything else as what its `encode(to:)` produces.
    func encodeValue<T: Encodable>(_ value: T) throws {
        if writeLeaf(value) { return }
        let start = writer.bytes.count
        let outer = openedList
        openedList = false
        try value.encode(to: self)
        if openedList { writer.closeList(startingAt: start) }
        openedList = outer
    }

    /// The types with their own RLP form (and `[UInt8]`, a byte string rather than a list of small integers).
    private func writeLeaf<T>(_ value: T) -> Bool {
        switch value {
        case let hash as Hash32: writer.write(hash)
        case let address as Address: writer.write(address)
        case let number as UInt256: writer.write(number)
        case let bytes as [UInt8]: writer.write(bytes: bytes)
        default: return false
        }
        return true
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        openedList = true
        return KeyedEncodingContainer(Keyed(encoder: self))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        openedList = true
        return Unkeyed(encoder: self)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { Single(encoder: self) }

    fileprivate func write(_ value: UInt64) { writer.write(value) }
    fileprivate func write(_ value: String) { writer.write(bytes: value.utf8) }
    fileprivate func refuse(_ what: String) throws -> Never {
        throw EncodingError.invalidValue(what, .init(codingPath: [], debugDescription: "RLP records cannot hold \(what)"))
    }

    private struct Keyed<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let encoder: RLPRecordEncoder
        var codingPath: [any CodingKey] { [] }

        mutating func encodeNil(forKey key: Key) throws { try encoder.refuse("nil") }
        mutating func encode(_ value: Bool, forKey key: Key) throws { encoder.write(value ? 1 : 0) }
        mutating func encode(_ value: String, forKey key: Key) throws { encoder.write(value) }
        mutating func encode(_ value: Double, forKey key: Key) throws { try encoder.refuse("Double") }
        mutating func encode(_ value: Float, forKey key: Key) throws { try encoder.refuse("Float") }
        mutating func encode(_ value: Int, forKey key: Key) throws { try encoder.refuse("Int") }
        mutating func encode(_ value: Int8, forKey key: Key) throws { try encoder.refuse("Int8") }
        mutating func encode(_ value: Int16, forKey key: Key) throws { try encoder.refuse("Int16") }
        mutating func encode(_ value: Int32, forKey key: Key) throws { try encoder.refuse("Int32") }
        mutating func encode(_ value: Int64, forKey key: Key) throws { try encoder.refuse("Int64") }
        mutating func encode(_ value: UInt, forKey key: Key) throws { encoder.write(UInt64(value)) }
        mutating func encode(_ value: UInt8, forKey key: Key) throws { encoder.write(UInt64(value)) }
        mutating func encode(_ value: UInt16, forKey key: Key) throws { encoder.write(UInt64(value)) }
        mutating func encode(_ value: UInt32, forKey key: Key) throws { encoder.write(UInt64(value)) }
        mutating func encode(_ value: UInt64, forKey key: Key) throws { encoder.write(value) }
        mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws { try encoder.encodeValue(value) }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type,
                                                            forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
            KeyedEncodingContainer(Keyed<NestedKey>(encoder: encoder))
        }
        mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer { Unkeyed(encoder: encoder) }
        mutating func superEncoder() -> any Encoder { encoder }
        mutating func superEncoder(forKey key: Key) -> any Encoder { encoder }
    }

    private struct Unkeyed: UnkeyedEncodingContainer {
        let encoder: RLPRecordEncoder
        var codingPath: [any CodingKey] { [] }
        private(set) var count = 0

        init(encoder: RLPRecordEncoder) { self.encoder = encoder }

        mutating func encodeNil() throws { try encoder.refuse("nil") }
        mutating func encode(_ value: Bool) throws { count += 1; encoder.write(value ? 1 : 0) }
        mutating func encode(_ value: String) throws { count += 1; encoder.write(value) }
        mutating func encode(_ value: Double) throws { try encoder.refuse("Double") }
        mutating func encode(_ value: Float) throws { try encoder.refuse("Float") }
        mutating func encode(_ value: Int) throws { try encoder.refuse("Int") }
        mutating func encode(_ value: Int8) throws { try encoder.refuse("Int8") }
        mutating func encode(_ value: Int16) throws { try encoder.refuse("Int16") }
        mutating func encode(_ value: Int32) throws { try encoder.refuse("Int32") }
        mutating func encode(_ value: Int64) throws { try encoder.refuse("Int64") }
        mutating func encode(_ value: UInt) throws { count += 1; encoder.write(UInt64(value)) }
        mutating func encode(_ value: UInt8) throws { count += 1; encoder.write(UInt64(value)) }
        mutating func encode(_ value: UInt16) throws { count += 1; encoder.write(UInt64(value)) }
        mutating func encode(_ value: UInt32) throws { count += 1; encoder.write(UInt64(value)) }
        mutating func encode(_ value: UInt64) throws { count += 1; encoder.write(value) }
        mutating func encode<T: Encodable>(_ value: T) throws { count += 1; try encoder.encodeValue(value) }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
            KeyedEncodingContainer(Keyed<NestedKey>(encoder: encoder))
        }
        mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer { Unkeyed(encoder: encoder) }
        mutating func superEncoder() -> any Encoder { encoder }
    }

    private struct Single: SingleValueEncodingContainer {
        let encoder: RLPRecordEncoder
        var codingPath: [any CodingKey] { [] }

        mutating func encodeNil() throws { try encoder.refuse("nil") }
        mutating func encode(_ value: Bool) throws { encoder.write(value ? 1 : 0) }
        mutating func encode(_ value: String) throws { encoder.write(value) }
        mutating func encode(_ value: Double) throws { try encoder.refuse("Double") }
        mutating func encode(_ value: Float) throws { try encoder.refuse("Float") }
        mutating func encode(_ value: Int) throws { try encoder.refuse("Int") }
        mutating func encode(_ value: Int8) throws { try encoder.refuse("Int8") }
        mutating func encode(_ value: Int16) throws { try encoder.refuse("Int16") }
        mutating func encode(_ value: Int32) throws { try encoder.refuse("Int32") }
        mutating func encode(_ value: Int64) throws { try encoder.refuse("Int64") }
        mutating func encode(_ value: UInt) throws { encoder.write(UInt64(value)) }
        mutating func encode(_ value: UInt8) throws { encoder.write(UInt64(value)) }
        mutating func encode(_ value: UInt16) throws { encoder.write(UInt64(value)) }
        mutating func encode(_ value: UInt32) throws { encoder.write(UInt64(value)) }
        mutating func encode(_ value: UInt64) throws { encoder.write(value) }
        mutating func encode<T: Encodable>(_ value: T) throws { try encoder.encodeValue(value) }
    }
}
