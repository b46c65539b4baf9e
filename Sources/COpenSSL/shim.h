#ifndef SANKOFA_COPENSSL_SHIM_H
#define SANKOFA_COPENSSL_SHIM_H
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/err.h>
#include <openssl/hmac.h>
#include <openssl/crypto.h>
#endif
