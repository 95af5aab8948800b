/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 hashtap authors
 *
 * The datapath (io=uring, io=syscall, io=vhost): which one runs and what
 * it costs in syscalls, queues stopped and started, frames in flight at
 * stop and close, polling from another thread, tx with the link down,
 * sqpoll=, the vhost-net rings.
 */

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/mman.h>
#include <sys/socket.h>

#include <rte_cycles.h>
#include <rte_malloc.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>
#include <rte_udp.h>

#include "netns.h"
#include "pkt.h"
#include "port.h"
#include "rte_pmd_hashtap.h"
#include "check.h"
#include "vnet_hash.h"
#include "vnet_hdr.h"
#include "rig.h"

#define DP_RX_PORT	4242	/* UDP destination port of frames sent to the port */
#define DP_TX_PORT	4243	/* ... of frames the port sends */

/* A marked IPv4/UDP frame: sequence number seq in its first payload bytes. */
static uint32_t
dp_frame(uint8_t *buf, uint32_t cap, uint16_t dport, uint32_t seq, uint16_t payload)
{
	struct pkt_spec s = { .ipver = 4, .l4 = IPPROTO_UDP, .sport = 1000, .dport = dport };
	uint32_t len;

	s.payload = payload;
	s.sport = (uint16_t)(1000 + seq % 64);	/* flows: any queue the kernel picks */
	pkt_addr("10.5.0.1", s.src);
	pkt_addr("10.5.0.2", s.dst);
	len = pkt_build(&s, buf, cap);
	memcpy(buf + 42, &seq, sizeof(seq));
	return len;
}

static bool
dp_seq(const uint8_t *d, uint32_t len, uint16_t dport, uint32_t *seq)
{
	const struct rte_udp_hdr *u = (const struct rte_udp_hdr *)(d + 34);

	if (len < 46 || d[12] != 8 || d[13] != 0 || d[23] != IPPROTO_UDP ||
	    u->dst_port != htons(dport))
		return false;
	memcpy(seq, d + 42, sizeof(*seq));
	return true;
}

/* Frames with dport on the kernel side (the packet socket), for ms: how many,
 * and whether their sequence numbers rose one by one from *next. */
static unsigned int
dp_kernel_recv(int pkt, uint16_t dport, uint32_t *next, bool *inorder, unsigned int want,
	       unsigned int ms)
{
	static uint8_t b[4096];
	uint64_t end = rte_get_timer_cycles() + rte_get_timer_hz() * ms / 1000;
	unsigned int n = 0;

	while (n < want && rte_get_timer_cycles() < end) {
		ssize_t k = recv(pkt, b, sizeof(b), 0);
		uint32_t seq;

		if (k <= 0) {
			rte_delay_us_sleep(500);
			continue;
		}
		if (!dp_seq(b, (uint32_t)k, dport, &seq))
			continue;
		*inorder &= seq == *next;
		*next = seq + 1;
		n++;
	}
	return n;
}

/* Poll queue q with bursts of nb until want marked frames came (or ms):
 * how many, in order from *next. */
static unsigned int
dp_port_recv(uint16_t port, uint16_t q, uint16_t nb, uint32_t *next, bool *inorder,
	     unsigned int want, unsigned int ms)
{
	uint64_t end = rte_get_timer_cycles() + rte_get_timer_hz() * ms / 1000;
	unsigned int n = 0;

	while (n < want && rte_get_timer_cycles() < end) {
		struct rte_mbuf *m[64];
		uint16_t k = rte_eth_rx_burst(port, q, m, nb), i;

		for (i = 0; i < k; i++) {
			uint32_t seq;

			if (m[i]->nb_segs == 1 &&
			    dp_seq(rte_pktmbuf_mtod(m[i], uint8_t *), m[i]->pkt_len, DP_RX_PORT, &seq)) {
				*inorder &= seq == *next;
				*next = seq + 1;
				n++;
			}
		}
		rte_pktmbuf_free_bulk(m, k);
		if (k == 0)
			rte_delay_us_sleep(200);
	}
	return n;
}

/* Frames the kernel side (TAP_A in NS_A) received: what the port wrote */
static uint64_t
dp_kernel_rx_packets(void)
{
	FILE *f = popen("ip netns exec " NS_A " cat /sys/class/net/" TAP_A "/statistics/rx_packets", "r");
	unsigned long long v = 0;

	if (f == NULL || fscanf(f, "%llu", &v) != 1)
		check_diag("rx_packets of " TAP_A ": cannot read");
	if (f != NULL)
		pclose(f);
	return v;
}

static int
dp_send(int pkt, const struct sockaddr_ll *to, uint32_t from, unsigned int n)
{
	uint8_t f[256];
	unsigned int i;

	for (i = 0; i < n; i++) {
		uint32_t len = dp_frame(f, sizeof(f), DP_RX_PORT, from + i, 30);

		if (sendto(pkt, f, len, 0, (const struct sockaddr *)to, sizeof(*to)) != (ssize_t)len)
			return -1;
	}
	return 0;
}

static struct rte_mbuf *
dp_mbuf(struct rte_mempool *mp, uint32_t seq, uint16_t len_override)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(mp);
	uint8_t f[256];
	uint32_t len = dp_frame(f, sizeof(f), DP_TX_PORT, seq, 30);

	if (len_override)
		len = len_override;
	if (m != NULL)
		memcpy(rte_pktmbuf_append(m, (uint16_t)len), f, len);
	return m;
}

/*
 * Which datapath runs, said by the public header and counted by the
 * xstats: io=uring takes a whole tx burst with one submission (io=syscall:
 * one writev a frame), reads every frame queued with one enter and hands
 * them over in later bursts without a syscall, and an idle queue costs no
 * syscall; frames cross intact and in order either way.
 */
static void
t_datapath(void)
{
	static const struct {
		const char *io;
		int want;
	} ways[] = { { "uring", RTE_PMD_HASHTAP_IO_URING }, { "syscall", RTE_PMD_HASHTAP_IO_SYSCALL } };
	struct rte_mempool *mp = port_pool("dp", 2048, 0);
	struct rte_eth_conf conf = { 0 };
	uint16_t port;
	unsigned int w;
	int rc;

	rc = port_open("net_hashtap16", "iface=htpd0,io=fast", &port);
	check_ok(rc != 0 && strstr(port_log, "io=fast: expected auto, uring, vhost or syscall") != NULL &&
	       !netns_if_exists(NULL, "htpd0"), "io=fast: the probe fails saying why, no tap left");
	if (rc == 0)
		port_close("net_hashtap16", port);
	check_ok(rte_pmd_hashtap_io(RTE_MAX_ETHPORTS) == -ENODEV &&
	       rte_pmd_hashtap_rx_queue_io(RTE_MAX_ETHPORTS, 0) == -ENODEV &&
	       strcmp(rte_pmd_hashtap_io_name(RTE_PMD_HASHTAP_IO_URING), "uring") == 0 &&
	       strcmp(rte_pmd_hashtap_io_name(RTE_PMD_HASHTAP_IO_SYSCALL), "syscall") == 0 &&
	       strcmp(rte_pmd_hashtap_io_name(RTE_PMD_HASHTAP_IO_VHOST), "vhost") == 0 &&
	       rte_pmd_hashtap_io_name(3) == NULL && rte_pmd_hashtap_io_name(-1) == NULL,
	       "rte_pmd_hashtap_io*: -ENODEV for no port; names");

	for (w = 0; w < RTE_DIM(ways); w++) {
		const char *io = ways[w].io;
		char args[64];
		struct sockaddr_ll to;
		struct rte_mbuf *m[32];
		uint64_t s0, r0;
		uint32_t next = 0;
		bool inorder = true;
		unsigned int got, b, i;
		int pkt = -1;

		snprintf(args, sizeof(args), "iface=" TAP_A ",io=%s", io);
		ns_add(NS_A);
		if (port_open("net_hashtap16", args, &port) != 0) {
			check_ok(false, "io=%s: probe: %s", io, port_log);
			continue;
		}
		check_ok(strstr(port_log, "datapath io=") != NULL && strstr(port_log, args + sizeof("iface=" TAP_A)) != NULL,
		       "io=%s: the probe says which datapath and why", io);
		if (port_start(port, 1, 1, &conf, mp) != 0 || move_to_ns(TAP_A, NS_A) != 0 ||
		    (pkt = netns_packet_socket(NS_A, TAP_A, &to, 0)) < 0) {
			check_ok(false, "io=%s: rig up", io);
			port_close("net_hashtap16", port);
			continue;
		}
		check_ok(rte_pmd_hashtap_io(port) == ways[w].want &&
		       rte_pmd_hashtap_rx_queue_io(port, 0) == ways[w].want &&
		       rte_pmd_hashtap_rx_queue_io(port, 1) == -EINVAL,
		       "io=%s: rte_pmd_hashtap_io() and rx_queue_io() say %s (%d, %d)", io, io,
		       rte_pmd_hashtap_io(port), rte_pmd_hashtap_rx_queue_io(port, 0));

		/* transmit: 8 bursts of 32 */
		s0 = port_xstat(port, "tx_syscalls");
		for (b = 0; b < 8; b++) {
			uint16_t sent;

			for (i = 0; i < 32; i++)
				m[i] = dp_mbuf(mp, b * 32 + i, 0);
			sent = rte_eth_tx_burst(port, 0, m, 32);
			rte_pktmbuf_free_bulk(m + sent, 32 - sent);
		}
		got = dp_kernel_recv(pkt, DP_TX_PORT, &next, &inorder, 256, 3000);
		check_ok(got == 256 && inorder, "io=%s: 8 tx bursts of 32: %u of 256 frames on the kernel side, in order: %s",
		       io, got, inorder ? "yes" : "no");
		if (ways[w].want == RTE_PMD_HASHTAP_IO_URING)
			check_ok(port_xstat(port, "tx_syscalls") - s0 == 8,
			       "io=uring: one submission a tx burst (tx_syscalls +%" PRIu64 " for 8 bursts)",
			       port_xstat(port, "tx_syscalls") - s0);
		else
			check_ok(port_xstat(port, "tx_syscalls") - s0 == 256,
			       "io=syscall: one writev a frame (tx_syscalls +%" PRIu64 " for 256)",
			       port_xstat(port, "tx_syscalls") - s0);
		/* a burst with a frame refused before writing, and one with nothing to write */
		s0 = port_xstat(port, "tx_syscalls");
		r0 = port_xstat(port, "tx_drop_runt");
		m[0] = dp_mbuf(mp, 256, 0);
		m[1] = dp_mbuf(mp, 0, 10);	/* a runt */
		m[2] = dp_mbuf(mp, 257, 0);
		rc = rte_eth_tx_burst(port, 0, m, 3);
		m[0] = dp_mbuf(mp, 0, 10);
		m[1] = dp_mbuf(mp, 0, 12);
		rc += rte_eth_tx_burst(port, 0, m, 2) << 8;
		next = 256;
		inorder = true;
		got = dp_kernel_recv(pkt, DP_TX_PORT, &next, &inorder, 2, 2000);
		check_ok(rc == (3 | 2 << 8) && got == 2 && inorder && port_xstat(port, "tx_drop_runt") - r0 == 3 &&
		       port_xstat(port, "tx_syscalls") - s0 == (ways[w].want == RTE_PMD_HASHTAP_IO_URING ? 1 : 2),
		       "io=%s: runts in a burst are dropped and counted, the rest sent; a burst of runts only makes no syscall (taken %d/%d, %u sent, runts +%" PRIu64 ", tx_syscalls +%" PRIu64 ")",
		       io, rc & 0xff, rc >> 8, got, port_xstat(port, "tx_drop_runt") - r0,
		       port_xstat(port, "tx_syscalls") - s0);
		/* a shared mbuf: its headroom is not the driver's to write the header into */
		{
			struct rte_mbuf *sh = dp_mbuf(mp, 258, 0);
			uint8_t *hr = rte_pktmbuf_mtod(sh, uint8_t *) - VNET_HDR_LEN_HASH;
			uint16_t sent;

			memset(hr, 0xa5, VNET_HDR_LEN_HASH);
			rte_mbuf_refcnt_update(sh, 1);
			sent = rte_eth_tx_burst(port, 0, &sh, 1);
			next = 258;
			inorder = true;
			got = dp_kernel_recv(pkt, DP_TX_PORT, &next, &inorder, 1, 2000);
			for (i = 0; i < VNET_HDR_LEN_HASH && hr[i] == 0xa5; i++)
				;
			check_ok(sent == 1 && got == 1 && i == VNET_HDR_LEN_HASH && rte_mbuf_refcnt_read(sh) == 1,
			       "io=%s: a shared mbuf (refcnt 2) is sent, its headroom untouched, one reference dropped (refcnt %u)",
			       io, rte_mbuf_refcnt_read(sh));
			rte_pktmbuf_free(sh);
		}

		/* receive: the read armed, 48 frames queued, then bursts of 4 */
		rte_pktmbuf_free_bulk(m, rte_eth_rx_burst(port, 0, m, 1));
		rte_delay_us_sleep(20000);
		while ((rc = rte_eth_rx_burst(port, 0, m, 32)) > 0)	/* the namespace's own, if any */
			rte_pktmbuf_free_bulk(m, (unsigned int)rc);
		r0 = port_xstat(port, "rx_syscalls");
		if (dp_send(pkt, &to, 0, 48) != 0)
			check_diag("io=%s: send: %s", io, strerror(errno));
		rte_delay_us_sleep(50000);
		next = 0;
		inorder = true;
		got = dp_port_recv(port, 0, 4, &next, &inorder, 48, 3000);
		check_ok(got == 48 && inorder, "io=%s: 48 frames received in bursts of 4, in order: %u", io, got);
		if (ways[w].want == RTE_PMD_HASHTAP_IO_URING)
			check_ok(port_xstat(port, "rx_syscalls") - r0 <= 2,
			       "io=uring: one enter read them all, later bursts took them without a syscall (rx_syscalls +%" PRIu64 " for 12 bursts)",
			       port_xstat(port, "rx_syscalls") - r0);
		else
			check_ok(port_xstat(port, "rx_syscalls") - r0 >= 48,
			       "io=syscall: a readv a frame (rx_syscalls +%" PRIu64 ")",
			       port_xstat(port, "rx_syscalls") - r0);
		/* idle: what the namespace says of its own may come, one enter each */
		r0 = port_xstat(port, "rx_syscalls");
		for (i = 0, rc = 0; i < 100; i++) {
			uint16_t k = rte_eth_rx_burst(port, 0, m, 32);

			rc += k;
			rte_pktmbuf_free_bulk(m, k);
		}
		if (ways[w].want == RTE_PMD_HASHTAP_IO_URING)
			check_ok(port_xstat(port, "rx_syscalls") - r0 <= (uint64_t)rc,
			       "io=uring: 100 bursts of an idle queue make no syscall but for what came (rx_syscalls +%" PRIu64 ", %d frames)",
			       port_xstat(port, "rx_syscalls") - r0, rc);
		else
			check_ok(port_xstat(port, "rx_syscalls") - r0 >= 100,
			       "io=syscall: 100 bursts of an idle queue make 100 readv at least (rx_syscalls +%" PRIu64 ")",
			       port_xstat(port, "rx_syscalls") - r0);
		close(pkt);
		port_close("net_hashtap16", port);
		check_ok(rte_mempool_in_use_count(mp) == 0, "io=%s: mempool in use back to 0 (%u)", io,
		       rte_mempool_in_use_count(mp));
		test_sh("ip netns del " NS_A);
	}

	/* io=uring: a queue whose frames may span mbufs reads with readv();
	 * an MTU whose frames fill an mbuf to its last byte is refused while
	 * the port runs, and read with readv() after a restart */
	if (port_open("net_hashtap16", "iface=htpd0,io=uring", &port) == 0) {
		struct rte_eth_conf sc = { .rxmode.offloads = RTE_ETH_RX_OFFLOAD_SCATTER };
		/* the frames of MTU full (2 VLAN tags too) fill a default mbuf to its last byte */
		const uint16_t full = (uint16_t)(RTE_MBUF_DEFAULT_DATAROOM - RTE_ETHER_HDR_LEN - 2 * RTE_VLAN_HLEN);

		int qio;

		rc = port_start(port, 1, 1, &sc, mp);
		qio = rte_pmd_hashtap_rx_queue_io(port, 0);
		check_ok(rc == 0 && rte_pmd_hashtap_io(port) == RTE_PMD_HASHTAP_IO_URING &&
		       qio == RTE_PMD_HASHTAP_IO_SYSCALL,
		       "io=uring with scatter: the rx queue reads with readv() (%d)", qio);
		rte_eth_dev_stop(port);
		rc = port_start(port, 1, 1, &conf, mp);
		qio = rte_pmd_hashtap_rx_queue_io(port, 0);
		check_ok(rc == 0 && qio == RTE_PMD_HASHTAP_IO_URING &&
		       rte_eth_dev_set_mtu(port, (uint16_t)(full - 1)) == 0 &&
		       rte_eth_dev_set_mtu(port, full) != 0,
		       "io=uring: MTU %u (frames of an mbuf but one byte) taken while running, MTU %u refused (%d)",
		       full - 1, full, qio);
		rte_eth_dev_stop(port);
		rc = rte_eth_dev_set_mtu(port, full) || rte_eth_dev_start(port);
		qio = rte_pmd_hashtap_rx_queue_io(port, 0);
		check_ok(rc == 0 && qio == RTE_PMD_HASHTAP_IO_SYSCALL,
		       "io=uring: MTU %u set while stopped: after start the queue reads with readv() (%d)",
		       full, qio);
		port_close("net_hashtap16", port);
	} else {
		check_ok(false, "io=uring: probe: %s", port_log);
	}
	check_ok(rte_mempool_in_use_count(mp) == 0, "datapath: mempool in use back to 0");
	rte_mempool_free(mp);
}

/*
 * Queues stopped and started one by one (and rx_deferred_start): a stopped
 * queue's bursts return 0, it gives back its mbufs, and after a start
 * frames flow again; the frames the kernel queued meanwhile arrive.
 */
static void
t_queue_restart(void)
{
	struct rte_mempool *mp = port_pool("qrs", 2048, 0);
	struct rte_eth_conf conf = { 0 };
	struct rte_eth_rxconf rxc = { .rx_deferred_start = 1 };
	struct rte_eth_rxq_info qi;
	struct sockaddr_ll to;
	struct rte_mbuf *m[32];
	unsigned int got, in_use;
	uint32_t next;
	bool inorder;
	uint16_t port, sent;
	int pkt = -1;

	ns_add(NS_A);
	if (port_open("net_hashtap17", "iface=" TAP_A, &port) != 0 ||
	    rte_eth_dev_configure(port, 1, 2, &conf) != 0 ||
	    rte_eth_rx_queue_setup(port, 0, 64, 0, &rxc, mp) != 0 ||
	    rte_eth_tx_queue_setup(port, 0, 64, 0, NULL) != 0 ||
	    rte_eth_tx_queue_setup(port, 1, 64, 0, NULL) != 0 || rte_eth_dev_start(port) != 0 ||
	    move_to_ns(TAP_A, NS_A) != 0 || (pkt = netns_packet_socket(NS_A, TAP_A, &to, 0)) < 0) {
		check_ok(false, "queue-restart: rig up: %s", port_log);
		goto out;
	}
	check_ok(rte_eth_rx_queue_info_get(port, 0, &qi) == 0 && qi.queue_state == RTE_ETH_QUEUE_STATE_STOPPED &&
	       rte_pmd_hashtap_rx_queue_io(port, 0) == -EAGAIN && rte_eth_rx_burst(port, 0, m, 32) == 0,
	       "rx_deferred_start: the queue is not started with the port, its bursts return 0");
	dp_send(pkt, &to, 0, 16);
	rte_delay_us_sleep(50000);
	check_ok(rte_eth_dev_rx_queue_start(port, 0) == 0 && rte_eth_rx_queue_info_get(port, 0, &qi) == 0 &&
	       qi.queue_state == RTE_ETH_QUEUE_STATE_STARTED,
	       "rte_eth_dev_rx_queue_start: started");
	next = 0;
	inorder = true;
	got = dp_port_recv(port, 0, 32, &next, &inorder, 16, 3000);
	check_ok(got == 16 && inorder, "the 16 frames sent before the queue started arrive, in order (%u)", got);
	in_use = rte_mempool_in_use_count(mp);
	check_ok(rte_eth_dev_rx_queue_stop(port, 0) == 0 && rte_eth_rx_burst(port, 0, m, 32) == 0 &&
	       rte_mempool_in_use_count(mp) == 0,
	       "rx queue stopped: bursts return 0, its mbufs are back (in use %u, was %u)",
	       rte_mempool_in_use_count(mp), in_use);
	dp_send(pkt, &to, 16, 16);
	rte_delay_us_sleep(50000);
	check_ok(rte_eth_dev_rx_queue_start(port, 0) == 0, "rx queue started again");
	next = 16;
	inorder = true;
	got = dp_port_recv(port, 0, 32, &next, &inorder, 16, 3000);
	check_ok(got == 16 && inorder, "the 16 frames queued while it was stopped arrive, in order (%u)", got);
	check_ok(rte_eth_dev_tx_queue_stop(port, 1) == 0, "tx queue 1 stopped");
	m[0] = dp_mbuf(mp, 0, 0);
	sent = rte_eth_tx_burst(port, 1, m, 1);
	check_ok(sent == 0, "a stopped tx queue takes nothing (the caller keeps its mbuf)");
	check_ok(rte_eth_dev_tx_queue_start(port, 1) == 0 && rte_eth_tx_burst(port, 1, m, 1) == 1,
	       "tx queue 1 started again: it sends");
	if (sent == 0 && rte_mbuf_refcnt_read(m[0]) == 0)
		check_diag("queue-restart: mbuf freed twice?");
	close(pkt);
out:
	port_close("net_hashtap17", port);
	check_ok(rte_mempool_in_use_count(mp) == 0, "queue-restart: mempool in use back to 0 (%u)",
	       rte_mempool_in_use_count(mp));
	test_sh("ip netns del " NS_A);
	rte_mempool_free(mp);
}

/*
 * Stop and close while the queue holds frames the kernel read and no burst
 * took yet (io=uring: completions in flight): nothing leaks, nothing is
 * used after it is freed (ASan), the port runs again after a restart.
 * io=syscall reads one frame a burst, so those frames wait in the kernel.
 */
static void
t_inflight(void)
{
	struct rte_mempool *mp = port_pool("infl", 2048, 0);
	struct sockaddr_ll to;
	struct rte_mbuf *m[32];
	uint32_t next;
	bool inorder, uring;
	unsigned int got;
	uint16_t port;
	int pkt = -1;

	if (rig_tap("net_hashtap18", "iface=" TAP_A, 1, 0, mp, &port, &pkt, &to) != 0) {
		check_ok(false, "inflight: rig up");
		goto out;
	}
	uring = rte_pmd_hashtap_io(port) == RTE_PMD_HASHTAP_IO_URING;
	rte_pktmbuf_free_bulk(m, rte_eth_rx_burst(port, 0, m, 1));	/* armed */
	rte_delay_us_sleep(20000);
	while (rte_eth_rx_burst(port, 0, m, 1) == 1)
		rte_pktmbuf_free(m[0]);
	dp_send(pkt, &to, 0, 40);
	rte_delay_us_sleep(50000);
	got = rte_eth_rx_burst(port, 0, m, 1);
	rte_pktmbuf_free_bulk(m, got);
	rte_eth_dev_stop(port);
	check_ok(got == 1 && rte_mempool_in_use_count(mp) == 0,
	       "stopped with 39 frames read by the kernel or queued in it: mempool in use 0 (%u)",
	       rte_mempool_in_use_count(mp));
	if (uring)
		check_ok(port_xstat(port, "rx_drop_stopped") == 39,
		       "io=uring: the 39 frames read that no burst took are counted (rx_drop_stopped %" PRIu64 ")",
		       port_xstat(port, "rx_drop_stopped"));
	check_ok(rte_eth_dev_start(port) == 0, "started again");
	next = uring ? 40 : 1;
	inorder = true;
	if (dp_send(pkt, &to, 40, 8) != 0)
		check_diag("inflight: send: %s", strerror(errno));
	got = dp_port_recv(port, 0, 32, &next, &inorder, uring ? 8 : 47, 3000);
	check_ok(got == (uring ? 8u : 47u) && inorder && port_xstat(port, uring ? "rx_drop_stopped" : "rx_read_errors") ==
	       (uring ? 39u : 0u), "after the restart: %s frames arrive, in order (%u)",
	       uring ? "the 8 new" : "the 39 queued and the 8 new", got);
	/* close with completions there */
	dp_send(pkt, &to, 48, 40);
	rte_delay_us_sleep(50000);
	got = rte_eth_rx_burst(port, 0, m, 1);
	rte_pktmbuf_free_bulk(m, got);
	close(pkt);
out:
	port_close("net_hashtap18", port);
	check_ok(rte_mempool_in_use_count(mp) == 0, "closed with frames read and not taken: mempool in use 0 (%u)",
	       rte_mempool_in_use_count(mp));
	test_sh("ip netns del " NS_A);
	rte_mempool_free(mp);
}

/* Polling from another thread (one at a time, as DPDK allows) */
struct thread_rx {
	uint16_t port;
	uint32_t next;
	bool inorder;
	unsigned int got;
};

static void *
thread_rx(void *arg)
{
	struct thread_rx *t = arg;

	t->got = dp_port_recv(t->port, 0, 32, &t->next, &t->inorder, 16, 3000);
	return NULL;
}

static void
t_thread(void)
{
	struct rte_mempool *mp = port_pool("thr", 2048, 0);
	struct thread_rx t = { .inorder = true };
	struct sockaddr_ll to;
	pthread_t th;
	unsigned int got, round;
	uint16_t port;
	int pkt = -1;

	if (rig_tap("net_hashtap19", "iface=" TAP_A, 1, 0, mp, &port, &pkt, &to) != 0) {
		check_ok(false, "thread: rig up");
		goto out;
	}
	t.port = port;
	for (round = 0; round < 3; round++) {
		dp_send(pkt, &to, round * 16, 16);
		rte_delay_us_sleep(20000);
		if (round == 1) {	/* another thread */
			t.next = 16;
			pthread_create(&th, NULL, thread_rx, &t);
			pthread_join(th, NULL);
			got = t.got;
		} else {
			t.next = round * 16;
			got = dp_port_recv(port, 0, 32, &t.next, &t.inorder, 16, 3000);
		}
		check_ok(got == 16 && t.inorder, "thread: round %u, polled by %s: 16 frames, in order (%u)",
		       round, round == 1 ? "another thread" : "the main thread", got);
	}
	close(pkt);
out:
	port_close("net_hashtap19", port);
	check_ok(rte_mempool_in_use_count(mp) == 0, "thread: mempool in use back to 0 (%u)",
	       rte_mempool_in_use_count(mp));
	test_sh("ip netns del " NS_A);
	rte_mempool_free(mp);
}

/*
 * The kernel side takes its link down: a tap's writes fail (EIO), so a tx
 * burst returns what it sent before, counts one tx_write_errors, and
 * leaves the rest to the caller; with the link up again frames go out.
 */
static void
t_tx_link_down(void)
{
	struct rte_mempool *mp = port_pool("txld", 1024, 0);
	struct sockaddr_ll to;
	struct rte_mbuf *m[4];
	uint64_t we0;
	uint32_t next = 0;
	bool inorder = true;
	unsigned int i, got;
	uint16_t port, sent;
	int pkt = -1;

	if (rig_tap("net_hashtap20", "iface=" TAP_A, 1, 0, mp, &port, &pkt, &to) != 0) {
		check_ok(false, "tx-link-down: rig up");
		goto out;
	}
	test_sh("ip -n " NS_A " link set " TAP_A " down");
	rte_delay_us_sleep(50000);
	we0 = port_xstat(port, "tx_write_errors");
	for (i = 0; i < 4; i++)
		m[i] = dp_mbuf(mp, i, 0);
	sent = rte_eth_tx_burst(port, 0, m, 4);
	check_ok(sent == 0 && port_xstat(port, "tx_write_errors") - we0 == 1,
	       "link down on the kernel side: the burst takes nothing, one tx_write_errors (%u, +%" PRIu64 ")",
	       sent, port_xstat(port, "tx_write_errors") - we0);
	for (i = sent; i < 4; i++)
		check_ok(i > sent || rte_mbuf_refcnt_read(m[i]) == 1, "the caller keeps its mbufs (refcnt %u)",
		       rte_mbuf_refcnt_read(m[i]));
	test_sh("ip -n " NS_A " link set " TAP_A " up");
	rte_delay_us_sleep(50000);
	i = sent;
	sent = (uint16_t)(sent + rte_eth_tx_burst(port, 0, m + sent, (uint16_t)(4 - sent)));
	rte_pktmbuf_free_bulk(m + sent, 4 - sent);
	got = dp_kernel_recv(pkt, DP_TX_PORT, &next, &inorder, 4, 2000);
	check_ok(sent == 4 && got == 4 && inorder, "link up again: the same 4 frames go out, in order (%u sent, %u seen)",
	       sent - i, got);
	close(pkt);
out:
	port_close("net_hashtap20", port);
	check_ok(rte_mempool_in_use_count(mp) == 0, "tx-link-down: mempool in use back to 0 (%u)",
	       rte_mempool_in_use_count(mp));
	test_sh("ip netns del " NS_A);
	rte_mempool_free(mp);
}

/* Threads of this process whose name starts with prefix */
static unsigned int
threads_named(const char *prefix)
{
	DIR *d = opendir("/proc/self/task");
	struct dirent *e;
	unsigned int n = 0;

	while (d != NULL && (e = readdir(d)) != NULL) {
		char p[300], comm[64] = "";
		FILE *f;

		snprintf(p, sizeof(p), "/proc/self/task/%s/comm", e->d_name);
		f = fopen(p, "r");
		if (f == NULL)
			continue;
		if (fgets(comm, sizeof(comm), f) != NULL && strncmp(comm, prefix, strlen(prefix)) == 0)
			n++;
		fclose(f);
	}
	if (d != NULL)
		closedir(d);
	return n;
}

/*
 * sqpoll=CPU: a kernel thread on that CPU does the port's writes (one for
 * all its tx queues); bursts need no syscall while it is awake, frames
 * still cross in order, and every mbuf comes back once the writes complete.
 */
static void
t_sqpoll(void)
{
	struct rte_mempool *mp = port_pool("sqp", 2048, 0);
	struct rte_eth_conf conf = { 0 };
	struct sockaddr_ll to;
	struct rte_mbuf *m[32];
	uint64_t s0;
	uint32_t next = 0;
	bool inorder = true;
	unsigned int b, i, got, sent = 0, threads;
	uint16_t port;
	int pkt = -1, rc;

	rc = port_open("net_hashtap21", "iface=htpd0,sqpoll=x", &port);
	check_ok(rc != 0 && strstr(port_log, "sqpoll=x: expected a CPU number") != NULL,
	       "sqpoll=x: the probe fails saying why");
	if (rc == 0)
		port_close("net_hashtap21", port);
	{
		char args[64], want[64];
		long ncpu = sysconf(_SC_NPROCESSORS_CONF);

		/* a CPU the machine does not have: refused at the probe, not at start */
		snprintf(args, sizeof(args), "iface=htpd0,sqpoll=%ld", ncpu);
		snprintf(want, sizeof(want), "sqpoll=%ld: no such CPU online", ncpu);
		rc = port_open("net_hashtap21", args, &port);
		check_ok(rc != 0 && strstr(port_log, want) != NULL,
			 "sqpoll=%ld (this machine has %ld CPUs): the probe fails saying why", ncpu,
			 ncpu);
		if (rc == 0)
			port_close("net_hashtap21", port);
	}
	rc = port_open("net_hashtap21", "iface=htpd0,io=syscall,sqpoll=0", &port);
	check_ok(rc != 0 && strstr(port_log, "sqpoll= is for io=uring") != NULL,
	       "io=syscall,sqpoll=0: the probe fails saying why");
	if (rc == 0)
		port_close("net_hashtap21", port);
	ns_add(NS_A);
	if (port_open("net_hashtap21", "iface=" TAP_A ",io=uring,sqpoll=1", &port) != 0 ||
	    port_start(port, 1, 2, &conf, mp) != 0 || move_to_ns(TAP_A, NS_A) != 0 ||
	    (pkt = netns_packet_socket(NS_A, TAP_A, &to, 0)) < 0) {
		check_ok(false, "sqpoll: rig up: %s", port_log);
		goto out;
	}
	threads = threads_named("iou-sqp");
	check_ok(threads == 1 && rte_pmd_hashtap_io(port) == RTE_PMD_HASHTAP_IO_URING,
	       "sqpoll=1: one SQ-polling kernel thread for the port's 2 tx queues (%u)", threads);
	s0 = port_xstat(port, "tx_syscalls");
	for (b = 0, i = 0; b < 8; b++) {
		unsigned int k = 0, tries;

		for (i = 0; i < 32; i++)
			m[i] = dp_mbuf(mp, b * 32 + i, 0);
		/* writes complete behind the burst: a queue whose slots are all
		 * in flight takes fewer, the caller sends the rest again */
		for (tries = 0, i = 0; k < 32 && tries < 1000; tries++, i++) {
			k += rte_eth_tx_burst(port, 0, m + k, (uint16_t)(32 - k));
			if (k < 32)
				rte_delay_us_sleep(1000);
		}
		sent += k;
		rte_pktmbuf_free_bulk(m + k, 32 - k);
	}
	got = dp_kernel_recv(pkt, DP_TX_PORT, &next, &inorder, 256, 3000);
	check_ok(sent == 256 && got == 256 && inorder,
	       "sqpoll: 8 bursts of 32 taken and on the kernel side, in order (%u taken, %u seen)", sent, got);
	check_ok(port_xstat(port, "tx_syscalls") - s0 <= 8,
	       "sqpoll: no syscall but to wake the thread (tx_syscalls +%" PRIu64 " for 8 bursts)",
	       port_xstat(port, "tx_syscalls") - s0);
	for (i = 0; i < 32; i++)
		m[i] = dp_mbuf(mp, 1000 + i, 0);
	sent = rte_eth_tx_burst(port, 1, m, 32);
	rte_pktmbuf_free_bulk(m + sent, 32 - sent);
	next = 1000;
	inorder = true;
	got = dp_kernel_recv(pkt, DP_TX_PORT, &next, &inorder, 32, 3000);
	check_ok(sent == 32 && got == 32 && inorder, "sqpoll: tx queue 1 sends through the same thread (%u, %u)",
	       sent, got);
	/* as fast as it goes: every queue slot and SQ entry in use at times;
	 * the kernel interface counts what it got (a packet socket would
	 * overflow) */
	{
		uint64_t end = rte_get_timer_cycles() + rte_get_timer_hz(), k0, k1 = 0;
		unsigned int taken = 0, t;

		k0 = dp_kernel_rx_packets();
		while (rte_get_timer_cycles() < end) {
			struct rte_mbuf *mm[64];
			uint16_t k;

			/* a burst of as many frames as the queue has slots */
			for (i = 0; i < RTE_DIM(mm); i++)
				mm[i] = dp_mbuf(mp, 3000, 0);
			k = rte_eth_tx_burst(port, 0, mm, RTE_DIM(mm));
			rte_pktmbuf_free_bulk(mm + k, RTE_DIM(mm) - k);
			taken += k;
		}
		for (t = 0; t < 50 && (k1 = dp_kernel_rx_packets()) - k0 < taken; t++)
			rte_delay_us_sleep(20000);
		check_ok(taken > 0 && k1 - k0 == taken,
		       "sqpoll: 1 s of bursts as fast as they go: %u frames taken, %" PRIu64 " got by the kernel interface",
		       taken, k1 - k0);
		while (recv(pkt, m, sizeof(m), 0) > 0)	/* what the socket kept */
			;
	}
	/* stopped right after a burst: its writes may still be in flight */
	for (i = 0; i < 32; i++)
		m[i] = dp_mbuf(mp, 2000 + i, 0);
	sent = rte_eth_tx_burst(port, 0, m, 32);
	rte_pktmbuf_free_bulk(m + sent, 32 - sent);
	rte_eth_dev_stop(port);
	next = 2000;
	inorder = true;
	got = dp_kernel_recv(pkt, DP_TX_PORT, &next, &inorder, sent, 2000);
	check_ok(rte_mempool_in_use_count(mp) == 0 && got == sent && inorder,
	       "sqpoll: stopped right after a burst of %u: every write completed (%u seen), every mbuf back (in use %u)",
	       sent, got, rte_mempool_in_use_count(mp));
	close(pkt);
out:
	port_close("net_hashtap21", port);
	check_ok(rte_mempool_in_use_count(mp) == 0, "sqpoll: mempool in use back to 0");
	test_sh("ip netns del " NS_A);
	rte_mempool_free(mp);
}

static void
vhost_extbuf_free(void *addr __rte_unused, void *opaque __rte_unused)
{
}

/*
 * io=vhost: a vhost-net device a queue, whose kernel thread reads and
 * writes the tap (the test kernel: vhost-net with the series'
 * VIRTIO_NET_F_HASH_REPORT, so that the ring carries the tap's 20-byte
 * header).  Elsewhere the probe fails saying why.  Frames cross intact,
 * in order, hashed in software for the burst's RSS state; a tx burst
 * kicks the thread once at most; a frame in memory the device cannot map
 * is dropped and counted and the ring goes on; stop and close give every
 * mbuf back, the frames the kernel wrote that no burst took counted.
 */
static void
t_vhost(void)
{
	static const uint8_t key[40] = {
		0x6d, 0x5a, 0x56, 0xda, 0x25, 0x5b, 0x0e, 0xc2, 0x41, 0x67, 0x25, 0x3d, 0x43, 0xa3,
		0x8f, 0xb0, 0xd0, 0xca, 0x2b, 0xcb, 0xae, 0x7b, 0x30, 0xb4, 0x77, 0xcb, 0x2d, 0xa3,
		0x80, 0x30, 0xf2, 0x0c, 0x6a, 0x42, 0xb7, 0x3b, 0xbe, 0xac, 0x01, 0xfa,
	};
	const uint32_t types = VNET_HASH_TYPE_ALL;
	struct rte_mempool *mp = port_pool("vh", 4096, 0);
	struct vnet_hash_key vk;
	struct rxcheck rc = { 0, 0 };
	struct sockaddr_ll to;
	struct rte_mbuf *m[32];
	uint64_t s0, k0;
	uint32_t next = 0;
	bool inorder = true;
	unsigned int b, i, got, sent = 0, threads, calls = 0;
	bool was_kernel_src = kernel_src;
	uint16_t port = RTE_MAX_ETHPORTS;
	int pkt = -1, r;

	r = port_open("net_hashtap22", "iface=htpd0,io=vhost,sqpoll=0", &port);
	check_ok(r != 0 && strstr(port_log, "sqpoll= is for io=uring") != NULL,
		 "io=vhost,sqpoll=0: the probe fails saying why");
	if (r == 0)
		port_close("net_hashtap22", port);
	if (!guest) {
		/* this host: no vhost-net, or one without the series */
		r = port_open("net_hashtap22", "iface=htpd0,io=vhost", &port);
		check_ok(r != 0 && strstr(port_log, "io=vhost, but ") != NULL &&
			 strstr(port_log, "use io=auto, io=uring or io=syscall") != NULL &&
			 !netns_if_exists(NULL, "htpd0"),
			 "io=vhost on a kernel without vhost-net's HASH_REPORT: the probe fails saying why, no tap left");
		if (r == 0)
			port_close("net_hashtap22", port);
		rte_mempool_free(mp);
		return;
	}
	r = port_open("net_hashtap22", "iface=htpd0,io=vhost,hash=kernel", &port);
	check_ok(r != 0 && strstr(port_log, "hash=kernel with io=vhost") != NULL &&
		 !netns_if_exists(NULL, "htpd0"), "io=vhost,hash=kernel: the probe fails saying why");
	if (r == 0)
		port_close("net_hashtap22", port);
	/* scatter: frames that may span mbufs are not io=vhost's */
	if (port_open("net_hashtap22", "iface=htpd0,io=vhost", &port) == 0) {
		struct rte_eth_conf sc = { 0 };

		sc.rxmode.offloads = RTE_ETH_RX_OFFLOAD_SCATTER;
		r = port_start_log(port, 1, 1, &sc, mp);
		check_ok(r != 0 && strstr(port_log, "which io=vhost does not read") != NULL,
			 "io=vhost with rx scatter: the start fails saying why (%d)", r);
		port_close("net_hashtap22", port);
	} else {
		check_ok(false, "io=vhost: probe: %s", port_log);
	}
	/* an rx pool whose buffers are pinned external memory (malloc()ed):
	 * the device cannot map them, the queue would receive nothing */
	{
		struct rte_pktmbuf_extmem ext = { .buf_len = 2u << 20, .buf_iova = RTE_BAD_IOVA,
						  .elt_size = 2048 };
		struct rte_mempool *xmp = NULL;
		struct rte_eth_conf c0 = { 0 };

		ext.buf_ptr = aligned_alloc(4096, ext.buf_len);
		if (ext.buf_ptr != NULL)
			xmp = rte_pktmbuf_pool_create_extbuf("vhx", 512, 0, 0, 2048, SOCKET_ID_ANY,
							     &ext, 1);
		if (xmp != NULL && port_open("net_hashtap22", "iface=htpd0,io=vhost", &port) == 0) {
			r = port_start_log(port, 1, 1, &c0, xmp);
			check_ok(r != 0 && strstr(port_log, "pinned external buffers") != NULL,
				 "io=vhost: an rx pool of pinned external buffers: the start fails saying why (%d)",
				 r);
			port_close("net_hashtap22", port);
		} else {
			check_ok(false, "io=vhost: extbuf pool rig: %s", port_log);
		}
		rte_mempool_free(xmp);
		free(ext.buf_ptr);
		port = RTE_MAX_ETHPORTS;
	}

	if (rig_tap("net_hashtap22", "iface=" TAP_A ",io=vhost,hash=software", 2, 0, mp, &port,
		    &pkt, &to) != 0 || set_rss(port, key, types) != 0) {
		check_ok(false, "io=vhost: rig up: %s", port_log);
		goto out;
	}
	threads = threads_named("vhost-");
	check_ok(rte_pmd_hashtap_io(port) == RTE_PMD_HASHTAP_IO_VHOST &&
		 rte_pmd_hashtap_rx_queue_io(port, 1) == RTE_PMD_HASHTAP_IO_VHOST &&
		 strcmp(rte_pmd_hashtap_io_name(RTE_PMD_HASHTAP_IO_VHOST), "vhost") == 0 &&
		 threads == 4, "io=vhost: rte_pmd_hashtap_io() says vhost; one vhost-net thread a queue (%u for 2 rx + 2 tx)",
		 threads);

	/* receive: frames of every kind, with lib/vnet_hash's hash and the
	 * classifier's whole packet type (the driver hashes them) */
	kernel_src = false;
	vnet_hash_key_set(&vk, key, sizeof(key));
	for (b = 0; b < 3; b++)
		for (i = 0; i < N_KINDS; i++) {
			uint8_t f[2048];
			const char *name;
			uint32_t len = kind_frame(i, f, &name);

			f[len - 1] = (uint8_t)b;	/* three distinct frames of each kind */
			rx_one(&rc, port, 2, pkt, &to, f, len, &vk, types, name, -1, 0);
		}
	check_ok(rc.bad == 0 && port_xstat(port, "rx_hash_kernel") == 0,
		 "io=vhost: %u frames of %u kinds arrive intact with lib/vnet_hash's hash, computed by the driver (%u wrong)",
		 rc.n, N_KINDS, rc.bad);
	/* many at once: the thread writes them while nobody polls */
	s0 = port_xstat(port, "rx_syscalls");
	if (dp_send(pkt, &to, 0, 200) != 0)
		check_diag("send: %s", strerror(errno));
	rte_delay_us_sleep(300 * 1000);
	got = dp_port_recv(port, 0, 32, &next, &inorder, 200, 100) +
		dp_port_recv(port, 1, 32, &next, &inorder, 200, 100);
	for (i = 0; i < 20 && got < 200; i++) {
		got += dp_port_recv(port, 0, 32, &next, &inorder, 200 - got, 50);
		got += dp_port_recv(port, 1, 32, &next, &inorder, 200 - got, 50);
	}
	check_ok(got == 200 && port_xstat(port, "rx_syscalls") - s0 <= 16,
		 "io=vhost: 200 frames sent at once all arrive (%u); bursts kick the thread only when it ran dry (rx_syscalls +%" PRIu64 ")",
		 got, port_xstat(port, "rx_syscalls") - s0);

	/* transmit: 8 bursts of 32 through a ring of 64: a burst takes what
	 * the ring has room for, the caller sends the rest again */
	next = 0;
	inorder = true;
	s0 = port_xstat(port, "tx_syscalls");
	for (b = 0; b < 8; b++) {
		unsigned int k = 0, tries;

		for (i = 0; i < 32; i++)
			m[i] = dp_mbuf(mp, b * 32 + i, 0);
		for (tries = 0; k < 32 && tries < 2000; tries++) {
			uint16_t t = rte_eth_tx_burst(port, 0, m + k, (uint16_t)(32 - k));

			calls += t > 0;
			k += t;
			if (k < 32)
				rte_delay_us_sleep(1000);
		}
		sent += k;
		rte_pktmbuf_free_bulk(m + k, 32 - k);
	}
	got = dp_kernel_recv(pkt, DP_TX_PORT, &next, &inorder, 256, 5000);
	check_ok(sent == 256 && got == 256 && inorder && port_xstat(port, "tx_syscalls") - s0 <= calls,
		 "io=vhost: 8 tx bursts of 32: %u taken, %u on the kernel side, in order: %s; at most a kick a burst that took frames (tx_syscalls +%" PRIu64 " for %u)",
		 sent, got, inorder ? "yes" : "no", port_xstat(port, "tx_syscalls") - s0, calls);
	/* a runt, a shared mbuf (header beside it, its headroom untouched), a
	 * chain of 3, a frame in memory no vhost device maps, then one more */
	{
		uint8_t f[256], *ext = malloc(2048), *hr;
		struct rte_mbuf_ext_shared_info *shinfo;
		uint16_t buflen = 2048;
		struct rte_mbuf *sh, *x;
		uint32_t len = dp_frame(f, sizeof(f), DP_TX_PORT, 300, 30), j;
		const uint32_t sizes[2] = { 20, 30 };
		uint64_t u0 = port_xstat(port, "tx_drop_unmapped"), r0 = port_xstat(port, "tx_drop_runt");
		uint8_t before[VNET_HDR_LEN_HASH];
		uint16_t k;

		sh = dp_mbuf(mp, 301, 0);
		rte_mbuf_refcnt_update(sh, 1);
		hr = rte_pktmbuf_mtod(sh, uint8_t *) - VNET_HDR_LEN_HASH;
		memcpy(before, hr, sizeof(before));
		x = rte_pktmbuf_alloc(mp);
		shinfo = ext == NULL ? NULL : rte_pktmbuf_ext_shinfo_init_helper(ext, &buflen,
									    vhost_extbuf_free, NULL);
		if (x != NULL && shinfo != NULL) {
			rte_pktmbuf_attach_extbuf(x, ext, 0, buflen, shinfo);
			x->data_off = RTE_PKTMBUF_HEADROOM;
			uint8_t g[256];

			j = dp_frame(g, sizeof(g), DP_TX_PORT, 9999, 30);
			memcpy(rte_pktmbuf_append(x, (uint16_t)j), g, j);
		}
		m[0] = dp_mbuf(mp, 0, 10);
		m[1] = port_mbuf_chain(mp, f, len, 3, sizes);	/* seq 300 */
		m[2] = sh;					/* seq 301 */
		m[3] = x;					/* dropped */
		m[4] = dp_mbuf(mp, 302, 0);
		for (k = 0, i = 0; k < 5 && i < 2000; i++) {
			k = (uint16_t)(k + rte_eth_tx_burst(port, 0, m + k, (uint16_t)(5 - k)));
			if (k < 5)
				rte_delay_us_sleep(1000);
		}
		next = 300;
		inorder = true;
		got = dp_kernel_recv(pkt, DP_TX_PORT, &next, &inorder, 3, 2000);
		check_ok(k == 5 && got == 3 && inorder &&
			 port_xstat(port, "tx_drop_unmapped") - u0 == 1 &&
			 port_xstat(port, "tx_drop_runt") - r0 == 1,
			 "io=vhost: a runt dropped (tx_drop_runt +%" PRIu64 "), a chain of 3 and a shared mbuf sent, a frame in malloc()ed memory dropped and counted (tx_drop_unmapped +%" PRIu64 "), the next one sent (%u of 5 taken; %u of 3 on the kernel side, in order: %s)",
			 port_xstat(port, "tx_drop_runt") - r0, port_xstat(port, "tx_drop_unmapped") - u0,
			 k, got, inorder ? "yes" : "no");
		/* the used ring gives mbufs back to the next burst, or to
		 * rte_eth_tx_done_cleanup() */
		for (i = 0; i < 2000 && rte_mbuf_refcnt_read(sh) > 1; i++) {
			rte_eth_tx_done_cleanup(port, 0, 0);
			rte_delay_us_sleep(1000);
		}
		check_ok(memcmp(before, hr, sizeof(before)) == 0 && rte_mbuf_refcnt_read(sh) == 1,
			 "io=vhost: a shared mbuf's headroom is not written, its reference given back");
		rte_pktmbuf_free(sh);
		free(ext);
	}
	/* DPDK memory added after the start (an external heap) is not in the
	 * devices' memory tables: its frames are dropped and counted, the
	 * ones after them go */
	{
		size_t hlen = 8u << 20;
		void *va = mmap(NULL, hlen, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		struct rte_mempool *xmp = NULL;
		uint64_t u0 = port_xstat(port, "tx_drop_unmapped");
		uint16_t k = 0;

		if (va != MAP_FAILED && rte_malloc_heap_create("vhheap") == 0 &&
		    rte_malloc_heap_memory_add("vhheap", va, hlen, NULL, 0, 4096) == 0)
			xmp = rte_pktmbuf_pool_create("vhxp", 255, 0, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
						      rte_malloc_heap_get_socket("vhheap"));
		if (xmp != NULL) {
			m[0] = dp_mbuf(xmp, 400, 0);
			for (i = 1; i < 21; i++)
				m[i] = dp_mbuf(mp, 400 + i, 0);
			for (i = 0; k < 21 && i < 2000; i++) {
				k = (uint16_t)(k + rte_eth_tx_burst(port, 0, m + k, (uint16_t)(21 - k)));
				if (k < 21)
					rte_delay_us_sleep(1000);
			}
			rte_pktmbuf_free_bulk(m + k, 21 - k);
			next = 401;
			inorder = true;
			got = dp_kernel_recv(pkt, DP_TX_PORT, &next, &inorder, 20, 3000);
			check_ok(k == 21 && got == 20 && inorder &&
				 port_xstat(port, "tx_drop_unmapped") - u0 == 1,
				 "io=vhost: a frame in a heap added after the start dropped and counted (tx_drop_unmapped +%" PRIu64 "), the 20 after it sent (%u of 21 taken, %u of 20 on the kernel side, in order: %s)",
				 port_xstat(port, "tx_drop_unmapped") - u0, k, got, inorder ? "yes" : "no");
			check_ok(rte_mempool_in_use_count(xmp) == 0, "io=vhost: the heap's pool is whole again");
		} else {
			check_ok(false, "io=vhost: external heap: %s", rte_strerror(rte_errno));
		}
		rte_mempool_free(xmp);
		if (va != MAP_FAILED) {
			rte_malloc_heap_memory_remove("vhheap", va, hlen);
			rte_malloc_heap_destroy("vhheap");
			munmap(va, hlen);
		}
	}
	/* stop with frames the thread wrote and no burst took, and writes in
	 * flight: every mbuf back, the unread frames counted */
	k0 = port_xstat(port, "rx_drop_stopped");
	dp_send(pkt, &to, 1000, 20);
	for (i = 0; i < 32; i++)
		m[i] = dp_mbuf(mp, 2000 + i, 0);
	sent = rte_eth_tx_burst(port, 1, m, 32);
	rte_pktmbuf_free_bulk(m + sent, 32 - sent);
	rte_delay_us_sleep(200 * 1000);
	rte_eth_dev_stop(port);
	next = 2000;
	inorder = true;
	got = dp_kernel_recv(pkt, DP_TX_PORT, &next, &inorder, sent, 2000);
	check_ok(rte_mempool_in_use_count(mp) == 0 && got == sent && inorder &&
		 port_xstat(port, "rx_drop_stopped") - k0 == 20,
		 "io=vhost: stopped with 20 frames unread and a burst of %u just sent: %u sent in order, every mbuf back (in use %u), rx_drop_stopped +%" PRIu64,
		 sent, got, rte_mempool_in_use_count(mp), port_xstat(port, "rx_drop_stopped") - k0);
	/* started again: new devices, frames cross again */
	r = rte_eth_dev_start(port);
	rc.n = rc.bad = 0;
	if (r == 0) {
		uint8_t f[2048];
		const char *name;
		uint32_t len = kind_frame(0, f, &name);

		rx_one(&rc, port, 2, pkt, &to, f, len, &vk, types, "after restart", -1, 0);
		m[0] = dp_mbuf(mp, 5000, 0);
		sent = rte_eth_tx_burst(port, 1, m, 1);
		next = 5000;
		inorder = true;
		got = dp_kernel_recv(pkt, DP_TX_PORT, &next, &inorder, 1, 2000);
	}
	check_ok(r == 0 && rc.bad == 0 && sent == 1 && got == 1 && threads_named("vhost-") == 4,
		 "io=vhost: restarted, frames cross both ways again (%u threads)", threads_named("vhost-"));
	close(pkt);
out:
	if (port != RTE_MAX_ETHPORTS)
		port_close("net_hashtap22", port);
	check_ok(rte_mempool_in_use_count(mp) == 0 && threads_named("vhost-") == 0,
		 "io=vhost: closed: mempool in use back to 0, no vhost-net thread left");
	kernel_src = was_kernel_src;	/* the later cases find it as it was */
	test_sh("ip netns del " NS_A);
	rte_mempool_free(mp);
}

PMD_CASE(PMD_DATAPATH, "datapath", t_datapath, true, true)
PMD_CASE(PMD_QUEUE_RESTART, "queue-restart", t_queue_restart, true, false)
PMD_CASE(PMD_INFLIGHT, "inflight", t_inflight, true, false)
PMD_CASE(PMD_THREAD, "thread", t_thread, true, false)
PMD_CASE(PMD_TX_LINK_DOWN, "tx-link-down", t_tx_link_down, true, false)
PMD_CASE(PMD_SQPOLL, "sqpoll", t_sqpoll, true, false)
PMD_CASE(PMD_VHOST, "vhost", t_vhost, true, true)
