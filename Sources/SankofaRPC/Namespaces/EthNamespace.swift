import SankofaChain
import SankofaJSON
import SankofaPrimitives

/// The `eth_` namespace: the wire names listed once, each pointing at a handler in an `EthNamespace+…` file.
public struct EthNamespace: Sendable {
    let backend: RPCBackend
    let filters: FilterRegistry

    public init(backend: RPCBackend, filters: FilterRegistry) {
        self.backend = backend
        self.filters = filters
    }

    /// Methods answered from memory without suspending: what load balancers and dApps poll most.
    public var immediateMethods: [(String, RPCImmediateHandler)] {
        [
            ("eth_chainId", { _, _ in .quantity(backend.chain.chainId) }),
            ("eth_blockNumber", { _, _ in .quantity(try backend.chain.headHeader().number) }),
            ("eth_gasPrice", { _, _ in .quantity(backend.node.minGasPrice) }),
            ("eth_maxPriorityFeePerGas", { _, _ in .quantity(UInt64(0)) }),
            ("eth_accounts", { _, _ in .array([]) }),
        ]
    }

    public var methods: [(String, RPCHandler)] {
        [
            ("eth_syncing", { _, _ in
                guard let status = await backend.node.syncStatus() else { return .bool(false) }
                return .object(JSONObject([("startingBlock", .quantity(status.startingBlock)),
                                           ("currentBlock", .quantity(status.currentBlock)),
                                           ("highestBlock", .quantity(status.highestBlock))]))
            }),
            ("eth_feeHistory", { params, _ in try await feeHistory(params) }),
            ("eth_getBlockByNumber", { params, _ in try await blockByNumber(params) }),
            ("eth_getBlockByHash", { params, _ in try await blockByHash(params) }),
            ("eth_getBlockTransactionCountByNumber", { params, _ in try await transactionCount(try await header(params.block(0))) }),
            ("eth_getBlockTransactionCountByHash", { params, _ in try await transactionCount(try await backend.chain.header(hash: params.hash(0))) }),
            ("eth_getUncleCountByBlockNumber", { _, _ in .quantity(UInt64(0)) }),
            ("eth_getUncleCountByBlockHash", { _, _ in .quantity(UInt64(0)) }),
            ("eth_getTransactionByHash", { params, _ in try await transactionByHash(params) }),
            ("eth_getTransactionByBlockNumberAndIndex", { params, _ in
                try await transactionInBlock(try await header(params.block(0)), index: params.quantity(1)) }),
            ("eth_getTransactionByBlockHashAndIndex", { params, _ in
                try await transactionInBlock(try await backend.chain.header(hash: params.hash(0)), index: params.quantity(1)) }),
            ("eth_getTransactionReceipt", { params, _ in try await transactionReceipt(params) }),
            ("eth_getBlockReceipts", { params, _ in try await blockReceipts(params) }),
            ("eth_getBalance", { params, _ in try await balance(params) }),
            ("eth_getTransactionCount", { params, _ in try await nonce(params) }),
            ("eth_getCode", { params, _ in try await code(params) }),
            ("eth_getStorageAt", { params, _ in try await storageAt(params) }),
            ("eth_getProof", { params, context in try await proof(params, budget: context.budget) }),
            ("eth_call", { params, _ in try await call(params) }),
            ("eth_estimateGas", { params, _ in try await estimateGas(params) }),
            ("eth_sendRawTransaction", { params, _ in .hash(try await backend.pool.submit(params.data(0))) }),
            ("eth_getLogs", { params, _ in try await logs(params) }),
            ("eth_newFilter", { params, _ in try await filters.newLogFilter(try LogFilter(params.object(0)), backend: backend) }),
            ("eth_newBlockFilter", { _, _ in try await filters.newBlockFilter(backend: backend) }),
            ("eth_newPendingTransactionFilter", { _, _ in try await filters.newPendingFilter(backend: backend) }),
            ("eth_getFilterChanges", { params, _ in try await filters.changes(params.quantity(0), backend: backend) }),
            ("eth_getFilterLogs", { params, _ in try await filters.allLogs(params.quantity(0), backend: backend) }),
            ("eth_uninstallFilter", { params, _ in .bool(await filters.uninstall(try params.quantity(0))) }),
        ]
    }

    /// The header a tag names; unknown blocks are `null` results, not errors (geth).
    func header(_ tag: BlockTag) async throws -> BlockHeader? { try await backend.chain.header(tag) }

    /// The header a state-reading call names; an unknown block is an error there (geth: "header not found").
    func stateHeader(_ tag: BlockTag) async throws -> BlockHeader {
        guard let header = try await backend.chain.header(tag) else { throw RPCError.server("header not found") }
        return header
    }
}
