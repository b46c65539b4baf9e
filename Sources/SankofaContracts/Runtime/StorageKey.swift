import SankofaPrimitives

/// Derives storage keys the way Solidity derives mapping slots: keccak256 over a label and the key parts, so
/// every record of every contract has its own slot and layouts never collide.
public enum StorageKey {
    /// keccak256(label ‖ part₁ ‖ part₂ ‖ …).
    public static func make(_ label: String, _ parts: [UInt8]...) -> Hash32 {
        var hasher = Keccak256()
        hasher.update(label.utf8)
        for part in parts { hasher.update(part) }
        return hasher.finalize()
    }

    /// Big-endian bytes of a number, for use as a key part.
    public static func number(_ value: UInt64) -> [UInt8] { withUnsafeBytes(of: value.bigEndian) { Array($0) } }
}

/// Where role grants live in IdentityRegistry's storage; the runtime reads it directly for role checks.
public enum RoleLayout {
    public static func grant(_ role: Hash32, _ account: Address) -> Hash32 {
        StorageKey.make("role", role.bytes, account.bytes)
    }
}

/// Where pause flags live in Governance's storage; the runtime reads it before every state-changing call.
public enum PauseLayout {
    public static func paused(_ contract: Address) -> Hash32 { StorageKey.make("paused", contract.bytes) }
}
