import Logging
import SankofaChain
import SankofaP2P
import SankofaQBFT
import SankofaSync
import ServiceLifecycle

/// Runs the node's eth/68 side until graceful shutdown: block announcements, transaction gossip and the chain
/// sync, and head announcements to light clients.
struct SyncService: Service {
    let eth: EthHandler
    let sync: ChainSync
    /// Light clients' server (`sfl/1`), which announces heads to them.
    let light: LightServer
    /// Whether a new block goes whole to a peer or by hash (QBFT validators commit each block themselves).
    let wantsWholeBlock: @Sendable (Peer, Block) -> Bool

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                group.addTask { await eth.announceBlocks(wantsWholeBlock: wantsWholeBlock) }
                group.addTask { await eth.gossipTransactions() }
                group.addTask { await sync.run() }
                group.addTask { await light.announceHeads() }
            }
        }
    }
}

extension NodeConsensus {
    /// Clique: every peer gets new blocks whole (the next signer needs them at once). QBFT: the block's validators
    /// get only its hash — they commit it themselves — and everyone else the whole block. Members of a hot-standby
    /// group have node keys that are no validator's, so they get it whole too: a standby runs no state machine and
    /// imports blocks like a replica, and the active member simply already has it.
    var wantsWholeBlock: @Sendable (Peer, Block) -> Bool {
        switch self {
        case .clique: { _, _ in true }
        case .qbft:
            { peer, block in
                let validators = (try? QBFTExtraData(rlp: block.header.extraData).validators) ?? []
                return !validators.contains(ValidatorPeers.address(of: peer.remoteKey))
            }
        }
    }
}
