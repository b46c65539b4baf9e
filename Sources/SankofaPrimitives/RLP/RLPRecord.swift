/// A stored record whose RLP encoding is derived from its `Codable` conformance: the list of its stored properties
/// in declaration order, so each record type lists its fields exactly once (its declaration).
///
/// Field encodings match what the hand-written codecs wrote before, so stored data keeps its bytes and state
/// roots do not change: integers (`UInt8`…`UInt64`, `UInt256`) and `Bool` as minimal big-endian integers, `String`
/// and `[UInt8]` as byte strings, `Hash32` and `Address` as fixed-length strings, `UInt8`-backed enums as their raw
/// value, nested records and arrays as nested lists. A corrupt record decodes to an `RLPError` naming the field.
///
/// Decoding reads fields in order and ignores the coding keys: the compiler-synthesised `init(from:)` asks for them
/// in declaration order. A record with a hand-written `init(from:)` must keep that order.
public protocol RLPRecord: Codable, RLPEncodable, RLPDecodable {}

extension RLPRecord {
    public func encode(to writer: inout RLPWriter) {
        let encoder = RLPRecordEncoder(writer: writer)
        // Only the types listed above reach the encoder, and none of them throws while encoding.
        try? encoder.encodeValue(self)
        writer = encoder.writer
    }

    public init(from reader: inout RLPReader) throws(RLPError) {
        let decoder = RLPRecordDecoder(reader: reader)
        do {
            self = try decoder.decodeValue(Self.self)
        } catch let error as RLPError {
            throw error
        } catch let error as DecodingError {
            throw .invalidRecord(RLPRecordDecoder.describe(error))
        } catch {
            throw .invalidRecord("\(error)")
        }
        reader = decoder.reader
    }
}
