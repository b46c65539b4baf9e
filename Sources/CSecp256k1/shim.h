#ifndef SANKOFA_CSECP256K1_SHIM_H
#define SANKOFA_CSECP256K1_SHIM_H
#include <string.h>
#include <secp256k1.h>
#include <secp256k1_recovery.h>
#include <secp256k1_ecdh.h>

/// The library's static, read-only context (verification and recovery only), exposed as a function so that
/// Swift does not see a mutable global.
static inline const secp256k1_context *sankofa_secp256k1_static_context(void) {
    return secp256k1_context_static;
}

/// Flag values as plain functions: Swift does not import every flag macro.
static inline unsigned int sankofa_secp256k1_context_none(void) { return SECP256K1_CONTEXT_NONE; }
static inline unsigned int sankofa_secp256k1_ec_compressed(void) { return SECP256K1_EC_COMPRESSED; }
static inline unsigned int sankofa_secp256k1_ec_uncompressed(void) { return SECP256K1_EC_UNCOMPRESSED; }

/// ECDH "hash" that returns the shared point's raw x coordinate, as the RLPx handshake requires (devp2p rlpx.md:
/// ecdh-shared-secret is the x coordinate, not a hash of the point).
static inline int sankofa_secp256k1_ecdh_raw_x(unsigned char *output, const unsigned char *x32,
                                               const unsigned char *y32, void *data) {
    (void)y32;
    (void)data;
    memcpy(output, x32, 32);
    return 1;
}
#endif
