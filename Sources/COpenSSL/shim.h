#ifndef SANKOFA_COPENSSL_SHIM_H
#define SANKOFA_COPENSSL_SHIM_H
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/err.h>
#include <openssl/hmac.h>
#include <openssl/crypto.h>
#include <openssl/pem.h>
#include <openssl/bio.h>

/* Small wrappers for what Swift cannot call directly: variadic key generation and macro-only APIs. */

/* A new P-256 key pair (JWT ES256), or NULL. */
static inline EVP_PKEY *sankofa_ec_p256_generate(void) { return EVP_EC_gen("P-256"); }

/* A new RSA key pair of `bits` (JWT RS256), or NULL. */
static inline EVP_PKEY *sankofa_rsa_generate(unsigned int bits) { return EVP_RSA_gen(bits); }

/* 1 for RSA, 2 for EC, 0 for any other key type. */
static inline int sankofa_pkey_kind(const EVP_PKEY *key) {
    int id = EVP_PKEY_get_base_id(key);
    if (id == EVP_PKEY_RSA) return 1;
    if (id == EVP_PKEY_EC) return 2;
    return 0;
}

/* The bytes written so far into a memory BIO. */
static inline long sankofa_bio_contents(BIO *bio, char **data) { return BIO_get_mem_data(bio, data); }
#endif
