/* sha256.h: private to src/core: SHA-256 in pieces and HMAC-SHA-256, for
 * the keyed audit chain (audit.c). */
#ifndef DOVIRA_SHA256_H
#define DOVIRA_SHA256_H

#include <stddef.h>
#include <stdint.h>

typedef struct sha256_ctx {
	uint32_t h[8];
	uint64_t len;
	unsigned char buf[64];
} sha256_ctx;

void sha256_init(sha256_ctx *c);
void sha256_update(sha256_ctx *c, const void *data, size_t len);
/* Finish: the 32-byte digest into out; c must be initialised again before
 * reuse. */
void sha256_final(sha256_ctx *c, unsigned char out[static 32]);
/* 32 bytes as 64 lower-case hex digits plus NUL. */
void sha256_hex(const unsigned char d[static 32], char out[static 65]);

/* Whether the processor's SHA instructions do the work: use 1 to use them
 * where the processor has them (the default), 0 for the portable code
 * (tests compare the two). Returns 1 if they are now used. Not to be
 * called while another thread hashes. */
int sha256_use_cpu(int use);

/* A key ready for HMAC: the inner and outer pads already hashed, so that
 * each message costs only its own blocks and one more. */
typedef struct hmac_key {
	sha256_ctx inner, outer;
} hmac_key;

void hmac_init(hmac_key *k, const unsigned char *key, size_t len);
void hmac_sha256(const hmac_key *k, const void *data, size_t len, unsigned char out[static 32]);

#endif
