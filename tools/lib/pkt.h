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

/** Encapsulations pkt_encap() lays out (docs/tunnel-hash.md names them). */
enum pkt_tunnel {
	PKT_TNL_GRE,		/**< GRE over IPv4 or IPv6 (flags in gre_flags) */
	PKT_TNL_NVGRE,		/**< GRE, K set, protocol 0x6558, inner Ethernet */
	PKT_TNL_GRE_UDP,	/**< GRE-in-UDP, port 4754 */
	PKT_TNL_VXLAN,		/**< UDP port 4789, inner Ethernet */
	PKT_TNL_VXLAN_GPE,	/**< UDP port 4790 */
	PKT_TNL_GENEVE,		/**< UDP port 6081 */
	PKT_TNL_IPIP,		/**< IP protocol 4 or 41 */
	PKT_TNL_COUNT,
};

/** The outer headers of an encapsulated frame. */
struct pkt_tnl {
	uint8_t kind;		/**< enum pkt_tunnel */
	uint8_t ipver;		/**< outer IP: 4 or 6 */
	uint8_t nvlan;		/**< outer 802.1Q tags, 0-2 */
	uint8_t src[16], dst[16];	/**< outer addresses */
	uint16_t sport;		/**< UDP encapsulations: source port */
	uint16_t dport;		/**< UDP encapsulations: 0 for the IANA port */
	bool inner_eth;		/**< keep the inner Ethernet header (GRE, GRE-in-UDP,
				 *   VXLAN-GPE, GENEVE; VXLAN and NVGRE always do) */
	uint16_t gre_flags;	/**< GRE first word: C 0x8000, K 0x2000, S 0x1000,
				 *   anything else raw (the version too) */
	uint16_t proto;		/**< GRE/GENEVE protocol; 0: from the inner packet */
	uint8_t gpe_np;		/**< VXLAN-GPE next protocol; 0: from the inner packet */
	bool raw_flags0;	/**< use flags0 as the first tunnel-header byte */
	uint8_t flags0;		/**< VXLAN, VXLAN-GPE, GENEVE first byte when raw */
	uint8_t geneve_opt;	/**< GENEVE options, 4-byte words (0-63) */
	uint16_t ip4_frag;	/**< outer IPv4 flags/fragment-offset field */
};

/**
 * Wrap a frame pkt_build() made (@p inner, an Ethernet frame without VLAN
 * tags) in the outer headers of @p t: the inner Ethernet header is kept
 * or dropped as the encapsulation carries it.  Lengths and the outer IPv4
 * checksum are filled; UDP checksums are 0.  Returns the length, 0 if it
 * does not fit in cap.  Written from the RFCs, not from lib/vnet_hash.
 */
uint32_t pkt_encap(const struct pkt_tnl *t, const uint8_t *inner, uint32_t inner_len,
		   uint8_t *buf, uint32_t cap);

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
