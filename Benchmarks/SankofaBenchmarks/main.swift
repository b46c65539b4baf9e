// Sankofa benchmarks: `swift run -c release SankofaBenchmarks [--json] [--seconds S] [--filter PREFIX,PREFIX…]`.
// Figures are machine-dependent; read them as ratios to the baseline measured in the same run.
let arguments = CommandLine.arguments.dropFirst()
let json = arguments.contains("--json")
var seconds = 1.0
var filter: String?
var iterator = arguments.makeIterator()
while let argument = iterator.next() {
    switch argument {
    case "--seconds": seconds = iterator.next().flatMap(Double.init) ?? seconds
    case "--filter": filter = iterator.next()
    default: break
    }
}

// --filter takes comma-separated name prefixes, so a case and its baseline can run together.
let prefixes = filter?.split(separator: ",").map(String.init)
let selected: (BenchmarkCase) -> Bool = { bench in prefixes.map { $0.contains { bench.name.hasPrefix($0) } } ?? true }
// The RPC load test (RPCLoad.swift), the node pipeline and QBFT consensus (QBFTConsensus.swift) run only when a
// prefix selects them; a filter of only RPC prefixes skips the rest.
let rpcSelected = prefixes?.contains(where: RPCLoad.selects) ?? false
let pipelineSelected = prefixes?.contains(where: NodePipeline.selects) ?? false
let qbftSelected = prefixes?.contains(where: QBFTConsensus.selects) ?? false
let memorySelected = prefixes?.contains(where: P2PMemory.selects) ?? false
let rpcOnly = (rpcSelected || pipelineSelected || qbftSelected || memorySelected)
    && (prefixes ?? []).allSatisfy {
        RPCLoad.selects($0) || NodePipeline.selects($0) || QBFTConsensus.selects($0) || P2PMemory.selects($0)
    }
let cases = rpcOnly ? [] : (FoundationCases.all() + StateCases.all() + ExecutionCases.all() + P2PCases.all()).filter(selected)
var results: [BenchmarkResult] = []
for bench in cases {
    var result = Harness.measure(bench, seconds: seconds)
    if let baseline = bench.baseline, let base = results.first(where: { $0.name == baseline }) {
        result.ratio = (baseline, result.opsPerSecond / base.opsPerSecond)
    }
    results.append(result)
    if !json { print("measured \(bench.name)") }
}
if !rpcOnly { print(Harness.report(results, json: json)) }
if qbftSelected { print(QBFTConsensus.report(QBFTConsensus.run(prefixes: prefixes ?? []), json: json)) }
if memorySelected { print(P2PMemory.report(try await P2PMemory.run(), json: json)) }
if pipelineSelected { print(NodePipeline.report(try await NodePipeline.run(), json: json)) }
if rpcSelected { print(RPCLoad.report(try await RPCLoad.run(seconds: max(2, seconds), prefixes: prefixes ?? []), json: json)) }
