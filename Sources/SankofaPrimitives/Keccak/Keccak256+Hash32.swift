extension Keccak256 {
    /// keccak256 of `bytes` as a `Hash32`, without intermediate allocation for contiguous inputs.
    @inlinable
    public static func hash(_ bytes: UnsafeRawBufferPointer) -> Hash32 {
        var out = Hash32.zero
        out.withUnsafeMutableBytes { hash(bytes, into: $0) }
        return out
    }

    /// keccak256 of a byte array or slice as a `Hash32`.
    @inlinable
    public static func hash<C: Collection<UInt8>>(_ bytes: C) -> Hash32 {
        if let done = bytes.withContiguousStorageIfAvailable({ hash(UnsafeRawBufferPointer($0)) }) { return done }
        return Array(bytes).withUnsafeBytes { hash($0) }
    }

    /// The digest of everything absorbed, as a `Hash32` (consumes the hasher, like `finalize(into:)`).
    @inlinable
    public consuming func finalize() -> Hash32 {
        var out = Hash32.zero
        out.withUnsafeMutableBytes { finalize(into: $0) }
        return out
    }
}
