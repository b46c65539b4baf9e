import CLibFuzzer
#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
@preconcurrency import Darwin
#endif

/// One fuzz target: a name for `SANKOFA_FUZZ_TARGET` and a body that must return normally for every input.
/// A broken invariant calls `fuzzFail`, which aborts so libFuzzer records the input as a crash.
struct FuzzTarget: Sendable {
    let name: String
    let summary: String
    /// Touches the lazily built globals the target uses, before the first input, so that LeakSanitizer does
    /// not count their one-time allocations against that input.
    var prepare: @Sendable () -> Void = {}
    let run: @Sendable ([UInt8]) -> Void
}

/// Every target, in the order `Fuzz/run.sh` runs them.
let allTargets: [FuzzTarget] = [
    rlpTarget, transactionTarget, headerTarget, blockTarget,
    jsonTarget, jsonRPCTarget, httpRequestTarget, genesisTarget, tomlTarget,
    abiTarget,
    rlpxFrameTarget, rlpxHandshakeTarget, ethMessageTarget, lightMessageTarget,
    qbftMessageTarget,
]

nonisolated(unsafe) var selectedTarget: FuzzTarget?

/// Reports a broken invariant and aborts (a crash for libFuzzer, which then saves the input).
func fuzzFail(_ message: String) -> Never {
    fputs("sankofa-fuzz: \(message)\n", stderr)
    abort()
}

@_cdecl("LLVMFuzzerInitialize")
public func fuzzInitialize(_ argc: UnsafeMutablePointer<Int32>?,
                           _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>?) -> Int32 {
    let name = getenv("SANKOFA_FUZZ_TARGET").map { String(cString: $0) } ?? ""
    if name == "list" {
        for target in allTargets { print("\(target.name)\t\(target.summary)") }
        exit(0)
    }
    guard let target = allTargets.first(where: { $0.name == name }) else {
        fputs("sankofa-fuzz: set SANKOFA_FUZZ_TARGET to one of: \(allTargets.map(\.name).joined(separator: " "))\n", stderr)
        exit(2)
    }
    target.prepare()
    selectedTarget = target
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    selectedTarget?.run(bytes)
    return 0
}

/// SwiftPM links an executable's `main` itself, so this one runs libFuzzer's driver with the usual command line.
@main
enum SankofaFuzz {
    static func main() {
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        let status = withUnsafeMutablePointer(to: &argv) { argvPointer in
            LLVMFuzzerRunDriver(&argc, argvPointer) { data, size in fuzzOneInput(data, size) }
        }
        exit(status)
    }
}
