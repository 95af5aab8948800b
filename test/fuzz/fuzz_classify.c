/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 hashtap authors
 *
 * libFuzzer target: the classifier on arbitrary frames and hash types,
 * flat and as a two-segment mbuf chain.  Any invariant broken aborts.
 */

#include <stdlib.h>
#include <string.h>

#include <rte_mbuf.h>

#include "pkt.h"
#include "vnet_hash.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static unsigned int
words_of(unsigned int report)
{
	static const unsigned int w[] = { 0, 2, 3, 3, 8, 9, 9, 8, 9, 9 };

	return report <= VNET_HASH_REPORT_MAX ? w[report] : ~0u;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct vnet_hash_key key;
	struct vnet_hash_tuple t, t2;
	struct rte_mbuf m[2];
	const uint8_t *frame;
	uint32_t types, len, split;
	unsigned int report;

	if (key.len == 0)
		vnet_hash_key_set(&key, vnet_hash_default_key, sizeof(vnet_hash_default_key));
	if (size < 3 || size > 4000)
		return 0;
	types = (data[0] | (uint32_t)data[1] << 8) & VNET_HASH_TYPE_ALL;
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

	/* the same frame split over two segments classifies the same */
	if (len > 0 && len <= 512) {
		split = split % len;
		if (split == 0)
			split = 1;
		pkt_mbuf_wrap(m, frame, len, split);
		vnet_hash_classify_mbuf(&m[0], types, &t2);
		if (t2.report != t.report || t2.words != t.words ||
		    memcmp(t2.w, t.w, 4u * t.words) != 0 || t2.ptype != t.ptype)
			abort();
	}
	return 0;
}
