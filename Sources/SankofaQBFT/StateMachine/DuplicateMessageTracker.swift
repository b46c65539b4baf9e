import SankofaPrimitives

/// Remembers the digests of the last `limit` messages seen, so a message gossiped back or relayed by several
/// peers is handled once (Besu `MessageTracker`, `gossipedHistoryLimit`). Memory is bounded by `limit`.
final class DuplicateMessageTracker {
    private var digests: RecentSet<Hash32>

    init(limit: Int) { digests = RecentSet(capacity: max(1, limit)) }

    var limit: Int { digests.capacity }

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
        digests.insert(Self.digest(code: code, data: data))
    }

    var count: Int { digests.count }
}
