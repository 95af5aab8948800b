/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 hashtap authors
 *
 * The per-worker flow cache (see flow_cache.h) and SipHash-2-4, written
 * from the SipHash paper (Aumasson, Bernstein, 2012).
 */

#include <assert.h>

#include <rte_byteorder.h>

#include "flow_cache.h"

static_assert(sizeof(struct sw_flow_key) == 24, "no padding in the flow key");
static_assert(sizeof(struct sw_fc_entry) == 32, "an entry is half a cache line");

static inline uint64_t
rotl(uint64_t x, unsigned int b)
{
	return (x << b) | (x >> (64 - b));
}

#define SIPROUND(v0, v1, v2, v3)					\
	do {								\
		v0 += v1; v1 = rotl(v1, 13); v1 ^= v0; v0 = rotl(v0, 32); \
		v2 += v3; v3 = rotl(v3, 16); v3 ^= v2;			\
		v0 += v3; v3 = rotl(v3, 21); v3 ^= v0;			\
		v2 += v1; v1 = rotl(v1, 17); v1 ^= v2; v2 = rotl(v2, 32); \
	} while (0)

/* n (<= 8) bytes as a little-endian number */
static inline uint64_t
le64(const uint8_t *p, size_t n)
{
	uint64_t x = 0;
	size_t i;

	if (n == 8) {
		memcpy(&x, p, 8);
		return rte_le_to_cpu_64(x);
	}
	for (i = 0; i < n; i++)
		x |= (uint64_t)p[i] << (8 * i);
	return x;
}

uint64_t
sw_siphash24(uint64_t k0, uint64_t k1, const void *msg, size_t len)
{
	const uint8_t *p = msg;
	uint64_t v0 = k0 ^ 0x736f6d6570736575ull, v1 = k1 ^ 0x646f72616e646f6dull;
	uint64_t v2 = k0 ^ 0x6c7967656e657261ull, v3 = k1 ^ 0x7465646279746573ull;
	uint64_t m;
	size_t i;

	for (i = 0; i + 8 <= len; i += 8) {
		m = le64(p + i, 8);
		v3 ^= m;
		SIPROUND(v0, v1, v2, v3);
		SIPROUND(v0, v1, v2, v3);
		v0 ^= m;
	}
	m = le64(p + i, len - i) | (uint64_t)(len & 0xff) << 56;
	v3 ^= m;
	SIPROUND(v0, v1, v2, v3);
	SIPROUND(v0, v1, v2, v3);
	v0 ^= m;
	v2 ^= 0xff;
	SIPROUND(v0, v1, v2, v3);
	SIPROUND(v0, v1, v2, v3);
	SIPROUND(v0, v1, v2, v3);
	SIPROUND(v0, v1, v2, v3);
	return v0 ^ v1 ^ v2 ^ v3;
}

static unsigned int
sets_for(unsigned int n)
{
	unsigned int sets = 1;

	while ((uint64_t)sets * SW_FC_WAYS < n)
		sets <<= 1;
	return sets;
}

size_t
sw_flow_cache_size(unsigned int n)
{
	return sizeof(struct sw_flow_cache) + (size_t)sets_for(n) * sizeof(struct sw_fc_set);
}

void
sw_flow_cache_init(struct sw_flow_cache *fc, unsigned int n, uint64_t k0, uint64_t k1)
{
	fc->k0 = k0;
	fc->k1 = k1;
	fc->mask = sets_for(n) - 1;
	fc->clock = 0;
}

void
sw_flow_cache_add(struct sw_flow_cache *fc, const struct sw_flow_key *k, uint64_t h, uint32_t val)
{
	struct sw_fc_set *s = &fc->set[h & fc->mask];
	uint32_t tag = (uint32_t)(h >> 32) | 1, age, oldest = 0;
	unsigned int w, victim = SW_FC_WAYS;

	/* k itself, else an empty (or forgotten) way, else the least recently used */
	for (w = 0; w < SW_FC_WAYS && victim == SW_FC_WAYS; w++)
		if (s->tag[w] == tag && memcmp(&s->e[w].key, k, sizeof(*k)) == 0)
			victim = w;
	for (w = 0; w < SW_FC_WAYS && victim == SW_FC_WAYS; w++)
		if (s->tag[w] == 0)
			victim = w;
	if (victim == SW_FC_WAYS)
		for (w = 0; w < SW_FC_WAYS; w++) {
			age = fc->clock - s->used[w];
			if (w == 0 || age > oldest) {
				oldest = age;
				victim = w;
			}
		}
	s->tag[victim] = tag;
	s->used[victim] = ++fc->clock;
	s->e[victim].key = *k;
	s->e[victim].val = val;
}

void
sw_flow_cache_forget(struct sw_flow_cache *fc, const struct sw_flow_key *k, uint64_t h)
{
	struct sw_fc_set *s = &fc->set[h & fc->mask];
	uint32_t tag = (uint32_t)(h >> 32) | 1;
	unsigned int w;

	for (w = 0; w < SW_FC_WAYS; w++)
		if (s->tag[w] == tag && memcmp(&s->e[w].key, k, sizeof(*k)) == 0)
			s->tag[w] = 0;
}
