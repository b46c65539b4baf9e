import SankofaPrimitives
/// A bounded least-recently-used map: the engine keeps recent snapshots (128) and recovered signers (4096)
/// like geth's `lru` caches, so reorgs and repeated lookups do not replay or re-recover.
///
/// Entries live in an array linked by indices (no per-entry allocation); a lookup moves its entry to the
/// front, and inserting into a full cache reuses the slot of the least recently used entry.
/// `@unchecked Sendable` is sound because every access goes through `lock`.
final class LRUCache<Key: Hashable & Sendable, Value: Sendable>: @unchecked Sendable {
    private struct Node {
        var key: Key
        var value: Value
        var previous: Int
        var next: Int
    }

    private let capacity: Int
    private var nodes: [Node] = []
    private var index: [Key: Int] = [:]
    private var head = -1  // most recently used
    private var tail = -1  // least recently used
    private let lock = PThreadMutex()

    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    var count: Int { lock.withLock { index.count } }

    func value(for key: Key) -> Value? {
        lock.withLock {
            guard let slot = index[key] else { return nil }
            moveToFront(slot)
            return nodes[slot].value
        }
    }

    func insert(_ value: Value, for key: Key) {
        lock.withLock {
            if let slot = index[key] {
                nodes[slot].value = value
                moveToFront(slot)
                return
            }
            let slot: Int
            if nodes.count < capacity {
                slot = nodes.count
                nodes.append(Node(key: key, value: value, previous: -1, next: -1))
            } else {
                slot = tail
                unlink(slot)
                index[nodes[slot].key] = nil
                nodes[slot] = Node(key: key, value: value, previous: -1, next: -1)
            }
            index[key] = slot
            linkAtFront(slot)
        }
    }

    private func moveToFront(_ slot: Int) {
        guard slot != head else { return }
        unlink(slot)
        linkAtFront(slot)
    }

    private func unlink(_ slot: Int) {
        let previous = nodes[slot].previous
        let next = nodes[slot].next
        if previous >= 0 { nodes[previous].next = next } else { head = next }
        if next >= 0 { nodes[next].previous = previous } else { tail = previous }
        nodes[slot].previous = -1
        nodes[slot].next = -1
    }

    private func linkAtFront(_ slot: Int) {
        nodes[slot].next = head
        nodes[slot].previous = -1
        if head >= 0 { nodes[head].previous = slot }
        head = slot
        if tail < 0 { tail = slot }
    }
}
