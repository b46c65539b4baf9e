import CSnappy

/// Why a Snappy block could not be decompressed.
public enum SnappyError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The block's length header or body is not valid Snappy.
    case invalidInput
    /// The block announces more bytes than the caller allows (devp2p caps a message at 16 MiB).
    case tooLarge(announced: Int, limit: Int)

    public var description: String {
        switch self {
        case .invalidInput: "invalid Snappy block"
        case .tooLarge(let announced, let limit):
            "Snappy block decompresses to \(announced) bytes, more than the \(limit)-byte limit"
        }
    }
}

/// Snappy block compression (not the framing format) through libsnappy's C API, as devp2p v5 uses it for
/// every message after Hello (devp2p rlpx.md, "Message Compression").
public enum Snappy {
    /// Compresses `input` into one Snappy block.
    public static func compress(_ input: some Collection<UInt8>) -> [UInt8] {
        let source = Array(input)
        let capacity = snappy_max_compressed_length(source.count)
        var output = [UInt8](repeating: 0, count: capacity)
        var length = capacity
        let status = source.withUnsafeBytes { src in
            output.withUnsafeMutableBytes { dst in
                snappy_compress(src.baseAddress?.assumingMemoryBound(to: CChar.self), src.count,
                                dst.baseAddress?.assumingMemoryBound(to: CChar.self), &length)
            }
        }
        // Compression into a buffer of snappy_max_compressed_length cannot fail.
        precondition(status == SNAPPY_OK, "snappy_compress failed with a maximal output buffer")
        output.removeSubrange(length...)
        return output
    }

    /// The length a block announces in its header, read without decompressing.
    public static func uncompressedLength(_ block: some Collection<UInt8>) throws(SnappyError) -> Int {
        let source = Array(block)
        var length = 0
        let status = source.withUnsafeBytes { src in
            snappy_uncompressed_length(src.baseAddress?.assumingMemoryBound(to: CChar.self), src.count, &length)
        }
        guard status == SNAPPY_OK else { throw .invalidInput }
        return length
    }

    /// Decompresses a block whose announced size is at most `maxLength`. The size is checked from the block
    /// header before anything is allocated, so a hostile peer cannot make us reserve more than `maxLength`.
    public static func decompress(_ block: some Collection<UInt8>, maxLength: Int) throws(SnappyError) -> [UInt8] {
        let source = Array(block)
        let announced = try uncompressedLength(source)
        guard announced <= maxLength else { throw .tooLarge(announced: announced, limit: maxLength) }
        var output = [UInt8](repeating: 0, count: announced)
        var length = announced
        let status = source.withUnsafeBytes { src in
            output.withUnsafeMutableBytes { dst in
                snappy_uncompress(src.baseAddress?.assumingMemoryBound(to: CChar.self), src.count,
                                  dst.baseAddress?.assumingMemoryBound(to: CChar.self), &length)
            }
        }
        guard status == SNAPPY_OK, length == announced else { throw .invalidInput }
        return output
    }
}
