import SankofaPrimitives

/// How a message sits in an RLPx frame (devp2p rlpx.md, "Framing" and "Message Compression"):
/// `frame-data = RLP(msg-id) ‖ msg-data`, where msg-data is Snappy-compressed once both sides have said
/// Hello with version 5 or later. Hello itself is never compressed.
public struct MessageCodec: Sendable {
    /// The largest message, compressed or not, we accept (devp2p: 16 MiB).
    public static let maxMessageSize = 16 * 1024 * 1024
    /// Whether msg-data is Snappy-compressed; set after the Hello exchange.
    public var compression: Bool

    public init(compression: Bool = false) { self.compression = compression }

    /// The frame payload for message `id` with uncompressed `data`.
    public func encode(id: UInt64, data: [UInt8]) -> [UInt8] {
        var writer = RLPWriter(capacity: 9)
        writer.write(id)
        // Hello (0x00) is never compressed, even on a connection that compresses.
        let body = compression && id != 0 ? Snappy.compress(data) : data
        return writer.bytes + body
    }

    /// The id and uncompressed data of a frame payload.
    public func decode(_ payload: [UInt8]) throws(WireError) -> (id: UInt64, data: [UInt8]) {
        var reader = RLPReader(payload)
        let id: UInt64
        do { id = try reader.readUInt64() } catch { throw .malformed(message: "message id", error) }
        let data = Array(payload[reader.position...])
        guard compression, id != 0 else { return (id, data) }
        do {
            return (id, try Snappy.decompress(data, maxLength: Self.maxMessageSize))
        } catch {
            throw .compression(error)
        }
    }
}
