/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 hashtap authors
 *
 * libFuzzer target: the classifier on arbitrary frames and hash types,
 * with and without tunnel types (inner-header hash), flat and as a
 * two-segment mbuf chain; where the CPU has GFNI and AVX-512,
 * both Toeplitz implementations on its tuple, with the default key and with
 * a key of 40..255 bytes made from the input.  Any invariant broken aborts.
 */

#include <stdlib.h>
#include <string.h>

#include <rte_mbuf.h>

#include "pkt.h"
#include "vnet_hash.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* rte_thash_gfni() and rte_softrss_be() give one value. */
static void
same_on_both(const struct vnet_hash_key *k, const struct vnet_hash_tuple *t)
{
	uint32_t hs, hg;

	if (vnet_hash_toeplitz_select("softrss") != 0)
		abort();
	hs = vnet_hash_toeplitz(k, t);
	if (vnet_hash_toeplitz_select("gfni") != 0)
		abort();
	hg = vnet_hash_toeplitz(k, t);
	if (hs != hg)
		abort();
}

static unsigned int
words_of(unsigned int report)
{
	static const unsigned int w[] = { 0, 2, 3, 3, 8, 9, 9, 8, 9, 9 };

	return report <= VNET_HASH_REPORT_MAX ? w[report] : ~0u;
}

/*
 * Inner-header hash: a report of an enabled type, only enabled tunnel
 * types, the inner header inside the frame, the outer answer exactly when
 * no tunnel matched, and the same answer split over two segments.
 */
static void
fuzz_tunnel(const uint8_t *frame, uint32_t len, uint32_t types, uint32_t tunnels,
	    const struct vnet_hash_tuple *outer, uint32_t split)
{
	struct vnet_hash_tuple t, t2;
	struct rte_mbuf m[2];
	unsigned int report = vnet_hash_classify_tunnel(frame, len, types, tunnels, &t);

	if (report != t.report || report > VNET_HASH_REPORT_MAX ||
	    t.words != words_of(report))
		abort();
	if (report != VNET_HASH_REPORT_NONE && !(vnet_hash_report_type(report) & types))
		abort();
	if ((t.tunnel & ~tunnels) != 0 || t.inner_off > len ||
	    (t.tunnel != 0) != (t.inner_off != 0))
		abort();
	if ((vnet_hash_tunnel_match(frame, len, NULL) & tunnels) != t.tunnel)
		abort();
	if (t.tunnel == 0 && (t.report != outer->report || t.words != outer->words ||
			      memcmp(t.w, outer->w, 4u * t.words) != 0 ||
			      t.ptype != outer->ptype))
		abort();	/* no tunnel: exactly the outer answer */
	if (len > 0) {
		split = split % len;
		if (split == 0)
			split = 1;
		pkt_mbuf_wrap(m, frame, len, split);
		vnet_hash_classify_mbuf_tunnel(&m[0], types, tunnels, &t2);
		if (t2.report != t.report || t2.words != t.words || t2.tunnel != t.tunnel ||
		    memcmp(t2.w, t.w, 4u * t.words) != 0 || t2.ptype != t.ptype)
			abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct vnet_hash_key key;
	struct vnet_hash_tuple t, t2;
	struct rte_mbuf m[2];
	const uint8_t *frame;
	uint32_t types, tunnels, len, split;
	unsigned int report;

	if (key.len == 0)
		vnet_hash_key_set(&key, vnet_hash_default_key, sizeof(vnet_hash_default_key));
	/* up to the largest headers the tunnel classifier reads, and more */
	if (size < 3 || size > 3 + VNET_HASH_TNL_HDR_MAX + 64)
		return 0;
	types = (data[0] | (uint32_t)data[1] << 8) & VNET_HASH_TYPE_ALL;
	/*
	 * bit 15: every tunnel type; bits 9..14 (six bits, s): a subset,
	 * s for types 0..5 and s's low three bits again for types 6..8: each
	 * of types 0..5 sometimes alone, the GRE types without the others
	 */
	tunnels = (uint32_t)(data[1] >> 1) & 0x3f;
	tunnels = data[1] & 0x80 ? VNET_HASH_TUNNEL_ALL :
		(tunnels | (tunnels & 0x7) << 6) & VNET_HASH_TUNNEL_ALL;
	split = data[2];
	frame = data + 3;
	len = (uint32_t)(size - 3);

	report = vnet_hash_classify(frame, len, types, &t);
	if (report != t.report || report > VNET_HASH_REPORT_MAX)
		abort();
	if (report != VNET_HASH_REPORT_NONE && !(vnet_hash_report_type(report) & types))
		abort();	/* reported a type that is not enabled */
	if (t.words != words_of(report))
		abort();
	if (!t.ipv6_ext && report >= VNET_HASH_REPORT_IPV6_EX)
		abort();	/* _EX without extension headers */
	if ((uint32_t)t.l2_len + t.l3_len > len)
		abort();
	if (vnet_hash_toeplitz(&key, &t) != vnet_hash_toeplitz(&key, &t))
		abort();
	if (vnet_hash_toeplitz_gfni_supported()) {
		struct vnet_hash_key k2;
		uint8_t kb[VNET_HASH_KEY_MAX];
		size_t klen = VNET_HASH_KEY_MIN + size % (VNET_HASH_KEY_MAX - VNET_HASH_KEY_MIN + 1);
		size_t i;

		same_on_both(&key, &t);
		for (i = 0; i < klen; i++)
			kb[i] = data[(i * 7 + 3) % size] ^ (uint8_t)i;
		if (vnet_hash_key_set(&k2, kb, klen) != 0)
			abort();
		same_on_both(&k2, &t);
	}

	/* the same frame split over two segments classifies the same */
	if (len > 0) {
		split = split % len;
		if (split == 0)
			split = 1;
		pkt_mbuf_wrap(m, frame, len, split);
		vnet_hash_classify_mbuf(&m[0], types, &t2);
		if (t2.report != t.report || t2.words != t.words ||
		    memcmp(t2.w, t.w, 4u * t.words) != 0 || t2.ptype != t.ptype)
			abort();
	}
	if (tunnels != 0)
		fuzz_tunnel(frame, len, types, tunnels, &t, split);
	return 0;
}
