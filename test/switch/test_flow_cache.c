/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 hashtap authors
 *
 * hashtap-switch's flow cache (app/hashtap-switch/flow_cache.c) alone:
 * SipHash-2-4 against the reference vectors, hits, a full set evicting
 * within itself (a forgotten entry first, then the least recently used),
 * and what a secret key and the L2 fields in it buy: a
 * set an attacker fills under one key is spread under another, and the
 * frames of one 5-tuple to many MACs spread over the sets.  TAP output.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flow_cache.h"
#include "tap.h"

/* SipHash-2-4, key 00 01 .. 0f, message 00 01 .. (len - 1): the reference
 * implementation's vectors (siphash24.c, "vectors"), lengths 0..24 and 60..63 */
static const uint64_t vectors[64] = {
	[0] = 0x726fdb47dd0e0e31ull, [1] = 0x74f839c593dc67fdull, [2] = 0x0d6c8009d9a94f5aull,
	[3] = 0x85676696d7fb7e2dull, [4] = 0xcf2794e0277187b7ull, [5] = 0x18765564cd99a68dull,
	[6] = 0xcbc9466e58fee3ceull, [7] = 0xab0200f58b01d137ull, [8] = 0x93f5f5799a932462ull,
	[9] = 0x9e0082df0ba9e4b0ull, [10] = 0x7a5dbbc594ddb9f3ull, [11] = 0xf4b32f46226bada7ull,
	[12] = 0x751e8fbc860ee5fbull, [13] = 0x14ea5627c0843d90ull, [14] = 0xf723ca908e7af2eeull,
	[15] = 0xa129ca6149be45e5ull, [16] = 0x3f2acc7f57c29bdbull, [17] = 0x699ae9f52cbe4794ull,
	[18] = 0x4bc1b3f0968dd39cull, [19] = 0xbb6dc91da77961bdull, [20] = 0xbed65cf21aa2ee98ull,
	[21] = 0xd0f2cbb02e3b67c7ull, [22] = 0x93536795e3a33e88ull, [23] = 0xa80c038ccd5ccec8ull,
	[24] = 0xb8ad50c6f649af94ull,
	[60] = 0x6ca4ecb15c5f91e1ull, [61] = 0x9f626da15c9625f3ull, [62] = 0xe51b38608ef25f57ull,
	[63] = 0x958a324ceb064572ull,
};

static struct sw_flow_cache *
cache(unsigned int n, uint64_t k0, uint64_t k1)
{
	struct sw_flow_cache *fc = calloc(1, sw_flow_cache_size(n));

	if (fc == NULL) {
		tap_ok(false, "calloc");
		exit(tap_done());
	}
	sw_flow_cache_init(fc, n, k0, k1);
	return fc;
}

/* a key: the flow hash of one 5-tuple, port, VLAN, MACs numbered i */
static struct sw_flow_key
key(uint32_t hash, uint16_t in, unsigned int dst, unsigned int src)
{
	struct sw_flow_key k = { .hash = hash, .in_port = in, .vlan = 10,
				 .dst = { { 0x02, 0xbb, 0, (uint8_t)(dst >> 16), (uint8_t)(dst >> 8),
					    (uint8_t)dst } },
				 .src = { { 0x02, 0xcc, 0, (uint8_t)(src >> 16), (uint8_t)(src >> 8),
					    (uint8_t)src } } };
	return k;
}

static uint32_t
set_of(const struct sw_flow_cache *fc, const struct sw_flow_key *k)
{
	return (uint32_t)(sw_flow_cache_hash(fc, k) & fc->mask);
}

static bool
hit(struct sw_flow_cache *fc, const struct sw_flow_key *k, uint32_t want)
{
	uint32_t v = ~want;

	return sw_flow_cache_lookup(fc, k, sw_flow_cache_hash(fc, k), &v) && v == want;
}

static void
add(struct sw_flow_cache *fc, const struct sw_flow_key *k, uint32_t v)
{
	sw_flow_cache_add(fc, k, sw_flow_cache_hash(fc, k), v);
}

/* n keys (dst MACs from *next on) that land in set s of fc */
static void
keys_in_set(const struct sw_flow_cache *fc, uint32_t s, struct sw_flow_key *out, unsigned int n,
	    unsigned int *next)
{
	unsigned int i = 0;

	while (i < n) {
		struct sw_flow_key k = key(0x12345678, 3, (*next)++, 1);

		if (set_of(fc, &k) == s)
			out[i++] = k;
	}
}

int
main(void)
{
	uint8_t msg[64], kb[16];
	uint64_t k0, k1;
	unsigned int i, bad = 0, next = 1000;

	for (i = 0; i < 64; i++)
		msg[i] = (uint8_t)i;
	for (i = 0; i < 16; i++)
		kb[i] = (uint8_t)i;
	memcpy(&k0, kb, 8);		/* little-endian host */
	memcpy(&k1, kb + 8, 8);
	for (i = 0; i < 64; i++)
		if (vectors[i] != 0 && sw_siphash24(k0, k1, msg, i) != vectors[i]) {
			tap_diag("len %u: %016llx, want %016llx", i,
				 (unsigned long long)sw_siphash24(k0, k1, msg, i),
				 (unsigned long long)vectors[i]);
			bad++;
		}
	tap_ok(bad == 0, "SipHash-2-4 gives the reference vectors (lengths 0-24, 60-63)");

	{
		struct sw_flow_cache *fc = cache(65536, 1, 2);
		struct sw_flow_key a = key(0xabcdef01, 1, 1, 2), b = a;

		tap_ok(fc->mask + 1 == 8192, "65536 entries: 8192 sets of %d", SW_FC_WAYS);
		b.src.addr_bytes[5] ^= 1;
		tap_ok(!hit(fc, &a, 4), "empty: a miss");
		add(fc, &a, 4);
		tap_ok(hit(fc, &a, 4) && !hit(fc, &b, 4),
		       "added: a hit with its value, a key one bit apart misses");
		add(fc, &a, 5);
		tap_ok(hit(fc, &a, 5), "added again: a hit with the new value");
		sw_flow_cache_forget(fc, &a, sw_flow_cache_hash(fc, &a));
		tap_ok(!hit(fc, &a, 5), "forgotten: a miss");
		free(fc);
	}

	{	/* one set filled by an attacker (who knows the key, here) */
		struct sw_flow_cache *fc = cache(65536, 0x1111, 0x2222);
		struct sw_flow_key victim = key(0x12345678, 1, 0, 0), k[64];
		uint32_t s = set_of(fc, &victim);
		bool ok = true;

		add(fc, &victim, 9);
		keys_in_set(fc, s, k, SW_FC_WAYS - 1, &next);
		for (i = 0; i < SW_FC_WAYS - 1; i++)
			add(fc, &k[i], 3);
		for (i = 0; i < SW_FC_WAYS - 1; i++)
			ok &= hit(fc, &k[i], 3);
		ok &= hit(fc, &victim, 9);	/* the victim: the most recently used */
		tap_ok(ok, "%d keys in one set: all held", SW_FC_WAYS);
		keys_in_set(fc, s, k, 64, &next);
		for (i = 0; i < 64; i++) {
			add(fc, &k[i], 3);
			if (i % (SW_FC_WAYS - 1) == SW_FC_WAYS - 2)
				ok &= hit(fc, &victim, 9);
		}
		tap_ok(ok && hit(fc, &victim, 9),
		       "64 more keys into that set, the victim used after every 7: never evicted (the least recently used go)");
		for (i = 0; i < SW_FC_WAYS; i++) {
			struct sw_flow_key x[1];

			keys_in_set(fc, s, x, 1, &next);
			add(fc, x, 3);
		}
		tap_ok(!hit(fc, &victim, 9),
		       "%d keys into its set with no use of it in between: the victim goes (a set holds %d)",
		       SW_FC_WAYS, SW_FC_WAYS);
		/* the set full again, k[0] the least recently used: forgetting
		 * k[3] makes room without evicting k[0] */
		keys_in_set(fc, s, k, SW_FC_WAYS - 1, &next);
		for (i = 0; i < SW_FC_WAYS - 1; i++)
			add(fc, &k[i], 3);
		add(fc, &victim, 9);
		sw_flow_cache_forget(fc, &k[3], sw_flow_cache_hash(fc, &k[3]));
		{
			struct sw_flow_key x[1];

			keys_in_set(fc, s, x, 1, &next);
			add(fc, x, 3);
			ok = hit(fc, x, 3) && hit(fc, &victim, 9) && !hit(fc, &k[3], 3);
			for (i = 0; i < SW_FC_WAYS - 1; i++)
				ok &= i == 3 || hit(fc, &k[i], 3);
		}
		tap_ok(ok, "a full set takes a forgotten entry's way first, not the least recently used");
		{
			unsigned int others = 0;

			for (i = 0; i < 100000; i++) {
				struct sw_flow_key x = key(0x12345678, 3, next++, 1);

				if (set_of(fc, &x) != s) {
					add(fc, &x, 3);
					others++;
				}
			}
			tap_ok(hit(fc, &victim, 9),
			       "%u keys into the other sets: the victim stays", others);
		}
		free(fc);
	}

	{	/* the secret key: what fills a set under one key is spread under another */
		struct sw_flow_cache *f1 = cache(65536, 0xaaaa, 0xbbbb), *f2 = cache(65536, 0xcccc, 0xdddd);
		struct sw_flow_key victim = key(0x12345678, 1, 0, 0), k[64];
		uint32_t s = set_of(f1, &victim), in_set = 0;

		keys_in_set(f1, s, k, 64, &next);
		for (i = 0; i < 64; i++)
			in_set += set_of(f2, &k[i]) == set_of(f2, &victim);
		add(f2, &victim, 9);
		for (i = 0; i < 64; i++)
			add(f2, &k[i], 3);
		tap_ok(in_set < SW_FC_WAYS && hit(f2, &victim, 9),
		       "64 keys aimed at the victim's set under one secret: %u of them in it under another, the victim stays",
		       in_set);
		free(f1);
		free(f2);
	}

	{	/* one 5-tuple (one flow hash), 256 destination MACs: spread */
		struct sw_flow_cache *fc = cache(65536, 0x5151, 0x7373);
		static bool used[8192];
		unsigned int sets = 0, max = 0, per[8192] = { 0 };

		for (i = 0; i < 256; i++) {
			struct sw_flow_key x = key(0xfeedbeef, 3, i, 7);
			uint32_t s = set_of(fc, &x);

			sets += !used[s];
			used[s] = true;
			per[s]++;
			max = per[s] > max ? per[s] : max;
		}
		tap_ok(sets > 240 && max < SW_FC_WAYS,
		       "one flow hash, 256 destination MACs: %u sets, at most %u in one (not one set pair)",
		       sets, max);
		free(fc);
	}
	return tap_done();
}
