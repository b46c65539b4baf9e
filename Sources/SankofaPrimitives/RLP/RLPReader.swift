/// A strict, zero-copy RLP decoder over a byte array: a cursor that reads one item at a time.
///
/// Lists are read by asking for a sub-reader bounded to the list's payload; callers read the fields they expect
/// and then call `finish()`, which rejects trailing items. Byte strings come back as slices of the input, so
/// decoding a block does not copy its transactions.
public struct RLPReader: Sendable {
    /// The whole input; positions index into it.
    public let input: [UInt8]
    /// The next unread byte.
    public private(set) var position: Int
    /// One past the last byte this reader may read.
    public let end: Int

    /// A reader over all of `input`.
    public init(_ input: [UInt8]) {
        self.input = input
        self.position = 0
        self.end = input.count
    }

    /// A reader over `input` from byte `start` on (a typed transaction's fields after its type byte), without a copy.
    public init(_ input: [UInt8], from start: Int) {
        precondition(start >= 0 && start <= input.count, "an RLP reader must start within its input")
        self.init(input: input, position: start, end: input.count)
    }

    init(input: [UInt8], position: Int, end: Int) {
        self.input = input
        self.position = position
        self.end = end
    }

    /// True when every byte has been consumed.
    public var isAtEnd: Bool { position >= end }

    /// Throws unless every byte (every list item) has been read.
    public func finish() throws(RLPError) {
        if position < end { throw .trailingBytes(count: end - position) }
    }

    /// The shape of the next item without consuming it.
    public func peekIsList() throws(RLPError) -> Bool {
        var copy = self
        return try copy.readHeader().isList
    }

    // MARK: Items

    /// Reads a byte string (not a list) and returns its payload.
    public mutating func readBytes() throws(RLPError) -> ArraySlice<UInt8> {
        let header = try readHeader()
        guard !header.isList else { throw .expectedBytes }
        return input[header.payloadStart..<header.payloadEnd]
    }

    /// Reads a list and returns a reader over its items; the caller reads them and then calls `finish()`.
    public mutating func readList() throws(RLPError) -> RLPReader {
        let header = try readHeader()
        guard header.isList else { throw .expectedList }
        return RLPReader(input: input, position: header.payloadStart, end: header.payloadEnd)
    }

    /// Skips one item of either kind and returns the byte range of its full encoding (header included), e.g. to
    /// hash a transaction inside a block body without re-encoding it.
    @discardableResult
    public mutating func skipItem() throws(RLPError) -> Range<Int> {
        let start = position
        _ = try readHeader()
        return start..<position
    }

    /// Reads the next item's complete encoding, header included.
    public mutating func readRawItem() throws(RLPError) -> ArraySlice<UInt8> {
        input[try skipItem()]
    }

    // MARK: Typed fields

    /// Reads a minimal big-endian integer of at most 8 bytes.
    public mutating func readUInt64() throws(RLPError) -> UInt64 {
        let payload = try readIntegerPayload(maxBytes: 8)
        var value: UInt64 = 0
        for byte in payload { value = value << 8 | UInt64(byte) }
        return value
    }

    /// Reads a minimal big-endian integer of at most 32 bytes.
    public mutating func readUInt256() throws(RLPError) -> UInt256 {
        let payload = try readIntegerPayload(maxBytes: 32)
        return UInt256(bigEndian: payload) ?? .zero  // at most 32 bytes, so the initialiser cannot fail
    }

    /// Reads a boolean stored as the integer 0 or 1.
    public mutating func readBool() throws(RLPError) -> Bool {
        switch try readUInt64() {
        case 0: return false
        case 1: return true
        default: throw .integerTooLarge(maxBytes: 1, got: 1)
        }
    }

    /// Reads exactly `count` bytes.
    public mutating func readFixed(_ count: Int) throws(RLPError) -> ArraySlice<UInt8> {
        let payload = try readBytes()
        guard payload.count == count else { throw .wrongLength(expected: count, got: payload.count) }
        return payload
    }

    /// Reads a 20-byte address.
    public mutating func readAddress() throws(RLPError) -> Address {
        let payload = try readFixed(20)
        return payload.withUnsafeBytes { Address(unsafeBytes: $0) }
    }

    /// Reads an address or the empty string (a transaction's `to` for contract creation).
    public mutating func readOptionalAddress() throws(RLPError) -> Address? {
        let payload = try readBytes()
        if payload.isEmpty { return nil }
        guard payload.count == 20 else { throw .wrongLength(expected: 20, got: payload.count) }
        return payload.withUnsafeBytes { Address(unsafeBytes: $0) }
    }

    /// Reads a 32-byte hash.
    public mutating func readHash() throws(RLPError) -> Hash32 {
        let payload = try readFixed(32)
        return payload.withUnsafeBytes { Hash32(unsafeBytes: $0) }
    }

    private mutating func readIntegerPayload(maxBytes: Int) throws(RLPError) -> ArraySlice<UInt8> {
        let payload = try readBytes()
        guard payload.count <= maxBytes else { throw .integerTooLarge(maxBytes: maxBytes, got: payload.count) }
        if let first = payload.first, first == 0 { throw .leadingZeroInInteger }
        return payload
    }

    // MARK: Header

    struct Header {
        var isList: Bool
        var payloadStart: Int
        var payloadEnd: Int
    }

    /// Parses the header at `position`, validates it canonically and moves past the whole item.
    mutating func readHeader() throws(RLPError) -> Header {
        guard position < end else { throw .unexpectedEnd }
        let prefix = input[position]
        let available = end - position
        let header: Header
        switch prefix {
        case 0x00...0x7f:
            header = Header(isList: false, payloadStart: position, payloadEnd: position + 1)
        case 0x80...0xb7:
            let length = Int(prefix - 0x80)
            guard length < available else { throw .truncated(needed: 1 + length, available: available) }
            if length == 1 && input[position + 1] < 0x80 { throw .nonCanonicalSingleByte }
            header = Header(isList: false, payloadStart: position + 1, payloadEnd: position + 1 + length)
        case 0xb8...0xbf:
            header = try longHeader(lengthOfLength: Int(prefix - 0xb7), isList: false, available: available)
        case 0xc0...0xf7:
            let length = Int(prefix - 0xc0)
            guard length < available else { throw .truncated(needed: 1 + length, available: available) }
            header = Header(isList: true, payloadStart: position + 1, payloadEnd: position + 1 + length)
        default:
            header = try longHeader(lengthOfLength: Int(prefix - 0xf7), isList: true, available: available)
        }
        position = header.payloadEnd
        return header
    }

    private func longHeader(lengthOfLength: Int, isList: Bool, available: Int) throws(RLPError) -> Header {
        guard lengthOfLength < available else { throw .truncated(needed: 1 + lengthOfLength, available: available) }
        guard input[position + 1] != 0 else { throw .leadingZeroInLength }
        guard lengthOfLength <= 7 else { throw .lengthOverflow }  // 2^56 bytes is beyond any input
        var length = 0
        for i in 0..<lengthOfLength { length = length << 8 | Int(input[position + 1 + i]) }
        guard length >= 56 else { throw .nonCanonicalLength }
        let headerSize = 1 + lengthOfLength
        guard length <= available - headerSize else {
            throw .truncated(needed: headerSize + length, available: available)
        }
        return Header(isList: isList, payloadStart: position + headerSize, payloadEnd: position + headerSize + length)
    }
}
