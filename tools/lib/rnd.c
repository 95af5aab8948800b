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
