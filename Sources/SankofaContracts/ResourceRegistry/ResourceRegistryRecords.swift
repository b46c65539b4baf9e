import SankofaPrimitives

/// Where a resource is in its lifecycle (DESIGN.md: requested → provisioned → released). The raw values are what
/// `getResource` returns as `state`, so tools can switch on them.
public enum ResourceState: UInt8, Sendable, CaseIterable, Codable {
    case requested = 1
    case provisioned = 2
    case released = 3
}

/// The site tier a resource runs on, matching the node tiers of DESIGN.md; any other value is refused so that
/// capacity reports per tier stay exhaustive.
public enum ResourceTier: UInt8, Sendable, CaseIterable, Codable {
    case core = 1
    case regional = 2
    case edge = 3
}

/// A resource as stored: `rlp([owner, resourceType, region, tier, state, spec, externalRef, requestedAt,
/// provisionedAt, releasedAt])`. Timestamps are block times; 0 means "not yet".
struct ResourceRecord: RLPRecord, Equatable {
    var owner: Address
    var resourceType: Hash32
    var region: Hash32
    var tier: UInt8
    var state: UInt8
    var spec: String
    var externalRef: String
    var requestedAt: UInt64
    var provisionedAt: UInt64
    var releasedAt: UInt64

    init(owner: Address, resourceType: Hash32, region: Hash32, tier: UInt8, spec: String, requestedAt: UInt64) {
        self.owner = owner
        self.resourceType = resourceType
        self.region = region
        self.tier = tier
        self.state = ResourceState.requested.rawValue
        self.spec = spec
        self.externalRef = ""
        self.requestedAt = requestedAt
        self.provisionedAt = 0
        self.releasedAt = 0
    }
}

/// One usage record of a resource as stored: `rlp([metric, quantity, periodStart, periodEnd, recordedAt, recorder])`.
/// Kept beside the resource (not only in Billing) so an operator can audit what was metered per resource.
struct ResourceUsageRecord: RLPRecord, Equatable {
    var metric: Hash32
    var quantity: UInt256
    var periodStart: UInt64
    var periodEnd: UInt64
    var recordedAt: UInt64
    var recorder: Address
}

/// ResourceRegistry's storage layout, one line per record kind. Ids are 1-based; list elements are the 8-byte
/// big-endian id.
enum ResourceLayout {
    static let count = StorageKey.make("resource.count")
    static func resource(_ id: UInt64) -> Hash32 { StorageKey.make("resource", StorageKey.number(id)) }
    static func byOwner(_ owner: Address) -> StoredList { StoredList("owner.resources", scope: owner.bytes) }
    static func byRegion(_ region: Hash32) -> StoredList { StoredList("region.resources", scope: region.bytes) }
    static func usage(_ id: UInt64) -> StoredList { StoredList("usage", scope: StorageKey.number(id)) }
    static func usageTotal(_ id: UInt64, _ metric: Hash32) -> Hash32 {
        StorageKey.make("usage.total", StorageKey.number(id), metric.bytes)
    }
}
