import SankofaPrimitives

/// RLP encoding and strict decoding of trie nodes.
///
/// Encoding writes straight into one pre-sized buffer (lengths are known up front from the children's cached
/// references), so hashing a branch costs one allocation. Decoding uses the checked `RLPReader` and refuses
/// anything that is not a canonical node, so bytes from a database or a peer can never trap.
enum NodeCodec {
    // MARK: Encoding

    /// The node's RLP encoding. Every child must already be hashed (its reference known).
    static func encode(_ node: Node) -> [UInt8] {
        switch node {
        case .empty: return [0x80]
        case .hash(let hash): return [0xa0] + hash.bytes
        case .leaf(let path, let value, _): return encodeLeaf(path: path, value: value)
        case .ext(let path, let child, _): return encodeExtension(path: path, child: child)
        case .branch(let children, let value, _): return encodeBranch(children: children, value: value)
        }
    }

    /// rlp([hexPrefix(path, leaf), value])
    static func encodeLeaf(path: [UInt8], value: [UInt8]) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(leafLength(path, value))
        appendLeaf(&out, path, value)
        return out
    }

    /// rlp([hexPrefix(path, extension), reference(child)])
    static func encodeExtension(path: [UInt8], child: Node) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(extensionLength(path, child))
        appendExtension(&out, path, child)
        return out
    }

    /// rlp([reference(child0) … reference(child15), value])
    static func encodeBranch(children: [Node], value: [UInt8]) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(branchLength(children, value))
        appendBranch(&out, children, value)
        return out
    }

    static func leafLength(_ path: [UInt8], _ value: [UInt8]) -> Int {
        let payload = hexPrefixLength(path.count) + stringLength(value)
        return listHeaderLength(payload) + payload
    }

    static func extensionLength(_ path: [UInt8], _ child: Node) -> Int {
        let payload = hexPrefixLength(path.count) + refLength(child)
        return listHeaderLength(payload) + payload
    }

    static func branchLength(_ children: [Node], _ value: [UInt8]) -> Int {
        var payload = stringLength(value)
        for child in children { payload += refLength(child) }
        return listHeaderLength(payload) + payload
    }

    static func appendLeaf(_ out: inout [UInt8], _ path: [UInt8], _ value: [UInt8]) {
        appendListHeader(&out, hexPrefixLength(path.count) + stringLength(value))
        appendHexPrefix(&out, path, isLeaf: true)
        appendString(&out, value)
    }

    static func appendExtension(_ out: inout [UInt8], _ path: [UInt8], _ child: Node) {
        appendListHeader(&out, hexPrefixLength(path.count) + refLength(child))
        appendHexPrefix(&out, path, isLeaf: false)
        appendRef(&out, child)
    }

    static func appendBranch(_ out: inout [UInt8], _ children: [Node], _ value: [UInt8]) {
        var payload = stringLength(value)
        for child in children { payload += refLength(child) }
        appendListHeader(&out, payload)
        for child in children { appendRef(&out, child) }
        appendString(&out, value)
    }

    /// Size of the reference a parent stores for `child`: 1 for none, 33 for a hash, else the embedded encoding.
    @inline(__always)
    static func refLength(_ child: Node) -> Int {
        switch child {
        case .empty: return 1
        case .hash: return 33
        case .leaf(_, _, let flags), .ext(_, _, let flags), .branch(_, _, let flags):
            guard flags.isHashed else { preconditionFailure("child encoded before it was hashed") }
            return flags.embeddedLength == 0 ? 33 : Int(flags.embeddedLength)
        }
    }

    /// Appends the reference a parent stores for `child`: the empty string, the 32-byte hash, or the child's
    /// whole encoding when it is embedded.
    static func appendRef(_ out: inout [UInt8], _ child: Node) {
        switch child {
        case .empty:
            out.append(0x80)
        case .hash(let hash):
            appendHash(&out, hash)
        case .leaf(let path, let value, let flags):
            if flags.embeddedLength == 0 { appendHash(&out, flags.hash) } else { appendLeaf(&out, path, value) }
        case .ext(let path, let grandchild, let flags):
            if flags.embeddedLength == 0 { appendHash(&out, flags.hash) } else { appendExtension(&out, path, grandchild) }
        case .branch(let children, let value, let flags):
            if flags.embeddedLength == 0 { appendHash(&out, flags.hash) } else { appendBranch(&out, children, value) }
        }
    }

    @inline(__always)
    static func appendHash(_ out: inout [UInt8], _ hash: Hash32) {
        out.append(0xa0)
        hash.withUnsafeBytes { out.append(contentsOf: $0) }
    }

    // MARK: RLP pieces

    @inline(__always)
    static func lengthOfLength(_ length: Int) -> Int { 8 - UInt64(length).leadingZeroBitCount / 8 }

    @inline(__always)
    static func listHeaderLength(_ payload: Int) -> Int { payload < 56 ? 1 : 1 + lengthOfLength(payload) }

    /// Encoded size of a byte string.
    @inline(__always)
    static func stringLength(_ bytes: [UInt8]) -> Int {
        if bytes.count == 1 && bytes[0] < 0x80 { return 1 }
        return bytes.count < 56 ? 1 + bytes.count : 1 + lengthOfLength(bytes.count) + bytes.count
    }

    /// Encoded size of a hex-prefixed path of `nibbles` nibbles (always a string of `nibbles / 2 + 1` bytes
    /// whose first byte is below 0x80).
    @inline(__always)
    static func hexPrefixLength(_ nibbles: Int) -> Int {
        let bytes = nibbles / 2 + 1
        if bytes == 1 { return 1 }
        return bytes < 56 ? 1 + bytes : 1 + lengthOfLength(bytes) + bytes
    }

    static func appendLength(_ out: inout [UInt8], _ length: Int, short: UInt8, long: UInt8) {
        if length < 56 {
            out.append(short + UInt8(length))
            return
        }
        let size = lengthOfLength(length)
        out.append(long + UInt8(size))
        for shift in stride(from: (size - 1) * 8, through: 0, by: -8) {
            out.append(UInt8(truncatingIfNeeded: length >> shift))
        }
    }

    @inline(__always)
    static func appendListHeader(_ out: inout [UInt8], _ payload: Int) {
        appendLength(&out, payload, short: 0xc0, long: 0xf7)
    }

    static func appendString(_ out: inout [UInt8], _ bytes: [UInt8]) {
        if bytes.count == 1 && bytes[0] < 0x80 {
            out.append(bytes[0])
            return
        }
        appendLength(&out, bytes.count, short: 0x80, long: 0xb7)
        out.append(contentsOf: bytes)
    }

    static func appendHexPrefix(_ out: inout [UInt8], _ path: [UInt8], isLeaf: Bool) {
        let count = path.count
        let bytes = count / 2 + 1
        let odd = count & 1
        let flag = UInt8((isLeaf ? 2 : 0) | odd) << 4
        if bytes > 1 { appendLength(&out, bytes, short: 0x80, long: 0xb7) }
        var i = 0
        if odd == 1 {
            out.append(flag | path[0])
            i = 1
        } else {
            out.append(flag)
        }
        while i < count {
            out.append(path[i] << 4 | path[i + 1])
            i += 2
        }
    }

    // MARK: Decoding

    /// Decodes the node stored under `hash`; it is marked clean. Children stored by hash stay unloaded
    /// (`.hash`); embedded children are decoded in place.
    static func decode(_ encoded: [UInt8], hash: Hash32) throws(TrieError) -> Node {
        do {
            return try decodeNode(encoded, flags: .stored(hash))
        } catch let error as TrieError {
            throw error
        } catch let error as RLPError {
            throw .malformedNode(error.description)
        } catch {
            throw .malformedNode("\(error)")
        }
    }

    private static func decodeNode(_ encoded: [UInt8], flags: NodeFlags) throws -> Node {
        var reader = RLPReader(encoded)
        var items = try reader.readList()
        try reader.finish()

        var counter = items
        var count = 0
        while !counter.isAtEnd {
            try counter.skipItem()
            count += 1
        }
        switch count {
        case 2:
            let compact = try items.readBytes()
            let (path, isLeaf) = try compact.withUnsafeBufferPointer { try HexPrefix.decode($0) }
            if isLeaf {
                let value = try items.readBytes()
                guard !value.isEmpty else { throw TrieError.malformedNode("leaf with an empty value") }
                try items.finish()
                return .leaf(path: path, value: Array(value), flags: flags)
            }
            guard !path.isEmpty else { throw TrieError.malformedNode("extension with an empty path") }
            let child = try decodeChild(&items)
            guard !child.isEmpty else { throw TrieError.malformedNode("extension without a child") }
            try items.finish()
            return .ext(path: path, child: child, flags: flags)
        case 17:
            var children = [Node]()
            children.reserveCapacity(16)
            for _ in 0..<16 { children.append(try decodeChild(&items)) }
            let value = try items.readBytes()
            try items.finish()
            return .branch(children: children, value: Array(value), flags: flags)
        default:
            throw TrieError.malformedNode("a node has 2 or 17 items, not \(count)")
        }
    }

    /// A child slot: the empty string, a 32-byte hash, or an embedded node shorter than 32 bytes.
    private static func decodeChild(_ items: inout RLPReader) throws -> Node {
        if try items.peekIsList() {
            let raw = Array(try items.readRawItem())
            guard raw.count < 32 else {
                throw TrieError.malformedNode("embedded node of \(raw.count) bytes (must be under 32)")
            }
            return try decodeNode(raw, flags: .embedded(raw.count))
        }
        let payload = try items.readBytes()
        switch payload.count {
        case 0: return .empty
        case 32: return .hash(payload.withUnsafeBytes { Hash32(unsafeBytes: $0) })
        default: throw TrieError.malformedNode("child reference of \(payload.count) bytes (must be 0 or 32)")
        }
    }
}
