import SankofaPrimitives

/// An identity as stored: `rlp([did, metadataURI, attributesHash, active, registeredAt])`.
struct IdentityRecord: RLPEncodable, RLPDecodable, Equatable {
    var did: Hash32
    var metadataURI: String
    var attributesHash: Hash32
    var active: Bool
    var registeredAt: UInt64

    func encode(to writer: inout RLPWriter) {
        writer.writeList { w in
            w.write(did)
            w.write(bytes: Array(metadataURI.utf8))
            w.write(attributesHash)
            w.write(active)
            w.write(registeredAt)
        }
    }
}

extension IdentityRecord {
    init(from reader: inout RLPReader) throws(RLPError) {
        var r = try reader.readList()
        did = try r.readHash()
        metadataURI = String(decoding: try r.readBytes(), as: UTF8.self)
        attributesHash = try r.readHash()
        active = try r.readBool()
        registeredAt = try r.readUInt64()
        try r.finish()
    }
}

/// A verifier's attestation as stored: `rlp([verifier, claimHash, expiresAt, revoked])`.
struct AttestationRecord: RLPEncodable, RLPDecodable, Equatable {
    var verifier: Address
    var claimHash: Hash32
    var expiresAt: UInt64
    var revoked: Bool

    func encode(to writer: inout RLPWriter) {
        writer.writeList { w in
            w.write(verifier)
            w.write(claimHash)
            w.write(expiresAt)
            w.write(revoked)
        }
    }
}

extension AttestationRecord {
    init(from reader: inout RLPReader) throws(RLPError) {
        var r = try reader.readList()
        verifier = try r.readAddress()
        claimHash = try r.readHash()
        expiresAt = try r.readUInt64()
        revoked = try r.readBool()
        try r.finish()
    }
}

/// IdentityRegistry's storage layout, one line per record kind.
enum IdentityLayout {
    static func identity(_ account: Address) -> Hash32 { StorageKey.make("identity", account.bytes) }
    static func didOwner(_ did: Hash32) -> Hash32 { StorageKey.make("did.owner", did.bytes) }
    static func attestation(_ account: Address, _ claimType: Hash32) -> Hash32 {
        StorageKey.make("attestation", account.bytes, claimType.bytes)
    }
    static func federationPeer(_ region: Hash32) -> Hash32 { StorageKey.make("federation.peer", region.bytes) }
    static let federationRegions = StoredSet("federation.regions")
    static func roleMembers(_ role: Hash32) -> StoredSet { StoredSet("role.members", scope: role.bytes) }
}
