import SankofaChain
import SankofaCrypto
import SankofaPrimitives
import Synchronization
import Testing
@testable import SankofaTxPool

/// Account nonces and balances the pool sees, changed by tests to mimic new heads.
final class FakeState: PoolStateReader, @unchecked Sendable {
    var nonces: [Address: UInt64] = [:]
    var balances: [Address: UInt256] = [:]
    var nonceReads = 0
    func nonce(of address: Address) throws -> UInt64 {
        nonceReads += 1
        return nonces[address] ?? 0
    }
    func balance(of address: Address) throws -> UInt256 { balances[address] ?? .zero }
}

/// A clock tests move by hand.
final class ManualClock: Sendable {
    private let current = Mutex(ContinuousClock.now)
    var now: ContinuousClock.Instant { current.withLock { $0 } }
    func advance(_ duration: Duration) { current.withLock { $0 += duration } }
}

@Suite("Transaction pool")
struct TransactionPoolTests {
    static let alice = try! PrivateKey(hex: "0x8f2a55949038a9610f50fb23b5883af3b4ecb3c3bb792cbcefbd1542c692be63")
    static let bob = try! PrivateKey(hex: "0xc87509a1c067bbde78beb793e6fa76530b6382a4c0241e5e4a9ec0a0f44dc0d3")

    static func tx(_ key: PrivateKey, _ nonce: UInt64, fee: UInt64 = 0, tip: UInt64 = 0, gas: UInt64 = 21_000,
                   chainId: UInt64 = 1337, to: Address? = Address(low: 0xdead), data: [UInt8] = []) -> Transaction {
        Transaction.Payload.dynamicFee(DynamicFeeTransaction(
            chainId: chainId, nonce: nonce, maxPriorityFeePerGas: UInt256(tip), maxFeePerGas: UInt256(fee),
            gasLimit: gas, to: to, value: .zero, data: data, accessList: [])).signed(with: key)
    }

    static func pool(_ state: FakeState = FakeState(), configure: (inout TxPoolConfig) -> Void = { _ in }) -> TransactionPool {
        var config = TxPoolConfig(chainId: 1337)
        configure(&config)
        return TransactionPool(config: config, state: state, blockGasLimit: 30_000_000)
    }

    @Test func aBatchIsAdmittedInOrderWithOneResultEach() async throws {
        let pool = Self.pool()
        let first = Self.tx(Self.alice, 0)
        let corrupt = try SenderCacheTests.unrecoverable(Self.tx(Self.bob, 0))
        let batch = [first, Self.tx(Self.alice, 1), first, Self.tx(Self.alice, 3), Self.tx(Self.bob, 0, chainId: 7), corrupt]
        let results = await pool.add(batch)
        #expect(results.count == batch.count)
        #expect(try results[0].get() == first.hash)
        #expect(try results[1].get() == batch[1].hash)
        #expect(throws: TxPoolError.alreadyKnown) { try results[2].get() }
        #expect(try results[3].get() == batch[3].hash)   // queued behind the gap at nonce 2
        #expect(throws: (any Error).self) { try results[4].get() }
        guard case .failure(.invalid) = results[5] else { Issue.record("an unrecoverable signature was not refused as invalid"); return }
        #expect(await pool.status == (pending: 2, queued: 1))
    }

    @Test func nonceGapsQueueUntilFilled() async throws {
        let pool = Self.pool()
        try await pool.add(Self.tx(Self.alice, 2))
        try await pool.add(Self.tx(Self.alice, 1))
        #expect(await pool.status == (pending: 0, queued: 2))
        #expect(await pool.candidates().isEmpty)
        try await pool.add(Self.tx(Self.alice, 0))
        #expect(await pool.status == (pending: 3, queued: 0))
        #expect(await pool.candidates().map(\.transaction.nonce) == [0, 1, 2])
        #expect(await pool.nextNonce(for: Self.alice.address) == 3)
        #expect(await pool.candidates().allSatisfy { $0.sender == Self.alice.address })
    }

    @Test func ordersByTipThenArrivalAcrossSenders() async throws {
        let state = FakeState()
        state.balances[Self.alice.address] = UInt256(10_000_000_000)
        state.balances[Self.bob.address] = UInt256(10_000_000_000)
        let pool = Self.pool(state)
        try await pool.add(Self.tx(Self.alice, 0, fee: 10, tip: 1))
        try await pool.add(Self.tx(Self.alice, 1, fee: 10, tip: 9))
        try await pool.add(Self.tx(Self.bob, 0, fee: 10, tip: 5))
        let order = await pool.candidates().map { ($0.sender == Self.alice.address ? "A" : "B") + "\($0.transaction.nonce)" }
        // Bob's tip 5 beats Alice's first (tip 1); Alice's nonce 1 can only follow her nonce 0.
        #expect(order == ["B0", "A0", "A1"])
        #expect(await pool.candidates(limit: 2).count == 2)
    }

    @Test func replacementNeedsAStrictBump() async throws {
        let state = FakeState()
        state.balances[Self.alice.address] = UInt256(10_000_000_000)
        let pool = Self.pool(state)
        let original = Self.tx(Self.alice, 0, fee: 100, tip: 100)
        try await pool.add(original)
        await #expect(throws: TxPoolError.alreadyKnown) { try await pool.add(original) }
        await #expect(throws: TxPoolError.replacementUnderpriced) { try await pool.add(Self.tx(Self.alice, 0, fee: 105, tip: 105)) }
        let replacement = Self.tx(Self.alice, 0, fee: 110, tip: 110)
        try await pool.add(replacement)
        #expect(await pool.status == (pending: 1, queued: 0))
        #expect(await pool.transaction(original.hash) == nil)
        #expect(await pool.transaction(replacement.hash)?.sender == Self.alice.address)
        // Free gas: a zero-priced transaction cannot be replaced by another zero-priced one.
        try await pool.add(Self.tx(Self.alice, 1))
        await #expect(throws: TxPoolError.replacementUnderpriced) { try await pool.add(Self.tx(Self.alice, 1, gas: 30_000, data: [1])) }
    }

    @Test func invalidTransactionsAreRefusedWithClearErrors() async throws {
        let state = FakeState()
        state.nonces[Self.alice.address] = 5
        let pool = Self.pool(state) { $0.minGasPrice = .zero; $0.maxTransactionSize = 4_096 }
        await #expect(throws: TxPoolError.invalid(.wrongChainId(expected: 1337, got: 1))) { try await pool.add(Self.tx(Self.alice, 5, chainId: 1)) }
        await #expect(throws: TxPoolError.contractCreation) { try await pool.add(Self.tx(Self.alice, 5, gas: 60_000, to: nil)) }
        await #expect(throws: TxPoolError.nonceTooLow(next: 5, got: 4)) { try await pool.add(Self.tx(Self.alice, 4)) }
        await #expect(throws: TxPoolError.nonceGapTooLarge(next: 5, got: 5_000)) { try await pool.add(Self.tx(Self.alice, 5_000)) }
        await #expect(throws: TxPoolError.insufficientFunds(have: .zero, need: UInt256(21_000))) { try await pool.add(Self.tx(Self.alice, 5, fee: 1)) }
        await #expect(throws: TxPoolError.gasLimitExceedsBlock(gas: 40_000_000, blockLimit: 30_000_000)) { try await pool.add(Self.tx(Self.alice, 5, gas: 40_000_000)) }
        await #expect(throws: TxPoolError.invalid(.intrinsicGasTooLow(needed: 21_000, limit: 20_000))) { try await pool.add(Self.tx(Self.alice, 5, gas: 20_000)) }
        await #expect(throws: TxPoolError.self) { try await pool.add(Self.tx(Self.alice, 5, gas: 200_000, data: [UInt8](repeating: 1, count: 5_000))) }
        let priced = Self.pool(state) { $0.minGasPrice = UInt256(7) }
        await #expect(throws: TxPoolError.underpriced(minimum: UInt256(7))) { try await priced.add(Self.tx(Self.alice, 5)) }
        let allowlisted = Self.pool(state) { $0.accountAllowlist = [Self.bob.address] }
        await #expect(throws: TxPoolError.senderNotAllowed(Self.alice.address)) { try await allowlisted.add(Self.tx(Self.alice, 5)) }
        // A malleated (high-s) signature never reaches recovery.
        let good = Self.tx(Self.alice, 5)
        let high = Transaction(payload: good.payload, signature: RecoverableSignature(
            r: good.signature.r, s: RecoverableSignature.curveOrder - good.signature.s, recoveryId: good.signature.recoveryId ^ 1))
        await #expect(throws: TxPoolError.invalid(.invalidSignature(.highS))) { try await pool.add(high) }
        #expect(await pool.status == (pending: 0, queued: 0))
    }

    @Test func limitsAreEnforced() async throws {
        let pool = Self.pool { $0.maxPending = 2; $0.maxQueued = 1; $0.maxPerSender = 3 }
        try await pool.add(Self.tx(Self.alice, 0))
        try await pool.add(Self.tx(Self.alice, 1))
        await #expect(throws: TxPoolError.poolFull) { try await pool.add(Self.tx(Self.bob, 0)) }
        try await pool.add(Self.tx(Self.bob, 5))
        await #expect(throws: TxPoolError.poolFull) { try await pool.add(Self.tx(Self.bob, 6)) }
        let perSender = Self.pool { $0.maxPerSender = 2 }
        try await perSender.add(Self.tx(Self.alice, 0))
        try await perSender.add(Self.tx(Self.alice, 3))
        await #expect(throws: TxPoolError.senderLimitReached(limit: 2)) { try await perSender.add(Self.tx(Self.alice, 4)) }
        // The next executable nonce still gets in, in place of the farthest queued one.
        try await perSender.add(Self.tx(Self.alice, 1))
        #expect(await perSender.status == (pending: 2, queued: 0))
        await #expect(throws: TxPoolError.senderLimitReached(limit: 2)) { try await perSender.add(Self.tx(Self.alice, 2)) }
    }

    /// Issue 18: 512 future nonces filled the sender's slots and the gap-closing nonce was refused for good.
    @Test func futureNoncesCannotWedgeASender() async throws {
        let pool = Self.pool()
        for nonce in 1...UInt64(512) { try await pool.add(Self.tx(Self.alice, nonce)) }
        #expect(await pool.status == (pending: 0, queued: 512))
        await #expect(throws: TxPoolError.senderLimitReached(limit: 512)) { try await pool.add(Self.tx(Self.alice, 513)) }
        let closing = Self.tx(Self.alice, 0)
        try await pool.add(closing)
        // Nonce 512, the farthest, made room; 0–511 are now executable.
        #expect(await pool.status == (pending: 512, queued: 0))
        #expect(await pool.candidates().map(\.transaction.nonce) == Array(0...UInt64(511)))
        #expect(await pool.nextNonce(for: Self.alice.address) == 512)
    }

    /// Issue 18: queued transactions whose gap never closes expire (geth's 3 h lifetime); pending ones stay.
    @Test func queuedTransactionsExpire() async throws {
        let clock = ManualClock()
        let state = FakeState()
        var config = TxPoolConfig(chainId: 1337)
        #expect(config.queuedLifetime == .seconds(3 * 3_600))
        config.queuedLifetime = .seconds(3_600)
        let pool = TransactionPool(config: config, state: state, blockGasLimit: 30_000_000, now: { clock.now })
        try await pool.add(Self.tx(Self.alice, 0))
        try await pool.add(Self.tx(Self.alice, 5))
        clock.advance(.seconds(1_800))
        try await pool.add(Self.tx(Self.bob, 3))
        clock.advance(.seconds(1_801))
        await pool.newHead(state: state, blockGasLimit: 30_000_000)
        // Alice's queued nonce 5 is over an hour old; Bob's is not, and Alice's pending nonce 0 never expires.
        #expect(await pool.status == (pending: 1, queued: 1))
        #expect(await pool.content().queued[Self.bob.address]?.map(\.transaction.nonce) == [3])
        // Without new blocks, admission runs the expiry too.
        clock.advance(.seconds(1_800))
        try await pool.add(Self.tx(Self.bob, 0))
        #expect(await pool.status == (pending: 2, queued: 0))
        // Its slot is free again.
        try await pool.add(Self.tx(Self.alice, 5))
    }

    @Test func newHeadDropsIncludedAndPromotes() async throws {
        let state = FakeState()
        let pool = Self.pool(state)
        for nonce: UInt64 in [0, 1, 3, 4] { try await pool.add(Self.tx(Self.alice, nonce)) }
        #expect(await pool.status == (pending: 2, queued: 2))
        // A block included nonces 0–2 (2 came from elsewhere): 0 and 1 leave the pool, 3 and 4 become pending.
        state.nonces[Self.alice.address] = 3
        await pool.newHead(state: state, blockGasLimit: 30_000_000)
        #expect(await pool.status == (pending: 2, queued: 0))
        #expect(await pool.candidates().map(\.transaction.nonce) == [3, 4])
        // A reorg back to nonce 0 re-injects the dropped transactions.
        state.nonces[Self.alice.address] = 0
        await pool.newHead(state: state, blockGasLimit: 30_000_000)
        #expect(await pool.status == (pending: 0, queued: 2))
        await pool.reinject([Self.tx(Self.alice, 0), Self.tx(Self.alice, 1)].map { try! $0.recovered() })
        #expect(await pool.status == (pending: 2, queued: 2))
        await pool.reinject([try Self.tx(Self.alice, 2).recovered()])
        #expect(await pool.candidates().map(\.transaction.nonce) == [0, 1, 2, 3, 4])
    }

    static func block(number: UInt64, parent: Hash32, _ transactions: [Transaction]) -> Block {
        Block(header: BlockHeader(parentHash: parent, coinbase: .zero, stateRoot: .zero, difficulty: .zero, number: number,
                                  gasLimit: 30_000_000, gasUsed: 0, timestamp: number, extraData: [], baseFeePerGas: nil),
              transactions: transactions)
    }

    @Test func aChildHeadReBasesOnlyItsSenders() async throws {
        let state = FakeState()
        let pool = Self.pool(state)
        let (alice0, alice1, bob0) = (Self.tx(Self.alice, 0), Self.tx(Self.alice, 1), Self.tx(Self.bob, 0))
        for tx in [alice0, alice1, bob0] { try await pool.add(tx) }
        let first = Self.block(number: 1, parent: .zero, [])
        await pool.newHead(state: state, blockGasLimit: 30_000_000, block: first)
        // The child includes Alice's nonce 0. Bob's nonce moves in state too (it cannot on a real chain): it is not
        // re-read, which shows that only the block's senders were.
        state.nonces[Self.alice.address] = 1
        state.nonces[Self.bob.address] = 1
        let child = Self.block(number: 2, parent: first.hash, [alice0])
        let reads = state.nonceReads
        await pool.newHead(state: state, blockGasLimit: 30_000_000, block: child)
        #expect(await pool.contains([alice0.hash, alice1.hash, bob0.hash]) == [false, true, true])
        #expect(await pool.status == (pending: 2, queued: 0))
        #expect(state.nonceReads == reads, "a child's senders are re-based at the nonces its block used, not read from state")
        // The same head again changes nothing; a head that is not the child of the last re-bases every sender.
        await pool.newHead(state: state, blockGasLimit: 30_000_000, block: child)
        #expect(await pool.contains([bob0.hash]) == [true])
        await pool.newHead(state: state, blockGasLimit: 30_000_000, block: Self.block(number: 9, parent: Keccak256.hash([9]), []))
        #expect(await pool.contains([alice1.hash, bob0.hash]) == [true, false])
        #expect(await pool.status == (pending: 1, queued: 0))
    }

    @Test func childBlocksTakeTheFrontOfASendersRun() async throws {
        let state = FakeState()
        let pool = Self.pool(state)
        let txs = (0..<5 as Range<UInt64>).map { Self.tx(Self.alice, $0) }
        for tx in txs { try await pool.add(tx) }
        let gap = Self.tx(Self.bob, 1)
        try await pool.add(gap)
        let first = Self.block(number: 1, parent: .zero, [])
        await pool.newHead(state: state, blockGasLimit: 30_000_000, block: first)
        let second = Self.block(number: 2, parent: first.hash, Array(txs[0..<2]))
        await pool.newHead(state: state, blockGasLimit: 30_000_000, block: second)
        #expect(await pool.content().pending[Self.alice.address]?.map(\.transaction.nonce) == [2, 3, 4])
        #expect(await pool.status == (pending: 3, queued: 1))
        // The rest of the run; Bob's gap stays queued.
        let third = Self.block(number: 3, parent: second.hash, Array(txs[2..<5]))
        await pool.newHead(state: state, blockGasLimit: 30_000_000, block: third)
        #expect(await pool.contains(txs.map(\.hash) + [gap.hash]) == [false, false, false, false, false, true])
        #expect(await pool.status == (pending: 0, queued: 1))
        // New transactions are judged against the nonce the block left (this fake state never moved).
        await #expect(throws: TxPoolError.self) { try await pool.add(txs[4]) }
        try await pool.add(Self.tx(Self.alice, 5))
        #expect(await pool.status == (pending: 1, queued: 1))
    }

    @Test func removalDemotesLaterNonces() async throws {
        let pool = Self.pool()
        let txs = (0..<3 as Range<UInt64>).map { Self.tx(Self.alice, $0) }
        for tx in txs { try await pool.add(tx) }
        await pool.remove(txs[1].hash)
        #expect(await pool.status == (pending: 1, queued: 1))
        #expect(await pool.content().queued[Self.alice.address]?.map(\.transaction.nonce) == [2])
    }

    @Test func lookupsFollowRemovalsAndRefusalsLeaveNoEmptyAccount() async throws {
        let pool = Self.pool { $0.maxQueued = 1 }
        let txs = (0..<3 as Range<UInt64>).map { Self.tx(Self.alice, $0) }
        for tx in txs { try await pool.add(tx) }
        let queued = Self.tx(Self.alice, 5)
        try await pool.add(queued)
        await pool.remove(queued.hash)
        #expect(await pool.transaction(queued.hash) == nil)
        #expect(await pool.transaction(txs[2].hash)?.transaction == txs[2])
        await pool.remove(txs[0].hash)
        #expect(await pool.contains(txs.map(\.hash)) == [false, true, true])
        #expect(await pool.status == (pending: 0, queued: 2))
        // A refused first transaction of a new sender leaves nothing behind.
        await #expect(throws: TxPoolError.poolFull) { try await pool.add(Self.tx(Self.bob, 3)) }
        #expect(await pool.accounts[Self.bob.address] == nil)
        #expect(await pool.nextNonce(for: Self.bob.address) == 0)
        // Removed transactions can come back.
        try await pool.add(txs[0])
        #expect(await pool.status == (pending: 3, queued: 0))
    }

    @Test func pendingStreamAnnouncesNewPendingTransactions() async throws {
        let pool = Self.pool()
        let stream = await pool.pendingTransactionStream()
        let queued = Self.tx(Self.alice, 1)
        let ready = Self.tx(Self.alice, 0)
        try await pool.add(queued)
        try await pool.add(ready)
        var iterator = stream.makeAsyncIterator()
        #expect(await iterator.next() == ready.hash)
        #expect(await iterator.next() == queued.hash)
    }

    /// The batch stream gives each admission call's newly pending transactions together, in order; a queued
    /// transaction comes with the one that unblocks it, and what stays queued comes not at all.
    @Test func batchStreamGivesEachAdmissionsPendingTransactionsTogether() async throws {
        let pool = Self.pool()
        let stream = await pool.pendingBatchStream()
        let gap = Self.tx(Self.alice, 5)
        try await pool.add(Self.tx(Self.alice, 1))
        try await pool.add(gap)
        let batch = [Self.tx(Self.alice, 0), Self.tx(Self.bob, 0), Self.tx(Self.bob, 1)]
        #expect(await pool.add(batch).allSatisfy { (try? $0.get()) != nil })
        var iterator = stream.makeAsyncIterator()
        #expect(await iterator.next()?.map(\.hash) == [batch[0].hash, Self.tx(Self.alice, 1).hash, batch[1].hash, batch[2].hash])
        try await pool.add(Self.tx(Self.bob, 2))
        #expect(await iterator.next()?.map(\.hash) == [Self.tx(Self.bob, 2).hash])
    }
}
