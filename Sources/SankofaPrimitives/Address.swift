/// A 20-byte account address: the last 20 bytes of keccak256 of the uncompressed public key.
///
/// Held inline (two words and a half-word in memory order) so it is cheap to hash and compare.
public struct Address: Hashable, Sendable, Comparable, CustomStringConvertible {
    @usableFromInline var w0: UInt64
    @usableFromInline var w1: UInt64
    @usableFromInline var w2: UInt32

    /// The zero address.
    public static let zero = Address(w0: 0, w1: 0, w2: 0)

    @usableFromInline
    init(w0: UInt64, w1: UInt64, w2: UInt32) {
        self.w0 = w0
        self.w1 = w1
        self.w2 = w2
    }

    /// Copies exactly 20 bytes from raw memory; the caller guarantees the length.
    @inlinable
    public init(unsafeBytes raw: UnsafeRawBufferPointer) {
        precondition(raw.count >= 20, "Address needs 20 bytes")
        w0 = raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self)
        w1 = raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
        w2 = raw.loadUnaligned(fromByteOffset: 16, as: UInt32.self)
    }

    /// An address from exactly 20 bytes, or nil for any other length.
    @inlinable
    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == 20 else { return nil }
        let array = Array(bytes)
        self = array.withUnsafeBytes { Address(unsafeBytes: $0) }
    }

    /// The address of a system contract or precompile: `low` in the last bytes, e.g. `Address(low: 0x1000)`.
    public init(low: UInt32) {
        self.init(w0: 0, w1: 0, w2: low.bigEndian)
    }

    /// Parses `0x` + 40 hex digits in any case, without checking an EIP-55 checksum (geth's behaviour).
    public init(hex: some StringProtocol) throws(HexError) {
        let bytes = try Hex.decode(hex, count: 20)
        self = bytes.withUnsafeBytes { Address(unsafeBytes: $0) }
    }

    /// The 20 bytes in order.
    public var bytes: [UInt8] { withUnsafeBytes { Array($0) } }

    /// Reads the 20 bytes without copying.
    @inlinable
    public func withUnsafeBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        var copy = self
        return try Swift.withUnsafeBytes(of: &copy) { (raw) throws(E) -> R in
            try body(UnsafeRawBufferPointer(rebasing: raw[0..<20]))
        }
    }

    /// `0x` + 40 lowercase hex digits, as JSON-RPC returns addresses.
    public var hex: String { withUnsafeBytes { Hex.encode($0) } }

    /// EIP-55 mixed-case checksum form, as wallets display addresses.
    public var checksummed: String {
        let lower = Hex.encode(bytes, prefix: false)
        let digest = Keccak256.digest(Array(lower.utf8))
        var out = "0x"
        for (i, ch) in lower.enumerated() {
            let nibble = (i % 2 == 0) ? digest[i / 2] >> 4 : digest[i / 2] & 0x0f
            out.append(ch.isLetter && nibble >= 8 ? Character(ch.uppercased()) : ch)
        }
        return out
    }

    /// Parses an address and, when its letters are of mixed case, verifies the EIP-55 checksum.
    public init(checksummed text: some StringProtocol) throws(AddressError) {
        let parsed: Address
        do { parsed = try Address(hex: text) } catch { throw .invalidHex(error) }
        let letters = text.dropFirst(text.hasPrefix("0x") || text.hasPrefix("0X") ? 2 : 0).filter(\.isLetter)
        let mixed = letters.contains(where: \.isUppercase) && letters.contains(where: \.isLowercase)
        if mixed {
            let expected = parsed.checksummed
            guard expected.dropFirst(2) == text.dropFirst(2) else { throw .badChecksum(expected: expected) }
        }
        self = parsed
    }

    public var description: String { checksummed }

    /// Sets and dictionaries hash the words with `WordHashing`, not SipHash.
    @inlinable
    public func _rawHashValue(seed: Int) -> Int { WordHashing.hash(w0, w1, UInt64(w2), 0, seed: seed) }

    @inlinable
    public func hash(into hasher: inout Hasher) { hasher.combine(_rawHashValue(seed: 0)) }

    public static func < (lhs: Address, rhs: Address) -> Bool {
        (lhs.w0.bigEndian, lhs.w1.bigEndian, lhs.w2.bigEndian) < (rhs.w0.bigEndian, rhs.w1.bigEndian, rhs.w2.bigEndian)
    }
}

/// Why an address string was refused.
public enum AddressError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidHex(HexError)
    /// Mixed-case text whose casing is not the EIP-55 checksum: most likely a typo.
    case badChecksum(expected: String)

    public var description: String {
        switch self {
        case .invalidHex(let e): "invalid address: \(e)"
        case .badChecksum(let expected): "address checksum (EIP-55) does not match; expected \(expected)"
        }
    }
}
