import NIOCore
import SankofaCrypto
import SankofaP2P

/// RLPx transport costs: a 16 KiB frame written and read back (AES-256-CTR both ways plus the Keccak MACs),
/// against the raw AES-256-CTR pass over the same bytes, and a complete in-memory EIP-8 handshake.
enum P2PCases {
    static func all() -> [BenchmarkCase] {
        let payload = [UInt8](repeating: 0x5a, count: 16 * 1024)
        let (writer, reader) = try! codecPair()
        let stream = try! AESCTR(key: [UInt8](repeating: 7, count: 32))
        var scratch = payload
        let a = try! PrivateKey.generate()
        let b = try! PrivateKey.generate()

        return [
            BenchmarkCase(name: "aes256ctr/16KiB", bytesPerOp: payload.count, baseline: nil) { n in
                scratch.withUnsafeMutableBytes { buffer in for _ in 0..<n { stream.apply(buffer) } }
                blackHole(scratch[0])
            },
            BenchmarkCase(name: "p2p/frame-encode-decode-16KiB", bytesPerOp: payload.count, baseline: "aes256ctr/16KiB") { n in
                var wire = ByteBuffer()
                wire.reserveCapacity(RLPxFrameCodec.wireSize(ofFrame: payload.count))
                payload.withUnsafeBytes { raw in
                    for _ in 0..<n {
                        wire.clear()
                        try! writer.writeFrame(raw, to: &wire)
                        blackHole(try! reader.readFrame(from: &wire)?.readableBytes)
                    }
                }
            },
            BenchmarkCase(name: "p2p/handshake", bytesPerOp: 0, baseline: nil) { n in
                for _ in 0..<n { blackHole(try! handshake(a, b)) }
            },
        ]
    }

    /// One EIP-8 handshake, both sides, through to frame codecs.
    static func handshake(_ a: PrivateKey, _ b: PrivateKey) throws -> (RLPxFrameCodec, RLPxFrameCodec) {
        let initiator = try RLPxInitiator(staticKey: a, remoteKey: b.publicKey)
        var responder = try RLPxResponder(staticKey: b)
        _ = try responder.readAuth(initiator.authPacket[...])
        let ack = try responder.makeAck()
        guard let (secrets, _) = try initiator.readAck(ack[...]) else { throw RLPxError.outOfOrder("incomplete ack") }
        return (try RLPxFrameCodec(secrets: secrets), try RLPxFrameCodec(secrets: try responder.secrets()))
    }

    static func codecPair() throws -> (RLPxFrameCodec, RLPxFrameCodec) {
        try handshake(try PrivateKey.generate(), try PrivateKey.generate())
    }
}
