import Foundation

/// Runs the built `sankofa` executable, which SwiftPM places beside the test bundle.
public enum SankofaBinary {
    public struct Output: Sendable {
        public let status: Int32
        public let stdout: String
        public let stderr: String
    }

    /// The executable's path: next to the test bundle in the build products directory.
    public static var path: String? { productPath("sankofa") }

    /// The path of any executable product built with the tests (e.g. test-only helper programs).
    public static func productPath(_ name: String) -> String? {
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent(name).path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        return nil
    }

    public static var available: Bool { path != nil }

    /// Runs `sankofa` with `arguments` to completion and captures its output; with a `timeout`, a process still
    /// running then gets SIGINT (a node that wrongly starts would otherwise run forever).
    public static func run(_ arguments: [String], timeout: Double? = nil) throws -> Output {
        guard let path else { throw CocoaError(.fileNoSuchFile) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        if let timeout {
            DispatchQueue.global().asyncAfter(deadline: .now() + timeout) {
                if process.isRunning { kill(process.processIdentifier, SIGINT) }
            }
        }
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Output(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                      stderr: String(decoding: stderr, as: UTF8.self))
    }
}
