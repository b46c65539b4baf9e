extension JSONWriter {
    /// Human-readable text of `value`: two-space indentation, one member or element per line, `"key": value`,
    /// and empty containers as `[]` / `{}` (the layout of `solc`'s ABI output and Besu's genesis examples). For
    /// files people read and diff: generated ABIs, genesis files, CLI output. Strings escape as in `write`.
    public static func pretty(_ value: JSON) -> String {
        var sink = Sink(capacity: 4096)
        emitPretty(value, indent: 0, into: &sink)
        return sink.withBytes { String(decoding: $0, as: UTF8.self) }
    }

    static func emitPretty(_ value: JSON, indent: Int, into sink: inout Sink) {
        switch value {
        case .array(let elements) where !elements.isEmpty:
            sink.append(JSONByte.openBracket)
            for i in elements.indices {
                if i != 0 { sink.append(JSONByte.comma) }
                newline(indent: indent + 2, into: &sink)
                emitPretty(elements[i], indent: indent + 2, into: &sink)
            }
            newline(indent: indent, into: &sink)
            sink.append(JSONByte.closeBracket)
        case .object(let object) where !object.isEmpty:
            sink.append(JSONByte.openBrace)
            let members = object.members
            for i in members.indices {
                if i != 0 { sink.append(JSONByte.comma) }
                newline(indent: indent + 2, into: &sink)
                emitString(members[i].key, into: &sink)
                sink.append(JSONByte.colon)
                sink.append(UInt8(ascii: " "))
                emitPretty(members[i].value, indent: indent + 2, into: &sink)
            }
            newline(indent: indent, into: &sink)
            sink.append(JSONByte.closeBrace)
        default:
            emit(value, into: &sink)
        }
    }

    private static func newline(indent: Int, into sink: inout Sink) {
        sink.append(UInt8(ascii: "\n"))
        for _ in 0..<indent { sink.append(UInt8(ascii: " ")) }
    }
}
