import SankofaJSON
import SankofaTxPool

/// The outcome of a run: Caliper's numbers (send rate, throughput, latency) plus every failure by reason.
struct BenchReport: Sendable {
    let transactions: Int
    let senders: Int
    let nodes: [String]
    let mix: String
    let targetRate: Double?
    let consensus: String
    let preparationSeconds: Double
    let sent: Int
    let accepted: Int
    let confirmed: Int
    let failed: Int
    /// Sends again of transactions a full pool refused (without `--rate`).
    let resent: Int
    /// First send → last answer to a send.
    let sendSeconds: Double
    /// First send → last inclusion of a confirmed transaction.
    let confirmSeconds: Double
    let latencyP50Ms: Double?
    let latencyP99Ms: Double?
    let latencyMaxMs: Double?
    /// Blocks holding at least one of the run's transactions.
    let blocks: Int
    let failures: [(reason: String, count: Int)]
    /// Each `--metrics` node's CPU seconds from first send to last inclusion; nil without `--metrics`.
    let nodeCPUSeconds: [Double]?
    /// One sender recovery on one core of this machine, the mean of measurements just before and just after the
    /// run (with `--metrics`).
    let recoverySeconds: Double?

    var acceptedPerSecond: Double { sendSeconds > 0 ? Double(accepted) / sendSeconds : 0 }
    var confirmedPerSecond: Double { confirmSeconds > 0 ? Double(confirmed) / confirmSeconds : 0 }
    var averagePerBlock: Double { blocks > 0 ? Double(confirmed) / Double(blocks) : 0 }
    /// CPU seconds per node per 1,000 confirmed transactions (the mean over the `--metrics` nodes).
    var cpuPerNodePerThousand: Double? {
        guard let cpu = nodeCPUSeconds, !cpu.isEmpty, confirmed > 0 else { return nil }
        return cpu.reduce(0, +) / Double(cpu.count) / Double(confirmed) * 1_000
    }
    /// The same cost in sender recoveries on this machine: comparable across machines and days.
    var recoveriesPerNodePerTransaction: Double? {
        guard let perThousand = cpuPerNodePerThousand, let recoverySeconds, recoverySeconds > 0 else { return nil }
        return perThousand / 1_000 / recoverySeconds
    }

    /// What "final" means on this chain, for the latency line.
    var finality: String {
        switch consensus {
        case "qbft": "QBFT: a block is final when it is included"
        case "clique": "Clique has no finality: latency is to inclusion"
        default: "consensus unknown: latency is to inclusion"
        }
    }

    init(settings: BenchSettings, chain: BenchChain, plan: BenchPlan, ledger: BenchLedger, start: UInt64,
         preparationSeconds: Double, nodeCPUSeconds: [Double]? = nil, recoverySeconds: Double? = nil) {
        transactions = plan.transactions.count
        senders = settings.senders
        nodes = settings.endpoints.map(\.description)
        mix = settings.mix.description
        targetRate = settings.rate
        consensus = chain.consensus
        self.preparationSeconds = preparationSeconds
        self.nodeCPUSeconds = nodeCPUSeconds
        self.recoverySeconds = recoverySeconds
        var latencies: [UInt64] = []
        var lastAnswer = start, lastInclusion = start
        var sent = 0, accepted = 0, confirmed = 0
        var confirmedBlocks = Set<UInt64>()
        for i in 0..<ledger.count {
            if ledger.sentAt[i] != 0 { sent += 1 }
            if ledger.acceptedAt[i] != 0 {
                accepted += 1
                lastAnswer = max(lastAnswer, ledger.acceptedAt[i])
            }
            guard ledger.outcome[i] == .confirmed else { continue }
            confirmed += 1
            if ledger.includedAt[i] != 0 {
                lastInclusion = max(lastInclusion, ledger.includedAt[i])
                confirmedBlocks.insert(ledger.includedBlock[i])
                if ledger.sentAt[i] != 0, ledger.includedAt[i] >= ledger.sentAt[i] {
                    latencies.append(ledger.includedAt[i] - ledger.sentAt[i])
                }
            }
        }
        latencies.sort()
        self.sent = sent
        self.accepted = accepted
        self.confirmed = confirmed
        failed = ledger.count - confirmed
        resent = ledger.progress.resent
        sendSeconds = Double(lastAnswer - start) / 1e9
        confirmSeconds = Double(lastInclusion - start) / 1e9
        latencyP50Ms = Percentile.of(latencies, 50).map { Double($0) / 1e6 }
        latencyP99Ms = Percentile.of(latencies, 99).map { Double($0) / 1e6 }
        latencyMaxMs = latencies.last.map { Double($0) / 1e6 }
        self.blocks = confirmedBlocks.count
        var failures = ledger.failures.map { (reason: $0.key, count: $0.value) }
        let unaccounted = failed - failures.reduce(0) { $0 + $1.count }
        if unaccounted > 0 { failures.append(("not sent", unaccounted)) }
        self.failures = failures.sorted { $0.count != $1.count ? $0.count > $1.count : $0.reason < $1.reason }
    }

    /// The human summary.
    var table: String {
        func rate(_ value: Double) -> String { "\(Int(value.rounded())) tx/s" }
        func ms(_ value: Double?) -> String { value.map { "\(Int($0.rounded())) ms" } ?? "-" }
        var rows: [(String, String)] = [
            ("nodes", nodes.joined(separator: ", ")),
            ("consensus", consensus),
            ("mix", mix),
            ("target rate", targetRate.map { rate($0) } ?? "as fast as accepted"),
            ("transactions", "\(transactions) from \(senders) senders (signed in \(BenchRunner.seconds(preparationSeconds)) before the clock)"),
            ("accepted", "\(accepted) in \(BenchRunner.seconds(sendSeconds)): \(rate(acceptedPerSecond))"),
            ("confirmed (status 1)", "\(confirmed) in \(BenchRunner.seconds(confirmSeconds)) first send → last inclusion: \(rate(confirmedPerSecond))"),
            ("latency p50 / p99 / max", "\(ms(latencyP50Ms)) / \(ms(latencyP99Ms)) / \(ms(latencyMaxMs)), send → block (\(finality))"),
            ("blocks", "\(blocks), \(Int(averagePerBlock.rounded())) transactions per block on average"),
        ]
        if let cpu = nodeCPUSeconds, let perThousand = cpuPerNodePerThousand {
            let each = cpu.map { "\(($0 * 100).rounded() / 100)" }.joined(separator: " + ")
            rows.append(("node CPU", "\(each) = \(BenchRunner.seconds(cpu.reduce(0, +))) first send → last inclusion, "
                         + "\((perThousand * 1_000).rounded() / 1_000) s per node per 1,000 confirmed"))
        }
        if let recoverySeconds, let recoveries = recoveriesPerNodePerTransaction {
            rows.append(("machine", "one sender recovery takes \(Int((recoverySeconds * 1e6).rounded())) µs on one core here "
                         + "(\(Int((RecoveryBaseline.referenceSeconds * 1e6).rounded())) µs in LIMITS.md), so node CPU per transaction is "
                         + "\((recoveries * 100).rounded() / 100) recoveries' worth"))
        }
        if resent > 0 {
            rows.append(("resent", "\(resent) after \"\(TxPoolError.poolFull)\": sent faster than the nodes include"))
        }
        rows.append(("failed", "\(failed)"))
        for failure in failures { rows.append(("  \(failure.count)×", failure.reason)) }
        let width = rows.map(\.0.count).max() ?? 0
        return rows.map { $0.0.padding(to: width) + "  " + $0.1 }.joined(separator: "\n")
    }

    /// `--json`.
    var json: JSON {
        func number(_ value: Double?) -> JSON {
            guard let value, let number = JSONNumber((value * 100).rounded() / 100) else { return .null }
            return .number(number)
        }
        return .object(JSONObject([
            ("nodes", .array(nodes.map { .string($0) })),
            ("consensus", .string(consensus)),
            ("mix", .string(mix)),
            ("targetRate", number(targetRate)),
            ("transactions", .number(JSONNumber(transactions))),
            ("senders", .number(JSONNumber(senders))),
            ("preparationSeconds", number(preparationSeconds)),
            ("sent", .number(JSONNumber(sent))),
            ("accepted", .number(JSONNumber(accepted))),
            ("confirmed", .number(JSONNumber(confirmed))),
            ("failed", .number(JSONNumber(failed))),
            ("resentAfterPoolFull", .number(JSONNumber(resent))),
            ("sendSeconds", number(sendSeconds)),
            ("confirmSeconds", number(confirmSeconds)),
            ("acceptedPerSecond", number(acceptedPerSecond)),
            ("confirmedPerSecond", number(confirmedPerSecond)),
            ("latencyMs", .object(JSONObject([("p50", number(latencyP50Ms)), ("p99", number(latencyP99Ms)), ("max", number(latencyMaxMs))]))),
            ("latencyTo", .string(consensus == "qbft" ? "final block" : "inclusion")),
            ("blocks", .number(JSONNumber(blocks))),
            ("averageTransactionsPerBlock", number(averagePerBlock)),
            ("failures", .object(JSONObject(failures.map { ($0.reason, .number(JSONNumber($0.count))) }))),
            ("nodeCpuSeconds", nodeCPUSeconds.map { .array($0.map { number($0) }) } ?? .null),
            ("cpuSecondsPerNodePer1000", number(cpuPerNodePerThousand)),
            ("recoveryMicroseconds", number(recoverySeconds.map { $0 * 1e6 })),
            ("recoveriesPerNodePerTransaction", number(recoveriesPerNodePerTransaction)),
        ]))
    }
}

extension String {
    func padding(to width: Int) -> String { count >= width ? self : self + String(repeating: " ", count: width - count) }
}
