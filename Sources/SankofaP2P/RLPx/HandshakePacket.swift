import SankofaCrypto

/// The two wire forms of an auth or ack packet.
public enum HandshakeFormat: Sendable, Equatable {
    /// EIP-8: `size ‖ ECIES(body ‖ padding)`, where `size` (2 bytes, big-endian) counts the ECIES message and
    /// is its authenticated shared MAC data.
    case eip8
    /// Pre-EIP-8 (RLPx v4): a fixed-size ECIES message with no prefix.
    case legacy
}

/// Sealing and opening of handshake packets, and finding where one ends in a byte stream
/// (devp2p rlpx.md, "Initial Handshake"; EIP-8 "Changes to the RLPx Transport Protocol").
enum HandshakePacket {
    /// Random padding EIP-8 packets carry so that they are distinguishable from legacy ones (and so that
    /// their length says less); geth also pads with 100–299 bytes.
    static let paddingRange = 100..<300

    /// `size ‖ ECIES(body ‖ padding, sharedMacData: size)`.
    static func sealEIP8(_ body: [UInt8], to recipient: PublicKey) throws(RLPxError) -> [UInt8] {
        let plaintext = body + [UInt8](repeating: 0, count: Int.random(in: paddingRange))
        let size = plaintext.count + ECIES.overhead
        let prefix: [UInt8] = [UInt8(truncatingIfNeeded: size >> 8), UInt8(truncatingIfNeeded: size)]
        do {
            return prefix + (try ECIES.encrypt(plaintext, to: recipient, sharedMacData: prefix))
        } catch {
            throw .ecies(error)
        }
    }

    /// A pre-EIP-8 packet: the ECIES message alone.
    static func sealLegacy(_ plaintext: [UInt8], to recipient: PublicKey) throws(RLPxError) -> [UInt8] {
        do { return try ECIES.encrypt(plaintext, to: recipient) } catch { throw .ecies(error) }
    }

    /// What the stream holds so far.
    enum Scan: Equatable {
        /// More bytes are needed before anything can be decided.
        case needMore
        /// The first `length` bytes are a pre-EIP-8 packet (its ECIES tag checked).
        case legacy(plaintext: [UInt8], length: Int)
        /// The first `length` bytes are an EIP-8 packet (its ECIES tag checked).
        case eip8(plaintext: [UInt8], length: Int)
    }

    /// Looks for a complete packet at the start of `buffer`, which is encrypted to `key`. A pre-EIP-8 packet
    /// (`legacySize` bytes) always starts with the 0x04 tag of its ephemeral key; so does an EIP-8 packet whose
    /// size prefix is 0x04xx, and the ECIES tag tells them apart (as geth does: try legacy first).
    static func scan(_ buffer: ArraySlice<UInt8>, key: PrivateKey, legacySize: Int) throws(RLPxError) -> Scan {
        guard buffer.count >= 2 else { return .needMore }
        let start = buffer.startIndex
        if buffer[start] == 0x04 {
            guard buffer.count >= legacySize else { return .needMore }
            if let plaintext = try? ECIES.decrypt(buffer[start..<(start + legacySize)], with: key) {
                return .legacy(plaintext: plaintext, length: legacySize)
            }
        }
        let size = Int(buffer[start]) << 8 | Int(buffer[start + 1])
        guard size > ECIES.overhead else { throw .handshakePacketTooShort(size: size) }
        guard buffer.count >= 2 + size else { return .needMore }
        do {
            let plaintext = try ECIES.decrypt(buffer[(start + 2)..<(start + 2 + size)], with: key,
                                              sharedMacData: Array(buffer[start..<(start + 2)]))
            return .eip8(plaintext: plaintext, length: 2 + size)
        } catch {
            throw .ecies(error)
        }
    }

    /// Whether `scan` could make progress on a buffer of `count` bytes starting `first, second`: a stream
    /// reader calls it before copying the buffer, so a peer dripping bytes costs neither copies nor ECDH.
    /// `legacyTried` is true once a legacy decryption of this buffer's first `legacySize` bytes has failed.
    static func worthScanning(count: Int, first: UInt8, second: UInt8, legacySize: Int, legacyTried: Bool) -> Bool {
        guard count >= 2 else { return false }
        let size = Int(first) << 8 | Int(second)
        if size <= ECIES.overhead || count >= 2 + size { return true }  // refusable, or complete
        return first == 0x04 && count >= legacySize && !legacyTried
    }
}
