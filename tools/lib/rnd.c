/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 hashtap authors
 */

#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>

#include "pkt.h"
#include "rnd.h"
#include "vnet_bytes.h"
#include "vnet_hash.h"

static uint64_t rng = 88172645463325252ull;

void
rnd_seed(uint64_t seed)
{
	rng = seed | 1;
}

uint32_t
rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 11);
}

void
rnd_addr(uint8_t *a)
{
	unsigned int i;

	for (i = 0; i < 16; i++)
		a[i] = (uint8_t)rnd();
}

uint32_t
rnd_frame(uint8_t *buf, uint32_t cap, bool whole_tags)
{
	static const uint8_t l4s[] = { IPPROTO_TCP, IPPROTO_TCP, IPPROTO_UDP, IPPROTO_UDP,
				       IPPROTO_ICMP, IPPROTO_ICMPV6, IPPROTO_SCTP, 253 };
	static const uint16_t tpids[] = { 0x8100, 0x88a8 };
	struct pkt_spec s;
	uint32_t len, kind = rnd() % 20, i;

	memset(&s, 0, sizeof(s));
	s.nvlan = (uint8_t)(rnd() % 4 == 0 ? 1 + rnd() % 2 : 0);
	for (i = 0; i < s.nvlan; i++)
		s.tpid[i] = tpids[rnd() % 2];
	rnd_addr(s.src);
	rnd_addr(s.dst);
	s.l4 = l4s[rnd() % sizeof(l4s)];
	s.sport = (uint16_t)rnd();
	s.dport = (uint16_t)rnd();
	s.payload = (uint16_t)(rnd() % 80);
	if (kind < 2) {
		s.ethertype = kind ? 0x0806 : 0x88b5;	/* not IP */
	} else if (kind < 10) {
		s.ipver = 4;
		if (rnd() % 5 == 0)
			s.ip4_opt_words = (uint8_t)(rnd() % 11);
		if (rnd() % 6 == 0)
			s.ip4_frag = rnd() % 2 ? 0x2000 : (uint16_t)(1 + rnd() % 100);
	} else {
		s.ipver = 6;
		/* now and then a chain longer than the classifier walks (8) */
		s.next = (uint8_t)(rnd() % 3 ? (rnd() % 10 ? rnd() % 5 : 7 + rnd() % 4) : 0);
		for (i = 0; i < s.next; i++) {
			struct pkt_ext *e = &s.ext[i];

			switch (rnd() % 7) {
			case 0:
				e->proto = i == 0 ? IPPROTO_HOPOPTS : IPPROTO_DSTOPTS;
				break;
			case 1:
				e->proto = IPPROTO_DSTOPTS;
				e->hao = rnd() % 2;
				break;
			case 2:
				e->proto = IPPROTO_ROUTING;
				e->rt_type = rnd() % 3 ? 2 : 0;
				e->rt_done = rnd() % 4 == 0;
				break;
			case 3:
				e->proto = IPPROTO_DSTOPTS;
				e->hao = true;
				break;
			case 4:
				e->proto = IPPROTO_AH;
				break;
			case 5:
				e->proto = 135;	/* Mobility */
				break;
			default:
				e->proto = IPPROTO_FRAGMENT;
				e->frag_off = (uint16_t)(rnd() % 2 ? 0 : rnd() % 100);
				e->more = rnd() % 2;
				break;
			}
			rnd_addr(e->addr);
		}
	}
	len = pkt_build(&s, buf, cap);
	if (len == 0) {	/* longer than cap (a long extension-header chain): another */
		if (cap < 64) {	/* not even the shortest fits: never ending */
			fprintf(stderr, "rnd_frame: a %u-byte buffer holds no frame\n", cap);
			abort();
		}
		return rnd_frame(buf, cap, whole_tags);
	}
	/* a tag must be followed by its 2-byte type for skb_vlan_untag() */
	i = whole_tags && s.nvlan ? 14u + 4u * s.nvlan + 2u : 14u;
	if (len > i && rnd() % 8 == 0)		/* cut somewhere */
		len = i + rnd() % (len - i);
	return len;
}

uint32_t
rnd_types(void)
{
	uint32_t t = rnd() % 3 == 0 ? VNET_HASH_TYPE_ALL : rnd() & VNET_HASH_TYPE_ALL;

	return t ? t : VNET_HASH_TYPE_ALL;
}

/* Hostile tunnelled frames (docs/tunnel-hash.md), laid out here byte by byte:
 * every encapsulation type and malformed ones, over outer VLAN tags, IPv4
 * options and fragments, IPv6 extension headers; the inner packet a
 * random frame of rnd_frame() (tags, options, extension headers, cut
 * short, not IP), carried whole or as its IP packet, now and then another
 * tunnel (nested), of the IP version the tunnel says or not. */

/* a big-endian 16-bit field */
static void
be16_put(uint8_t *p, uint32_t v)
{
	vnb_st16(p, (uint16_t)v, VNB_BE);
}

/* The IP packet of an Ethernet frame of rnd_frame(): its offset (after
 * 0-3 tags), or 0 if it has none */
static uint32_t
l3_off(const uint8_t *f, uint32_t len)
{
	uint32_t off = 12;

	while (off + 2 <= len && (f[off] << 8 | f[off + 1]) != 0x0800 &&
	       (f[off] << 8 | f[off + 1]) != 0x86dd) {
		if ((f[off] << 8 | f[off + 1]) != 0x8100 && (f[off] << 8 | f[off + 1]) != 0x88a8)
			return 0;
		off += 4;
	}
	return off + 2 <= len ? off + 2 : 0;
}

/* Append @n random bytes */
static uint8_t *
put_rnd(uint8_t *f, uint32_t *len, uint32_t n)
{
	uint8_t *p = f + *len;
	uint32_t i;

	for (i = 0; i < n; i++)
		p[i] = (uint8_t)rnd();
	*len += n;
	return p;
}

enum inner_kind { IN_ETH, IN_IP4, IN_IP6, IN_ANY };

/*
 * The inner packet: an Ethernet frame (IN_ETH), an IPv4 or IPv6 packet
 * (IN_IP4, IN_IP6; one time in eight the other version or a non-IP
 * payload), appended at f + *len; nested tunnels at @depth 0
 */
static uint32_t raw_tunnel_frame(uint8_t *f, uint32_t cap, int depth, bool whole_tags);

static void
put_inner(uint8_t *f, uint32_t *len, uint32_t cap, enum inner_kind k, int depth)
{
	uint8_t in[1600];
	uint32_t n = 0, off = 0, room = cap - *len, tries;
	bool want6 = k == IN_IP6;

	if (room < 80)
		return;
	if (room > sizeof(in))
		room = sizeof(in);
	if (rnd() % 8 == 0)
		want6 = !want6;		/* not the IP version the tunnel says */
	for (tries = 0; tries < 8; tries++) {
		if (depth == 0 && room >= 700 && rnd() % 10 == 0)
			n = raw_tunnel_frame(in, room, 1, true);	/* a tunnel in it */
		else
			n = rnd_frame(in, room, true);
		if (k == IN_ETH)
			break;
		off = l3_off(in, n);
		if (off == 0 || off >= n) {	/* not IP: now and then kept */
			if (rnd() % 4 == 0)
				break;
			continue;
		}
		if ((in[off] >> 4) == (want6 ? 6 : 4))
			break;
	}
	if (k == IN_ETH) {
		memcpy(f + *len, in, n);
		*len += n;
		return;
	}
	if (off == 0 || off > n)	/* not IP: its bytes after the MACs */
		off = 12;
	memcpy(f + *len, in + off, n - off);
	*len += n - off;
}

/* A GRE header; returns the inner kind it announces (IN_ANY: unknown) */
static enum inner_kind
put_gre(uint8_t *f, uint32_t *len, bool nvgre_likely)
{
	static const uint16_t protos[] = { 0x0800, 0x86dd, 0x6558, 0x6558, 0x8847, 0x0806 };
	uint8_t *g = f + *len;
	uint16_t flags = 0, proto;
	uint32_t n = 4;

	if (nvgre_likely && rnd() % 2) {
		flags = 0x2000;
		proto = 0x6558;
	} else {
		flags = (uint16_t)((rnd() % 2 ? 0x8000 : 0) | (rnd() % 2 ? 0x2000 : 0) |
				   (rnd() % 2 ? 0x1000 : 0));
		proto = protos[rnd() % 6];
	}
	if (rnd() % 12 == 0)	/* R, s, Recur, Flags or Version: bits 6-12 are ignored */
		flags |= (uint16_t)(1u << (rnd() % 15)) & 0x4fff;
	n += 4 * (!!(flags & 0x8000) + !!(flags & 0x2000) + !!(flags & 0x1000));
	put_rnd(f, len, n);
	be16_put(g, flags);
	be16_put(g + 2, proto);
	return proto == 0x0800 ? IN_IP4 : proto == 0x86dd ? IN_IP6 :
	       proto == 0x6558 ? IN_ETH : IN_ANY;
}

/*
 * A tunnelled frame of a random kind: outer Ethernet (0-2 tags, now and
 * then 3), IPv4 (options, fragments) or IPv6 (extension headers, a
 * fragment header, more than eight of them), then GRE, UDP to one of the
 * tunnel ports (or another), IPIP, or something else; the lengths true,
 * now and then lying; now and then cut short.
 */
static uint32_t
raw_tunnel_frame(uint8_t *f, uint32_t cap, int depth, bool whole_tags)
{
	static const uint16_t ports[] = { 4754, 4789, 4790, 6081, 4789, 6081, 53, 4790 };
	uint32_t len = 12, ip_off, i, nvlan, next, cut;
	enum inner_kind k = IN_ANY;
	uint8_t *ip, *u = NULL, proto, *p;
	bool v6 = rnd() % 3 == 0;

	if (cap < 700)	/* room for the longest outer headers and some inner */
		return rnd_frame(f, cap, whole_tags);
	memcpy(f, "\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01", 12);
	nvlan = rnd() % 4 == 0 ? 1 + rnd() % (rnd() % 8 ? 2 : 3) : 0;
	for (i = 0; i < nvlan; i++) {
		be16_put(f + len, rnd() % 2 ? 0x8100 : 0x88a8);
		be16_put(f + len + 2, 100 + i);
		len += 4;
	}
	be16_put(f + len, v6 ? 0x86dd : 0x0800);
	len += 2;
	ip_off = len;
	switch (rnd() % 16) {
	case 0: case 1: case 2: case 3: case 4: case 5:
		proto = 47;
		break;
	case 6: case 7: case 8: case 9: case 10: case 11:
		proto = IPPROTO_UDP;
		break;
	case 12: case 13:
		proto = rnd() % 2 ? 4 : 41;
		break;
	default:
		proto = rnd() % 2 ? IPPROTO_TCP : 253;
		break;
	}
	if (!v6) {
		uint32_t opt = rnd() % 5 == 0 ? rnd() % 11 : 0;

		ip = put_rnd(f, &len, 20 + 4 * opt);
		ip[0] = (uint8_t)(0x40 | (5 + opt));
		ip[6] = 0;
		ip[7] = 0;
		if (rnd() % 10 == 0) {	/* a fragment */
			if (rnd() % 2)
				ip[6] = 0x20;
			else
				be16_put(ip + 6, 1 + rnd() % 100);
		} else if (rnd() % 2) {
			ip[6] = 0x40;	/* DF */
		}
		ip[9] = proto;
		memset(ip + 20, 1, 4 * opt);	/* NOP options */
	} else {
		static const uint8_t exts[] = { 0, 43, 60, 60, 51, 135, 44 };
		uint8_t *nh;

		ip = put_rnd(f, &len, 40);
		ip[0] = (uint8_t)(0x60 | (ip[0] & 0x0f));
		nh = ip + 6;
		next = rnd() % 3 == 0 ? (rnd() % 6 ? 1 + rnd() % 3 : 7 + rnd() % 3) : 0;
		for (i = 0; i < next; i++) {
			uint8_t t = exts[rnd() % (i == 0 ? 7 : 6) + (i == 0 ? 0 : 1)];
			uint8_t *e;

			if (t == 44 && rnd() % 2)	/* fragments are rare */
				t = 60;
			*nh = t;
			if (t == 51) {			/* AH: 24 bytes, RFC 4302 length 4 */
				e = put_rnd(f, &len, 24);
				e[1] = 4;
			} else if (t == 44) {
				e = put_rnd(f, &len, 8);
				e[2] = 0;
				e[3] = rnd() % 2;	/* M, offset 0 */
			} else {
				uint32_t n = 8 * (1 + rnd() % 3);

				e = put_rnd(f, &len, n);
				e[1] = (uint8_t)(n / 8 - 1);
				if (t == 43) {
					e[2] = 0;	/* type 0 routing, no segments */
					e[3] = 0;
				} else {
					e[2] = 1;	/* PadN */
					e[3] = (uint8_t)(n - 4);
					memset(e + 4, 0, n - 4);
				}
			}
			nh = e;
		}
		*nh = proto;
	}
	switch (proto) {
	case 47:
		k = put_gre(f, &len, rnd() % 4 == 0);
		break;
	case IPPROTO_UDP: {
		uint16_t port = ports[rnd() % 8];

		u = put_rnd(f, &len, 8);
		be16_put(u + 2, port);
		if (port == 4754) {
			k = put_gre(f, &len, false);
		} else if (port == 4789) {
			p = put_rnd(f, &len, 8);
			if (rnd() % 8)
				p[0] |= 0x08;
			else
				p[0] &= (uint8_t)~0x08;
			k = IN_ETH;
		} else if (port == 4790) {
			p = put_rnd(f, &len, 8);
			p[0] = rnd() % 10 ? 0x0c : (uint8_t)rnd();
			p[3] = (uint8_t)(rnd() % 8 ? 1 + rnd() % 3 : rnd());
			k = p[3] == 1 ? IN_IP4 : p[3] == 2 ? IN_IP6 : p[3] == 3 ? IN_ETH : IN_ANY;
		} else if (port == 6081) {
			uint32_t ol = rnd() % 4 ? rnd() % 4 : rnd() % 64;
			static const uint16_t gp[] = { 0x6558, 0x0800, 0x86dd, 0x8847 };
			uint16_t t = gp[rnd() % 4];

			p = put_rnd(f, &len, 8);
			p[0] = (uint8_t)((rnd() % 10 ? 0 : 0x40 << (rnd() % 2)) | ol);
			be16_put(p + 2, t);
			if (ol <= 8 || rnd() % 2)	/* options in the frame, or not */
				put_rnd(f, &len, 4 * (ol <= 8 ? ol : rnd() % ol));
			k = t == 0x6558 ? IN_ETH : t == 0x0800 ? IN_IP4 :
			    t == 0x86dd ? IN_IP6 : IN_ANY;
		} else {
			k = IN_ETH;
		}
		break;
	}
	case 4:
		k = IN_IP4;
		break;
	case 41:
		k = IN_IP6;
		break;
	default:
		k = IN_ETH;	/* some bytes */
		break;
	}
	put_inner(f, &len, cap, k == IN_ANY ? (rnd() % 2 ? IN_ETH : IN_IP4) : k, depth);
	/* the lengths: true, or lying */
	if (u != NULL)
		be16_put(u + 4, rnd() % 8 ? len - (uint32_t)(u - f) : rnd() % 2000);
	if (!v6) {
		uint32_t tot = len - ip_off;

		if (rnd() % 10 == 0)
			tot = rnd() % 3 == 0 ? 0 : (rnd() % 2 ? rnd() % (tot + 1) : tot + rnd() % 100);
		be16_put(ip + 2, tot);
	} else {
		uint32_t pl = len - ip_off - 40;

		if (rnd() % 10 == 0)
			pl = rnd() % 3 == 0 ? 0 : (rnd() % 2 ? rnd() % (pl + 1) : pl + rnd() % 100);
		be16_put(ip + 4, pl);
	}
	/* cut short now and then (tags stay whole for skb_vlan_untag()) */
	cut = whole_tags ? ip_off : 14;
	if (depth == 0 && len > cut && rnd() % 10 == 0)
		len = cut + rnd() % (len - cut);
	return len;
}

uint32_t
rnd_tunnel_frame(uint8_t *buf, uint32_t cap, bool whole_tags)
{
	static const uint16_t gre_forms[] = { 0, 0x2000, 0x1000, 0x8000, 0xb000, 0x3000 };
	uint8_t inner[300];
	struct pkt_tnl t;
	uint32_t ilen, len, min;

	if (cap < 400) {
		fprintf(stderr, "rnd_tunnel_frame: a %u-byte buffer is too small\n", cap);
		abort();
	}
	/* half of them laid out byte by byte, where hostile frames come from */
	if (cap >= 700 && rnd() % 2)
		return raw_tunnel_frame(buf, cap < 1514 ? cap : 1514, 0, whole_tags);
	ilen = rnd_frame(inner, sizeof(inner), false);
	memset(&t, 0, sizeof(t));
	t.kind = (uint8_t)(rnd() % PKT_TNL_COUNT);
	t.ipver = rnd() % 2 ? 4 : 6;
	t.nvlan = (uint8_t)(rnd() % 4 == 0);
	rnd_addr(t.src);
	rnd_addr(t.dst);
	t.sport = (uint16_t)rnd();
	t.inner_eth = rnd() % 2;
	t.gre_flags = gre_forms[rnd() % RTE_DIM(gre_forms)];
	t.geneve_opt = (uint8_t)(rnd() % 4 ? rnd() % 4 : rnd() % 64);
	switch (rnd() % 16) {	/* now and then a malformed or near-miss one */
	case 0:
		t.gre_flags = (uint16_t)rnd();
		break;
	case 1:
		t.proto = (uint16_t)rnd();
		break;
	case 2:
		t.raw_flags0 = true;
		t.flags0 = (uint8_t)rnd();
		break;
	case 3:
		t.dport = (uint16_t)(rnd() % 2 ? rnd() : 4789 + rnd() % 2);
		break;
	case 4:
		t.ip4_frag = rnd() % 2 ? 0x2000 : (uint16_t)(1 + rnd() % 100);
		break;
	case 5:
		t.gpe_np = (uint8_t)rnd();
		break;
	default:
		break;
	}
	len = pkt_encap(&t, inner, ilen, buf, cap);
	if (len == 0)
		return rnd_frame(buf, cap, whole_tags);
	min = whole_tags && t.nvlan ? 14u + 4u * t.nvlan + 2u : 14u;
	if (rnd() % 16 == 0)		/* a flipped byte in the outer headers */
		buf[min + rnd() % RTE_MIN(len - min, 60u)] ^= (uint8_t)(1u << (rnd() % 8));
	if (len > min && rnd() % 8 == 0)	/* cut somewhere */
		len = min + rnd() % (len - min);
	return len;
}

uint32_t
rnd_tunnels(void)
{
	uint32_t t = rnd() % 3 == 0 ? VNET_HASH_TUNNEL_ALL : rnd() & VNET_HASH_TUNNEL_ALL;

	return t ? t : VNET_HASH_TUNNEL_ALL;
}
