import SankofaPrimitives

/// Where a hardware component is in its life. Stored as a byte and returned as `uint8 state` by `getComponent`.
///
/// `transferred` means custody has moved at least once since registration and the component is not racked: it is
/// in transit or in storage with its new custodian. A transfer of a deployed component therefore takes it off
/// its site (hardware changing hands leaves the rack), and deploying it again brings it back to `deployed`.
public enum ComponentState: UInt8, Sendable, CaseIterable, Codable {
    case registered = 1
    case transferred = 2
    case deployed = 3
    /// Terminal: no transfer, deployment or compliance check is accepted afterwards.
    case decommissioned = 4

}

/// What a history entry records; `historyEntry` returns it as `uint8 kind`. Each kind fixes what `ref` and
/// `note` hold, so auditors can read any entry without knowing the call that wrote it.
public enum ComponentHistoryKind: UInt8, Sendable, CaseIterable, Codable {
    /// ref: the serial; note: "manufacturer model"; evidence: the document hash.
    case registered = 1
    /// actor: the previous custodian; ref: the new custodian, left-padded to 32 bytes as `bytes32(uint256(uint160(to)))`;
    /// note: the location.
    case custodyTransfer = 2
    /// ref: the site; note: the rack.
    case deployed = 3
    /// ref: the standard; note: "passed" or "failed"; evidence: the evidence hash.
    case complianceCheck = 4
    /// ref: zero; note: the reason.
    case decommissioned = 5
}

/// A component as stored:
/// `rlp([serial, manufacturer, model, documentHash, supplier, custodian, state, site, rack, registeredAt, updatedAt])`.
/// `site` and `rack` describe the current deployment and are empty when the component is not deployed.
struct ComponentRecord: RLPRecord, Equatable {
    var serial: Hash32
    var manufacturer: String
    var model: String
    var documentHash: Hash32
    var supplier: Address
    var custodian: Address
    var state: ComponentState
    var site: Hash32
    var rack: String
    var registeredAt: UInt64
    var updatedAt: UInt64

    init(serial: Hash32, manufacturer: String, model: String, documentHash: Hash32, supplier: Address, at timestamp: UInt64) {
        self.serial = serial
        self.manufacturer = manufacturer
        self.model = model
        self.documentHash = documentHash
        self.supplier = supplier
        self.custodian = supplier
        self.state = .registered
        self.site = .zero
        self.rack = ""
        self.registeredAt = timestamp
        self.updatedAt = timestamp
    }
}

/// One history entry as stored: `rlp([kind, actor, timestamp, ref, note, evidence])`.
struct ComponentHistoryRecord: RLPRecord, Equatable {
    var kind: UInt8
    var actor: Address
    var timestamp: UInt64
    var ref: Hash32
    var note: String
    /// The document hash of a registration or the evidence hash of a compliance check; zero otherwise.
    var evidence: Hash32

    init(kind: ComponentHistoryKind, actor: Address, timestamp: UInt64, ref: Hash32, note: String, evidence: Hash32 = .zero) {
        self.kind = kind.rawValue
        self.actor = actor
        self.timestamp = timestamp
        self.ref = ref
        self.note = note
        self.evidence = evidence
    }
}

/// The latest compliance check of a component against one standard: `rlp([passed, evidenceHash, auditor, timestamp])`.
/// Kept beside the history so "does component N currently pass standard S?" is one read, not a history scan.
struct ComponentCheckRecord: RLPRecord, Equatable {
    var passed: Bool
    var evidenceHash: Hash32
    var auditor: Address
    var timestamp: UInt64
}

/// SupplyChain's storage layout, one line per record kind.
enum SupplyChainLayout {
    static let componentCount = StorageKey.make("component.count")
    static func component(_ id: UInt64) -> Hash32 { StorageKey.make("component", StorageKey.number(id)) }
    /// serial → id, for uniqueness and `componentBySerial`.
    static func serial(_ serial: Hash32) -> Hash32 { StorageKey.make("component.serial", serial.bytes) }
    static func history(_ id: UInt64) -> StoredList { StoredList("component.history", scope: StorageKey.number(id)) }
    static func check(_ id: UInt64, _ standard: Hash32) -> Hash32 {
        StorageKey.make("component.check", StorageKey.number(id), standard.bytes)
    }
    /// Ids (8-byte big-endian) currently in an account's custody.
    static func custody(_ account: Address) -> StoredSet { StoredSet("component.custody", scope: account.bytes) }
    /// Ids (8-byte big-endian) currently deployed at a site.
    static func site(_ site: Hash32) -> StoredSet { StoredSet("component.site", scope: site.bytes) }
}

/// Shared by SupplyChain, ComplianceAudit and NodeRegistry.
extension Hash32 {
    /// How revert reasons name a bytes32 identifier: the text when it is a short ASCII label padded with zeros, as
    /// `bytes32("web-01")` produces in Solidity, so operators read "no node web-01"; the hex otherwise.
    var displayLabel: String {
        let raw = bytes
        let text = raw.prefix { $0 != 0 }
        let printable = text.allSatisfy { (0x20...0x7e).contains($0) }
        guard !text.isEmpty, printable, raw.dropFirst(text.count).allSatisfy({ $0 == 0 }) else { return hex }
        return String(decoding: text, as: UTF8.self)
    }

    /// An address as a bytes32 word, left-padded with zeros (`bytes32(uint256(uint160(account)))`).
    init(paddedAddress account: Address) {
        var word = Hash32.zero
        word.withUnsafeMutableBytes { buffer in
            for (offset, byte) in account.bytes.enumerated() { buffer[12 + offset] = byte }
        }
        self = word
    }
}
