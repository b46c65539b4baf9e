import SankofaConsensus
import SankofaPrimitives
@testable import SankofaNode

/// Seconds on a clock the test moves by hand; shared by the fake etcd (lease expiry) and the leases under test.
final class ManualClock: Sendable {
    private let seconds = Locked(1_000.0)
    var now: Double { seconds.withLock { $0 } }
    func advance(_ delta: Double) { seconds.withLock { $0 += delta } }
}

/// etcd's lease and key semantics in memory: leases expire on the manual clock and take their keys with them;
/// `reachable = false` makes every call fail as a stopped etcd does.
final class FakeEtcd: LeaseBackend {
    private struct State {
        var leases: [Int64: Double] = [:]
        var ttls: [Int64: Int64] = [:]
        var keys: [String: LeasedValue] = [:]
        var nextLease: Int64 = 7_000
        var reachable = true
    }

    let clock: ManualClock
    private let state = Locked(State())

    init(clock: ManualClock) { self.clock = clock }

    var reachable: Bool {
        get { state.withLock { $0.reachable } }
        set { state.withLock { $0.reachable = newValue } }
    }

    func value(_ key: String) -> LeasedValue? { state.withLock { $0.keys[key] } }
    func delete(_ key: String) { _ = state.withLock { $0.keys.removeValue(forKey: key) } }

    /// Runs `body` on the state after expiring what the clock says has expired, as etcd's lessor does.
    private func locked<T>(_ body: (inout State) throws(LeaseBackendError) -> T) throws(LeaseBackendError) -> T {
        let now = clock.now
        return try state.withLock { (state: inout State) throws(LeaseBackendError) -> T in
            guard state.reachable else { throw LeaseBackendError(description: "etcd did not answer (connection refused)") }
            for (id, expiry) in state.leases where expiry <= now {
                state.leases[id] = nil
                state.keys = state.keys.filter { $0.value.lease != id }
            }
            return try body(&state)
        }
    }

    func grant(ttl: Int64) async throws(LeaseBackendError) -> GrantedLease {
        let now = clock.now
        return try locked { state throws(LeaseBackendError) in
            state.nextLease += 1
            state.leases[state.nextLease] = now + Double(ttl)
            state.ttls[state.nextLease] = ttl
            return GrantedLease(id: state.nextLease, ttl: ttl)
        }
    }

    func keepAlive(_ lease: Int64) async throws(LeaseBackendError) -> Int64 {
        let now = clock.now
        return try locked { state throws(LeaseBackendError) in
            guard state.leases[lease] != nil, let ttl = state.ttls[lease] else { return 0 }
            state.leases[lease] = now + Double(ttl)
            return ttl
        }
    }

    func revoke(_ lease: Int64) async throws(LeaseBackendError) {
        try locked { state throws(LeaseBackendError) in
            state.leases[lease] = nil
            state.keys = state.keys.filter { $0.value.lease != lease }
        }
    }

    func read(_ key: String) async throws(LeaseBackendError) -> LeasedValue? {
        try locked { state throws(LeaseBackendError) in state.keys[key] }
    }

    func claim(_ key: String, holder: String, lease: Int64, recordKey: String) async throws(LeaseBackendError) -> LeaseClaim {
        try locked { state throws(LeaseBackendError) in
            if let taken = state.keys[key] { return .taken(by: taken) }
            state.keys[key] = LeasedValue(value: holder, lease: lease)
            return .won(lastSigned: state.keys[recordKey]?.value)
        }
    }

    func record(_ value: String, at recordKey: String, ifKey key: String, heldBy lease: Int64) async throws(LeaseBackendError) -> Bool {
        try locked { state throws(LeaseBackendError) in
            guard state.keys[key]?.lease == lease else { return false }
            state.keys[recordKey] = LeasedValue(value: value, lease: 0)
            return true
        }
    }
}

/// A node database's last-signature record, in memory.
final class FakeSignatureLog: SignatureLog {
    private let stored = Locked<SigningIntent?>(nil)
    var last: SigningIntent? { stored.withLock { $0 } }
    func load() throws -> SigningIntent? { last }
    func save(_ intent: SigningIntent) throws { stored.withLock { $0 = intent } }
}
