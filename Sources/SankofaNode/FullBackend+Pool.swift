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
        let tx = try config.submittedTransaction(raw, chainId: chainId)
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

extension NodeConfig {
    /// A raw transaction from `eth_sendRawTransaction`, decoded and held to the node's submission rules: geth's
    /// rule and wording, a transaction signed without a chain id can be replayed on any chain.
    func submittedTransaction(_ raw: [UInt8], chainId: UInt64) throws(RPCError) -> Transaction {
        let tx: Transaction
        do { tx = try Transaction(raw: raw) } catch { throw RPCError.server(error.description) }
        if strictTxReplayProtectionEnabled, tx.chainId == nil {
            throw RPCError.server("only replay-protected (EIP-155) transactions allowed over RPC; "
                + "sign with chain id \(chainId), or start the node with --strict-tx-replay-protection-enabled=false")
        }
        return tx
    }
}
