// Imports CrashScenario blocks into a RocksDB database forever (or up to a limit), printing each block number once
// it is durable. Crash-safety tests kill it at random instants and check what survives.
//
//   sankofa-crash-writer DATA_PATH [LAST_BLOCK]
import Foundation
import SankofaStorage
import SankofaTestSupport

let arguments = CommandLine.arguments
guard arguments.count >= 2 else {
    FileHandle.standardError.write(Data("usage: sankofa-crash-writer DATA_PATH [LAST_BLOCK]\n".utf8))
    exit(2)
}
let last = arguments.count > 2 ? UInt64(arguments[2]) ?? .max : .max
do {
    let store = try RocksDBStore(path: arguments[1])
    try CrashScenario.importBlocks(into: store, through: last) { number in
        // Unbuffered, so the parent sees exactly the blocks that were durable before it killed us.
        FileHandle.standardOutput.write(Data("\(number)\n".utf8))
    }
} catch {
    FileHandle.standardError.write(Data("crash-writer: \(error)\n".utf8))
    exit(1)
}
