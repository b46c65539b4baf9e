import SankofaCrypto
import SankofaPrimitives
import SankofaTestSupport
import Testing
@testable import SankofaP2P

/// EIP-8 §Test Vectors (rlpx/eip8-handshake-vectors.json): node A initiates to node B.
@Suite("RLPx EIP-8 handshake vectors", .enabled(if: VectorFiles.available))
struct EIP8VectorTests {
    struct Vectors {
        let keys: [String: String]
        let packets: [String: [UInt8]]
        let all: [String: Any]

        init() throws {
            all = try #require(try VectorFiles.json("rlpx/eip8-handshake-vectors.json") as? [String: Any])
            keys = try #require(all["keys"] as? [String: String])
            var packets: [String: [UInt8]] = [:]
            for entry in try #require(all["handshake_packets"] as? [[String: Any]]) {
                packets[try #require(entry["name"] as? String)] = fixtureBytes(try #require(entry["packet"] as? String))
            }
            self.packets = packets
        }

        func key(_ name: String) throws -> PrivateKey { try PrivateKey(hex: try #require(keys[name])) }
        func bytes(_ name: String) throws -> [UInt8] { fixtureBytes(try #require(keys[name])) }
        var derived: [String: Any] { all["derived_by_helper"] as? [String: Any] ?? [:] }
        func derivedHex(_ name: String) throws -> [UInt8] { fixtureBytes(try #require(derived[name] as? String)) }
    }

    @Test(arguments: [("Auth1", HandshakeFormat.legacy, UInt64(4)), ("Auth2", .eip8, 4), ("Auth3", .eip8, 56)])
    func responderReadsAuth(name: String, format: HandshakeFormat, version: UInt64) throws {
        let v = try Vectors()
        let packet = try #require(v.packets[name])
        var responder = try RLPxResponder(staticKey: try v.key("Static Key B"), ephemeralKey: try v.key("Ephemeral Key B"),
                                          nonce: try v.bytes("Nonce B"))
        // Byte by byte until complete: nil (need more) until the last byte.
        #expect(try responder.readAuth(packet.dropLast()[...]) == nil)
        #expect(try responder.readAuth(packet[...]) == packet.count)
        #expect(responder.format == format)
        let auth = try #require(responder.auth)
        #expect(auth.version == version)
        #expect(auth.initiatorKey == (try v.key("Static Key A")).publicKey)
        #expect(auth.nonce == (try v.bytes("Nonce A")))
        // The signature was not made deterministically here; it must recover to A's ephemeral key.
        #expect(responder.remoteEphemeralKey == (try v.key("Ephemeral Key A")).publicKey)
    }

    @Test(arguments: ["Ack1", "Ack2", "Ack3"])
    func initiatorReadsAck(name: String) throws {
        let v = try Vectors()
        let packet = try #require(v.packets[name])
        let initiator = try RLPxInitiator(staticKey: try v.key("Static Key A"), remoteKey: try v.key("Static Key B").publicKey,
                                          ephemeralKey: try v.key("Ephemeral Key A"), nonce: try v.bytes("Nonce A"))
        #expect(try initiator.readAck(packet.dropLast()[...]) == nil)
        let (secrets, used) = try #require(try initiator.readAck(packet[...] + [0xde, 0xad]))
        #expect(used == packet.count)
        let published = try #require(v.all["secrets_for_Auth2_Ack2"] as? [String: Any])
        // The secrets depend on the ephemeral keys and nonces only, which are the same for all three acks.
        #expect(secrets.aesSecret == fixtureBytes(try #require(published["aes-secret"] as? String)))
        #expect(secrets.macSecret == fixtureBytes(try #require(published["mac-secret"] as? String)))
        #expect(secrets.remoteKey == (try v.key("Static Key B")).publicKey)
    }

    @Test(arguments: ["Auth1", "Auth2", "Auth3", "Ack1", "Ack2", "Ack3"])
    func eciesPlaintexts(name: String) throws {
        let v = try Vectors()
        let packet = try #require(v.packets[name])
        let recipient = try v.key(name.hasPrefix("Auth") ? "Static Key B" : "Static Key A")
        let decrypted = try #require(v.derived["decrypted_packets"] as? [String: Any])
        let expected = try #require(decrypted[name] as? [String: Any])
        if let whole = expected["plaintext"] as? String {
            #expect(try ECIES.decrypt(packet, with: recipient) == fixtureBytes(whole))
        } else {
            // EIP-8: the size prefix counts the ECIES message (body + 113) and is its shared MAC data.
            let size = Int(packet[0]) << 8 | Int(packet[1])
            #expect(size == packet.count - 2)
            let plaintext = try ECIES.decrypt(packet[2...], with: recipient, sharedMacData: Array(packet[0..<2]))
            #expect(plaintext.count == size - ECIES.overhead)
            let rlp = fixtureBytes(try #require(expected["plaintext_rlp"] as? String))
            #expect(Array(plaintext.prefix(rlp.count)) == rlp)
            #expect(plaintext.count - rlp.count == expected["random_padding_length"] as? Int)
            #expect(throws: ECIESError.macMismatch) { _ = try ECIES.decrypt(packet[2...], with: recipient) }
        }
    }

    /// "Node B derives the connection secrets for (Auth₂, Ack₂)", with the ingress MAC after absorbing "foo".
    @Test func secretsForAuth2Ack2() throws {
        let v = try Vectors()
        let auth2 = try #require(v.packets["Auth2"])
        let ack2 = try #require(v.packets["Ack2"])
        var responder = try RLPxResponder(staticKey: try v.key("Static Key B"), ephemeralKey: try v.key("Ephemeral Key B"),
                                          nonce: try v.bytes("Nonce B"))
        _ = try responder.readAuth(auth2[...])
        let ephemeralShared = try Secp256k1.sharedSecret(privateKey: try v.key("Ephemeral Key B"),
                                                         publicKey: try #require(responder.remoteEphemeralKey))
        #expect(ephemeralShared == (try v.derivedHex("ephemeral-key (ECDH of ephemeral keys, x coordinate)")))
        let secrets = RLPxSecrets(remoteKey: try v.key("Static Key A").publicKey, ephemeralShared: ephemeralShared,
                                  initiatorNonce: try v.bytes("Nonce A"), recipientNonce: try v.bytes("Nonce B"),
                                  authPacket: auth2, ackPacket: ack2, isInitiator: false)
        let published = try #require(v.all["secrets_for_Auth2_Ack2"] as? [String: Any])
        #expect(secrets.aesSecret == fixtureBytes(try #require(published["aes-secret"] as? String)))
        #expect(secrets.macSecret == fixtureBytes(try #require(published["mac-secret"] as? String)))
        #expect(secrets.sharedSecret ==
                (try v.derivedHex("shared-secret = keccak256(ephemeral-key || keccak256(Nonce B || Nonce A))")))
        #expect(Keccak256.digest(secrets.sharedSecret) == (try v.derivedHex("token = keccak256(shared-secret)")))
        var ingress = secrets.ingressMAC
        ingress.update(Array("foo".utf8))
        #expect(ingress.peekDigest() == fixtureBytes(try #require(published["ingress-mac(\"foo\")"] as? String)))
    }

    /// "devp2p hello packet advertising version 22 and containing a few additional list elements".
    @Test func helloWithExtraElements() throws {
        let v = try Vectors()
        let hello = try #require(v.all["devp2p_hello"] as? [String: Any])
        let body = fixtureBytes(try #require(hello["packet"] as? String))
        let decoded = try Hello(rlp: body)
        #expect(decoded.protocolVersion == 0x37)
        #expect(decoded.clientId == "kneth/v0.91/plan9")
        #expect(decoded.capabilities == [Capability(name: "eth", version: 61), Capability(name: "mork", version: 22)])
        #expect(decoded.listenPort == 9999)
        #expect(decoded.nodeId == (try v.key("Static Key A")).publicKey.rawBytes)
    }

    /// ethereumjs devp2p testdata.json: the same handshakes, split into lines, with precomputed public keys.
    @Test func ethereumjsHandshakes() throws {
        let all = try #require(try VectorFiles.json("rlpx/ethereumjs-devp2p-testdata.json") as? [String: Any])
        let values = try #require(all["eip8Values"] as? [String: String])
        let keyA = try PrivateKey(hex: try #require(values["keyA"]))
        let keyB = try PrivateKey(hex: try #require(values["keyB"]))
        #expect(Hex.encode(keyA.publicKey.rawBytes, prefix: false) == values["pubA"])
        #expect(Hex.encode(keyB.publicKey.rawBytes, prefix: false) == values["pubB"])
        let handshakes = try #require(all["eip8Handshakes"] as? [[String: Any]])
        #expect(handshakes.count >= 2)
        for handshake in handshakes {
            let auth = fixtureBytes(try #require(handshake["auth"] as? [String]).joined())
            let ack = fixtureBytes(try #require(handshake["ack"] as? [String]).joined())
            var responder = try RLPxResponder(staticKey: keyB)
            #expect(try responder.readAuth(auth[...]) == auth.count)
            #expect(responder.auth?.version == (handshake["authVersion"] as? Int).map(UInt64.init))
            #expect(responder.format == ((handshake["eip8Format"] as? Bool) == true ? .eip8 : .legacy))
            #expect(responder.remoteEphemeralKey?.rawBytes == fixtureBytes(try #require(values["ephPubA"])))
            let initiator = try RLPxInitiator(staticKey: keyA, remoteKey: keyB.publicKey,
                                              ephemeralKey: try PrivateKey(hex: try #require(values["ephKeyA"])),
                                              nonce: fixtureBytes(try #require(values["nonceA"])))
            #expect(try initiator.readAck(ack[...])?.consumed == ack.count)
        }
    }
}
