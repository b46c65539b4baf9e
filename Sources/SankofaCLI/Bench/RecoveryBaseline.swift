import SankofaChain
import SankofaCrypto
import SankofaPrimitives

/// The machine's speed in the unit a node's work is made of: recovering a transaction's sender as a node does
/// (hash of the signed payload, `ecdsa_recover`, Keccak of the key; LIMITS.md's 49 µs leaves out the first, a few
/// µs), about 80 % of a transaction's unavoidable cost. Node CPU per transaction divided by this is a cost that
/// does not move when the machine does (this box has measured anywhere from 49 µs to 140 µs per recovery on
/// different days), so runs on different days can be compared.
enum RecoveryBaseline {
    /// `../shared/LIMITS.md`: one recovery on one core of the reference machine.
    static let referenceSeconds = 49e-6

    /// Seconds per recovery on one core now: the median of five rounds of 1,000 recoveries (200 transfers signed
    /// by distinct keys, five times), about half a second in all. Rounds of a few milliseconds are no good: this
    /// machine's speed moves by tens of percent over such windows.
    static func measure() -> Double {
        let keys = BenchKeys.derive(seed: "recovery-baseline", count: 200)
        let transactions = keys.enumerated().map { index, key in
            Transaction.Payload.dynamicFee(DynamicFeeTransaction(
                chainId: 1, nonce: UInt64(index), maxPriorityFeePerGas: .zero, maxFeePerGas: .zero, gasLimit: 21_000,
                to: Address(low: 0x1111), value: .zero, data: [], accessList: [])).signed(with: key)
        }
        var rounds: [UInt64] = []
        for _ in 0..<5 {
            let start = BenchClock.now()
            for _ in 0..<5 {
                for tx in transactions { _ = try? tx.recoverSender() }
            }
            rounds.append(BenchClock.now() - start)
        }
        return Double(Percentile.of(rounds.sorted(), 50) ?? 0) / 1e9 / Double(5 * transactions.count)
    }
}
