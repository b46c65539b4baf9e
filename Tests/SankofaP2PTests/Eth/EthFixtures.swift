import SankofaChain
import SankofaCrypto
import SankofaPrimitives
import Testing
@testable import SankofaP2P

/// Realistic eth/68 content: signed transactions of every type, real headers and receipts.
enum EthFixtures {
    static let key = try! PrivateKey(hex: "0x8f2a55949038a9610f50fb23b5883af3b4ecb3c3bb792cbcefbd1542c692be63")
    static let chainId: UInt64 = 1337

    static func hash(_ n: UInt32) -> Hash32 { Keccak256.hash(Array(String(n).utf8)) }

    /// A legacy (EIP-155), an access-list and a dynamic-fee transaction, signed.
    static let transactions: [Transaction] = [
        Transaction.Payload.legacy(LegacyTransaction(
            nonce: 0, gasPrice: UInt256(1_000_000_000), gasLimit: 21_000, to: Address(low: 0xbeef),
            value: UInt256(1_000_000_000_000_000_000), data: [], chainId: chainId)).signed(with: key),
        Transaction.Payload.accessList(AccessListTransaction(
            chainId: chainId, nonce: 1, gasPrice: UInt256(2_000_000_000), gasLimit: 60_000, to: Address(low: 0x1000),
            value: .zero, data: [0xa9, 0x05, 0x9c, 0xbb, 0, 1, 2, 3],
            accessList: [AccessListEntry(address: Address(low: 0x1000), storageKeys: [.zero, hash(1)])]))
            .signed(with: key),
        Transaction.Payload.dynamicFee(DynamicFeeTransaction(
            chainId: chainId, nonce: 2, maxPriorityFeePerGas: UInt256(1), maxFeePerGas: UInt256(3_000_000_000),
            gasLimit: 200_000, to: nil, value: .zero, data: Array(repeating: 0x60, count: 80), accessList: []))
            .signed(with: key),
    ]

    static func header(number: UInt64, parent: Hash32 = .zero, extra: [UInt8] = Array(repeating: 7, count: 97))
        -> BlockHeader
    {
        BlockHeader(parentHash: parent, coinbase: Address(low: 0xc0ffee), stateRoot: hash(UInt32(number)),
                    difficulty: UInt256(2), number: number, gasLimit: 30_000_000, gasUsed: 21_000,
                    timestamp: 1_700_000_000 + number * 2, extraData: extra, baseFeePerGas: UInt256(7))
    }

    static let block = Block(header: header(number: 42), transactions: transactions)

    static let receipts: [Receipt] = [
        Receipt(type: .legacy, succeeded: true, cumulativeGasUsed: 21_000, logs: []),
        Receipt(type: .accessList, succeeded: false, cumulativeGasUsed: 70_000, logs: [
            Log(address: Address(low: 0x11), topics: [hash(0xdead), hash(0xbeef)], data: [1, 0, 0xff]),
        ]),
        Receipt(type: .dynamicFee, succeeded: true, cumulativeGasUsed: 170_000, logs: [
            Log(address: Address(low: 0x22), topics: [hash(5)], data: []),
        ]),
    ]

    static let schedule = ForkSchedule(genesisHash: hash(0), blockForks: [10, 20])

    /// One of every eth/68 message.
    static var everyMessage: [EthMessage] {
        let hashes = transactions.map(\.hash)
        return [
            .status(EthStatus(networkId: 2024, totalDifficulty: UInt256(85), bestHash: block.hash,
                              genesisHash: hash(0), forkID: schedule.forkID(headNumber: 42))),
            .newBlockHashes([BlockHashAnnouncement(hash: block.hash, number: 42),
                             BlockHashAnnouncement(hash: hash(43), number: 43)]),
            .transactions(transactions),
            .getBlockHeaders(requestId: 1, HeaderQuery(origin: .number(40), amount: 3, skip: 0, reverse: true)),
            .getBlockHeaders(requestId: .max, HeaderQuery(origin: .hash(block.hash), amount: 1024, skip: 7)),
            .blockHeaders(requestId: 2, [header(number: 40), header(number: 41), block.header]),
            .getBlockBodies(requestId: 3, [block.hash, hash(1)]),
            .blockBodies(requestId: 4, [BlockBody(block), BlockBody(transactions: [])]),
            .newBlock(block, totalDifficulty: UInt256(85)),
            .newPooledTransactionHashes(PooledTransactionAnnouncement(
                types: transactions.map { $0.encoded.first! >= 0xc0 ? 0 : $0.encoded.first! },
                sizes: transactions.map { UInt32($0.encoded.count) }, hashes: hashes)),
            .getPooledTransactions(requestId: 5, hashes),
            .pooledTransactions(requestId: 5, transactions),
            .getReceipts(requestId: 6, [block.hash, hash(2)]),
            .receipts(requestId: 6, [receipts, []]),
        ]
    }
}

extension EthMessage: CustomTestStringConvertible {
    /// Keeps parameterised test names short: the message name, not its whole content.
    public var testDescription: String { "\(code)" }
}
