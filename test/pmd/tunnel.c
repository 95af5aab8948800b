/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 hashtap authors
 *
 * Inner-header hash (RSS level INNERMOST, docs/tunnel-hash.md): tunnelled
 * frames of every type into a tap.  The port's hash and packet type are
 * lib/vnet_hash's (vnet_hash_classify_tunnel() on the same bytes), and
 * independently of the tunnel classifier: with level INNERMOST a frame of
 * an enabled type hashes as its inner frame alone (the ordinary
 * classifier, checked against the Microsoft vectors elsewhere), any other
 * frame as the whole frame; which frames are which type is this file's
 * table, written from the RFCs.  devargs tunnel_types= narrows the types;
 * bad levels are refused and change nothing; a tunnel's inner flows spread
 * over the RETA's queues where one outer flow puts them on one.
 */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <netinet/in.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <linux/if_tun.h>

#include <rte_ethdev.h>
#include <rte_mbuf.h>

#include "pkt.h"
#include "port.h"
#include "rte_pmd_hashtap.h"
#include "rnd.h"
#include "check.h"
#include "vnet_hash.h"
#include "vnet_hash_tun.h"
#include "tun_vnet_hash_uapi.h"
#include "rig.h"

#define TNL_NQ	4

/* A tunnelled frame: the outer header, the inner frame, the types it is. */
struct tcase {
	const char *name;
	struct pkt_tnl t;
	uint8_t inner;		/* 0 IPv4/TCP, 1 IPv6/UDP, 2 VLAN/IPv4/UDP (Ethernet only) */
	uint32_t types;		/* VNET_HASH_TUNNEL_* it is (0: none: hashed outer) */
};

#define V4 .ipver = 4
#define V6 .ipver = 6
#define GRE_C 0x8000
#define GRE_K 0x2000
#define GRE_S 0x1000
static const struct tcase tcases[] = {
	{ "GRE/IPv4 (RFC 2784), inner IPv4/TCP", { PKT_TNL_GRE, V4 }, 0, VNET_HASH_TUNNEL_GRE_2784 },
	{ "GRE/IPv4 TEB, inner VLAN/IPv4/UDP", { PKT_TNL_GRE, V4, .inner_eth = true }, 2,
	  VNET_HASH_TUNNEL_GRE_2784 },
	{ "GRE/IPv4 key (RFC 2890), inner IPv6/UDP", { PKT_TNL_GRE, V4, .gre_flags = GRE_K }, 1,
	  VNET_HASH_TUNNEL_GRE_2890 },
	{ "GRE/IPv4 checksum+sequence (RFC 2890), inner IPv4/TCP",
	  { PKT_TNL_GRE, V4, .gre_flags = GRE_C | GRE_S }, 0, VNET_HASH_TUNNEL_GRE_2890 },
	{ "GRE/IPv6 (RFC 7676), inner IPv6/UDP", { PKT_TNL_GRE, V6 }, 1, VNET_HASH_TUNNEL_GRE_7676 },
	{ "GRE/IPv4, reserved bits 6-12 set (ignored, RFC 2784)", { PKT_TNL_GRE, V4,
	  .gre_flags = 0x03f8 }, 0, VNET_HASH_TUNNEL_GRE_2784 },
	{ "GRE/IPv6 key, inner IPv4/TCP", { PKT_TNL_GRE, V6, .gre_flags = GRE_K }, 0,
	  VNET_HASH_TUNNEL_GRE_7676 },
	{ "GRE-in-UDP/IPv4 (RFC 8086), inner IPv4/TCP", { PKT_TNL_GRE_UDP, V4, .sport = 50000 }, 0,
	  VNET_HASH_TUNNEL_GRE_UDP },
	{ "GRE-in-UDP/IPv6 key, inner IPv6/UDP", { PKT_TNL_GRE_UDP, V6, .sport = 50001,
	  .gre_flags = GRE_K }, 1, VNET_HASH_TUNNEL_GRE_UDP },
	{ "VXLAN/IPv4, inner IPv4/TCP", { PKT_TNL_VXLAN, V4, .sport = 40000 }, 0,
	  VNET_HASH_TUNNEL_VXLAN },
	{ "VXLAN/IPv6 over a VLAN, inner VLAN/IPv4/UDP", { PKT_TNL_VXLAN, V6, .nvlan = 1,
	  .sport = 40001 }, 2, VNET_HASH_TUNNEL_VXLAN },
	{ "VXLAN-GPE/IPv4, inner IPv4 (next protocol 1)", { PKT_TNL_VXLAN_GPE, V4, .sport = 40002 },
	  0, VNET_HASH_TUNNEL_VXLAN_GPE },
	{ "VXLAN-GPE/IPv6, inner IPv6 (next protocol 2)", { PKT_TNL_VXLAN_GPE, V6, .sport = 40003 },
	  1, VNET_HASH_TUNNEL_VXLAN_GPE },
	{ "VXLAN-GPE/IPv4, inner Ethernet (next protocol 3)", { PKT_TNL_VXLAN_GPE, V4,
	  .sport = 40004, .inner_eth = true }, 0, VNET_HASH_TUNNEL_VXLAN_GPE },
	{ "GENEVE/IPv4, 2 option words, inner Ethernet", { PKT_TNL_GENEVE, V4, .sport = 40005,
	  .geneve_opt = 2, .inner_eth = true }, 2, VNET_HASH_TUNNEL_GENEVE },
	{ "GENEVE/IPv6, inner IPv6 (0x86dd)", { PKT_TNL_GENEVE, V6, .sport = 40006 }, 1,
	  VNET_HASH_TUNNEL_GENEVE },
	{ "GENEVE/IPv4, 63 option words, inner IPv4", { PKT_TNL_GENEVE, V4, .sport = 40007,
	  .geneve_opt = 63 }, 0, VNET_HASH_TUNNEL_GENEVE },
	{ "IPIP 4in4 (RFC 2003)", { PKT_TNL_IPIP, V4 }, 0, VNET_HASH_TUNNEL_IPIP },
	{ "IPIP 6in4 (sit)", { PKT_TNL_IPIP, V4 }, 1, VNET_HASH_TUNNEL_IPIP },
	{ "IPIP 4in6", { PKT_TNL_IPIP, V6 }, 0, VNET_HASH_TUNNEL_IPIP },
	{ "IPIP 6in6 (RFC 2473)", { PKT_TNL_IPIP, V6 }, 1, VNET_HASH_TUNNEL_IPIP },
	{ "NVGRE/IPv4 (RFC 7637)", { PKT_TNL_NVGRE, V4 }, 0,
	  VNET_HASH_TUNNEL_GRE_2890 | VNET_HASH_TUNNEL_NVGRE },
	{ "NVGRE/IPv6", { PKT_TNL_NVGRE, V6 }, 1, VNET_HASH_TUNNEL_GRE_7676 | VNET_HASH_TUNNEL_NVGRE },
	/* not tunnels by docs/tunnel-hash.md: hashed on the outer header */
	{ "VXLAN without the I flag", { PKT_TNL_VXLAN, V4, .sport = 40010, .raw_flags0 = true,
	  .flags0 = 0x40 }, 0, 0 },
	{ "VXLAN to UDP port 4788", { PKT_TNL_VXLAN, V4, .sport = 40011, .dport = 4788 }, 0, 0 },
	{ "VXLAN from UDP port 4789 to 4788", { PKT_TNL_VXLAN, V4, .sport = 4789, .dport = 4788 },
	  0, 0 },
	{ "GRE with the R bit (0x4000, RFC 1701)", { PKT_TNL_GRE, V4, .gre_flags = 0x4000 }, 0, 0 },
	{ "GRE with the s bit (0x0800, RFC 1701)", { PKT_TNL_GRE, V4, .gre_flags = 0x0800 }, 0, 0 },
	{ "GRE version 1 (PPTP)", { PKT_TNL_GRE, V4, .gre_flags = 0x0001 }, 0, 0 },
	{ "GRE with protocol 0x88be (ERSPAN)", { PKT_TNL_GRE, V4, .proto = 0x88be,
	  .inner_eth = true }, 0, 0 },
	{ "VXLAN-GPE with next protocol 4 (NSH)", { PKT_TNL_VXLAN_GPE, V4, .sport = 40012,
	  .gpe_np = 4, .inner_eth = true }, 0, 0 },
	{ "GENEVE with protocol 0x88cc", { PKT_TNL_GENEVE, V4, .sport = 40013, .proto = 0x88cc,
	  .inner_eth = true }, 0, 0 },
	{ "VXLAN in an outer IPv4 fragment (MF)", { PKT_TNL_VXLAN, V4, .sport = 40014,
	  .ip4_frag = 0x2000 }, 0, 0 },
};
#undef V4
#undef V6

/* The inner frame of kind k for inner flow f. */
static uint32_t
inner_frame(unsigned int k, unsigned int f, uint8_t *buf, uint32_t cap)
{
	struct pkt_spec s;

	memset(&s, 0, sizeof(s));
	s.sport = (uint16_t)(1024 + f);
	s.dport = 80;
	s.payload = 20;
	if (k == 1) {
		s.ipver = 6;
		s.l4 = IPPROTO_UDP;
		pkt_addr("2001:db8:1::10", s.src);
		pkt_addr("2001:db8:2::20", s.dst);
	} else {
		s.ipver = 4;
		s.l4 = k == 0 ? IPPROTO_TCP : IPPROTO_UDP;
		pkt_addr("172.16.0.10", s.src);
		pkt_addr("172.16.9.20", s.dst);
		if (k == 2) {
			s.nvlan = 1;
			s.tpid[0] = 0x8100;
		}
	}
	return pkt_build(&s, buf, cap);
}

/* Test case c's frame for inner flow f into buf; the inner frame into in. */
static uint32_t
tcase_frame(const struct tcase *c, unsigned int f, uint8_t *buf, uint32_t cap, uint8_t *in,
	    uint32_t *in_len)
{
	struct pkt_tnl t = c->t;

	if (t.ipver == 6) {
		pkt_addr("2001:db8:aaaa::1", t.src);
		pkt_addr("2001:db8:bbbb::2", t.dst);
	} else {
		pkt_addr("198.51.100.1", t.src);
		pkt_addr("198.51.100.2", t.dst);
	}
	*in_len = inner_frame(c->inner, f, in, 2048);
	return pkt_encap(&t, in, *in_len, buf, cap);
}

/* What the test expects for a frame, from lib and independently. */
struct want {
	unsigned int report;
	uint32_t hash, ptype, tunnel;
};

/*
 * lib/vnet_hash's answer for frame under tunnels, checked against the
 * independent one: a frame of the enabled types in types hashes as its
 * inner frame alone, any other as the whole frame (the ordinary rules).
 * False (said) if they disagree.
 */
static bool
expect(const char *what, const struct vnet_hash_key *key, uint32_t tunnels, uint32_t types,
       const uint8_t *f, uint32_t len, const uint8_t *in, uint32_t in_len, struct want *w)
{
	struct vnet_hash_tuple t;
	unsigned int ir;
	uint32_t ih = 0;
	bool inner = (types & tunnels) != 0;

	memset(w, 0, sizeof(*w));
	w->report = vnet_hash_classify_tunnel(f, len, VNET_HASH_TYPE_ALL, tunnels, &t);
	if (w->report != VNET_HASH_REPORT_NONE)
		w->hash = vnet_hash_toeplitz(key, &t);
	w->ptype = t.ptype;
	w->tunnel = t.tunnel;
	ir = inner ? vnet_hash_frame(key, VNET_HASH_TYPE_ALL, in, in_len, &ih) :
		vnet_hash_frame(key, VNET_HASH_TYPE_ALL, f, len, &ih);
	if (ir != w->report || ih != w->hash || t.tunnel != (types & tunnels) ||
	    (inner && (t.ptype & RTE_PTYPE_TUNNEL_MASK) == 0) ||
	    (!inner && (t.ptype & (RTE_PTYPE_TUNNEL_MASK | RTE_PTYPE_INNER_L3_MASK)) != 0)) {
		check_diag("%s: lib/vnet_hash gives %s/0x%08x tunnel 0x%x ptype 0x%x; the %s frame alone hashes %s/0x%08x, types 0x%x expected",
			   what, vnet_hash_report_name(w->report), w->hash, t.tunnel, t.ptype,
			   inner ? "inner" : "whole", vnet_hash_report_name(ir), ih,
			   types & tunnels);
		return false;
	}
	return true;
}

/* Every packet_type a port handed over (ptype_supported() checks them). */
static uint32_t seen_ptype[256];
static unsigned int n_seen;

static void
ptype_seen(uint32_t pt)
{
	unsigned int i;

	for (i = 0; i < n_seen; i++)
		if (seen_ptype[i] == pt)
			return;
	if (n_seen < RTE_DIM(seen_ptype))
		seen_ptype[n_seen++] = pt;
}

/* Each layer of each packet type seen is one dev_supported_ptypes_get() names. */
static bool
ptype_supported(uint16_t port)
{
	static const uint32_t layers[] = {
		RTE_PTYPE_L2_MASK, RTE_PTYPE_L3_MASK, RTE_PTYPE_L4_MASK, RTE_PTYPE_TUNNEL_MASK,
		RTE_PTYPE_INNER_L2_MASK, RTE_PTYPE_INNER_L3_MASK, RTE_PTYPE_INNER_L4_MASK,
	};
	uint32_t sup[64];
	int n = rte_eth_dev_get_supported_ptypes(port, RTE_PTYPE_ALL_MASK, sup, RTE_DIM(sup));
	unsigned int i, l;
	int k;

	if (n <= 0)
		return false;
	for (i = 0; i < n_seen; i++)
		for (l = 0; l < RTE_DIM(layers); l++) {
			uint32_t v = seen_ptype[i] & layers[l];

			for (k = 0; v != 0 && k < n && sup[k] != v; k++)
				;
			if (v != 0 && k == n) {
				check_diag("ptype 0x%x: layer 0x%x not among the %d supported", seen_ptype[i], v, n);
				return false;
			}
		}
	return true;
}

/* Send f and compare what the port hands over with w; its queue in *qid. */
static bool
rx_tnl(const char *what, uint16_t port, int pkt, const struct sockaddr_ll *to, const uint8_t *f,
       uint32_t len, const struct want *w, uint16_t *qid, uint32_t *hash)
{
	struct rte_mbuf *m;
	uint32_t want_ptype = w->ptype, mask = UINT32_MAX;
	bool ok;

	if (sendto(pkt, f, len, 0, (const struct sockaddr *)to, sizeof(*to)) != (ssize_t)len) {
		check_diag("%s: send: %s", what, strerror(errno));
		return false;
	}
	m = port_rx_match(port, TNL_NQ, f, len, 2000, qid, NULL);
	if (m == NULL) {
		check_diag("%s: never arrived", what);
		return false;
	}
	/* the kernel's report alone says L3/L4 (the inner ones for a tunnel,
	 * where the driver classifies for the whole type) */
	if (kernel_src && w->tunnel == 0) {
		want_ptype = vnet_hash_report_to_ptype(w->report);
		mask = RTE_PTYPE_L3_MASK | RTE_PTYPE_L4_MASK;
	}
	ok = ((m->ol_flags & RTE_MBUF_F_RX_RSS_HASH) != 0) == (w->report != VNET_HASH_REPORT_NONE) &&
		(w->report == VNET_HASH_REPORT_NONE || m->hash.rss == w->hash) &&
		(m->packet_type & mask) == (want_ptype & mask);
	if (!ok)
		check_diag("%s: port gave flag %d hash 0x%08x ptype 0x%x; lib/vnet_hash: %s 0x%08x ptype 0x%x",
			   what, (m->ol_flags & RTE_MBUF_F_RX_RSS_HASH) != 0, m->hash.rss,
			   m->packet_type, vnet_hash_report_name(w->report), w->hash, want_ptype);
	if (hash != NULL)
		*hash = m->hash.rss;
	ptype_seen(m->packet_type);
	rte_pktmbuf_free(m);
	return ok;
}

/* Every case of the table under tunnels (the port's level in force). */
static unsigned int
rx_table(const char *what, uint16_t port, int pkt, const struct sockaddr_ll *to,
	 const struct vnet_hash_key *key, uint32_t tunnels, unsigned int *inner)
{
	static uint8_t f[4096], in[2048];
	unsigned int i, bad = 0;

	*inner = 0;
	for (i = 0; i < RTE_DIM(tcases); i++) {
		const struct tcase *c = &tcases[i];
		char nm[160];
		struct want w;
		uint32_t len, in_len;
		uint16_t q;

		snprintf(nm, sizeof(nm), "%s: %s", what, c->name);
		len = tcase_frame(c, i, f, sizeof(f), in, &in_len);
		if (len == 0) {
			check_diag("%s: frame not built", nm);
			bad++;
			continue;
		}
		*inner += (c->types & tunnels) != 0;
		if (!expect(nm, key, tunnels, c->types, f, len, in, in_len, &w) ||
		    !rx_tnl(nm, port, pkt, to, f, len, &w, &q, NULL))
			bad++;
	}
	return bad;
}

/* The level the port says it has: rss_hash_conf_get()'s level bits. */
static uint64_t
level_of(uint16_t port)
{
	struct rte_eth_rss_conf rc = { 0 };

	if (rte_eth_dev_rss_hash_conf_get(port, &rc) != 0)
		return UINT64_MAX;
	return rc.rss_hf & RTE_ETH_RSS_LEVEL_MASK;
}

static void
t_tunnel(void)
{
	struct rte_mempool *mp = port_pool("tnl", 4096, 0);
	struct rte_eth_dev_info info;
	struct vnet_hash_key key;
	struct sockaddr_ll to;
	uint8_t raw[40];
	unsigned int bad, inner, i;
	uint64_t x0, x1, k0, k1, s0, s1;
	uint16_t port;
	int pkt = -1;

	kernel_src = guest;
	if (rig_tap("net_hashtap20", guest ? "iface=" TAP_A ",hash=kernel" : "iface=" TAP_A,
		    TNL_NQ, 0, mp, &port, &pkt, &to) != 0) {
		check_ok(false, "tunnel: rig up");
		goto out;
	}
	rte_eth_dev_info_get(port, &info);
	check_ok((info.flow_type_rss_offloads & RTE_ETH_RSS_LEVEL_MASK) == RTE_ETH_RSS_LEVEL_MASK,
		 "tunnel: flow_type_rss_offloads has the OUTERMOST and INNERMOST level bits (0x%" PRIx64 ")",
		 info.flow_type_rss_offloads);
	check_ok(rte_pmd_hashtap_tunnel_types(port, true) == (int)VNET_HASH_TUNNEL_ALL &&
		 rte_pmd_hashtap_tunnel_types(port, false) == 0,
		 "tunnel: every type available, none in force before level INNERMOST");
	vnet_hash_key_set(&key, vnet_hash_default_key, 40);

	/* the outer header, as today: PMD_DEFAULT and OUTERMOST */
	check_ok(set_rss_level(port, vnet_hash_default_key, VNET_HASH_TYPE_ALL, 0) == 0 &&
		 level_of(port) == 0, "tunnel: level PMD_DEFAULT taken, conf_get says so");
	bad = rx_table("level PMD_DEFAULT", port, pkt, &to, &key, 0, &inner);
	check_ok(bad == 0, "tunnel: level PMD_DEFAULT: %zu tunnelled frames hashed on the outer header, as lib/vnet_hash (%u wrong)",
		 RTE_DIM(tcases), bad);
	check_ok(set_rss_level(port, vnet_hash_default_key, VNET_HASH_TYPE_ALL,
			       RTE_ETH_RSS_LEVEL_OUTERMOST) == 0 &&
		 level_of(port) == RTE_ETH_RSS_LEVEL_OUTERMOST,
		 "tunnel: level OUTERMOST taken, conf_get says so");
	bad = rx_table("level OUTERMOST", port, pkt, &to, &key, 0, &inner);
	check_ok(bad == 0, "tunnel: level OUTERMOST: every tunnelled frame hashed on the outer header (%u wrong)",
		 bad);

	/* INNERMOST: every type the path supports */
	x0 = port_xstat(port, RTE_PMD_HASHTAP_XSTAT_RX_HASH_INNER);
	k0 = port_xstat(port, RTE_PMD_HASHTAP_XSTAT_RX_HASH_KERNEL);
	s0 = port_xstat(port, RTE_PMD_HASHTAP_XSTAT_RX_HASH_SOFTWARE);
	check_ok(set_rss_level(port, vnet_hash_default_key, VNET_HASH_TYPE_ALL,
			       RTE_ETH_RSS_LEVEL_INNERMOST) == 0 &&
		 level_of(port) == RTE_ETH_RSS_LEVEL_INNERMOST &&
		 rte_pmd_hashtap_tunnel_types(port, false) == (int)VNET_HASH_TUNNEL_ALL,
		 "tunnel: level INNERMOST taken, conf_get says so, every type in force");
	bad = rx_table("level INNERMOST", port, pkt, &to, &key, VNET_HASH_TUNNEL_ALL, &inner);
	check_ok(bad == 0, "tunnel: level INNERMOST: %u frames of the 9 types hashed on the inner frame, %zu others on the outer, as lib/vnet_hash (%u wrong)",
		 inner, RTE_DIM(tcases) - inner, bad);
	x1 = port_xstat(port, RTE_PMD_HASHTAP_XSTAT_RX_HASH_INNER);
	k1 = port_xstat(port, RTE_PMD_HASHTAP_XSTAT_RX_HASH_KERNEL);
	s1 = port_xstat(port, RTE_PMD_HASHTAP_XSTAT_RX_HASH_SOFTWARE);
	/* the kernel's own inner hash in the patched kernel (it names every
	 * type), the driver's on the host */
	check_ok(guest ? s1 == s0 && k1 - k0 >= RTE_DIM(tcases) :
		 k1 == k0 && s1 - s0 >= RTE_DIM(tcases),
		 "tunnel: level INNERMOST: every hash is the %s's (rx_hash_kernel +%" PRIu64 ", rx_hash_software +%" PRIu64 ")",
		 guest ? "kernel" : "driver", k1 - k0, s1 - s0);
	check_ok(x1 - x0 == inner, "tunnel: xstat %s counts the %u frames hashed inside (%" PRIu64 ")",
		 RTE_PMD_HASHTAP_XSTAT_RX_HASH_INNER, inner, x1 - x0);
	{
		static uint8_t frame[2048];
		struct rxcheck c = { 0 };
		const char *name;
		unsigned int k;

		for (k = 0; k < N_KINDS; k++) {
			uint32_t len = kind_frame(k, frame, &name);

			rx_one(&c, port, TNL_NQ, pkt, &to, frame, len, &key, VNET_HASH_TYPE_ALL, name,
			       -1, 0);
		}
		check_ok(c.bad == 0, "tunnel: level INNERMOST: %u frames without a tunnel hash as before",
			 c.n);
	}
	/* a new key and type set with it */
	rnd_seed(1601);
	for (i = 0; i < sizeof(raw); i++)
		raw[i] = (uint8_t)rnd();
	vnet_hash_key_set(&key, raw, sizeof(raw));
	check_ok(set_rss_level(port, raw, VNET_HASH_TYPE_ALL, RTE_ETH_RSS_LEVEL_INNERMOST) == 0,
		 "tunnel: INNERMOST with a random key");
	bad = rx_table("level INNERMOST, random key", port, pkt, &to, &key, VNET_HASH_TUNNEL_ALL,
		       &inner);
	check_ok(bad == 0, "tunnel: level INNERMOST, random key: every frame as lib/vnet_hash (%u wrong)",
		 bad);

	/* refused levels change nothing */
	{
		int e3 = set_rss_level(port, vnet_hash_default_key, VNET_HASH_TYPE_ALL,
				       RTE_ETH_RSS_LEVEL_MASK);

		check_ok(e3 == -EINVAL && level_of(port) == RTE_ETH_RSS_LEVEL_INNERMOST,
			 "tunnel: level 3 (RTE_ETH_RSS_LEVEL_MASK) refused (%d), INNERMOST still in force",
			 e3);
		bad = rx_table("after a refused level", port, pkt, &to, &key, VNET_HASH_TUNNEL_ALL,
			       &inner);
		check_ok(bad == 0, "tunnel: after the refused update, the random key and INNERMOST hash every frame (%u wrong)",
			 bad);
	}
	/* back to the outer header */
	vnet_hash_key_set(&key, vnet_hash_default_key, 40);
	check_ok(set_rss_level(port, vnet_hash_default_key, VNET_HASH_TYPE_ALL,
			       RTE_ETH_RSS_LEVEL_OUTERMOST) == 0 &&
		 rte_pmd_hashtap_tunnel_types(port, false) == 0,
		 "tunnel: back to OUTERMOST, no type in force");
	bad = rx_table("OUTERMOST again", port, pkt, &to, &key, 0, &inner);
	check_ok(bad == 0, "tunnel: OUTERMOST again: outer hashes (%u wrong)", bad);
	check_ok(n_seen > 0 && ptype_supported(port),
		 "tunnel: every layer of the %u packet types seen is one dev_supported_ptypes_get() names",
		 n_seen);
out:
	if (pkt >= 0)
		close(pkt);
	port_close("net_hashtap20", port);
	check_ok(rte_mempool_in_use_count(mp) == 0, "tunnel: mempool in use back to 0");
	rte_mempool_free(mp);
	test_sh("ip netns del " NS_A);
}

/* devargs tunnel_types=vxlan:ipip: those two hashed inside, the rest outside */
static void
t_tunnel_subset(void)
{
	const uint32_t sub = VNET_HASH_TUNNEL_VXLAN | VNET_HASH_TUNNEL_IPIP;
	struct rte_mempool *mp = port_pool("tnls", 4096, 0);
	struct rte_eth_conf conf = { 0 };
	struct vnet_hash_key key;
	struct sockaddr_ll to;
	unsigned int bad, inner;
	uint16_t port;
	int pkt = -1;

	kernel_src = guest;
	if (rig_tap("net_hashtap21", guest ? "iface=" TAP_A ",hash=kernel,tunnel_types=vxlan:IPIP" :
		    "iface=" TAP_A ",tunnel_types=vxlan:IPIP", TNL_NQ, 0, mp, &port, &pkt, &to) != 0) {
		check_ok(false, "tunnel subset: rig up");
		goto out;
	}
	check_ok(rte_pmd_hashtap_tunnel_types(port, true) == (int)sub,
		 "tunnel subset: tunnel_types=vxlan:IPIP gives VXLAN and IPIP (0x%x)",
		 rte_pmd_hashtap_tunnel_types(port, true));
	vnet_hash_key_set(&key, vnet_hash_default_key, 40);
	check_ok(set_rss_level(port, vnet_hash_default_key, VNET_HASH_TYPE_ALL,
			       RTE_ETH_RSS_LEVEL_INNERMOST) == 0,
		 "tunnel subset: level INNERMOST taken");
	bad = rx_table("tunnel_types=vxlan:ipip", port, pkt, &to, &key, sub, &inner);
	check_ok(bad == 0 && inner == 6,
		 "tunnel subset: the %u VXLAN and IPIP frames hashed inside, every other type outside, as lib/vnet_hash (%u wrong)",
		 inner, bad);
	/* a configure with INNERMOST in rss_hf (not an update) */
	rte_eth_dev_stop(port);
	conf.rxmode.offloads = RTE_ETH_RX_OFFLOAD_RSS_HASH;
	conf.rxmode.mq_mode = RTE_ETH_MQ_RX_RSS;
	conf.rx_adv_conf.rss_conf.rss_hf = RTE_ETH_RSS_IP | RTE_ETH_RSS_TCP | RTE_ETH_RSS_UDP |
		RTE_ETH_RSS_LEVEL_INNERMOST;
	check_ok(rte_eth_dev_configure(port, TNL_NQ, TNL_NQ, &conf) == 0 &&
		 rte_eth_dev_start(port) == 0 && level_of(port) == RTE_ETH_RSS_LEVEL_INNERMOST &&
		 rte_pmd_hashtap_tunnel_types(port, false) == (int)sub,
		 "tunnel subset: dev_configure with level INNERMOST in rss_hf");
	bad = rx_table("configured INNERMOST", port, pkt, &to, &key, sub, &inner);
	check_ok(bad == 0, "tunnel subset: configured INNERMOST: as lib/vnet_hash (%u wrong)", bad);
out:
	if (pkt >= 0)
		close(pkt);
	port_close("net_hashtap21", port);
	rte_mempool_free(mp);
	test_sh("ip netns del " NS_A);
}

/* tunnel_types=none: INNERMOST refused by configure and update, clearly */
static void
t_tunnel_none(void)
{
	struct rte_mempool *mp = port_pool("tnln", 1024, 0);
	struct rte_eth_conf conf = { 0 };
	struct rte_eth_dev_info info;
	uint16_t port;
	int rc;

	if (port_open("net_hashtap22", "iface=htpx5,tunnel_types=none", &port) != 0) {
		check_ok(false, "tunnel none: probe: %s", port_log);
		goto out;
	}
	rte_eth_dev_info_get(port, &info);
	check_ok((info.flow_type_rss_offloads & RTE_ETH_RSS_LEVEL_MASK) == RTE_ETH_RSS_LEVEL_OUTERMOST,
		 "tunnel none: only level OUTERMOST advertised");
	conf.rxmode.offloads = RTE_ETH_RX_OFFLOAD_RSS_HASH;
	conf.rxmode.mq_mode = RTE_ETH_MQ_RX_RSS;
	conf.rx_adv_conf.rss_conf.rss_hf = RTE_ETH_RSS_IP | RTE_ETH_RSS_LEVEL_INNERMOST;
	rc = rte_eth_dev_configure(port, 1, 1, &conf);
	check_ok(rc != 0, "tunnel none: dev_configure with INNERMOST refused (%d)", rc);
	conf.rx_adv_conf.rss_conf.rss_hf = RTE_ETH_RSS_IP;
	check_ok(port_start(port, 1, 1, &conf, mp) == 0, "tunnel none: configured with the outer level");
	rc = set_rss_level(port, vnet_hash_default_key, VNET_HASH_TYPE_ALL, RTE_ETH_RSS_LEVEL_INNERMOST);
	check_ok(rc != 0 && level_of(port) == 0, "tunnel none: rss_hash_update with INNERMOST refused (%d), nothing changed",
		 rc);
	port_close("net_hashtap22", port);
out:
	rte_mempool_free(mp);
	test_sh("ip link del htpx5 2>/dev/null; true");
}

/*
 * One VXLAN tunnel (one outer 5-tuple), 64 inner flows: with level
 * INNERMOST their hashes name every queue of the RETA (round-robin over
 * 4), without it one.  In the patched kernel, which steers by the RETA,
 * the frames arrive on those queues.
 */
static void
t_tunnel_spread(void)
{
	static uint8_t f[4096], in[2048];
	const struct tcase *vx = NULL;
	struct rte_mempool *mp = port_pool("tnlq", 4096, 0);
	struct vnet_hash_key key;
	struct sockaddr_ll to;
	unsigned int lvl, i, fl;
	uint16_t port;
	int pkt = -1;

	for (i = 0; i < RTE_DIM(tcases); i++)
		if (tcases[i].types == VNET_HASH_TUNNEL_VXLAN && tcases[i].t.ipver == 4 && tcases[i].t.nvlan == 0)
			vx = &tcases[i];
	kernel_src = guest;
	if (rig_tap("net_hashtap23", guest ? "iface=" TAP_A ",hash=kernel" : "iface=" TAP_A,
		    TNL_NQ, 0, mp, &port, &pkt, &to) != 0) {
		check_ok(false, "tunnel spread: rig up");
		goto out;
	}
	vnet_hash_key_set(&key, vnet_hash_default_key, 40);
	for (lvl = 0; lvl < 2; lvl++) {
		unsigned int by_reta[TNL_NQ] = { 0 }, by_q[TNL_NQ] = { 0 }, used = 0, qused = 0;
		unsigned int bad = 0;
		uint32_t tun = lvl ? VNET_HASH_TUNNEL_ALL : 0;

		if (set_rss_level(port, vnet_hash_default_key, VNET_HASH_TYPE_ALL,
				  lvl ? RTE_ETH_RSS_LEVEL_INNERMOST : RTE_ETH_RSS_LEVEL_OUTERMOST) != 0)
			bad++;
		for (fl = 0; fl < 64; fl++) {
			struct want w;
			uint32_t len, in_len, hash = 0;
			uint16_t q = 0;
			char nm[96];

			snprintf(nm, sizeof(nm), "spread %s: inner flow %u", lvl ? "INNERMOST" : "OUTERMOST", fl);
			len = tcase_frame(vx, fl, f, sizeof(f), in, &in_len);
			if (!expect(nm, &key, tun, vx->types, f, len, in, in_len, &w) ||
			    !rx_tnl(nm, port, pkt, &to, f, len, &w, &q, &hash)) {
				bad++;
				continue;
			}
			by_reta[(hash & (128 - 1)) % TNL_NQ]++;	/* the round-robin RETA */
			by_q[q % TNL_NQ]++;
		}
		for (i = 0; i < TNL_NQ; i++) {
			used += by_reta[i] != 0;
			qused += by_q[i] != 0;
		}
		check_diag("spread %s: RETA queues %u/%u/%u/%u, rx queues %u/%u/%u/%u",
			   lvl ? "INNERMOST" : "OUTERMOST", by_reta[0], by_reta[1], by_reta[2],
			   by_reta[3], by_q[0], by_q[1], by_q[2], by_q[3]);
		if (lvl)
			check_ok(bad == 0 && used == TNL_NQ,
				 "tunnel spread: INNERMOST: 64 inner flows of one VXLAN tunnel hash to all %u RETA queues (%u; %u wrong)",
				 TNL_NQ, used, bad);
		else
			check_ok(bad == 0 && used == 1,
				 "tunnel spread: OUTERMOST: the 64 inner flows hash to one RETA queue (%u; %u wrong)",
				 used, bad);
		if (guest)
			check_ok(lvl ? qused == TNL_NQ : qused == 1,
				 "tunnel spread: %s: the kernel steers them onto %u rx queue(s) (%u)",
				 lvl ? "INNERMOST" : "OUTERMOST", lvl ? TNL_NQ : 1, qused);
	}
out:
	if (pkt >= 0)
		close(pkt);
	port_close("net_hashtap23", port);
	rte_mempool_free(mp);
	test_sh("ip netns del " NS_A);
}

/* In the patched kernel: it says it can look into every type (the driver then asks it to). */
static void
t_tunnel_kernel_cap(void)
{
	struct vnet_hash_cap cap;
	int fd = open("/dev/net/tun", O_RDWR), rc;

	memset(&cap, 0, sizeof(cap));
	rc = fd < 0 ? -errno : vnet_hash_tun_probe(fd, &cap);
	if (fd >= 0)
		close(fd);
	check_ok(rc == 0 && cap.supported_tunnel_types == VNET_HASH_TUNNEL_ALL,
		 "tunnel: the kernel's TUNGETVNETHASHCAP names every tunnel type (rc %d, 0x%x)", rc,
		 cap.supported_tunnel_types);
}

/*
 * In the patched kernel: a port with level INNERMOST on a tap that outlives
 * it (persist=1) leaves the tap's tunnel types off when it closes, as it
 * leaves hashing off (TUNGETVNETHASHTUNNEL, from a queue attached after).
 */
static void
t_tunnel_kernel_close(void)
{
	struct rte_mempool *mp = port_pool("tnlc", 1024, 0);
	struct rte_eth_conf conf = { 0 };
	uint32_t on = UINT32_MAX, after = UINT32_MAX;
	uint16_t port;
	int fd;

	if (port_open("net_hashtap24", "iface=htpx6,persist=1,hash=kernel", &port) != 0) {
		check_ok(false, "tunnel close: probe: %s", port_log);
		goto out;
	}
	conf.rxmode.offloads = RTE_ETH_RX_OFFLOAD_RSS_HASH;
	conf.rxmode.mq_mode = RTE_ETH_MQ_RX_RSS;
	conf.rx_adv_conf.rss_conf.rss_hf = RTE_ETH_RSS_IP | RTE_ETH_RSS_LEVEL_INNERMOST;
	check_ok(port_start(port, 1, 1, &conf, mp) == 0 &&
		 rte_pmd_hashtap_tunnel_types(port, false) == (int)VNET_HASH_TUNNEL_ALL,
		 "tunnel close: a port on a persistent tap with level INNERMOST");
	fd = port_tun_hold("htpx6", IFF_TAP | IFF_NO_PI | IFF_MULTI_QUEUE | IFF_VNET_HDR, 0);
	if (fd >= 0 && ioctl(fd, VNET_HASH_TUNGETVNETHASHTUNNEL, &on) < 0)
		check_diag("TUNGETVNETHASHTUNNEL: %s", strerror(errno));
	if (fd >= 0)
		close(fd);
	port_close("net_hashtap24", port);
	fd = port_tun_hold("htpx6", IFF_TAP | IFF_NO_PI | IFF_MULTI_QUEUE | IFF_VNET_HDR, 0);
	if (fd >= 0 && ioctl(fd, VNET_HASH_TUNGETVNETHASHTUNNEL, &after) < 0)
		check_diag("TUNGETVNETHASHTUNNEL: %s", strerror(errno));
	if (fd >= 0)
		close(fd);
	check_ok(on == VNET_HASH_TUNNEL_ALL && after == 0,
		 "tunnel close: the kernel looked into every type while the port ran (0x%x), none after it closed (0x%x)",
		 on, after);
out:
	rte_mempool_free(mp);
	test_sh("ip link del htpx6 2>/dev/null; true");
}

static void
t_tunnel_all(void)
{
	if (guest) {
		t_tunnel_kernel_cap();
		t_tunnel_kernel_close();
	}
	t_tunnel();
	t_tunnel_subset();
	t_tunnel_none();
	t_tunnel_spread();
}

PMD_CASE(PMD_TUNNEL, "tunnel", t_tunnel_all, true, true)
