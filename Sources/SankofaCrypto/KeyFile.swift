#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SankofaPrimitives

/// Why a key file could not be read or written; `description` is one line an operator can act on.
public struct KeyFileError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Code: Sendable, Equatable { case notFound, unreadable, malformed, exists, unwritable }
    public let code: Code
    public let path: String
    public let detail: String

    public var description: String {
        switch code {
        case .notFound: "key file \(path) does not exist"
        case .unreadable: "cannot read key file \(path): \(detail)"
        case .malformed: "key file \(path) does not hold a secp256k1 private key (expected 0x + 64 hex digits): \(detail)"
        case .exists: "refusing to overwrite existing file \(path)"
        case .unwritable: "cannot write key file \(path): \(detail)"
        }
    }
}

/// Node and account key files in Besu's format: the private key as `0x`-prefixed hex on one line.
public enum KeyFile {
    /// Reads a key file; surrounding whitespace is ignored.
    public static func read(path: String) throws(KeyFileError) -> PrivateKey {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            let code = errno
            throw KeyFileError(code: code == ENOENT ? .notFound : .unreadable, path: path, detail: errnoText(code))
        }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 512)
        let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
        guard count >= 0 else { throw KeyFileError(code: .unreadable, path: path, detail: errnoText(errno)) }
        let text = String(decoding: buffer[0..<count], as: UTF8.self)
        do {
            return try PrivateKey(hex: text)
        } catch {
            throw KeyFileError(code: .malformed, path: path, detail: error.description)
        }
    }

    /// Writes `key` to a new file readable only by its owner (mode 0600). Never overwrites an existing file.
    public static func write(_ key: PrivateKey, path: String) throws(KeyFileError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard fd >= 0 else {
            let code = errno
            throw KeyFileError(code: code == EEXIST ? .exists : .unwritable, path: path, detail: errnoText(code))
        }
        let line = Array((Hex.encode(key.rawBytes) + "\n").utf8)
        let written = line.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        let synced = fsync(fd)
        close(fd)
        guard written == line.count, synced == 0 else {
            throw KeyFileError(code: .unwritable, path: path, detail: errnoText(errno))
        }
    }

    private static func errnoText(_ code: Int32) -> String { String(cString: strerror(code)) }
}
