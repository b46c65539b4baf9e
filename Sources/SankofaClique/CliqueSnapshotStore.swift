import SankofaPrimitives

/// Where the Clique engine persists snapshots (RLP bytes keyed by block hash) at checkpoints and every 1024
/// blocks, so that restarting does not replay the chain from genesis. The node backs it with a storage
/// column; tests use `InMemoryCliqueSnapshotStore`.
public protocol CliqueSnapshotStore: Sendable {
    /// The bytes saved under `hash`, or nil if none.
    func load(_ hash: Hash32) throws -> [UInt8]?
    /// Saves `bytes` under `hash`, replacing any earlier value.
    func save(_ hash: Hash32, _ bytes: [UInt8]) throws
}

/// A dictionary-backed snapshot store for tests and ephemeral nodes.
///
/// `@unchecked Sendable` is sound because `entries` is only touched under `lock`.
public final class InMemoryCliqueSnapshotStore: CliqueSnapshotStore, @unchecked Sendable {
    private var entries: [Hash32: [UInt8]] = [:]
    private let lock = PThreadMutex()

    /// An empty store.
    public init() {}

    public func load(_ hash: Hash32) throws -> [UInt8]? { lock.withLock { entries[hash] } }

    public func save(_ hash: Hash32, _ bytes: [UInt8]) throws { lock.withLock { entries[hash] = bytes } }

    /// The hashes of every saved snapshot (for tests of when the engine persists).
    public var savedHashes: Set<Hash32> { lock.withLock { Set(entries.keys) } }

    /// Forgets everything (simulates losing the store).
    public func removeAll() { lock.withLock { entries.removeAll() } }
}
