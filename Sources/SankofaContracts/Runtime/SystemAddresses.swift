import SankofaPrimitives

/// The fixed addresses of the system contracts (DESIGN.md "System contracts").
public enum SystemAddresses {
    public static let governance = Address(low: 0x1000)
    public static let identityRegistry = Address(low: 0x1001)
    public static let resourceRegistry = Address(low: 0x1002)
    public static let supplyChain = Address(low: 0x1003)
    public static let billing = Address(low: 0x1004)
    public static let serviceLevels = Address(low: 0x1005)
    public static let complianceAudit = Address(low: 0x1006)
    public static let nodeRegistry = Address(low: 0x1007)
}

/// The access-control roles: keccak256 of the role name, as Solidity's AccessControl does.
public enum Roles {
    public static let admin = Keccak256.hash(Array("ADMIN".utf8))
    public static let `operator` = Keccak256.hash(Array("OPERATOR".utf8))
    public static let verifier = Keccak256.hash(Array("VERIFIER".utf8))
    public static let auditor = Keccak256.hash(Array("AUDITOR".utf8))
    public static let billingAdmin = Keccak256.hash(Array("BILLING_ADMIN".utf8))
    public static let billingVerifier = Keccak256.hash(Array("BILLING_VERIFIER".utf8))
    public static let supplier = Keccak256.hash(Array("SUPPLIER".utf8))
    public static let monitor = Keccak256.hash(Array("MONITOR".utf8))

    /// Every role by name, for genesis files and tools.
    public static let byName: [String: Hash32] = [
        "ADMIN": admin, "OPERATOR": `operator`, "VERIFIER": verifier, "AUDITOR": auditor,
        "BILLING_ADMIN": billingAdmin, "BILLING_VERIFIER": billingVerifier, "SUPPLIER": supplier, "MONITOR": monitor,
    ]

    /// The role's name, or its hex if it is not one of the standard roles.
    public static func name(of role: Hash32) -> String {
        byName.first(where: { $0.value == role })?.key ?? role.hex
    }
}
