/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 hashtap authors
 */

#ifndef VNET_HASH_H
#define VNET_HASH_H

/**
 * @file
 * The virtio-net hash model (virtio 1.2/1.3, "Hash calculation for
 * incoming packets" and "Receive-side scaling"): hash types, report
 * values, the classifier that picks the report type and the Toeplitz input
 * of a frame, Toeplitz itself through DPDK's rte_thash, and the RSS
 * indirection table.  One home for all of it: the PMD, the switch, the
 * kernel cross-checks, the tests and the benchmarks all call this.
 *
 * Toeplitz runs DPDK's rte_thash_gfni() where the CPU has GFNI and
 * AVX-512 (F, BW, VL, DQ, VBMI) and the OS saves the AVX-512 state,
 * rte_softrss_be() elsewhere; the choice is made once, when the library is
 * loaded, and both give the same value bit for bit.  The environment
 * variable VNET_HASH_TOEPLITZ=softrss forces the portable path ("gfni" asks
 * for GFNI, "auto" or unset picks); vnet_hash_toeplitz_select() does the
 * same at run time.  Measured with "./hashtap bench" on a 2-core Intel Xeon
 * (2026-12-01, a busy machine, fastest of 31 rounds): classify + hash 34
 * cycles for IPv4-TCP and 38 for IPv6-TCP with GFNI, 299 and 1171 with
 * rte_softrss_be(); README, Benchmarks, has the table.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "virtio_net_hash_wire.h"

struct rte_mbuf;

/* Hash type bits, as in hash_types / supported_hash_types. */
#define VNET_HASH_TYPE_IPV4	(1u << 0)
#define VNET_HASH_TYPE_TCPV4	(1u << 1)
#define VNET_HASH_TYPE_UDPV4	(1u << 2)
#define VNET_HASH_TYPE_IPV6	(1u << 3)
#define VNET_HASH_TYPE_TCPV6	(1u << 4)
#define VNET_HASH_TYPE_UDPV6	(1u << 5)
#define VNET_HASH_TYPE_IP_EX	(1u << 6)
#define VNET_HASH_TYPE_TCP_EX	(1u << 7)
#define VNET_HASH_TYPE_UDP_EX	(1u << 8)
#define VNET_HASH_TYPE_ALL	0x1ffu

/* Report values, as in virtio_net_hdr_v1_hash.hash_report. */
enum vnet_hash_report {
	VNET_HASH_REPORT_NONE = 0,
	VNET_HASH_REPORT_IPV4 = 1,
	VNET_HASH_REPORT_TCPV4 = 2,
	VNET_HASH_REPORT_UDPV4 = 3,
	VNET_HASH_REPORT_IPV6 = 4,
	VNET_HASH_REPORT_TCPV6 = 5,
	VNET_HASH_REPORT_UDPV6 = 6,
	VNET_HASH_REPORT_IPV6_EX = 7,
	VNET_HASH_REPORT_TCPV6_EX = 8,
	VNET_HASH_REPORT_UDPV6_EX = 9,
	VNET_HASH_REPORT_MAX = 9,
};

/*
 * Encapsulation types, as in supported_tunnel_types / enabled_tunnel_types
 * (virtio 1.3, "Inner Header Hash", VIRTIO_NET_F_HASH_TUNNEL).  What makes a
 * frame one of them is in docs/tunnel-hash.md; every layer follows it.
 */
#define VNET_HASH_TUNNEL_GRE_2784	(1u << 0)	/**< GRE over IPv4, no key/sequence */
#define VNET_HASH_TUNNEL_GRE_2890	(1u << 1)	/**< GRE over IPv4 with key/sequence */
#define VNET_HASH_TUNNEL_GRE_7676	(1u << 2)	/**< GRE over IPv6 */
#define VNET_HASH_TUNNEL_GRE_UDP	(1u << 3)	/**< GRE-in-UDP, UDP port 4754 */
#define VNET_HASH_TUNNEL_VXLAN		(1u << 4)	/**< UDP port 4789 */
#define VNET_HASH_TUNNEL_VXLAN_GPE	(1u << 5)	/**< UDP port 4790 */
#define VNET_HASH_TUNNEL_GENEVE		(1u << 6)	/**< UDP port 6081 */
#define VNET_HASH_TUNNEL_IPIP		(1u << 7)	/**< IP protocol 4 or 41 */
#define VNET_HASH_TUNNEL_NVGRE		(1u << 8)	/**< GRE K, protocol 0x6558 */
#define VNET_HASH_TUNNEL_ALL		0x1ffu
#define VNET_HASH_TUNNEL_MAX_BIT	9u	/**< bits 0..8 */

/* The IANA destination ports of the UDP encapsulations. */
#define VNET_HASH_PORT_GRE_UDP		4754u
#define VNET_HASH_PORT_VXLAN		4789u
#define VNET_HASH_PORT_VXLAN_GPE	4790u
#define VNET_HASH_PORT_GENEVE		6081u

/** The hash type bit that a report value says was used (0 for NONE). */
static inline uint32_t
vnet_hash_report_type(unsigned int report)
{
	return report >= 1 && report <= VNET_HASH_REPORT_MAX ?
		1u << (report - 1) : 0;
}

/** Smallest key the spec lets a device accept; all Toeplitz input fits. */
#define VNET_HASH_KEY_MIN	40u
/** hash_key_length is a u8. */
#define VNET_HASH_KEY_MAX	255u
/** Largest indirection table the model (and hashtap's devices) take. */
#define VNET_HASH_RETA_MAX	1024u
/** IPv6 extension headers the classifier walks at most (as the kernel). */
#define VNET_HASH_EXT_MAX	8u
/**
 * The most header bytes the classifier reads: Ethernet and two VLAN tags,
 * IPv6 and VNET_HASH_EXT_MAX extension headers of the largest size (2048
 * bytes), and a TCP header (IPv4 with options needs less).
 */
#define VNET_HASH_HDR_MAX	(14u + 2 * 4u + 40u + VNET_HASH_EXT_MAX * 2048u + 20u)
/**
 * The most bytes the classifier reads with tunnel types enabled: outer
 * headers up to UDP as above, the largest tunnel header (GENEVE: 8 + 252
 * bytes of options), and a whole inner packet's headers.
 */
#define VNET_HASH_TNL_HDR_MAX	(2u * VNET_HASH_HDR_MAX + 8u + 260u)
/** Toeplitz input: IPv6 source + destination + ports = 36 bytes. */
#define VNET_HASH_INPUT_WORDS	9u
/**
 * Key bytes the longest input reads: each input bit i takes key bits
 * i..i+31, so 36 bytes of input need 36 + 4.  Longer keys hash the same as
 * their first 40 bytes.
 */
#define VNET_HASH_KEY_USED	(VNET_HASH_INPUT_WORDS * 4u + 4u)

/** The well-known 40-byte Microsoft RSS verification key. */
extern const uint8_t vnet_hash_default_key[VNET_HASH_KEY_MIN];

/**
 * A Toeplitz key, prepared once for both implementations: rte_softrss_be()
 * and rte_thash_gfni().  Plain data: copy it by assignment.
 */
struct vnet_hash_key {
	uint8_t len;					/**< bytes of raw[] */
	uint32_t raw[(VNET_HASH_KEY_MAX + 3) / 4];	/**< as given */
	uint32_t be[VNET_HASH_KEY_USED / 4];		/**< rte_convert_rss_key */
	/** rte_thash_complete_matrix() of the first VNET_HASH_KEY_USED bytes */
	uint64_t gfni[VNET_HASH_KEY_USED];
};

/**
 * Set a key.
 * @return 0, or -EINVAL if len is outside [VNET_HASH_KEY_MIN, VNET_HASH_KEY_MAX].
 */
int vnet_hash_key_set(struct vnet_hash_key *k, const uint8_t *key, size_t len);

/** What the classifier found in a frame, and the Toeplitz input it chose. */
struct vnet_hash_tuple {
	uint32_t ptype;		/**< RTE_PTYPE_* of the headers parsed */
	uint16_t l2_len;	/**< Ethernet + VLAN tags; 0 if not even that */
	uint16_t l3_len;	/**< IP header + options/extension headers */
	uint8_t l4_proto;	/**< IPPROTO_* after the IP headers, 255 if unknown */
	uint8_t report;		/**< enum vnet_hash_report */
	uint8_t words;		/**< 32-bit words of input used in w[] */
	uint8_t ipv6_ext;	/**< 1 if the IPv6 packet has extension headers */
	/**
	 * The enabled VNET_HASH_TUNNEL_* types the frame matched, when the
	 * hash is the inner packet's; 0 when it is the outer header's.  Then
	 * ptype also has RTE_PTYPE_TUNNEL_* and RTE_PTYPE_INNER_* bits, while
	 * l2_len, l3_len, l4_proto and ipv6_ext describe the outer packet.
	 */
	uint16_t tunnel;
	uint16_t inner_off;	/**< offset of the inner Ethernet/IP header, or 0 */
	uint32_t w[VNET_HASH_INPUT_WORDS]; /**< Toeplitz input, host order */
};

/**
 * Classify an Ethernet frame (0-2 VLAN tags) for the enabled hash types,
 * as the virtio spec says, reading nothing past frame[len - 1].  A frame
 * truncated inside its headers is classified on what is there, or NONE.
 * @return the report value, also in t->report.
 */
unsigned int vnet_hash_classify(const void *frame, uint32_t len,
				uint32_t hash_types, struct vnet_hash_tuple *t);

/**
 * vnet_hash_classify() with inner-header hash for the encapsulation types
 * enabled in tunnel_types (VNET_HASH_TUNNEL_*, docs/tunnel-hash.md): a
 * frame whose outer header matches one of them is classified on its inner
 * packet (one level), any other frame exactly as vnet_hash_classify().
 * Reads nothing past frame[len - 1].  tunnel_types 0 is vnet_hash_classify().
 * @return the report value, also in t->report.
 */
unsigned int vnet_hash_classify_tunnel(const void *frame, uint32_t len,
				       uint32_t hash_types, uint32_t tunnel_types,
				       struct vnet_hash_tuple *t);

/**
 * The VNET_HASH_TUNNEL_* types a frame is (0: none, or not looked at), as
 * docs/tunnel-hash.md defines them; *inner_off (may be NULL) gets the
 * offset of the inner header.  What vnet_hash_classify_tunnel() matches the
 * enabled types against.
 */
uint32_t vnet_hash_tunnel_match(const void *frame, uint32_t len, uint16_t *inner_off);

/**
 * vnet_hash_classify() on an mbuf chain: the same answer as on the frame
 * made flat, whatever the segments (headers are gathered, up to
 * VNET_HASH_HDR_MAX bytes, when the first segment does not settle it).
 */
unsigned int vnet_hash_classify_mbuf(const struct rte_mbuf *m,
				     uint32_t hash_types,
				     struct vnet_hash_tuple *t);

/** vnet_hash_classify_mbuf() with tunnel types, as vnet_hash_classify_tunnel(). */
unsigned int vnet_hash_classify_mbuf_tunnel(const struct rte_mbuf *m,
					    uint32_t hash_types, uint32_t tunnel_types,
					    struct vnet_hash_tuple *t);

/**
 * Toeplitz hash of a classified tuple (0 for NONE): rte_thash_gfni() or
 * rte_softrss_be(), whichever vnet_hash_toeplitz_impl() names; the same
 * value either way.  t->words must not exceed VNET_HASH_INPUT_WORDS.
 */
uint32_t vnet_hash_toeplitz(const struct vnet_hash_key *k,
			    const struct vnet_hash_tuple *t);

/** The environment variable read once at load: "auto" (or unset), "softrss", "gfni". */
#define VNET_HASH_TOEPLITZ_ENV	"VNET_HASH_TOEPLITZ"

/** The implementation vnet_hash_toeplitz() runs: "gfni" or "softrss". */
const char *vnet_hash_toeplitz_impl(void);

/**
 * Whether this CPU, its OS and this build can run the GFNI path: GFNI,
 * AVX512F/BW/VL/DQ/VBMI in CPUID, the AVX-512 state enabled in XCR0, and
 * lib/vnet_hash built for x86-64 with a compiler that has those flags.
 */
bool vnet_hash_toeplitz_gfni_supported(void);

/**
 * Choose the implementation vnet_hash_toeplitz() runs, by the names
 * VNET_HASH_TOEPLITZ_ENV takes: "auto" (or NULL) picks GFNI where supported,
 * "softrss" forces the portable path, "gfni" the GFNI one.  For tests,
 * benchmarks and tools: call it while no other thread hashes.
 * @return 0; -EINVAL for an unknown name (nothing changed); -ENOTSUP for
 *   "gfni" where it is not supported (nothing changed).
 */
int vnet_hash_toeplitz_select(const char *name);

/**
 * Classify and hash in one call.
 * @return the report value; *hash is 0 when it is NONE.
 */
unsigned int vnet_hash_frame(const struct vnet_hash_key *k, uint32_t hash_types,
			     const void *frame, uint32_t len, uint32_t *hash);

/** vnet_hash_frame() with tunnel types, as vnet_hash_classify_tunnel(). */
unsigned int vnet_hash_frame_tunnel(const struct vnet_hash_key *k, uint32_t hash_types,
				    uint32_t tunnel_types, const void *frame, uint32_t len,
				    uint32_t *hash);

/** RSS state: what VIRTIO_NET_CTRL_MQ_RSS_CONFIG carries, host order. */
struct vnet_hash_rss {
	uint32_t hash_types;
	uint16_t reta_size;		/**< power of two, 1..VNET_HASH_RETA_MAX */
	uint16_t unclassified_queue;
	uint16_t max_tx_vq;
	uint16_t reta[VNET_HASH_RETA_MAX];
	struct vnet_hash_key key;
};

/** The queue RSS picks for a hash/report pair (unclassified_queue for NONE). */
static inline uint16_t
vnet_hash_rss_queue(const struct vnet_hash_rss *rss, uint32_t hash,
		    unsigned int report)
{
	if (report == VNET_HASH_REPORT_NONE)
		return rss->unclassified_queue;
	return rss->reta[hash & (uint32_t)(rss->reta_size - 1)];
}

/** hash_types and key of VIRTIO_NET_CTRL_MQ_HASH_CONFIG, host order. */
struct vnet_hash_config {
	uint32_t hash_types;
	struct vnet_hash_key key;
};

/*
 * Wire codecs for the two control commands.  Decoders validate: unknown
 * type bits, a key shorter than VNET_HASH_KEY_MIN while types are enabled,
 * a table size that is not a power of two or above VNET_HASH_RETA_MAX, or
 * a length that does not match, all give -EINVAL.  Encoders return the
 * number of bytes written or -ENOSPC.
 */
int vnet_hash_config_decode(struct vnet_hash_config *c, const void *buf, size_t len);
int vnet_hash_config_encode(const struct vnet_hash_config *c, void *buf, size_t cap);
int vnet_hash_rss_decode(struct vnet_hash_rss *r, const void *buf, size_t len);
int vnet_hash_rss_encode(const struct vnet_hash_rss *r, void *buf, size_t cap);

/*
 * struct virtnet_hash_tunnel (VIRTIO_NET_CTRL_HASH_TUNNEL_SET): le32
 * enabled_tunnel_types, 4 bytes.  The decoder gives -EINVAL for another
 * length or a bit outside VNET_HASH_TUNNEL_ALL (whether the device supports
 * a known bit is the device's check); the encoder returns 4 or -ENOSPC.
 */
int vnet_hash_tunnel_decode(uint32_t *enabled, const void *buf, size_t len);
int vnet_hash_tunnel_encode(uint32_t enabled, void *buf, size_t cap);

/* Names. */
/** "NONE", "IPv4", ... "UDPv6_EX"; "?" for an out-of-range value. */
const char *vnet_hash_report_name(unsigned int report);
/** "ipv4", "tcpv4", "udpv4", "ipv6", "tcpv6", "udpv6", "ip_ex", "tcp_ex", "udp_ex" */
const char *vnet_hash_type_name(uint32_t type_bit);
/**
 * Parse a comma-separated list of hash types, in any case, spaces around
 * the commas allowed: the type names above, the report names ("TCPv4",
 * "UDPv6_EX": what vnet_hash_report_name() prints), DPDK's RSS type names
 * as testpmd takes them ("ip", "tcp", "udp", "ipv4-udp", "ipv6-tcp-ex",
 * "ipv4-frag", ...; those without a virtio-net type, such as "ipv4-sctp",
 * are unknown words), "all" or "none".
 * @return 0, or -EINVAL with *bad pointing at the offending word.
 */
int vnet_hash_types_parse(const char *list, uint32_t *types, const char **bad);
/** Write "ipv4,tcpv4,..." (or "none"); returns what snprintf would. */
int vnet_hash_types_format(uint32_t types, char *buf, size_t cap);
/**
 * "gre_2784", "gre_2890", "gre_7676", "gre_udp", "vxlan", "vxlan_gpe",
 * "geneve", "ipip", "nvgre" for one VNET_HASH_TUNNEL_* bit; NULL otherwise.
 */
const char *vnet_hash_tunnel_name(uint32_t type_bit);
/**
 * Parse a comma-separated list of tunnel types: the names above in any
 * case ("-" for "_" allowed), "gre" (GRE_2784, GRE_2890 and GRE_7676),
 * "all" or "none".
 * @return 0, or -EINVAL with *bad pointing at the offending word.
 */
int vnet_hash_tunnels_parse(const char *list, uint32_t *types, const char **bad);
/** Write "vxlan,geneve,..." (or "none"); returns what snprintf would. */
int vnet_hash_tunnels_format(uint32_t types, char *buf, size_t cap);

/* DPDK mappings. */
/** RTE_ETH_RSS_* bits that the enabled hash types cover. */
uint64_t vnet_hash_types_to_rss(uint32_t types);
/**
 * Hash types for RTE_ETH_RSS_* bits; bits with no virtio equivalent are
 * returned in *unsupported (may be NULL).
 */
uint32_t vnet_hash_types_from_rss(uint64_t rss_hf, uint64_t *unsupported);
/** RTE_PTYPE_TUNNEL_* of one VNET_HASH_TUNNEL_* bit (GRE_UDP: TUNNEL_GRE). */
uint32_t vnet_hash_tunnel_to_ptype(uint32_t type_bit);
/** RTE_PTYPE_L3_* | RTE_PTYPE_L4_* that a report value implies. */
uint32_t vnet_hash_report_to_ptype(unsigned int report);

#endif /* VNET_HASH_H */
