/// A decoded RLP value of unknown shape: a byte string or a list of items. Used where the schema is not known
/// ahead (tools, tests, debugging); typed code reads fields directly with `RLPReader`.
public indirect enum RLPItem: Equatable, Sendable {
    case bytes([UInt8])
    case list([RLPItem])

    /// Decodes exactly one item that spans all of `input`.
    public static func decode(_ input: [UInt8]) throws(RLPError) -> RLPItem {
        var reader = RLPReader(input)
        let item = try read(from: &reader, depth: 0)
        try reader.finish()
        return item
    }

    /// Nesting beyond this is refused so that hostile input cannot exhaust the stack.
    public static let maximumDepth = 256

    static func read(from reader: inout RLPReader, depth: Int) throws(RLPError) -> RLPItem {
        guard depth < maximumDepth else { throw .tooDeep(limit: maximumDepth) }
        if try reader.peekIsList() {
            var list = try reader.readList()
            var items: [RLPItem] = []
            while !list.isAtEnd { items.append(try read(from: &list, depth: depth + 1)) }
            return .list(items)
        }
        return .bytes(Array(try reader.readBytes()))
    }

    /// The canonical encoding of this item.
    public var encoded: [UInt8] {
        var writer = RLPWriter()
        write(to: &writer)
        return writer.bytes
    }

    func write(to writer: inout RLPWriter) {
        switch self {
        case .bytes(let payload): writer.write(bytes: payload)
        case .list(let items): writer.writeList { w in for item in items { item.write(to: &w) } }
        }
    }
}

/// A type with a fixed RLP encoding.
public protocol RLPEncodable {
    func encode(to writer: inout RLPWriter)
}

/// A type that decodes itself strictly from RLP.
public protocol RLPDecodable {
    init(from reader: inout RLPReader) throws(RLPError)
}

extension RLPEncodable {
    /// This value's canonical RLP encoding.
    public var rlpEncoded: [UInt8] {
        var writer = RLPWriter()
        encode(to: &writer)
        return writer.bytes
    }
}

extension RLPDecodable {
    /// Decodes a value that must span all of `input`.
    public init(rlp input: [UInt8]) throws(RLPError) {
        var reader = RLPReader(input)
        self = try Self(from: &reader)
        try reader.finish()
    }
}
