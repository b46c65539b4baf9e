import SankofaBlockchain
import SankofaChain
import SankofaClique
import SankofaContracts
import SankofaCrypto
import SankofaExecution
import SankofaP2P
import SankofaPrimitives
import SankofaRPC
import SankofaState
import SankofaStorage
import SankofaTrie
import SankofaTxPool

extension FullBackend: NodeQueries {
    var clientVersion: String { P2PHost.clientId }
    var mode: String { config.mode.rawValue }
    var tier: String {
        switch config.mode {
        case .validator: "core"
        case .replica: "regional"
        case .light: "edge"
        }
    }
    var enode: String {
        if let enode = network?.host.enode { return enode.description }
        guard let nodeKey else { return "" }
        return "enode://\(Hex.encode(nodeKey.publicKey.rawBytes, prefix: false))@\(config.p2pHost):\(config.p2pPort)"
    }
    var peerCount: Int { network?.peerCount ?? 0 }
    var minGasPrice: UInt256 { config.minGasPrice }
}

extension FullBackend: ConsensusAdmin {
    var consensusName: String { "clique" }
    func signers(at header: BlockHeader) async throws -> [Address] { try engine.signers(at: header.hash, chain: StoredHeaders(chain: chain)) }
    func propose(_ address: Address, authorize: Bool) async { engine.propose(address, authorize: authorize) }
    func discard(_ address: Address) async { engine.discard(address) }
    func proposals() async -> [Address: Bool] { engine.proposals }
}

extension FullBackend: HealthProvider {
    /// Ready on the dev chain at once, and elsewhere once at least one peer is connected. Nothing here knows a
    /// better head than our own yet: "within N blocks of the best known head" arrives with sync.
    func isReady() async -> Bool {
        isDev || peerCount > 0
    }
}
