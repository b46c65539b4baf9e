import Foundation

/// File access for commands, with errors an operator can act on.
enum CLIFiles {
    /// The whole file at `path`.
    static func read(_ path: String) throws(CLIError) -> [UInt8] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw .file(path: path, reason: "no such file")
        }
        guard !isDirectory.boolValue else { throw .file(path: path, reason: "is a directory, not a file") }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .file(path: path, reason: "cannot be read (check its permissions)")
        }
        return [UInt8](data)
    }
}

/// Writes to standard output at once, bypassing stdio's buffer, so what a command prints before it runs a
/// long-lived service reaches a pipe or a log file immediately.
enum StandardOutput {
    static func write(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}
