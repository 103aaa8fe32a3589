/*
 * sha256.c — SHA-256 after FIPS 180-4 §6.2 (see sha256.h).  Plain C, one
 * 64-byte block at a time, and on x86-64 processors with the SHA extensions
 * (Intel since Goldmont/Ice Lake, AMD since Zen) the same compression with
 * the sha256rnds2/msg1/msg2 instructions, chosen once at run time: about
 * five times faster, so that hashing a register file while it loads costs
 * little next to parsing it.
 */
#include <string.h>

#include "sha256.h"

#if defined(__x86_64__) && defined(__GNUC__)
#include <cpuid.h>
#include <immintrin.h>
#define HX_SHA256_NI 1
#endif

static const uint32_t K[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
	0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
	0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
	0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
	0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
	0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
	0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
	0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
	0xc67178f2};

static uint32_t rotr(uint32_t x, unsigned n)
{
	return (x >> n) | (x << (32 - n));
}

static void compress(uint32_t h[8], const unsigned char *p)
{
	uint32_t w[64], a, b, c, d, e, f, g, hh, t1, t2;
	int i;

	for (i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
		       (uint32_t)p[4 * i + 2] << 8 | (uint32_t)p[4 * i + 3];
	for (i = 16; i < 64; i++) {
		uint32_t s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
		uint32_t s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);

		w[i] = w[i - 16] + s0 + w[i - 7] + s1;
	}
	a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
	for (i = 0; i < 64; i++) {
		t1 = hh + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i];
		t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
		hh = g, g = f, f = e, e = d + t1, d = c, c = b, b = a, a = t1 + t2;
	}
	h[0] += a, h[1] += b, h[2] += c, h[3] += d, h[4] += e, h[5] += f, h[6] += g, h[7] += hh;
}

#ifdef HX_SHA256_NI
/*
 * Compress n 64-byte blocks with the SHA extensions.  The state is kept as
 * the instructions want it (ABEF and CDGH halves); the message schedule is
 * W[g] = msg2(msg1(W[g-4], W[g-3]) + W[g-1:g-2 shifted by one word], W[g-1])
 * for each group g of four words.
 */
__attribute__((target("sha,sse4.1")))
static void compress_ni(uint32_t h[8], const unsigned char *p, size_t nblocks)
{
	const __m128i mask = _mm_set_epi64x(0x0c0d0e0f08090a0bLL, 0x0405060700010203LL);
	__m128i tmp, s0, s1, abef, cdgh, msg, w[16];
	int g;

	tmp = _mm_loadu_si128((const __m128i *)(const void *)&h[0]);
	s1 = _mm_loadu_si128((const __m128i *)(const void *)&h[4]);
	tmp = _mm_shuffle_epi32(tmp, 0xB1);   /* CDAB */
	s1 = _mm_shuffle_epi32(s1, 0x1B);     /* EFGH */
	s0 = _mm_alignr_epi8(tmp, s1, 8);     /* ABEF */
	s1 = _mm_blend_epi16(s1, tmp, 0xF0);  /* CDGH */
	for (; nblocks > 0; nblocks--, p += 64) {
		abef = s0;
		cdgh = s1;
		for (g = 0; g < 4; g++)
			w[g] = _mm_shuffle_epi8(
				_mm_loadu_si128((const __m128i *)(const void *)(p + 16 * g)), mask);
		for (g = 4; g < 16; g++)
			w[g] = _mm_sha256msg2_epu32(
				_mm_add_epi32(_mm_sha256msg1_epu32(w[g - 4], w[g - 3]),
				              _mm_alignr_epi8(w[g - 1], w[g - 2], 4)),
				w[g - 1]);
		for (g = 0; g < 16; g++) {
			msg = _mm_add_epi32(w[g], _mm_loadu_si128((const __m128i *)(const void *)&K[4 * g]));
			s1 = _mm_sha256rnds2_epu32(s1, s0, msg);
			msg = _mm_shuffle_epi32(msg, 0x0E);
			s0 = _mm_sha256rnds2_epu32(s0, s1, msg);
		}
		s0 = _mm_add_epi32(s0, abef);
		s1 = _mm_add_epi32(s1, cdgh);
	}
	tmp = _mm_shuffle_epi32(s0, 0x1B);    /* FEBA */
	s1 = _mm_shuffle_epi32(s1, 0xB1);     /* DCHG */
	s0 = _mm_blend_epi16(tmp, s1, 0xF0);  /* DCBA */
	s1 = _mm_alignr_epi8(s1, tmp, 8);     /* ABEF */
	_mm_storeu_si128((__m128i *)(void *)&h[0], s0);
	_mm_storeu_si128((__m128i *)(void *)&h[4], s1);
}

static int force_portable;

static int have_sha_ni(void)
{
	static int known = -1;
	unsigned a, b, c, d;

	if (force_portable)
		return 0;
	if (known < 0) {
		known = __get_cpuid_count(7, 0, &a, &b, &c, &d) && (b & (1u << 29)) != 0 &&
		        __get_cpuid(1, &a, &b, &c, &d) && (c & (1u << 19)) != 0; /* SHA, SSE4.1 */
	}
	return known;
}
#endif

void hx_sha256_use_portable(int on)
{
#ifdef HX_SHA256_NI
	force_portable = on;
#else
	(void)on;
#endif
}

/* Compress n whole blocks, with the SHA extensions when the processor has them. */
static void compress_blocks(uint32_t h[8], const unsigned char *p, size_t nblocks)
{
#ifdef HX_SHA256_NI
	if (have_sha_ni()) {
		compress_ni(h, p, nblocks);
		return;
	}
#endif
	for (; nblocks > 0; nblocks--, p += 64)
		compress(h, p);
}

void hx_sha256_init(struct hx_sha256 *s)
{
	static const uint32_t iv[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
	                               0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};

	memcpy(s->h, iv, sizeof iv);
	s->nbytes = 0;
	s->fill = 0;
}

void hx_sha256_update(struct hx_sha256 *s, const void *data, size_t n)
{
	const unsigned char *p = data;

	s->nbytes += n;
	if (s->fill > 0) {
		size_t take = 64 - s->fill < n ? 64 - s->fill : n;

		memcpy(s->block + s->fill, p, take);
		s->fill += take;
		p += take;
		n -= take;
		if (s->fill < 64)
			return;
		compress_blocks(s->h, s->block, 1);
		s->fill = 0;
	}
	if (n >= 64) {
		compress_blocks(s->h, p, n / 64);
		p += n / 64 * 64;
		n %= 64;
	}
	if (n > 0) {
		memcpy(s->block, p, n);
		s->fill = n;
	}
}

void hx_sha256_final(struct hx_sha256 *s, unsigned char out[HX_SHA256_LEN])
{
	uint64_t bits = s->nbytes * 8;
	int i;

	s->block[s->fill++] = 0x80;
	if (s->fill > 56) {
		memset(s->block + s->fill, 0, 64 - s->fill);
		compress_blocks(s->h, s->block, 1);
		s->fill = 0;
	}
	memset(s->block + s->fill, 0, 56 - s->fill);
	for (i = 0; i < 8; i++)
		s->block[56 + i] = (unsigned char)(bits >> (56 - 8 * i));
	compress_blocks(s->h, s->block, 1);
	for (i = 0; i < 32; i++)
		out[i] = (unsigned char)(s->h[i / 4] >> (24 - 8 * (i % 4)));
}

void hx_sha256_final_hex(struct hx_sha256 *s, char hex[HX_SHA256_HEXLEN + 1])
{
	static const char digits[] = "0123456789abcdef";
	unsigned char d[HX_SHA256_LEN];
	int i;

	hx_sha256_final(s, d);
	for (i = 0; i < HX_SHA256_LEN; i++) {
		hex[2 * i] = digits[d[i] >> 4];
		hex[2 * i + 1] = digits[d[i] & 15];
	}
	hex[HX_SHA256_HEXLEN] = '\0';
}

void hx_sha256_hex(const void *p, size_t n, char hex[HX_SHA256_HEXLEN + 1])
{
	struct hx_sha256 s;

	hx_sha256_init(&s);
	hx_sha256_update(&s, p, n);
	hx_sha256_final_hex(&s, hex);
}
