import SankofaCrypto
import SankofaPrimitives

/// One direction's running frame MAC (devp2p rlpx.md, "MAC"): a Keccak-256 state that absorbs the whole
/// connection, mixed with AES-256 of its own digest so that each MAC depends on every earlier frame:
///
///     header-mac-seed = aes(mac-secret, digest(mac)[:16]) ^ header-ciphertext
///     mac.update(header-mac-seed);  header-mac = digest(mac)[:16]
///     mac.update(frame-ciphertext)
///     frame-mac-seed  = aes(mac-secret, digest(mac)[:16]) ^ digest(mac)[:16]
///     mac.update(frame-mac-seed);   frame-mac  = digest(mac)[:16]
///
/// "digest" reads the state without ending it (`Keccak256.peekDigest`).
struct FrameMAC {
    private var hash: Keccak256
    private let cipher: AESBlockCipher

    init(hash: Keccak256, macSecret: [UInt8]) throws(RLPxError) {
        self.hash = hash
        do { cipher = try AESBlockCipher(key: macSecret) } catch { throw .cipher(error) }
    }

    /// Absorbs a header ciphertext (16 bytes at `header`) and writes the header MAC (16 bytes) to `mac`.
    mutating func headerMAC(_ header: UnsafeRawPointer, into mac: UnsafeMutableRawPointer) {
        mix(seed: header, into: mac)
    }

    /// Absorbs a frame body ciphertext and writes the frame MAC (16 bytes) to `mac`.
    mutating func frameMAC(_ body: UnsafeRawBufferPointer, into mac: UnsafeMutableRawPointer) {
        hash.update(body)
        withUnsafeTemporaryAllocation(byteCount: 32, alignment: 8) { digest in
            hash.peekDigest(into: digest)
            guard let seed = digest.baseAddress else { return }
            mix(seed: UnsafeRawPointer(seed), into: mac)
        }
    }

    /// `update(aes(digest[:16]) ^ seed)`, then the first 16 digest bytes to `mac`.
    private mutating func mix(seed: UnsafeRawPointer, into mac: UnsafeMutableRawPointer) {
        withUnsafeTemporaryAllocation(byteCount: 32, alignment: 8) { scratch in
            guard let base = scratch.baseAddress else { return }
            hash.peekDigest(into: scratch)
            cipher.encryptBlock(UnsafeRawPointer(base), into: base)
            let block = base.assumingMemoryBound(to: UInt64.self)
            block[0] ^= seed.loadUnaligned(as: UInt64.self)
            block[1] ^= seed.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
            hash.update(UnsafeRawBufferPointer(start: base, count: 16))
            hash.peekDigest(into: scratch)
            mac.copyMemory(from: base, byteCount: 16)
        }
    }
}
