import Logging
import SankofaConsensus
import SankofaPrimitives

/// Whether this member of a hot-standby group may sign.
public enum LeaseRole: String, Sendable {
    case active, standby
}

/// The lease as RPC (`sankofa_nodeInfo`) and metrics show it.
public struct LeaseStatus: Sendable, Equatable {
    public var role: LeaseRole = .standby
    /// The etcd lease id while active (0 otherwise).
    public var leaseId: Int64 = 0
    /// Seconds until the lease expires unless renewed (0 when standby).
    public var secondsLeft: Double = 0
    /// What the lease key names while another member holds it.
    public var holder: String?
    /// Why the role last changed.
    public var reason = "starting"
}

/// The durable local copy of the last signature (the node's own database; a fake in tests).
protocol SignatureLog: Sendable {
    func load() throws -> SigningIntent?
    /// Returns once `intent` is durable.
    func save(_ intent: SigningIntent) throws
}

/// A validator hot standby on an etcd lease: several nodes share a validator key, and only the holder of the lease
/// on `key` signs. The holder renews its lease every TTL/3 and stops signing at once when a renewal fails or less
/// than TTL/3 is left (before etcd can hand the key to another member); the others poll the key and claim it in
/// one transaction once its lease has expired.
///
/// Every permitted signature is first written to etcd (at `key/last-signed`) in a transaction that checks the key
/// is still on our lease, then to the local database; a new holder starts from the later of the two records and
/// never signs a different block at a height/round already signed, nor an earlier one. A pure state machine over
/// `LeaseBackend` and an injected clock: `step()` does one round of work and says when to call it again.
actor ValidatorLease: SigningGuard {
    let backend: any LeaseBackend
    let key: String
    let ttl: Int64
    /// What the key holds while we own it: who we are, for the other members' logs.
    let identity: String
    let log: any SignatureLog
    /// Monotonic seconds.
    let now: @Sendable () -> Double
    let logger: Logger
    /// Called on every change of the status (metrics), saying whether the role changed.
    let published: @Sendable (LeaseStatus, _ roleChanged: Bool) -> Void

    private var lease: GrantedLease?
    /// When the lease expires, by `now`, counting from before the request that granted or renewed it.
    private var expiresAt: Double = 0
    private(set) var lastSigned: SigningIntent?
    private var status = LeaseStatus()
    private var listeners: [Int: AsyncStream<Bool>.Continuation] = [:]
    private var nextListener = 0
    private var lastStandbyProblem: String?

    var recordKey: String { Self.recordKeyFor(key) }
    /// Where the last signature of the key's holders is kept: next to the lease key, on no lease.
    static func recordKeyFor(_ key: String) -> String { key + "/last-signed" }
    /// Renew (and, when standby, look for a free key) this often.
    var renewInterval: Double { Double(ttl) / 3 }
    /// Stop signing when less than this is left on the lease.
    var safetyMargin: Double { Double(ttl) / 3 }
    /// How often a standby looks at the key: often, so a take-over follows the expiry closely.
    static let standbyPoll: Double = 0.25

    init(backend: any LeaseBackend, key: String, ttl: Int64, identity: String, log: any SignatureLog, logger: Logger,
         now: @escaping @Sendable () -> Double, published: @escaping @Sendable (LeaseStatus, Bool) -> Void = { _, _ in }) throws {
        self.backend = backend
        self.key = key
        self.ttl = ttl
        self.identity = identity
        self.log = log
        self.logger = logger
        self.now = now
        self.published = published
        lastSigned = try log.load()
    }

    var isActive: Bool { maySign(at: now()) }

    private func maySign(at time: Double) -> Bool { lease != nil && time < expiresAt - safetyMargin }

    /// The current status, with the time left computed now.
    var current: LeaseStatus {
        var status = self.status
        status.secondsLeft = lease == nil ? 0 : max(0, expiresAt - now())
        return status
    }

    func activeChanges() -> AsyncStream<Bool> {
        let (stream, continuation) = AsyncStream.makeStream(of: Bool.self, bufferingPolicy: .bufferingNewest(1))
        let id = nextListener
        nextListener += 1
        listeners[id] = continuation
        continuation.yield(isActive)
        continuation.onTermination = { _ in Task { await self.removeListener(id) } }
        return stream
    }

    private func removeListener(_ id: Int) { listeners[id] = nil }

    // MARK: The loop

    /// Runs `step` until cancelled, then gives the lease back so a standby takes over without waiting for the TTL.
    func run() async {
        while !Task.isCancelled {
            let wait = await step()
            try? await Task.sleep(for: .milliseconds(Int64(wait * 1_000)))
        }
        await resign()
    }

    /// One round: renew the lease (active) or look for a free key (standby). Returns the seconds to wait.
    func step() async -> Double {
        if let lease {
            guard maySign(at: now()) else {
                become(nil, reason: "less than \(Int(safetyMargin)) s left on lease \(lease.id): not renewed in time")
                // Signing has stopped: give the key up now rather than make a standby wait out the TTL.
                try? await backend.revoke(lease.id)
                return Self.standbyPoll
            }
            let sent = now()
            do {
                let left = try await backend.keepAlive(lease.id)
                guard self.lease?.id == lease.id else { return Self.standbyPoll }
                guard left > 0 else {
                    become(nil, reason: "etcd says lease \(lease.id) has expired")
                    return Self.standbyPoll
                }
                expiresAt = sent + Double(left)
                publish()
                return renewInterval
            } catch {
                become(nil, reason: "renewing lease \(lease.id) failed: \(error)")
                try? await backend.revoke(lease.id)
                return Self.standbyPoll
            }
        }
        do {
            if let held = try await backend.read(key) {
                standby(holder: held.value, problem: nil)
                return Self.standbyPoll
            }
            let sent = now()
            let granted = try await backend.grant(ttl: ttl)
            switch try await backend.claim(key, holder: identity, lease: granted.id, recordKey: recordKey) {
            case .won(let record):
                // The later of etcd's record and ours; etcd's at a tie (ours is written after it).
                if let signed = record.flatMap(SignedRecord.decode),
                   lastSigned.map({ (signed.height, signed.round) >= ($0.height, $0.round) }) ?? true {
                    lastSigned = signed
                }
                expiresAt = sent + Double(granted.ttl)
                become(granted, reason: "claimed the free lease key \(key)" + (lastSigned.map { "; last signed \($0)" } ?? ""))
                return renewInterval
            case .taken(let holder):
                try? await backend.revoke(granted.id)
                standby(holder: holder?.value, problem: nil)
                return Self.standbyPoll
            }
        } catch {
            standby(holder: status.holder, problem: "etcd is unreachable: \(error)")
            return Self.standbyPoll
        }
    }

    /// Gives the lease back (shutdown): the key is deleted with it, and a standby claims it at its next poll.
    func resign() async {
        guard let lease else { return }
        become(nil, reason: "shutting down")
        try? await backend.revoke(lease.id)
    }

    // MARK: Signing

    /// See `SigningGuard.permit`. Called by one producer at a time.
    func permit(_ intent: SigningIntent) async throws(SigningRefusal) {
        guard let lease, maySign(at: now()) else {
            if self.lease != nil {
                throw .notActive("less than \(Int(safetyMargin)) s left on the validator lease \(key); it was not renewed in time")
            }
            if let holder = status.holder, holder != identity {
                throw .notActive("the validator lease \(key) is held by \(holder)")
            }
            throw .notActive("this node does not hold the validator lease \(key)")
        }
        if let lastSigned, intent.conflicts(after: lastSigned) {
            if intent.height == lastSigned.height, lastSigned.round == intent.round {
                logger.error("Validator lease: refusing to sign \(intent): this key already signed \(lastSigned); waiting for that block to arrive from peers")
            }
            throw .alreadySigned(previous: lastSigned, requested: intent)
        }
        // Already recorded (the same block again, or a ROUND-CHANGE into a round that has one): no write needed.
        if let lastSigned, !intent.advances(past: lastSigned) { return }
        let recorded: Bool
        do {
            recorded = try await backend.record(SignedRecord.encode(intent), at: recordKey, ifKey: key, heldBy: lease.id)
        } catch {
            become(nil, reason: "recording a signature in etcd failed: \(error)")
            throw .recordFailed("etcd: \(error)")
        }
        guard recorded else {
            become(nil, reason: "etcd says the key \(key) is no longer on lease \(lease.id)")
            throw .notActive("the validator lease \(key) was lost")
        }
        do { try log.save(intent) } catch {
            throw .recordFailed("the local database: \(error)")
        }
        lastSigned = intent
    }

    // MARK: Changes

    private func become(_ lease: GrantedLease?, reason: String) {
        let wasActive = self.lease != nil
        self.lease = lease
        status.role = lease == nil ? .standby : .active
        status.leaseId = lease?.id ?? 0
        status.reason = reason
        if lease != nil {
            status.holder = identity
            lastStandbyProblem = nil
        }
        if wasActive != (lease != nil) {
            if lease != nil {
                logger.notice("Validator lease: ACTIVE on \(key) with lease \(lease?.id ?? 0) (TTL \(ttl) s): \(reason)")
            } else {
                logger.warning("Validator lease: STANDBY, signing stopped: \(reason)")
            }
            for listener in listeners.values { listener.yield(lease != nil) }
        }
        publish(roleChanged: wasActive != (lease != nil))
    }

    private func standby(holder: String?, problem: String?) {
        if status.holder != holder || lastStandbyProblem != problem {
            if let problem {
                logger.warning("Validator lease: standby, \(problem)")
            } else {
                logger.info("Validator lease: standby, \(key) is held by \(holder ?? "another member")")
            }
        }
        status.holder = holder
        lastStandbyProblem = problem
        if let problem { status.reason = problem }
        publish()
    }

    private func publish(roleChanged: Bool = false) { published(current, roleChanged) }
}
