/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 hashtap authors
 *
 * The per-worker flow cache: (flow hash, in port, VLAN, MACs) -> a 32-bit
 * value (the switch keeps the destination's MAC-table entry there, and
 * checks it at each hit: see bridge.c).
 *
 * A cache, not a table: SW_FC_WAYS-way sets, a full set evicts within
 * itself (a forgotten entry first, else the least recently used), so no
 * insertion ever fails and nothing outside the set is lost.
 * The set comes from SipHash-2-4 of the whole key under a random key of
 * the cache's own: a VM cannot aim its frames at another VM's set (the
 * frame's flow hash alone would let it: it is a public Toeplitz function
 * of addresses it can forge), and the frames of one 5-tuple to many MACs
 * spread over the cache like any others.  (rte_hash has no eviction: a
 * full bucket pair failed with -ENOSPC, and the switch emptied the whole
 * cache.)
 */

#ifndef HASHTAP_SWITCH_FLOW_CACHE_H
#define HASHTAP_SWITCH_FLOW_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <rte_common.h>
#include <rte_ether.h>

#define SW_FC_WAYS	8

struct sw_flow_key {
	uint32_t hash;			/**< the frame's flow hash */
	uint16_t in_port, vlan;
	struct rte_ether_addr dst, src;
	uint32_t zero;			/**< 0: the key is three 64-bit words */
};

struct sw_fc_entry {
	struct sw_flow_key key;
	uint32_t val;
	uint32_t pad;
};

struct sw_fc_set {
	uint32_t tag[SW_FC_WAYS];	/**< from the key's SipHash; 0: empty way */
	uint32_t used[SW_FC_WAYS];	/**< the cache's clock when last hit or written */
	struct sw_fc_entry e[SW_FC_WAYS];
} __rte_cache_aligned;

struct sw_flow_cache {
	uint64_t k0, k1;		/**< SipHash key: secret */
	uint32_t mask;			/**< sets - 1 */
	uint32_t clock;
	struct sw_fc_set set[];
};

/** SipHash-2-4 of len bytes (the reference function, key k0 || k1 little-endian). */
uint64_t sw_siphash24(uint64_t k0, uint64_t k1, const void *msg, size_t len);

/** Bytes a cache of at least n entries takes (a power of two of sets). */
size_t sw_flow_cache_size(unsigned int n);

/** Set up a zeroed cache of sw_flow_cache_size(n) bytes with SipHash key k0, k1. */
void sw_flow_cache_init(struct sw_flow_cache *fc, unsigned int n, uint64_t k0, uint64_t k1);

/** The key's SipHash (which set, which tag): computed once, for lookup and add. */
static inline uint64_t
sw_flow_cache_hash(const struct sw_flow_cache *fc, const struct sw_flow_key *k)
{
	return sw_siphash24(fc->k0, fc->k1, k, sizeof(*k));
}

/** The value cached for k (h: its sw_flow_cache_hash()): true and *val, or false. */
static inline bool
sw_flow_cache_lookup(struct sw_flow_cache *fc, const struct sw_flow_key *k, uint64_t h,
		     uint32_t *val)
{
	struct sw_fc_set *s = &fc->set[h & fc->mask];
	uint32_t tag = (uint32_t)(h >> 32) | 1;
	unsigned int w;

	for (w = 0; w < SW_FC_WAYS; w++)
		if (s->tag[w] == tag && memcmp(&s->e[w].key, k, sizeof(*k)) == 0) {
			s->used[w] = ++fc->clock;
			*val = s->e[w].val;
			return true;
		}
	return false;
}

/** Cache k -> val (replacing what k had), evicting within k's set if it is full. */
void sw_flow_cache_add(struct sw_flow_cache *fc, const struct sw_flow_key *k, uint64_t h,
		       uint32_t val);

/** Drop k (what it had no longer holds): its way is the first to be reused. */
void sw_flow_cache_forget(struct sw_flow_cache *fc, const struct sw_flow_key *k, uint64_t h);

#endif
