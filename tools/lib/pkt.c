/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 hashtap authors
 */

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>

#include <rte_mbuf.h>

#include "pkt.h"

struct out {
	uint8_t *b;
	uint32_t len, cap;
	bool full;
};

static uint8_t *
put(struct out *o, uint32_t n)
{
	uint8_t *p;

	if (o->full || o->len + n > o->cap) {
		o->full = true;
		return NULL;
	}
	p = o->b + o->len;
	memset(p, 0, n);
	o->len += n;
	return p;
}

static void
be16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static uint16_t
ip4_csum(const uint8_t *p, uint32_t n)
{
	uint32_t s = 0, i;

	for (i = 0; i + 1 < n; i += 2)
		s += (uint32_t)p[i] << 8 | p[i + 1];
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

static uint32_t
l4_len(uint8_t proto)
{
	return proto == IPPROTO_TCP ? 20 : proto == IPPROTO_UDP ? 8 :
		proto == IPPROTO_ICMP || proto == IPPROTO_ICMPV6 ? 8 : 0;
}

static void
put_l4(struct out *o, const struct pkt_spec *s)
{
	uint32_t n = l4_len(s->l4);
	uint8_t *p = n ? put(o, n) : NULL;

	if (p != NULL) {
		if (s->l4 == IPPROTO_TCP || s->l4 == IPPROTO_UDP) {
			be16(p, s->sport);
			be16(p + 2, s->dport);
		}
		if (s->l4 == IPPROTO_TCP) {
			p[12] = 5 << 4;		/* data offset */
			p[13] = 0x10;		/* ACK */
			be16(p + 14, 65535);
		} else if (s->l4 == IPPROTO_UDP) {
			be16(p + 4, (uint16_t)(8 + s->payload));
		} else {
			p[0] = s->l4 == IPPROTO_ICMP ? 8 : 128;	/* echo request */
		}
	}
	p = put(o, s->payload);
	if (p != NULL)
		memset(p, 0xa5, s->payload);
}

static void
put_ext(struct out *o, const struct pkt_ext *e, uint8_t next)
{
	uint8_t *p;

	switch (e->proto) {
	case IPPROTO_FRAGMENT:
		p = put(o, 8);
		if (p == NULL)
			return;
		p[0] = next;
		be16(p + 2, (uint16_t)(e->frag_off << 3 | (e->more ? 1 : 0)));
		p[4] = 0x12, p[5] = 0x34, p[6] = 0x56, p[7] = 0x78;	/* id */
		return;
	case IPPROTO_ROUTING:
		p = put(o, 24);
		if (p == NULL)
			return;
		p[0] = next;
		p[1] = 2;		/* (2 + 1) * 8 = 24 bytes */
		p[2] = e->rt_type;
		p[3] = e->rt_done ? 0 : 1;	/* segments left */
		memcpy(p + 8, e->addr, 16);
		return;
	case IPPROTO_AH:
		p = put(o, 24);
		if (p == NULL)
			return;
		p[0] = next;
		p[1] = 4;		/* RFC 4302: (4 + 2) * 4 = 24 bytes */
		p[7] = 1;		/* SPI 1; sequence and ICV zero */
		return;
	case 135:		/* Mobility: a Binding Refresh Request */
		p = put(o, 8);
		if (p == NULL)
			return;
		p[0] = next;		/* payload proto: RFC 6275 says 59 */
		return;
	default:	/* hop-by-hop or destination options */
		if (e->proto == IPPROTO_DSTOPTS && e->hao) {
			p = put(o, 24);
			if (p == NULL)
				return;
			p[0] = next;
			p[1] = 2;
			p[2] = 1, p[3] = 2;	/* PadN, 2 bytes: HAO at 8n+6 */
			p[6] = 0xc9, p[7] = 16;	/* Home Address */
			memcpy(p + 8, e->addr, 16);
		} else {
			p = put(o, 8);
			if (p == NULL)
				return;
			p[0] = next;
			p[2] = 1, p[3] = 4;	/* PadN, 4 bytes */
		}
		return;
	}
}

uint32_t
pkt_build(const struct pkt_spec *s, uint8_t *buf, uint32_t cap)
{
	struct out o = { buf, 0, cap, false };
	uint16_t type = s->ethertype;
	uint8_t *eth, *ip;
	uint32_t i, ip_off;

	eth = put(&o, 12);
	if (eth == NULL)
		return 0;
	memcpy(eth, "\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01", 12);
	if (type == 0)
		type = s->ipver == 6 ? 0x86dd : 0x0800;
	for (i = 0; i < s->nvlan && i < 3; i++) {
		uint8_t *t = put(&o, 4);

		if (t == NULL)
			return 0;
		be16(t, s->tpid[i]);
		be16(t + 2, (uint16_t)(100 + i));	/* VID */
	}
	if ((eth = put(&o, 2)) == NULL)
		return 0;
	be16(eth, type);
	ip_off = o.len;

	if (s->ipver == 4) {
		uint32_t ihl = 20 + 4u * s->ip4_opt_words;

		ip = put(&o, ihl);
		if (ip == NULL)
			return 0;
		ip[0] = (uint8_t)(0x40 | ihl / 4);
		be16(ip + 4, 0x1234);
		be16(ip + 6, s->ip4_frag);
		ip[8] = 64;
		ip[9] = s->l4;
		memcpy(ip + 12, s->src, 4);
		memcpy(ip + 16, s->dst, 4);
		for (i = 20; i < ihl; i++)
			ip[i] = 1;	/* NOP options */
		put_l4(&o, s);
		if (o.full)
			return 0;
		be16(ip + 2, (uint16_t)(o.len - ip_off));
		be16(ip + 10, ip4_csum(ip, ihl));
	} else if (s->ipver == 6) {
		ip = put(&o, 40);
		if (ip == NULL)
			return 0;
		ip[0] = 0x60;
		ip[6] = s->next > 0 ? s->ext[0].proto : s->l4;
		ip[7] = 64;
		memcpy(ip + 8, s->src, 16);
		memcpy(ip + 24, s->dst, 16);
		for (i = 0; i < s->next && i < PKT_MAX_EXT; i++)
			put_ext(&o, &s->ext[i], i + 1 < s->next ? s->ext[i + 1].proto : s->l4);
		put_l4(&o, s);
		if (o.full)
			return 0;
		be16(ip + 4, (uint16_t)(o.len - ip_off - 40));
	} else {
		uint8_t *p = put(&o, 28 + s->payload);	/* some non-IP payload */

		if (p != NULL)
			memset(p, 0x5a, 28 + s->payload);
	}
	if (put(&o, s->pad) == NULL && s->pad > 0)
		return 0;
	return o.full ? 0 : o.len;
}

static const uint16_t tnl_port[PKT_TNL_COUNT] = {
	[PKT_TNL_GRE_UDP] = 4754, [PKT_TNL_VXLAN] = 4789,
	[PKT_TNL_VXLAN_GPE] = 4790, [PKT_TNL_GENEVE] = 6081,
};

/* The GRE header of @p t for a payload of EtherType @p proto. */
static void
put_gre(struct out *o, const struct pkt_tnl *t, uint16_t proto)
{
	uint16_t f = t->kind == PKT_TNL_NVGRE ? 0x2000 : t->gre_flags;
	uint32_t n = 4 + (f & 0x8000 ? 4 : 0) + (f & 0x2000 ? 4 : 0) + (f & 0x1000 ? 4 : 0);
	uint8_t *p = put(o, n);

	if (p == NULL)
		return;
	be16(p, f);
	be16(p + 2, proto);
	n = 4;
	if (f & 0x8000)
		n += 4;		/* checksum (not checked by anyone here) + reserved1 */
	if (f & 0x2000) {	/* key: NVGRE's VSID 0x123456, FlowID 0x78 */
		p[n] = 0x12, p[n + 1] = 0x34, p[n + 2] = 0x56, p[n + 3] = 0x78;
		n += 4;
	}
	if (f & 0x1000)
		p[n + 3] = 1;	/* sequence number */
}

uint32_t
pkt_encap(const struct pkt_tnl *t, const uint8_t *inner, uint32_t inner_len,
	  uint8_t *buf, uint32_t cap)
{
	struct out o = { buf, 0, cap, false };
	bool eth = t->kind == PKT_TNL_VXLAN || t->kind == PKT_TNL_NVGRE ||
		(t->inner_eth && t->kind != PKT_TNL_IPIP);
	uint16_t inner_type, proto;
	uint32_t ip_at, l4_at, i, plen;
	uint8_t *p, ipproto;
	const uint8_t *pl = eth ? inner : inner + 14;
	uint32_t pl_len = eth ? inner_len : inner_len - 14;

	if (inner_len < 14 || t->kind >= PKT_TNL_COUNT || t->nvlan > 2)
		return 0;
	inner_type = (uint16_t)(inner[12] << 8 | inner[13]);
	proto = t->proto != 0 ? t->proto : eth ? 0x6558 : inner_type;
	p = put(&o, 12 + 4 * t->nvlan + 2);
	if (p == NULL)
		return 0;
	memcpy(p, "\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01", 12);
	for (i = 0; i < t->nvlan; i++) {
		be16(p + 12 + 4 * i, 0x8100);
		be16(p + 14 + 4 * i, (uint16_t)(100 + i));
	}
	be16(p + 12 + 4 * t->nvlan, t->ipver == 6 ? 0x86dd : 0x0800);
	ip_at = o.len;
	ipproto = t->kind == PKT_TNL_IPIP ? (inner_type == 0x86dd ? 41 : 4) :
		t->kind == PKT_TNL_GRE || t->kind == PKT_TNL_NVGRE ? 47 : 17;
	p = put(&o, t->ipver == 6 ? 40 : 20);
	if (p == NULL)
		return 0;
	if (t->ipver == 6) {
		p[0] = 0x60;
		p[6] = ipproto;
		p[7] = 64;
		memcpy(p + 8, t->src, 16);
		memcpy(p + 24, t->dst, 16);
	} else {
		p[0] = 0x45;
		be16(p + 6, t->ip4_frag);
		p[8] = 64;
		p[9] = ipproto;
		memcpy(p + 12, t->src, 4);
		memcpy(p + 16, t->dst, 4);
	}
	l4_at = o.len;
	switch (t->kind) {
	case PKT_TNL_GRE:
	case PKT_TNL_NVGRE:
		put_gre(&o, t, proto);
		break;
	case PKT_TNL_IPIP:
		break;
	default:
		p = put(&o, 8);
		if (p == NULL)
			return 0;
		be16(p, t->sport);
		be16(p + 2, t->dport != 0 ? t->dport : tnl_port[t->kind]);
		if (t->kind == PKT_TNL_GRE_UDP) {
			put_gre(&o, t, proto);
			break;
		}
		p = put(&o, 8 + (t->kind == PKT_TNL_GENEVE ? 4u * t->geneve_opt : 0));
		if (p == NULL)
			return 0;
		if (t->kind == PKT_TNL_VXLAN) {
			p[0] = 0x08;				/* I */
		} else if (t->kind == PKT_TNL_VXLAN_GPE) {
			p[0] = 0x0c;				/* I, P */
			p[3] = t->gpe_np != 0 ? t->gpe_np :
				eth ? 3 : inner_type == 0x86dd ? 2 : 1;
		} else {
			p[0] = (uint8_t)(t->geneve_opt & 0x3f);
			be16(p + 2, proto);
			for (i = 0; i < t->geneve_opt; i++)	/* class 0x0101, len 0 */
				p[8 + 4 * i] = 1, p[9 + 4 * i] = 1;
		}
		if (t->raw_flags0)
			p[0] = t->flags0;
		p[4] = 0x00, p[5] = 0x10, p[6] = 0x01;		/* VNI 0x1001 */
		break;
	}
	p = put(&o, pl_len);
	if (p == NULL)
		return 0;
	memcpy(p, pl, pl_len);
	plen = o.len - ip_at;
	if (t->ipver == 6) {
		be16(buf + ip_at + 4, (uint16_t)(plen - 40));
	} else {
		be16(buf + ip_at + 2, (uint16_t)plen);
		be16(buf + ip_at + 10, ip4_csum(buf + ip_at, 20));
	}
	if (t->kind != PKT_TNL_GRE && t->kind != PKT_TNL_NVGRE && t->kind != PKT_TNL_IPIP)
		be16(buf + l4_at + 4, (uint16_t)(o.len - l4_at));
	return o.full ? 0 : o.len;
}

int
pkt_addr(const char *text, uint8_t a[16])
{
	memset(a, 0, 16);
	if (inet_pton(AF_INET, text, a) == 1)
		return 4;
	if (inet_pton(AF_INET6, text, a) == 1)
		return 16;
	return 0;
}

void
pkt_mbuf_wrap(struct rte_mbuf *m, const uint8_t *b, uint32_t len, uint32_t split)
{
	memset(m, 0, 2 * sizeof(m[0]));
	if (split == 0 || split >= len)
		split = len;
	m[0].buf_addr = (void *)(uintptr_t)b;
	m[0].buf_len = (uint16_t)split;
	m[0].data_len = (uint16_t)split;
	m[0].pkt_len = len;
	m[0].nb_segs = 1;
	if (split == len)
		return;
	m[0].nb_segs = 2;
	m[0].next = &m[1];
	m[1].buf_addr = (void *)(uintptr_t)(b + split);
	m[1].buf_len = (uint16_t)(len - split);
	m[1].data_len = (uint16_t)(len - split);
	m[1].nb_segs = 1;
}
