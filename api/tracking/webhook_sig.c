/* webhook_sig.c — Standard Webhooks signatures with libcrypto's HMAC-SHA256 (webhook_sig.h). */
#include "api/tracking/webhook_sig.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#define PREFIX "whsec_"
#define KEY_MAX 66 /* base64 of at most 88 characters */

/* The key bytes of a "whsec_" secret into key; returns their count, or -1. */
static int secret_key(const char *secret, unsigned char key[KEY_MAX])
{
	size_t plen = strlen(PREFIX);
	if (!secret || strncmp(secret, PREFIX, plen) != 0)
		return -1;
	const char *b = secret + plen;
	size_t n = strlen(b);
	if (n == 0 || n % 4 != 0 || n > 88)
		return -1;
	int len = EVP_DecodeBlock(key, (const unsigned char *)b, (int)n);
	if (len < 0)
		return -1;
	if (b[n - 1] == '=')
		len--;
	if (b[n - 2] == '=')
		len--;
	return len;
}

int webhook_sig_sign(const char *secret, const char *id, const char *ts, const void *body,
                     size_t len, char out[WEBHOOK_SIG_LEN])
{
	unsigned char key[KEY_MAX], mac[EVP_MAX_MD_SIZE];
	unsigned int maclen = 0;
	int klen = secret_key(secret, key);
	if (klen <= 0)
		return -1;
	/* the signed content, "<id>.<ts>.<body>", in one piece for the one-shot HMAC() */
	size_t ilen = strlen(id), tlen = strlen(ts);
	unsigned char *msg = malloc(ilen + tlen + len + 2);
	int ok = msg != NULL;
	if (ok) {
		memcpy(msg, id, ilen);
		msg[ilen] = '.';
		memcpy(msg + ilen + 1, ts, tlen);
		msg[ilen + 1 + tlen] = '.';
		if (len)
			memcpy(msg + ilen + tlen + 2, body, len);
		ok = HMAC(EVP_sha256(), key, klen, msg, ilen + tlen + len + 2, mac, &maclen) != NULL &&
		     maclen == 32;
	}
	free(msg);
	OPENSSL_cleanse(key, sizeof key);
	if (!ok)
		return -1;
	memcpy(out, "v1,", 3);
	EVP_EncodeBlock((unsigned char *)out + 3, mac, 32); /* 44 characters and a NUL */
	return 0;
}

/* Whether the space-separated header holds want ("v1,…", WEBHOOK_SIG_LEN − 1 characters),
 * every candidate compared in constant time. */
static int header_has(const char *header, const char *want)
{
	size_t wlen = strlen(want);
	int found = 0;
	for (const char *p = header; *p;) {
		while (*p == ' ')
			p++;
		const char *end = strchr(p, ' ');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		if (n == wlen)
			found |= CRYPTO_memcmp(p, want, wlen) == 0;
		p += n;
	}
	return found;
}

enum webhook_sig_status webhook_sig_verify(const char *const *secrets, size_t n, const char *id,
                                           const char *ts, const char *header,
                                           const void *body, size_t len, int64_t now_s,
                                           int tolerance_s)
{
	if (!id || !*id || !ts || !*ts || !header || !*header)
		return WEBHOOK_SIG_MISSING;
	size_t digits = strspn(ts, "0123456789");
	if (digits == 0 || digits > 12 || ts[digits])
		return WEBHOOK_SIG_BAD_TIMESTAMP;
	int64_t t = strtoll(ts, NULL, 10);
	if (t < now_s - tolerance_s || t > now_s + tolerance_s)
		return WEBHOOK_SIG_STALE;
	int found = 0;
	for (size_t i = 0; i < n; i++) {
		char want[WEBHOOK_SIG_LEN];
		if (webhook_sig_sign(secrets[i], id, ts, body, len, want) == 0)
			found |= header_has(header, want);
	}
	return found ? WEBHOOK_SIG_OK : WEBHOOK_SIG_MISMATCH;
}

int webhook_sig_secret_new(char out[WEBHOOK_SECRET_LEN])
{
	unsigned char raw[32];
	if (RAND_bytes(raw, sizeof raw) != 1)
		return -1;
	memcpy(out, PREFIX, strlen(PREFIX));
	EVP_EncodeBlock((unsigned char *)out + strlen(PREFIX), raw, sizeof raw);
	OPENSSL_cleanse(raw, sizeof raw);
	return 0;
}

const char *webhook_sig_reason(enum webhook_sig_status st)
{
	switch (st) {
	case WEBHOOK_SIG_OK: return "the signature is valid";
	case WEBHOOK_SIG_MISSING:
		return "webhook-id, webhook-timestamp and webhook-signature are required";
	case WEBHOOK_SIG_BAD_TIMESTAMP: return "webhook-timestamp is not integer seconds";
	case WEBHOOK_SIG_STALE: return "webhook-timestamp is outside the tolerance";
	case WEBHOOK_SIG_MISMATCH: return "the signature matches no active secret of the carrier";
	}
	return "unknown";
}
