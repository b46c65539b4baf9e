import SankofaPrimitives

/// Identities, verifier attestations with expiry, role-based access control for every other contract, and
/// cross-region federation peers (DESIGN.md `0x…1001`).
public struct IdentityRegistry: SystemContract {
    public let name = "IdentityRegistry"
    public let address = SystemAddresses.identityRegistry

    public init() {}

    public static let identityRegistered = ContractEvent("IdentityRegistered", [
        ABIParameter("account", .address, indexed: true), ABIParameter("did", .fixedBytes(32), indexed: true)])
    public static let identityUpdated = ContractEvent("IdentityUpdated", [
        ABIParameter("account", .address, indexed: true), ABIParameter("active", .bool)])
    public static let attested = ContractEvent("Attested", [
        ABIParameter("account", .address, indexed: true), ABIParameter("claimType", .fixedBytes(32), indexed: true),
        ABIParameter("verifier", .address, indexed: true), ABIParameter("expiresAt", .uint(64))])
    public static let attestationRevoked = ContractEvent("AttestationRevoked", [
        ABIParameter("account", .address, indexed: true), ABIParameter("claimType", .fixedBytes(32), indexed: true)])
    public static let roleGranted = ContractEvent("RoleGranted", [
        ABIParameter("role", .fixedBytes(32), indexed: true), ABIParameter("account", .address, indexed: true),
        ABIParameter("sender", .address, indexed: true)])
    public static let roleRevoked = ContractEvent("RoleRevoked", [
        ABIParameter("role", .fixedBytes(32), indexed: true), ABIParameter("account", .address, indexed: true),
        ABIParameter("sender", .address, indexed: true)])
    public static let federationPeerSet = ContractEvent("FederationPeerSet", [
        ABIParameter("region", .fixedBytes(32), indexed: true), ABIParameter("endpoint", .string)])

    public var events: [ContractEvent] {
        [Self.identityRegistered, Self.identityUpdated, Self.attested, Self.attestationRevoked, Self.roleGranted,
         Self.roleRevoked, Self.federationPeerSet]
    }

    public var functions: [ContractFunction] {
        let identityFields = [ABIParameter("did", .fixedBytes(32)), ABIParameter("metadataURI", .string),
                              ABIParameter("attributesHash", .fixedBytes(32))]
        return [
            ContractFunction("registerIdentity", identityFields) { call in
                try Self.register(call, account: call.sender, from: 0)
            },
            ContractFunction("registerIdentityFor", [ABIParameter("account", .address)] + identityFields,
                             roles: [Roles.admin]) { call in
                try Self.register(call, account: try call.address(0), from: 1)
            },
            ContractFunction("updateIdentity", [ABIParameter("metadataURI", .string),
                                                ABIParameter("attributesHash", .fixedBytes(32))]) { call in
                let key = IdentityLayout.identity(call.sender)
                guard var identity = try call.loadRecord(IdentityRecord.self, key) else {
                    throw call.revert("no identity registered for \(call.sender.checksummed)")
                }
                identity.metadataURI = try call.string(0)
                identity.attributesHash = try call.bytes32(1)
                try call.storeRecord(key, identity)
                try call.emit(Self.identityUpdated, .address(call.sender), .bool(identity.active))
                return []
            },
            ContractFunction("setIdentityActive", [ABIParameter("account", .address), ABIParameter("active", .bool)],
                             roles: [Roles.admin]) { call in
                let account = try call.address(0)
                let key = IdentityLayout.identity(account)
                guard var identity = try call.loadRecord(IdentityRecord.self, key) else {
                    throw call.revert("no identity registered for \(account.checksummed)")
                }
                identity.active = try call.bool(1)
                try call.storeRecord(key, identity)
                try call.emit(Self.identityUpdated, .address(account), .bool(identity.active))
                return []
            },
            ContractFunction("identityOf", [ABIParameter("account", .address)], returns: [
                ABIParameter("did", .fixedBytes(32)), ABIParameter("metadataURI", .string),
                ABIParameter("attributesHash", .fixedBytes(32)), ABIParameter("active", .bool),
                ABIParameter("registeredAt", .uint(64)),
            ], .view) { call in
                let identity = try call.loadRecord(IdentityRecord.self, IdentityLayout.identity(try call.address(0)))
                    ?? IdentityRecord(did: .zero, metadataURI: "", attributesHash: .zero, active: false, registeredAt: 0)
                return [.fixedBytes(identity.did.bytes), .string(identity.metadataURI),
                        .fixedBytes(identity.attributesHash.bytes), .bool(identity.active),
                        .uint(UInt256(identity.registeredAt))]
            },
            ContractFunction("attest", [ABIParameter("account", .address), ABIParameter("claimType", .fixedBytes(32)),
                                        ABIParameter("claimHash", .fixedBytes(32)), ABIParameter("expiresAt", .uint(64))],
                             roles: [Roles.verifier]) { call in
                let account = try call.address(0)
                let claimType = try call.bytes32(1)
                let expiresAt = try call.uint64(3)
                guard let identity = try call.loadRecord(IdentityRecord.self, IdentityLayout.identity(account)),
                      identity.active else {
                    throw call.revert("no active identity registered for \(account.checksummed)")
                }
                guard expiresAt > call.block.timestamp else {
                    throw call.revert("expiry \(expiresAt) is not after the current block time \(call.block.timestamp)")
                }
                let record = AttestationRecord(verifier: call.sender, claimHash: try call.bytes32(2),
                                               expiresAt: expiresAt, revoked: false)
                try call.storeRecord(IdentityLayout.attestation(account, claimType), record)
                try call.emit(Self.attested, .address(account), .fixedBytes(claimType.bytes), .address(call.sender),
                              .uint(UInt256(expiresAt)))
                return []
            },
            ContractFunction("revokeAttestation", [ABIParameter("account", .address),
                                                   ABIParameter("claimType", .fixedBytes(32))]) { call in
                let account = try call.address(0)
                let claimType = try call.bytes32(1)
                let key = IdentityLayout.attestation(account, claimType)
                guard var record = try call.loadRecord(AttestationRecord.self, key) else {
                    throw call.revert("no attestation of that claim type for \(account.checksummed)")
                }
                guard !record.revoked else { throw call.revert("attestation already revoked") }
                guard try call.sender == record.verifier || call.hasRole(Roles.admin, call.sender) else {
                    throw call.revert("only the attesting verifier or an ADMIN may revoke")
                }
                record.revoked = true
                try call.storeRecord(key, record)
                try call.emit(Self.attestationRevoked, .address(account), .fixedBytes(claimType.bytes))
                return []
            },
            ContractFunction("isVerified", [ABIParameter("account", .address), ABIParameter("claimType", .fixedBytes(32))],
                             returns: [ABIParameter("verified", .bool)], .view) { call in
                let record = try call.loadRecord(AttestationRecord.self,
                                                 IdentityLayout.attestation(try call.address(0), try call.bytes32(1)))
                let verified = record.map { !$0.revoked && $0.expiresAt > call.block.timestamp } ?? false
                return [.bool(verified)]
            },
            ContractFunction("attestationOf", [ABIParameter("account", .address), ABIParameter("claimType", .fixedBytes(32))],
                             returns: [ABIParameter("verifier", .address), ABIParameter("claimHash", .fixedBytes(32)),
                                       ABIParameter("expiresAt", .uint(64)), ABIParameter("revoked", .bool)], .view) { call in
                let record = try call.loadRecord(AttestationRecord.self,
                                                 IdentityLayout.attestation(try call.address(0), try call.bytes32(1)))
                    ?? AttestationRecord(verifier: .zero, claimHash: .zero, expiresAt: 0, revoked: false)
                return [.address(record.verifier), .fixedBytes(record.claimHash.bytes),
                        .uint(UInt256(record.expiresAt)), .bool(record.revoked)]
            },
            ContractFunction("grantRole", [ABIParameter("role", .fixedBytes(32)), ABIParameter("account", .address)]) { call in
                try Self.requireAdminOrGovernance(call)
                let role = try call.bytes32(0)
                let account = try call.address(1)
                guard try Self.grant(role, to: account, in: call) else {
                    throw call.revert("\(account.checksummed) already has role \(Roles.name(of: role))")
                }
                try call.emit(Self.roleGranted, .fixedBytes(role.bytes), .address(account), .address(call.sender))
                return []
            },
            ContractFunction("revokeRole", [ABIParameter("role", .fixedBytes(32)), ABIParameter("account", .address)]) { call in
                try Self.requireAdminOrGovernance(call)
                let role = try call.bytes32(0)
                let account = try call.address(1)
                guard try IdentityLayout.roleMembers(role).remove(call, account.bytes) else {
                    throw call.revert("\(account.checksummed) does not have role \(Roles.name(of: role))")
                }
                if role == Roles.admin, try IdentityLayout.roleMembers(role).count(call) == 0 {
                    throw call.revert("cannot revoke the last ADMIN")
                }
                try call.store(RoleLayout.grant(role, account), [])
                try call.emit(Self.roleRevoked, .fixedBytes(role.bytes), .address(account), .address(call.sender))
                return []
            },
            ContractFunction("hasRole", [ABIParameter("role", .fixedBytes(32)), ABIParameter("account", .address)],
                             returns: [ABIParameter("granted", .bool)], .view) { call in
                [.bool(try call.hasRole(try call.bytes32(0), try call.address(1)))]
            },
            ContractFunction("roleMembers", [ABIParameter("role", .fixedBytes(32))],
                             returns: [ABIParameter("members", .array(.address))], .view) { call in
                [.array(try IdentityLayout.roleMembers(try call.bytes32(0)).addresses(call).map { .address($0) })]
            },
            ContractFunction("setFederationPeer", [ABIParameter("region", .fixedBytes(32)), ABIParameter("endpoint", .string)],
                             roles: [Roles.admin]) { call in
                let region = try call.bytes32(0)
                let endpoint = try call.string(1)
                try call.storeString(IdentityLayout.federationPeer(region), endpoint)
                if endpoint.isEmpty {
                    try IdentityLayout.federationRegions.remove(call, region.bytes)
                } else {
                    try IdentityLayout.federationRegions.insert(call, region.bytes)
                }
                try call.emit(Self.federationPeerSet, .fixedBytes(region.bytes), .string(endpoint))
                return []
            },
            ContractFunction("federationPeer", [ABIParameter("region", .fixedBytes(32))],
                             returns: [ABIParameter("endpoint", .string)], .view) { call in
                [.string(try call.loadString(IdentityLayout.federationPeer(try call.bytes32(0))))]
            },
        ]
    }

    // MARK: Helpers shared by handlers and genesis

    static func register(_ call: Call, account: Address, from first: Int) throws -> [ABIValue] {
        let did = try call.bytes32(first)
        guard !did.isZero else { throw call.revert("DID must not be zero") }
        let identityKey = IdentityLayout.identity(account), ownerKey = IdentityLayout.didOwner(did)
        guard try call.load(identityKey).isEmpty else {
            throw call.revert("identity already registered for \(account.checksummed)")
        }
        guard try call.loadAddress(ownerKey) == nil else {
            throw call.revert("DID \(did.hex) is already registered to another account")
        }
        let record = IdentityRecord(did: did, metadataURI: try call.string(first + 1),
                                    attributesHash: try call.bytes32(first + 2), active: true,
                                    registeredAt: call.block.timestamp)
        try call.storeRecord(identityKey, record)
        try call.storeAddress(ownerKey, account)
        try call.emit(Self.identityRegistered, .address(account), .fixedBytes(did.bytes))
        return []
    }

    /// Role changes come from an ADMIN or from an executed Governance proposal.
    static func requireAdminOrGovernance(_ call: Call) throws {
        if call.sender == SystemAddresses.governance { return }
        try call.requireRole(Roles.admin)
    }

    /// Grants `role`; false if the account already had it.
    static func grant(_ role: Hash32, to account: Address, in slots: some SlotAccess) throws -> Bool {
        guard try IdentityLayout.roleMembers(role).insert(slots, account.bytes) else { return false }
        try slots.store(RoleLayout.grant(role, account), [1])
        return true
    }

    /// Genesis: grants the configured roles.
    public static func initialize(_ slots: some SlotAccess, roles: [Hash32: [Address]]) throws {
        for (role, accounts) in roles {
            for account in accounts { _ = try grant(role, to: account, in: slots) }
        }
    }
}
