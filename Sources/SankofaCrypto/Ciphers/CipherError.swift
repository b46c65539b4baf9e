/// Why a symmetric primitive (AES, SHA-256, HMAC) through OpenSSL failed. These are not input errors: OpenSSL
/// refuses only when it cannot allocate or the key size is wrong, so the message names the operation.
public struct CipherError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The OpenSSL operation that failed, e.g. `"EVP_EncryptInit_ex(aes-256-ctr)"`.
    public let operation: String

    public init(operation: String) { self.operation = operation }

    public var description: String { "OpenSSL \(operation) failed (out of memory or a wrong key size)" }
}
