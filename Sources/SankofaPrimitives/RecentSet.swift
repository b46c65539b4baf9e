/// A dictionary that remembers only its most recent `capacity` keys, forgetting the oldest first: bounded memory
/// for caches that remote parties fill (senders recovered per transaction hash).
public struct RecentMap<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    public let capacity: Int
    private var entries: [Key: Value] = [:]
    private var order: [Key] = []
    /// Index in `order` of the oldest key (a ring once full).
    private var oldest = 0

    public init(capacity: Int) {
        precondition(capacity > 0, "a recent map needs room for at least one entry")
        self.capacity = capacity
    }

    public subscript(key: Key) -> Value? { entries[key] }

    public var count: Int { entries.count }

    /// Adds `value` for `key`, evicting the oldest key when full; false (and the old value kept) if `key` was
    /// already present.
    @discardableResult
    public mutating func insert(_ value: Value, for key: Key) -> Bool {
        // One hash lookup for a new key (the usual case: these fill with fresh hashes), two for a known one.
        if let old = entries.updateValue(value, forKey: key) {
            entries[key] = old
            return false
        }
        if order.count < capacity {
            order.append(key)
        } else {
            entries[order[oldest]] = nil
            order[oldest] = key
            oldest = (oldest + 1) % capacity
        }
        return true
    }
}

/// A set that remembers only its most recent `capacity` members, forgetting the oldest first: what a node keeps
/// of the blocks and transactions each peer already knows (geth `knownCache`) and of the consensus messages it has
/// seen (Besu `MessageTracker`), so that memory stays bounded however much peers send.
public struct RecentSet<Element: Hashable & Sendable>: Sendable {
    private var members: RecentMap<Element, Bool>

    public init(capacity: Int) { members = RecentMap(capacity: capacity) }

    public var capacity: Int { members.capacity }

    public func contains(_ element: Element) -> Bool { members[element] != nil }

    public var count: Int { members.count }

    /// Adds `element`, evicting the oldest member when full; false if it was already a member.
    @discardableResult
    public mutating func insert(_ element: Element) -> Bool { members.insert(true, for: element) }
}
