import SankofaPrimitives

/// Cloud resources per region and tier, from request to release, with usage records (DESIGN.md `0x…1002`).
///
/// Anyone may request a resource; OPERATORs provision it and meter it; the owner or an OPERATOR releases it.
/// Every usage record also bills the owner through `Billing.recordUsage` inside the same transaction, so the
/// registry and the ledger can never disagree: if Billing refuses (paused, overflow), the usage is not stored
/// either.
public struct ResourceRegistry: SystemContract {
    public let name = "ResourceRegistry"
    public let address = SystemAddresses.resourceRegistry

    public init() {}

    public static let resourceRequested = ContractEvent("ResourceRequested", [
        ABIParameter("id", .uint(256), indexed: true), ABIParameter("owner", .address, indexed: true),
        ABIParameter("resourceType", .fixedBytes(32)), ABIParameter("region", .fixedBytes(32)),
        ABIParameter("tier", .uint(8))])
    public static let resourceProvisioned = ContractEvent("ResourceProvisioned", [
        ABIParameter("id", .uint(256), indexed: true), ABIParameter("externalRef", .string)])
    public static let resourceUsage = ContractEvent("ResourceUsage", [
        ABIParameter("id", .uint(256), indexed: true), ABIParameter("metric", .fixedBytes(32), indexed: true),
        ABIParameter("quantity", .uint(256)), ABIParameter("periodStart", .uint(64)), ABIParameter("periodEnd", .uint(64))])
    public static let resourceReleased = ContractEvent("ResourceReleased", [ABIParameter("id", .uint(256), indexed: true)])

    public var events: [ContractEvent] {
        [Self.resourceRequested, Self.resourceProvisioned, Self.resourceUsage, Self.resourceReleased]
    }

    public var functions: [ContractFunction] {
        let id = ABIParameter("id", .uint(256))
        let ids = [ABIParameter("ids", .array(.uint(256)))]
        return [
            ContractFunction("requestResource", [
                ABIParameter("resourceType", .fixedBytes(32)), ABIParameter("spec", .string),
                ABIParameter("region", .fixedBytes(32)), ABIParameter("tier", .uint(8)),
            ], returns: [id]) { call in try Self.request(call) },
            ContractFunction("markProvisioned", [id, ABIParameter("externalRef", .string)],
                             roles: [Roles.operator]) { call in try Self.markProvisioned(call) },
            ContractFunction("recordUsage", [
                id, ABIParameter("metric", .fixedBytes(32)), ABIParameter("quantity", .uint(256)),
                ABIParameter("periodStart", .uint(64)), ABIParameter("periodEnd", .uint(64)),
            ], roles: [Roles.operator]) { call in try Self.recordUsage(call) },
            ContractFunction("releaseResource", [id]) { call in try Self.release(call) },
            ContractFunction("getResource", [id], returns: [
                ABIParameter("owner", .address), ABIParameter("resourceType", .fixedBytes(32)),
                ABIParameter("region", .fixedBytes(32)), ABIParameter("tier", .uint(8)), ABIParameter("state", .uint(8)),
                ABIParameter("spec", .string), ABIParameter("externalRef", .string),
            ], .view) { call in
                let (_, r) = try Self.resource(call)
                return [.address(r.owner), .fixedBytes(r.resourceType.bytes), .fixedBytes(r.region.bytes),
                        .uint(UInt256(UInt64(r.tier))), .uint(UInt256(UInt64(r.state))), .string(r.spec),
                        .string(r.externalRef)]
            },
            ContractFunction("resourceTimes", [id], returns: [
                ABIParameter("requestedAt", .uint(64)), ABIParameter("provisionedAt", .uint(64)),
                ABIParameter("releasedAt", .uint(64)),
            ], .view) { call in
                let (_, r) = try Self.resource(call)
                return [.uint(UInt256(r.requestedAt)), .uint(UInt256(r.provisionedAt)), .uint(UInt256(r.releasedAt))]
            },
            ContractFunction("resourcesOf", [ABIParameter("owner", .address)], returns: ids, .view) { call in
                [try Self.idList(ResourceLayout.byOwner(try call.address(0)), call)]
            },
            ContractFunction("resourcesInRegion", [ABIParameter("region", .fixedBytes(32))], returns: ids, .view) { call in
                [try Self.idList(ResourceLayout.byRegion(try call.bytes32(0)), call)]
            },
            ContractFunction("resourceCount", [], returns: [ABIParameter("count", .uint(256))], .view) { call in
                [.uint(try call.loadUInt(ResourceLayout.count))]
            },
            ContractFunction("usageCount", [id], returns: [ABIParameter("count", .uint(256))], .view) { call in
                let (id, _) = try Self.resource(call)
                return [.uint(UInt256(try ResourceLayout.usage(id).count(call)))]
            },
            ContractFunction("usageEntry", [id, ABIParameter("index", .uint(256))], returns: [
                ABIParameter("metric", .fixedBytes(32)), ABIParameter("quantity", .uint(256)),
                ABIParameter("periodStart", .uint(64)), ABIParameter("periodEnd", .uint(64)),
                ABIParameter("recordedAt", .uint(64)),
            ], .view) { call in
                let u = try Self.usageEntry(call)
                return [.fixedBytes(u.metric.bytes), .uint(u.quantity), .uint(UInt256(u.periodStart)),
                        .uint(UInt256(u.periodEnd)), .uint(UInt256(u.recordedAt))]
            },
            ContractFunction("usageTotal", [id, ABIParameter("metric", .fixedBytes(32))],
                             returns: [ABIParameter("total", .uint(256))], .view) { call in
                let (id, _) = try Self.resource(call)
                return [.uint(try call.loadUInt(ResourceLayout.usageTotal(id, try call.bytes32(1))))]
            },
        ]
    }

    // MARK: Handlers

    static func request(_ call: Call) throws -> [ABIValue] {
        let resourceType = try call.bytes32(0)
        let region = try call.bytes32(2)
        guard !resourceType.isZero else { throw call.revert("resourceType must not be zero") }
        guard !region.isZero else { throw call.revert("region must not be zero") }
        let tier = try call.choice(3, "tier", as: ResourceTier.self)
        guard let previous = try call.loadUInt(ResourceLayout.count).asUInt64, previous < UInt64.max else {
            throw call.revert("arithmetic overflow: resource ids are exhausted")
        }
        let id = previous + 1
        try call.storeUInt(ResourceLayout.count, UInt256(id))
        try call.storeRecord(ResourceLayout.resource(id), ResourceRecord(
            owner: call.sender, resourceType: resourceType, region: region, tier: tier.rawValue,
            spec: try call.string(1), requestedAt: call.block.timestamp))
        try ResourceLayout.byOwner(call.sender).append(call, StorageKey.number(id))
        try ResourceLayout.byRegion(region).append(call, StorageKey.number(id))
        try call.emit(Self.resourceRequested, .uint(UInt256(id)), .address(call.sender), .fixedBytes(resourceType.bytes),
                      .fixedBytes(region.bytes), .uint(UInt256(UInt64(tier.rawValue))))
        return [.uint(UInt256(id))]
    }

    static func markProvisioned(_ call: Call) throws -> [ABIValue] {
        var (id, record) = try resource(call)
        let externalRef = try call.string(1)
        switch ResourceState(rawValue: record.state) {
        case .requested: break
        case .provisioned: throw call.revert("resource \(id) is already provisioned (externalRef \"\(record.externalRef)\")")
        case .released: throw call.revert("resource \(id) was released and cannot be provisioned")
        case nil: throw call.revert("resource \(id) has unknown state \(record.state)")
        }
        guard !externalRef.isEmpty else {
            throw call.revert("externalRef must not be empty: give the provider's identifier for the resource")
        }
        record.state = ResourceState.provisioned.rawValue
        record.externalRef = externalRef
        record.provisionedAt = call.block.timestamp
        try call.storeRecord(ResourceLayout.resource(id), record)
        try call.emit(Self.resourceProvisioned, .uint(UInt256(id)), .string(externalRef))
        return []
    }

    /// Stores the usage beside the resource, adds it to the per-metric total and bills the owner in Billing. The
    /// Billing timestamp is `periodEnd`: the usage belongs to the invoice period in which its metering period ends.
    static func recordUsage(_ call: Call) throws -> [ABIValue] {
        let (id, record) = try resource(call)
        let metric = try call.bytes32(1)
        let quantity = try call.uint(2)
        let periodStart = try call.uint64(3)
        let periodEnd = try call.uint64(4)
        switch ResourceState(rawValue: record.state) {
        case .provisioned: break
        case .requested: throw call.revert("resource \(id) is not provisioned yet: call markProvisioned first")
        case .released: throw call.revert("resource \(id) was released; usage can no longer be recorded")
        case nil: throw call.revert("resource \(id) has unknown state \(record.state)")
        }
        guard !metric.isZero else { throw call.revert("metric must not be zero") }
        guard !quantity.isZero else { throw call.revert("quantity must be greater than zero") }
        guard periodStart <= periodEnd else {
            throw call.revert("periodStart \(periodStart) is after periodEnd \(periodEnd)")
        }
        let totalKey = ResourceLayout.usageTotal(id, metric)
        guard let total = try call.loadUInt(totalKey).checkedAdd(quantity) else {
            throw call.revert("arithmetic overflow: usage total of resource \(id) for this metric would exceed 2^256-1")
        }
        try call.storeUInt(totalKey, total)
        try ResourceLayout.usage(id).append(call, ResourceUsageRecord(
            metric: metric, quantity: quantity, periodStart: periodStart, periodEnd: periodEnd,
            recordedAt: call.block.timestamp, recorder: call.sender).rlpEncoded)
        try call.emit(Self.resourceUsage, .uint(UInt256(id)), .fixedBytes(metric.bytes), .uint(quantity),
                      .uint(UInt256(periodStart)), .uint(UInt256(periodEnd)))
        _ = try call.call(SystemAddresses.billing, "recordUsage", .address(record.owner), .fixedBytes(metric.bytes),
                          .uint(quantity), .uint(UInt256(periodEnd)))
        return []
    }

    /// Releasing a requested (never provisioned) resource cancels the request; either way it is final.
    static func release(_ call: Call) throws -> [ABIValue] {
        var (id, record) = try resource(call)
        guard try call.sender == record.owner || call.hasRole(Roles.operator, call.sender) else {
            throw call.revert("only the owner \(record.owner.checksummed) or an OPERATOR may release resource \(id)")
        }
        guard record.state != ResourceState.released.rawValue else {
            throw call.revert("resource \(id) is already released")
        }
        record.state = ResourceState.released.rawValue
        record.releasedAt = call.block.timestamp
        try call.storeRecord(ResourceLayout.resource(id), record)
        try call.emit(Self.resourceReleased, .uint(UInt256(id)))
        return []
    }

    // MARK: Helpers

    /// The resource named by argument 0, which must exist.
    static func resource(_ call: Call) throws -> (UInt64, ResourceRecord) {
        let raw = try call.uint(0)
        guard let id = raw.asUInt64,
              let record = try call.loadRecord(ResourceRecord.self, ResourceLayout.resource(id)) else {
            throw call.revert("no resource with id \(raw.decimalString)")
        }
        return (id, record)
    }

    static func usageEntry(_ call: Call) throws -> ResourceUsageRecord {
        let (id, _) = try resource(call)
        let rawIndex = try call.uint(1)
        let list = ResourceLayout.usage(id)
        let count = try list.count(call)
        guard let index = rawIndex.asUInt64, index < count,
              let entry = try call.loadRecord(ResourceUsageRecord.self, list.itemKey(index)) else {
            throw call.revert("resource \(id) has \(count) usage records; index \(rawIndex.decimalString) is out of range")
        }
        return entry
    }

    static func idList(_ list: StoredList, _ call: Call) throws -> ABIValue {
        .array(try list.all(call).map { .uint(UInt256(bigEndian: $0) ?? .zero) })
    }
}
