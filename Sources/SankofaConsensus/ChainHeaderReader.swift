import SankofaChain
import SankofaPrimitives

/// What a consensus engine may read of the chain: headers by hash (any fork) and the canonical header at a
/// height. Engines reach the chain only through this narrow port (geth `consensus.ChainHeaderReader`), so a
/// light client, a full node and a test's in-memory chain can all serve them.
///
/// Both lookups return `nil` for an unknown header and throw only for a storage failure.
public protocol ChainHeaderReader: Sendable {
    /// The header whose hash is `hash`, on any fork, or `nil` if it is not known.
    func header(_ hash: Hash32) throws -> BlockHeader?
    /// The header at `number` on the canonical chain, or `nil` beyond the head (or before a checkpoint sync).
    func canonicalHeader(_ number: UInt64) throws -> BlockHeader?
}
