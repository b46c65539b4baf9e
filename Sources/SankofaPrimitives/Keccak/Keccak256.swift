/// Keccak-256 as used by Ethereum (Yellow Paper "KEC"): Keccak[r=1088, c=512]
/// with the original submission's padding (domain byte `0x01`, final bit
/// `0x80`), rate 136 bytes, 32-byte output. This is *not* FIPS-202 SHA3-256,
/// which pads with `0x06` and gives different digests.
///
/// The state is 25 inline `UInt64` lanes plus a byte offset into the current
/// block; input is XORed straight into the lanes as it arrives, so there is no
/// block buffer and no heap allocation anywhere on the hashing path.
///
///     var h = Keccak256()
///     h.update(header)
///     h.update(payload)
///     h.finalize(into: out)          // 32 bytes
///
///     Keccak256.hash(bytes, into: out)
///     let d = Keccak256.digest(someBytes)  // [UInt8], 32 bytes
public struct Keccak256: Sendable {
    /// Rate in bytes (1600 - 2 * 256 bits).
    static let rate = 136
    /// Output length in bytes.
    static let byteCount = 32

    var state: KeccakState
    /// Number of bytes already absorbed into the current block, `0..<rate`.
    var offset: Int

    /// A hasher with nothing absorbed yet.
    public init() {
        state = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        offset = 0
    }

    /// Absorbs `bytes`; may be called any number of times with pieces of any size.
    /// Whole 136-byte blocks are XORed into the state lane by lane.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard var p = bytes.baseAddress, bytes.count > 0 else { return }
        var n = bytes.count
        if offset != 0 {
            let take = min(Self.rate &- offset, n)
            absorbPartial(p, count: take)
            p += take
            n &-= take
            if offset < Self.rate { return }
            keccakF1600(&state)
            offset = 0
        }
        while n >= Self.rate {
            absorbBlock(p)
            keccakF1600(&state)
            p += Self.rate
            n &-= Self.rate
        }
        if n > 0 { absorbPartial(p, count: n) }
    }

    /// Absorbs `bytes`. Contiguous storage (`[UInt8]`, `ArraySlice`, `Data`, a
    /// native string's `utf8`) takes the buffer path without copying; any other
    /// sequence is absorbed byte by byte.
    public mutating func update(_ bytes: some Sequence<UInt8>) {
        let done: Void? = bytes.withContiguousStorageIfAvailable {
            update(UnsafeRawBufferPointer($0))
        }
        if done == nil {
            for b in bytes { absorbByte(b) }
        }
    }

    /// Applies Keccak pad10*1 with domain byte `0x01`, runs the last permutation
    /// and writes the 32-byte digest to the first 32 bytes of `output` (the rest
    /// is untouched). Consumes the hasher; copy it first to keep a running hash.
    ///
    /// - Precondition: `output.count >= 32`.
    public consuming func finalize(into output: UnsafeMutableRawBufferPointer) {
        guard output.count >= Self.byteCount, let out = output.baseAddress else {
            preconditionFailure("Keccak256.finalize needs a 32-byte output buffer")
        }
        let o = offset
        withLanes { lanes in
            lanes[o &>> 3] ^= 0x01 &<< UInt64((o & 7) &<< 3)
            lanes[16] ^= 0x80 &<< 56
        }
        keccakF1600(&state)
        out.storeBytes(of: state.0.littleEndian, toByteOffset: 0, as: UInt64.self)
        out.storeBytes(of: state.1.littleEndian, toByteOffset: 8, as: UInt64.self)
        out.storeBytes(of: state.2.littleEndian, toByteOffset: 16, as: UInt64.self)
        out.storeBytes(of: state.3.littleEndian, toByteOffset: 24, as: UInt64.self)
    }

    /// One-shot Keccak-256 of `bytes` into the first 32 bytes of `output`; no
    /// heap allocation.
    ///
    /// - Precondition: `output.count >= 32`.
    public static func hash(_ bytes: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) {
        var h = Keccak256()
        h.update(bytes)
        h.finalize(into: output)
    }

    /// One-shot Keccak-256 of `bytes` as a new 32-byte array (the array is the only
    /// allocation). Prefer `hash(_:into:)` on hot paths.
    public static func digest(_ bytes: some Sequence<UInt8>) -> [UInt8] {
        var h = Keccak256()
        h.update(bytes)
        return [UInt8](unsafeUninitializedCapacity: byteCount) { buf, count in
            h.finalize(into: UnsafeMutableRawBufferPointer(buf))
            count = byteCount
        }
    }

    // MARK: - Absorption

    @inline(__always)
    private mutating func withLanes<R>(_ body: (UnsafeMutablePointer<UInt64>) -> R) -> R {
        // A homogeneous tuple's memory is bound to its element type as well.
        withUnsafeMutablePointer(to: &state) {
            body(UnsafeMutableRawPointer($0).assumingMemoryBound(to: UInt64.self))
        }
    }

    /// XORs one full 136-byte block at `p` into the state (offset must be 0).
    @inline(__always)
    private mutating func absorbBlock(_ p: UnsafeRawPointer) {
        @inline(__always) func lane(_ i: Int) -> UInt64 {
            UInt64(littleEndian: p.loadUnaligned(fromByteOffset: i &* 8, as: UInt64.self))
        }
        state.0 ^= lane(0); state.1 ^= lane(1); state.2 ^= lane(2); state.3 ^= lane(3)
        state.4 ^= lane(4); state.5 ^= lane(5); state.6 ^= lane(6); state.7 ^= lane(7)
        state.8 ^= lane(8); state.9 ^= lane(9); state.10 ^= lane(10); state.11 ^= lane(11)
        state.12 ^= lane(12); state.13 ^= lane(13); state.14 ^= lane(14); state.15 ^= lane(15)
        state.16 ^= lane(16)
    }

    /// XORs `count` bytes at `p` into the state at `offset` and advances it.
    /// Requires `offset + count <= rate`.
    @inline(__always)
    private mutating func absorbPartial(_ p: UnsafeRawPointer, count: Int) {
        var o = offset
        let end = o &+ count
        var p = p
        withLanes { lanes in
            // Leading bytes up to a lane boundary.
            while o & 7 != 0 && o < end {
                lanes[o &>> 3] ^= UInt64(p.load(as: UInt8.self)) &<< UInt64((o & 7) &<< 3)
                o &+= 1
                p += 1
            }
            // Whole lanes.
            while end &- o >= 8 {
                lanes[o &>> 3] ^= UInt64(littleEndian: p.loadUnaligned(as: UInt64.self))
                o &+= 8
                p += 8
            }
            // Trailing bytes.
            while o < end {
                lanes[o &>> 3] ^= UInt64(p.load(as: UInt8.self)) &<< UInt64((o & 7) &<< 3)
                o &+= 1
                p += 1
            }
        }
        offset = end
    }

    /// Byte-at-a-time absorption for non-contiguous sequences.
    private mutating func absorbByte(_ b: UInt8) {
        let o = offset
        withLanes { $0[o &>> 3] ^= UInt64(b) &<< UInt64((o & 7) &<< 3) }
        if o &+ 1 == Self.rate {
            keccakF1600(&state)
            offset = 0
        } else {
            offset = o &+ 1
        }
    }
}
