// Sankofa benchmarks: `swift run -c release SankofaBenchmarks [--json] [--seconds S] [--filter PREFIX,PREFIX…]
// [--light-headers N]`.
// Figures are machine-dependent; read them as ratios to the baseline measured in the same run.
let arguments = CommandLine.arguments.dropFirst()
let json = arguments.contains("--json")
var seconds = 1.0
var filter: String?
var lightHeaders = 20_000
var iterator = arguments.makeIterator()
while let argument = iterator.next() {
    switch argument {
    case "--seconds": seconds = iterator.next().flatMap(Double.init) ?? seconds
    case "--filter": filter = iterator.next()
    case "--light-headers": lightHeaders = iterator.next().flatMap(Int.init) ?? lightHeaders
    default: break
    }
}

// --filter takes comma-separated name prefixes, so a case and its baseline can run together.
let prefixes = filter?.split(separator: ",").map(String.init)
let selected: (BenchmarkCase) -> Bool = { bench in prefixes.map { $0.contains { bench.name.hasPrefix($0) } } ?? true }
// Cases that run once and print their own report (load tests, in-process nodes and networks) run only when a
// prefix selects them; a filter made only of such prefixes skips the measured cases.
let runOnce: [(selects: (String) -> Bool, report: () async throws -> String)] = [
    (QBFTConsensus.selects, { QBFTConsensus.report(QBFTConsensus.run(prefixes: prefixes ?? []), json: json) }),
    (P2PMemory.selects, { P2PMemory.report(try await P2PMemory.run(), json: json) }),
    (NodePipeline.selects, { NodePipeline.report(try await NodePipeline.run(), json: json) }),
    (SyncCatchUp.selects, { SyncCatchUp.report(try await SyncCatchUp.run(), json: json) }),
    (LightServing.selects, { LightServing.report(try await LightServing.run(blocks: lightHeaders), json: json) }),
    (RPCFairness.selects, { RPCFairness.report(try await RPCFairness.run(seconds: max(2, seconds)), json: json) }),
    (RPCLoad.selects, { RPCLoad.report(try await RPCLoad.run(seconds: max(2, seconds), prefixes: prefixes ?? []), json: json) }),
]
let chosen = runOnce.filter { entry in prefixes?.contains(where: entry.selects) ?? false }
let onlyRunOnce = !chosen.isEmpty && (prefixes ?? []).allSatisfy { prefix in runOnce.contains { $0.selects(prefix) } }
let cases = onlyRunOnce ? [] : (FoundationCases.all() + StateCases.all() + ExecutionCases.all() + P2PCases.all() + PoolCases.all()).filter(selected)
var results: [BenchmarkResult] = []
for bench in cases {
    var result = Harness.measure(bench, seconds: seconds)
    if let baseline = bench.baseline, let base = results.first(where: { $0.name == baseline }) {
        result.ratio = (baseline, result.opsPerSecond / base.opsPerSecond)
    }
    results.append(result)
    if !json { print("measured \(bench.name)") }
}
if !onlyRunOnce { print(Harness.report(results, json: json)) }
Harness.removeScratch()
for entry in chosen { print(try await entry.report()) }
