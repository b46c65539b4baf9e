/// A set that remembers only its most recent `capacity` members, forgetting the oldest first: what a node keeps
/// of the blocks and transactions each peer already knows (geth `knownCache`), so that per-peer memory stays
/// bounded however much a peer announces.
struct RecentSet<Element: Hashable & Sendable>: Sendable {
    let capacity: Int
    private var members: Set<Element> = []
    private var order: [Element] = []
    /// Index in `order` of the oldest member (a ring once full).
    private var oldest = 0

    init(capacity: Int) {
        precondition(capacity > 0, "a recent set needs room for at least one member")
        self.capacity = capacity
    }

    func contains(_ element: Element) -> Bool { members.contains(element) }

    var count: Int { members.count }

    mutating func insert(_ element: Element) {
        guard members.insert(element).inserted else { return }
        if order.count < capacity {
            order.append(element)
        } else {
            members.remove(order[oldest])
            order[oldest] = element
            oldest = (oldest + 1) % capacity
        }
    }
}
