/// A storage failure: what went wrong, where, and the backend's own message.
public struct StorageError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Code: Sendable, Equatable {
        /// Another process holds the database lock.
        case locked
        /// The database could not be opened or created (permissions, missing directory, bad options).
        case openFailed
        /// A read or write failed in the backend.
        case io
        /// The data on disk is inconsistent.
        case corruption
    }

    public let code: Code
    public let message: String
    public let path: String

    public init(code: Code, message: String, path: String = "") {
        self.code = code
        self.message = message
        self.path = path
    }

    public var description: String {
        switch code {
        case .locked:
            "database \(path) is already open (another sankofa running with this --data-path, or opened twice)"
        case .openFailed: "cannot open database \(path): \(message)"
        case .io: "storage I/O error\(path.isEmpty ? "" : " in \(path)"): \(message)"
        case .corruption: "database corruption\(path.isEmpty ? "" : " in \(path)"): \(message)"
        }
    }
}
