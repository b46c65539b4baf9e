import NIOCore
import SankofaCrypto
import SankofaPrimitives

/// RLPx framing after the handshake (devp2p rlpx.md, "Framing"):
///
///     frame = header-ciphertext(16) ‖ header-mac(16) ‖ frame-ciphertext(padded to 16) ‖ frame-mac(16)
///     header = frame-size (3 bytes, big-endian) ‖ header-data ‖ zero padding to 16
///     header-data = RLP [capability-id, context-id] = c2 80 80 (always zero: multiplexing is by message id)
///
/// Both directions encrypt with AES-256-CTR under `aes-secret` from IV zero, each with its own keystream that
/// runs for the whole connection; MACs are `FrameMAC`. One codec serves one connection.
public final class RLPxFrameCodec {
    /// The largest frame this codec reads: the 3-byte size field tops out just below 16 MiB.
    public static let defaultMaxFrameSize = 16 * 1024 * 1024
    static let headerData: [UInt8] = [0xc2, 0x80, 0x80]

    private let egressCipher: AESCTR
    private let ingressCipher: AESCTR
    private var egressMAC: FrameMAC
    private var ingressMAC: FrameMAC
    /// Frames announcing more than this are refused before their body is awaited.
    public let maxFrameSize: Int
    /// The size announced by a header already read and checked, while its body is still arriving.
    private var pendingFrameSize: Int?

    /// A codec for the session `secrets` describe.
    public init(secrets: RLPxSecrets, maxFrameSize: Int = RLPxFrameCodec.defaultMaxFrameSize) throws(RLPxError) {
        do {
            egressCipher = try AESCTR(key: secrets.aesSecret)
            ingressCipher = try AESCTR(key: secrets.aesSecret)
        } catch {
            throw .cipher(error)
        }
        egressMAC = try FrameMAC(hash: secrets.egressMAC, macSecret: secrets.macSecret)
        ingressMAC = try FrameMAC(hash: secrets.ingressMAC, macSecret: secrets.macSecret)
        self.maxFrameSize = min(maxFrameSize, 0xFF_FFFF)
    }

    /// Bytes a frame of `size` occupies on the wire.
    public static func wireSize(ofFrame size: Int) -> Int { 32 + padded(size) + 16 }

    static func padded(_ size: Int) -> Int { (size + 15) & ~15 }

    // MARK: Writing

    /// Appends one encrypted, MACed frame carrying `payload` to `buffer`.
    public func writeFrame(_ payload: UnsafeRawBufferPointer, to buffer: inout ByteBuffer) throws(RLPxError) {
        let size = payload.count
        guard size <= 0xFF_FFFF else { throw .frameTooLarge(size: size, limit: 0xFF_FFFF) }
        let bodySize = Self.padded(size)
        let total = 32 + bodySize + 16
        buffer.reserveCapacity(minimumWritableBytes: total)
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: total) { out in
            guard let base = out.baseAddress else { return 0 }
            // Header: size, header-data, zero padding; encrypted, then MACed.
            base.initializeMemory(as: UInt8.self, repeating: 0, count: 16)
            base.storeBytes(of: UInt8(truncatingIfNeeded: size >> 16), toByteOffset: 0, as: UInt8.self)
            base.storeBytes(of: UInt8(truncatingIfNeeded: size >> 8), toByteOffset: 1, as: UInt8.self)
            base.storeBytes(of: UInt8(truncatingIfNeeded: size), toByteOffset: 2, as: UInt8.self)
            base.storeBytes(of: 0xc2, toByteOffset: 3, as: UInt8.self)
            base.storeBytes(of: 0x80, toByteOffset: 4, as: UInt8.self)
            base.storeBytes(of: 0x80, toByteOffset: 5, as: UInt8.self)
            egressCipher.apply(UnsafeMutableRawBufferPointer(start: base, count: 16))
            egressMAC.headerMAC(UnsafeRawPointer(base), into: base + 16)
            // Body: payload, zero padding; encrypted, then MACed.
            let body = base + 32
            if let source = payload.baseAddress, size > 0 { body.copyMemory(from: source, byteCount: size) }
            (body + size).initializeMemory(as: UInt8.self, repeating: 0, count: bodySize - size)
            egressCipher.apply(UnsafeMutableRawBufferPointer(start: body, count: bodySize))
            egressMAC.frameMAC(UnsafeRawBufferPointer(start: body, count: bodySize), into: body + bodySize)
            return total
        }
    }

    /// Appends one frame carrying `payload` to `buffer`.
    public func writeFrame(_ payload: some Collection<UInt8>, to buffer: inout ByteBuffer) throws(RLPxError) {
        let bytes = Array(payload)
        var outcome: Result<Void, RLPxError> = .success(())
        bytes.withUnsafeBytes { raw in outcome = Result { () throws(RLPxError) in try writeFrame(raw, to: &buffer) } }
        try outcome.get()
    }

    /// One frame carrying `payload`, as bytes.
    public func encodeFrame(_ payload: some Collection<UInt8>) throws(RLPxError) -> [UInt8] {
        var buffer = ByteBuffer()
        try writeFrame(payload, to: &buffer)
        return Array(buffer.readableBytesView)
    }

    // MARK: Reading

    /// Reads one frame from the front of `buffer` and returns its payload, or nil (consuming nothing more) if
    /// the frame has not fully arrived. A header is checked, and its size against `maxFrameSize`, as soon as its
    /// 32 bytes are in, so an oversized or forged frame is refused without waiting for its body.
    public func readFrame(from buffer: inout ByteBuffer) throws(RLPxError) -> ByteBuffer? {
        let size: Int
        if let pending = pendingFrameSize {
            size = pending
        } else {
            guard buffer.readableBytes >= 32 else { return nil }
            let header = buffer.withUnsafeMutableReadableBytes { raw in
                Result { () throws(RLPxError) -> Int in try readHeader(raw) }
            }
            size = try header.get()
            buffer.moveReaderIndex(forwardBy: 32)
            pendingFrameSize = size
        }
        let bodySize = Self.padded(size)
        guard buffer.readableBytes >= bodySize + 16 else { return nil }
        let macMatches = buffer.withUnsafeMutableReadableBytes { raw -> Bool in
            guard let base = raw.baseAddress else { return false }
            let body = UnsafeMutableRawBufferPointer(start: base, count: bodySize)
            let matches = withUnsafeTemporaryAllocation(byteCount: 16, alignment: 8) { expected -> Bool in
                guard let mac = expected.baseAddress else { return false }
                ingressMAC.frameMAC(UnsafeRawBufferPointer(body), into: mac)
                return SHA256.constantTimeEqual(UnsafeRawBufferPointer(expected),
                                                UnsafeRawBufferPointer(start: base + bodySize, count: 16))
            }
            if matches { ingressCipher.apply(body) }
            return matches
        }
        guard macMatches else { throw .frameMACMismatch }
        pendingFrameSize = nil
        let payload = buffer.getSlice(at: buffer.readerIndex, length: size) ?? ByteBuffer()
        buffer.moveReaderIndex(forwardBy: bodySize + 16)
        return payload
    }

    /// Checks the header MAC of the 32 bytes at the front of `raw`, decrypts the header and returns the frame size.
    private func readHeader(_ raw: UnsafeMutableRawBufferPointer) throws(RLPxError) -> Int {
        guard let base = raw.baseAddress, raw.count >= 32 else { return 0 }
        let matches = withUnsafeTemporaryAllocation(byteCount: 16, alignment: 8) { expected -> Bool in
            guard let mac = expected.baseAddress else { return false }
            ingressMAC.headerMAC(UnsafeRawPointer(base), into: mac)
            return SHA256.constantTimeEqual(UnsafeRawBufferPointer(expected),
                                            UnsafeRawBufferPointer(start: base + 16, count: 16))
        }
        guard matches else { throw .headerMACMismatch }
        ingressCipher.apply(UnsafeMutableRawBufferPointer(start: base, count: 16))
        let size = Int(raw[0]) << 16 | Int(raw[1]) << 8 | Int(raw[2])
        // header-data (capability-id, context-id) is ignored, as every deployed client does.
        guard size <= maxFrameSize else { throw .frameTooLarge(size: size, limit: maxFrameSize) }
        return size
    }
}
