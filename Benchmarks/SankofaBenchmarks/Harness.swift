import Foundation
import SankofaJSON

/// A minimal benchmark harness: each case runs for a time budget, reports operations per second, and may name
/// a baseline measured in the same run so figures can be read as ratios on a noisy machine.
struct BenchmarkCase {
    let name: String
    /// Bytes processed per operation, for throughput figures (0 if not meaningful).
    let bytesPerOp: Int
    /// Items (keys, transactions) handled per operation: rates are reported per item.
    var itemsPerOp: Int = 1
    /// The case this one is compared to, if any.
    let baseline: String?
    /// Runs `iterations` operations.
    let body: (Int) -> Void

    init(name: String, bytesPerOp: Int, itemsPerOp: Int = 1, baseline: String?, body: @escaping (Int) -> Void) {
        self.name = name
        self.bytesPerOp = bytesPerOp
        self.itemsPerOp = itemsPerOp
        self.baseline = baseline
        self.body = body
    }
}

struct BenchmarkResult {
    let name: String
    let opsPerSecond: Double
    let bytesPerOp: Int
    var ratio: (baseline: String, value: Double)?
}

enum Harness {
    /// Directories the measured cases' fixtures write to (RocksDB), removed by `removeScratch` once every case has
    /// run: the cases keep their databases open until then. Touched only from the main flow of `main.swift`.
    nonisolated(unsafe) static var scratchDirectories: [String] = []

    /// A fresh directory path under the system's temporary directory, removed at the end of the run.
    static func scratchDirectory(_ name: String) -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sankofa-\(name)-\(UUID())").path
        scratchDirectories.append(path)
        return path
    }

    static func removeScratch() {
        for path in scratchDirectories { try? FileManager.default.removeItem(atPath: path) }
        scratchDirectories.removeAll()
    }

    /// Calibrates an iteration count that takes about `seconds`, then measures the best of three runs.
    static func measure(_ bench: BenchmarkCase, seconds: Double) -> BenchmarkResult {
        let clock = ContinuousClock()
        var iterations = 1
        while true {
            let elapsed = clock.measure { bench.body(iterations) }
            if elapsed >= .milliseconds(50) || iterations >= 1 << 30 {
                let perOp = elapsed / iterations
                iterations = max(1, Int((seconds / 3) / perOp.seconds))
                break
            }
            iterations *= 4
        }
        var best = Double.infinity
        for _ in 0..<3 {
            let elapsed = clock.measure { bench.body(iterations) }.seconds
            best = min(best, elapsed / Double(iterations))
        }
        return BenchmarkResult(name: bench.name, opsPerSecond: Double(bench.itemsPerOp) / best,
                               bytesPerOp: bench.bytesPerOp / max(1, bench.itemsPerOp))
    }

    static func report(_ results: [BenchmarkResult], json: Bool) -> String {
        if json {
            return JSONWriter.pretty(.array(results.map { r in
                var row: JSONObject = ["name": .string(r.name), "ops_per_second": number(r.opsPerSecond.rounded(.down))]
                if r.bytesPerOp > 0 { row.append("mb_per_second", number(r.opsPerSecond * Double(r.bytesPerOp) / 1e6)) }
                if let ratio = r.ratio {
                    row.append("baseline", .string(ratio.baseline))
                    row.append("ratio", number(ratio.value))
                }
                return .object(row)
            }))
        }
        var lines = ["benchmark                     items/s        MB/s   ratio to baseline"]
        for r in results {
            var line = r.name.padding(30) + String(Int(r.opsPerSecond)).leftPadding(12)
            line += (r.bytesPerOp > 0 ? format(r.opsPerSecond * Double(r.bytesPerOp) / 1e6) : "-").leftPadding(12)
            if let ratio = r.ratio { line += "   \(format(ratio.value)) × \(ratio.baseline)" }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }

    static func format(_ value: Double) -> String {
        let scaled = (value * 1000).rounded() / 1000
        return "\(scaled)"
    }

    /// A figure for `--json` output, rounded as `format` rounds it; null when it is not a number.
    static func number(_ value: Double) -> JSON {
        JSONNumber((value * 1000).rounded() / 1000).map(JSON.number) ?? .null
    }
}

extension Duration {
    var seconds: Double {
        let (s, atto) = components
        return Double(s) + Double(atto) / 1e18
    }
}

extension String {
    func padding(_ width: Int) -> String { count >= width ? self : self + String(repeating: " ", count: width - count) }
    func leftPadding(_ width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}

/// Keeps the optimiser from deleting work whose result is otherwise unused.
@inline(never)
func blackHole<T>(_ value: T) { _ = value }
