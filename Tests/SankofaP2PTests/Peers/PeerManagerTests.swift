import SankofaCrypto
import SankofaPrimitives
import Testing
@testable import SankofaP2P

/// A clock the test moves by hand.
final class ManualPeerClock: PeerClock, @unchecked Sendable {
    private let time = Locked<Duration>(.zero)
    var now: Duration { time.withLock { $0 } }
    func advance(_ by: Duration) { time.withLock { $0 += by } }
}

/// Records every dial; fails the keys in `unreachable`, and otherwise "connects" by admitting the session to the
/// manager, as `P2PHost` does after Hello.
final class FakeDialer: PeerDialer, @unchecked Sendable {
    let dials = Locked<[Enode]>([])
    let unreachable = Locked<Set<PublicKey>>([])
    var manager: PeerManager?

    struct Refused: Error {}

    func dial(_ enode: Enode) async throws {
        dials.withLock { $0.append(enode) }
        if unreachable.withLock({ $0.contains(enode.publicKey) }) { throw Refused() }
        if let reason = manager?.admit(enode.publicKey, inbound: false) { throw P2PSessionError.closed(reason) }
    }

    func count(_ key: PublicKey) -> Int { dials.withLock { $0.filter { $0.publicKey == key }.count } }
}

/// The peer manager against a fake dialer and a manual clock: no sockets, no sleeps.
@Suite("Peer manager")
struct PeerManagerTests {
    /// Peers A…F, each with its own key.
    static let keys = (0..<6).map { _ in (try? PrivateKey.generate())! }
    static func enode(_ index: Int, host: String = "127.0.0.1") -> Enode {
        Enode(publicKey: keys[index].publicKey, host: host, tcpPort: 30303 + index)
    }

    func makeManager(_ configure: (inout PeerManagerConfiguration) -> Void = { _ in })
        -> (PeerManager, FakeDialer, ManualPeerClock) {
        var configuration = PeerManagerConfiguration()
        configure(&configuration)
        let clock = ManualPeerClock()
        let dialer = FakeDialer()
        let manager = PeerManager(configuration: configuration, clock: clock, dialer: dialer)
        dialer.manager = manager
        return (manager, dialer, clock)
    }

    @Test func backoffDoublesToItsCap() {
        let configuration = PeerManagerConfiguration()
        let waits = (0...9).map { configuration.backoff(afterFailures: $0) }
        #expect(waits == [.zero, .seconds(1), .seconds(2), .seconds(4), .seconds(8), .seconds(16), .seconds(32),
                          .seconds(60), .seconds(60), .seconds(60)])
        #expect(configuration.backoff(afterFailures: 1_000) == .seconds(60))
    }

    @Test func unreachablePeerIsRedialledOnTheBackoffSchedule() async {
        let (manager, dialer, clock) = makeManager()
        let a = Self.enode(0)
        dialer.unreachable.withLock { _ = $0.insert(a.publicKey) }
        manager.add(a, kind: .static)
        // Dial times: 0, then 1 s, 2 s, 4 s after each failure.
        var dialledAt: [Duration] = []
        for _ in 0..<80 {   // 8 s in steps of 100 ms
            let before = dialer.count(a.publicKey)
            await manager.tick()
            if dialer.count(a.publicKey) > before { dialledAt.append(clock.now) }
            clock.advance(.milliseconds(100))
        }
        #expect(dialledAt == [.zero, .seconds(1), .seconds(3), .seconds(7)])
        #expect(manager.snapshot.candidates[a.publicKey]?.failures == 4)
    }

    @Test func connectedPeersAreNotRedialledAndRedialAfterTheyDrop() async {
        let (manager, dialer, clock) = makeManager()
        let a = Self.enode(0)
        manager.add(a, kind: .static)
        await manager.tick()
        #expect(manager.snapshot.sessions[a.publicKey] == false)
        clock.advance(.seconds(120))
        await manager.tick()
        #expect(dialer.count(a.publicKey) == 1)
        manager.sessionEnded(a.publicKey)   // a stable session: redialled after the base backoff
        await manager.tick()
        #expect(dialer.count(a.publicKey) == 1)
        clock.advance(.seconds(1))
        await manager.tick()
        #expect(dialer.count(a.publicKey) == 2)
    }

    /// A peer that accepts and then drops us at once ("too many peers") backs off like an unreachable one.
    @Test func shortSessionsBackOff() async {
        let (manager, dialer, clock) = makeManager()
        let a = Self.enode(0)
        manager.add(a, kind: .static)
        var dialledAt: [Duration] = []
        for _ in 0..<80 {   // 8 s in steps of 100 ms; every session ends 100 ms after it starts
            let before = dialer.count(a.publicKey)
            await manager.tick()
            if dialer.count(a.publicKey) > before { dialledAt.append(clock.now) }
            clock.advance(.milliseconds(100))
            manager.sessionEnded(a.publicKey)
        }
        #expect(dialledAt == [.zero, .milliseconds(1_100), .milliseconds(3_200), .milliseconds(7_300)])
    }

    @Test func peersDroppingToZeroRedialsEveryoneAtOnce() async {
        let (manager, dialer, clock) = makeManager()
        let (a, b) = (Self.enode(0), Self.enode(1))
        manager.add(a, kind: .bootnode)
        manager.add(b, kind: .bootnode)
        dialer.unreachable.withLock { _ = $0.insert(b.publicKey) }
        for _ in 0..<5 {   // B fails five times (t = 0, 10, 20, 30, 40 s): its next dial is at 56 s
            await manager.tick()
            clock.advance(.seconds(10))
        }
        let failed = dialer.count(b.publicKey)
        #expect(failed == 5)
        #expect(manager.snapshot.candidates[b.publicKey]?.nextDial == .seconds(56))
        dialer.unreachable.withLock { $0 = [] }
        // A drops: no peers left, so B is dialled now, not after its backoff (Besu #6208).
        manager.sessionEnded(a.publicKey)
        await manager.tick()
        #expect(dialer.count(b.publicKey) == failed + 1)
        #expect(manager.snapshot.sessions.keys.contains(b.publicKey))
    }

    @Test func slotsLimitInboundAndBootnodesButNotStaticPeers() async {
        let (manager, dialer, _) = makeManager { $0.maxPeers = 3 }   // 60 %: one inbound slot
        #expect(manager.configuration.maxInbound == 1)
        #expect(manager.admit(Self.keys[0].publicKey, inbound: true) == nil)
        #expect(manager.admit(Self.keys[1].publicKey, inbound: true) == .tooManyPeers)
        #expect(manager.admit(Self.keys[0].publicKey, inbound: false) == .alreadyConnected)
        // Two bootnodes fill the remaining slots; the third waits for a free one.
        for index in 1...3 { manager.add(Self.enode(index), kind: .bootnode) }
        await manager.tick()
        #expect(dialer.dials.withLock { $0.count } == 2)
        #expect(manager.snapshot.sessions.count == 3)
        // A static peer is admitted over the limit and dialled regardless.
        manager.add(Self.enode(4), kind: .static)
        await manager.tick()
        #expect(manager.snapshot.sessions.count == 4)
        #expect(dialer.count(Self.keys[4].publicKey) == 1)
        #expect(manager.admit(Self.keys[5].publicKey, inbound: false) == .tooManyPeers)
        // One leaves: the waiting bootnode gets its slot.
        manager.sessionEnded(Self.keys[0].publicKey)
        await manager.tick()
        #expect(manager.snapshot.sessions.count == 4)
    }

    @Test func misbehaviourBansForAWhile() async {
        let (manager, dialer, clock) = makeManager { $0.banDuration = .seconds(60) }
        let a = Self.enode(0)
        #expect(manager.admit(a.publicKey, inbound: true) == nil)
        #expect(!manager.penalise(a.publicKey, points: PeerManager.penalty(for: .breachOfProtocol)))
        #expect(manager.penalise(a.publicKey, points: PeerManager.penalty(for: .breachOfProtocol)))
        manager.sessionEnded(a.publicKey)
        // Banned: refused inbound and not dialled, even as a static peer.
        #expect(manager.admit(a.publicKey, inbound: true) == .uselessPeer)
        manager.add(a, kind: .static)
        await manager.tick()
        #expect(dialer.count(a.publicKey) == 0)
        clock.advance(.seconds(61))
        await manager.tick()
        #expect(dialer.count(a.publicKey) == 1)
        #expect(manager.snapshot.score(a.publicKey) == 0)
        #expect(PeerManager.penalty(for: .tooManyPeers) == 0)
    }

    @Test func theBanListStaysBounded() {
        var configuration = PeerManagerConfiguration()
        configuration.maxRemembered = 4
        var book = PeerBook(configuration: configuration)
        for index in 0..<6 { book.ban(Self.keys[index].publicKey, until: .seconds(100 + index)) }
        let banned = (0..<6).filter { book.isBanned(Self.keys[$0].publicKey, now: .zero) }
        #expect(banned == [2, 3, 4, 5])   // the soonest to expire made room
    }

    /// A DNS name stays a name in the book, so each dial resolves it again (a pod that moved is found).
    @Test func hostNamesAreKeptForEveryRedial() async {
        let (manager, dialer, clock) = makeManager()
        let a = Self.enode(0, host: "validator-0.validators.sankofa.svc")
        dialer.unreachable.withLock { _ = $0.insert(a.publicKey) }
        manager.add(a, kind: .bootnode)
        await manager.tick()
        clock.advance(.seconds(1))
        await manager.tick()
        #expect(dialer.dials.withLock { $0.map(\.host) } == [a.host, a.host])
        // Re-adding with a new address replaces the old one and dials at once.
        let moved = Self.enode(0, host: "10.1.2.3")
        manager.add(moved, kind: .static)
        await manager.tick()
        #expect(dialer.dials.withLock { $0.last?.host } == "10.1.2.3")
    }

    /// Both ends of two crossing dials keep the same connection: the one dialled by the lower node id.
    @Test func crossingDialsKeepTheSameConnectionOnBothSides() {
        let (x, y) = (Self.keys[0].publicKey, Self.keys[1].publicKey)
        let xDialledSeenByX = P2PHost.keepsNewConnection(inbound: false, local: x, remote: y)
        let xDialledSeenByY = P2PHost.keepsNewConnection(inbound: true, local: y, remote: x)
        let yDialledSeenByY = P2PHost.keepsNewConnection(inbound: false, local: y, remote: x)
        #expect(xDialledSeenByX == xDialledSeenByY)
        #expect(xDialledSeenByX != yDialledSeenByY)
    }

    @Test func removedPeersAreNotDialled() async {
        let (manager, dialer, _) = makeManager()
        manager.add(Self.enode(0), kind: .static)
        #expect(manager.remove(Self.keys[0].publicKey))
        #expect(!manager.remove(Self.keys[0].publicKey))
        await manager.tick()
        #expect(dialer.dials.withLock { $0.isEmpty })
    }
}
