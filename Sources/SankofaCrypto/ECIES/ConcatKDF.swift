/// The NIST SP 800-56A concatenation key derivation function with SHA-256 and an empty `OtherInfo`, as devp2p
/// ECIES uses it (rlpx.md: `kE || kM = KDF(S, 32)`): blocks `SHA256(counter₃₂ ‖ Z)` for counter = 1, 2, …
enum ConcatKDF {
    /// `length` bytes of key material derived from the shared secret `z`.
    static func derive(_ z: [UInt8], length: Int) throws(CipherError) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(length + SHA256.byteCount)
        var counter: UInt32 = 1
        while out.count < length {
            let counterBytes: [UInt8] = [UInt8(truncatingIfNeeded: counter >> 24), UInt8(truncatingIfNeeded: counter >> 16),
                                         UInt8(truncatingIfNeeded: counter >> 8), UInt8(truncatingIfNeeded: counter)]
            out.append(contentsOf: try SHA256.hash(counterBytes, z))
            counter &+= 1
        }
        return Array(out[0..<length])
    }
}
