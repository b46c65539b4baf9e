import SankofaPrimitives

/// Remembers the digests of the last `limit` messages seen, so a message gossiped back or relayed by several
/// peers is handled once (Besu `MessageTracker`, `gossipedHistoryLimit`). Memory is bounded by `limit`.
final class DuplicateMessageTracker {
    let limit: Int
    private var digests: Set<Hash32> = []
    private var order: [Hash32] = []
    private var head = 0

    init(limit: Int) {
        self.limit = max(1, limit)
        order.reserveCapacity(self.limit)
    }

    static func digest(code: Int, data: [UInt8]) -> Hash32 {
        var keccak = Keccak256()
        keccak.update([UInt8(truncatingIfNeeded: code)])
        keccak.update(data)
        var out = Hash32.zero
        out.withUnsafeMutableBytes { keccak.finalize(into: $0) }
        return out
    }

    /// Records the message; returns false if it was already known.
    @discardableResult
    func insert(code: Int, data: [UInt8]) -> Bool {
        let digest = Self.digest(code: code, data: data)
        guard digests.insert(digest).inserted else { return false }
        if order.count < limit {
            order.append(digest)
        } else {
            digests.remove(order[head])
            order[head] = digest
            head = (head + 1) % limit
        }
        return true
    }

    var count: Int { digests.count }
}
