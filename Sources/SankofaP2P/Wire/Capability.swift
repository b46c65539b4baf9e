import SankofaPrimitives

/// A sub-protocol name and version as advertised in Hello (devp2p rlpx.md, "Hello (0x00)": `capabilities`
/// is a list of `[cap-name, cap-version]`), e.g. `eth/68`.
public struct Capability: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Short ASCII name, e.g. `eth`, `snap`, `istanbul`.
    public var name: String
    public var version: UInt64

    /// Longest name accepted from a peer. The spec suggests 3 to 8 characters; we allow some slack.
    public static let maxNameLength = 32

    public init(name: String, version: UInt64) {
        self.name = name
        self.version = version
    }

    public var description: String { "\(name)/\(version)" }

    /// Orders by name (bytewise), then version: the order message ids are assigned in.
    public static func < (lhs: Capability, rhs: Capability) -> Bool {
        if lhs.name != rhs.name { return Array(lhs.name.utf8).lexicographicallyPrecedes(Array(rhs.name.utf8)) }
        return lhs.version < rhs.version
    }

    func encode(to writer: inout RLPWriter) {
        writer.writeList { w in
            w.write(bytes: Array(name.utf8))
            w.write(version)
        }
    }

    /// Reads `[name, version, …]`; extra elements are ignored for forward compatibility.
    init(from reader: inout RLPReader) throws(WireError) {
        do {
            var list = try reader.readList()
            let nameBytes = try list.readBytes()
            guard nameBytes.count <= Self.maxNameLength, nameBytes.allSatisfy({ $0 >= 0x21 && $0 < 0x7f }) else {
                throw WireError.invalidHello("capability name is not short printable ASCII")
            }
            name = String(decoding: nameBytes, as: UTF8.self)
            version = try list.readUInt64()
        } catch let error as RLPError {
            throw .malformed(message: "Hello capability", error)
        } catch let error as WireError {
            throw error
        } catch {
            throw .invalidHello("capability")
        }
    }
}
