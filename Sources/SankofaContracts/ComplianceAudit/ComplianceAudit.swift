import SankofaPrimitives

/// Audit attestations per framework and control (SOC 2, ISO 27001, GDPR …), data-residency declarations per
/// dataset, and an immutable audit log of both (DESIGN.md `0x…1006`).
///
/// Nothing here is ever edited or deleted: attestations are append-only with sequential ids from 1, a control's
/// current standing is simply its latest attestation, and every state change also appends one entry to the audit
/// log, so an external auditor can replay the contract's whole history with `auditLogLength`/`auditLogEntry`
/// without trusting event indexers.
public struct ComplianceAudit: SystemContract {
    public let name = "ComplianceAudit"
    public let address = SystemAddresses.complianceAudit

    public init() {}

    public static let attestationRecorded = ContractEvent("AttestationRecorded", [
        ABIParameter("id", .uint(256), indexed: true), ABIParameter("framework", .fixedBytes(32), indexed: true),
        ABIParameter("controlId", .fixedBytes(32), indexed: true), ABIParameter("compliant", .bool),
        ABIParameter("auditor", .address)])
    public static let dataResidencyDeclared = ContractEvent("DataResidencyDeclared", [
        ABIParameter("dataset", .fixedBytes(32), indexed: true), ABIParameter("region", .fixedBytes(32), indexed: true)])
    public static let dataResidencyCleared = ContractEvent("DataResidencyCleared", [
        ABIParameter("dataset", .fixedBytes(32), indexed: true),
        ABIParameter("previousRegion", .fixedBytes(32), indexed: true)])

    public var events: [ContractEvent] { [Self.attestationRecorded, Self.dataResidencyDeclared, Self.dataResidencyCleared] }

    public var functions: [ContractFunction] {
        let framework = ABIParameter("framework", .fixedBytes(32))
        let controlId = ABIParameter("controlId", .fixedBytes(32))
        let dataset = ABIParameter("dataset", .fixedBytes(32))
        let region = ABIParameter("region", .fixedBytes(32))
        return [
            ContractFunction("recordAttestation", [
                framework, controlId, ABIParameter("compliant", .bool), ABIParameter("evidenceHash", .fixedBytes(32)),
                ABIParameter("note", .string),
            ], returns: [ABIParameter("id", .uint(256))], roles: [Roles.auditor]) { call in
                [.uint(UInt256(try Self.recordAttestation(call)))]
            },
            ContractFunction("getAttestation", [ABIParameter("id", .uint(256))], returns: [
                framework, controlId, ABIParameter("compliant", .bool), ABIParameter("evidenceHash", .fixedBytes(32)),
                ABIParameter("auditor", .address), ABIParameter("timestamp", .uint(64)),
            ], .view) { call in
                let a = try Self.attestation(call)
                return [.fixedBytes(a.framework.bytes), .fixedBytes(a.controlId.bytes), .bool(a.compliant),
                        .fixedBytes(a.evidenceHash.bytes), .address(a.auditor), .uint(UInt256(a.timestamp))]
            },
            ContractFunction("attestationNote", [ABIParameter("id", .uint(256))], returns: [ABIParameter("note", .string)],
                             .view) { call in
                [.string(try Self.attestation(call).note)]
            },
            ContractFunction("latestStatus", [framework, controlId], returns: [
                ABIParameter("compliant", .bool), ABIParameter("attestationId", .uint(256)),
            ], .view) { call in
                let latest = try call.loadUInt(ComplianceAuditLayout.latest(try call.bytes32(0), try call.bytes32(1)))
                guard let id = latest.asUInt64, id > 0,
                      let a = try call.loadRecord(ComplianceAttestationRecord.self, ComplianceAuditLayout.attestation(id)) else {
                    return [.bool(false), .uint(.zero)]
                }
                return [.bool(a.compliant), .uint(latest)]
            },
            ContractFunction("attestationCount", [], returns: [ABIParameter("count", .uint(256))], .view) { call in
                [.uint(try call.loadUInt(ComplianceAuditLayout.attestationCount))]
            },
            ContractFunction("attestationsFor", [framework, controlId], returns: [ABIParameter("ids", .array(.uint(256)))],
                             .view) { call in
                let list = ComplianceAuditLayout.controlHistory(try call.bytes32(0), try call.bytes32(1))
                return [.array(try list.all(call).map { bytes in
                    guard let id = UInt256(bigEndian: bytes) else { throw call.revert("stored attestation id list is corrupt") }
                    return .uint(id)
                })]
            },
            ContractFunction("frameworks", [], returns: [ABIParameter("frameworkIds", .array(.fixedBytes(32)))], .view) { call in
                [.array(try ComplianceAuditLayout.frameworks.all(call).map { .fixedBytes($0) })]
            },
            ContractFunction("controlsOf", [framework], returns: [ABIParameter("controlIds", .array(.fixedBytes(32)))],
                             .view) { call in
                [.array(try ComplianceAuditLayout.controls(try call.bytes32(0)).all(call).map { .fixedBytes($0) })]
            },
            ContractFunction("declareDataResidency", [dataset, region], roles: [Roles.operator]) { call in
                try Self.declareResidency(call)
                return []
            },
            ContractFunction("clearDataResidency", [dataset], roles: [Roles.operator]) { call in
                try Self.clearResidency(call)
                return []
            },
            ContractFunction("residencyOf", [dataset], returns: [region], .view) { call in
                [.fixedBytes(try call.loadHash(ComplianceAuditLayout.residency(try call.bytes32(0))).bytes)]
            },
            ContractFunction("datasetsInRegion", [region], returns: [ABIParameter("datasets", .array(.fixedBytes(32)))],
                             .view) { call in
                [.array(try ComplianceAuditLayout.regionDatasets(try call.bytes32(0)).all(call).map { .fixedBytes($0) })]
            },
            ContractFunction("auditLogLength", [], returns: [ABIParameter("length", .uint(256))], .view) { call in
                [.uint(UInt256(try ComplianceAuditLayout.auditLog.count(call)))]
            },
            ContractFunction("auditLogEntry", [ABIParameter("index", .uint(256))], returns: [
                ABIParameter("action", .uint(8)), ABIParameter("actor", .address), ABIParameter("timestamp", .uint(64)),
                ABIParameter("subject", .fixedBytes(32)), ABIParameter("detail", .fixedBytes(32)),
                ABIParameter("refId", .uint(256)),
            ], .view) { call in
                let e = try Self.auditLogEntry(call)
                return [.uint(UInt256(UInt64(e.action))), .address(e.actor), .uint(UInt256(e.timestamp)),
                        .fixedBytes(e.subject.bytes), .fixedBytes(e.detail.bytes), .uint(UInt256(e.refId))]
            },
        ]
    }

    // MARK: Attestations

    static func recordAttestation(_ call: Call) throws -> UInt64 {
        let framework = try call.bytes32(0)
        let control = try call.bytes32(1)
        let compliant = try call.bool(2)
        guard !framework.isZero else { throw call.revert("framework must not be zero") }
        guard !control.isZero else { throw call.revert("control id must not be zero") }
        let id = (try call.loadUInt(ComplianceAuditLayout.attestationCount).asUInt64 ?? 0) + 1
        try call.storeUInt(ComplianceAuditLayout.attestationCount, UInt256(id))
        try call.storeRecord(ComplianceAuditLayout.attestation(id), ComplianceAttestationRecord(
            framework: framework, controlId: control, compliant: compliant, evidenceHash: try call.bytes32(3),
            auditor: call.sender, timestamp: call.block.timestamp, note: try call.string(4)))
        try call.storeUInt(ComplianceAuditLayout.latest(framework, control), UInt256(id))
        try ComplianceAuditLayout.controlHistory(framework, control).append(call, StorageKey.number(id))
        try ComplianceAuditLayout.frameworks.insert(call, framework.bytes)
        try ComplianceAuditLayout.controls(framework).insert(call, control.bytes)
        try appendLog(call, .attestationRecorded, subject: framework, detail: control, refId: id)
        try call.emit(Self.attestationRecorded, .uint(UInt256(id)), .fixedBytes(framework.bytes),
                      .fixedBytes(control.bytes), .bool(compliant), .address(call.sender))
        return id
    }

    /// The attestation named by argument 0.
    static func attestation(_ call: Call) throws -> ComplianceAttestationRecord {
        let raw = try call.uint(0)
        guard let id = raw.asUInt64,
              let record = try call.loadRecord(ComplianceAttestationRecord.self, ComplianceAuditLayout.attestation(id)) else {
            throw call.revert("no attestation \(raw)")
        }
        return record
    }

    // MARK: Data residency

    /// Declares (or moves) where a dataset lives; re-declaring the region it already has is refused so the log only
    /// holds real changes.
    static func declareResidency(_ call: Call) throws {
        let dataset = try call.bytes32(0)
        let region = try call.bytes32(1)
        guard !dataset.isZero else { throw call.revert("dataset must not be zero") }
        guard !region.isZero else {
            throw call.revert("region must not be zero; use clearDataResidency to withdraw a declaration")
        }
        let key = ComplianceAuditLayout.residency(dataset)
        let previous = try call.loadHash(key)
        guard previous != region else {
            throw call.revert("dataset \(dataset.displayLabel) is already declared in region \(region.displayLabel)")
        }
        if !previous.isZero { try ComplianceAuditLayout.regionDatasets(previous).remove(call, dataset.bytes) }
        try call.storeHash(key, region)
        try ComplianceAuditLayout.regionDatasets(region).insert(call, dataset.bytes)
        try appendLog(call, .residencyDeclared, subject: dataset, detail: region)
        try call.emit(Self.dataResidencyDeclared, .fixedBytes(dataset.bytes), .fixedBytes(region.bytes))
    }

    /// Withdraws a declaration, e.g. when the dataset is deleted.
    static func clearResidency(_ call: Call) throws {
        let dataset = try call.bytes32(0)
        let key = ComplianceAuditLayout.residency(dataset)
        let previous = try call.loadHash(key)
        guard !previous.isZero else {
            throw call.revert("dataset \(dataset.displayLabel) has no data-residency declaration")
        }
        try call.storeHash(key, .zero)
        try ComplianceAuditLayout.regionDatasets(previous).remove(call, dataset.bytes)
        try appendLog(call, .residencyCleared, subject: dataset, detail: previous)
        try call.emit(Self.dataResidencyCleared, .fixedBytes(dataset.bytes), .fixedBytes(previous.bytes))
    }

    // MARK: Audit log

    static func appendLog(_ call: Call, _ action: AuditAction, subject: Hash32, detail: Hash32, refId: UInt64 = 0) throws {
        let entry = AuditLogRecord(action: action, actor: call.sender, timestamp: call.block.timestamp,
                                   subject: subject, detail: detail, refId: refId)
        try ComplianceAuditLayout.auditLog.append(call, entry.rlpEncoded)
    }

    /// The log entry named by argument 0.
    static func auditLogEntry(_ call: Call) throws -> AuditLogRecord {
        let raw = try call.uint(0)
        let length = try ComplianceAuditLayout.auditLog.count(call)
        guard let index = raw.asUInt64, index < length, let bytes = try ComplianceAuditLayout.auditLog.item(call, index) else {
            throw call.revert("the audit log has \(length) entr\(length == 1 ? "y" : "ies"); index \(raw) is out of range")
        }
        do { return try AuditLogRecord(rlp: bytes) } catch {
            throw call.revert("stored audit log entry \(index) is corrupt: \(error)")
        }
    }
}
