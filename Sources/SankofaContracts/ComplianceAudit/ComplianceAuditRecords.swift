import SankofaPrimitives

/// What an audit-log entry records; `auditLogEntry` returns it as `uint8 action`. Each action fixes what
/// `subject`, `detail` and `refId` hold.
public enum AuditAction: UInt8, Sendable, CaseIterable {
    /// subject: the framework; detail: the control; refId: the attestation id.
    case attestationRecorded = 1
    /// subject: the dataset; detail: the declared region; refId: 0.
    case residencyDeclared = 2
    /// subject: the dataset; detail: the region it was declared in until now; refId: 0.
    case residencyCleared = 3
}

/// An attestation as stored: `rlp([framework, controlId, compliant, evidenceHash, auditor, timestamp, note])`.
/// Written once and never changed: a later finding is a new attestation, so the record of what an auditor said and
/// when survives any correction.
struct ComplianceAttestationRecord: RLPRecord, Equatable {
    var framework: Hash32
    var controlId: Hash32
    var compliant: Bool
    var evidenceHash: Hash32
    var auditor: Address
    var timestamp: UInt64
    var note: String
}

/// One audit-log entry as stored: `rlp([action, actor, timestamp, subject, detail, refId])`.
struct AuditLogRecord: RLPRecord, Equatable {
    var action: UInt8
    var actor: Address
    var timestamp: UInt64
    var subject: Hash32
    var detail: Hash32
    var refId: UInt64

    init(action: AuditAction, actor: Address, timestamp: UInt64, subject: Hash32, detail: Hash32, refId: UInt64 = 0) {
        self.action = action.rawValue
        self.actor = actor
        self.timestamp = timestamp
        self.subject = subject
        self.detail = detail
        self.refId = refId
    }
}

/// ComplianceAudit's storage layout, one line per record kind.
enum ComplianceAuditLayout {
    static let attestationCount = StorageKey.make("attestation.count")
    static func attestation(_ id: UInt64) -> Hash32 { StorageKey.make("attestation", StorageKey.number(id)) }
    /// (framework, control) → id of the latest attestation.
    static func latest(_ framework: Hash32, _ control: Hash32) -> Hash32 {
        StorageKey.make("attestation.latest", framework.bytes, control.bytes)
    }
    /// Every attestation id of one control, oldest first (8-byte big-endian).
    static func controlHistory(_ framework: Hash32, _ control: Hash32) -> StoredList {
        StoredList("attestation.control", scope: framework.bytes + control.bytes)
    }
    static let frameworks = StoredSet("frameworks")
    static func controls(_ framework: Hash32) -> StoredSet { StoredSet("framework.controls", scope: framework.bytes) }
    static func residency(_ dataset: Hash32) -> Hash32 { StorageKey.make("residency", dataset.bytes) }
    static func regionDatasets(_ region: Hash32) -> StoredSet { StoredSet("residency.region", scope: region.bytes) }
    static let auditLog = StoredList("audit.log")
}
