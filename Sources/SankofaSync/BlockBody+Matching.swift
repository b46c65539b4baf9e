import SankofaChain
import SankofaExecution
import SankofaP2P

extension BlockBody {
    /// Whether this body belongs to `header`: its transactions hash to `transactionsRoot` and it has no ommers
    /// (PoA chains have none). What a full sync and a light client check before using a peer's body.
    public func matches(_ header: BlockHeader) -> Bool {
        ommers.isEmpty && header.ommersHash == BlockHeader.emptyOmmersHash
            && BlockExecutor.transactionsRoot(transactions) == header.transactionsRoot
    }
}
