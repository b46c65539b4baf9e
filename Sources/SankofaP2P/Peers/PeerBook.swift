import SankofaCrypto

/// How the peer manager sizes its slots, backs off and bans. Defaults follow Besu: `--max-peers` 25, at most 60 %
/// of the slots for connections peers open to us (`--remote-connections-max-percentage`).
public struct PeerManagerConfiguration: Sendable, Equatable {
    /// `--max-peers`: sessions at once, static peers not counted (Besu: static nodes are exempt from the limits).
    public var maxPeers = 25
    /// The share of `maxPeers` that inbound sessions may take.
    public var maxInboundPercent = 60
    /// The first redial waits this long; each failure doubles it up to `backoffMax`.
    public var backoffBase: Duration = .seconds(1)
    public var backoffMax: Duration = .seconds(60)
    /// Misbehaviour points at which a peer is banned.
    public var banThreshold = 100
    public var banDuration: Duration = .seconds(600)
    /// A session shorter than this counts as a failed dial for backoff (a peer that accepts and then says "too
    /// many peers" must not be redialled every second).
    public var stableSession: Duration = .seconds(30)
    /// At most this many banned or scored keys are remembered (anyone can make new keys; the book stays bounded).
    public var maxRemembered = 1_024

    public init() {}

    /// Inbound slots: `maxInboundPercent` of `maxPeers`, at least one while `maxPeers` is positive.
    public var maxInbound: Int {
        guard maxPeers > 0 else { return 0 }
        return max(1, maxPeers * maxInboundPercent / 100)
    }

    /// The wait before dial attempt `failures + 1`: `backoffBase · 2^(failures-1)`, capped at `backoffMax`;
    /// no wait before the first attempt.
    public func backoff(afterFailures failures: Int) -> Duration {
        guard failures > 0 else { return .zero }
        var delay = backoffBase
        for _ in 1..<min(failures, 32) where delay < backoffMax { delay *= 2 }
        return min(delay, backoffMax)
    }
}

/// Why a peer is known and dialled.
public enum PeerKind: String, Sendable, Equatable {
    /// `admin_addPeer` or a configured static node: always redialled, never limited by slots.
    case `static`
    /// `--bootnodes`: dialled while there are free outbound slots.
    case bootnode
}

/// The peer manager's bookkeeping, with no sockets and no clock of its own (every method takes `now`), so the
/// dial schedule, slot limits, bans and redial-at-zero are unit-tested with a manual clock.
public struct PeerBook: Sendable {
    /// A peer we dial.
    public struct Candidate: Sendable, Equatable {
        /// Kept as given: a DNS name is resolved again at every dial (pods change IPs).
        public var enode: Enode
        public var kind: PeerKind
        /// Dial failures since the last session.
        public var failures = 0
        public var nextDial: Duration
        public var dialing = false
    }

    public let configuration: PeerManagerConfiguration
    public private(set) var candidates: [PublicKey: Candidate] = [:]
    /// Established sessions: true when inbound.
    public private(set) var sessions: [PublicKey: Bool] = [:]
    private var sessionStarts: [PublicKey: Duration] = [:]
    private var scores: [PublicKey: Int] = [:]
    private var bans: [PublicKey: Duration] = [:]

    public init(configuration: PeerManagerConfiguration = .init()) { self.configuration = configuration }

    public var inboundCount: Int { sessions.values.filter { $0 }.count }

    // MARK: Candidates

    /// Adds or updates a peer to dial; it is due at once.
    public mutating func add(_ enode: Enode, kind: PeerKind, now: Duration) {
        if var known = candidates[enode.publicKey] {
            known.enode = enode
            if kind == .static { known.kind = .static }
            known.failures = 0
            known.nextDial = now
            candidates[enode.publicKey] = known
        } else {
            candidates[enode.publicKey] = Candidate(enode: enode, kind: kind, nextDial: now)
        }
    }

    /// Forgets a peer to dial; true if it was known.
    @discardableResult
    public mutating func remove(_ key: PublicKey) -> Bool { candidates.removeValue(forKey: key) != nil }

    // MARK: Dialling

    /// The candidates due now, marked as being dialled: not connected, not banned, and (bootnodes only) while
    /// sessions plus dials in flight, static peers not counted, leave a slot under `maxPeers`.
    public mutating func dueDials(now: Duration) -> [Enode] {
        var due: [Enode] = []
        var busy = sessions.keys.filter { !isStatic($0) }.count
            + candidates.values.filter { $0.dialing && $0.kind != .static }.count
        for (key, candidate) in candidates.sorted(by: { $0.value.nextDial < $1.value.nextDial }) {
            guard !candidate.dialing, sessions[key] == nil, candidate.nextDial <= now, !isBanned(key, now: now) else { continue }
            if candidate.kind == .bootnode {
                guard busy < configuration.maxPeers else { continue }
                busy += 1
            }
            candidates[key]?.dialing = true
            due.append(candidate.enode)
        }
        return due
    }

    /// A dial ended without a session: the next one waits out the backoff.
    public mutating func dialFailed(_ key: PublicKey, now: Duration) {
        guard var candidate = candidates[key] else { return }
        candidate.dialing = false
        candidate.failures += 1
        candidate.nextDial = now + configuration.backoff(afterFailures: candidate.failures)
        candidates[key] = candidate
    }

    /// A dial ended in a session. Failures are forgotten only once a session proves stable (`sessionEnded`).
    public mutating func dialSucceeded(_ key: PublicKey) {
        candidates[key]?.dialing = false
    }

    /// When the next candidate falls due, if any is waiting.
    public func nextDue() -> Duration? {
        candidates.values.filter { !$0.dialing }.map(\.nextDial).min()
    }

    // MARK: Sessions

    /// Whether a session that finished its Hello may stay: nil to keep it, or the reason to disconnect it.
    public mutating func admit(_ key: PublicKey, inbound: Bool, now: Duration) -> DisconnectReason? {
        if isBanned(key, now: now) { return .uselessPeer }
        if sessions[key] != nil { return .alreadyConnected }
        if !isStatic(key) {
            let counted = sessions.filter { !isStatic($0.key) }
            if counted.count >= configuration.maxPeers { return .tooManyPeers }
            if inbound, counted.values.filter({ $0 }).count >= configuration.maxInbound { return .tooManyPeers }
        }
        sessions[key] = inbound
        sessionStarts[key] = now
        return nil
    }

    /// A session to an admitted peer was swapped for one in the other direction (simultaneous dials).
    public mutating func replaceSession(_ key: PublicKey, inbound: Bool) {
        if sessions[key] != nil { sessions[key] = inbound }
    }

    /// A session ended. Its candidate is redialled after the base backoff if the session was stable, else after
    /// the next step of its backoff. When it was the last session, every other candidate is due at once (Besu
    /// #6208: a node whose peers all dropped must not sit out long backoffs before it tries its bootnodes again);
    /// their failure counts stay, so peers that keep failing still back off.
    public mutating func sessionEnded(_ key: PublicKey, now: Duration) {
        guard sessions.removeValue(forKey: key) != nil else { return }
        let started = sessionStarts.removeValue(forKey: key) ?? now
        if var candidate = candidates[key] {
            if now - started >= configuration.stableSession {
                candidate.failures = 0
                candidate.nextDial = now + configuration.backoffBase
            } else {
                candidate.failures += 1
                candidate.nextDial = now + configuration.backoff(afterFailures: candidate.failures)
            }
            candidates[key] = candidate
        }
        if sessions.isEmpty {
            for (other, candidate) in candidates where other != key && !candidate.dialing {
                candidates[other]?.nextDial = min(candidate.nextDial, now)
            }
        }
    }

    private func isStatic(_ key: PublicKey) -> Bool { candidates[key]?.kind == .static }

    // MARK: Misbehaviour

    /// Adds `points` to a peer's score; at `banThreshold` the peer is banned for `banDuration` and true is
    /// returned (the caller disconnects it).
    public mutating func penalise(_ key: PublicKey, points: Int, now: Duration) -> Bool {
        let score = (scores[key] ?? 0) + max(points, 0)
        guard score < configuration.banThreshold else {
            scores[key] = nil
            ban(key, until: now + configuration.banDuration)
            return true
        }
        if scores[key] == nil, scores.count >= configuration.maxRemembered, let any = scores.keys.first { scores[any] = nil }
        scores[key] = score
        return false
    }

    public func score(_ key: PublicKey) -> Int { scores[key] ?? 0 }

    /// Bans a peer until `until`: it is neither dialled nor admitted before then.
    public mutating func ban(_ key: PublicKey, until: Duration) {
        if bans[key] == nil, bans.count >= configuration.maxRemembered,
           let soonest = bans.min(by: { $0.value < $1.value })?.key {
            bans[soonest] = nil
        }
        bans[key] = until
    }

    public func isBanned(_ key: PublicKey, now: Duration) -> Bool {
        guard let until = bans[key] else { return false }
        return until > now
    }
}
