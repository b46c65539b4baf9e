import Dispatch
import SankofaChain
import SankofaCrypto
import SankofaPrimitives
import Testing
@testable import SankofaTxPool

@Suite("Sender cache")
struct SenderCacheTests {
    static func transfer(_ key: PrivateKey, nonce: UInt64) -> Transaction { TransactionPoolTests.tx(key, nonce) }

    /// `tx` with an `r` that is the x-coordinate of no secp256k1 point (0x7f00…02: x³ + 7 has no square root mod p),
    /// so it decodes but no sender recovers.
    static func unrecoverable(_ tx: Transaction) throws -> Transaction {
        let r = try #require(UInt256(hex: "0x7f" + String(repeating: "0", count: 61) + "2"))
        let signature = RecoverableSignature(r: r, s: tx.signature.s, recoveryId: tx.signature.recoveryId)
        let bad = try Transaction(raw: Transaction(payload: tx.payload, signature: signature).encoded)
        #expect(throws: TransactionError.self) { try bad.recovered() }
        return bad
    }

    @Test func aKnownSenderIsNotRecoveredAgain() throws {
        let key = try PrivateKey.generate()
        let tx = Self.transfer(key, nonce: 0)
        let cache = SenderCache(capacity: 4)
        #expect(!cache.contains(tx.hash))
        #expect(try cache.recovered(tx).sender == key.address)
        #expect(cache.contains(tx.hash))
        // What the cache holds is what it answers, without recovering: a planted sender proves it.
        let planted = SenderCache(capacity: 4)
        planted.remember([RecoveredTransaction(transaction: tx, sender: Address(low: 0x42))])
        #expect(try planted.recovered(tx).sender == Address(low: 0x42))
        #expect(planted.recovered([tx, Self.transfer(key, nonce: 1)])?.map(\.sender) == [Address(low: 0x42), key.address])
        #expect(cache.recoveries == 1)
        #expect(planted.recoveries == 1)   // only nonce 1
    }

    @Test func aLargeBatchIsRecoveredInParallelAndInOrder() throws {
        let keys = try (0..<150).map { _ in try PrivateKey.generate() }
        let txs = keys.map { Self.transfer($0, nonce: 0) }
        let cache = SenderCache()
        _ = try cache.recovered(txs[3])   // one already known, among many to recover
        #expect(SenderCache.parallelThreshold < txs.count)
        let recovered = try #require(cache.recovered(txs))
        #expect(recovered.map(\.sender) == keys.map(\.address))
        #expect(recovered.map(\.transaction) == txs)
        #expect(txs.allSatisfy { cache.contains($0.hash) })
        #expect(cache.recoveries == txs.count)
        _ = cache.recovered(txs)
        #expect(cache.recoveries == txs.count)
    }

    /// A peer's proposal checked while gossip admits the same transactions: callers overlapping in time wait for
    /// each other's recoveries instead of repeating them, whatever the order and whether one at a time or in batches.
    @Test func concurrentCallersRecoverEachSenderOnce() throws {
        let keys = try (0..<40).map { _ in try PrivateKey.generate() }
        let txs = keys.flatMap { key in (0..<5).map { Self.transfer(key, nonce: $0) } }
        let cache = SenderCache()
        let callers = 8
        let answers = Locked([Int: [Address]]())
        DispatchQueue.concurrentPerform(iterations: callers) { caller in
            let order = caller.isMultiple(of: 2) ? txs : txs.reversed()
            let senders: [Address]? = caller % 4 == 1
                ? order.map { try? cache.recovered($0).sender }.compactMap { $0 }
                : cache.recovered(order)?.map(\.sender)
            answers.withLock { $0[caller] = senders }
        }
        #expect(cache.recoveries == txs.count)
        let expected = keys.flatMap { Array(repeating: $0.address, count: 5) }
        for caller in 0..<callers {
            let senders = try #require(answers.withLock { $0[caller] })
            #expect(senders == (caller.isMultiple(of: 2) ? expected : expected.reversed()))
        }
    }

    /// Callers overlapping on a signature that does not recover all fail, its claim is released (nobody hangs), it is
    /// recovered once however many ask, and a failing batch keeps the senders it did recover.
    @Test func anUnrecoverableSignatureFailsEveryCallerAndReleasesItsClaim() throws {
        let key = try PrivateKey.generate()
        let bad = try Self.unrecoverable(Self.transfer(key, nonce: 1))
        let batch = [Self.transfer(key, nonce: 0), bad] + (0..<100).map { Self.transfer(key, nonce: UInt64($0) + 2) }
        let cache = SenderCache()
        let failures = Locked(0)
        DispatchQueue.concurrentPerform(iterations: 6) { caller in
            let failed = caller.isMultiple(of: 2) ? cache.recovered(batch) == nil : (try? cache.recovered(bad)) == nil
            if failed { failures.withLock { $0 += 1 } }
        }
        #expect(failures.withLock { $0 } == 6)
        #expect(cache.recoveries == batch.count)
        #expect(throws: TransactionError.self) { try cache.recovered(bad) }
        #expect(cache.recoveries == batch.count)
        #expect(!cache.contains(bad.hash))
        #expect(cache.contains(batch[0].hash))
    }

    @Test func itIsBoundedAndForgetsTheOldest() throws {
        let key = try PrivateKey.generate()
        let cache = SenderCache(capacity: 2)
        let txs = (0..<3).map { Self.transfer(key, nonce: $0) }
        for tx in txs { _ = try cache.recovered(tx) }
        #expect(!cache.contains(txs[0].hash) && cache.contains(txs[1].hash) && cache.contains(txs[2].hash))
    }

    @Test func anUnrecoverableTransactionFailsTheBatch() throws {
        let key = try PrivateKey.generate()
        let good = Self.transfer(key, nonce: 0)
        let bad = try Self.unrecoverable(Self.transfer(key, nonce: 1))
        #expect(SenderCache().recovered([good, bad]) == nil)
    }

    @Test func poolAdmissionFillsTheCache() async throws {
        let pool = TransactionPoolTests.pool()
        let tx = Self.transfer(try PrivateKey.generate(), nonce: 0)
        try await pool.add(tx)
        #expect(pool.senderCache.contains(tx.hash))
    }
}
