import SankofaConsensus
import SankofaPrimitives

/// A lease granted by etcd: its id and how many seconds it has left.
struct GrantedLease: Sendable, Equatable {
    var id: Int64
    var ttl: Int64
}

/// A key's current value and the lease it is attached to (0: none).
struct LeasedValue: Sendable, Equatable {
    var value: String
    var lease: Int64
}

/// What a claim of the lease key found.
enum LeaseClaim: Sendable, Equatable {
    /// The key was free and now names us, on our lease; `lastSigned` is the record the previous holders left.
    case won(lastSigned: String?)
    /// Another member holds it.
    case taken(by: LeasedValue?)
}

/// Why an etcd exchange failed (unreachable, timed out, refused, unreadable answer), with the endpoint and the call.
struct LeaseBackendError: Error, Equatable, Sendable, CustomStringConvertible {
    var description: String
}

/// The etcd v3 operations the validator lease needs (etcd `api/v3/etcdserverpb/rpc.proto`: `Lease` and `KV`
/// services). `EtcdClient` speaks them over etcd's JSON gateway; tests use an in-memory fake with a manual clock.
protocol LeaseBackend: Sendable {
    /// `LeaseGrant`: a new lease that expires after `ttl` seconds unless kept alive.
    func grant(ttl: Int64) async throws(LeaseBackendError) -> GrantedLease
    /// `LeaseKeepAlive`, once: the lease's renewed TTL in seconds, 0 when it has already expired.
    func keepAlive(_ lease: Int64) async throws(LeaseBackendError) -> Int64
    /// `LeaseRevoke`: ends the lease now, deleting the keys attached to it.
    func revoke(_ lease: Int64) async throws(LeaseBackendError)
    /// `Range` of one key.
    func read(_ key: String) async throws(LeaseBackendError) -> LeasedValue?
    /// One `Txn`: if `key` does not exist (create revision 0), put `holder` there on `lease` and read `recordKey`;
    /// else read `key`.
    func claim(_ key: String, holder: String, lease: Int64, recordKey: String) async throws(LeaseBackendError) -> LeaseClaim
    /// One `Txn`: if `key` is still attached to `lease` (we still hold it), put `value` at `recordKey` (on no lease,
    /// so it outlives us). False when the compare failed: the lease is no longer ours.
    func record(_ value: String, at recordKey: String, ifKey key: String, heldBy lease: Int64) async throws(LeaseBackendError) -> Bool
}

/// The last signature as stored in etcd and in the node's database: `height/round/0xblockhash`, readable with
/// `etcdctl get`.
enum SignedRecord {
    static func encode(_ intent: SigningIntent) -> String { "\(intent.height)/\(intent.round)/\(intent.blockHash.hex)" }

    static func decode(_ text: String) -> SigningIntent? {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 3, let height = UInt64(parts[0]), let round = UInt32(parts[1]),
              let hash = try? Hash32(hex: String(parts[2])) else { return nil }
        return SigningIntent(height: height, round: round, blockHash: hash)
    }
}
