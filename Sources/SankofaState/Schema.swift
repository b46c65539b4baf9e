import SankofaPrimitives
import SankofaStorage

/// Every key layout in the database, one place (geth's `rawdb/schema.go`). Numbers are 8-byte big-endian so that
/// keys sort by block number.
public enum Schema {
    // metadata (RocksDB "default" family)
    /// The canonical head block's hash.
    public static let headBlockKey = Array("head-block".utf8)
    /// The latest finalized block's hash.
    public static let finalizedBlockKey = Array("finalized-block".utf8)
    /// The state root that the flat snapshot currently mirrors.
    public static let snapshotRootKey = Array("snapshot-root".utf8)
    /// The layout version of this database, checked at open.
    public static let schemaVersionKey = Array("schema-version".utf8)
    public static let schemaVersion: UInt64 = 1
    /// The genesis `config` the chain was created with, one `name=value` line per setting (`GenesisFile.storedConfig`),
    /// checked at every start: most settings (the chain id above all) do not enter the genesis hash.
    public static let chainConfigKey = Array("chain-config".utf8)
    /// The last block this node's validator key signed under a hot-standby lease, as `height/round/0xhash` text.
    public static let lastSignedKey = Array("validator-last-signed".utf8)

    // metadata: block hash → total difficulty (minimal big-endian), for fork choice
    public static func totalDifficultyKey(_ hash: Hash32) -> [UInt8] { Array("td-".utf8) + hash.bytes }

    // metadata: block hash → Clique snapshot RLP (signers, votes, tally, recents; EIP-225), saved at checkpoints
    public static func cliqueSnapshotKey(_ hash: Hash32) -> [UInt8] { Array("clique-snapshot-".utf8) + hash.bytes }

    // headers, bodies, receipts: block hash → RLP
    public static func blockKey(_ hash: Hash32) -> [UInt8] { hash.bytes }

    // canonical: number → hash
    public static func canonicalKey(_ number: UInt64) -> [UInt8] { bigEndian(number) }

    // transactionLookup: tx hash → rlp([block hash, index])
    public static func transactionLookupKey(_ hash: Hash32) -> [UInt8] { hash.bytes }

    // trieNodes: node hash → node RLP
    public static func trieNodeKey(_ hash: Hash32) -> [UInt8] { hash.bytes }

    // snapshotAccounts: keccak(address) → account RLP
    public static func snapshotAccountKey(_ addressHash: Hash32) -> [UInt8] { addressHash.bytes }

    // snapshotStorage: keccak(address) ‖ keccak(slot) → raw value bytes
    public static func snapshotStorageKey(_ addressHash: Hash32, _ slotHash: Hash32) -> [UInt8] {
        addressHash.bytes + slotHash.bytes
    }

    public static func bigEndian(_ value: UInt64) -> [UInt8] { withUnsafeBytes(of: value.bigEndian) { Array($0) } }

    public static func uint64(bigEndian bytes: [UInt8]) -> UInt64? {
        guard bytes.count == 8 else { return nil }
        return bytes.reduce(0) { $0 << 8 | UInt64($1) }
    }
}
