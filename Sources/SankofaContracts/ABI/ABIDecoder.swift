import SankofaPrimitives

/// Strict decoding of the standard ABI encoding over one contiguous buffer.
///
/// Calldata comes from anyone, so every offset and length is checked against the buffer with arithmetic that
/// cannot overflow, an array's claimed length is checked against the bytes left before anything is allocated
/// for it, and words must be canonical (no dirty high bits or padding), as Solidity's own decoder requires.
/// Recursion follows the type, whose depth `ABIType.validate` has capped, never the data.
///
/// Offsets may point anywhere in the data, backwards included, and bytes after what the types need are ignored,
/// as in Solidity. But offsets that share data (two strings, or a thousand array elements, pointing at the same
/// tail) would let a few kilobytes decode into gigabytes, a "decoding bomb" that gas stops in the EVM and
/// nothing stops here. So the decoder keeps a budget: every word it reads and every content byte it copies is
/// charged, and the total may not exceed the size of the data. A canonical encoding reads each byte at most
/// once and always fits; anything over budget must re-read bytes, and is refused with `overlappingData`.
struct ABIDecoder {
    let data: UnsafeRawBufferPointer
    var count: Int { data.count }
    /// Bytes that may still be decoded (see above); starts at `count`.
    var budget: Int

    init(data: UnsafeRawBufferPointer) {
        self.data = data
        self.budget = data.count
    }

    /// Accounts for `bytes` more of decoded output (`bytes` is at most `count`, so this cannot overflow).
    @inline(__always)
    mutating func charge(_ bytes: Int) throws(ABIError) {
        budget -= bytes
        guard budget >= 0 else { throw .overlappingData(decodedAtLeast: count - budget, available: count) }
    }

    /// Decodes a whole argument list, accepting any contiguous or non-contiguous byte collection.
    static func decode(_ bytes: some Collection<UInt8>, as types: [ABIType]) throws(ABIError) -> [ABIValue] {
        try ABIType.validate(types)
        let contiguous = bytes.withContiguousStorageIfAvailable { buffer in
            Result { () throws(ABIError) in
                var decoder = ABIDecoder(data: UnsafeRawBufferPointer(buffer))
                return try decoder.decodeTuple(types, base: 0)
            }
        }
        if let contiguous { return try contiguous.get() }
        return try Array(bytes).withUnsafeBytes { raw in
            Result { () throws(ABIError) in
                var decoder = ABIDecoder(data: raw)
                return try decoder.decodeTuple(types, base: 0)
            }
        }.get()
    }

    // MARK: - Containers

    /// A tuple whose head starts at `base` (`base <= count`); its dynamic fields' offsets are relative to `base`.
    mutating func decodeTuple(_ types: [ABIType], base: Int) throws(ABIError) -> [ABIValue] {
        var values: [ABIValue] = []
        values.reserveCapacity(types.count)
        var head = base
        for type in types {
            // Each field's head is checked before it is read; `head <= count` holds throughout.
            let dynamic = type.isDynamic
            let size = dynamic ? 32 : type.headSize
            guard size <= count - head else {
                throw .dataTooShort(needed: ABIType.headSize(of: types), available: count - base)
            }
            try charge(size)
            values.append(try dynamic ? decodeIndirect(type, slot: head, base: base) : decodeStatic(type, at: head))
            head += size
        }
        return values
    }

    /// `count` elements of type `element` laid out as a tuple at `base`. `isLength` says whether `count` came from
    /// the data (a `T[]` length word) or from the type (`T[k]`), which changes only the error reported.
    mutating func decodeSequence(_ element: ABIType, count elementCount: Int, base: Int, isLength: Bool) throws(ABIError) -> [ABIValue] {
        let available = count - base
        let dynamic = element.isDynamic
        let slot = dynamic ? 32 : element.headSize  // >= 32 for every validated type
        guard elementCount <= available / slot else {
            if isLength { throw .lengthTooLarge(elementCount) }
            let (needed, overflow) = elementCount.multipliedReportingOverflow(by: slot)
            throw .dataTooShort(needed: overflow ? Int.max : needed, available: available)
        }
        try charge(elementCount * slot)
        var values: [ABIValue] = []
        values.reserveCapacity(elementCount)
        var head = base
        for _ in 0..<elementCount {
            values.append(try dynamic ? decodeIndirect(element, slot: head, base: base) : decodeStatic(element, at: head))
            head += slot
        }
        return values
    }

    /// A dynamic value whose offset (relative to `base`) is the word at `slot`.
    mutating func decodeIndirect(_ type: ABIType, slot: Int, base: Int) throws(ABIError) -> ABIValue {
        let offset = try readInt(at: slot) { .offsetOutOfBounds($0) }
        guard offset <= count - base else { throw .offsetOutOfBounds(offset) }
        return try decodeDynamic(type, at: base + offset)
    }

    /// A dynamic value's own encoding at `position` (`position <= count`).
    mutating func decodeDynamic(_ type: ABIType, at position: Int) throws(ABIError) -> ABIValue {
        switch type {
        case .bytes:
            return .bytes(Array(try byteString(at: position)))
        case .string:
            let utf8 = try byteString(at: position)
            guard UTF8Validation.isValid(utf8) else { throw .invalidUTF8 }
            return .string(String(decoding: utf8, as: UTF8.self))
        case .array(let element):
            let length = try readLengthWord(at: position)
            return .array(try decodeSequence(element, count: length, base: position + 32, isLength: true))
        case .fixedArray(let element, let k):
            return .array(try decodeSequence(element, count: k, base: position, isLength: false))
        case .tuple(let components):
            return .tuple(try decodeTuple(components, base: position))
        case .uint, .int, .address, .bool, .fixedBytes:
            // Not reachable for validated types (they are never dynamic); kept total and bounds-checked.
            guard count - position >= 32 else { throw .dataTooShort(needed: 32, available: count - position) }
            try charge(32)
            return try decodeStatic(type, at: position)
        }
    }

    /// The length word of an array or byte string at `position`, after checking the word lies inside the data.
    mutating func readLengthWord(at position: Int) throws(ABIError) -> Int {
        let available = count - position
        guard available >= 32 else { throw .dataTooShort(needed: 32, available: available) }
        try charge(32)
        return try readInt(at: position) { .lengthTooLarge($0) }
    }

    /// The contents of a length-prefixed byte string (`bytes` or `string`) at `position`, without copying. The
    /// padding after the contents is neither required to be present nor checked, as in Solidity's decoder.
    mutating func byteString(at position: Int) throws(ABIError) -> UnsafeRawBufferPointer {
        let length = try readLengthWord(at: position)
        let start = position + 32
        guard length <= count - start else { throw .lengthTooLarge(length) }
        try charge(length)
        return UnsafeRawBufferPointer(rebasing: data[start..<start + length])
    }

    // MARK: - Static values (callers guarantee the whole static encoding lies inside the data)

    /// A static value at `position` (already charged as part of its container's head), checking that unused bits are zero (or the sign, for `intN`).
    func decodeStatic(_ type: ABIType, at position: Int) throws(ABIError) -> ABIValue {
        switch type {
        case .uint(let bits):
            let word = readWord(at: position)
            guard ABIWord.fitsUnsigned(word, bits: bits) else { throw .dirtyBits(type: type.canonicalName) }
            return .uint(word)
        case .int(let bits):
            let word = readWord(at: position)
            guard ABIWord.fitsSigned(word, bits: bits) else { throw .dirtyBits(type: type.canonicalName) }
            return .int(word)
        case .address:
            guard load64(position) == 0, data.loadUnaligned(fromByteOffset: position + 8, as: UInt32.self) == 0 else {
                throw .dirtyBits(type: "address")
            }
            return .address(Address(unsafeBytes: UnsafeRawBufferPointer(rebasing: data[position + 12..<position + 32])))
        case .bool:
            let low = UInt64(bigEndian: load64(position + 24))
            guard load64(position) | load64(position + 8) | load64(position + 16) == 0, low <= 1 else {
                throw .dirtyBits(type: "bool")
            }
            return .bool(low == 1)
        case .fixedBytes(let n):
            for i in position + n..<position + 32 where data[i] != 0 { throw .dirtyBits(type: type.canonicalName) }
            return .fixedBytes(Array(UnsafeRawBufferPointer(rebasing: data[position..<position + n])))
        case .fixedArray(let element, let k):
            let size = element.headSize
            var values: [ABIValue] = []
            values.reserveCapacity(k)
            for i in 0..<k { values.append(try decodeStatic(element, at: position + i * size)) }
            return .array(values)
        case .tuple(let components):
            var values: [ABIValue] = []
            values.reserveCapacity(components.count)
            var head = position
            for component in components {
                values.append(try decodeStatic(component, at: head))
                head += component.headSize
            }
            return .tuple(values)
        case .bytes, .string, .array:
            // Not reachable: dynamic types always go through an offset.
            throw .invalidType("\(type.canonicalName) decoded as a static type")
        }
    }

    // MARK: - Words

    @inline(__always)
    func load64(_ position: Int) -> UInt64 { data.loadUnaligned(fromByteOffset: position, as: UInt64.self) }

    /// The big-endian word at `position` (which the caller has bounds-checked).
    @inline(__always)
    func readWord(at position: Int) -> UInt256 {
        UInt256(limbs: (UInt64(bigEndian: load64(position + 24)), UInt64(bigEndian: load64(position + 16)),
                        UInt64(bigEndian: load64(position + 8)), UInt64(bigEndian: load64(position))))
    }

    /// The word at `position` as an `Int` offset or length; anything above `Int.max` is refused with
    /// `error(Int.max)` (callers then compare the result with the data size).
    @inline(__always)
    func readInt(at position: Int, _ error: (Int) -> ABIError) throws(ABIError) -> Int {
        let high = load64(position) | load64(position + 8) | load64(position + 16)
        let low = UInt64(bigEndian: load64(position + 24))
        guard high == 0, low <= UInt64(Int.max) else { throw error(Int.max) }
        return Int(low)
    }
}
