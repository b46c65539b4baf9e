import SankofaBlockchain
import SankofaChain
import SankofaClique
import SankofaContracts
import SankofaCrypto
import SankofaExecution
import SankofaPrimitives
import SankofaRPC
import SankofaState
import SankofaStorage
import SankofaTrie
import SankofaTxPool

extension FullBackend: TransactionSubmitter {
    func submit(_ raw: [UInt8]) async throws -> Hash32 {
        let tx: Transaction
        do { tx = try Transaction(raw: raw) } catch { throw RPCError.server(error.description) }
        // geth's rule and wording: a transaction signed without a chain id can be replayed on any chain.
        if config.strictTxReplayProtectionEnabled, tx.chainId == nil {
            throw RPCError.server("only replay-protected (EIP-155) transactions allowed over RPC; "
                + "sign with chain id \(chainId), or start the node with --strict-tx-replay-protection-enabled=false")
        }
        do { return try await txPool.add(tx) } catch { throw RPCError.server(error.description) }
    }

    func pendingTransaction(_ hash: Hash32) async -> RecoveredTransaction? { await txPool.transaction(hash) }
    func nextNonce(_ address: Address) async -> UInt64 { await txPool.nextNonce(for: address) }
    func poolStatus() async -> (pending: Int, queued: Int) { await txPool.status }

    func poolContent() async -> (pending: [Address: [RecoveredTransaction]], queued: [Address: [RecoveredTransaction]]) {
        await txPool.content()
    }

    func pendingHashes() async -> AsyncStream<Hash32> { await txPool.pendingTransactionStream() }
}
