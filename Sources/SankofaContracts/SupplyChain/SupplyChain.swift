import SankofaPrimitives

/// Hardware components from manufacturer to rack (DESIGN.md `0x…1003`): a supplier registers each component once
/// by serial, custody passes hand to hand only at the current custodian's initiative, deployments and compliance
/// checks are recorded as they happen, and decommissioning ends the lifecycle. Every step is appended to the
/// component's history, which is never rewritten, so an auditor can replay the chain of custody entry by entry.
///
/// Unknown ids revert with "no component <id>" in every function, reads included, so a typo is never mistaken for
/// an empty component; `componentBySerial` is the exception (0 means "not registered", as the interface fixes).
public struct SupplyChain: SystemContract {
    public let name = "SupplyChain"
    public let address = SystemAddresses.supplyChain

    public init() {}

    public static let componentRegistered = ContractEvent("ComponentRegistered", [
        ABIParameter("id", .uint(256), indexed: true), ABIParameter("serial", .fixedBytes(32), indexed: true),
        ABIParameter("supplier", .address, indexed: true)])
    public static let custodyTransferred = ContractEvent("CustodyTransferred", [
        ABIParameter("id", .uint(256), indexed: true), ABIParameter("from", .address, indexed: true),
        ABIParameter("to", .address, indexed: true), ABIParameter("location", .string)])
    public static let componentDeployed = ContractEvent("ComponentDeployed", [
        ABIParameter("id", .uint(256), indexed: true), ABIParameter("site", .fixedBytes(32), indexed: true),
        ABIParameter("rack", .string)])
    public static let complianceChecked = ContractEvent("ComplianceChecked", [
        ABIParameter("id", .uint(256), indexed: true), ABIParameter("standard", .fixedBytes(32), indexed: true),
        ABIParameter("passed", .bool), ABIParameter("auditor", .address)])
    public static let componentDecommissioned = ContractEvent("ComponentDecommissioned", [
        ABIParameter("id", .uint(256), indexed: true), ABIParameter("reason", .string)])

    public var events: [ContractEvent] {
        [Self.componentRegistered, Self.custodyTransferred, Self.componentDeployed, Self.complianceChecked,
         Self.componentDecommissioned]
    }

    public var functions: [ContractFunction] {
        let id = ABIParameter("id", .uint(256))
        return [
            ContractFunction("registerComponent", [
                ABIParameter("serial", .fixedBytes(32)), ABIParameter("manufacturer", .string),
                ABIParameter("model", .string), ABIParameter("documentHash", .fixedBytes(32)),
            ], returns: [id], roles: [Roles.supplier]) { call in
                [.uint(UInt256(try Self.register(call)))]
            },
            ContractFunction("transferCustody", [id, ABIParameter("to", .address), ABIParameter("location", .string)]) { call in
                try Self.transfer(call)
                return []
            },
            ContractFunction("recordDeployment", [id, ABIParameter("site", .fixedBytes(32)), ABIParameter("rack", .string)]) { call in
                try Self.deploy(call)
                return []
            },
            ContractFunction("recordComplianceCheck", [
                id, ABIParameter("standard", .fixedBytes(32)), ABIParameter("passed", .bool),
                ABIParameter("evidenceHash", .fixedBytes(32)),
            ], roles: [Roles.auditor]) { call in
                try Self.check(call)
                return []
            },
            ContractFunction("decommission", [id, ABIParameter("reason", .string)]) { call in
                try Self.decommission(call)
                return []
            },
            ContractFunction("getComponent", [id], returns: [
                ABIParameter("serial", .fixedBytes(32)), ABIParameter("manufacturer", .string),
                ABIParameter("model", .string), ABIParameter("custodian", .address), ABIParameter("state", .uint(8)),
                ABIParameter("site", .fixedBytes(32)),
            ], .view) { call in
                let (_, c) = try Self.component(call)
                return [.fixedBytes(c.serial.bytes), .string(c.manufacturer), .string(c.model), .address(c.custodian),
                        .uint(UInt256(UInt64(c.state.rawValue))), .fixedBytes(c.site.bytes)]
            },
            ContractFunction("componentDetails", [id], returns: [
                ABIParameter("documentHash", .fixedBytes(32)), ABIParameter("supplier", .address),
                ABIParameter("rack", .string), ABIParameter("registeredAt", .uint(64)), ABIParameter("updatedAt", .uint(64)),
            ], .view) { call in
                let (_, c) = try Self.component(call)
                return [.fixedBytes(c.documentHash.bytes), .address(c.supplier), .string(c.rack),
                        .uint(UInt256(c.registeredAt)), .uint(UInt256(c.updatedAt))]
            },
            ContractFunction("componentBySerial", [ABIParameter("serial", .fixedBytes(32))], returns: [id], .view) { call in
                [.uint(try call.loadUInt(SupplyChainLayout.serial(try call.bytes32(0))))]
            },
            ContractFunction("componentCount", [], returns: [ABIParameter("count", .uint(256))], .view) { call in
                [.uint(try call.loadUInt(SupplyChainLayout.componentCount))]
            },
            ContractFunction("historyLength", [id], returns: [ABIParameter("length", .uint(256))], .view) { call in
                let (id, _) = try Self.component(call)
                return [.uint(UInt256(try SupplyChainLayout.history(id).count(call)))]
            },
            ContractFunction("historyEntry", [id, ABIParameter("index", .uint(256))], returns: [
                ABIParameter("kind", .uint(8)), ABIParameter("actor", .address), ABIParameter("timestamp", .uint(64)),
                ABIParameter("ref", .fixedBytes(32)), ABIParameter("note", .string),
            ], .view) { call in
                let entry = try Self.historyEntry(call)
                return [.uint(UInt256(UInt64(entry.kind))), .address(entry.actor), .uint(UInt256(entry.timestamp)),
                        .fixedBytes(entry.ref.bytes), .string(entry.note)]
            },
            ContractFunction("historyEvidence", [id, ABIParameter("index", .uint(256))],
                             returns: [ABIParameter("evidenceHash", .fixedBytes(32))], .view) { call in
                [.fixedBytes(try Self.historyEntry(call).evidence.bytes)]
            },
            ContractFunction("latestCheck", [id, ABIParameter("standard", .fixedBytes(32))], returns: [
                ABIParameter("checked", .bool), ABIParameter("passed", .bool), ABIParameter("evidenceHash", .fixedBytes(32)),
                ABIParameter("auditor", .address), ABIParameter("timestamp", .uint(64)),
            ], .view) { call in
                let (id, _) = try Self.component(call)
                guard let check = try call.loadRecord(ComponentCheckRecord.self,
                                                      SupplyChainLayout.check(id, try call.bytes32(1))) else {
                    return [.bool(false), .bool(false), .fixedBytes(Hash32.zero.bytes), .address(.zero), .uint(.zero)]
                }
                return [.bool(true), .bool(check.passed), .fixedBytes(check.evidenceHash.bytes), .address(check.auditor),
                        .uint(UInt256(check.timestamp))]
            },
            ContractFunction("componentsInCustody", [ABIParameter("custodian", .address)],
                             returns: [ABIParameter("ids", .array(.uint(256)))], .view) { call in
                [.array(try Self.ids(SupplyChainLayout.custody(try call.address(0)), call))]
            },
            ContractFunction("componentsAtSite", [ABIParameter("site", .fixedBytes(32))],
                             returns: [ABIParameter("ids", .array(.uint(256)))], .view) { call in
                [.array(try Self.ids(SupplyChainLayout.site(try call.bytes32(0)), call))]
            },
        ]
    }

    // MARK: Lifecycle

    static func register(_ call: Call) throws -> UInt64 {
        let serial = try call.bytes32(0)
        let manufacturer = try call.string(1)
        let model = try call.string(2)
        guard !serial.isZero else { throw call.revert("serial must not be zero") }
        guard !manufacturer.isEmpty else { throw call.revert("manufacturer must not be empty") }
        guard !model.isEmpty else { throw call.revert("model must not be empty") }
        let existing = try call.loadUInt(SupplyChainLayout.serial(serial))
        guard existing.isZero else {
            throw call.revert("serial \(serial.displayLabel) is already registered as component \(existing)")
        }
        let id = (try call.loadUInt(SupplyChainLayout.componentCount).asUInt64 ?? 0) + 1
        try call.storeUInt(SupplyChainLayout.componentCount, UInt256(id))
        try call.storeUInt(SupplyChainLayout.serial(serial), UInt256(id))
        let documentHash = try call.bytes32(3)
        try call.storeRecord(SupplyChainLayout.component(id), ComponentRecord(
            serial: serial, manufacturer: manufacturer, model: model, documentHash: documentHash,
            supplier: call.sender, at: call.block.timestamp))
        try SupplyChainLayout.custody(call.sender).insert(call, StorageKey.number(id))
        try appendHistory(call, id, .registered, ref: serial, note: "\(manufacturer) \(model)", evidence: documentHash)
        try call.emit(Self.componentRegistered, .uint(UInt256(id)), .fixedBytes(serial.bytes), .address(call.sender))
        return id
    }

    /// Only the current custodian hands a component on: custody is a physical fact the holder attests to.
    static func transfer(_ call: Call) throws {
        let (id, stored) = try activeComponent(call)
        var c = stored
        let to = try call.address(1)
        let location = try call.string(2)
        guard call.sender == c.custodian else {
            throw call.revert("only the custodian \(c.custodian.checksummed) may transfer component \(id)")
        }
        guard to != .zero else { throw call.revert("new custodian must not be the zero address") }
        guard to != c.custodian else {
            throw call.revert("component \(id) is already in the custody of \(to.checksummed)")
        }
        let from = c.custodian
        try leaveSite(call, id, &c)
        try SupplyChainLayout.custody(from).remove(call, StorageKey.number(id))
        try SupplyChainLayout.custody(to).insert(call, StorageKey.number(id))
        c.custodian = to
        c.state = .transferred
        try save(call, id, &c)
        try appendHistory(call, id, .custodyTransfer, ref: Hash32(paddedAddress: to), note: location)
        try call.emit(Self.custodyTransferred, .uint(UInt256(id)), .address(from), .address(to), .string(location))
    }

    /// Deploys to a site and rack; deploying an already deployed component moves it (e.g. a rack change).
    static func deploy(_ call: Call) throws {
        let (id, stored) = try activeComponent(call)
        var c = stored
        try requireCustodianOrOperator(call, id, c)
        let site = try call.bytes32(1)
        let rack = try call.string(2)
        guard !site.isZero else { throw call.revert("site must not be zero") }
        guard !(c.state == .deployed && c.site == site && c.rack == rack) else {
            throw call.revert("component \(id) is already deployed at site \(site.displayLabel) rack \(rack)")
        }
        if c.site != site {
            try leaveSite(call, id, &c)
            try SupplyChainLayout.site(site).insert(call, StorageKey.number(id))
        }
        c.site = site
        c.rack = rack
        c.state = .deployed
        try save(call, id, &c)
        try appendHistory(call, id, .deployed, ref: site, note: rack)
        try call.emit(Self.componentDeployed, .uint(UInt256(id)), .fixedBytes(site.bytes), .string(rack))
    }

    static func check(_ call: Call) throws {
        let (id, stored) = try activeComponent(call)
        var c = stored
        let standard = try call.bytes32(1)
        let passed = try call.bool(2)
        let evidence = try call.bytes32(3)
        guard !standard.isZero else { throw call.revert("standard must not be zero") }
        try call.storeRecord(SupplyChainLayout.check(id, standard), ComponentCheckRecord(
            passed: passed, evidenceHash: evidence, auditor: call.sender, timestamp: call.block.timestamp))
        try save(call, id, &c)
        try appendHistory(call, id, .complianceCheck, ref: standard, note: passed ? "passed" : "failed", evidence: evidence)
        try call.emit(Self.complianceChecked, .uint(UInt256(id)), .fixedBytes(standard.bytes), .bool(passed),
                      .address(call.sender))
    }

    /// Ends the lifecycle. The component stays readable (and in its custodian's list, who remains answerable for
    /// its disposal) but leaves its site.
    static func decommission(_ call: Call) throws {
        let (id, stored) = try activeComponent(call)
        var c = stored
        try requireCustodianOrOperator(call, id, c)
        let reason = try call.string(1)
        guard !reason.isEmpty else { throw call.revert("reason must not be empty: say why component \(id) is retired") }
        try leaveSite(call, id, &c)
        c.state = .decommissioned
        try save(call, id, &c)
        try appendHistory(call, id, .decommissioned, ref: .zero, note: reason)
        try call.emit(Self.componentDecommissioned, .uint(UInt256(id)), .string(reason))
    }

    // MARK: Helpers

    /// The component named by argument 0.
    static func component(_ call: Call) throws -> (UInt64, ComponentRecord) {
        let raw = try call.uint(0)
        guard let id = raw.asUInt64,
              let record = try call.loadRecord(ComponentRecord.self, SupplyChainLayout.component(id)) else {
            throw call.revert("no component \(raw)")
        }
        return (id, record)
    }

    /// The component named by argument 0, which must not be decommissioned.
    static func activeComponent(_ call: Call) throws -> (UInt64, ComponentRecord) {
        let (id, record) = try component(call)
        guard record.state != .decommissioned else {
            throw call.revert("component \(id) is decommissioned; its lifecycle has ended")
        }
        return (id, record)
    }

    static func requireCustodianOrOperator(_ call: Call, _ id: UInt64, _ c: ComponentRecord) throws {
        if call.sender == c.custodian { return }
        guard try call.hasRole(Roles.operator, call.sender) else {
            throw call.revert("caller \(call.sender.checksummed) is neither the custodian of component \(id) nor an OPERATOR")
        }
    }

    /// The history entry named by arguments 0 (id) and 1 (index).
    static func historyEntry(_ call: Call) throws -> ComponentHistoryRecord {
        let (id, _) = try component(call)
        let history = SupplyChainLayout.history(id)
        let rawIndex = try call.uint(1)
        let length = try history.count(call)
        guard let index = rawIndex.asUInt64, index < length, let bytes = try history.item(call, index) else {
            throw call.revert("component \(id) has \(length) history entr\(length == 1 ? "y" : "ies"); index \(rawIndex) is out of range")
        }
        do { return try ComponentHistoryRecord(rlp: bytes) } catch {
            throw call.revert("stored history entry \(index) of component \(id) is corrupt: \(error)")
        }
    }

    /// Takes a deployed component off its site's list and clears its location.
    static func leaveSite(_ call: Call, _ id: UInt64, _ c: inout ComponentRecord) throws {
        guard !c.site.isZero else { return }
        try SupplyChainLayout.site(c.site).remove(call, StorageKey.number(id))
        c.site = .zero
        c.rack = ""
    }

    static func save(_ call: Call, _ id: UInt64, _ c: inout ComponentRecord) throws {
        c.updatedAt = call.block.timestamp
        try call.storeRecord(SupplyChainLayout.component(id), c)
    }

    static func appendHistory(_ call: Call, _ id: UInt64, _ kind: ComponentHistoryKind, ref: Hash32, note: String,
                              evidence: Hash32 = .zero) throws {
        let entry = ComponentHistoryRecord(kind: kind, actor: call.sender, timestamp: call.block.timestamp, ref: ref,
                                           note: note, evidence: evidence)
        try SupplyChainLayout.history(id).append(call, entry.rlpEncoded)
    }

    /// The ids in a set of 8-byte big-endian ids, as ABI values.
    static func ids(_ set: StoredSet, _ call: Call) throws -> [ABIValue] {
        try set.all(call).map { bytes in
            guard let id = UInt256(bigEndian: bytes) else { throw call.revert("stored component id list is corrupt") }
            return .uint(id)
        }
    }
}
