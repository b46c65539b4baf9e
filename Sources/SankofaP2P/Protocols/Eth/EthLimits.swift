/// Bounds on what one eth/68 message may carry, as go-ethereum enforces them (`eth/protocols/eth/handler.go`:
/// `maxHeadersServe`, `maxBodiesServe`, `maxReceiptsServe`, `softResponseLimit`; `protocol.go`: `maxMessageSize`;
/// `eth/fetcher/tx_fetcher.go`: `maxTxAnnounces`).
///
/// Decoders count list items as they read them and stop at the first one past the limit, so a hostile length
/// prefix never sizes an allocation: every item read is backed by bytes actually received.
public struct EthLimits: Hashable, Sendable {
    /// Largest eth message body accepted (geth `maxMessageSize`, 10 MiB).
    public var maxMessageSize: Int
    /// Most headers one BlockHeaders response may hold, and most a server returns (geth `maxHeadersServe`).
    public var maxHeaders: Int
    /// Most hashes in GetBlockBodies and bodies in BlockBodies (geth `maxBodiesServe`).
    public var maxBodies: Int
    /// Most block hashes in GetReceipts and receipt lists in Receipts (geth `maxReceiptsServe`).
    public var maxReceipts: Int
    /// Most hashes in one NewPooledTransactionHashes announcement (geth `maxTxAnnounces`).
    public var maxTransactionAnnouncements: Int
    /// Most hashes in GetPooledTransactions and transactions in PooledTransactions. geth bounds these only by
    /// message size; we use the announcement limit, since a peer asks only for what was announced.
    public var maxPooledTransactions: Int
    /// Target size of a response a server assembles (geth `softResponseLimit`, 2 MiB): the server stops adding
    /// items once it is reached. Not a decoding limit.
    public var softResponseSize: Int

    /// go-ethereum's values.
    public static let `default` = EthLimits(
        maxMessageSize: 10 * 1024 * 1024, maxHeaders: 1024, maxBodies: 1024, maxReceipts: 1024,
        maxTransactionAnnouncements: 4096, maxPooledTransactions: 4096, softResponseSize: 2 * 1024 * 1024)

    public init(maxMessageSize: Int, maxHeaders: Int, maxBodies: Int, maxReceipts: Int,
                maxTransactionAnnouncements: Int, maxPooledTransactions: Int, softResponseSize: Int) {
        self.maxMessageSize = maxMessageSize
        self.maxHeaders = maxHeaders
        self.maxBodies = maxBodies
        self.maxReceipts = maxReceipts
        self.maxTransactionAnnouncements = maxTransactionAnnouncements
        self.maxPooledTransactions = maxPooledTransactions
        self.softResponseSize = softResponseSize
    }
}
