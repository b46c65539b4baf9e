import SankofaPrimitives

/// A NodeRegistry zone: the contract's `bytes32 zone`, given on the command line as right-padded ASCII (`eu`) or
/// as 0x-prefixed 32-byte hex.
public struct Zone: Sendable, Hashable, CustomStringConvertible {
    public let bytes: [UInt8]

    /// Parses `eu` or `0x…` (64 hex digits); nil for empty text, more than 32 bytes, or bad hex.
    public init?(_ text: String) {
        if text.hasPrefix("0x") || text.hasPrefix("0X") {
            guard text.utf8.count == 66, let bytes = try? Hex.decode(text), bytes.count == 32 else { return nil }
            self.bytes = bytes
        } else {
            let ascii = Array(text.utf8)
            guard !ascii.isEmpty, ascii.count <= 32, ascii.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else { return nil }
            bytes = ascii + [UInt8](repeating: 0, count: 32 - ascii.count)
        }
    }

    public init?(bytes: [UInt8]) {
        guard bytes.count == 32 else { return nil }
        self.bytes = bytes
    }

    /// A name safe in HAProxy's config and runtime commands: the ASCII label when it is `[A-Za-z0-9_-]`, else hex.
    public var label: String {
        let trimmed = Array(bytes.reversed().drop { $0 == 0 }.reversed())
        let safe = !trimmed.isEmpty && trimmed.allSatisfy {
            ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x2D || $0 == 0x5F
        }
        return safe ? String(decoding: trimmed, as: UTF8.self) : Hex.encode(bytes, prefix: false)
    }

    /// The HAProxy backend name for this zone.
    public var backendName: String { "zone_" + label }

    public var description: String { label }
}
