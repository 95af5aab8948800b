/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 hashtap authors
 *
 * Receive: frames of every kind, random frames and the Microsoft vectors
 * carry lib/vnet_hash's hash (software, or the kernel's in the guest);
 * no hash flag without RSS; several queues; LRO; frames longer than the
 * buffers.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <netinet/in.h>
#include <sys/socket.h>

#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>

#include "netns.h"
#include "pkt.h"
#include "port.h"
#include "rte_pmd_hashtap.h"
#include "rnd.h"
#include "check.h"
#include "vectors.h"
#include "vnet_hash.h"
#include "vnet_hdr.h"
#include "rig.h"

#define MAX_Q	8

static void
rx_kinds_and_random(const char *what, uint16_t port, uint16_t nq, int pkt,
		    const struct sockaddr_ll *to, uint32_t seed)
{
	static uint8_t frame[4096];
	struct vnet_hash_key key;
	struct rxcheck c = { 0 };
	uint8_t raw[40];
	unsigned int k, i;
	const char *name;
	uint32_t types = VNET_HASH_TYPE_ALL, len;

	vnet_hash_key_set(&key, vnet_hash_default_key, 40);
	check_ok(set_rss(port, vnet_hash_default_key, types) == 0, "%s: rss_hash_update (all types)", what);
	for (k = 0; k < N_KINDS; k++) {
		struct rxcheck one = { 0 };

		len = kind_frame(k, frame, &name);
		rx_one(&one, port, nq, pkt, to, frame, len, &key, types, name, -1, 0);
		check_ok(one.bad == 0, "%s: %s arrives with lib/vnet_hash's hash and type", what, name);
	}
	rnd_seed(seed);
	for (i = 0; i < n_frames; i++) {
		char nm[64];

		if (i % 50 == 0) {	/* a new key and type set now and then */
			for (k = 0; k < sizeof(raw); k++)
				raw[k] = (uint8_t)rnd();
			types = rnd_types();
			vnet_hash_key_set(&key, raw, sizeof(raw));
			if (set_rss(port, raw, types) != 0)
				c.bad++;
		}
		len = rnd_frame(frame, sizeof(frame), false);
		snprintf(nm, sizeof(nm), "random frame %u (%u bytes, types 0x%x)", i, len, types);
		rx_one(&c, port, nq, pkt, to, frame, len, &key, types, nm, -1, 0);
	}
	check_ok(c.bad == 0, "%s: %u/%u random frames (random keys and type sets) carry lib/vnet_hash's hash",
	       what, c.n - c.bad, c.n);
}

/* The Microsoft verification vectors: expected values from the file, not from us. */
static void
rx_vectors(const char *what, uint16_t port, uint16_t nq, int pkt, const struct sockaddr_ll *to)
{
	static struct vec_file v;
	struct vnet_hash_key key;
	struct rxcheck c = { 0 };
	uint8_t frame[256];
	unsigned int i, l4;

	if (vectors_path == NULL || vec_load(vectors_path, &v) != 0) {
		check_ok(false, "%s: Microsoft vectors (-v FILE) loaded", what);
		return;
	}
	vnet_hash_key_set(&key, v.key, v.key_len);
	for (l4 = 0; l4 < 2; l4++) {
		uint32_t types = l4 ? VNET_HASH_TYPE_ALL : VNET_HASH_TYPE_IPV4 | VNET_HASH_TYPE_IPV6;

		if (set_rss(port, v.key, types) != 0)
			c.bad++;
		for (i = 0; i < v.n; i++) {
			const struct vec_row *r = &v.row[i];
			struct pkt_spec s;
			uint32_t len;
			int want;

			memset(&s, 0, sizeof(s));
			s.ipver = r->alen == 4 ? 4 : 6;
			memcpy(s.src, r->src, 16);
			memcpy(s.dst, r->dst, 16);
			s.sport = r->sport;
			s.dport = r->dport;
			s.l4 = IPPROTO_TCP;
			len = pkt_build(&s, frame, sizeof(frame));
			want = r->alen == 4 ? (l4 ? VNET_HASH_REPORT_TCPV4 : VNET_HASH_REPORT_IPV4) :
				(l4 ? VNET_HASH_REPORT_TCPV6 : VNET_HASH_REPORT_IPV6);
			rx_one(&c, port, nq, pkt, to, frame, len, &key, types, r->name, want,
			       l4 ? r->hash_l4 : r->hash_l3);
		}
	}
	check_ok(c.n > 0 && c.bad == 0, "%s: %u Microsoft vector frames (L3 and L4) carry the published hash",
	       what, c.n);
}

static void
t_rx_hash(const char *hash_mode)
{
	struct rte_mempool *mp = port_pool("rxh", 2048, 0);
	struct sockaddr_ll to;
	char args[64], what[64];
	uint16_t port;
	int pkt = -1;

	kernel_src = strcmp(hash_mode, "kernel") == 0;
	snprintf(args, sizeof(args), "iface=" TAP_A ",hash=%s", hash_mode);
	snprintf(what, sizeof(what), "tap, hash=%s", hash_mode);
	if (rig_tap("net_hashtap2", args, 1, 0, mp, &port, &pkt, &to) != 0) {
		check_ok(false, "%s: rig up", what);
	} else {
		const char *mine = kernel_src ? "rx_hash_kernel" : "rx_hash_software";
		const char *other = kernel_src ? "rx_hash_software" : "rx_hash_kernel";
		uint64_t src = port_xstat(port, mine);

		rx_kinds_and_random(what, port, 1, pkt, &to, 11);
		rx_vectors(what, port, 1, pkt, &to);
		src = port_xstat(port, mine) - src;
		check_ok(src > 0 && port_xstat(port, other) == 0, "%s: xstats say the hash came from the %s (%lu frames)",
		       what, kernel_src ? "kernel" : "software", (unsigned long)src);
	}
	if (pkt >= 0)
		close(pkt);
	port_close("net_hashtap2", port);
	check_ok(rte_mempool_in_use_count(mp) == 0, "%s: mempool in use back to 0", what);
	rte_mempool_free(mp);
	test_sh("ip netns del " NS_A);
}

/* The software hash, on the host and in the guest */
static void
t_rx_hash_software(void)
{
	t_rx_hash("software");
}

/* The kernel's hash (guest) */
static void
t_kernel_hash(void)
{
	t_rx_hash("kernel");
}

/* hash=off, and hashing not asked for: no RSS flag on anything */
static void
t_rx_nohash(void)
{
	struct rte_mempool *mp = port_pool("rxn", 1024, 0);
	struct rte_eth_conf conf = { 0 };
	struct sockaddr_ll to;
	uint8_t frame[2048];
	const char *name;
	unsigned int round, k, flagged = 0, got = 0;
	uint16_t port, q;
	int pkt;

	for (round = 0; round < 2; round++) {
		ns_add(NS_A);
		if (port_open("net_hashtap3", round ? "iface=" TAP_A : "iface=" TAP_A ",hash=off",
			      &port) != 0)
			break;
		conf.rxmode.offloads = round ? 0 : RTE_ETH_RX_OFFLOAD_RSS_HASH;
		conf.rxmode.mq_mode = round ? RTE_ETH_MQ_RX_NONE : RTE_ETH_MQ_RX_RSS;
		pkt = -1;
		if (port_start(port, 1, 1, &conf, mp) == 0 && move_to_ns(TAP_A, NS_A) == 0)
			pkt = netns_packet_socket(NS_A, TAP_A, &to, 0);
		for (k = 0; k < N_KINDS && pkt >= 0; k++) {
			struct rte_mbuf *m;
			uint32_t len = kind_frame(k, frame, &name);

			if (sendto(pkt, frame, len, 0, (struct sockaddr *)&to, sizeof(to)) != len)
				continue;
			m = port_rx_match(port, 1, frame, len, 2000, &q, NULL);
			if (m == NULL)
				continue;
			got++;
			flagged += (m->ol_flags & RTE_MBUF_F_RX_RSS_HASH) != 0;
			rte_pktmbuf_free(m);
		}
		if (pkt >= 0) {
			struct rte_eth_stats st;
			uint64_t none = port_xstat(port, "rx_hash_none");

			rte_eth_stats_get(port, &st);
			check_ok(st.ipackets > 0 && none == st.ipackets &&
			       port_xstat(port, "rx_hash_kernel") + port_xstat(port, "rx_hash_software") == 0,
			       "%s: the hash counters add up to the frames received (none %lu of %lu)",
			       round ? "no RSS asked" : "hash=off", (unsigned long)none,
			       (unsigned long)st.ipackets);
			check_ok(rte_pmd_hashtap_hash_source(port) == RTE_PMD_HASHTAP_HASH_SRC_NONE,
			       "%s: rte_pmd_hashtap_hash_source says none",
			       round ? "no RSS asked" : "hash=off");
			close(pkt);
		}
		port_close("net_hashtap3", port);
		test_sh("ip netns del " NS_A);
	}
	check_ok(got == 2 * N_KINDS && flagged == 0,
	       "hash=off, and no RSS asked: %u frames arrive, none with RTE_MBUF_F_RX_RSS_HASH", got);
	rte_mempool_free(mp);
}

/* Several queues, RSS: every frame arrives once, on some queue. */
static void
t_multiqueue(void)
{
	struct rte_mempool *mp = port_pool("mq", 4096, 0);
	struct sockaddr_ll to;
	uint8_t frame[256];
	uint16_t port, q, nq = 4;
	unsigned int i, got = 0, per_q[MAX_Q] = { 0 }, used = 0;
	uint64_t mism;
	int pkt = -1;

	kernel_src = guest;	/* hash=auto */
	if (rig_tap("net_hashtap4", "iface=" TAP_A, nq, 0, mp, &port, &pkt, &to) != 0) {
		check_ok(false, "multiqueue: rig up");
		goto out;
	}
	for (i = 0; i < 200; i++) {
		struct pkt_spec s = { .ipver = 4, .l4 = IPPROTO_UDP, .payload = 20 };
		struct rte_mbuf *m;
		uint32_t len;

		pkt_addr("10.9.0.1", s.src);
		pkt_addr("10.9.0.2", s.dst);
		s.sport = (uint16_t)(1000 + i);
		s.dport = 53;
		len = pkt_build(&s, frame, sizeof(frame));
		if (sendto(pkt, frame, len, 0, (struct sockaddr *)&to, sizeof(to)) != len)
			continue;
		m = port_rx_match(port, nq, frame, len, 2000, &q, NULL);
		if (m == NULL) {
			check_diag("multiqueue: flow %u lost", i);
			continue;
		}
		got++;
		per_q[q]++;
		rte_pktmbuf_free(m);
	}
	for (q = 0; q < nq; q++)
		used += per_q[q] > 0;
	check_ok(got == 200 && used >= 2, "4 queues: 200 flows, %u frames received, spread over %u queues (%u %u %u %u)",
	       got, used, per_q[0], per_q[1], per_q[2], per_q[3]);
	mism = port_xstat(port, "rx_reta_mismatch");
	if (guest)
		check_ok(mism == 0, "kernel RSS: no frame off the queue RETA names (rx_reta_mismatch %lu)",
		       (unsigned long)mism);
	else
		check_ok(mism != UINT64_MAX && mism <= got,
		       "software hash: rx_reta_mismatch counts frames the kernel steered elsewhere (%lu of %u)",
		       (unsigned long)mism, got);
out:
	if (pkt >= 0)
		close(pkt);
	port_close("net_hashtap4", port);
	check_ok(rte_mempool_in_use_count(mp) == 0, "multiqueue: mempool in use back to 0");
	rte_mempool_free(mp);
	test_sh("ip netns del " NS_A);
}

/* ------------------------------------------------------------ receive: LRO */

/* A 3000-byte TCP super-frame sent with a GSO header from the namespace. */
static int
send_gso(const char *ns, const char *ifname, uint8_t *frame, uint32_t *len)
{
	struct pkt_spec s = { .ipver = 4, .l4 = IPPROTO_TCP, .payload = 3000 };
	struct sockaddr_ll to;
	struct vnet_hdr h = {
		.flags = VNET_HDR_F_NEEDS_CSUM, .gso_type = VNET_HDR_GSO_TCPV4,
		.hdr_len = 54, .gso_size = 1000, .csum_start = 34, .csum_offset = 16,
	};
	uint8_t buf[VNET_HDR_LEN_LEGACY + 4096];
	int fd, on = 1;
	ssize_t w;

	pkt_addr("10.5.0.1", s.src);
	pkt_addr("10.5.0.2", s.dst);
	s.sport = 5555;
	s.dport = 80;
	*len = pkt_build(&s, frame, 4096);
	fd = netns_packet_socket(ns, ifname, &to, 0);
	if (fd < 0 || setsockopt(fd, SOL_PACKET, PACKET_VNET_HDR, &on, sizeof(on)) < 0) {
		check_diag("PACKET_VNET_HDR: %s", strerror(errno));
		return -1;
	}
	vnet_hdr_encode(&h, buf, VNET_HDR_LEN_LEGACY, vnet_hdr_is_le(false, false));
	memcpy(buf + VNET_HDR_LEN_LEGACY, frame, *len);
	w = sendto(fd, buf, VNET_HDR_LEN_LEGACY + *len, 0, (struct sockaddr *)&to, sizeof(to));
	close(fd);
	return w == (ssize_t)(VNET_HDR_LEN_LEGACY + *len) ? 0 : -1;
}

static void
t_lro(void)
{
	struct rte_mempool *mp = port_pool("lro", 2048, 0);
	static uint8_t frame[4096];
	struct sockaddr_ll to;
	uint16_t port, q;
	uint32_t len;
	int pkt = -1, round;

	for (round = 0; round < 2; round++) {
		const bool lro = round == 0;

		if (rig_tap("net_hashtap6", "iface=" TAP_A, 1,
			    lro ? RTE_ETH_RX_OFFLOAD_TCP_LRO | RTE_ETH_RX_OFFLOAD_SCATTER : 0, mp,
			    &port, &pkt, &to) != 0 || send_gso(NS_A, TAP_A, frame, &len) != 0) {
			check_ok(false, "LRO %s: rig up and send", lro ? "on" : "off");
		} else if (lro) {
			struct rte_mbuf *m = port_rx_match(port, 1, frame, len, 2000, &q, NULL);

			check_ok(m != NULL && (m->ol_flags & RTE_MBUF_F_RX_LRO) && m->tso_segsz == 1000 &&
			       m->nb_segs > 1 && m->pkt_len == len,
			       "LRO on: the 3054-byte GSO frame arrives whole: %u segments, tso_segsz %u, LRO flag %d",
			       m ? m->nb_segs : 0, m ? m->tso_segsz : 0,
			       m ? (m->ol_flags & RTE_MBUF_F_RX_LRO) != 0 : 0);
			check_ok(m != NULL && (m->ol_flags & RTE_MBUF_F_RX_L4_CKSUM_MASK) ==
			       RTE_MBUF_F_RX_L4_CKSUM_NONE,
			       "LRO on: partial checksum reported as RTE_MBUF_F_RX_L4_CKSUM_NONE");
			rte_pktmbuf_free(m);
		} else {
			struct rte_mbuf *m[8];
			unsigned int n = 0, sizes_ok = 0, other = 0, tries;

			/* the namespace may say things of its own: only IPv4/TCP counts */
			for (tries = 0; tries < 100 && n < 3; tries++) {
				uint16_t k = rte_eth_rx_burst(port, 0, m, 8);

				for (unsigned int i = 0; i < k; i++) {
					const uint8_t *d = rte_pktmbuf_mtod(m[i], const uint8_t *);

					if (m[i]->data_len < 34 || d[12] != 8 || d[13] != 0 || d[23] != IPPROTO_TCP) {
						other++;
					} else {
						n++;
						sizes_ok += m[i]->pkt_len == 1054 && m[i]->nb_segs == 1 &&
							!(m[i]->ol_flags & RTE_MBUF_F_RX_LRO);
					}
					rte_pktmbuf_free(m[i]);
				}
				rte_delay_us_sleep(10000);
			}
			check_ok(n == 3 && sizes_ok == 3,
			       "LRO off: the kernel segments it, 3 frames of 1054 bytes (%u, %u right; %u others)",
			       n, sizes_ok, other);
		}
		if (pkt >= 0)
			close(pkt);
		pkt = -1;
		port_close("net_hashtap6", port);
		test_sh("ip netns del " NS_A);
	}
	check_ok(rte_mempool_in_use_count(mp) == 0, "LRO: mempool in use back to 0");
	rte_mempool_free(mp);
}

/* ------------------------------------------------------------ frames longer than the buffers */

static void
t_oversize(void)
{
	struct rte_mempool *mp = port_pool("big", 2048, 0);	/* 2048-byte data rooms */
	struct rte_eth_conf conf = { 0 };
	static uint8_t big[4200], small[256];
	struct vnet_hash_key key;
	struct pkt_spec s = { .ipver = 4, .l4 = IPPROTO_UDP, .sport = 7, .dport = 9 };
	struct rxcheck c = { 0 };
	struct sockaddr_ll to;
	struct rte_eth_stats st;
	uint32_t blen, slen;
	unsigned int others = 0;
	uint16_t port;
	int pkt = -1;

	kernel_src = guest;
	if (rig_tap("net_hashtap14", "iface=" TAP_A, 1, 0, mp, &port, &pkt, &to) != 0) {
		check_ok(false, "oversize: rig up");
		goto out;
	}
	pkt_addr("10.3.0.1", s.src);
	pkt_addr("10.3.0.2", s.dst);
	s.payload = 4000;
	blen = pkt_build(&s, big, sizeof(big));
	s.payload = 100;
	s.sport = 8;
	slen = pkt_build(&s, small, sizeof(small));
	/* the kernel side raises its MTU past what the port's queue takes */
	test_sh("ip -n " NS_A " link set " TAP_A " mtu 9000");
	if (sendto(pkt, big, blen, 0, (struct sockaddr *)&to, sizeof(to)) != blen ||
	    sendto(pkt, small, slen, 0, (struct sockaddr *)&to, sizeof(to)) != slen)
		check_diag("oversize: send: %s", strerror(errno));
	{
		uint64_t end = rte_get_timer_cycles() + 2 * rte_get_timer_hz();
		bool got_small = false, got_big = false;

		/* the namespace may say things of its own; the big frame's
		 * first bytes must never come, cut or whole */
		while (!got_small && rte_get_timer_cycles() < end) {
			struct rte_mbuf *b[32];
			uint16_t n = rte_eth_rx_burst(port, 0, b, 32), i;

			for (i = 0; i < n; i++) {
				const uint8_t *d = rte_pktmbuf_mtod(b[i], const uint8_t *);

				if (b[i]->data_len >= 64 && memcmp(d, big, 64) == 0)
					got_big = true;
				else if (b[i]->pkt_len == slen && memcmp(d, small, slen) == 0)
					got_small = true;
				else
					others++;
			}
			rte_pktmbuf_free_bulk(b, n);
		}
		check_ok(got_small && !got_big,
		       "scatter off: a %u-byte frame on 2048-byte mbufs is not delivered (cut or whole); the next one is (%u others)",
		       blen, others);
	}
	rte_eth_stats_get(port, &st);
	check_ok(port_xstat(port, "rx_drop_truncated") == 1 && st.ierrors == 1,
	       "scatter off: it is counted (rx_drop_truncated %lu, ierrors %lu)",
	       (unsigned long)port_xstat(port, "rx_drop_truncated"), (unsigned long)st.ierrors);
	/* scatter on: the same frame arrives whole, with its hash */
	rte_eth_dev_stop(port);
	conf.rxmode.offloads = RTE_ETH_RX_OFFLOAD_RSS_HASH | RTE_ETH_RX_OFFLOAD_SCATTER;
	conf.rxmode.mq_mode = RTE_ETH_MQ_RX_RSS;
	conf.rx_adv_conf.rss_conf.rss_hf = RTE_ETH_RSS_IP | RTE_ETH_RSS_TCP | RTE_ETH_RSS_UDP;
	if (port_start(port, 1, 1, &conf, mp) != 0 || set_rss(port, vnet_hash_default_key,
							      VNET_HASH_TYPE_ALL) != 0) {
		check_ok(false, "oversize: scatter on");
		goto out;
	}
	vnet_hash_key_set(&key, vnet_hash_default_key, 40);
	rx_one(&c, port, 1, pkt, &to, big, blen, &key, VNET_HASH_TYPE_ALL, "4042-byte frame", -1, 0);
	check_ok(c.bad == 0, "scatter on: the %u-byte frame arrives whole, with lib/vnet_hash's hash",
	       blen);
	check_ok(port_xstat(port, "rx_drop_truncated") == 0, "scatter on: nothing dropped");
out:
	if (pkt >= 0)
		close(pkt);
	port_close("net_hashtap14", port);
	check_ok(rte_mempool_in_use_count(mp) == 0, "oversize: mempool in use back to 0");
	rte_mempool_free(mp);
	test_sh("ip netns del " NS_A);
}

PMD_CASE(PMD_RX_HASH, "rx-hash", t_rx_hash_software, true, true)
PMD_CASE(PMD_RX_NOHASH, "rx-nohash", t_rx_nohash, true, false)
PMD_CASE(PMD_MULTIQUEUE, "multiqueue", t_multiqueue, true, true)
PMD_CASE(PMD_LRO, "lro", t_lro, true, false)
PMD_CASE(PMD_KERNEL_HASH, "kernel-hash", t_kernel_hash, false, true)
PMD_CASE(PMD_OVERSIZE, "oversize", t_oversize, true, true)
