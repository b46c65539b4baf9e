import CSecp256k1

/// Owns the libsecp256k1 signing context.
///
/// `@unchecked Sendable` is safe: after `randomize` in `init` the context is only ever passed as `const` to
/// libsecp256k1, whose documentation guarantees such use is thread-safe. Verification and recovery use the
/// library's immutable static context instead.
final class Secp256k1Context: @unchecked Sendable {
    static let shared = Secp256k1Context()

    /// A randomized context for operations on secret keys (signing, key derivation, ECDH).
    let signing: OpaquePointer
    /// The library's static context: enough for parsing, verification and recovery.
    let verifying: OpaquePointer

    private init() {
        guard let context = secp256k1_context_create(sankofa_secp256k1_context_none()) else {
            preconditionFailure("libsecp256k1 could not allocate a context")  // out of memory at start-up
        }
        // Blinding against side channels; if the system RNG fails we keep the (still correct) unblinded context.
        if let seed = try? SecureRandom.bytes(32) {
            _ = seed.withUnsafeBufferPointer { secp256k1_context_randomize(context, $0.baseAddress) }
        }
        signing = context
        guard let staticContext = sankofa_secp256k1_static_context() else {
            preconditionFailure("libsecp256k1 has no static context")  // a link-time constant; never nil
        }
        verifying = staticContext
    }

    deinit { secp256k1_context_destroy(signing) }
}

extension UnsafeRawBufferPointer {
    /// The first byte of a 32-byte digest buffer as libsecp256k1 expects it. Digest buffers come from `Hash32`,
    /// which is never empty, so the base address always exists.
    var digestPointer: UnsafePointer<UInt8> {
        guard let base = baseAddress else { preconditionFailure("empty digest buffer") }
        return base.assumingMemoryBound(to: UInt8.self)
    }
}
