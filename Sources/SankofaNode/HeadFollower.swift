import Logging
import SankofaBlockchain
import SankofaStorage
import SankofaTxPool
import ServiceLifecycle

/// Keeps the pool, the metrics and RPC's recent-block cache in step with the chain head.
struct HeadFollower: Service, CustomStringConvertible {
    var description: String { "HeadFollower" }
    let blockchain: Blockchain
    let pool: TransactionPool
    let store: RocksDBStore
    let metrics: NodeMetrics
    let recent: RecentBlocks
    let logger: Logger

    func run() async throws {
        let events = await blockchain.headEvents()
        // Cancellation (on graceful shutdown) ends the stream's iteration.
        await cancelWhenGracefulShutdown {
            var recoveries = 0
            for await event in events {
                let header = event.block.header
                recent.remember(event.block, receipts: event.receipts)
                metrics.head(header)
                // The producer already told the pool about its own blocks (it ignores a head it has applied); an
                // event that is no longer the head would move the pool back to an older state.
                if blockchain.head.hash == header.hash, let reader = try? HeadStateReader(store: store, root: header.stateRoot) {
                    await pool.newHead(state: reader, blockGasLimit: header.gasLimit, block: event.block)
                }
                if !event.removed.isEmpty {
                    let orphaned = event.removed.flatMap(\.transactions).compactMap { try? pool.senderCache.recovered($0) }
                    await pool.reinject(orphaned)
                    logger.warning("Reorg: \(event.removed.count) blocks replaced, new head #\(header.number)")
                }
                let status = await pool.status
                let recovered = pool.senderCache.recoveries
                metrics.pool(pending: status.pending, queued: status.queued, newRecoveries: recovered - recoveries)
                recoveries = recovered
            }
        }
    }
}
