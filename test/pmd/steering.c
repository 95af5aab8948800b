/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 hashtap authors
 *
 * The rx queue choice on a tap without the kernel's RSS: the port's
 * steering program (hashtap_netif_steering()).  What it promises, each
 * tried here:
 * - on a multi-queue tap the port created, rte_pmd_hashtap_steering() says
 *   1 (0 with one queue, on a tap it attached to, with the kernel's RSS:
 *   in the guest, -g);
 * - a flow's queue depends on the flow only: sending the flow's replies
 *   on another tx queue does not move it (tun's own steering does: the
 *   same sequence on a tap the port attached to, where tun steers, must
 *   move most flows, or the check could not tell the two apart);
 * - a flow and its reverse share a queue; so do the fragments of a
 *   datagram (a later fragment's payload where the ports were);
 * - IPv4, IPv6, tagged and non-IP flows spread over the queues;
 * - ports count (one address pair, many ports: spread) for IPv4 with and
 *   without options, IPv6, under an 802.1ad tag; not for IPv4 fragments
 *   nor after an IPv6 extension header (one queue);
 * - not while RSS level INNERMOST is asked (the program folds the outer
 *   header; tun's steering looks into GRE and IPIP);
 * - a persist=1 tap is left without the program when the port closes.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <netinet/in.h>
#include <sys/socket.h>

#include <rte_ethdev.h>
#include <rte_mbuf.h>

#include "check.h"
#include "netns.h"
#include "pkt.h"
#include "port.h"
#include "rig.h"
#include "rte_pmd_hashtap.h"
#include "vnet_hash.h"

#define NQ		4
#define PER_KIND	24

enum flow_kind { F_V4_UDP, F_V4_TCP, F_V6_UDP, F_VLAN_V4, F_NON_IP, F_KINDS };
static const char *const kind_names[F_KINDS] = {
	"IPv4/UDP", "IPv4/TCP", "IPv6/UDP", "802.1Q IPv4/UDP", "non-IP"
};

/* Flow i of kind k, forward (reverse false) or its reply */
static uint32_t
flow_frame(enum flow_kind k, unsigned int i, bool reverse, uint16_t frag, uint8_t *buf)
{
	struct pkt_spec s = { .payload = 32 };
	uint8_t a[16] = { 0 }, b[16] = { 0 };
	uint32_t len;

	s.ipver = k == F_V6_UDP ? 6 : k == F_NON_IP ? 0 : 4;
	s.l4 = k == F_V4_TCP ? IPPROTO_TCP : IPPROTO_UDP;
	if (k == F_NON_IP)
		s.ethertype = 0x88b5;
	if (k == F_VLAN_V4) {
		s.nvlan = 1;
		s.tpid[0] = 0x8100;
	}
	s.ip4_frag = frag;
	if (s.ipver == 6) {
		a[0] = 0xfd;
		b[0] = 0xfd;
		b[15] = 1;
		a[14] = (uint8_t)(i >> 8);
		a[15] = (uint8_t)i;
	} else {
		a[0] = 10;
		a[1] = 7;
		a[2] = (uint8_t)(i >> 8);
		a[3] = (uint8_t)(i * 7);
		b[0] = 10;
		b[1] = 8;
		b[3] = 1;
	}
	memcpy(reverse ? s.dst : s.src, a, 16);
	memcpy(reverse ? s.src : s.dst, b, 16);
	s.sport = reverse ? 53 : (uint16_t)(20000 + 11 * i);
	s.dport = reverse ? (uint16_t)(20000 + 11 * i) : 53;
	len = pkt_build(&s, buf, 256);
	if (k == F_NON_IP) {	/* the MAC addresses name the flow */
		uint8_t mac_a[6] = { 0x02, 0x11, 0x22, 0x33, (uint8_t)(i >> 8), (uint8_t)i };
		uint8_t mac_b[6] = { 0x02, 0xaa, 0xbb, 0xcc, 0xdd, 0x01 };

		memcpy(buf, reverse ? mac_a : mac_b, 6);
		memcpy(buf + 6, reverse ? mac_b : mac_a, 6);
	}
	return len;
}

/* Flows that differ in their source port only: where ports count, and where not */
enum port_variant { PV_V4, PV_V4_OPT, PV_V6, PV_AD, PV_V4_FRAG, PV_V6_EXT, PV_N };
static const struct {
	const char *name;
	bool spread;
} port_variants[PV_N] = {
	{ "IPv4/UDP", true }, { "IPv4 with options (IHL 8)/UDP", true }, { "IPv6/UDP", true },
	{ "802.1ad IPv4/UDP", true }, { "IPv4 first fragments (MF)", false },
	{ "IPv6 with a destination-options header, UDP", false },
};

static uint32_t
port_frame(enum port_variant v, unsigned int i, uint8_t *buf)
{
	struct pkt_spec s = { .payload = 32, .l4 = IPPROTO_UDP, .dport = 53 };

	s.ipver = v == PV_V6 || v == PV_V6_EXT ? 6 : 4;
	if (s.ipver == 6) {
		s.src[0] = s.dst[0] = 0xfd;
		s.src[15] = 9;
		s.dst[15] = 1;
	} else {
		memcpy(s.src, (const uint8_t[]){ 10, 7, 0, 9 }, 4);
		memcpy(s.dst, (const uint8_t[]){ 10, 8, 0, 1 }, 4);
	}
	if (v == PV_V4_OPT)
		s.ip4_opt_words = 3;
	if (v == PV_AD) {
		s.nvlan = 1;
		s.tpid[0] = 0x88a8;
	}
	if (v == PV_V4_FRAG)
		s.ip4_frag = 0x2000;
	if (v == PV_V6_EXT) {
		s.next = 1;
		s.ext[0].proto = IPPROTO_DSTOPTS;
	}
	s.sport = (uint16_t)(20000 + 11 * i);
	return pkt_build(&s, buf, 256);
}

/* Send from the namespace; the queue it arrived on, or -1 */
static int
queue_of(uint16_t port, int pkt, const struct sockaddr_ll *to, const uint8_t *f, uint32_t len)
{
	struct rte_mbuf *m;
	uint16_t q;

	if (sendto(pkt, f, len, 0, (const struct sockaddr *)to, sizeof(*to)) != (ssize_t)len)
		return -1;
	m = port_rx_match(port, NQ, f, len, 2000, &q, NULL);
	if (m == NULL)
		return -1;
	rte_pktmbuf_free(m);
	return q;
}

/* Send a frame from the port on tx queue q */
static bool
send_on(uint16_t port, uint16_t q, struct rte_mempool *mp, const uint8_t *f, uint32_t len)
{
	struct rte_mbuf *m = port_mbuf_chain(mp, f, len, 1, NULL);
	unsigned int tries;

	for (tries = 0; m != NULL && tries < 1000; tries++)
		if (rte_eth_tx_burst(port, q, &m, 1) == 1)
			return true;
	rte_pktmbuf_free(m);
	return false;
}

/*
 * Every flow: its queue; its reply sent on the next tx queue; the flow
 * again.  Counts the flows that stayed and the ones that followed the
 * reply; lost counts frames that never came.
 */
static void
learn_round(uint16_t port, struct rte_mempool *mp, int pkt, const struct sockaddr_ll *to,
	    int first[F_KINDS][PER_KIND], unsigned int *stayed, unsigned int *followed,
	    unsigned int *lost)
{
	uint8_t f[256], r[256];
	unsigned int k, i;

	*stayed = *followed = *lost = 0;
	for (k = 0; k < F_KINDS; k++) {
		for (i = 0; i < PER_KIND; i++) {
			uint32_t len = flow_frame(k, i, false, 0, f);
			uint32_t rlen = flow_frame(k, i, true, 0, r);
			int q1 = queue_of(port, pkt, to, f, len), q2;
			uint16_t txq;

			first[k][i] = q1;
			if (q1 < 0) {
				(*lost)++;
				continue;
			}
			txq = (uint16_t)((q1 + 1) % NQ);
			if (!send_on(port, txq, mp, r, rlen)) {
				(*lost)++;
				continue;
			}
			q2 = queue_of(port, pkt, to, f, len);
			if (q2 < 0)
				(*lost)++;
			else if (q2 == q1)
				(*stayed)++;
			else if (q2 == txq)
				(*followed)++;
		}
	}
}

static void
t_steering(void)
{
	struct rte_mempool *mp = port_pool("steer", 4096, 0);
	struct rte_eth_conf conf = { 0 };
	static int first[F_KINDS][PER_KIND];
	unsigned int stayed, followed, lost, k, i, total = F_KINDS * PER_KIND;
	struct sockaddr_ll to;
	uint8_t f[256];
	uint16_t port;
	int pkt = -1, rc, st;

	if (guest) {
		/* the patched kernel: its RSS steers by the RETA, a program would override it */
		if (rig_tap("net_hashtap5", "iface=" TAP_A ",hash=kernel", NQ, 0, mp, &port, &pkt,
			    &to) == 0)
			check_ok(rte_pmd_hashtap_steering(port) == 0,
				 "hash=kernel: the kernel's RSS steers, no program (%d)",
				 rte_pmd_hashtap_steering(port));
		else
			check_ok(false, "steering: rig up with hash=kernel");
		if (pkt >= 0)
			close(pkt);
		pkt = -1;
		port_close("net_hashtap5", port);
		test_sh("ip netns del " NS_A);
	}
	check_ok(rte_pmd_hashtap_steering(RTE_MAX_ETHPORTS) == -ENODEV,
		 "rte_pmd_hashtap_steering: -ENODEV for no port");
	/* a tap the port creates, kept (persist=1) for the last part */
	if (rig_tap("net_hashtap5", "iface=" TAP_A ",hash=software,persist=1", NQ, 0, mp, &port,
		    &pkt, &to) != 0) {
		check_ok(false, "steering: rig up");
		goto out;
	}
	check_ok(rte_pmd_hashtap_steering(port) == 1,
		 "a created %u-queue tap, software hash: the port's program steers (rte_pmd_hashtap_steering %d)",
		 NQ, rte_pmd_hashtap_steering(port));
	learn_round(port, mp, pkt, &to, first, &stayed, &followed, &lost);
	check_ok(lost == 0 && stayed == total,
		 "a flow stays on its queue when its replies leave on another tx queue (%u of %u stayed, %u followed, %u lost)",
		 stayed, total, followed, lost);
	for (k = 0; k < F_KINDS; k++) {
		unsigned int per_q[NQ] = { 0 }, used = 0, most = 0, sym = 0, q;

		for (i = 0; i < PER_KIND; i++) {
			uint32_t len = flow_frame(k, i, true, 0, f);

			if (first[k][i] >= 0)
				per_q[first[k][i]]++;
			sym += queue_of(port, pkt, &to, f, len) == first[k][i];
		}
		for (q = 0; q < NQ; q++) {
			used += per_q[q] > 0;
			most = RTE_MAX(most, per_q[q]);
		}
		check_ok(used >= 3 && most <= PER_KIND / 2,
			 "%s: %u flows over %u of %u queues (%u %u %u %u)", kind_names[k], PER_KIND,
			 used, NQ, per_q[0], per_q[1], per_q[2], per_q[3]);
		check_ok(sym == PER_KIND, "%s: a flow's reverse arrives on its queue (%u of %u)",
			 kind_names[k], sym, PER_KIND);
	}
	{
		/* the fragments of one datagram: no ports in any of them */
		unsigned int same = 0, used = 0, q;
		bool seen[NQ] = { false };

		for (i = 0; i < PER_KIND; i++) {
			uint32_t l1 = flow_frame(F_V4_UDP, i, false, 0x2000, f);	/* first */
			int q1 = queue_of(port, pkt, &to, f, l1);
			uint32_t l2 = flow_frame(F_V4_UDP, i, false, 100, f);		/* last */

			/* a later fragment carries payload where the ports were */
			memcpy(f + 14 + 20, (const uint8_t[]){ 0xde, 0xad, 0xbe, 0xef }, 4);
			same += q1 >= 0 && queue_of(port, pkt, &to, f, l2) == q1;
			if (q1 >= 0)
				seen[q1] = true;
		}
		for (q = 0; q < NQ; q++)
			used += seen[q];
		check_ok(same == PER_KIND && used >= 2,
			 "IPv4 fragments: first and last fragment of a datagram on one queue (%u of %u), datagrams over %u queues",
			 same, PER_KIND, used);
	}

	{
		/* the ports count where they should, and nowhere else */
		unsigned int v, q;

		for (v = 0; v < PV_N; v++) {
			unsigned int per_q[NQ] = { 0 }, used = 0, lost = 0;

			for (i = 0; i < PER_KIND; i++) {
				uint32_t len = port_frame(v, i, f);
				int qq = queue_of(port, pkt, &to, f, len);

				if (qq < 0)
					lost++;
				else
					per_q[qq]++;
			}
			for (q = 0; q < NQ; q++)
				used += per_q[q] > 0;
			if (port_variants[v].spread)
				check_ok(lost == 0 && used >= 3,
					 "%s, one address pair, %u source ports: over %u of %u queues (%u %u %u %u)",
					 port_variants[v].name, PER_KIND, used, NQ, per_q[0], per_q[1],
					 per_q[2], per_q[3]);
			else
				check_ok(lost == 0 && used == 1,
					 "%s, one address pair, %u source ports: no ports, one queue (%u %u %u %u)",
					 port_variants[v].name, PER_KIND, per_q[0], per_q[1], per_q[2],
					 per_q[3]);
		}
	}

	/* one queue: nothing to steer; back to NQ: the program again */
	conf.rxmode.mq_mode = RTE_ETH_MQ_RX_RSS;
	conf.rxmode.offloads = RTE_ETH_RX_OFFLOAD_RSS_HASH;
	conf.rx_adv_conf.rss_conf.rss_hf = RTE_ETH_RSS_IP;
	rte_eth_dev_stop(port);
	rc = port_start(port, 1, 1, &conf, mp);
	st = rte_pmd_hashtap_steering(port);
	check_ok(rc == 0 && st == 0, "reconfigured to one queue: no program (%d)", st);
	rte_eth_dev_stop(port);
	rc = port_start(port, NQ, NQ, &conf, mp);
	st = rte_pmd_hashtap_steering(port);
	check_ok(rc == 0 && st == 1, "back to %u queues: the program again (%d)", NQ, st);
	/* inner hashing asked: tun's steering, which looks into GRE and IPIP */
	rc = set_rss_level(port, vnet_hash_default_key, VNET_HASH_TYPE_ALL,
			   RTE_ETH_RSS_LEVEL_INNERMOST);
	st = rte_pmd_hashtap_steering(port);
	check_ok(rc == 0 && st == 0, "RSS level INNERMOST: no program, tun's steering looks into GRE and IPIP (%d)",
		 st);
	rc = set_rss_level(port, vnet_hash_default_key, VNET_HASH_TYPE_ALL,
			   RTE_ETH_RSS_LEVEL_OUTERMOST);
	st = rte_pmd_hashtap_steering(port);
	check_ok(rc == 0 && st == 1, "back to OUTERMOST: the program again (%d)", st);
	close(pkt);
	pkt = -1;
	port_close("net_hashtap5", port);

	/*
	 * The tap outlived the port (persist=1).  A port attached to it does
	 * not steer, and tun's own steering is back: the same round now moves
	 * flows to the queue their replies left on.
	 */
	test_sh("ip -n " NS_A " link set " TAP_A " netns 1");
	if (rig_tap("net_hashtap5", "iface=" TAP_A ",hash=software", NQ, 0, mp, &port, &pkt,
		    &to) != 0) {
		check_ok(false, "steering: port on the kept tap");
		goto out;
	}
	check_ok(strstr(port_log, "created") == NULL && rte_pmd_hashtap_steering(port) == 0,
		 "a tap the port attached to keeps tun's steering (rte_pmd_hashtap_steering %d)",
		 rte_pmd_hashtap_steering(port));
	learn_round(port, mp, pkt, &to, first, &stayed, &followed, &lost);
	check_ok(lost == 0 && followed >= total / 2,
		 "there, tun moves flows to the queue their replies left on (%u of %u followed, %u stayed, %u lost): the first part's check tells the two apart, and close took the program off the kept tap",
		 followed, total, stayed, lost);
out:
	if (pkt >= 0)
		close(pkt);
	port_close("net_hashtap5", port);
	test_sh("ip -n " NS_A " link del " TAP_A " 2>/dev/null; ip link del " TAP_A " 2>/dev/null; true");
	check_ok(rte_mempool_in_use_count(mp) == 0, "steering: mempool in use back to 0");
	rte_mempool_free(mp);
	test_sh("ip netns del " NS_A);
}

PMD_CASE(PMD_STEERING, "steering", t_steering, true, true)
