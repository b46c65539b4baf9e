import Logging
import SankofaCrypto
import SankofaPrimitives

/// Time as the peer manager sees it: elapsed since some fixed origin. Tests drive a manual one.
public protocol PeerClock: Sendable {
    var now: Duration { get }
}

/// The process's monotonic clock, from when it was made.
public struct SystemPeerClock: PeerClock {
    private let origin = ContinuousClock.now
    public init() {}
    public var now: Duration { ContinuousClock.now - origin }
}

/// Opens an outbound session; `P2PHost` is the real one, tests use a fake.
public protocol PeerDialer: Sendable {
    /// Dials `enode` (resolving a DNS name now, not earlier) and returns once the session is established.
    func dial(_ enode: Enode) async throws
}

extension P2PHost: PeerDialer {
    public func dial(_ enode: Enode) async throws { _ = try await connect(to: enode) }
}

/// Keeps the node connected (devp2p has no opinion; this follows Besu's `PeerManager`/`RlpxAgent`): dials static
/// peers and bootnodes with exponential backoff, redials everything at once when the peer count drops to zero,
/// holds inbound and outbound slots to `--max-peers`, and bans peers whose misbehaviour adds up.
///
/// `P2PHost` asks it whether to keep each new session (`admit`) and tells it when one ends; `run()` dials.
public final class PeerManager: Sendable {
    private let book: Locked<PeerBook>
    private let clock: any PeerClock
    private let dialer: Locked<(any PeerDialer)?>
    private let logger: Logger
    /// How often `run()` looks for due dials.
    public let tickInterval: Duration

    public init(configuration: PeerManagerConfiguration = .init(), clock: any PeerClock = SystemPeerClock(),
                dialer: (any PeerDialer)? = nil, tickInterval: Duration = .milliseconds(200),
                logger: Logger = Logger(label: "sankofa.p2p.peers")) {
        book = Locked(PeerBook(configuration: configuration))
        self.clock = clock
        self.dialer = Locked(dialer)
        self.tickInterval = tickInterval
        self.logger = logger
    }

    /// Sets who dials (the host, which is made after the manager it reports to).
    public func setDialer(_ dialer: any PeerDialer) { self.dialer.withLock { $0 = dialer } }

    public var configuration: PeerManagerConfiguration { book.withLock { $0.configuration } }

    /// A copy of the bookkeeping, for RPC and tests.
    public var snapshot: PeerBook { book.withLock { $0 } }

    /// Adds a peer to keep dialling (`admin_addPeer`, `--bootnodes`).
    public func add(_ enode: Enode, kind: PeerKind) {
        let now = clock.now
        book.withLock { $0.add(enode, kind: kind, now: now) }
    }

    /// Stops dialling a peer (`admin_removePeer`); true if it was known. The caller disconnects a live session.
    @discardableResult
    public func remove(_ key: PublicKey) -> Bool { book.withLock { $0.remove(key) } }

    /// Dials every due candidate concurrently and waits for the attempts to settle (tests step with this).
    public func tick() async {
        let due = takeDue()
        await withDiscardingTaskGroup { group in
            for enode in due { group.addTask { await self.dial(enode) } }
        }
    }

    /// Dials until cancelled (the node's P2P service runs it). Dials run alongside the loop, so one slow
    /// handshake does not hold back the others or a fresh `admin_addPeer`.
    public func run() async {
        await withDiscardingTaskGroup { group in
            while !Task.isCancelled {
                for enode in takeDue() { group.addTask { await self.dial(enode) } }
                try? await Task.sleep(for: tickInterval)
            }
        }
    }

    private func takeDue() -> [Enode] {
        let now = clock.now
        return book.withLock { $0.dueDials(now: now) }
    }

    private func dial(_ enode: Enode) async {
        do {
            guard let dialer = dialer.withLock({ $0 }) else { throw P2PSessionError.notActive }
            try await dialer.dial(enode)
            book.withLock { $0.dialSucceeded(enode.publicKey) }
        } catch {
            let later = clock.now
            let wait = book.withLock { book -> Duration in
                book.dialFailed(enode.publicKey, now: later)
                return (book.candidates[enode.publicKey]?.nextDial ?? later) - later
            }
            logger.debug("dial failed", metadata: ["enode": "\(enode)", "error": "\(error)", "retry-in": "\(wait)"])
        }
    }

    /// Whether a session that finished its Hello may stay; nil to keep it.
    public func admit(_ key: PublicKey, inbound: Bool) -> DisconnectReason? {
        let now = clock.now
        return book.withLock { $0.admit(key, inbound: inbound, now: now) }
    }

    /// The session to `key` now runs over a connection in the other direction.
    public func replaceSession(_ key: PublicKey, inbound: Bool) {
        book.withLock { $0.replaceSession(key, inbound: inbound) }
    }

    /// A session ended (either side).
    public func sessionEnded(_ key: PublicKey) {
        let now = clock.now
        book.withLock { $0.sessionEnded(key, now: now) }
    }

    /// Whether `key` is banned now.
    public func isBanned(_ key: PublicKey) -> Bool {
        let now = clock.now
        return book.withLock { $0.isBanned(key, now: now) }
    }

    /// Counts `points` against a peer; true when that bans it (the caller disconnects it).
    @discardableResult
    public func penalise(_ key: PublicKey, points: Int) -> Bool {
        let now = clock.now
        let banned = book.withLock { $0.penalise(key, points: points, now: now) }
        if banned { logger.info("peer banned for misbehaviour", metadata: ["peer": "\(key)"]) }
        return banned
    }

    /// Points for a disconnect we gave: invalid data costs, ordinary reasons do not.
    public static func penalty(for reason: DisconnectReason) -> Int {
        switch reason {
        case .breachOfProtocol, .subprotocolError: 50
        case .unexpectedIdentity, .invalidIdentity: 100
        default: 0
        }
    }
}
