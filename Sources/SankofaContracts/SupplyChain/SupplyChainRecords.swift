import SankofaPrimitives

/// Where a hardware component is in its life. Stored as a byte and returned as `uint8 state` by `getComponent`.
///
/// `transferred` means custody has moved at least once since registration and the component is not racked: it is
/// in transit or in storage with its new custodian. A transfer of a deployed component therefore takes it off
/// its site (hardware changing hands leaves the rack), and deploying it again brings it back to `deployed`.
public enum ComponentState: UInt8, Sendable, CaseIterable {
    case registered = 1
    case transferred = 2
    case deployed = 3
    /// Terminal: no transfer, deployment or compliance check is accepted afterwards.
    case decommissioned = 4

}

/// What a history entry records; `historyEntry` returns it as `uint8 kind`. Each kind fixes what `ref` and
/// `note` hold, so auditors can read any entry without knowing the call that wrote it.
public enum ComponentHistoryKind: UInt8, Sendable, CaseIterable {
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
struct ComponentRecord: RLPEncodable, RLPDecodable, Equatable {
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

    func encode(to writer: inout RLPWriter) {
        writer.writeList { w in
            w.write(serial)
            w.write(bytes: Array(manufacturer.utf8))
            w.write(bytes: Array(model.utf8))
            w.write(documentHash)
            w.write(supplier)
            w.write(custodian)
            w.write(UInt64(state.rawValue))
            w.write(site)
            w.write(bytes: Array(rack.utf8))
            w.write(registeredAt)
            w.write(updatedAt)
        }
    }

    init(from reader: inout RLPReader) throws(RLPError) {
        var r = try reader.readList()
        serial = try r.readHash()
        manufacturer = String(decoding: try r.readBytes(), as: UTF8.self)
        model = String(decoding: try r.readBytes(), as: UTF8.self)
        documentHash = try r.readHash()
        supplier = try r.readAddress()
        custodian = try r.readAddress()
        let rawState = try r.readUInt64()
        guard rawState <= UInt64(UInt8.max), let state = ComponentState(rawValue: UInt8(rawState)) else {
            throw .integerTooLarge(maxBytes: 1, got: 8)
        }
        self.state = state
        site = try r.readHash()
        rack = String(decoding: try r.readBytes(), as: UTF8.self)
        registeredAt = try r.readUInt64()
        updatedAt = try r.readUInt64()
        try r.finish()
    }
}

/// One history entry as stored: `rlp([kind, actor, timestamp, ref, note, evidence])`.
struct ComponentHistoryRecord: RLPEncodable, RLPDecodable, Equatable {
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

    func encode(to writer: inout RLPWriter) {
        writer.writeList { w in
            w.write(UInt64(kind))
            w.write(actor)
            w.write(timestamp)
            w.write(ref)
            w.write(bytes: Array(note.utf8))
            w.write(evidence)
        }
    }

    init(from reader: inout RLPReader) throws(RLPError) {
        var r = try reader.readList()
        let rawKind = try r.readUInt64()
        guard rawKind <= UInt64(UInt8.max) else { throw .integerTooLarge(maxBytes: 1, got: 8) }
        kind = UInt8(rawKind)
        actor = try r.readAddress()
        timestamp = try r.readUInt64()
        ref = try r.readHash()
        note = String(decoding: try r.readBytes(), as: UTF8.self)
        evidence = try r.readHash()
        try r.finish()
    }
}

/// The latest compliance check of a component against one standard: `rlp([passed, evidenceHash, auditor, timestamp])`.
/// Kept beside the history so "does component N currently pass standard S?" is one read, not a history scan.
struct ComponentCheckRecord: RLPEncodable, RLPDecodable, Equatable {
    var passed: Bool
    var evidenceHash: Hash32
    var auditor: Address
    var timestamp: UInt64

    func encode(to writer: inout RLPWriter) {
        writer.writeList { w in
            w.write(passed)
            w.write(evidenceHash)
            w.write(auditor)
            w.write(timestamp)
        }
    }
}

extension ComponentCheckRecord {
    init(from reader: inout RLPReader) throws(RLPError) {
        var r = try reader.readList()
        passed = try r.readBool()
        evidenceHash = try r.readHash()
        auditor = try r.readAddress()
        timestamp = try r.readUInt64()
        try r.finish()
    }
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
