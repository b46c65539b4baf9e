import NIOCore
import SankofaCrypto
import SankofaPrimitives
import SankofaTestSupport
import Testing
@testable import SankofaP2P

/// The pre-EIP-8 handshake and first frames of fjl's gist (rlpx/legacy-handshake-and-framing-fjl-gist.json).
@Suite("RLPx legacy handshake and framing vectors", .enabled(if: VectorFiles.available))
struct LegacyHandshakeVectorTests {
    struct Gist {
        let values: [String: Any]
        init() throws {
            values = try #require(try VectorFiles.json("rlpx/legacy-handshake-and-framing-fjl-gist.json") as? [String: Any])
        }
        func bytes(_ name: String) throws -> [UInt8] { fixtureBytes(try #require(values[name] as? String)) }
        func key(_ name: String) throws -> PrivateKey { try PrivateKey(bytes: try bytes(name)) }
        func derived(_ frame: String, _ field: String) throws -> [UInt8] {
            let all = try #require(values["derived_by_helper"] as? [String: Any])
            let hello = try #require(all[frame] as? [String: Any])
            return fixtureBytes(try #require(hello[field] as? String))
        }

        /// Both sides' secrets for the gist's handshake, as derived by our code.
        func secrets() throws -> (initiator: RLPxSecrets, receiver: RLPxSecrets) {
            let initiator = try RLPxInitiator(staticKey: try key("initiator_private_key"),
                                              remoteKey: try key("receiver_private_key").publicKey, format: .legacy,
                                              ephemeralKey: try key("initiator_ephemeral_private_key"),
                                              nonce: try bytes("initiator_nonce"))
            let shared = try Secp256k1.sharedSecret(privateKey: try key("initiator_ephemeral_private_key"),
                                                    publicKey: try key("receiver_ephemeral_private_key").publicKey)
            let auth = try bytes("auth_ciphertext")
            let ack = try bytes("authresp_ciphertext")
            func make(_ isInitiator: Bool) throws -> RLPxSecrets {
                RLPxSecrets(remoteKey: try key(isInitiator ? "receiver_private_key" : "initiator_private_key").publicKey,
                            ephemeralShared: shared, initiatorNonce: try bytes("initiator_nonce"),
                            recipientNonce: try bytes("receiver_nonce"), authPacket: auth, ackPacket: ack,
                            isInitiator: isInitiator)
            }
            // The initiator's own path through readAck agrees on the keys.
            let viaAck = try #require(try initiator.readAck(ack[...]))
            #expect(viaAck.consumed == 210)
            #expect(viaAck.secrets.aesSecret == (try make(true)).aesSecret)
            return (try make(true), try make(false))
        }
    }

    @Test func eciesAndPlaintexts() throws {
        let gist = try Gist()
        #expect(try ECIES.decrypt(try gist.bytes("auth_ciphertext"), with: try gist.key("receiver_private_key")) ==
                (try gist.bytes("auth_plaintext")))
        #expect(try ECIES.decrypt(try gist.bytes("authresp_ciphertext"), with: try gist.key("initiator_private_key")) ==
                (try gist.bytes("authresp_plaintext")))

        // Our auth plaintext for the same keys and nonce: identical apart from the signature, which must recover
        // to the initiator's ephemeral key.
        let ephemeral = try gist.key("initiator_ephemeral_private_key")
        let auth = try RLPxInitiator.makeAuth(staticKey: try gist.key("initiator_private_key"),
                                              remoteKey: try gist.key("receiver_private_key").publicKey,
                                              ephemeralKey: ephemeral, nonce: try gist.bytes("initiator_nonce"))
        let ours = auth.legacyPlaintext(ephemeralKey: ephemeral.publicKey)
        let theirs = try gist.bytes("auth_plaintext")
        #expect(ours.count == theirs.count)
        #expect(Array(ours[65...]) == Array(theirs[65...]))
        let theirSignature = try AuthMessage.signature(theirs[0..<65])
        let staticShared = try Secp256k1.sharedSecret(privateKey: try gist.key("receiver_private_key"),
                                                      publicKey: try gist.key("initiator_private_key").publicKey)
        let digest = try #require(Hash32(bytes: zip(staticShared, try gist.bytes("initiator_nonce")).map { $0 ^ $1 }))
        #expect(try Secp256k1.recover(digest, theirSignature) == ephemeral.publicKey)
        #expect(try Secp256k1.recover(digest, auth.signature) == ephemeral.publicKey)

        // The ack plaintext has no signature, so it matches byte for byte.
        let ack = AckMessage(ephemeralKey: try gist.key("receiver_ephemeral_private_key").publicKey,
                             nonce: try gist.bytes("receiver_nonce"))
        #expect(ack.legacyPlaintext == (try gist.bytes("authresp_plaintext")))
    }

    @Test func responderReadsLegacyAuth() throws {
        let gist = try Gist()
        var responder = try RLPxResponder(staticKey: try gist.key("receiver_private_key"),
                                          ephemeralKey: try gist.key("receiver_ephemeral_private_key"),
                                          nonce: try gist.bytes("receiver_nonce"))
        let auth = try gist.bytes("auth_ciphertext")
        #expect(try responder.readAuth(auth[...]) == 307)
        #expect(responder.format == .legacy)
        #expect(responder.remoteKey == (try gist.key("initiator_private_key")).publicKey)
        #expect(responder.remoteEphemeralKey == (try gist.key("initiator_ephemeral_private_key")).publicKey)
    }

    @Test func derivedSecretsAndInitialMACs() throws {
        let gist = try Gist()
        let (initiator, receiver) = try gist.secrets()
        #expect(initiator.aesSecret == (try gist.bytes("aes_secret")))
        #expect(initiator.macSecret == (try gist.bytes("mac_secret")))
        #expect(Keccak256.digest(initiator.sharedSecret) == (try gist.bytes("token")))
        #expect(initiator.egressMAC.peekDigest() == (try gist.bytes("initial_egress_MAC")))
        #expect(initiator.ingressMAC.peekDigest() == (try gist.bytes("initial_ingress_MAC")))
        // Each side's egress is the other's ingress.
        #expect(receiver.ingressMAC.peekDigest() == initiator.egressMAC.peekDigest())
        #expect(receiver.egressMAC.peekDigest() == initiator.ingressMAC.peekDigest())
    }

    @Test func helloFramesBothWays() throws {
        let gist = try Gist()
        let (initiatorSecrets, receiverSecrets) = try gist.secrets()
        let initiator = try RLPxFrameCodec(secrets: initiatorSecrets)
        let receiver = try RLPxFrameCodec(secrets: receiverSecrets)
        let initiatorHello = try gist.derived("initiator_hello_frame", "frame_plaintext (msg-id RLP 0x80 then Hello RLP)")
        let receiverHello = try gist.derived("receiver_hello_frame", "frame_plaintext (msg-id RLP 0x80 then Hello RLP)")

        // Encoding reproduces the published frames exactly (zero header and body padding, c28080 header data).
        #expect(try initiator.encodeFrame(initiatorHello) == (try gist.bytes("initiator_hello_packet")))
        #expect(try receiver.encodeFrame(receiverHello) == (try gist.bytes("receiver_hello_packet")))

        // And each side reads the other's.
        var fromInitiator = ByteBuffer(bytes: try gist.bytes("initiator_hello_packet"))
        #expect(try receiver.readFrame(from: &fromInitiator).map { Array($0.readableBytesView) } == initiatorHello)
        var fromReceiver = ByteBuffer(bytes: try gist.bytes("receiver_hello_packet"))
        #expect(try initiator.readFrame(from: &fromReceiver).map { Array($0.readableBytesView) } == receiverHello)

        // The payload is message 0 (Hello, never compressed): version 3, capabilities a/0 and b/2.
        let (id, data) = try MessageCodec(compression: true).decode(initiatorHello)
        #expect(id == 0)
        let hello = try Hello(rlp: data)
        #expect(hello.protocolVersion == 3)
        #expect(hello.capabilities == [Capability(name: "a", version: 0), Capability(name: "b", version: 2)])
        #expect(try Hello(rlp: MessageCodec().decode(receiverHello).data).capabilities ==
                [Capability(name: "c", version: 1), Capability(name: "d", version: 3)])
    }
}
