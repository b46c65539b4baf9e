import SankofaPrimitives

/// What a contract knows about the block it executes in (Solidity's `block.*`).
public struct BlockContext: Sendable, Equatable {
    public var number: UInt64
    public var timestamp: UInt64
    public var coinbase: Address
    public var chainId: UInt64

    public init(number: UInt64, timestamp: UInt64, coinbase: Address, chainId: UInt64) {
        self.number = number
        self.timestamp = timestamp
        self.coinbase = coinbase
        self.chainId = chainId
    }
}
