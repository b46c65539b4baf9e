import SankofaPrimitives

/// Collects ROUND-CHANGEs per target round until a quorum justifies moving there (Besu `RoundChangeManager`).
/// A certificate is handed out once per round. Memory is bounded: one message per author per round, and at most
/// `roundsPerAuthor` rounds per author (its lowest is forgotten first), so a validator spamming future rounds
/// holds O(n) entries.
struct RoundChangeManager {
    static let roundsPerAuthor = 4

    private struct Status {
        var messages: [Address: RoundChange] = [:]
        var order: [Address] = []
        var actioned = false
    }

    let quorum: Int
    private var rounds: [UInt32: Status] = [:]
    private var roundsByAuthor: [Address: [UInt32]] = [:]
    /// The highest round each validator has asked for (Besu `roundSummary`).
    private var latestRound: [Address: UInt32] = [:]

    init(quorum: Int) {
        self.quorum = quorum
    }

    /// Stores a validated ROUND-CHANGE; returns the certificate when this message completes a quorum.
    mutating func append(_ roundChange: RoundChange) -> [RoundChange]? {
        let round = roundChange.roundIdentifier.round
        let author = roundChange.author
        latestRound[author] = max(latestRound[author] ?? 0, round)
        var status = rounds[round] ?? Status()
        guard !status.actioned, status.messages[author] == nil else { return nil }
        status.messages[author] = roundChange
        status.order.append(author)
        var authorRounds = roundsByAuthor[author, default: []]
        authorRounds.append(round)
        authorRounds.sort()
        if authorRounds.count > Self.roundsPerAuthor {
            let forgotten = authorRounds.removeFirst()
            if forgotten == round { return nil }
            forget(author, in: forgotten)
        }
        roundsByAuthor[author] = authorRounds
        if status.order.count >= quorum {
            status.actioned = true
            rounds[round] = status
            return status.order.compactMap { status.messages[$0] }
        }
        rounds[round] = status
        return nil
    }

    /// The lowest round above `current` that at least `threshold` validators have asked for, if that many are
    /// ahead (Besu `futureRCQuorumReceived`; the QBFT spec's f+1 rule). A node that fell behind in rounds, e.g.
    /// after a restart or a partition, catches up with the others this way instead of waiting out every timeout.
    func roundAhead(of current: UInt32, threshold: Int) -> UInt32? {
        let ahead = latestRound.values.filter { $0 > current }
        guard ahead.count >= threshold else { return nil }
        return ahead.min()
    }

    /// Drops rounds below `round` (Besu `discardRoundsPriorTo`).
    mutating func discardRounds(before round: UInt32) {
        rounds = rounds.filter { $0.key >= round }
        for (author, list) in roundsByAuthor { roundsByAuthor[author] = list.filter { $0 >= round } }
    }

    /// ROUND-CHANGE messages held.
    var count: Int { rounds.values.reduce(0) { $0 + $1.messages.count } }

    private mutating func forget(_ author: Address, in round: UInt32) {
        guard var status = rounds[round] else { return }
        status.messages[author] = nil
        status.order.removeAll { $0 == author }
        rounds[round] = status.order.isEmpty && !status.actioned ? nil : status
    }
}
