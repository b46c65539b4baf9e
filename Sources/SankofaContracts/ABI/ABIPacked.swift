import SankofaPrimitives

/// Solidity's non-standard packed mode (`abi.encodePacked`), as ethers' `solidityPacked` implements it:
/// scalars take their natural width (`uint16` two bytes, `address` 20, `bool` 1, `bytesN` N), `bytes` and
/// `string` are copied raw, and array elements are each padded to a full 32-byte word. Tuples are refused
/// (Solidity has no packed encoding for structs). Used for hashing (`keccak256(abi.encodePacked(...))` ids and
/// commitments), never for calldata: it is ambiguous and cannot be decoded.
enum ABIPacked {
    static func encode(_ values: [ABIValue], as types: [ABIType]) throws(ABIError) -> [UInt8] {
        try ABIType.validate(types)
        guard values.count == types.count else {
            throw .valueMismatch(expected: "\(types.count) values", got: "\(values.count)")
        }
        var out: [UInt8] = []
        for (value, type) in zip(values, types) {
            try rejectTuples(type)
            _ = try ABIEncoder.encodedSize(value, type)  // the same shape and range checks as the standard mode
            append(value, type, inArray: false, to: &out)
        }
        return out
    }

    private static func rejectTuples(_ type: ABIType) throws(ABIError) {
        switch type {
        case .tuple: throw .invalidType("\(type.canonicalName) (tuples have no packed encoding)")
        case .array(let element), .fixedArray(let element, _): try rejectTuples(element)
        default: break
        }
    }

    /// Appends one validated value; inside arrays every scalar is a full word.
    private static func append(_ value: ABIValue, _ type: ABIType, inArray: Bool, to out: inout [UInt8]) {
        switch (type, value) {
        case (.uint(let bits), .uint(let v)), (.int(let bits), .int(let v)):
            out.append(contentsOf: v.bigEndianBytes.suffix(inArray ? 32 : bits / 8))
        case (_, .address(let a)):
            if inArray { out.append(contentsOf: repeatElement(0, count: 12)) }
            out.append(contentsOf: a.bytes)
        case (_, .bool(let b)):
            if inArray { out.append(contentsOf: repeatElement(0, count: 31)) }
            out.append(b ? 1 : 0)
        case (_, .fixedBytes(let v)):
            out.append(contentsOf: v)
            if inArray { out.append(contentsOf: repeatElement(0, count: 32 - v.count)) }
        case (_, .bytes(let v)):
            out.append(contentsOf: v)
        case (_, .string(let s)):
            out.append(contentsOf: s.utf8)
        case (.array(let element), .array(let elements)), (.fixedArray(let element, _), .array(let elements)):
            for e in elements { append(e, element, inArray: true, to: &out) }
        default:
            assertionFailure("packed value not validated against its type")
        }
    }
}
