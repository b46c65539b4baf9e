/// Ethereum's hex-prefix ("compact") encoding of a nibble path, as leaf and extension nodes store their key
/// fragment (Yellow Paper appendix C). The first nibble holds two flags: bit 1 = leaf (terminated path),
/// bit 0 = odd length; an even-length path gets a zero padding nibble after the flags.
public enum HexPrefix {
    /// Packs `nibbles` (each 0...15) with the leaf/extension flag.
    public static func encode(nibbles: [UInt8], isLeaf: Bool) -> [UInt8] {
        nibbles.withUnsafeBufferPointer { encode($0, isLeaf: isLeaf) }
    }

    static func encode(_ nibbles: UnsafeBufferPointer<UInt8>, isLeaf: Bool) -> [UInt8] {
        let count = nibbles.count
        let odd = count & 1
        let flag = UInt8((isLeaf ? 2 : 0) | odd)
        return [UInt8](unsafeUninitializedCapacity: count / 2 + 1) { out, written in
            var i = 0
            if odd == 1 {
                out[0] = flag << 4 | (nibbles[0] & 0x0f)
                i = 1
            } else {
                out[0] = flag << 4
            }
            var o = 1
            while i < count {
                out[o] = (nibbles[i] & 0x0f) << 4 | (nibbles[i + 1] & 0x0f)
                i += 2
                o += 1
            }
            written = o
        }
    }

    /// Unpacks a hex-prefix byte string. Strict: an unknown flag nibble, a non-zero padding nibble or empty
    /// input is refused, so a malformed stored node cannot be read as some other path.
    public static func decode(_ bytes: [UInt8]) throws(TrieError) -> (nibbles: [UInt8], isLeaf: Bool) {
        try bytes.withUnsafeBufferPointer { (raw) throws(TrieError) in try decode(raw) }
    }

    static func decode(_ bytes: UnsafeBufferPointer<UInt8>) throws(TrieError) -> (nibbles: [UInt8], isLeaf: Bool) {
        guard let first = bytes.first else { throw .malformedNode("empty hex-prefix path") }
        let flag = first >> 4
        guard flag <= 3 else { throw .malformedNode("hex-prefix flag nibble \(flag) is not 0...3") }
        let odd = flag & 1 == 1
        if !odd && first & 0x0f != 0 { throw .malformedNode("hex-prefix padding nibble is not zero") }
        let count = (bytes.count - 1) * 2 + (odd ? 1 : 0)
        let nibbles = [UInt8](unsafeUninitializedCapacity: count) { out, written in
            var o = 0
            if odd {
                out[0] = first & 0x0f
                o = 1
            }
            for i in 1..<bytes.count {
                out[o] = bytes[i] >> 4
                out[o + 1] = bytes[i] & 0x0f
                o += 2
            }
            written = o
        }
        return (nibbles, flag >= 2)
    }
}

/// Conversions between byte keys and nibble paths (one nibble per byte, high nibble first).
enum Nibbles {
    static func from(_ key: [UInt8]) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: key.count * 2) { out, written in
            var o = 0
            for byte in key {
                out[o] = byte >> 4
                out[o + 1] = byte & 0x0f
                o += 2
            }
            written = o
        }
    }

    /// Packs an even-length nibble path back into bytes; nil for an odd length (no byte key has one).
    static func bytes(_ nibbles: [UInt8]) -> [UInt8]? {
        guard nibbles.count & 1 == 0 else { return nil }
        return [UInt8](unsafeUninitializedCapacity: nibbles.count / 2) { out, written in
            var i = 0
            while i < nibbles.count {
                out[i / 2] = nibbles[i] << 4 | (nibbles[i + 1] & 0x0f)
                i += 2
            }
            written = nibbles.count / 2
        }
    }
}
