import SankofaChain
import SankofaClique
import SankofaConsensus
import SankofaP2P
import SankofaPrimitives
import SankofaQBFT
import SankofaStorage

/// The consensus engine a genesis file selects (`config.clique` or `config.qbft`), and what the node needs of each.
enum NodeConsensus: Sendable {
    case clique(CliqueEngine)
    case qbft(QBFTHeaderVerifier)

    init(genesis: GenesisFile, store: any KeyValueStore) {
        switch genesis.consensus {
        case .clique(let period, let epoch):
            self = .clique(CliqueEngine(config: CliqueConfig(period: period, epoch: epoch),
                                        store: StoredCliqueSnapshots(store: store)))
        case .qbft(let settings):
            // Contract mode reads each parent's Governance validator list from state.
            let source = settings.validatorContractAddress == nil ? nil : GovernanceValidatorSource(store: store)
            self = .qbft(QBFTHeaderVerifier(config: QBFTConfig(genesis: settings), contractSource: source))
        }
    }

    var engine: any ConsensusEngine {
        switch self {
        case .clique(let engine): engine
        case .qbft(let verifier): verifier
        }
    }

    /// Blocks per epoch, where the engine's validator set restarts from a header's list (a light checkpoint start
    /// fetches back to one).
    var epochLength: UInt64 {
        switch self {
        case .clique(let engine): engine.config.epoch
        case .qbft(let verifier): verifier.config.epochLength
        }
    }

    /// The name RPC reports (`sankofa_nodeInfo`) and the admin namespace it serves (`clique_…`, `qbft_…`).
    var name: String {
        switch self {
        case .clique: "clique"
        case .qbft: "qbft"
        }
    }

    /// The devp2p sub-protocols the engine needs: `istanbul/100` for QBFT (Besu registers it only for BFT
    /// chains), none for Clique, whose blocks travel over `eth`.
    var p2pProtocols: [any SubProtocol] {
        switch self {
        case .clique: []
        case .qbft: [IstanbulSubProtocol()]
        }
    }

    /// Why `qbft_proposeValidatorVote` is refused, if it is: in contract mode the Governance contract decides.
    var validatorVotesRefusal: String? {
        guard case .qbft(let verifier) = self, verifier.config.usesValidatorContract else { return nil }
        return "this network takes its validators from the Governance contract (config.qbft.validatorcontractaddress): "
            + "propose action 1 (add) or 2 (remove) through Governance instead of voting in block headers"
    }

    /// The initial validators, as the engine reads them from the genesis extraData (Governance keeps the list).
    func genesisValidators(_ genesis: GenesisFile) throws(NodeError) -> [Address] {
        switch self {
        case .clique:
            do { return try CliqueEngine.genesisValidators(genesis) } catch {
                throw .invalidGenesisValidators(error.description)
            }
        case .qbft:
            do { return try QBFTExtraData(rlp: genesis.extraData).validators } catch {
                throw .invalidGenesisValidators("\(error)")
            }
        }
    }
}
