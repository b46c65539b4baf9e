import SankofaPrimitives

/// Messages for heights the node has not reached, replayed when it gets there (Besu `FutureMessageBuffer`).
/// Bounded three ways: heights at most `maxDistance` ahead, at most `perSender` messages per author, and at most
/// `limit` in all, evicting from the highest height first as Besu does.
struct FutureMessageBuffer {
    struct Entry {
        let message: QBFTMessage
        let code: Int
        let data: [UInt8]
    }

    let maxDistance: UInt64
    let limit: Int
    let perSender: Int
    private var byHeight: [UInt64: [Entry]] = [:]
    private var perAuthor: [Address: Int] = [:]
    private(set) var count = 0

    init(maxDistance: UInt64, limit: Int, perSender: Int) {
        self.maxDistance = maxDistance
        self.limit = limit
        self.perSender = perSender
    }

    /// Holds `entry` for its height if allowed; returns how many messages were refused or evicted (0 or more).
    mutating func add(_ entry: Entry, currentHeight: UInt64) -> (held: Bool, dropped: Int) {
        let height = entry.message.roundIdentifier.height
        let author = entry.message.author
        guard limit > 0, height > currentHeight, height - currentHeight <= maxDistance,
              perAuthor[author, default: 0] < perSender else { return (false, 1) }
        byHeight[height, default: []].append(entry)
        perAuthor[author, default: 0] += 1
        count += 1
        var evicted = 0
        while count > limit, let highest = byHeight.keys.max() {
            if byHeight.count > 1 {
                for dropped in byHeight[highest] ?? [] { release(dropped.message.author) }
                evicted += byHeight[highest]?.count ?? 0
                count -= byHeight[highest]?.count ?? 0
                byHeight[highest] = nil
            } else if byHeight[highest]?.isEmpty == false {
                // Trimmed in place (a copy taken out and written back would copy every entry per message).
                release(byHeight[highest, default: []].removeFirst().message.author)
                count -= 1
                evicted += 1
            }
        }
        // The new entry is the last of its height's list, and lists lose their first entries or go whole (with
        // `limit > 0` a single height keeps at least the newest): it is held exactly when its height still is.
        return (byHeight[height] != nil, evicted)
    }

    /// Removes and returns the messages for `height`, discarding those for every earlier height.
    mutating func take(height: UInt64) -> [Entry] {
        let taken = byHeight[height] ?? []
        for key in byHeight.keys where key <= height {
            for entry in byHeight[key] ?? [] { release(entry.message.author) }
            count -= byHeight[key]?.count ?? 0
            byHeight[key] = nil
        }
        return taken
    }

    private mutating func release(_ author: Address) {
        let left = perAuthor[author, default: 1] - 1
        perAuthor[author] = left > 0 ? left : nil
    }
}
