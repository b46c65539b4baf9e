import SankofaPrimitives

/// The standard ("head/tail") ABI encoding, in two passes so the output is allocated exactly once.
///
/// Pass one walks values and types together, checks that every value fits its type and adds up the size; pass
/// two writes into a zero-filled buffer of that size with index arithmetic only. Zero-filling first means
/// padding, the high bytes of small integers and of addresses, and `false` need no writes at all.
enum ABIEncoder {
    /// `prefix ‖ encode(values as types)`, e.g. a selector followed by the arguments.
    static func encode(_ values: [ABIValue], as types: [ABIType], prefix: [UInt8]) throws(ABIError) -> [UInt8] {
        try ABIType.validate(types)
        guard values.count == types.count else {
            throw .valueMismatch(expected: "\(types.count) values", got: "\(values.count)")
        }
        let body = try tupleSize(values, types)
        var out = [UInt8](repeating: 0, count: prefix.count + body)
        out.withUnsafeMutableBytes { raw in
            raw.copyBytes(from: prefix)
            let writer = Writer(out: raw)
            let end = writer.writeTuple(values, types, at: prefix.count)
            assert(end == raw.count, "ABI size pass and write pass disagree")
        }
        return out
    }

    // MARK: - Pass one: validate and measure

    /// Size of the head and tails of a tuple of values.
    static func tupleSize(_ values: [ABIValue], _ types: [ABIType]) throws(ABIError) -> Int {
        var total = 0
        for (value, type) in zip(values, types) {
            let size = try encodedSize(value, type)
            total += type.isDynamic ? 32 + size : size
        }
        return total
    }

    /// Size of the elements of an array (a tuple whose fields all have type `element`).
    static func sequenceSize(_ values: [ABIValue], _ element: ABIType) throws(ABIError) -> Int {
        let slot = element.isDynamic ? 32 : 0
        var total = 0
        for value in values { total += try slot + encodedSize(value, element) }
        return total
    }

    /// Size of `value`'s own encoding (its tail when dynamic), after checking it fits `type`.
    static func encodedSize(_ value: ABIValue, _ type: ABIType) throws(ABIError) -> Int {
        switch (type, value) {
        case (.uint(let bits), .uint(let v)):
            guard ABIWord.fitsUnsigned(v, bits: bits) else { throw .valueOutOfRange(type: type.canonicalName) }
            return 32
        case (.int(let bits), .int(let v)):
            guard ABIWord.fitsSigned(v, bits: bits) else { throw .valueOutOfRange(type: type.canonicalName) }
            return 32
        case (.address, .address), (.bool, .bool):
            return 32
        case (.fixedBytes(let n), .fixedBytes(let v)):
            guard v.count == n else { throw .valueOutOfRange(type: type.canonicalName) }
            return 32
        case (.bytes, .bytes(let v)):
            return 32 + ABIWord.paddedLength(v.count)
        case (.string, .string(let s)):
            return 32 + ABIWord.paddedLength(s.utf8.count)
        case (.array(let element), .array(let elements)):
            return try 32 + sequenceSize(elements, element)
        case (.fixedArray(let element, let count), .array(let elements)):
            guard elements.count == count else { throw .valueOutOfRange(type: type.canonicalName) }
            return try sequenceSize(elements, element)
        case (.tuple(let components), .tuple(let fields)):
            guard fields.count == components.count else {
                throw .valueMismatch(expected: type.canonicalName, got: value.kindName)
            }
            return try tupleSize(fields, components)
        default:
            throw .valueMismatch(expected: type.canonicalName, got: value.kindName)
        }
    }

    // MARK: - Pass two: write

    /// Writes already-validated values into a zero-filled buffer of exactly the measured size.
    struct Writer {
        let out: UnsafeMutableRawBufferPointer

        /// Writes a tuple whose head starts at `base` (offsets are relative to it); returns the end of its tail.
        func writeTuple(_ values: [ABIValue], _ types: [ABIType], at base: Int) -> Int {
            var head = base
            var tail = base + ABIType.headSize(of: types)
            for (value, type) in zip(values, types) {
                if type.isDynamic {
                    writeInt(tail - base, at: head)
                    tail = write(value, type, at: tail)
                    head += 32
                } else {
                    head = write(value, type, at: head)
                }
            }
            return tail
        }

        /// Writes the elements of an array as a tuple of `element`s starting at `base`.
        func writeSequence(_ values: [ABIValue], _ element: ABIType, at base: Int) -> Int {
            if !element.isDynamic {
                var position = base
                for value in values { position = write(value, element, at: position) }
                return position
            }
            var head = base
            var tail = base + 32 * values.count
            for value in values {
                writeInt(tail - base, at: head)
                tail = write(value, element, at: tail)
                head += 32
            }
            return tail
        }

        /// Writes one value's own encoding at `position`; returns where it ends.
        func write(_ value: ABIValue, _ type: ABIType, at position: Int) -> Int {
            switch (type, value) {
            case (_, .uint(let v)), (_, .int(let v)):
                v.writeBigEndian(into: UnsafeMutableRawBufferPointer(rebasing: out[position..<position + 32]))
                return position + 32
            case (_, .address(let a)):
                a.withUnsafeBytes { bytes in
                    UnsafeMutableRawBufferPointer(rebasing: out[position + 12..<position + 32]).copyMemory(from: bytes)
                }
                return position + 32
            case (_, .bool(let b)):
                if b { out[position + 31] = 1 }
                return position + 32
            case (_, .fixedBytes(let v)):
                copy(v, to: position)
                return position + 32
            case (_, .bytes(let v)):
                writeInt(v.count, at: position)
                copy(v, to: position + 32)
                return position + 32 + ABIWord.paddedLength(v.count)
            case (_, .string(let s)):
                var text = s
                let count = text.withUTF8 { utf8 in
                    UnsafeMutableRawBufferPointer(rebasing: out[position + 32..<position + 32 + utf8.count])
                        .copyMemory(from: UnsafeRawBufferPointer(utf8))
                    return utf8.count
                }
                writeInt(count, at: position)
                return position + 32 + ABIWord.paddedLength(count)
            case (.array(let element), .array(let elements)):
                writeInt(elements.count, at: position)
                return writeSequence(elements, element, at: position + 32)
            case (.fixedArray(let element, _), .array(let elements)):
                return writeSequence(elements, element, at: position)
            case (.tuple(let components), .tuple(let fields)):
                return writeTuple(fields, components, at: position)
            default:
                assertionFailure("ABI value not validated against its type")
                return position
            }
        }

        /// A non-negative length or offset as a big-endian word (its high 24 bytes are already zero).
        @inline(__always)
        func writeInt(_ value: Int, at position: Int) {
            out.storeBytes(of: UInt64(value).bigEndian, toByteOffset: position + 24, as: UInt64.self)
        }

        @inline(__always)
        func copy(_ bytes: [UInt8], to position: Int) {
            bytes.withUnsafeBytes { source in
                UnsafeMutableRawBufferPointer(rebasing: out[position..<position + source.count]).copyMemory(from: source)
            }
        }
    }
}

/// Word-level helpers shared by encoder and decoder.
enum ABIWord {
    /// `count` rounded up to a multiple of 32 (the padded size of `bytes`/`string` contents).
    @inline(__always)
    static func paddedLength(_ count: Int) -> Int { (count + 31) & ~31 }

    /// Whether every bit at or above `bits` is zero, i.e. `value` fits a `uint<bits>`.
    @inline(__always)
    static func fitsUnsigned(_ value: UInt256, bits: Int) -> Bool {
        let (l0, l1, l2, l3) = value.limbs
        return limbFits(l0, bits) && limbFits(l1, bits - 64) && limbFits(l2, bits - 128) && limbFits(l3, bits - 192)
    }

    /// Whether a 256-bit two's complement `value` is the sign extension of an `int<bits>`: every bit from
    /// `bits - 1` up equals the sign bit.
    @inline(__always)
    static func fitsSigned(_ value: UInt256, bits: Int) -> Bool {
        let sign = bits - 1
        let (l0, l1, l2, l3) = value.limbs
        let limb = switch sign >> 6 { case 0: l0; case 1: l1; case 2: l2; default: l3 }
        let negative = (limb >> UInt64(sign & 63)) & 1 == 1
        return fitsUnsigned(negative ? ~value : value, bits: sign)
    }

    /// Whether a limb holding bits `[k, k+64)` of a value has nothing at or above `available = bits - k`.
    @inline(__always)
    private static func limbFits(_ limb: UInt64, _ available: Int) -> Bool {
        if available >= 64 { return true }
        if available <= 0 { return limb == 0 }
        return limb >> UInt64(available) == 0
    }
}
