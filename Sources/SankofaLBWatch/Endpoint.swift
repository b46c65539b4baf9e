/// A backend address taken from the chain, accepted only as a strict `host:port` because any OPERATOR can write
/// endpoints: a hostname (RFC 1123 labels), an IPv4 literal or a bracketed IPv6 literal, then a port 1–65535.
/// Anything else (newlines, spaces, HAProxy directives, paths, schemes) is refused and never rendered.
public struct Endpoint: Sendable, Hashable, CustomStringConvertible {
    /// The hostname or IP literal (IPv6 keeps its brackets, as HAProxy wants them).
    public let host: String
    /// 1–65535.
    public let port: Int

    /// Why an endpoint was refused, for the log line and the refused-endpoints metric.
    public enum Refusal: Error, Equatable, CustomStringConvertible {
        case notHostPort
        case badHost
        case badPort

        /// The reason, for the log line.
        public var description: String {
            switch self {
            case .notHostPort: "not host:port"
            case .badHost: "host is not a hostname or IP literal"
            case .badPort: "port is not 1-65535"
            }
        }
    }

    /// Parses and checks `text`; throws a `Refusal` naming the first problem.
    public init(validating text: String) throws(Refusal) {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty, bytes.count <= 300 else { throw .notHostPort }
        let hostBytes: ArraySlice<UInt8>
        let portBytes: ArraySlice<UInt8>
        if bytes.first == UInt8(ascii: "[") {
            guard let close = bytes.firstIndex(of: UInt8(ascii: "]")), close + 1 < bytes.count,
                  bytes[close + 1] == UInt8(ascii: ":") else { throw .notHostPort }
            hostBytes = bytes[1..<close]
            portBytes = bytes[(close + 2)...]
            guard Self.isIPv6(hostBytes) else { throw .badHost }
        } else {
            guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")), bytes.lastIndex(of: UInt8(ascii: ":")) == colon else {
                throw .notHostPort
            }
            hostBytes = bytes[..<colon]
            portBytes = bytes[(colon + 1)...]
            guard Self.isIPv4(hostBytes) || Self.isHostname(hostBytes) else { throw .badHost }
        }
        guard (1...5).contains(portBytes.count), portBytes.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
              portBytes.first != UInt8(ascii: "0"),
              let port = Int(String(decoding: portBytes, as: UTF8.self)), (1...65_535).contains(port) else { throw .badPort }
        let hostText = String(decoding: hostBytes, as: UTF8.self)
        self.host = bytes.first == UInt8(ascii: "[") ? "[\(hostText)]" : hostText
        self.port = port
    }

    /// `host:port` as HAProxy's `server` line takes it.
    public var description: String { "\(host):\(port)" }

    static func isIPv4(_ bytes: ArraySlice<UInt8>) -> Bool {
        let parts = bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard parts.count == 4 else { return false }
        return parts.allSatisfy { part in
            (1...3).contains(part.count) && part.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
                && (part.count == 1 || part.first != UInt8(ascii: "0"))
                && (Int(String(decoding: part, as: UTF8.self)) ?? 256) <= 255
        }
    }

    static func isHostname(_ bytes: ArraySlice<UInt8>) -> Bool {
        guard (1...253).contains(bytes.count) else { return false }
        let labels = bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        // All-numeric dotted names are IPv4 attempts (handled above), never hostnames.
        if labels.allSatisfy({ $0.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } }) { return false }
        return labels.allSatisfy { label in
            (1...63).contains(label.count) && label.first != UInt8(ascii: "-") && label.last != UInt8(ascii: "-")
                && label.allSatisfy { c in
                    (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == UInt8(ascii: "-")
                }
        }
    }

    static func isIPv6(_ bytes: ArraySlice<UInt8>) -> Bool {
        guard (2...39).contains(bytes.count) else { return false }
        let hex = bytes.allSatisfy { c in
            (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66) || c == UInt8(ascii: ":")
        }
        guard hex else { return false }
        let groups = bytes.split(separator: UInt8(ascii: ":"), omittingEmptySubsequences: false)
        let compressed = bytes.count >= 2 && String(decoding: bytes, as: UTF8.self).contains("::")
        guard groups.allSatisfy({ $0.count <= 4 }), groups.count <= 8, compressed || groups.count == 8 else { return false }
        return String(decoding: bytes, as: UTF8.self).components(separatedBy: "::").count <= 2
    }
}

extension String {
    /// Splits on a separator string (no Foundation in this target).
    func components(separatedBy separator: String) -> [Substring] {
        var parts: [Substring] = []
        var rest = self[...]
        while let range = rest.firstRange(of: separator) {
            parts.append(rest[..<range.lowerBound])
            rest = rest[range.upperBound...]
        }
        parts.append(rest)
        return parts
    }
}
