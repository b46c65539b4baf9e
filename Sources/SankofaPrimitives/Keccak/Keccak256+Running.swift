extension Keccak256 {
    /// The digest of everything absorbed so far, leaving this hasher untouched so it can keep absorbing: a
    /// running hash, as the devp2p RLPx frame MACs need (rlpx.md, "MAC": the egress/ingress MAC states are
    /// updated for the whole connection and their digest is read after every update).
    ///
    /// Works on a copy of the 200-byte state; the one-shot path is unaffected.
    ///
    /// - Precondition: `output.count >= 32`.
    public func peekDigest(into output: UnsafeMutableRawBufferPointer) {
        let snapshot = self
        snapshot.finalize(into: output)
    }

    /// The running digest as a new 32-byte array (see `peekDigest(into:)`).
    public func peekDigest() -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: Self.byteCount) { buffer, count in
            peekDigest(into: UnsafeMutableRawBufferPointer(buffer))
            count = Self.byteCount
        }
    }
}
