/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 hashtap authors
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <netinet/in.h>

#include <rte_byteorder.h>
#include <rte_common.h>
#include <rte_cpuflags.h>
#include <rte_ether.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>
#include <rte_mbuf_ptype.h>
#include <rte_thash.h>
#include <rte_vect.h>

#include "vnet_bytes.h"
#include "vnet_hash.h"
#ifdef VNET_HASH_HAVE_GFNI
#include "vnet_hash_gfni.h"
#endif

const uint8_t vnet_hash_default_key[VNET_HASH_KEY_MIN] = {
	0x6d, 0x5a, 0x56, 0xda, 0x25, 0x5b, 0x0e, 0xc2,
	0x41, 0x67, 0x25, 0x3d, 0x43, 0xa3, 0x8f, 0xb0,
	0xd0, 0xca, 0x2b, 0xcb, 0xae, 0x7b, 0x30, 0xb4,
	0x77, 0xcb, 0x2d, 0xa3, 0x80, 0x30, 0xf2, 0x0c,
	0x6a, 0x42, 0xb7, 0x3b, 0xbe, 0xac, 0x01, 0xfa,
};

int
vnet_hash_key_set(struct vnet_hash_key *k, const uint8_t *key, size_t len)
{
	uint8_t used[VNET_HASH_KEY_USED + 1] = { 0 };
	uint64_t m[VNET_HASH_KEY_USED + 1];

	if (len < VNET_HASH_KEY_MIN || len > VNET_HASH_KEY_MAX)
		return -EINVAL;
	memset(k, 0, sizeof(*k));
	memcpy(k->raw, key, len);
	k->len = (uint8_t)len;
	/* Toeplitz never reads key bits past the first VNET_HASH_KEY_USED bytes. */
	rte_convert_rss_key(k->raw, k->be, sizeof(k->be));
	/*
	 * rte_thash_complete_matrix(m, key, size) writes size matrices, matrix i
	 * from key bytes i and i + 1, and wraps round to byte 0 for the last.
	 * Give it one byte more than is used (0 after a 40-byte key) and keep
	 * the first VNET_HASH_KEY_USED: each kept matrix is made of the key's
	 * own bytes, whatever its length, and nothing is written past m[].
	 * rte_thash_gfni() reads matrices 0..n+2 for n bytes of input.
	 */
	memcpy(used, key, RTE_MIN(len, sizeof(used)));
	rte_thash_complete_matrix(m, used, (int)sizeof(used));
	memcpy(k->gfni, m, sizeof(k->gfni));
	return 0;
}

/* ------------------------------------------------------------------ */
/* Classifier                                                          */

#define IPV6_OPT_PAD1		0
#define IPV6_OPT_HOME_ADDRESS	0xc9	/* RFC 6275 6.3 */
#define IPV6_RT_TYPE2		2	/* RFC 6275 6.4 */
#define IPPROTO_MOBILITY	135	/* RFC 6275 6.1 */
#define TCP_MIN_LEN		20
#define UDP_LEN			8

#if defined(RTE_ARCH_X86) && defined(__SSE4_1__)
/*
 * The Toeplitz input: source and destination address (alen bytes each:
 * 4 or 16), then the ports if any, as host-order words.  Written 16 bytes
 * at a time, w[0..3] and w[4..7], and w[8] alone (IPv4's w[3] is 0): the
 * GFNI path reads them back in the same pieces, each load then forwarded
 * from the one store that wrote it, while a load of words stored one by
 * one waits until all of them have reached the cache.  Inlined: alen is
 * a constant at each call site.
 */
static __rte_always_inline unsigned int
set_report(struct vnet_hash_tuple *t, unsigned int report,
	   const uint8_t *src, const uint8_t *dst, unsigned int alen,
	   const uint8_t *ports)
{
	const __m128i bswap32 = _mm_set_epi8(12, 13, 14, 15, 8, 9, 10, 11,
					     4, 5, 6, 7, 0, 1, 2, 3);
	uint32_t a, b, p = 0;
	unsigned int n;
	__m128i v;

	if (alen == 4) {
		memcpy(&a, src, 4);
		memcpy(&b, dst, 4);
		if (ports != NULL)
			memcpy(&p, ports, 4);
		v = _mm_cvtsi32_si128((int)a);
		v = _mm_insert_epi32(v, (int)b, 1);
		v = _mm_insert_epi32(v, (int)p, 2);
		_mm_storeu_si128((__m128i *)(void *)t->w, _mm_shuffle_epi8(v, bswap32));
		n = ports != NULL ? 3 : 2;
	} else {
		v = _mm_loadu_si128((const __m128i *)(const void *)src);
		_mm_storeu_si128((__m128i *)(void *)t->w, _mm_shuffle_epi8(v, bswap32));
		v = _mm_loadu_si128((const __m128i *)(const void *)dst);
		_mm_storeu_si128((__m128i *)(void *)&t->w[4], _mm_shuffle_epi8(v, bswap32));
		n = 8;
		if (ports != NULL)
			t->w[n++] = vnb_ld32(ports, VNB_BE);
	}
	t->words = (uint8_t)n;
	t->report = (uint8_t)report;
	return report;
}
#else
/* The Toeplitz input as above, word by word (the counter stays in a
 * register: t->words is a char type, which may alias the words). */
static __rte_always_inline unsigned int
set_report(struct vnet_hash_tuple *t, unsigned int report,
	   const uint8_t *src, const uint8_t *dst, unsigned int alen,
	   const uint8_t *ports)
{
	unsigned int i, n = alen / 4;

	for (i = 0; i < n; i++) {
		t->w[i] = vnb_ld32(src + 4 * i, VNB_BE);
		t->w[n + i] = vnb_ld32(dst + 4 * i, VNB_BE);
	}
	n *= 2;
	if (ports != NULL)
		t->w[n++] = vnb_ld32(ports, VNB_BE);
	t->words = (uint8_t)n;
	t->report = (uint8_t)report;
	return report;
}
#endif

/* L4 packet types as rte_net_get_ptype() gives them */
static uint32_t
l4_ptype(uint8_t proto)
{
	switch (proto) {
	case IPPROTO_TCP:
		return RTE_PTYPE_L4_TCP;
	case IPPROTO_UDP:
		return RTE_PTYPE_L4_UDP;
	case IPPROTO_SCTP:
		return RTE_PTYPE_L4_SCTP;
	default:
		return 0;
	}
}

/* Where the L4 header is and whether TCP/UDP can be hashed from it. */
struct l4_view {
	const uint8_t *ports;	/* NULL: no usable TCP/UDP header */
	bool tcp;
};

static struct l4_view
l4_view(const uint8_t *l4, uint32_t avail, uint8_t proto, bool frag)
{
	struct l4_view v = { NULL, false };

	if (frag)
		return v;	/* fragments hash as IP only */
	if (proto == IPPROTO_TCP && avail >= TCP_MIN_LEN) {
		v.ports = l4;
		v.tcp = true;
	} else if (proto == IPPROTO_UDP && avail >= UDP_LEN) {
		v.ports = l4;
	}
	return v;
}

static unsigned int
classify_ipv4(const uint8_t *ip, uint32_t len, uint32_t types,
	      struct vnet_hash_tuple *t)
{
	uint32_t ihl, tot;
	bool frag;
	struct l4_view v;

	if (len < sizeof(struct rte_ipv4_hdr) || (ip[0] >> 4) != 4)
		return VNET_HASH_REPORT_NONE;
	ihl = (ip[0] & 0xfu) * 4u;
	if (ihl < sizeof(struct rte_ipv4_hdr) || ihl > len)
		return VNET_HASH_REPORT_NONE;
	tot = vnb_ld16(ip + 2, VNB_BE);
	if (tot != 0) {		/* 0: GSO super-frame, length unknown */
		if (tot < ihl)
			return VNET_HASH_REPORT_NONE;
		len = RTE_MIN(len, tot);	/* ignore Ethernet padding */
	}
	frag = (vnb_ld16(ip + 6, VNB_BE) &
		(RTE_IPV4_HDR_MF_FLAG | RTE_IPV4_HDR_OFFSET_MASK)) != 0;
	t->l3_len = (uint16_t)ihl;
	t->l4_proto = ip[9];
	t->ptype |= ihl == sizeof(struct rte_ipv4_hdr) ?
		RTE_PTYPE_L3_IPV4 : RTE_PTYPE_L3_IPV4_EXT;
	t->ptype |= frag ? RTE_PTYPE_L4_FRAG : l4_ptype(ip[9]);

	v = l4_view(ip + ihl, len - ihl, ip[9], frag);
	if (v.ports != NULL && v.tcp && (types & VNET_HASH_TYPE_TCPV4))
		return set_report(t, VNET_HASH_REPORT_TCPV4, ip + 12, ip + 16, 4, v.ports);
	if (v.ports != NULL && !v.tcp && (types & VNET_HASH_TYPE_UDPV4))
		return set_report(t, VNET_HASH_REPORT_UDPV4, ip + 12, ip + 16, 4, v.ports);
	if (types & VNET_HASH_TYPE_IPV4)
		return set_report(t, VNET_HASH_REPORT_IPV4, ip + 12, ip + 16, 4, NULL);
	return VNET_HASH_REPORT_NONE;
}

/* Scan a destination options header for the Home Address option. */
static const uint8_t *
find_home_address(const uint8_t *opt, uint32_t len)
{
	uint32_t off = 2;	/* past next header and length */

	while (off < len) {
		uint32_t olen;

		if (opt[off] == IPV6_OPT_PAD1) {
			off++;
			continue;
		}
		if (off + 2 > len)
			break;
		olen = opt[off + 1];
		if (off + 2 + olen > len)
			break;
		if (opt[off] == IPV6_OPT_HOME_ADDRESS && olen == 16)
			return opt + off + 2;
		off += 2 + olen;
	}
	return NULL;
}

static unsigned int
classify_ipv6(const uint8_t *ip, uint32_t len, uint32_t types,
	      struct vnet_hash_tuple *t)
{
	const uint8_t *src = ip + 8, *dst = ip + 24;
	const uint8_t *home = NULL, *rt2 = NULL;
	uint32_t plen, off = sizeof(struct rte_ipv6_hdr), n;
	bool ext = false, frag = false, l4_known = true;
	uint8_t nh;
	struct l4_view v;

	if (len < sizeof(struct rte_ipv6_hdr) || (ip[0] >> 4) != 6)
		return VNET_HASH_REPORT_NONE;
	plen = vnb_ld16(ip + 4, VNB_BE);
	if (plen != 0)		/* 0: jumbogram or GSO, length unknown */
		len = RTE_MIN(len, plen + (uint32_t)sizeof(struct rte_ipv6_hdr));
	nh = ip[6];

	/*
	 * The extension headers QEMU's implementation walks (AH and Mobility
	 * included), at most VNET_HASH_EXT_MAX of them: a longer chain ends
	 * the walk as a truncated one does, and the packet hashes as IP.
	 */
	for (n = 0;; n++) {
		uint32_t elen;

		if (nh != IPPROTO_HOPOPTS && nh != IPPROTO_ROUTING &&
		    nh != IPPROTO_DSTOPTS && nh != IPPROTO_FRAGMENT &&
		    nh != IPPROTO_AH && nh != IPPROTO_MOBILITY)
			break;
		ext = true;
		/* every extension header is >= 8 bytes */
		if (off + 8 > len || n == VNET_HASH_EXT_MAX) {
			l4_known = false;
			break;
		}
		if (nh == IPPROTO_FRAGMENT) {
			/* fragments hash as IP only, so nothing behind matters */
			frag = true;
			nh = ip[off];
			off += 8;
			break;
		}
		if (nh == IPPROTO_AH)	/* RFC 4302: in 4-byte words, minus 2 */
			elen = (ip[off + 1] + 2u) * 4u;
		else
			elen = (ip[off + 1] + 1u) * 8u;
		if (off + elen > len) {
			l4_known = false;
			break;
		}
		/* a type 2 routing header has one address, one segment left */
		if (nh == IPPROTO_ROUTING && rt2 == NULL &&
		    ip[off + 2] == IPV6_RT_TYPE2 && ip[off + 3] == 1 && elen == 24)
			rt2 = ip + off + 8;
		else if (nh == IPPROTO_DSTOPTS && home == NULL)
			home = find_home_address(ip + off, elen);
		nh = ip[off];
		off += elen;
	}

	t->l3_len = (uint16_t)off;
	t->ipv6_ext = ext;
	t->ptype |= ext ? RTE_PTYPE_L3_IPV6_EXT : RTE_PTYPE_L3_IPV6;
	if (frag)
		t->ptype |= RTE_PTYPE_L4_FRAG;
	else if (l4_known)
		t->ptype |= l4_ptype(nh);
	t->l4_proto = l4_known ? nh : 255;
	v = l4_view(ip + off, len - RTE_MIN(len, off), nh, frag || !l4_known);

	if (ext) {
		const uint8_t *s = home != NULL ? home : src;
		const uint8_t *d = rt2 != NULL ? rt2 : dst;

		if (v.ports != NULL && v.tcp && (types & VNET_HASH_TYPE_TCP_EX))
			return set_report(t, VNET_HASH_REPORT_TCPV6_EX, s, d, 16, v.ports);
		if (v.ports != NULL && !v.tcp && (types & VNET_HASH_TYPE_UDP_EX))
			return set_report(t, VNET_HASH_REPORT_UDPV6_EX, s, d, 16, v.ports);
		if (types & VNET_HASH_TYPE_IP_EX)
			return set_report(t, VNET_HASH_REPORT_IPV6_EX, s, d, 16, NULL);
	}
	if (v.ports != NULL && v.tcp && (types & VNET_HASH_TYPE_TCPV6))
		return set_report(t, VNET_HASH_REPORT_TCPV6, src, dst, 16, v.ports);
	if (v.ports != NULL && !v.tcp && (types & VNET_HASH_TYPE_UDPV6))
		return set_report(t, VNET_HASH_REPORT_UDPV6, src, dst, 16, v.ports);
	if (types & VNET_HASH_TYPE_IPV6)
		return set_report(t, VNET_HASH_REPORT_IPV6, src, dst, 16, NULL);
	return VNET_HASH_REPORT_NONE;
}

static bool
is_vlan_tpid(uint16_t type)
{
	/* the TPIDs the kernel's eth_type_vlan() accepts */
	return type == RTE_ETHER_TYPE_VLAN || type == RTE_ETHER_TYPE_QINQ;
}

/* A tuple that says nothing yet: NONE, no headers, no tunnel. */
static void
tuple_reset(struct vnet_hash_tuple *t)
{
	t->ptype = RTE_PTYPE_UNKNOWN;
	t->l2_len = 0;
	t->l3_len = 0;
	t->l4_proto = 255;
	t->report = VNET_HASH_REPORT_NONE;
	t->words = 0;
	t->ipv6_ext = 0;
	t->tunnel = 0;
	t->inner_off = 0;
}

unsigned int
vnet_hash_classify(const void *frame, uint32_t len, uint32_t hash_types,
		   struct vnet_hash_tuple *t)
{
	const uint8_t *p = frame;
	uint32_t off = RTE_ETHER_HDR_LEN;
	unsigned int tags = 0;
	uint16_t type;

	tuple_reset(t);
	if (len < RTE_ETHER_HDR_LEN)
		return VNET_HASH_REPORT_NONE;
	type = vnb_ld16(p + 12, VNB_BE);
	while (is_vlan_tpid(type)) {
		if (tags == 2 || off + 4 > len)
			return VNET_HASH_REPORT_NONE;	/* bad stack or truncated */
		type = vnb_ld16(p + off + 2, VNB_BE);
		off += 4;
		tags++;
	}
	t->l2_len = (uint16_t)off;
	t->ptype = tags == 0 ? RTE_PTYPE_L2_ETHER :
		tags == 1 ? RTE_PTYPE_L2_ETHER_VLAN : RTE_PTYPE_L2_ETHER_QINQ;

	switch (type) {
	case RTE_ETHER_TYPE_IPV4:
		return classify_ipv4(p + off, len - off, hash_types, t);
	case RTE_ETHER_TYPE_IPV6:
		return classify_ipv6(p + off, len - off, hash_types, t);
	default:
		return VNET_HASH_REPORT_NONE;
	}
}

/* ------------------------------------------------------------------ */
/* Inner-header hash (VIRTIO_NET_F_HASH_TUNNEL): docs/tunnel-hash.md    */

#define GRE_F_C		0x8000u		/* checksum present */
#define GRE_F_K		0x2000u		/* key present */
#define GRE_F_S		0x1000u		/* sequence number present */
#define GRE_F_MBZ	0x4c07u		/* R, s, Recur's top bit, Version; 6-12 ignored */
#define ETHER_TYPE_TEB	0x6558u		/* Transparent Ethernet Bridging */
#define VXLAN_F_I	0x08u
#define GPE_F_VER	0x30u
#define GPE_F_P		0x04u
#define GENEVE_F_VER	0xc0u
#define TNL_HDR_LEN	8u		/* VXLAN, VXLAN-GPE, GENEVE base */

enum inner_kind { INNER_NONE, INNER_ETH, INNER_IPV4, INNER_IPV6 };

/* What a tunnel's protocol field (an EtherType) says follows. */
static enum inner_kind
ether_type_kind(uint16_t type)
{
	switch (type) {
	case RTE_ETHER_TYPE_IPV4:
		return INNER_IPV4;
	case RTE_ETHER_TYPE_IPV6:
		return INNER_IPV6;
	case ETHER_TYPE_TEB:
		return INNER_ETH;
	default:
		return INNER_NONE;
	}
}

/*
 * A GRE header at g, avail bytes to the end of the outer packet: its
 * length in *hlen, its first word in *flags; INNER_NONE if it is not one
 * the device looks through (reserved bits, version, cut short, payload).
 */
static enum inner_kind
gre_header(const uint8_t *g, uint32_t avail, uint32_t *hlen, uint16_t *flags)
{
	uint16_t f;
	uint32_t h;

	if (avail < 4)
		return INNER_NONE;
	f = vnb_ld16(g, VNB_BE);
	if (f & GRE_F_MBZ)
		return INNER_NONE;
	h = 4u + (f & GRE_F_C ? 4u : 0) + (f & GRE_F_K ? 4u : 0) +
		(f & GRE_F_S ? 4u : 0);
	if (h > avail)
		return INNER_NONE;
	*hlen = h;
	*flags = f;
	return ether_type_kind(vnb_ld16(g + 2, VNB_BE));
}

/* The header after a UDP header to one of the IANA tunnel ports. */
static enum inner_kind
udp_tunnel(const uint8_t *h, uint32_t avail, uint16_t dport, uint32_t *type,
	   uint32_t *hlen)
{
	uint16_t f;

	switch (dport) {
	case VNET_HASH_PORT_VXLAN:
		if (avail < TNL_HDR_LEN || !(h[0] & VXLAN_F_I))
			return INNER_NONE;
		*type = VNET_HASH_TUNNEL_VXLAN;
		*hlen = TNL_HDR_LEN;
		return INNER_ETH;
	case VNET_HASH_PORT_VXLAN_GPE:
		if (avail < TNL_HDR_LEN || (h[0] & GPE_F_VER) ||
		    !(h[0] & VXLAN_F_I) || !(h[0] & GPE_F_P))
			return INNER_NONE;
		*type = VNET_HASH_TUNNEL_VXLAN_GPE;
		*hlen = TNL_HDR_LEN;
		switch (h[3]) {
		case 1:
			return INNER_IPV4;
		case 2:
			return INNER_IPV6;
		case 3:
			return INNER_ETH;
		default:
			return INNER_NONE;
		}
	case VNET_HASH_PORT_GENEVE:
		if (avail < TNL_HDR_LEN || (h[0] & GENEVE_F_VER))
			return INNER_NONE;
		*hlen = TNL_HDR_LEN + (h[0] & 0x3fu) * 4u;
		if (*hlen > avail)
			return INNER_NONE;
		*type = VNET_HASH_TUNNEL_GENEVE;
		return ether_type_kind(vnb_ld16(h + 2, VNB_BE));
	case VNET_HASH_PORT_GRE_UDP:
		*type = VNET_HASH_TUNNEL_GRE_UDP;
		return gre_header(h, avail, hlen, &f);
	default:
		return INNER_NONE;
	}
}

/*
 * The tunnel types of a frame already classified (outer) into o, per
 * docs/tunnel-hash.md; *inner_off and *kind say where and what the inner
 * packet is, *end where the outer IP packet ends.
 */
static uint32_t
tunnel_match(const uint8_t *p, uint32_t len, const struct vnet_hash_tuple *o,
	     uint32_t *inner_off, enum inner_kind *kind, uint32_t *end)
{
	uint32_t l3 = o->ptype & RTE_PTYPE_L3_MASK, l4off, avail, hlen = 0, type = 0;
	const uint8_t *ip = p + o->l2_len;
	bool v6;
	uint16_t f = 0;
	enum inner_kind k;

	*kind = INNER_NONE;
	if (l3 == 0 || o->l3_len == 0 || o->l4_proto == 255 ||
	    (o->ptype & RTE_PTYPE_L4_MASK) == RTE_PTYPE_L4_FRAG)
		return 0;
	v6 = l3 == RTE_PTYPE_L3_IPV6 || l3 == RTE_PTYPE_L3_IPV6_EXT;
	/* the outer IP packet's end, as the ordinary rules bound L4 */
	*end = len;
	if (!v6 && vnb_ld16(ip + 2, VNB_BE) != 0)
		*end = RTE_MIN(len, o->l2_len + (uint32_t)vnb_ld16(ip + 2, VNB_BE));
	else if (v6 && vnb_ld16(ip + 4, VNB_BE) != 0)
		*end = RTE_MIN(len, o->l2_len + 40u + vnb_ld16(ip + 4, VNB_BE));
	l4off = (uint32_t)o->l2_len + o->l3_len;
	if (l4off > *end)
		return 0;
	avail = *end - l4off;

	switch (o->l4_proto) {
	case IPPROTO_GRE:
		k = gre_header(p + l4off, avail, &hlen, &f);
		if (k == INNER_NONE)
			return 0;
		type = v6 ? VNET_HASH_TUNNEL_GRE_7676 :
			(f & (GRE_F_K | GRE_F_S)) ? VNET_HASH_TUNNEL_GRE_2890 :
			VNET_HASH_TUNNEL_GRE_2784;
		if ((f & (GRE_F_C | GRE_F_K | GRE_F_S)) == GRE_F_K &&
		    vnb_ld16(p + l4off + 2, VNB_BE) == ETHER_TYPE_TEB)
			type |= VNET_HASH_TUNNEL_NVGRE;
		break;
	case IPPROTO_UDP:
		if (avail < UDP_LEN)
			return 0;
		k = udp_tunnel(p + l4off + UDP_LEN, avail - UDP_LEN,
			       vnb_ld16(p + l4off + 2, VNB_BE), &type, &hlen);
		if (k == INNER_NONE)
			return 0;
		hlen += UDP_LEN;
		break;
	case IPPROTO_IPIP:
	case IPPROTO_IPV6:
		k = o->l4_proto == IPPROTO_IPIP ? INNER_IPV4 : INNER_IPV6;
		type = VNET_HASH_TUNNEL_IPIP;
		break;
	default:
		return 0;
	}
	*inner_off = l4off + hlen;
	*kind = k;
	return type;
}

uint32_t
vnet_hash_tunnel_match(const void *frame, uint32_t len, uint16_t *inner_off)
{
	struct vnet_hash_tuple o;
	uint32_t off = 0, end, type;
	enum inner_kind k;

	vnet_hash_classify(frame, len, 0, &o);
	type = tunnel_match(frame, len, &o, &off, &k, &end);
	if (inner_off != NULL)
		*inner_off = type != 0 ? (uint16_t)off : 0;
	return type;
}

/* RTE_PTYPE_INNER_* for the outer-position bits the classifier set. */
static uint32_t
inner_ptype(uint32_t pt)
{
	uint32_t in = 0;

	switch (pt & RTE_PTYPE_L2_MASK) {
	case RTE_PTYPE_L2_ETHER:
		in |= RTE_PTYPE_INNER_L2_ETHER;
		break;
	case RTE_PTYPE_L2_ETHER_VLAN:
		in |= RTE_PTYPE_INNER_L2_ETHER_VLAN;
		break;
	case RTE_PTYPE_L2_ETHER_QINQ:
		in |= RTE_PTYPE_INNER_L2_ETHER_QINQ;
		break;
	}
	switch (pt & RTE_PTYPE_L3_MASK) {
	case RTE_PTYPE_L3_IPV4:
		in |= RTE_PTYPE_INNER_L3_IPV4;
		break;
	case RTE_PTYPE_L3_IPV4_EXT:
		in |= RTE_PTYPE_INNER_L3_IPV4_EXT;
		break;
	case RTE_PTYPE_L3_IPV6:
		in |= RTE_PTYPE_INNER_L3_IPV6;
		break;
	case RTE_PTYPE_L3_IPV6_EXT:
		in |= RTE_PTYPE_INNER_L3_IPV6_EXT;
		break;
	}
	switch (pt & RTE_PTYPE_L4_MASK) {
	case RTE_PTYPE_L4_TCP:
		in |= RTE_PTYPE_INNER_L4_TCP;
		break;
	case RTE_PTYPE_L4_UDP:
		in |= RTE_PTYPE_INNER_L4_UDP;
		break;
	case RTE_PTYPE_L4_SCTP:
		in |= RTE_PTYPE_INNER_L4_SCTP;
		break;
	case RTE_PTYPE_L4_FRAG:
		in |= RTE_PTYPE_INNER_L4_FRAG;
		break;
	}
	return in;
}

unsigned int
vnet_hash_classify_tunnel(const void *frame, uint32_t len, uint32_t hash_types,
			  uint32_t tunnel_types, struct vnet_hash_tuple *t)
{
	const uint8_t *p = frame;
	struct vnet_hash_tuple in;
	uint32_t off = 0, end = 0, type;
	unsigned int r = vnet_hash_classify(frame, len, hash_types, t);
	enum inner_kind k;

	if ((tunnel_types & VNET_HASH_TUNNEL_ALL) == 0)
		return r;
	type = tunnel_match(p, len, t, &off, &k, &end) & tunnel_types;
	if (type == 0)
		return r;	/* the outer header's hash, as computed */

	/* the inner packet, by the ordinary rules, one level only */
	tuple_reset(&in);
	switch (k) {
	case INNER_ETH:
		vnet_hash_classify(p + off, end - off, hash_types, &in);
		break;
	case INNER_IPV4:
		classify_ipv4(p + off, end - off, hash_types, &in);
		break;
	case INNER_IPV6:
		classify_ipv6(p + off, end - off, hash_types, &in);
		break;
	default:
		break;
	}
	t->tunnel = (uint16_t)type;
	t->inner_off = (uint16_t)off;
	t->ptype = (t->ptype & (RTE_PTYPE_L2_MASK | RTE_PTYPE_L3_MASK | RTE_PTYPE_L4_MASK)) |
		vnet_hash_tunnel_to_ptype(type & VNET_HASH_TUNNEL_NVGRE ?
					  VNET_HASH_TUNNEL_NVGRE : type & -type) |
		inner_ptype(in.ptype);
	t->report = in.report;
	t->words = in.words;
	memcpy(t->w, in.w, sizeof(t->w));
	return t->report;
}

/* The headers of a chain whose first segment did not settle it, made flat
 * (rare: out of line, so that the common path keeps its stack small). */
static __rte_noinline unsigned int
classify_gathered(const struct rte_mbuf *m, uint32_t hash_types, struct vnet_hash_tuple *t)
{
	uint8_t buf[VNET_HASH_HDR_MAX];
	uint32_t len = RTE_MIN(m->pkt_len, VNET_HASH_HDR_MAX);
	const void *p = rte_pktmbuf_read(m, 0, len, buf);

	return vnet_hash_classify(p, p != NULL ? len : 0, hash_types, t);
}

unsigned int
vnet_hash_classify_mbuf(const struct rte_mbuf *m, uint32_t hash_types,
			struct vnet_hash_tuple *t)
{
	unsigned int r;

	if (m->data_len >= RTE_MIN(m->pkt_len, VNET_HASH_HDR_MAX))
		return vnet_hash_classify(rte_pktmbuf_mtod(m, const void *),
					  RTE_MIN(m->pkt_len, m->data_len), hash_types, t);
	/*
	 * The first segment first: when it holds the TCP or UDP header, every
	 * byte the classifier needs was in it (the extension headers come
	 * before), so the answer is the whole frame's.  Otherwise (IP only,
	 * or nothing: maybe only because the segment ended) the headers are
	 * gathered and the frame classified again.
	 */
	r = vnet_hash_classify(rte_pktmbuf_mtod(m, const void *), m->data_len, hash_types, t);
	switch (r) {
	case VNET_HASH_REPORT_TCPV4: case VNET_HASH_REPORT_UDPV4:
	case VNET_HASH_REPORT_TCPV6: case VNET_HASH_REPORT_UDPV6:
	case VNET_HASH_REPORT_TCPV6_EX: case VNET_HASH_REPORT_UDPV6_EX:
		return r;
	default:
		return classify_gathered(m, hash_types, t);
	}
}

static __rte_noinline unsigned int
classify_gathered_tunnel(const struct rte_mbuf *m, uint32_t hash_types,
			 uint32_t tunnel_types, struct vnet_hash_tuple *t)
{
	uint8_t buf[VNET_HASH_TNL_HDR_MAX];
	uint32_t len = RTE_MIN(m->pkt_len, VNET_HASH_TNL_HDR_MAX);
	const void *p = rte_pktmbuf_read(m, 0, len, buf);

	return vnet_hash_classify_tunnel(p, p != NULL ? len : 0, hash_types,
					 tunnel_types, t);
}

unsigned int
vnet_hash_classify_mbuf_tunnel(const struct rte_mbuf *m, uint32_t hash_types,
			       uint32_t tunnel_types, struct vnet_hash_tuple *t)
{
	unsigned int r;

	if ((tunnel_types & VNET_HASH_TUNNEL_ALL) == 0)
		return vnet_hash_classify_mbuf(m, hash_types, t);
	if (m->data_len >= RTE_MIN(m->pkt_len, VNET_HASH_TNL_HDR_MAX))
		return vnet_hash_classify_tunnel(rte_pktmbuf_mtod(m, const void *),
						 RTE_MIN(m->pkt_len, m->data_len),
						 hash_types, tunnel_types, t);
	/*
	 * The first segment settles it only when the inner TCP/UDP header is
	 * in it, or the outer one is TCP (no tunnel rides on TCP): a tunnel
	 * header cut by the segment's end must not pass for an outer hash.
	 */
	r = vnet_hash_classify_tunnel(rte_pktmbuf_mtod(m, const void *), m->data_len,
				      hash_types, tunnel_types, t);
	switch (r) {
	case VNET_HASH_REPORT_TCPV4: case VNET_HASH_REPORT_TCPV6:
	case VNET_HASH_REPORT_TCPV6_EX:
		return r;
	case VNET_HASH_REPORT_UDPV4: case VNET_HASH_REPORT_UDPV6:
	case VNET_HASH_REPORT_UDPV6_EX:
		if (t->tunnel != 0)
			return r;
		/* fall through */
	default:
		return classify_gathered_tunnel(m, hash_types, tunnel_types, t);
	}
}

/* ------------------------------------------------------------------ */
/* Toeplitz: GFNI where the CPU has it, rte_softrss_be() elsewhere      */

enum toeplitz_impl {
	TOEPLITZ_SOFTRSS,
	TOEPLITZ_GFNI,
};

static const char *const toeplitz_impl_names[] = {
	[TOEPLITZ_SOFTRSS] = "softrss",
	[TOEPLITZ_GFNI] = "gfni",
};

static bool gfni_supported;	/* set once, at load */
static int toeplitz_impl;	/* enum toeplitz_impl, relaxed atomics */

#ifdef VNET_HASH_HAVE_GFNI
/* CPUID has every feature rte_thash_gfni() is compiled with, and the OS
 * saves the state of the registers it uses (XCR0: SSE, AVX, opmask, the
 * upper halves of ZMM0-15 and ZMM16-31). */
static bool
cpu_runs_gfni(void)
{
	static const enum rte_cpu_flag_t need[] = {
		RTE_CPUFLAG_GFNI, RTE_CPUFLAG_AVX512F, RTE_CPUFLAG_AVX512BW,
		RTE_CPUFLAG_AVX512VL, RTE_CPUFLAG_AVX512DQ, RTE_CPUFLAG_AVX512VBMI,
		RTE_CPUFLAG_OSXSAVE,
	};
	const uint32_t xcr0_avx512 = 0xe6;
	uint32_t eax, edx;
	unsigned int i;

	for (i = 0; i < RTE_DIM(need); i++)
		if (rte_cpu_get_flag_enabled(need[i]) <= 0)
			return false;
	__asm__ volatile ("xgetbv" : "=a" (eax), "=d" (edx) : "c" (0));
	RTE_SET_USED(edx);
	return (eax & xcr0_avx512) == xcr0_avx512;
}
#else
static bool
cpu_runs_gfni(void)
{
	return false;	/* not built: not x86-64, or the compiler lacks the flags */
}
#endif

bool
vnet_hash_toeplitz_gfni_supported(void)
{
	return gfni_supported;
}

const char *
vnet_hash_toeplitz_impl(void)
{
	return toeplitz_impl_names[__atomic_load_n(&toeplitz_impl, __ATOMIC_RELAXED)];
}

int
vnet_hash_toeplitz_select(const char *name)
{
	int impl;

	if (name == NULL || strcmp(name, "auto") == 0)
		impl = gfni_supported ? TOEPLITZ_GFNI : TOEPLITZ_SOFTRSS;
	else if (strcmp(name, toeplitz_impl_names[TOEPLITZ_SOFTRSS]) == 0)
		impl = TOEPLITZ_SOFTRSS;
	else if (strcmp(name, toeplitz_impl_names[TOEPLITZ_GFNI]) == 0)
		impl = TOEPLITZ_GFNI;
	else
		return -EINVAL;
	if (impl == TOEPLITZ_GFNI && !gfni_supported)
		return -ENOTSUP;
	__atomic_store_n(&toeplitz_impl, impl, __ATOMIC_RELAXED);
	return 0;
}

/* Decided once, before main() (or when the PMD's shared object is loaded). */
RTE_INIT(vnet_hash_toeplitz_init)
{
	const char *env = getenv(VNET_HASH_TOEPLITZ_ENV);

	gfni_supported = cpu_runs_gfni();
	if (env != NULL && env[0] == '\0')
		env = NULL;
	switch (vnet_hash_toeplitz_select(env)) {
	case -EINVAL:
		fprintf(stderr, "vnet_hash: %s=\"%s\" is not auto, softrss or gfni: using auto\n",
			VNET_HASH_TOEPLITZ_ENV, env);
		vnet_hash_toeplitz_select(NULL);
		break;
	case -ENOTSUP:
		fprintf(stderr, "vnet_hash: %s=gfni, but this CPU (or build) cannot run GFNI with AVX-512: using softrss\n",
			VNET_HASH_TOEPLITZ_ENV);
		break;
	}
}

uint32_t
vnet_hash_toeplitz(const struct vnet_hash_key *k, const struct vnet_hash_tuple *t)
{
	if (t->words == 0)
		return 0;
#ifdef VNET_HASH_HAVE_GFNI
	if (__atomic_load_n(&toeplitz_impl, __ATOMIC_RELAXED) == TOEPLITZ_GFNI)
		return vnet_hash_gfni_toeplitz(k->gfni, t->w, t->words);
#endif
	/* rte_softrss_be() takes a non-const tuple but only reads it: no copy */
	return rte_softrss_be((uint32_t *)(uintptr_t)t->w, t->words,
			      (const uint8_t *)k->be);
}

unsigned int
vnet_hash_frame(const struct vnet_hash_key *k, uint32_t hash_types,
		const void *frame, uint32_t len, uint32_t *hash)
{
	struct vnet_hash_tuple t;
	unsigned int report = vnet_hash_classify(frame, len, hash_types, &t);

	*hash = vnet_hash_toeplitz(k, &t);
	return report;
}

unsigned int
vnet_hash_frame_tunnel(const struct vnet_hash_key *k, uint32_t hash_types,
		       uint32_t tunnel_types, const void *frame, uint32_t len,
		       uint32_t *hash)
{
	struct vnet_hash_tuple t;
	unsigned int report = vnet_hash_classify_tunnel(frame, len, hash_types,
							tunnel_types, &t);

	*hash = vnet_hash_toeplitz(k, &t);
	return report;
}

/* ------------------------------------------------------------------ */
/* Control command wire codecs                                         */

int
vnet_hash_tunnel_decode(uint32_t *enabled, const void *buf, size_t len)
{
	uint32_t v;

	if (len != VNET_WIRE_HASH_TUNNEL_LEN)
		return -EINVAL;
	v = vnb_ld32(buf, VNB_LE);
	if (v & ~VNET_HASH_TUNNEL_ALL)
		return -EINVAL;
	*enabled = v;
	return 0;
}

int
vnet_hash_tunnel_encode(uint32_t enabled, void *buf, size_t cap)
{
	if (cap < VNET_WIRE_HASH_TUNNEL_LEN)
		return -ENOSPC;
	vnb_st32(buf, enabled, VNB_LE);
	return (int)VNET_WIRE_HASH_TUNNEL_LEN;
}

static int
check_types_key(uint32_t types, unsigned int key_len)
{
	if (types & ~VNET_HASH_TYPE_ALL)
		return -EINVAL;
	if (types != 0 && key_len < VNET_HASH_KEY_MIN)
		return -EINVAL;
	return 0;
}

static void
key_from_wire(struct vnet_hash_key *k, const uint8_t *key, unsigned int len)
{
	if (len >= VNET_HASH_KEY_MIN) {
		vnet_hash_key_set(k, key, len);
	} else {	/* allowed only with no types enabled */
		memset(k, 0, sizeof(*k));
		memcpy(k->raw, key, len);
		k->len = (uint8_t)len;
	}
}

int
vnet_hash_config_decode(struct vnet_hash_config *c, const void *buf, size_t len)
{
	const uint8_t *p = buf;
	unsigned int klen;

	if (len < VNET_WIRE_HASH_CONFIG_KEY_OFF)
		return -EINVAL;
	klen = p[12];
	if (len != VNET_WIRE_HASH_CONFIG_KEY_OFF + klen)
		return -EINVAL;
	c->hash_types = vnb_ld32(p, VNB_LE);
	if (check_types_key(c->hash_types, klen) != 0)
		return -EINVAL;
	key_from_wire(&c->key, p + VNET_WIRE_HASH_CONFIG_KEY_OFF, klen);
	return 0;
}

int
vnet_hash_config_encode(const struct vnet_hash_config *c, void *buf, size_t cap)
{
	uint8_t *p = buf;
	size_t len = VNET_WIRE_HASH_CONFIG_KEY_OFF + c->key.len;

	if (cap < len)
		return -ENOSPC;
	memset(p, 0, VNET_WIRE_HASH_CONFIG_KEY_OFF);
	vnb_st32(p, c->hash_types, VNB_LE);
	p[12] = c->key.len;
	memcpy(p + VNET_WIRE_HASH_CONFIG_KEY_OFF, c->key.raw, c->key.len);
	return (int)len;
}

int
vnet_hash_rss_decode(struct vnet_hash_rss *r, const void *buf, size_t len)
{
	const uint8_t *p = buf;
	uint32_t types, size, i;
	size_t tail, klen;

	if (len < VNET_WIRE_RSS_CONFIG_TABLE_OFF)
		return -EINVAL;
	types = vnb_ld32(p, VNB_LE);
	size = vnb_ld16(p + 4, VNB_LE) + 1u;
	if (!rte_is_power_of_2(size) || size > VNET_HASH_RETA_MAX)
		return -EINVAL;
	tail = VNET_WIRE_RSS_CONFIG_TABLE_OFF + 2 * size;
	if (len < tail + 3)
		return -EINVAL;
	klen = p[tail + 2];
	if (len != tail + 3 + klen || check_types_key(types, klen) != 0)
		return -EINVAL;
	r->hash_types = types;
	r->reta_size = (uint16_t)size;
	r->unclassified_queue = vnb_ld16(p + 6, VNB_LE);
	for (i = 0; i < size; i++)
		r->reta[i] = vnb_ld16(p + VNET_WIRE_RSS_CONFIG_TABLE_OFF + 2 * i, VNB_LE);
	r->max_tx_vq = vnb_ld16(p + tail, VNB_LE);
	key_from_wire(&r->key, p + tail + 3, klen);
	return 0;
}

int
vnet_hash_rss_encode(const struct vnet_hash_rss *r, void *buf, size_t cap)
{
	uint8_t *p = buf;
	uint32_t i;
	size_t tail = VNET_WIRE_RSS_CONFIG_TABLE_OFF + 2u * r->reta_size;
	size_t len = tail + 3 + r->key.len;

	if (r->reta_size == 0 || !rte_is_power_of_2(r->reta_size))
		return -EINVAL;
	if (cap < len)
		return -ENOSPC;
	vnb_st32(p, r->hash_types, VNB_LE);
	vnb_st16(p + 4, (uint16_t)(r->reta_size - 1), VNB_LE);
	vnb_st16(p + 6, r->unclassified_queue, VNB_LE);
	for (i = 0; i < r->reta_size; i++)
		vnb_st16(p + VNET_WIRE_RSS_CONFIG_TABLE_OFF + 2 * i, r->reta[i], VNB_LE);
	vnb_st16(p + tail, r->max_tx_vq, VNB_LE);
	p[tail + 2] = r->key.len;
	memcpy(p + tail + 3, r->key.raw, r->key.len);
	return (int)len;
}

/* ------------------------------------------------------------------ */
/* Names and DPDK mappings                                             */

static const char *const report_names[] = {
	"NONE", "IPv4", "TCPv4", "UDPv4", "IPv6", "TCPv6", "UDPv6",
	"IPv6_EX", "TCPv6_EX", "UDPv6_EX",
};

static const char *const type_names[] = {
	"ipv4", "tcpv4", "udpv4", "ipv6", "tcpv6", "udpv6",
	"ip_ex", "tcp_ex", "udp_ex",
};

/* One row per hash type: the RTE_ETH_RSS_* bits it stands for. */
static const uint64_t type_rss[] = {
	RTE_ETH_RSS_IPV4 | RTE_ETH_RSS_FRAG_IPV4 | RTE_ETH_RSS_NONFRAG_IPV4_OTHER,
	RTE_ETH_RSS_NONFRAG_IPV4_TCP,
	RTE_ETH_RSS_NONFRAG_IPV4_UDP,
	RTE_ETH_RSS_IPV6 | RTE_ETH_RSS_FRAG_IPV6 | RTE_ETH_RSS_NONFRAG_IPV6_OTHER,
	RTE_ETH_RSS_NONFRAG_IPV6_TCP,
	RTE_ETH_RSS_NONFRAG_IPV6_UDP,
	RTE_ETH_RSS_IPV6_EX,
	RTE_ETH_RSS_IPV6_TCP_EX,
	RTE_ETH_RSS_IPV6_UDP_EX,
};

static_assert(RTE_DIM(report_names) == VNET_HASH_REPORT_MAX + 1, "report names");
static_assert(RTE_DIM(type_names) == VNET_HASH_REPORT_MAX, "type names");
static_assert(RTE_DIM(type_rss) == VNET_HASH_REPORT_MAX, "type rss");

const char *
vnet_hash_report_name(unsigned int report)
{
	return report < RTE_DIM(report_names) ? report_names[report] : "?";
}

const char *
vnet_hash_type_name(uint32_t type_bit)
{
	if (type_bit == 0 || (type_bit & (type_bit - 1)) != 0 ||
	    type_bit > VNET_HASH_TYPE_UDP_EX)
		return "?";
	return type_names[rte_bsf32(type_bit)];
}

/* DPDK's RSS type names as testpmd takes them ("port config all rss ..."),
 * those with a virtio-net hash type behind them. */
static const struct {
	const char *name;
	uint64_t rss;
} dpdk_type_names[] = {
	{ "ip", RTE_ETH_RSS_IP },
	{ "tcp", RTE_ETH_RSS_TCP },
	{ "udp", RTE_ETH_RSS_UDP },
	{ "ipv4-frag", RTE_ETH_RSS_FRAG_IPV4 },
	{ "ipv4-tcp", RTE_ETH_RSS_NONFRAG_IPV4_TCP },
	{ "ipv4-udp", RTE_ETH_RSS_NONFRAG_IPV4_UDP },
	{ "ipv4-other", RTE_ETH_RSS_NONFRAG_IPV4_OTHER },
	{ "ipv6-frag", RTE_ETH_RSS_FRAG_IPV6 },
	{ "ipv6-tcp", RTE_ETH_RSS_NONFRAG_IPV6_TCP },
	{ "ipv6-udp", RTE_ETH_RSS_NONFRAG_IPV6_UDP },
	{ "ipv6-other", RTE_ETH_RSS_NONFRAG_IPV6_OTHER },
	{ "ipv6-ex", RTE_ETH_RSS_IPV6_EX },
	{ "ipv6-tcp-ex", RTE_ETH_RSS_IPV6_TCP_EX },
	{ "ipv6-udp-ex", RTE_ETH_RSS_IPV6_UDP_EX },
};

static bool
word_is(const char *w, size_t n, const char *name)
{
	return strlen(name) == n && strncasecmp(w, name, n) == 0;
}

/* The type bits one word names; false if it names none. */
static bool
type_word(const char *w, size_t n, uint32_t *bits)
{
	unsigned int i;

	for (i = 0; i < RTE_DIM(type_names); i++)
		if (word_is(w, n, type_names[i]) || word_is(w, n, report_names[i + 1])) {
			*bits = 1u << i;
			return true;
		}
	for (i = 0; i < RTE_DIM(dpdk_type_names); i++)
		if (word_is(w, n, dpdk_type_names[i].name)) {
			*bits = vnet_hash_types_from_rss(dpdk_type_names[i].rss, NULL);
			return true;
		}
	return false;
}

/*
 * A comma-separated list of words, spaces around the commas allowed, each
 * "all" (the bits of @all), "none", or turned into bits by word(); -EINVAL
 * with *bad at the first word refused.
 */
static int
parse_list(const char *list, uint32_t all,
	   bool (*word)(const char *w, size_t n, uint32_t *bits), uint32_t *out,
	   const char **bad)
{
	const char *w = list;
	uint32_t acc = 0;

	for (;;) {
		size_t n;
		uint32_t bits;

		while (*w == ' ' || *w == '\t')
			w++;
		n = strcspn(w, ",");
		while (n > 0 && (w[n - 1] == ' ' || w[n - 1] == '\t'))
			n--;
		if (word_is(w, n, "all"))
			bits = all;
		else if (word_is(w, n, "none"))
			bits = 0;
		else if (!word(w, n, &bits)) {
			if (bad != NULL)
				*bad = w;
			return -EINVAL;
		}
		acc |= bits;
		w += strcspn(w, ",");
		if (*w == '\0')
			break;
		w++;
	}
	*out = acc;
	return 0;
}

/* names[i] for each bit i of bits, comma-separated, or "none"; snprintf's
 * return value */
static int
format_list(uint32_t bits, const char *const *names, unsigned int count, char *buf,
	    size_t cap)
{
	int len = 0, n;
	unsigned int i;

	if (cap > 0)
		buf[0] = '\0';
	if ((bits & ((1u << count) - 1)) == 0)
		return snprintf(buf, cap, "none");
	for (i = 0; i < count; i++) {
		if (!(bits & (1u << i)))
			continue;
		n = snprintf(buf + RTE_MIN((size_t)len, cap),
			     cap > (size_t)len ? cap - (size_t)len : 0,
			     "%s%s", len > 0 ? "," : "", names[i]);
		len += n;
	}
	return len;
}

int
vnet_hash_types_parse(const char *list, uint32_t *types, const char **bad)
{
	return parse_list(list, VNET_HASH_TYPE_ALL, type_word, types, bad);
}

int
vnet_hash_types_format(uint32_t types, char *buf, size_t cap)
{
	return format_list(types, type_names, RTE_DIM(type_names), buf, cap);
}

uint64_t
vnet_hash_types_to_rss(uint32_t types)
{
	uint64_t rss = 0;
	unsigned int i;

	for (i = 0; i < RTE_DIM(type_rss); i++)
		if (types & (1u << i))
			rss |= type_rss[i];
	return rss;
}

uint32_t
vnet_hash_types_from_rss(uint64_t rss_hf, uint64_t *unsupported)
{
	uint64_t covered = 0;
	uint32_t types = 0;
	unsigned int i;

	for (i = 0; i < RTE_DIM(type_rss); i++) {
		if (rss_hf & type_rss[i])
			types |= 1u << i;
		covered |= type_rss[i];
	}
	if (unsupported != NULL)
		*unsupported = rss_hf & ~covered;
	return types;
}

static const char *const tunnel_names[] = {
	"gre_2784", "gre_2890", "gre_7676", "gre_udp", "vxlan", "vxlan_gpe",
	"geneve", "ipip", "nvgre",
};
static_assert(RTE_DIM(tunnel_names) == VNET_HASH_TUNNEL_MAX_BIT, "tunnel names");

const char *
vnet_hash_tunnel_name(uint32_t type_bit)
{
	if (type_bit == 0 || (type_bit & (type_bit - 1)) != 0 ||
	    (type_bit & ~VNET_HASH_TUNNEL_ALL) != 0)
		return NULL;
	return tunnel_names[rte_bsf32(type_bit)];
}

/* A tunnel name, "-" and "_" alike, any case. */
static bool
tunnel_word_is(const char *w, size_t n, const char *name)
{
	size_t i;

	if (strlen(name) != n)
		return false;
	for (i = 0; i < n; i++) {
		char c = w[i] == '-' ? '_' : w[i];

		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (c != name[i])
			return false;
	}
	return true;
}

/* The tunnel bits one word names; false if it names none. */
static bool
tunnel_word(const char *w, size_t n, uint32_t *bits)
{
	unsigned int i;

	if (tunnel_word_is(w, n, "gre")) {
		*bits = VNET_HASH_TUNNEL_GRE_2784 | VNET_HASH_TUNNEL_GRE_2890 |
			VNET_HASH_TUNNEL_GRE_7676;
		return true;
	}
	for (i = 0; i < RTE_DIM(tunnel_names); i++)
		if (tunnel_word_is(w, n, tunnel_names[i])) {
			*bits = 1u << i;
			return true;
		}
	return false;
}

int
vnet_hash_tunnels_parse(const char *list, uint32_t *types, const char **bad)
{
	return parse_list(list, VNET_HASH_TUNNEL_ALL, tunnel_word, types, bad);
}

int
vnet_hash_tunnels_format(uint32_t types, char *buf, size_t cap)
{
	return format_list(types, tunnel_names, RTE_DIM(tunnel_names), buf, cap);
}

uint32_t
vnet_hash_tunnel_to_ptype(uint32_t type_bit)
{
	switch (type_bit) {
	case VNET_HASH_TUNNEL_GRE_2784:
	case VNET_HASH_TUNNEL_GRE_2890:
	case VNET_HASH_TUNNEL_GRE_7676:
	case VNET_HASH_TUNNEL_GRE_UDP:
		return RTE_PTYPE_TUNNEL_GRE;
	case VNET_HASH_TUNNEL_VXLAN:
		return RTE_PTYPE_TUNNEL_VXLAN;
	case VNET_HASH_TUNNEL_VXLAN_GPE:
		return RTE_PTYPE_TUNNEL_VXLAN_GPE;
	case VNET_HASH_TUNNEL_GENEVE:
		return RTE_PTYPE_TUNNEL_GENEVE;
	case VNET_HASH_TUNNEL_IPIP:
		return RTE_PTYPE_TUNNEL_IP;
	case VNET_HASH_TUNNEL_NVGRE:
		return RTE_PTYPE_TUNNEL_NVGRE;
	default:
		return 0;
	}
}

uint32_t
vnet_hash_report_to_ptype(unsigned int report)
{
	static const uint32_t v4 = RTE_PTYPE_L3_IPV4_EXT_UNKNOWN;
	static const uint32_t v6 = RTE_PTYPE_L3_IPV6_EXT_UNKNOWN;

	switch (report) {
	case VNET_HASH_REPORT_IPV4:
		return v4;
	case VNET_HASH_REPORT_TCPV4:
		return v4 | RTE_PTYPE_L4_TCP;
	case VNET_HASH_REPORT_UDPV4:
		return v4 | RTE_PTYPE_L4_UDP;
	case VNET_HASH_REPORT_IPV6:
		return v6;
	case VNET_HASH_REPORT_TCPV6:
		return v6 | RTE_PTYPE_L4_TCP;
	case VNET_HASH_REPORT_UDPV6:
		return v6 | RTE_PTYPE_L4_UDP;
	case VNET_HASH_REPORT_IPV6_EX:
		return RTE_PTYPE_L3_IPV6_EXT;
	case VNET_HASH_REPORT_TCPV6_EX:
		return RTE_PTYPE_L3_IPV6_EXT | RTE_PTYPE_L4_TCP;
	case VNET_HASH_REPORT_UDPV6_EX:
		return RTE_PTYPE_L3_IPV6_EXT | RTE_PTYPE_L4_UDP;
	default:
		return RTE_PTYPE_UNKNOWN;
	}
}
