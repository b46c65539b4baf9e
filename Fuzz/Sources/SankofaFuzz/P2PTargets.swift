import NIOCore
import SankofaCrypto
import SankofaP2P
import SankofaPrimitives

/// Fixed keys and one completed handshake, so frame codecs on both sides share secrets without randomness.
private struct FixedSession {
    let initiatorKey: PrivateKey
    let responderKey: PrivateKey
    let initiator: RLPxInitiator
    let initiatorSecrets: RLPxSecrets
    let responderSecrets: RLPxSecrets

    init() {
        do {
            initiatorKey = try PrivateKey(bytes: [UInt8](repeating: 0x11, count: 32))
            responderKey = try PrivateKey(bytes: [UInt8](repeating: 0x22, count: 32))
            initiator = try RLPxInitiator(staticKey: initiatorKey, remoteKey: responderKey.publicKey,
                                          ephemeralKey: try PrivateKey(bytes: [UInt8](repeating: 0x33, count: 32)),
                                          nonce: [UInt8](repeating: 0x44, count: 32))
            var responder = try makeResponder(responderKey)
            guard try responder.readAuth(initiator.authPacket[...]) != nil else { fuzzFail("fixed auth incomplete") }
            let ack = try responder.makeAck()
            guard let (secrets, _) = try initiator.readAck(ack[...]) else { fuzzFail("fixed ack incomplete") }
            initiatorSecrets = secrets
            responderSecrets = try responder.secrets()
        } catch {
            fuzzFail("fixed RLPx handshake failed: \(error)")
        }
    }
}

private func makeResponder(_ key: PrivateKey) throws(RLPxError) -> RLPxResponder {
    do {
        return try RLPxResponder(staticKey: key, ephemeralKey: try PrivateKey(bytes: [UInt8](repeating: 0x55, count: 32)),
                                 nonce: [UInt8](repeating: 0x66, count: 32))
    } catch let error as RLPxError { throw error } catch { fuzzFail("fixed responder key: \(error)") }
}

private let session = FixedSession()

/// RLPx framing (devp2p rlpx.md "Framing"). Even first byte: the rest is a payload that one side seals and the
/// other must open unchanged, and with one bit flipped (chosen by byte 1) must refuse. Odd: the rest is raw
/// wire bytes for the receiving codec, which must never trap.
let rlpxFrameTarget = FuzzTarget(name: "rlpx-frame", summary: "RLPxFrameCodec seal/open round trip + raw frame decode",
                                 prepare: { _ = session }) { bytes in
    guard let mode = bytes.first else { return }
    do {
        let sender = try RLPxFrameCodec(secrets: session.initiatorSecrets)
        let receiver = try RLPxFrameCodec(secrets: session.responderSecrets, maxFrameSize: 1 << 16)
        var buffer = ByteBuffer()
        if mode & 1 == 0 {
            let payload = Array(bytes.dropFirst(2))
            var wire = try sender.encodeFrame(payload)
            let flip = mode & 2 != 0 && bytes.count > 1
            if flip { wire[Int(bytes[1]) % wire.count] ^= 0x01 << (mode >> 5) }
            buffer.writeBytes(wire)
            let frame = try? receiver.readFrame(from: &buffer)
            if flip {
                if frame != nil { fuzzFail("a frame with a flipped bit was accepted") }
            } else if frame.flatMap({ $0 }).map({ Array($0.readableBytesView) }) != payload {
                fuzzFail("frame round trip changed the payload")
            }
        } else {
            buffer.writeBytes(bytes.dropFirst())
            while let _ = try receiver.readFrame(from: &buffer) {}
        }
    } catch {
        return
    }
}

/// Handshake messages: byte 0 picks auth or ack, sealed (ECIES) or plaintext, EIP-8 or legacy.
let rlpxHandshakeTarget = FuzzTarget(name: "rlpx-handshake", summary: "RLPx auth/ack packets and plaintexts",
                                     prepare: { _ = session }) { bytes in
    guard let mode = bytes.first else { return }
    let rest = Array(bytes.dropFirst())
    switch mode % 6 {
    case 0:
        guard var responder = try? makeResponder(session.responderKey) else { return }
        if (try? responder.readAuth(rest[...])) != nil { _ = try? responder.makeAck() }
    case 1: _ = try? session.initiator.readAck(rest[...])
    case 2: _ = try? AuthMessage(eip8: rest)
    case 3: _ = try? AuthMessage(legacy: rest)
    case 4: _ = try? AckMessage(eip8: rest)
    default: _ = try? AckMessage(legacy: rest)
    }
}

private let ethCodes: [UInt64] = [0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0f, 0x10]

/// eth/68 message bodies (devp2p caps/eth.md): byte 0 picks the message code, the rest is its RLP body.
/// A decoded message re-encodes to the same bytes and decodes to the same value.
let ethMessageTarget = FuzzTarget(name: "eth", summary: "EthMessage.decode(code:data:) + re-encode round trip") { bytes in
    guard let selector = bytes.first else { return }
    let code = selector < 0xf0 ? ethCodes[Int(selector) % ethCodes.count] : UInt64(selector)
    checkRoundTrip("eth", code: code, data: Array(bytes.dropFirst()),
                   decode: { try EthMessage.decode(code: $0, data: $1) }, encode: \.encoded)
}

/// A message decoded from its code and body must re-encode to the same body and decode again to the same value.
func checkRoundTrip<Message: Equatable>(_ name: String, code: UInt64, data: [UInt8],
                                        decode: (UInt64, [UInt8]) throws -> Message, encode: (Message) -> [UInt8]) {
    guard let message = try? decode(code, data) else { return }
    let encoded = encode(message)
    if encoded != data { fuzzFail("\(name) message \(code) re-encodes differently") }
    guard let again = try? decode(code, encoded) else { fuzzFail("re-encoded \(name) message does not decode") }
    if again != message { fuzzFail("\(name) message \(code) round trip changed the value") }
}

private let lightCodes = LightMessage.sharedEthCodes.map(\.rawValue).sorted() + LightMessageCode.allCases.map(\.rawValue)

/// sfl/1 messages between light clients and their servers (eth/68's Status, announcements, headers, bodies and
/// receipts plus proofs, transaction locations and relayed transactions): byte 0 picks the code, the rest is the
/// body. A decoded message re-encodes to the same bytes and decodes to the same value.
let lightMessageTarget = FuzzTarget(name: "light", summary: "LightMessage.decode(code:data:) + re-encode round trip",
                                    prepare: { _ = lightCodes }) { bytes in
    guard let selector = bytes.first else { return }
    let code = selector < 0xf0 ? lightCodes[Int(selector) % lightCodes.count] : UInt64(selector)
    checkRoundTrip("sfl", code: code, data: Array(bytes.dropFirst()),
                   decode: { try LightMessage.decode(code: $0, data: $1) }, encode: \.encoded)
}
