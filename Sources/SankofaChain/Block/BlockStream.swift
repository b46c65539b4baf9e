import SankofaPrimitives

/// Why a block file (concatenated block RLP, Besu's `blocks export` format) could not be read further. Each case
/// names the block by its index in the file and the byte offset where its encoding starts.
public enum BlockStreamError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file ends inside the block's encoding.
    case truncated(index: Int, offset: Int, needed: Int, available: Int)
    /// The bytes at `offset` are not a block's RLP.
    case malformed(index: Int, offset: Int, reason: String)

    public var description: String {
        switch self {
        case .truncated(let index, let offset, let needed, let available):
            "block at index \(index) (byte offset \(offset)) is truncated: its encoding needs \(needed) bytes, the file has \(available) left"
        case .malformed(let index, let offset, let reason):
            "block at index \(index) (byte offset \(offset)) is corrupted: \(reason)"
        }
    }
}

/// Reads blocks one at a time from concatenated block RLP, the format of Besu's `blocks export` and
/// `blocks import`: each block is `rlp([header, transactions, ommers])`, with nothing between blocks.
public struct BlockStream<Bytes: RandomAccessCollection<UInt8>> where Bytes.Index == Int {
    let bytes: Bytes
    /// Byte offset of the next block.
    public private(set) var offset: Int
    /// Index of the next block in the file (0 for the first).
    public private(set) var index = 0

    public init(_ bytes: Bytes) {
        self.bytes = bytes
        self.offset = bytes.startIndex
    }

    /// True when every block has been read.
    public var isAtEnd: Bool { offset >= bytes.endIndex }

    /// The next block with its index and byte offset, or nil at the end of the file.
    public mutating func next() throws(BlockStreamError) -> (index: Int, offset: Int, block: Block)? {
        guard !isAtEnd else { return nil }
        let start = offset
        let length = try encodedLength(at: start)
        let available = bytes.endIndex - start
        guard length <= available else {
            throw .truncated(index: index, offset: start - bytes.startIndex, needed: length, available: available)
        }
        let block: Block
        do {
            block = try Block(rlp: Array(bytes[start..<start + length]))
        } catch {
            throw .malformed(index: index, offset: start - bytes.startIndex, reason: "\(error)")
        }
        defer { offset = start + length; index += 1 }
        return (index, start - bytes.startIndex, block)
    }

    /// The length of the RLP list starting at `start`, header included (RLP, Ethereum Yellow Paper appendix B).
    func encodedLength(at start: Int) throws(BlockStreamError) -> Int {
        let position = start - bytes.startIndex
        let first = bytes[start]
        guard first >= 0xc0 else {
            throw .malformed(index: index, offset: position, reason: "expected an RLP list, found byte 0x\(String(first, radix: 16))")
        }
        if first <= 0xf7 { return 1 + Int(first - 0xc0) }
        let lengthOfLength = Int(first - 0xf7)
        guard bytes.endIndex - start > lengthOfLength else {
            throw .truncated(index: index, offset: position, needed: 1 + lengthOfLength, available: bytes.endIndex - start)
        }
        var payload = 0
        for i in 1...lengthOfLength {
            let (shifted, overflow) = payload.multipliedReportingOverflow(by: 256)
            guard !overflow, !(i == 1 && bytes[start + i] == 0) else {
                throw .malformed(index: index, offset: position, reason: "invalid RLP list length")
            }
            payload = shifted + Int(bytes[start + i])
        }
        let (total, overflow) = payload.addingReportingOverflow(1 + lengthOfLength)
        guard !overflow, payload > 55 else { throw .malformed(index: index, offset: position, reason: "invalid RLP list length") }
        return total
    }
}
