/// An RLP encoder that appends canonical encodings to one growing buffer.
///
/// Lists are written with `writeList { … }`: the payload is written in place and the header is inserted in
/// front of it afterwards, so nested structures need no intermediate arrays.
public struct RLPWriter: Sendable {
    /// The encoding written so far.
    public private(set) var bytes: [UInt8]

    /// A writer whose buffer starts with room for `capacity` bytes.
    public init(capacity: Int = 256) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// Writes a byte string.
    public mutating func write<C: Collection<UInt8>>(bytes payload: C) {
        let count = payload.count
        if count == 1, let only = payload.first, only < 0x80 {
            bytes.append(only)
            return
        }
        appendHeader(short: 0x80, long: 0xb7, length: count)
        bytes.append(contentsOf: payload)
    }

    /// Writes an integer as a minimal big-endian byte string (zero is the empty string).
    public mutating func write(_ value: UInt64) {
        if value < 0x80 {
            bytes.append(value == 0 ? 0x80 : UInt8(value))
            return
        }
        let size = 8 - value.leadingZeroBitCount / 8
        bytes.append(0x80 + UInt8(size))
        for shift in stride(from: (size - 1) * 8, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: value >> shift)) }
    }

    /// Writes a 256-bit integer as a minimal big-endian byte string.
    public mutating func write(_ value: UInt256) {
        if let small = value.asUInt64 {
            write(small)
        } else {
            write(bytes: value.minimalBigEndianBytes)
        }
    }

    /// Writes a boolean as the integer 0 or 1.
    public mutating func write(_ value: Bool) { write(value ? 1 as UInt64 : 0) }

    /// Writes an address as a 20-byte string.
    public mutating func write(_ address: Address) {
        bytes.append(0x94)
        address.withUnsafeBytes { bytes.append(contentsOf: $0) }
    }

    /// Writes an address, or the empty string for nil (contract creation's empty `to`).
    public mutating func write(_ address: Address?) {
        if let address { write(address) } else { bytes.append(0x80) }
    }

    /// Writes a hash as a 32-byte string.
    public mutating func write(_ hash: Hash32) {
        bytes.append(0xa0)
        hash.withUnsafeBytes { bytes.append(contentsOf: $0) }
    }

    /// Appends an item that is already RLP-encoded (e.g. a cached transaction encoding).
    public mutating func writeRaw<C: Collection<UInt8>>(_ encoded: C) {
        bytes.append(contentsOf: encoded)
    }

    /// Writes a list whose items `body` writes.
    public mutating func writeList<E: Error>(_ body: (inout RLPWriter) throws(E) -> Void) throws(E) {
        let start = bytes.count
        try body(&self)
        closeList(startingAt: start)
    }

    /// Turns everything written since `start` (a value of `bytes.count`) into one list, by inserting the list
    /// header in front of it: for encoders that learn a value is a list only after writing its items.
    public mutating func closeList(startingAt start: Int) {
        let length = bytes.count - start
        if length < 56 {
            bytes.insert(0xc0 + UInt8(length), at: start)
        } else {
            let size = 8 - UInt64(length).leadingZeroBitCount / 8
            var header: [UInt8] = [0xf7 + UInt8(size)]
            for shift in stride(from: (size - 1) * 8, through: 0, by: -8) {
                header.append(UInt8(truncatingIfNeeded: length >> shift))
            }
            bytes.insert(contentsOf: header, at: start)
        }
    }

    /// Writes an empty list.
    public mutating func writeEmptyList() { bytes.append(0xc0) }

    private mutating func appendHeader(short: UInt8, long: UInt8, length: Int) {
        if length < 56 {
            bytes.append(short + UInt8(length))
        } else {
            let size = 8 - UInt64(length).leadingZeroBitCount / 8
            bytes.append(long + UInt8(size))
            for shift in stride(from: (size - 1) * 8, through: 0, by: -8) {
                bytes.append(UInt8(truncatingIfNeeded: length >> shift))
            }
        }
    }
}
