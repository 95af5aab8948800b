/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 hashtap authors
 *
 * A frame builder for tests, fuzz seeds and benchmarks: Ethernet, 0-3 VLAN
 * tags, IPv4 (options, fragments) or IPv6 (extension-header chains with a
 * Home Address option or a routing header), TCP/UDP/ICMP.  Written
 * independently of lib/vnet_hash: it only lays out bytes.
 */

#ifndef HASHTAP_TEST_PKT_H
#define HASHTAP_TEST_PKT_H

#include <stdbool.h>
#include <stdint.h>

#define PKT_MAX_EXT 10

/** One IPv6 extension header. */
struct pkt_ext {
	uint8_t proto;		/**< IPPROTO_HOPOPTS, _ROUTING, _DSTOPTS, _FRAGMENT,
				 *   _AH (24 bytes), 135 (Mobility, 8 bytes) */
	uint8_t rt_type;	/**< routing: type (2 = mobile IPv6, one address) */
	bool rt_done;		/**< routing: segments left 0 instead of 1 */
	bool hao;		/**< destination options: carry a Home Address option */
	uint8_t addr[16];	/**< routing address or home address */
	uint16_t frag_off;	/**< fragment: offset in 8-byte units */
	bool more;		/**< fragment: M flag */
};

struct pkt_spec {
	uint8_t nvlan;		/**< VLAN tags, outermost first */
	uint16_t tpid[3];
	uint16_t ethertype;	/**< 0: IPv4/IPv6 per ipver */
	uint8_t ipver;		/**< 4, 6, or 0 for a non-IP frame */
	uint8_t src[16];	/**< IPv4 uses the first 4 bytes */
	uint8_t dst[16];
	uint8_t l4;		/**< IPPROTO_TCP, _UDP, _ICMP, _ICMPV6, other */
	uint16_t sport, dport;
	uint16_t payload;	/**< bytes after the L4 header */
	uint8_t ip4_opt_words;	/**< IPv4 options, 4-byte words (0-10) */
	uint16_t ip4_frag;	/**< IPv4 flags/fragment-offset field (host order) */
	uint8_t next;		/**< extension headers used in ext[] */
	struct pkt_ext ext[PKT_MAX_EXT];
	uint16_t pad;		/**< bytes of Ethernet padding after the IP packet */
};

/** Lay out the frame; returns its length, 0 if it does not fit in cap. */
uint32_t pkt_build(const struct pkt_spec *s, uint8_t *buf, uint32_t cap);

struct rte_mbuf;

/**
 * Lay a frame over mbuf headers (no mempool, no EAL): one segment when
 * split is 0 or >= len, else two segments split at @p split; m[0] heads
 * the chain; m points to two mbufs.  They point into b[].
 */
void pkt_mbuf_wrap(struct rte_mbuf *m, const uint8_t *b, uint32_t len, uint32_t split);

/** Fill a[] from "a.b.c.d" or an IPv6 literal; returns 4, 16 or 0. */
int pkt_addr(const char *text, uint8_t a[16]);

#endif
