import SankofaPrimitives

/// The pool's limits and admission rules.
public struct TxPoolConfig: Sendable {
    public var chainId: UInt64
    /// Transactions ready to execute (contiguous nonces), across all senders: room for a few seconds of the whole
    /// network's load at 5,000 tx/s, since every validator pools what every other one is sent.
    public var maxPending = 32_768
    /// Transactions waiting for a nonce gap to close.
    public var maxQueued = 8_192
    /// Per sender, pending plus queued. A sender at the limit can still add its next executable nonce: the pool
    /// makes room by dropping that sender's farthest queued nonce, so future nonces cannot wedge an account.
    public var maxPerSender = 512
    /// `--tx-pool-retention-hours`: how long a transaction may wait in the queue for its nonce gap to close before
    /// it is dropped (geth's `txpool.lifetime`, 3 h). Pending transactions never expire.
    public var queuedLifetime: Duration = .seconds(3 * 3_600)
    /// How far beyond the next nonce a transaction may be queued.
    public var maxNonceGap: UInt64 = 1_024
    /// `--min-gas-price`: the smallest fee cap accepted (0 on free-gas networks).
    public var minGasPrice = UInt256.zero
    /// Percentage by which a replacement must raise both fee cap and tip.
    public var priceBumpPercent: UInt64 = 10
    /// Largest encoded transaction accepted (geth: 128 KiB).
    public var maxTransactionSize = 128 * 1024
    /// `--permissions-accounts-config-file`: when set, only these senders are accepted.
    public var accountAllowlist: Set<Address>?
    /// Refuse legacy transactions without EIP-155 replay protection.
    public var requireReplayProtection = false

    public init(chainId: UInt64) { self.chainId = chainId }
}

/// What the pool needs to know of the head state.
public protocol PoolStateReader: Sendable {
    func nonce(of address: Address) throws -> UInt64
    func balance(of address: Address) throws -> UInt256
}
