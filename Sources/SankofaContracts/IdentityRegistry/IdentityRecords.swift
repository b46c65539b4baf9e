import SankofaPrimitives

/// An identity as stored: `rlp([did, metadataURI, attributesHash, active, registeredAt])`.
struct IdentityRecord: RLPRecord, Equatable {
    var did: Hash32
    var metadataURI: String
    var attributesHash: Hash32
    var active: Bool
    var registeredAt: UInt64
}

/// A verifier's attestation as stored: `rlp([verifier, claimHash, expiresAt, revoked])`.
struct AttestationRecord: RLPRecord, Equatable {
    var verifier: Address
    var claimHash: Hash32
    var expiresAt: UInt64
    var revoked: Bool
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
