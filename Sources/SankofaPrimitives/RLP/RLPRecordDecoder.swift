/// The `Decoder` behind `RLPRecord`: reads values in order from an `RLPReader`, entering a list for every keyed
/// or unkeyed container and checking, once the value is decoded, that the list held nothing more.
final class RLPRecordDecoder: Decoder {
    var reader: RLPReader
    /// The list the value being decoded opened, checked for trailing items when it is done.
    private var opened: RLPRecordDecoder?

    init(reader: RLPReader) { self.reader = reader }

    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    /// Reads a `T`: a leaf type directly, anything else through its `init(from:)`.
    func decodeValue<T: Decodable>(_ type: T.Type) throws -> T {
        if let leaf = try readLeaf(type) { return leaf }
        let outer = opened
        defer { opened = outer }
        opened = nil
        let value = try T(from: self)
        try opened?.reader.finish()
        return value
    }

    /// The types with their own RLP form (see `RLPRecord`); nil for any other type.
    private func readLeaf<T>(_ type: T.Type) throws -> T? {
        if T.self == Hash32.self { return try reader.readHash() as? T }
        if T.self == Address.self { return try reader.readAddress() as? T }
        if T.self == UInt256.self { return try reader.readUInt256() as? T }
        if T.self == [UInt8].self { return Array(try reader.readBytes()) as? T }
        return nil
    }

    fileprivate func enterList() throws -> RLPRecordDecoder {
        let list = RLPRecordDecoder(reader: try reader.readList())
        opened = list
        return list
    }

    fileprivate func readUInt64(max: UInt64) throws -> UInt64 {
        let value = try reader.readUInt64()
        guard value <= max else { throw RLPError.invalidRecord("integer \(value) is larger than \(max)") }
        return value
    }

    fileprivate func readString() throws -> String {
        let bytes = try reader.readBytes()
        guard let text = bytes.withUnsafeBytes({ UTF8Validation.isValid($0) ? String(decoding: $0, as: UTF8.self) : nil }) else {
            throw RLPError.invalidRecord("a string field is not valid UTF-8")
        }
        return text
    }

    fileprivate func refuse<T>(_ type: T.Type) throws -> Never {
        throw DecodingError.typeMismatch(type, .init(codingPath: [], debugDescription: "RLP records cannot hold \(type)"))
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        KeyedDecodingContainer(Keyed(decoder: try enterList()))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer { Unkeyed(decoder: try enterList()) }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { Single(decoder: self) }

    /// Record fields are read in declaration order; the key only names the field in an error.
    private struct Keyed<Key: CodingKey>: KeyedDecodingContainerProtocol {
        let decoder: RLPRecordDecoder
        var codingPath: [any CodingKey] { [] }
        var allKeys: [Key] { [] }

        func contains(_ key: Key) -> Bool { true }
        func decodeNil(forKey key: Key) throws -> Bool { false }

        private func field<T>(_ key: Key, _ read: () throws -> T) throws -> T {
            do { return try read() } catch let error as RLPError {
                throw RLPError.invalidRecord("field \(key.stringValue): \(error.recordDetail)")
            }
        }

        func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try field(key) { try decoder.reader.readBool() } }
        func decode(_ type: String.Type, forKey key: Key) throws -> String { try field(key) { try decoder.readString() } }
        func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try decoder.refuse(type) }
        func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try decoder.refuse(type) }
        func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try decoder.refuse(type) }
        func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try decoder.refuse(type) }
        func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try decoder.refuse(type) }
        func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try decoder.refuse(type) }
        func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try decoder.refuse(type) }
        func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt {
            try field(key) { UInt(try decoder.readUInt64(max: UInt64(UInt.max))) }
        }
        func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 {
            try field(key) { UInt8(try decoder.readUInt64(max: UInt64(UInt8.max))) }
        }
        func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 {
            try field(key) { UInt16(try decoder.readUInt64(max: UInt64(UInt16.max))) }
        }
        func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 {
            try field(key) { UInt32(try decoder.readUInt64(max: UInt64(UInt32.max))) }
        }
        func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try field(key) { try decoder.reader.readUInt64() } }
        func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
            do { return try field(key) { try decoder.decodeValue(type) } } catch let error as DecodingError {
                throw RLPError.invalidRecord("field \(key.stringValue): \(RLPRecordDecoder.describe(error))")
            }
        }

        func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type,
                                                   forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
            KeyedDecodingContainer(Keyed<NestedKey>(decoder: try decoder.enterList()))
        }
        func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
            Unkeyed(decoder: try decoder.enterList())
        }
        func superDecoder() throws -> any Decoder { decoder }
        func superDecoder(forKey key: Key) throws -> any Decoder { decoder }
    }

    private struct Unkeyed: UnkeyedDecodingContainer {
        let decoder: RLPRecordDecoder
        var codingPath: [any CodingKey] { [] }
        var count: Int? { nil }
        var isAtEnd: Bool { decoder.reader.isAtEnd }
        private(set) var currentIndex = 0

        init(decoder: RLPRecordDecoder) { self.decoder = decoder }

        mutating func decodeNil() throws -> Bool { false }
        mutating func decode(_ type: Bool.Type) throws -> Bool { currentIndex += 1; return try decoder.reader.readBool() }
        mutating func decode(_ type: String.Type) throws -> String { currentIndex += 1; return try decoder.readString() }
        mutating func decode(_ type: Double.Type) throws -> Double { try decoder.refuse(type) }
        mutating func decode(_ type: Float.Type) throws -> Float { try decoder.refuse(type) }
        mutating func decode(_ type: Int.Type) throws -> Int { try decoder.refuse(type) }
        mutating func decode(_ type: Int8.Type) throws -> Int8 { try decoder.refuse(type) }
        mutating func decode(_ type: Int16.Type) throws -> Int16 { try decoder.refuse(type) }
        mutating func decode(_ type: Int32.Type) throws -> Int32 { try decoder.refuse(type) }
        mutating func decode(_ type: Int64.Type) throws -> Int64 { try decoder.refuse(type) }
        mutating func decode(_ type: UInt.Type) throws -> UInt {
            currentIndex += 1
            return UInt(try decoder.readUInt64(max: UInt64(UInt.max)))
        }
        mutating func decode(_ type: UInt8.Type) throws -> UInt8 {
            currentIndex += 1
            return UInt8(try decoder.readUInt64(max: UInt64(UInt8.max)))
        }
        mutating func decode(_ type: UInt16.Type) throws -> UInt16 {
            currentIndex += 1
            return UInt16(try decoder.readUInt64(max: UInt64(UInt16.max)))
        }
        mutating func decode(_ type: UInt32.Type) throws -> UInt32 {
            currentIndex += 1
            return UInt32(try decoder.readUInt64(max: UInt64(UInt32.max)))
        }
        mutating func decode(_ type: UInt64.Type) throws -> UInt64 { currentIndex += 1; return try decoder.reader.readUInt64() }
        mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { currentIndex += 1; return try decoder.decodeValue(type) }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
            currentIndex += 1
            return KeyedDecodingContainer(Keyed<NestedKey>(decoder: try decoder.enterList()))
        }
        mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
            currentIndex += 1
            return Unkeyed(decoder: try decoder.enterList())
        }
        mutating func superDecoder() throws -> any Decoder { decoder }
    }

    private struct Single: SingleValueDecodingContainer {
        let decoder: RLPRecordDecoder
        var codingPath: [any CodingKey] { [] }

        func decodeNil() -> Bool { false }
        func decode(_ type: Bool.Type) throws -> Bool { try decoder.reader.readBool() }
        func decode(_ type: String.Type) throws -> String { try decoder.readString() }
        func decode(_ type: Double.Type) throws -> Double { try decoder.refuse(type) }
        func decode(_ type: Float.Type) throws -> Float { try decoder.refuse(type) }
        func decode(_ type: Int.Type) throws -> Int { try decoder.refuse(type) }
        func decode(_ type: Int8.Type) throws -> Int8 { try decoder.refuse(type) }
        func decode(_ type: Int16.Type) throws -> Int16 { try decoder.refuse(type) }
        func decode(_ type: Int32.Type) throws -> Int32 { try decoder.refuse(type) }
        func decode(_ type: Int64.Type) throws -> Int64 { try decoder.refuse(type) }
        func decode(_ type: UInt.Type) throws -> UInt { UInt(try decoder.readUInt64(max: UInt64(UInt.max))) }
        func decode(_ type: UInt8.Type) throws -> UInt8 { UInt8(try decoder.readUInt64(max: UInt64(UInt8.max))) }
        func decode(_ type: UInt16.Type) throws -> UInt16 { UInt16(try decoder.readUInt64(max: UInt64(UInt16.max))) }
        func decode(_ type: UInt32.Type) throws -> UInt32 { UInt32(try decoder.readUInt64(max: UInt64(UInt32.max))) }
        func decode(_ type: UInt64.Type) throws -> UInt64 { try decoder.reader.readUInt64() }
        func decode<T: Decodable>(_ type: T.Type) throws -> T { try decoder.decodeValue(type) }
    }

    /// One line for a `DecodingError` (an enum raw value out of range, say), without its coding-path noise.
    static func describe(_ error: DecodingError) -> String {
        switch error {
        case .dataCorrupted(let context), .typeMismatch(_, let context), .valueNotFound(_, let context),
             .keyNotFound(_, let context):
            return context.debugDescription
        @unknown default:
            return "\(error)"
        }
    }
}

extension RLPError {
    /// The message without the "corrupt record" prefix, for nesting field names.
    fileprivate var recordDetail: String {
        if case .invalidRecord(let detail) = self { return detail }
        return description
    }
}
