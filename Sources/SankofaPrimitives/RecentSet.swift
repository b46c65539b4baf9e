/// A set that remembers only its most recent `capacity` members, forgetting the oldest first: what a node keeps
/// of the blocks and transactions each peer already knows (geth `knownCache`) and of the consensus messages it has
/// seen (Besu `MessageTracker`), so that memory stays bounded however much peers send.
public struct RecentSet<Element: Hashable & Sendable>: Sendable {
    public let capacity: Int
    private var members: Set<Element> = []
    private var order: [Element] = []
    /// Index in `order` of the oldest member (a ring once full).
    private var oldest = 0

    public init(capacity: Int) {
        precondition(capacity > 0, "a recent set needs room for at least one member")
        self.capacity = capacity
    }

    public func contains(_ element: Element) -> Bool { members.contains(element) }

    public var count: Int { members.count }

    /// Adds `element`, evicting the oldest member when full; false if it was already a member.
    @discardableResult
    public mutating func insert(_ element: Element) -> Bool {
        guard members.insert(element).inserted else { return false }
        if order.count < capacity {
            order.append(element)
        } else {
            members.remove(order[oldest])
            order[oldest] = element
            oldest = (oldest + 1) % capacity
        }
        return true
    }
}
