/// Why a hex string was refused; each case names what to fix.
public enum HexError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A character outside `0-9a-fA-F` at the given offset (after any `0x` prefix).
    case invalidCharacter(offset: Int)
    /// Byte strings need two digits per byte.
    case oddLength(digits: Int)
    /// A fixed-size value (address, hash) received the wrong number of bytes.
    case wrongLength(expected: Int, got: Int)

    public var description: String {
        switch self {
        case .invalidCharacter(let offset): "invalid hex character at offset \(offset)"
        case .oddLength(let digits): "hex byte string has an odd number of digits (\(digits))"
        case .wrongLength(let expected, let got): "expected \(expected) bytes, got \(got)"
        }
    }
}

/// Hex text as Ethereum tools write it: `0x`-prefixed, lowercase, two digits per byte.
public enum Hex {
    @usableFromInline static let digits: [UInt8] = Array("0123456789abcdef".utf8)

    /// Decodes a byte string. The `0x` prefix is optional; an odd number of digits is an error, as in geth's
    /// `hexutil.Decode` for data.
    public static func decode(_ text: some StringProtocol) throws(HexError) -> [UInt8] {
        var utf8 = Array(text.utf8)
        var start = 0
        if utf8.count >= 2, utf8[0] == UInt8(ascii: "0"), utf8[1] | 0x20 == UInt8(ascii: "x") { start = 2 }
        let count = utf8.count - start
        guard count % 2 == 0 else { throw .oddLength(digits: count) }
        var out = [UInt8](repeating: 0, count: count / 2)
        try utf8.withUnsafeMutableBufferPointer { (digits) throws(HexError) in
            var i = start
            var o = 0
            while i < digits.count {
                guard let hi = nibble(digits[i]) else { throw .invalidCharacter(offset: i - start) }
                guard let lo = nibble(digits[i + 1]) else { throw .invalidCharacter(offset: i + 1 - start) }
                out[o] = hi << 4 | lo
                i += 2
                o += 1
            }
        }
        return out
    }

    /// Decodes exactly `count` bytes (for addresses, hashes, keys).
    public static func decode(_ text: some StringProtocol, count: Int) throws(HexError) -> [UInt8] {
        let bytes = try decode(text)
        guard bytes.count == count else { throw .wrongLength(expected: count, got: bytes.count) }
        return bytes
    }

    /// Lowercase hex, `0x`-prefixed unless `prefix` is false.
    public static func encode(_ bytes: some Sequence<UInt8>, prefix: Bool = true) -> String {
        var out: [UInt8] = prefix ? [UInt8(ascii: "0"), UInt8(ascii: "x")] : []
        out.reserveCapacity(out.count + bytes.underestimatedCount * 2)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    @inline(__always)
    static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c &- UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c &- UInt8(ascii: "a") &+ 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c &- UInt8(ascii: "A") &+ 10
        default: nil
        }
    }
}

extension Array where Element == UInt8 {
    /// `0x`-prefixed lowercase hex of these bytes.
    public var hexString: String { Hex.encode(self) }
}

extension ArraySlice where Element == UInt8 {
    /// `0x`-prefixed lowercase hex of these bytes.
    public var hexString: String { Hex.encode(self) }
}
