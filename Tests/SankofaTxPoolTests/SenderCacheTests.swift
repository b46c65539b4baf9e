import SankofaChain
import SankofaCrypto
import SankofaPrimitives
import Testing
@testable import SankofaTxPool

@Suite("Sender cache")
struct SenderCacheTests {
    static func transfer(_ key: PrivateKey, nonce: UInt64) -> Transaction { TransactionPoolTests.tx(key, nonce) }

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
        var raw = Self.transfer(key, nonce: 1).encoded
        raw[raw.count - 2] ^= 0xff   // corrupt s
        guard let bad = try? Transaction(raw: raw), (try? bad.recovered()) == nil else { return }
        #expect(SenderCache().recovered([good, bad]) == nil)
    }

    @Test func poolAdmissionFillsTheCache() async throws {
        let pool = TransactionPoolTests.pool()
        let tx = Self.transfer(try PrivateKey.generate(), nonce: 0)
        try await pool.add(tx)
        #expect(pool.senderCache.contains(tx.hash))
    }
}
