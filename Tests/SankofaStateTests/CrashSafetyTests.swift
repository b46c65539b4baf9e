import Foundation
import SankofaStorage
import SankofaTestSupport
import Testing
@testable import SankofaState

/// Kills a child process at random instants while it imports blocks into RocksDB, then checks that the database
/// reopens at a fully committed block whose state root matches a recomputation from scratch.
@Suite("Crash safety", .enabled(if: SankofaBinary.productPath("sankofa-crash-writer") != nil))
struct CrashSafetyTests {
    static func startWriter(_ writer: String, path: String) throws -> (Process, Pipe) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: writer)
        process.arguments = [path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        return (process, output)
    }

    /// What the writer printed up to and including its first line, waiting at most `timeoutMilliseconds`.
    static func readFirstLine(_ pipe: Pipe, timeoutMilliseconds: Int32) -> Data {
        var data = Data()
        let deadline = Date().addingTimeInterval(Double(timeoutMilliseconds) / 1_000)
        while !data.contains(UInt8(ascii: "\n")), Date() < deadline {
            var ready = pollfd(fd: pipe.fileHandleForReading.fileDescriptor, events: Int16(POLLIN), revents: 0)
            guard poll(&ready, 1, 100) == 1 else { continue }
            let chunk = pipe.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            data += chunk
        }
        return data
    }

    @Test func killedImporterRestartsAtACommittedBlock() throws {
        let writer = try #require(SankofaBinary.productPath("sankofa-crash-writer"))
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sankofa-crash-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        var rng = SystemRandomNumberGenerator()
        var previousHead: UInt64?
        for round in 0..<5 {
            let (process, output) = try Self.startWriter(writer, path: path)
            // Kill at a random instant after the writer has made its first block durable (on a loaded machine the
            // process may need longer than the whole random window just to start).
            let started = Self.readFirstLine(output, timeoutMilliseconds: 30_000)
            usleep(UInt32.random(in: 150_000...700_000, using: &rng))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            let printed = String(decoding: started + output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                .split(separator: "\n").compactMap { UInt64($0) }

            let store = try RocksDBStore(path: path)
            let chain = try ChainStore(store: store)
            let headHash = try #require(try chain.headHash(), "round \(round): no head after \(printed.count) blocks")
            let head = try #require(try chain.header(headHash))
            // Everything reported durable survived; the head is never behind it.
            if let lastDurable = printed.last { #expect(head.number >= lastDurable, "round \(round)") }
            if let previousHead { #expect(head.number >= previousHead) }
            previousHead = head.number
            #expect(try CrashScenario.expectedRoot(through: head.number) == head.stateRoot, "round \(round)")
            // The head state is readable through the snapshot, which committed in the same batch.
            let state = try WorldState(reader: store, root: head.stateRoot, snapshot: true)
            #expect(state.usesSnapshot)
            let expected = (0...head.number).reduce(UInt64(0)) { $0 + $1 * 31 + 1 }
            #expect(try state.balance(.init(low: 1)) == .init(expected))
            // Every ancestor is still canonical and linked.
            if head.number > 0 {
                let parent = try #require(try chain.canonicalHash(head.number - 1))
                #expect(head.parentHash == parent)
            }
            store.close()
        }
    }

    @Test func secondProcessIsRefusedWithALockError() throws {
        let writer = try #require(SankofaBinary.productPath("sankofa-crash-writer"))
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sankofa-lock-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (process, output) = try Self.startWriter(writer, path: path)
        defer {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        // Wait until the child has the database open (it prints once its first block is durable).
        _ = output.fileHandleForReading.availableData
        do {
            _ = try RocksDBStore(path: path)
            Issue.record("a second process opened a database that another process holds")
        } catch {
            #expect(error.code == .locked)
            #expect(error.description.contains(path))
        }
    }
}
