/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 hashtap authors
 *
 * Red-team attacks on net_hashtap through the ethdev API.  Each attack
 * prints FINDING: (the driver broke a promise, or crashed under ASan) or
 * HELD: lines.  Namespaces rt-*, interfaces rt*; all removed at the end.
 *
 *   rt-pmd ATTACK...      (rt-pmd list)
 */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <arpa/inet.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <netinet/in.h>

#include <rte_bus_vdev.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_tcp.h>

#include "netns.h"
#include "pkt.h"
#include "port.h"
#include "check.h"
#include "rte_pmd_hashtap.h"
#include "vnet_hash.h"
#include "vnet_hdr.h"

#define RT_NS_A	"rt-a"
#define RT_NS_B	"rt-b"

static uint32_t
rt_udp4(uint8_t *buf, uint32_t cap, uint16_t sport, uint16_t payload)
{
	struct pkt_spec s = { .ipver = 4, .l4 = 17, .payload = payload, .dport = 9 };

	s.sport = sport;
	pkt_addr("10.99.0.1", s.src);
	pkt_addr("10.99.0.2", s.dst);
	return pkt_build(&s, buf, cap);
}

static struct rte_mbuf *
mk(struct rte_mempool *mp, const uint8_t *b, uint32_t len)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(mp);

	if (m == NULL || rte_pktmbuf_append(m, (uint16_t)len) == NULL) {
		printf("# no mbuf\n");
		exit(2);
	}
	memcpy(rte_pktmbuf_mtod(m, void *), b, len);
	return m;
}

/* ------------------------------------------------------------------ 1 */
/*
 * Reconfigure to fewer rx queues, keep the tx queues (ethdev keeps queues
 * below the new count: they stay valid).  README: tx queue j writes to
 * fd j mod nb_rxq.
 */
static void
a_stale_txfd(void)
{
	struct rte_mempool *mp = port_pool("stale", 512, 0);
	struct rte_eth_conf conf = { 0 };
	struct sockaddr_ll to;
	uint8_t frame[128], got[256];
	uint32_t len = rt_udp4(frame, sizeof(frame), 4242, 40);
	struct rte_mbuf *m;
	uint16_t port, sent1, sent2;
	int p[2], cap, rc;
	ssize_t n;
	bool leaked = false, seen = false;

	if (port_open("net_hashtap_rt1", "iface=rtp1", &port) != 0 ||
	    port_start(port, 3, 3, &conf, mp) != 0) {
		check_diag("stale-txfd: rig: %s", port_log);
		return;
	}
	rte_eth_dev_stop(port);
	rc = rte_eth_dev_configure(port, 1, 3, &conf);
	if (rc == 0)
		rc = rte_eth_dev_start(port);	/* tx queues 0..2 kept by ethdev */
	if (rc != 0) {
		check_diag("stale-txfd: reconfigure: %d", rc);
		goto out;
	}
	/* the application opens something: it gets the numbers the driver closed */
	if (pipe2(p, O_NONBLOCK | O_CLOEXEC) < 0) {
		check_diag("pipe: %s", strerror(errno));
		goto out;
	}
	test_sh("ls -l /proc/%d/fd | awk '{print $9,$10,$11}' | tr '\\n' ' '; echo", (int)getpid());
	test_sh("sysctl -qw net.ipv6.conf.rtp1.disable_ipv6=1");
	cap = netns_packet_socket(NULL, "rtp1", &to, 0);
	check_diag("stale-txfd: pipe fds %d,%d", p[0], p[1]);
	m = mk(mp, frame, len);
	sent2 = rte_eth_tx_burst(port, 2, &m, 1);
	if (sent2 == 0)
		rte_pktmbuf_free(m);
	m = mk(mp, frame, len);
	sent1 = rte_eth_tx_burst(port, 1, &m, 1);
	if (sent1 == 0)
		rte_pktmbuf_free(m);
	n = read(p[0], got, sizeof(got));
	leaked = n > 0;
	if (cap >= 0) {
		struct pollfd pf = { .fd = cap, .events = POLLIN };

		while (poll(&pf, 1, 300) > 0) {
			ssize_t k = recv(cap, got, sizeof(got), 0);

			if (k == (ssize_t)len && memcmp(got, frame, len) == 0)
				seen = true;
		}
		close(cap);
	}
	check_ok(!leaked && seen,
		   "stale-txfd: after configure(3 rx,3 tx) -> configure(1 rx,3 tx) without re-setup, tx on queue 2 "
		   "sent=%u, %zd bytes in the application's newly opened pipe (must be none); queue 1 sent=%u, "
		   "tx_write_errors=%" PRIu64 "; frame reached the tap: %s",
		   sent2, n, sent1, port_xstat(port, "tx_write_errors"), seen ? "yes" : "no");
	close(p[0]);
	close(p[1]);
out:
	port_close("net_hashtap_rt1", port);
	rte_mempool_free(mp);
}


/* ------------------------------------------------------------------ 1b */
/*
 * The same configuration again (2 rx, 2 tx) without re-setting the queues
 * up: dev_configure closes and reopens queue fds 1..n-1; the queues kept
 * by ethdev still hold the old numbers.  The application had closed a
 * low-numbered fd of its own in between, and opens a pipe afterwards.
 */
static void
a_stale_rxfd(void)
{
	struct rte_mempool *mp = port_pool("stalerx", 512, 0);
	struct rte_eth_conf conf = { 0 };
	struct rte_mbuf *m[8];
	uint16_t port, n = 0;
	int p[2], spare = open("/dev/null", O_RDONLY | O_CLOEXEC), rc, k;
	/* 20 zero bytes (a plausible vnet header), then text */
	static const char junk[] = "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0"
		"NOT-A-FRAME: the application's own data, read from its pipe by rx queue 1";

	if (port_open("net_hashtap_rt1b", "iface=rtp1b", &port) != 0 || port_start(port, 2, 2, &conf, mp) != 0) {
		check_diag("stale-rxfd: rig: %s", port_log);
		return;
	}
	rte_eth_dev_stop(port);
	check_diag("spare fd %d", spare);
	test_sh("ls -l /proc/%d/fd | awk '{print $9,$10,$11}' | tr '\\n' ' '; echo", (int)getpid());
	close(spare);	/* the application closes one of its files */
	rc = rte_eth_dev_configure(port, 2, 2, &conf);	/* same shape, e.g. to change an offload */
	if (rc == 0)
		rc = rte_eth_dev_start(port);
	if (rc != 0 || pipe2(p, O_NONBLOCK | O_CLOEXEC) < 0) {
		check_diag("stale-rxfd: reconfigure %d / pipe %s", rc, strerror(errno));
		goto out;
	}
	check_diag("stale-rxfd: the application's pipe got fds %d,%d", p[0], p[1]);
	test_sh("ls -l /proc/%d/fd | awk '{print $9,$10,$11}' | tr '\\n' ' '; echo", (int)getpid());
	if (write(p[1], junk, sizeof(junk)) < 0)
		check_diag("write: %s", strerror(errno));
	for (k = 0; k < 20; k++) {
		for (uint16_t q = 0; q < 2; q++) {
			uint16_t g = rte_eth_rx_burst(port, q, m, 8);

			/* the tap's own chatter (IPv6) may come; the pipe's text must not */
			for (uint16_t j = 0; j < g; j++)
				if (memmem(rte_pktmbuf_mtod(m[j], char *), m[j]->data_len, "NOT-A-FRAME",
					   11) != NULL) {
					check_diag("stale-rxfd: received a %u-byte \"frame\": \"%.60s\"",
						 m[j]->pkt_len, rte_pktmbuf_mtod(m[j], char *));
					n++;
				}
			rte_pktmbuf_free_bulk(m, g);
		}
	}
	check_ok(n == 0, "stale-rxfd: configure(2,2) again, queues kept: %u frame(s) read from the "
		   "application's pipe (must be none); rx_read_errors %" PRIu64, n, port_xstat(port, "rx_read_errors"));
	close(p[0]);
	close(p[1]);
out:
	port_close("net_hashtap_rt1b", port);
	rte_mempool_free(mp);
}

/* ------------------------------------------------------------------ 2 */
/*
 * Another program attaches to the port's tap after the probe (a VMM
 * started with the same ifname, "careless operator").  The tap's flags and
 * vnet header size are the device's: does the port notice / survive?
 */
/* Send 20 frames from the kernel side; count what arrives intact or not. */
static void
foreign_round(uint16_t port, int pkt, const struct sockaddr_ll *to, unsigned int *exact,
	      unsigned int *other)
{
	uint8_t frame[256], ref[256];
	struct rte_mbuf *m[32];
	uint32_t len = rt_udp4(ref, sizeof(ref), 0, 60);
	unsigned int i;

	*exact = *other = 0;
	for (i = 0; i < 20 && pkt >= 0; i++) {
		uint32_t l = rt_udp4(frame, sizeof(frame), (uint16_t)(1000 + i), 60);

		sendto(pkt, frame, l, 0, (const struct sockaddr *)to, sizeof(*to));
	}
	rte_delay_us_sleep(200000);
	for (int t = 0; t < 20; t++) {
		uint16_t n = rte_eth_rx_burst(port, 0, m, 32);

		for (i = 0; i < n; i++) {
			const uint8_t *d = rte_pktmbuf_mtod(m[i], uint8_t *);

			/* the same frame but for the source port */
			if (m[i]->pkt_len == len && memcmp(d, ref, 34) == 0)
				(*exact)++;
			/* misread: ours, its addresses anywhere else (a header
			 * size not the port's shifts the frame); the namespace's
			 * own frames have other addresses */
			else if (memmem(d, m[i]->data_len, ref + 26, 8) != NULL)
				(*other)++;
		}
		rte_pktmbuf_free_bulk(m, n);
		rte_delay_us_sleep(10000);
	}
}

/*
 * A reader attaches to the port's tap after the probe and sets the vnet
 * header size to 12 (what QEMU sets): the port must stop (never hand over
 * a misread frame; link down), and go on once that reader lets go.
 */
static void
a_foreign_attach(void)
{
	struct rte_mempool *mp = port_pool("foreign", 1024, 0);
	struct rte_eth_conf conf = { .intr_conf.lsc = 1 };
	struct sockaddr_ll to;
	uint16_t port;
	unsigned int exact, other;
	int fd, pkt = -1;
	struct ifreq ifr;
	bool down, up;

	netns_fresh(RT_NS_A);
	if (port_open("net_hashtap_rt2", "iface=rtp2", &port) != 0 || port_start(port, 1, 1, &conf, mp) != 0 ||
	    test_sh("ip link set rtp2 netns " RT_NS_A " && ip netns exec " RT_NS_A
		    " sysctl -qw net.ipv6.conf.rtp2.disable_ipv6=1 && ip -n " RT_NS_A " link set rtp2 up") != 0) {
		check_ok(false, "foreign-attach: rig: %s", port_log);
		goto out;
	}
	pkt = netns_packet_socket(RT_NS_A, "rtp2", &to, 0);
	foreign_round(port, pkt, &to, &exact, &other);
	check_ok(exact == 20 && other == 0, "foreign-attach: before: 20 frames intact (%u, %u other)",
	       exact, other);
	/* the reader opens the tap where it is now: in the namespace */
	if (netns_enter(RT_NS_A) != 0) {
		check_ok(false, "foreign-attach: enter %s", RT_NS_A);
		goto out;
	}
	fd = port_tun_hold("rtp2", IFF_TAP | IFF_NO_PI | IFF_MULTI_QUEUE | IFF_VNET_HDR, 0);
	netns_back();
	if (fd >= 0) {
		int sz = 12;

		if (ioctl(fd, TUNSETVNETHDRSZ, &sz) < 0)
			check_diag("TUNSETVNETHDRSZ: %s", strerror(errno));
		/* detach its queue so every frame goes to the port's queue */
		memset(&ifr, 0, sizeof(ifr));
		ifr.ifr_flags = IFF_DETACH_QUEUE;
		if (ioctl(fd, TUNSETQUEUE, &ifr) < 0)
			check_diag("detach: %s", strerror(errno));
	}
	down = port_wait_link(port, RTE_ETH_LINK_DOWN, 3000);
	foreign_round(port, pkt, &to, &exact, &other);
	check_ok(fd >= 0 && down && exact + other == 0,
	       "foreign-attach: a reader that set the header size to 12: link down (%d), no frame handed over (%u intact, %u misread)",
	       down, exact, other);
	if (fd >= 0)
		close(fd);
	up = port_wait_link(port, RTE_ETH_LINK_UP, 3000);
	foreign_round(port, pkt, &to, &exact, &other);
	/* the frames sent while it was stopped waited in the tap: 40 */
	check_ok(up && exact >= 20 && other == 0,
	       "foreign-attach: once it let go: link up (%d), the frames arrive intact (%u, %u other)",
	       up, exact, other);
out:
	if (pkt >= 0)
		close(pkt);
	port_close("net_hashtap_rt2", port);
	test_sh("ip netns del " RT_NS_A);
	rte_mempool_free(mp);
}

/* ------------------------------------------------------------------ 3 */
/* Settings of a tap the port merely attached to, after the port closed. */
static int
hdrsz_of(const char *name)
{
	int fd = port_tun_hold(name, IFF_TAP | IFF_NO_PI | IFF_MULTI_QUEUE | IFF_VNET_HDR, 0), sz = -1;

	if (fd >= 0) {
		ioctl(fd, TUNGETVNETHDRSZ, &sz);
		close(fd);
	}
	return sz;
}

/* "qdisc noop" / "qdisc mq" out of an "ip link" line */
static void
strip_qdisc(char *line)
{
	char *q = strstr(line, "qdisc "), *e;

	if (q == NULL)
		return;
	e = strchr(q + 6, ' ');
	if (e != NULL)
		memmove(q, e + 1, strlen(e + 1) + 1);
}

static void
a_attached_leftovers(void)
{
	struct rte_mempool *mp = port_pool("left", 2048, 0);
	struct rte_eth_conf conf = { .rxmode.offloads = RTE_ETH_RX_OFFLOAD_TCP_LRO | RTE_ETH_RX_OFFLOAD_SCATTER };
	uint16_t port;
	int sz0, sz1;
	char before[512] = "", after[512] = "";
	FILE *f;

	test_sh("ip link del rtp3 2>/dev/null; ip tuntap add dev rtp3 mode tap multi_queue");
	sz0 = hdrsz_of("rtp3");
	f = popen("ip -d link show rtp3 | head -1; ethtool -k rtp3 | grep -E '^(tcp-segmentation-offload|tx-checksumming):'", "r");
	if (f) { size_t k = fread(before, 1, sizeof(before) - 1, f); before[k] = 0; pclose(f); }
	if (port_open("net_hashtap_rt3", "iface=rtp3", &port) != 0 || port_start(port, 1, 1, &conf, mp) != 0) {
		check_diag("leftovers: rig: %s", port_log);
		goto out;
	}
	rte_eth_promiscuous_enable(port);
	rte_eth_dev_set_mtu(port, 1400);
	port_close("net_hashtap_rt3", port);
	sz1 = hdrsz_of("rtp3");
	f = popen("ip -d link show rtp3 | head -1; ethtool -k rtp3 | grep -E '^(tcp-segmentation-offload|tx-checksumming):'", "r");
	if (f) { size_t k = fread(after, 1, sizeof(after) - 1, f); after[k] = 0; pclose(f); }
	check_diag("before:\n%s", before);
	check_diag("after:\n%s", after);
	strip_qdisc(before);	/* the kernel's own: a device that was up has one */
	strip_qdisc(after);
	check_ok(sz1 == sz0 && strcmp(before, after) == 0,
		   "attached-leftovers: a tap the port only attached to is left as found: vnet header size %d (was %d), "
		   "flags, MTU, offloads (above)", sz1, sz0);
out:
	test_sh("ip link del rtp3 2>/dev/null; true");
	rte_mempool_free(mp);
}

/* ------------------------------------------------------------------ 4 */
/* macvtap deleted under a started port: README "Deleted interface". */
static void
a_macvtap_deleted(void)
{
	struct rte_mempool *mp = port_pool("mvdel", 1024, 0);
	struct rte_eth_conf conf = { .intr_conf.lsc = 1 };
	struct rte_eth_link link;
	uint8_t frame[128];
	uint32_t len = rt_udp4(frame, sizeof(frame), 77, 40);
	struct rte_mbuf *m[4];
	uint16_t port = 0, sent, n = 0, i;
	int k, rc;

	if (test_sh("ip link del rtd0 2>/dev/null; ip link add rtd0 type veth peer name rtd1 && "
		  "ip link add link rtd0 name rtm0 type macvtap mode bridge && "
		  "ip link set rtd0 up && ip link set rtm0 up") != 0 ||
	    port_open("net_hashtap_rt4", "macvtap=rtm0", &port) != 0 ||
	    port_start(port, 2, 2, &conf, mp) != 0) {
		check_diag("macvtap-deleted: rig: %s", port_log);
		goto out;
	}
	test_sh("ip link del rtm0");
	for (k = 0; k < 300; k++) {
		rte_eth_link_get_nowait(port, &link);
		if (link.link_status == RTE_ETH_LINK_DOWN)
			break;
		rte_delay_us_sleep(10000);
	}
	for (k = 0; k < 50; k++)
		for (i = 0; i < 2; i++) {
			uint16_t g = rte_eth_rx_burst(port, i, m, 4);

			n += g;
			rte_pktmbuf_free_bulk(m, g);
		}
	for (k = 0; k < 4; k++)
		m[k] = mk(mp, frame, len);
	sent = rte_eth_tx_burst(port, 1, m, 4);
	rte_pktmbuf_free_bulk(m + sent, 4 - sent);
	rte_eth_dev_stop(port);
	rc = rte_eth_dev_start(port);
	check_ok(link.link_status == RTE_ETH_LINK_DOWN, "macvtap-deleted: link goes down");
	check_ok(sent == 0 && port_xstat(port, "tx_write_errors") > 0,
		   "macvtap-deleted: tx burst on the deleted macvtap returned %u of 4 (README: 0, caller keeps mbufs), "
		   "tx_write_errors %" PRIu64,
		   sent, port_xstat(port, "tx_write_errors"));
	check_ok(port_xstat(port, "rx_read_errors") > 0 && n == 0,
		   "macvtap-deleted: rx_read_errors %" PRIu64 " (README: counted), %u frames", port_xstat(port, "rx_read_errors"), n);
	check_ok(rc == -ENODEV, "macvtap-deleted: dev_start fails with ENODEV (%d)", rc);
	port_close("net_hashtap_rt4", port);
out:
	test_sh("ip link del rtm0 2>/dev/null; ip link del rtd0 2>/dev/null; true");
	rte_mempool_free(mp);
}


/* ------------------------------------------------------------------ 5 */
/*
 * A hostile kernel side floods frames the port drops (longer than its
 * buffers, no scatter).  One rx_burst(nb=32) call: how long, how many
 * reads?  And a control call (rss_hash_update) waits for the burst to end
 * (RCU): how long?
 */
struct flood_ctl {
	uint16_t port;
	atomic_bool go, stop;
	double max_ms;
	unsigned long calls;
};

static void *
flood_control(void *arg)
{
	struct flood_ctl *c = arg;
	uint8_t key[40];
	struct rte_eth_rss_conf rc = { .rss_key = key, .rss_key_len = 40,
		.rss_hf = RTE_ETH_RSS_IP };

	memset(key, 0x6d, sizeof(key));
	while (!atomic_load(&c->go))
		;
	while (!atomic_load(&c->stop)) {
		uint64_t t0 = rte_get_timer_cycles();
		double ms;

		key[0]++;
		rte_eth_dev_rss_hash_update(c->port, &rc);
		ms = (double)(rte_get_timer_cycles() - t0) * 1000.0 / (double)rte_get_timer_hz();
		if (ms > c->max_ms)
			c->max_ms = ms;
		c->calls++;
		rte_delay_us_sleep(1000);
	}
	return NULL;
}

static void
a_flood_oversize(void)
{
	struct rte_mempool *mp = port_pool("flood", 1024, 0);
	struct rte_eth_conf conf = { .rxmode.mq_mode = RTE_ETH_MQ_RX_RSS,
		.rxmode.offloads = RTE_ETH_RX_OFFLOAD_RSS_HASH,
		.rx_adv_conf.rss_conf.rss_hf = RTE_ETH_RSS_IP };
	struct sockaddr_ll to;
	static uint8_t big[9000];
	struct rte_mbuf *m[32];
	struct flood_ctl c = { 0 };
	pthread_t th;
	uint32_t blen;
	uint16_t port;
	unsigned int i;
	int pkt;
	pid_t kid[8] = { -1, -1, -1, -1, -1, -1, -1, -1 };
	int nkids = getenv("RT_FLOOD_SENDERS") ? RTE_MIN(atoi(getenv("RT_FLOOD_SENDERS")), 8) : 2;
	uint16_t fpay = getenv("RT_FLOOD_PAYLOAD") ? (uint16_t)atoi(getenv("RT_FLOOD_PAYLOAD")) : 8000;
	double worst = 0;
	uint64_t worst_drops = 0, max_drops = 0, calls = 0;

	netns_fresh(RT_NS_A);
	if (port_open("net_hashtap_rt5", "iface=rtp5,hash=software", &port) != 0 ||
	    port_start(port, 1, 1, &conf, mp) != 0 ||
	    test_sh("ip link set rtp5 netns " RT_NS_A " && ip netns exec " RT_NS_A
		  " sysctl -qw net.ipv6.conf.rtp5.disable_ipv6=1 && ip -n " RT_NS_A
		  " link set rtp5 mtu 8900 txqueuelen %s up", getenv("RT_FLOOD_QLEN") ? getenv("RT_FLOOD_QLEN") : "1000") != 0) {
		check_diag("flood: rig: %s", port_log);
		goto out;
	}
	pkt = netns_packet_socket(RT_NS_A, "rtp5", &to, 0);
	blen = rt_udp4(big, sizeof(big), 5, fpay);
	/* backlog first (RT_FLOOD_PREFILL, default 0): frames the port will drop */
	for (i = 0; i < (unsigned int)atoi(getenv("RT_FLOOD_PREFILL") ? getenv("RT_FLOOD_PREFILL") : "0"); i++)
		if (sendto(pkt, big, blen, 0, (struct sockaddr *)&to, sizeof(to)) < 0)
			break;
	check_diag("flood: %u oversize frames queued", i);
	c.port = port;
	pthread_create(&th, NULL, flood_control, &c);
	/* and two senders that keep it up */
	for (int k = 0; k < nkids; k++) {
		kid[k] = fork();
		if (kid[k] == 0) {
			uint64_t end = rte_get_timer_cycles() + 3 * rte_get_timer_hz();

			while (rte_get_timer_cycles() < end)
				sendto(pkt, big, blen, 0, (struct sockaddr *)&to, sizeof(to));
			_exit(0);
		}
	}
	atomic_store(&c.go, true);
	for (uint64_t end = rte_get_timer_cycles() + 3 * rte_get_timer_hz(); rte_get_timer_cycles() < end;) {
		uint64_t d0 = port_xstat(port, "rx_drop_truncated");
		uint64_t t0 = rte_get_timer_cycles();
		uint16_t n = rte_eth_rx_burst(port, 0, m, 32);
		double ms = (double)(rte_get_timer_cycles() - t0) * 1000.0 / (double)rte_get_timer_hz();
		uint64_t d = port_xstat(port, "rx_drop_truncated") - d0;

		rte_pktmbuf_free_bulk(m, n);
		calls++;
		max_drops = RTE_MAX(max_drops, d + n);
		if (ms > worst) {
			worst = ms;
			worst_drops = d;
		}
	}
	atomic_store(&c.stop, true);
	pthread_join(th, NULL);
	for (int k = 0; k < nkids; k++)
		if (kid[k] > 0)
			waitpid(kid[k], NULL, 0);
	/* timings only said: the check is the count of reads a call makes */
	check_diag("flood-oversize: the slowest rx_burst(32) took %.1f ms (%" PRIu64 " frames dropped in it); rss_hash_update took up to %.1f ms over %lu calls",
		 worst, worst_drops, c.max_ms, c.calls);
	check_ok(max_drops == 32,
	       "flood-oversize: one rx_burst(nb=32) reads at most 32 frames, dropped ones included (most in one call: %" PRIu64 ", %" PRIu64 " calls)",
	       max_drops, calls);
	close(pkt);
out:
	port_close("net_hashtap_rt5", port);
	test_sh("ip netns del " RT_NS_A);
	rte_mempool_free(mp);
}

/* ------------------------------------------------------------------ 6 */
/*
 * IPv6 with a 600-byte hop-by-hop header, then TCP: the kernel's hash
 * (kernel-patch 0001 reads the whole skb) and lib/vnet_hash on the frame
 * report TCPv6_EX.  Software hash in the driver on a scattered frame
 * gathers only 512 bytes.
 */
static uint32_t
ipv6_bighbh(uint8_t *b, uint32_t hbh_len, uint32_t payload)
{
	uint32_t off = 0, plen = hbh_len + 20 + payload, i;

	memset(b, 0, 14 + 40 + plen);
	memcpy(b, "\x02\x00\x00\x00\x00\x01\x02\x00\x00\x00\x00\x02\x86\xdd", 14);
	off = 14;
	b[off] = 0x60;
	b[off + 4] = (uint8_t)(plen >> 8);
	b[off + 5] = (uint8_t)plen;
	b[off + 6] = 0;		/* HBH */
	b[off + 7] = 64;
	b[off + 8 + 15] = 1;	/* 2001:db8::1 -> ::2, roughly */
	b[off + 8] = 0x20; b[off + 9] = 0x01;
	b[off + 24] = 0x20; b[off + 25] = 0x01; b[off + 39] = 2;
	off += 40;
	b[off] = 6;		/* next: TCP */
	b[off + 1] = (uint8_t)(hbh_len / 8 - 1);
	for (i = 2; i < hbh_len;) {	/* PadN options */
		uint32_t n = RTE_MIN(hbh_len - i - 2, 255u);

		b[off + i] = 1;
		b[off + i + 1] = (uint8_t)n;
		i += 2 + n;
	}
	off += hbh_len;
	b[off] = 0x30; b[off + 1] = 0x39;	/* 12345 */
	b[off + 2] = 0; b[off + 3] = 80;
	b[off + 12] = 0x50;
	b[off + 13] = 0x10;
	off += 20 + payload;
	return off;
}

static void
a_ext512(void)
{
	struct rte_mempool *mp = port_pool("ext", 1024, 0);
	struct rte_eth_conf conf = { .rxmode.mq_mode = RTE_ETH_MQ_RX_RSS,
		.rxmode.offloads = RTE_ETH_RX_OFFLOAD_RSS_HASH | RTE_ETH_RX_OFFLOAD_SCATTER,
		.rx_adv_conf.rss_conf.rss_hf = RTE_ETH_RSS_IP | RTE_ETH_RSS_TCP | RTE_ETH_RSS_UDP |
			RTE_ETH_RSS_IPV6_EX | RTE_ETH_RSS_IPV6_TCP_EX | RTE_ETH_RSS_IPV6_UDP_EX };
	struct sockaddr_ll to;
	static uint8_t f[9000];
	struct vnet_hash_key key;
	uint16_t port;
	int pkt, round;

	vnet_hash_key_set(&key, vnet_hash_default_key, 40);
	netns_fresh(RT_NS_A);
	if (port_open("net_hashtap_rt6", "iface=rtp6,hash=software", &port) != 0 ||
	    port_start(port, 1, 1, &conf, mp) != 0 ||
	    test_sh("ip link set rtp6 netns " RT_NS_A " && ip netns exec " RT_NS_A
		  " sysctl -qw net.ipv6.conf.rtp6.disable_ipv6=1 && ip -n " RT_NS_A
		  " link set rtp6 mtu 9000 up") != 0) {
		check_diag("ext512: rig: %s", port_log);
		goto out;
	}
	pkt = netns_packet_socket(RT_NS_A, "rtp6", &to, 0);
	for (round = 0; round < 2; round++) {
		/* round 0: 1400 bytes (one mbuf); round 1: 3000 bytes (scattered) */
		uint32_t len = ipv6_bighbh(f, 600, round == 0 ? 700 : 2400), want;
		unsigned int rep = vnet_hash_frame(&key, VNET_HASH_TYPE_ALL, f, len, &want), others = 0;
		struct rte_mbuf *m;
		uint16_t q;

		sendto(pkt, f, len, 0, (struct sockaddr *)&to, sizeof(to));
		/* ours by its bytes: the tap was up in the host's namespace
		 * before the move, and what the host said there (an MLD
		 * report: IPv6 + hop-by-hop) may still be queued */
		m = port_rx_match(port, 1, f, len, 500, &q, &others);
		if (others > 0)
			check_diag("ext512: %u other frame(s) before ours", others);
		if (m != NULL) {
			check_ok((m->ol_flags & RTE_MBUF_F_RX_RSS_HASH) && m->hash.rss == want,
				 "ext512: IPv6 + 600-byte hop-by-hop + TCP, %u bytes in %u mbuf(s): hash 0x%08x, "
				 "lib/vnet_hash on the frame says 0x%08x (%s)",
				 len, m->nb_segs, m->hash.rss, want, vnet_hash_report_name(rep));
			rte_pktmbuf_free(m);
		} else {
			check_ok(false, "ext512: the %u-byte frame was not received", len);
		}
	}
	close(pkt);
out:
	port_close("net_hashtap_rt6", port);
	test_sh("ip netns del " RT_NS_A);
	rte_mempool_free(mp);
}


/* ------------------------------------------------------------------ 7 */
/*
 * Careless tx: bogus offload flags and lengths.  Each case says what the
 * README promises ("a request the kernel would refuse or cannot do is
 * dropped and counted, never sent"; IPv4 checksum in software).  What
 * reaches the tap's kernel side is captured.
 */
struct txcase {
	const char *what;
	uint64_t ol;
	uint16_t l2, l3, l4, segsz;
	uint32_t payload;	/* TCP payload */
	uint8_t ihl_words;	/* IPv4 header in the frame (5..15) */
	unsigned int segs;	/* mbuf segments */
	int expect;		/* 1: sent (frame must be right), 0: dropped+counted */
};

static uint32_t
tcp4_frame(uint8_t *b, uint8_t ihl, uint32_t payload)
{
	uint32_t iphl = ihl * 4u, tot = iphl + 20 + payload, i;
	struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(b + 14);

	memset(b, 0, 14 + tot);
	memcpy(b, "\x02\x00\x00\x00\x00\x01\x02\x00\x00\x00\x00\x02\x08\x00", 14);
	ip->version_ihl = (uint8_t)(0x40 | ihl);
	ip->total_length = htons((uint16_t)RTE_MIN(tot, 65535u));
	ip->time_to_live = 64;
	ip->next_proto_id = IPPROTO_TCP;
	ip->src_addr = inet_addr("10.98.0.1");
	ip->dst_addr = inet_addr("10.98.0.2");
	for (i = 20; i < iphl; i++)
		b[14 + i] = 1;	/* NOP options */
	{
		struct rte_tcp_hdr *t = (struct rte_tcp_hdr *)(b + 14 + iphl);

		t->src_port = htons(1234);
		t->dst_port = htons(80);
		t->data_off = 0x50;
		t->tcp_flags = 0x10;
		t->rx_win = htons(1000);
	}
	for (i = 0; i < payload; i++)
		b[14 + iphl + 20 + i] = (uint8_t)i;
	return 14 + tot;
}

/* b as segs mbufs of len / segs bytes (at most 2000), the last the rest */
static struct rte_mbuf *
chain(struct rte_mempool *mp, const uint8_t *b, uint32_t len, unsigned int segs)
{
	uint32_t sizes[128];
	struct rte_mbuf *m;

	RTE_VERIFY(segs >= 1 && segs <= RTE_DIM(sizes));
	for (unsigned int i = 0; i < segs; i++)
		sizes[i] = RTE_MIN(len / segs, 2000u);
	m = port_mbuf_chain(mp, b, len, segs, sizes);
	if (m == NULL)
		exit(2);
	return m;
}

static void
a_tx_bogus(void)
{
	static const struct txcase cases[] = {
		{ "IP_CKSUM, l3_len 20 but the IPv4 header has 40 bytes of options (IHL 15)",
		  RTE_MBUF_F_TX_IP_CKSUM | RTE_MBUF_F_TX_IPV4, 14, 20, 0, 0, 100, 15, 1, 0 },
		{ "IP_CKSUM, l3_len 60 = IHL 15 (correct)",
		  RTE_MBUF_F_TX_IP_CKSUM | RTE_MBUF_F_TX_IPV4, 14, 60, 0, 0, 100, 15, 1, 1 },
		{ "TSO tso_segsz 0",
		  RTE_MBUF_F_TX_TCP_SEG | RTE_MBUF_F_TX_IPV4, 14, 20, 20, 0, 3000, 5, 2, 0 },
		{ "TSO tso_segsz 65535 (GSO_BY_FRAGS to the kernel)",
		  RTE_MBUF_F_TX_TCP_SEG | RTE_MBUF_F_TX_IPV4, 14, 20, 20, 65535, 3000, 5, 2, 0 },
		{ "TSO l4_len 8 (< TCP header)",
		  RTE_MBUF_F_TX_TCP_SEG | RTE_MBUF_F_TX_IPV4, 14, 20, 8, 1000, 3000, 5, 2, 0 },
		{ "TSO without TX_IPV4/IPV6",
		  RTE_MBUF_F_TX_TCP_SEG, 14, 20, 20, 1000, 3000, 5, 2, 0 },
		{ "TSO, frame of 70000 bytes (> 64 KiB)",
		  RTE_MBUF_F_TX_TCP_SEG | RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_IP_CKSUM, 14, 20, 20, 1400, 69946, 5, 40, 0 },
		{ "TCP_CKSUM with l2_len 0 l3_len 0",
		  RTE_MBUF_F_TX_TCP_CKSUM | RTE_MBUF_F_TX_IPV4, 0, 0, 0, 0, 100, 5, 1, 0 },
		{ "TCP_CKSUM with l2_len 127 l3_len 511 (beyond the frame)",
		  RTE_MBUF_F_TX_TCP_CKSUM | RTE_MBUF_F_TX_IPV4, 127, 511, 0, 0, 100, 5, 1, 0 },
		{ "IP_CKSUM with l2_len 127 l3_len 129 (hl 256 > frame)",
		  RTE_MBUF_F_TX_IP_CKSUM | RTE_MBUF_F_TX_IPV4, 127, 129, 0, 0, 100, 5, 1, 0 },
		{ "IP_CKSUM with l2_len 10 (< Ethernet)",
		  RTE_MBUF_F_TX_IP_CKSUM | RTE_MBUF_F_TX_IPV4, 10, 20, 0, 0, 100, 5, 1, 0 },
		{ "SCTP_CKSUM",
		  RTE_MBUF_F_TX_SCTP_CKSUM | RTE_MBUF_F_TX_IPV4, 14, 20, 0, 0, 100, 5, 1, 0 },
		{ "UDP_SEG on a TCP frame",
		  RTE_MBUF_F_TX_UDP_SEG | RTE_MBUF_F_TX_IPV4, 14, 20, 8, 1000, 3000, 5, 2, 0 },
		{ "TSO + tunnel VXLAN flag",
		  RTE_MBUF_F_TX_TCP_SEG | RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_TUNNEL_VXLAN, 14, 20, 20, 1000, 3000, 5, 2, 0 },
		{ "TSO tso_segsz 1 on 3000 bytes",
		  RTE_MBUF_F_TX_TCP_SEG | RTE_MBUF_F_TX_IPV4, 14, 20, 20, 1, 3000, 5, 2, 1 },
		{ "64 segments, IP_CKSUM (66 iovecs)",
		  RTE_MBUF_F_TX_IP_CKSUM | RTE_MBUF_F_TX_IPV4, 14, 20, 0, 0, 6000, 5, 64, 1 },
		{ "65 segments",
		  0, 14, 20, 0, 0, 6000, 5, 65, 0 },
	};
	struct rte_mempool *mp = port_pool("txb", 4096, 0);
	struct rte_eth_conf conf = { .txmode.offloads = RTE_ETH_TX_OFFLOAD_IPV4_CKSUM |
		RTE_ETH_TX_OFFLOAD_TCP_CKSUM | RTE_ETH_TX_OFFLOAD_UDP_CKSUM |
		RTE_ETH_TX_OFFLOAD_TCP_TSO | RTE_ETH_TX_OFFLOAD_MULTI_SEGS };
	struct sockaddr_ll to;
	static uint8_t b[80000], r[80000];
	uint16_t port;
	int cap;

	netns_fresh(RT_NS_A);
	if (port_open("net_hashtap_rt7", "iface=rtp7", &port) != 0 || port_start(port, 1, 1, &conf, mp) != 0 ||
	    test_sh("ip link set rtp7 netns " RT_NS_A " && ip netns exec " RT_NS_A
		  " sysctl -qw net.ipv6.conf.rtp7.disable_ipv6=1 && ip -n " RT_NS_A
		  " link set rtp7 up") != 0) {
		check_diag("tx-bogus: rig: %s", port_log);
		goto out;
	}
	cap = netns_packet_socket(RT_NS_A, "rtp7", &to, 0);
	{	/* GRO off on the capture side would not matter: AF_PACKET sees the GSO skb */
		int on = 1;

		setsockopt(cap, SOL_PACKET, PACKET_VNET_HDR, &on, sizeof(on));
	}
	for (unsigned int i = 0; i < RTE_DIM(cases); i++) {
		const struct txcase *c = &cases[i];
		uint32_t len = tcp4_frame(b, c->ihl_words, c->payload);
		struct rte_mbuf *m = chain(mp, b, len, c->segs);
		struct rte_eth_stats s0, s1;
		struct pollfd pf = { .fd = cap, .events = POLLIN };
		uint16_t sent;
		ssize_t k;
		int n = 0, good_ipck = 0;

		m->ol_flags = c->ol;
		m->l2_len = c->l2;
		m->l3_len = c->l3;
		m->l4_len = c->l4;
		m->tso_segsz = c->segsz;
		uint64_t we0 = port_xstat(port, "tx_write_errors");
		uint32_t maxlen = 0;

		rte_eth_stats_get(port, &s0);
		sent = rte_eth_tx_burst(port, 0, &m, 1);
		if (sent == 0)
			rte_pktmbuf_free(m);
		rte_eth_stats_get(port, &s1);
		while (poll(&pf, 1, 200) > 0 && (k = recv(cap, r, sizeof(r), 0)) > 0) {
			const uint8_t *fr = r + VNET_HDR_LEN_LEGACY;
			const struct rte_ipv4_hdr *ip = (const struct rte_ipv4_hdr *)(fr + 14);

			if (k < 10 + 34 || fr[12] != 8 || ip->dst_addr != inet_addr("10.98.0.2"))
				continue;
			n++;
			maxlen = RTE_MAX(maxlen, (uint32_t)(k - VNET_HDR_LEN_LEGACY));
			good_ipck += rte_ipv4_cksum(ip) == 0 || rte_raw_cksum(ip, (ip->version_ihl & 15) * 4u) == 0xffff;
		}
		if (c->expect)
			check_ok(sent == 1 && n >= 1 && (!(c->ol & RTE_MBUF_F_TX_IP_CKSUM) || good_ipck == n),
				   "tx-bogus: %s: sent %u, %d frame(s) on the kernel side, %d with a right IPv4 checksum",
				   c->what, sent, n, good_ipck);
		else
			check_ok(n == 0 && s1.oerrors == s0.oerrors + 1 &&
				   port_xstat(port, "tx_write_errors") == we0,
				   "tx-bogus: %s: burst returned %u, %d frame(s) reached the kernel side (%d IPv4-checksum right, longest %u of %u), "
				   "oerrors +%" PRIu64 ", tx_drop_bad_offload %" PRIu64 ", unsupported %" PRIu64
				   ", too_many_segs %" PRIu64 ", write_errors +%" PRIu64,
				   c->what, sent, n, good_ipck, maxlen, len, s1.oerrors - s0.oerrors,
				   port_xstat(port, "tx_drop_bad_offload"), port_xstat(port, "tx_drop_unsupported_offload"),
				   port_xstat(port, "tx_drop_too_many_segs"), port_xstat(port, "tx_write_errors") - we0);
	}
	close(cap);
	check_ok(rte_mempool_in_use_count(mp) == 0, "tx-bogus: mempool back to 0 (%u)",
		   rte_mempool_in_use_count(mp));
out:
	port_close("net_hashtap_rt7", port);
	test_sh("ip netns del " RT_NS_A);
	rte_mempool_free(mp);
}


/* ------------------------------------------------------------------ 8 */
/*
 * The tap is moved away and another interface takes its old name before
 * the driver's link-event handler runs (here: the application's LSC
 * callback is slow, which keeps the EAL interrupt thread busy).  Control
 * calls name the interface by its (cached) name: which interface do they
 * change?
 */
static atomic_int lsc_seen;

static int
slow_lsc(uint16_t port __rte_unused, enum rte_eth_event_type ev __rte_unused, void *a __rte_unused,
	 void *r __rte_unused)
{
	if (atomic_fetch_add(&lsc_seen, 1) == 0)
		sleep(3);	/* a careless application logs to a slow sink, ... */
	return 0;
}

static void
a_wrong_iface(void)
{
	struct rte_mempool *mp = port_pool("wrong", 512, 0);
	struct rte_eth_conf conf = { .intr_conf.lsc = 1 };
	uint16_t port;
	char out[1024] = "";
	FILE *f;
	int rc1, rc2, rc3;

	netns_fresh(RT_NS_A);
	test_sh("ip link del rtp8 2>/dev/null; true");
	if (port_open("net_hashtap_rt8", "iface=rtp8", &port) != 0 || port_start(port, 1, 1, &conf, mp) != 0) {
		check_diag("wrong-iface: rig: %s", port_log);
		goto out;
	}
	rte_eth_dev_callback_register(port, RTE_ETH_EVENT_INTR_LSC, slow_lsc, NULL);
	/* an event (up -> down, so it is one however late the handler runs):
	 * the callback sleeps, holding the interrupt thread */
	test_sh("ip link set rtp8 down");
	for (int t = 0; t < 500 && atomic_load(&lsc_seen) == 0; t++)
		rte_delay_us_sleep(10000);
	if (atomic_load(&lsc_seen) == 0) {
		check_ok(false, "wrong-iface: no LSC event within 5 s of a link change");
		goto closing;
	}
	/* the VM's side moves the tap away; somebody else's interface takes the name */
	test_sh("ip link set rtp8 netns " RT_NS_A " && ip link add rtp8 type veth peer name rtp8p");
	rc1 = rte_eth_promiscuous_enable(port);
	rc2 = rte_eth_dev_set_mtu(port, 1280);
	rc3 = rte_eth_dev_set_link_down(port);
	f = popen("ip link show rtp8 | head -1", "r");
	if (f) { size_t k = fread(out, 1, sizeof(out) - 1, f); out[k] = 0; pclose(f); }
	check_diag("the unrelated veth rtp8 now: %s", out);
	check_ok(strstr(out, "PROMISC") == NULL && strstr(out, "mtu 1280") == NULL,
		   "wrong-iface: tap moved away, an unrelated interface took its name before the link notification was read: "
		   "promiscuous_enable (%d), set_mtu 1280 (%d), set_link_down (%d) never reach it", rc1, rc2, rc3);
closing:
	rte_delay_us_sleep(3500000);
	rte_eth_dev_callback_unregister(port, RTE_ETH_EVENT_INTR_LSC, slow_lsc, NULL);
	port_close("net_hashtap_rt8", port);
out:
	test_sh("ip link del rtp8 2>/dev/null; ip netns del " RT_NS_A "; true");
	rte_mempool_free(mp);
}

/* ------------------------------------------------------------------ 9 */
/* Probe/close loops, good and failing: file descriptors and memory. */
static void
a_fd_leak(void)
{
	static const char *const bad[] = {
		"iface=rtp9,iface=rtp9", "iface=rtp9,bogus=1", "iface=rtp9,hash=kernel",
		"macvtap=rtp9x", "macvtap=lo", "iface=rtp9,mac=01:00:00:00:00:01", "iface=rt:9",
		"iface=rtp9,key=00", "iface=rtbusy9",
	};
	struct rte_mempool *mp = port_pool("leak", 1024, 0);
	struct rte_eth_conf conf = { .rxmode.mq_mode = RTE_ETH_MQ_RX_RSS,
		.rx_adv_conf.rss_conf.rss_hf = RTE_ETH_RSS_IP, .intr_conf.lsc = 1 };
	int fd0, fd1, hold;
	uint16_t port;
	unsigned int i, k, fails = 0;

	hold = port_tun_hold("rtbusy9", IFF_TAP | IFF_NO_PI | IFF_MULTI_QUEUE | IFF_VNET_HDR, 0);
	/* warm up EAL/ethdev once */
	if (port_open("net_hashtap_rt9", "iface=rtp9", &port) == 0)
		port_close("net_hashtap_rt9", port);
	fd0 = test_nfds();
	for (k = 0; k < 30; k++) {
		if (port_open("net_hashtap_rt9", "iface=rtp9", &port) == 0) {
			port_start(port, 4, 5, &conf, mp);
			rte_eth_dev_stop(port);
			port_start(port, 2, 1, &conf, mp);
			port_close("net_hashtap_rt9", port);
		}
		for (i = 0; i < RTE_DIM(bad); i++)
			fails += port_open("net_hashtap_rt9", bad[i], &port) != 0;
	}
	fd1 = test_nfds();
	check_ok(fd1 == fd0 && fails == 30 * RTE_DIM(bad),
		   "fd-leak: 30 x (probe, configure 4/5 and 2/1, close) + %zu failing probes each: fds %d -> %d, %u/%zu refused",
		   RTE_DIM(bad), fd0, fd1, fails, 30 * RTE_DIM(bad));
	check_ok(rte_mempool_in_use_count(mp) == 0, "fd-leak: mempool back to 0");
	if (hold >= 0)
		close(hold);
	test_sh("ip link del rtp9 2>/dev/null; ip link del rtbusy9 2>/dev/null; true");
	rte_mempool_free(mp);
}


/* ------------------------------------------------------------------ 10 */
/* The ethdev API with odd arguments (run under ASan). */
static void
a_api(void)
{
	struct rte_mempool *mp = port_pool("api", 1024, 0);
	struct rte_eth_conf conf = { .rxmode.mq_mode = RTE_ETH_MQ_RX_RSS,
		.rxmode.offloads = RTE_ETH_RX_OFFLOAD_RSS_HASH,
		.rx_adv_conf.rss_conf.rss_hf = RTE_ETH_RSS_IP };
	struct rte_eth_xstat xs[64];
	struct rte_eth_xstat_name xn[64];
	struct rte_eth_rss_reta_entry64 reta[4];
	uint8_t key[64], kout[64];
	struct rte_eth_rss_conf rc;
	uint16_t port;
	int n, rc1, rc2, rc3, rc4, rc5;
	unsigned int i;

	if (port_open("net_hashtap_rt10", "iface=rtp10", &port) != 0 || port_start(port, 2, 2, &conf, mp) != 0) {
		check_diag("api: rig: %s", port_log);
		goto out;
	}
	/* xstats with small and NULL buffers */
	n = rte_eth_xstats_get(port, NULL, 0);
	rc1 = rte_eth_xstats_get(port, xs, 1);
	rc2 = rte_eth_xstats_get_names(port, xn, 1);
	rc3 = rte_eth_xstats_get_names(port, NULL, 0);
	check_ok(rc1 == n && rc2 == n && rc3 == n, "api: xstats with 1-entry buffers: %d/%d/%d, count %d", rc1, rc2, rc3, n);
	{
		uint64_t ids[3] = { 0, (uint64_t)n - 1, (uint64_t)n + 5 }, v[3];

		rc1 = rte_eth_xstats_get_by_id(port, ids, v, 3);
		check_ok(rc1 < 0, "api: xstats_get_by_id with an id past the end: %d", rc1);
	}
	/* RSS key lengths */
	memset(key, 0x11, sizeof(key));
	rc = (struct rte_eth_rss_conf){ .rss_key = key, .rss_key_len = 39, .rss_hf = RTE_ETH_RSS_IP };
	rc1 = rte_eth_dev_rss_hash_update(port, &rc);
	rc.rss_key_len = 52;
	rc2 = rte_eth_dev_rss_hash_update(port, &rc);
	rc.rss_key_len = 0;
	rc3 = rte_eth_dev_rss_hash_update(port, &rc);
	rc = (struct rte_eth_rss_conf){ .rss_key = NULL, .rss_key_len = 40, .rss_hf = RTE_ETH_RSS_IP };
	rc4 = rte_eth_dev_rss_hash_update(port, &rc);
	rc = (struct rte_eth_rss_conf){ .rss_key = NULL, .rss_hf = RTE_ETH_RSS_L3_SRC_ONLY | RTE_ETH_RSS_IPV4 };
	rc5 = rte_eth_dev_rss_hash_update(port, &rc);
	check_ok(rc1 < 0 && rc2 < 0 && rc3 < 0 && rc4 == 0 && rc5 < 0,
		   "api: rss_hash_update key 39/52/0 bytes -> %d/%d/%d, NULL key -> %d, L3_SRC_ONLY -> %d",
		   rc1, rc2, rc3, rc4, rc5);
	/* conf_get with a short buffer */
	rc = (struct rte_eth_rss_conf){ .rss_key = kout, .rss_key_len = 10 };
	rc1 = rte_eth_dev_rss_hash_conf_get(port, &rc);
	check_ok(rc1 < 0, "api: rss_hash_conf_get with a 10-byte key buffer: %d", rc1);
	/* rss_hf 0: hash off; conf_get says? */
	rc = (struct rte_eth_rss_conf){ .rss_hf = 0 };
	rc1 = rte_eth_dev_rss_hash_update(port, &rc);
	rc = (struct rte_eth_rss_conf){ 0 };
	rte_eth_dev_rss_hash_conf_get(port, &rc);
	check_ok(rc1 == 0 && rc.rss_hf == 0, "api: rss_hf 0 -> %d, conf_get rss_hf 0x%" PRIx64, rc1, rc.rss_hf);
	/* RETA: wrong sizes, empty masks, a queue that does not exist */
	memset(reta, 0, sizeof(reta));
	rc1 = rte_eth_dev_rss_reta_update(port, reta, 64);
	rc2 = rte_eth_dev_rss_reta_update(port, reta, 256);
	rc3 = rte_eth_dev_rss_reta_update(port, reta, 128);	/* masks 0 */
	reta[1].mask = 1ull << 63;
	reta[1].reta[63] = 2;	/* queue 2 of 2 */
	rc4 = rte_eth_dev_rss_reta_update(port, reta, 128);
	reta[1].reta[63] = 1;
	reta[0].mask = 0;
	rc5 = rte_eth_dev_rss_reta_update(port, reta, 128);
	check_ok(rc1 < 0 && rc2 < 0 && rc3 < 0 && rc4 < 0 && rc5 == 0,
		   "api: reta_update size 64/256 -> %d/%d, 128 with empty masks -> %d, queue 2 of 2 -> %d, one entry -> %d",
		   rc1, rc2, rc3, rc4, rc5);
	memset(reta, 0, sizeof(reta));
	reta[1].mask = ~0ull;
	rc1 = rte_eth_dev_rss_reta_query(port, reta, 128);
	check_ok(rc1 == 0 && reta[1].reta[63] == 1, "api: reta_query sees it (%d, %u)", rc1, reta[1].reta[63]);
	/* MTU extremes while started */
	rc1 = rte_eth_dev_set_mtu(port, 67);
	rc2 = rte_eth_dev_set_mtu(port, 65517);
	rc3 = rte_eth_dev_set_mtu(port, 65535);
	rc4 = rte_eth_dev_set_mtu(port, 1500);
	check_ok(rc1 <= 0 && rc2 != 0 && rc3 != 0 && rc4 == 0,
		   "api: set_mtu 67 -> %d, 65517 (no scatter, 2 KiB mbufs) -> %d, 65535 -> %d, 1500 -> %d",
		   rc1, rc2, rc3, rc4);
	/* reset, MAC and mode flips while started */
	rc1 = rte_eth_dev_reset(port);
	check_diag("dev_reset -> %d (port state afterwards: started=%d)", rc1, rte_eth_dev_is_valid_port(port));
	for (i = 0; i < 200; i++) {
		struct rte_ether_addr a = { { 0x02, 0, 0, 0, (uint8_t)(i >> 8), (uint8_t)i } };

		rte_eth_promiscuous_enable(port);
		rte_eth_allmulticast_enable(port);
		rte_eth_dev_default_mac_addr_set(port, &a);
		rte_eth_promiscuous_disable(port);
		rte_eth_allmulticast_disable(port);
	}
	check_ok(rte_eth_promiscuous_get(port) == 0, "api: 200 promisc/allmulti/MAC flips");
	/* queue setup on a started port, release orders */
	rc1 = rte_eth_rx_queue_setup(port, 0, 64, 0, NULL, mp);
	rc2 = rte_eth_tx_queue_setup(port, 1, 64, 0, NULL);
	check_ok(rc1 != 0 && rc2 != 0, "api: queue setup while started refused (%d, %d)", rc1, rc2);
	rte_eth_dev_stop(port);
	rc1 = rte_eth_rx_queue_setup(port, 1, 0, 0, NULL, mp);
	rc2 = rte_eth_rx_queue_setup(port, 1, 65535, 0, NULL, mp);
	rc3 = rte_eth_rx_queue_setup(port, 5, 64, 0, NULL, mp);
	rc4 = rte_eth_dev_start(port);
	check_ok(rc1 == 0 && rc2 == 0 && rc3 != 0 && rc4 == 0,
		   "api: rx queue setup with 0 / 65535 descriptors -> %d/%d, queue 5 of 2 -> %d, start -> %d",
		   rc1, rc2, rc3, rc4);
	{
		static struct rte_mbuf *big[65535];
		uint16_t k = rte_eth_rx_burst(port, 1, big, 65535);

		rte_pktmbuf_free_bulk(big, k);
		k = rte_eth_rx_burst(port, 1, big, 0);
		k += rte_eth_tx_burst(port, 1, big, 0);
		check_ok(k == 0, "api: bursts of 0 and 65535");
	}
	port_close("net_hashtap_rt10", port);
	check_ok(rte_mempool_in_use_count(mp) == 0, "api: mempool back to 0");
out:
	rte_mempool_free(mp);
}

/* ------------------------------------------------------------------ 11 */
/* Close the port from its own LSC callback (the interrupt thread). */
static uint16_t close_port;
static atomic_int closed_in_cb;

static int
closing_lsc(uint16_t port, enum rte_eth_event_type ev __rte_unused, void *a __rte_unused,
	    void *r __rte_unused)
{
	if (atomic_fetch_add(&closed_in_cb, 1) == 0) {
		rte_eth_dev_stop(port);
		rte_eth_dev_close(port);
		atomic_store(&closed_in_cb, 100);
	}
	return 0;
}

static void
a_close_in_lsc(void)
{
	struct rte_mempool *mp = port_pool("clsc", 512, 0);
	struct rte_eth_conf conf = { .intr_conf.lsc = 1 };
	int i;

	if (port_open("net_hashtap_rt11", "iface=rtp11", &close_port) != 0 ||
	    port_start(close_port, 1, 1, &conf, mp) != 0) {
		check_diag("close-in-lsc: rig: %s", port_log);
		return;
	}
	rte_eth_dev_callback_register(close_port, RTE_ETH_EVENT_INTR_LSC, closing_lsc, NULL);
	test_sh("ip link set rtp11 down");
	for (i = 0; i < 300 && atomic_load(&closed_in_cb) != 100; i++)
		rte_delay_us_sleep(10000);
	check_ok(atomic_load(&closed_in_cb) == 100,
		   "close-in-lsc: rte_eth_dev_close from the port's LSC callback %s",
		   atomic_load(&closed_in_cb) == 100 ? "returned" : "did not return within 3 s (interrupt thread stuck)");
	if (atomic_load(&closed_in_cb) != 100) {
		printf("# leaving: the interrupt thread is stuck\n");
		test_sh("ip link del rtp11 2>/dev/null; true");
		_exit(check_done());
	}
	rte_vdev_uninit("net_hashtap_rt11");
	rte_mempool_free(mp);
}

/* ------------------------------------------------------------------ 12 */
/* stop/start, reconfigure, MTU and link flaps with traffic flowing. */
static void
a_churn(void)
{
	struct rte_mempool *mp = port_pool("churn", 2048, 0);
	struct rte_eth_conf conf = { .rxmode.mq_mode = RTE_ETH_MQ_RX_RSS,
		.rxmode.offloads = RTE_ETH_RX_OFFLOAD_RSS_HASH | RTE_ETH_RX_OFFLOAD_SCATTER,
		.rx_adv_conf.rss_conf.rss_hf = RTE_ETH_RSS_IP | RTE_ETH_RSS_UDP, .intr_conf.lsc = 1 };
	struct sockaddr_ll to;
	uint8_t frame[1600];
	struct rte_mbuf *m[32];
	uint16_t port;
	pid_t kid = -1, flap = -1;
	int pkt, i, fails = 0;
	uint64_t got = 0;

	netns_fresh(RT_NS_A);
	if (port_open("net_hashtap_rt12", "iface=rtp12", &port) != 0 || port_start(port, 4, 4, &conf, mp) != 0 ||
	    test_sh("ip link set rtp12 netns " RT_NS_A " && ip netns exec " RT_NS_A
		  " sysctl -qw net.ipv6.conf.rtp12.disable_ipv6=1 && ip -n " RT_NS_A " link set rtp12 up") != 0) {
		check_diag("churn: rig: %s", port_log);
		goto out;
	}
	pkt = netns_packet_socket(RT_NS_A, "rtp12", &to, 0);
	kid = fork();
	if (kid == 0) {
		uint64_t end = rte_get_timer_cycles() + 8 * rte_get_timer_hz();
		unsigned int k = 0;

		while (rte_get_timer_cycles() < end) {
			uint32_t len = rt_udp4(frame, sizeof(frame), (uint16_t)k, (uint16_t)(k % 1400));

			k++;

			sendto(pkt, frame, len, 0, (struct sockaddr *)&to, sizeof(to));
		}
		_exit(0);
	}
	flap = fork();
	if (flap == 0) {	/* the VM side: link and MTU flaps */
		for (int k = 0; k < 40; k++)
			if (system(k % 2 ? "ip -n " RT_NS_A " link set rtp12 mtu 9000 down" :
				   "ip -n " RT_NS_A " link set rtp12 mtu 1500 up") != 0)
				break;
		_exit(0);
	}
	for (i = 0; i < 300; i++) {
		struct rte_eth_dev_info di;

		rte_eth_dev_info_get(port, &di);
		for (uint16_t q = 0; q < di.nb_rx_queues; q++) {
			uint16_t n = rte_eth_rx_burst(port, q, m, 32);

			got += n;
			rte_pktmbuf_free_bulk(m, n);
		}
		switch (i % 6) {
		case 0:
			rte_eth_dev_stop(port);
			fails += rte_eth_dev_start(port) != 0;
			break;
		case 1:
			rte_eth_dev_stop(port);
			fails += port_start(port, (uint16_t)(1 + i % 4), 2, &conf, mp) != 0;
			break;
		case 2:
			rte_eth_dev_set_mtu(port, (uint16_t)(i % 2 ? 9000 : 1500));
			break;
		case 3:
			rte_eth_dev_set_link_down(port);
			rte_eth_dev_set_link_up(port);
			break;
		default:
			rte_eth_stats_reset(port);
			break;
		}
	}
	waitpid(kid, NULL, 0);
	waitpid(flap, NULL, 0);
	check_ok(fails == 0, "churn: 300 rounds of stop/start/reconfigure/MTU/link flaps under traffic: %d start failures, %" PRIu64 " frames", fails, got);
	close(pkt);
	port_close("net_hashtap_rt12", port);
	check_ok(rte_mempool_in_use_count(mp) == 0, "churn: mempool back to 0 (%u)", rte_mempool_in_use_count(mp));
out:
	test_sh("ip netns del " RT_NS_A);
	rte_mempool_free(mp);
}


/* ------------------------------------------------------------------ 13 */
/* A storm of link events from the VM side; control calls meanwhile. */
static atomic_uint storm_events;

static int
count_lsc(uint16_t port __rte_unused, enum rte_eth_event_type ev __rte_unused, void *a __rte_unused,
	  void *r __rte_unused)
{
	atomic_fetch_add(&storm_events, 1);
	return 0;
}

static void
a_lsc_storm(void)
{
	struct rte_mempool *mp = port_pool("storm", 512, 0);
	struct rte_eth_conf conf = { .intr_conf.lsc = 1 };
	struct rte_eth_link link;
	uint16_t port;
	pid_t kid;
	int i, errs = 0;

	netns_fresh(RT_NS_A);
	if (port_open("net_hashtap_rt13", "iface=rtp13", &port) != 0 || port_start(port, 2, 2, &conf, mp) != 0 ||
	    test_sh("ip link set rtp13 netns " RT_NS_A) != 0) {
		check_diag("lsc-storm: rig: %s", port_log);
		goto out;
	}
	rte_eth_dev_callback_register(port, RTE_ETH_EVENT_INTR_LSC, count_lsc, NULL);
	kid = fork();
	if (kid == 0) {
		/* one ip -batch: thousands of flaps as fast as rtnetlink takes them */
		FILE *f = popen("ip -n " RT_NS_A " -batch -", "w");

		for (int k = 0; k < 3000 && f; k++)
			fprintf(f, "link set rtp13 %s\n", k % 2 ? "up" : "down");
		if (f)
			pclose(f);
		_exit(0);
	}
	for (i = 0; i < 2000; i++) {
		errs += rte_eth_link_get_nowait(port, &link) != 0;
		if (i % 50 == 0) {
			errs += rte_eth_promiscuous_enable(port) != 0;
			errs += rte_eth_dev_set_mtu(port, (uint16_t)(1400 + i % 100)) != 0;
		}
	}
	waitpid(kid, NULL, 0);
	test_sh("ip -n " RT_NS_A " link set rtp13 up");
	for (i = 0; i < 200; i++) {
		rte_eth_link_get_nowait(port, &link);
		if (link.link_status == RTE_ETH_LINK_UP)
			break;
		rte_delay_us_sleep(10000);
	}
	check_ok(link.link_status == RTE_ETH_LINK_UP && errs == 0,
		   "lsc-storm: 3000 flaps from the VM side: %u LSC callbacks, %d control errors, final link %s",
		   atomic_load(&storm_events), errs, link.link_status ? "up" : "down");
	rte_eth_dev_callback_unregister(port, RTE_ETH_EVENT_INTR_LSC, count_lsc, NULL);
	port_close("net_hashtap_rt13", port);
out:
	test_sh("ip netns del " RT_NS_A);
	rte_mempool_free(mp);
}

/* ------------------------------------------------------------------ 14 */
/* Devargs abuse: the README promises one log line naming the key and reason. */
static void
a_devargs(void)
{
	static char many[4096], longkey[8192], longif[2048];
	const char *cases[] = { many, longkey, longif,
		"iface=rtp14,mac=02:00:00:00:00:0g", "iface=rtp14,key=", "iface=rtp14,persist=yes",
		"iface=rtp14,hash=Kernel", "iface=rtp14,key=00:11", "iface=rtp14,,", "iface=rtp14,=1",
		"iface=[rtp14,rtp15]", "iface=rtp%d%d", "iface=..", "macvtap=rtp14,iface=rtp14",
		"iface=rtp14,mac=ff:ff:ff:ff:ff:ff", "iface=rtp14,persist=1,macvtap=x",
	};
	uint16_t port;
	unsigned int i, off = 0;

	for (i = 0; i < 100; i++)
		off += (unsigned int)snprintf(many + off, sizeof(many) - off, "%siface=rtp14", i ? "," : "");
	off = (unsigned int)snprintf(longkey, sizeof(longkey), "iface=rtp14,key=");
	for (i = 0; i < 3000; i++)
		longkey[off++] = "0123456789abcdef"[i % 16];
	longkey[off] = 0;
	off = (unsigned int)snprintf(longif, sizeof(longif), "iface=");
	for (i = 0; i < 1000; i++)
		longif[off++] = 'r';
	longif[off] = 0;
	for (i = 0; i < RTE_DIM(cases); i++) {
		int rc = port_open("net_hashtap_rt14", cases[i], &port);
		unsigned int lines = 0;
		char *nl;

		for (nl = port_log; (nl = strchr(nl, '\n')) != NULL; nl++)
			lines++;
		if (rc == 0) {
			port_close("net_hashtap_rt14", port);
			test_sh("ip link del rtp14 2>/dev/null; true");
		}
		check_ok(rc != 0 && strstr(port_log, "probe failed") != NULL,
			   "devargs \"%.60s%s\": rc %d, log: %.200s", cases[i], strlen(cases[i]) > 60 ? "..." : "",
			   rc, port_log);
	}
	test_sh("ip link del rtp14 2>/dev/null; ip link del rtp15 2>/dev/null; true");
}


/* ------------------------------------------------------------------ 15 */
/* Odds and ends: rxmode.mtu, hash=off and RSS, 64 queues, tap re-created. */
static void
a_misc(void)
{
	struct rte_mempool *mp = port_pool("misc", 8192, 0);
	struct rte_eth_conf conf = { .rxmode.mtu = 1280 };
	struct ifreq ifr;
	uint16_t port, mtu = 0;
	int rc;

	/* rxmode.mtu at configure: does the kernel interface follow? */
	if (port_open("net_hashtap_rt15", "iface=rtp15", &port) == 0) {
		rc = port_start(port, 1, 1, &conf, mp);
		rte_eth_dev_get_mtu(port, &mtu);
		memset(&ifr, 0, sizeof(ifr));
		netns_if_query(NULL, "rtp15", SIOCGIFMTU, &ifr);
		check_ok(rc == 0 && ifr.ifr_mtu == mtu,
			   "misc: configure with rxmode.mtu 1280: port MTU %u, the tap's kernel MTU %d", mtu, ifr.ifr_mtu);
		port_close("net_hashtap_rt15", port);
	}
	/* hash=off with RSS: what does the port say? */
	if (port_open("net_hashtap_rt15", "iface=rtp15,hash=off", &port) == 0) {
		struct rte_eth_conf rss = { .rxmode.mq_mode = RTE_ETH_MQ_RX_RSS,
			.rx_adv_conf.rss_conf.rss_hf = RTE_ETH_RSS_IP };
		struct rte_eth_rss_conf rc1 = { 0 }, rc2 = { 0 }, up = { .rss_hf = RTE_ETH_RSS_IP | RTE_ETH_RSS_TCP };

		port_start(port, 1, 1, &rss, mp);
		rte_eth_dev_rss_hash_conf_get(port, &rc1);
		rte_eth_dev_rss_hash_update(port, &up);
		rte_eth_dev_rss_hash_conf_get(port, &rc2);
		check_ok(rc1.rss_hf == rc2.rss_hf,
			   "misc: hash=off, RSS configured: rss_hash_conf_get says rss_hf 0x%" PRIx64
			   " after configure, 0x%" PRIx64 " after rss_hash_update (no hash is ever computed: source %s)",
			   rc1.rss_hf, rc2.rss_hf, rte_pmd_hashtap_hash_source_name(rte_pmd_hashtap_hash_source(port)));
		port_close("net_hashtap_rt15", port);
	}
	/* 64 queues each way; then the tap is deleted and re-created by somebody else under the port */
	if (port_open("net_hashtap_rt15", "iface=rtp15", &port) == 0) {
		struct rte_eth_conf c0 = { .intr_conf.lsc = 1 };

		rc = port_start(port, 64, 64, &c0, mp);
		check_ok(rc == 0, "misc: 64 rx / 64 tx queues: %d", rc);
		rte_eth_dev_stop(port);
		test_sh("ip link del rtp15 && ip tuntap add dev rtp15 mode tap multi_queue");
		rte_delay_us_sleep(300000);
		rc = rte_eth_dev_start(port);
		port_close("net_hashtap_rt15", port);
		check_ok(rc == -ENODEV && netns_if_exists(NULL, "rtp15"),
			   "misc: tap deleted and re-created by someone else: start %d, the new tap survives the port's close: %s",
			   rc, netns_if_exists(NULL, "rtp15") ? "yes" : "no");
	}
	test_sh("ip link del rtp15 2>/dev/null; true");
	rte_mempool_free(mp);
}


/* ------------------------------------------------------------------ 16 */
/*
 * GSO frames from the kernel side, LRO on: the hash of the super-frame,
 * and hostile GSO parameters (tiny gso_size, ECN, hdr_len lies, IPv6).
 */
static int
send_vnet(int fd, const struct sockaddr_ll *to, const struct vnet_hdr *h, const uint8_t *f, uint32_t len)
{
	static uint8_t buf[70000];

	vnet_hdr_encode(h, buf, VNET_HDR_LEN_LEGACY, vnet_hdr_is_le(false, false));
	memcpy(buf + VNET_HDR_LEN_LEGACY, f, len);
	return sendto(fd, buf, VNET_HDR_LEN_LEGACY + len, 0, (const struct sockaddr *)to, sizeof(*to)) ==
		(ssize_t)(VNET_HDR_LEN_LEGACY + len) ? 0 : -errno;
}

static void
a_gso_rx(void)
{
	struct rte_mempool *mp = port_pool("gso", 4096, 0);
	struct rte_eth_conf conf = { .rxmode.mq_mode = RTE_ETH_MQ_RX_RSS,
		.rxmode.offloads = RTE_ETH_RX_OFFLOAD_RSS_HASH | RTE_ETH_RX_OFFLOAD_TCP_LRO |
			RTE_ETH_RX_OFFLOAD_SCATTER | RTE_ETH_RX_OFFLOAD_TCP_CKSUM,
		.rx_adv_conf.rss_conf.rss_hf = RTE_ETH_RSS_IP | RTE_ETH_RSS_TCP | RTE_ETH_RSS_UDP };
	static const struct {
		const char *what;
		uint8_t ipver;
		uint16_t payload, gso_size, hdr_len;
		uint8_t gso_type;
	} cases[] = {
		{ "IPv4 TSO 60000 bytes, gso_size 1400", 4, 60000, 1400, 54, VNET_HDR_GSO_TCPV4 },
		{ "IPv4 TSO gso_size 1", 4, 3000, 1, 54, VNET_HDR_GSO_TCPV4 },
		{ "IPv4 TSO+ECN", 4, 3000, 1000, 54, VNET_HDR_GSO_TCPV4 | VNET_HDR_GSO_ECN },
		{ "IPv4 TSO, hdr_len 0 (a lie)", 4, 3000, 1000, 0, VNET_HDR_GSO_TCPV4 },
		{ "IPv6 TSO 30000 bytes", 6, 30000, 1400, 74, VNET_HDR_GSO_TCPV6 },
		{ "IPv4 frame with GSO_TCPV6 type", 4, 3000, 1000, 54, VNET_HDR_GSO_TCPV6 },
		{ "IPv4 UDP_L4 GSO (USO not negotiated)", 4, 3000, 1000, 42, VNET_HDR_GSO_UDP_L4 },
	};
	struct vnet_hash_key key;
	struct sockaddr_ll to;
	static uint8_t f[70000], flat[70000];
	struct rte_mbuf *m[8];
	uint16_t port;
	int pkt, on = 1;

	vnet_hash_key_set(&key, vnet_hash_default_key, 40);
	netns_fresh(RT_NS_A);
	if (port_open("net_hashtap_rt16", "iface=rtp16,hash=software", &port) != 0 ||
	    port_start(port, 1, 1, &conf, mp) != 0 ||
	    test_sh("ip link set rtp16 netns " RT_NS_A " && ip netns exec " RT_NS_A
		  " sysctl -qw net.ipv6.conf.rtp16.disable_ipv6=1 && ip -n " RT_NS_A " link set rtp16 up") != 0) {
		check_diag("gso-rx: rig: %s", port_log);
		goto out;
	}
	pkt = netns_packet_socket(RT_NS_A, "rtp16", &to, 0);
	setsockopt(pkt, SOL_PACKET, PACKET_VNET_HDR, &on, sizeof(on));
	for (unsigned int i = 0; i < RTE_DIM(cases); i++) {
		struct pkt_spec sp = { .ipver = cases[i].ipver, .l4 = cases[i].gso_type == VNET_HDR_GSO_UDP_L4 ? IPPROTO_UDP : IPPROTO_TCP,
			.payload = cases[i].payload, .sport = (uint16_t)(4000 + i), .dport = 80 };
		uint32_t len, want, l3 = cases[i].ipver == 4 ? 20 : 40;
		unsigned int rep;
		struct vnet_hdr h = { .flags = VNET_HDR_F_NEEDS_CSUM, .gso_type = cases[i].gso_type,
			.hdr_len = cases[i].hdr_len, .gso_size = cases[i].gso_size,
			.csum_start = (uint16_t)(14 + l3),
			.csum_offset = (uint16_t)(sp.l4 == IPPROTO_TCP ? 16 : 6) };
		uint16_t n = 0;
		int err;

		pkt_addr(cases[i].ipver == 4 ? "10.6.0.1" : "2001:db8::1", sp.src);
		pkt_addr(cases[i].ipver == 4 ? "10.6.0.2" : "2001:db8::2", sp.dst);
		len = pkt_build(&sp, f, sizeof(f));
		rep = vnet_hash_frame(&key, VNET_HASH_TYPE_ALL, f, len, &want);
		/* whatever the namespace said before (stray frames) is not this one */
		for (int t = 0; t < 5; t++) {
			n = rte_eth_rx_burst(port, 0, m, 8);
			rte_pktmbuf_free_bulk(m, n);
		}
		n = 0;
		err = send_vnet(pkt, &to, &h, f, len);
		{
			unsigned int frames = 0, lro = 0, whole = 0, hashed_ok = 0;
			uint32_t first_len = 0, first_segs = 0, got_hash = 0;

			for (int t = 0; t < 50; t++) {
				uint16_t k = rte_eth_rx_burst(port, 0, m, 8);

				for (uint16_t j = 0; j < k; j++) {
					const uint8_t *d = rte_pktmbuf_read(m[j], 0, m[j]->pkt_len, flat);
					struct vnet_hash_tuple tu;
					unsigned int r = d ? vnet_hash_classify(d, m[j]->pkt_len, VNET_HASH_TYPE_ALL, &tu) : 0;

					if (r == VNET_HASH_REPORT_NONE)
						continue;	/* not ours: ARP, ... */
					frames++;
					lro += (m[j]->ol_flags & RTE_MBUF_F_RX_LRO) != 0;
					if (m[j]->pkt_len == len && d != NULL &&
					    memcmp(d + 14 + l3 + 20, f + 14 + l3 + 20, len - 14 - l3 - 20) == 0) {
						whole++;
						first_len = m[j]->pkt_len;
						first_segs = m[j]->nb_segs;
						got_hash = m[j]->hash.rss;
					}
					/* every frame, whole or cut by the kernel, has its own hash */
					hashed_ok += r != VNET_HASH_REPORT_NONE &&
						(m[j]->ol_flags & RTE_MBUF_F_RX_RSS_HASH) &&
						m[j]->hash.rss == vnet_hash_toeplitz(&key, &tu);
				}
				rte_pktmbuf_free_bulk(m, k);
				if (frames > 0 && k == 0)
					break;
				rte_delay_us_sleep(4000);
			}
			if (cases[i].ipver == 4 && cases[i].gso_type == VNET_HDR_GSO_TCPV6)
				/* a lie the kernel may refuse or pass on: never misreported */
				check_ok(hashed_ok == frames && whole <= 1,
				       "gso-rx: %s: sent %d; %u frames delivered, each with lib/vnet_hash's hash (%u)",
				       cases[i].what, err, frames, hashed_ok);
			else if (cases[i].gso_type == VNET_HDR_GSO_UDP_L4)	/* not negotiated: cut by the kernel */
				check_ok(err == 0 && whole == 0 && frames >= 2 && lro == 0 && hashed_ok == frames,
				       "gso-rx: %s: the kernel segments it: %u frames, none LRO, each with lib/vnet_hash's hash (%u)",
				       cases[i].what, frames, hashed_ok);
			else
				check_ok(err == 0 && whole == 1 && got_hash == want && hashed_ok == frames,
				       "gso-rx: %s: arrives whole (%u bytes, %u segs of %u frames, LRO %u), hash 0x%08x vs lib 0x%08x (%s)",
				       cases[i].what, first_len, first_segs, frames, lro, got_hash, want,
				       vnet_hash_report_name(rep));
		}
	}
	close(pkt);
out:
	port_close("net_hashtap_rt16", port);
	check_ok(rte_mempool_in_use_count(mp) == 0, "gso-rx: mempool back to 0");
	test_sh("ip netns del " RT_NS_A);
	rte_mempool_free(mp);
}


/* ------------------------------------------------------------------ 17 */
/* tx while the kernel side has the link down; rx frames at the mbuf boundary. */
static void
a_edges(void)
{
	struct rte_mempool *mp = port_pool("edges", 1024, 0);	/* 2048-byte data room */
	struct rte_eth_conf conf = { .rxmode.offloads = RTE_ETH_RX_OFFLOAD_SCATTER };
	struct sockaddr_ll to;
	static uint8_t f[4200];
	struct rte_mbuf *m[8];
	uint16_t port, sent;
	uint32_t len;
	int pkt;

	netns_fresh(RT_NS_A);
	if (port_open("net_hashtap_rt17", "iface=rtp17", &port) != 0 || port_start(port, 1, 1, &conf, mp) != 0 ||
	    test_sh("ip link set rtp17 netns " RT_NS_A " && ip netns exec " RT_NS_A
		  " sysctl -qw net.ipv6.conf.rtp17.disable_ipv6=1 && ip -n " RT_NS_A " link set rtp17 mtu 4000 up") != 0) {
		check_diag("edges: rig: %s", port_log);
		goto out;
	}
	pkt = netns_packet_socket(RT_NS_A, "rtp17", &to, 0);
	for (uint32_t want = 2046; want <= 2050; want++) {
		struct rte_mbuf *m0;
		uint16_t q;

		len = rt_udp4(f, sizeof(f), (uint16_t)want, (uint16_t)(want - 42));
		sendto(pkt, f, len, 0, (struct sockaddr *)&to, sizeof(to));
		/* ours by its bytes (the namespace may say things of its own) */
		m0 = port_rx_match(port, 1, f, len, 200, &q, NULL);
		if (m0 != NULL) {
			check_ok(rte_mbuf_check(m0, 1, NULL) == 0,
				   "edges: %u-byte frame on 2048-byte mbufs with scatter: %u bytes, %u segs, intact",
				   len, m0->pkt_len, m0->nb_segs);
			rte_pktmbuf_free(m0);
		} else {
			check_ok(false, "edges: %u-byte frame: not received whole", len);
		}
	}
	/* the VM side takes its link down: what does tx do? */
	test_sh("ip -n " RT_NS_A " link set rtp17 down");
	rte_delay_us_sleep(100000);
	len = rt_udp4(f, sizeof(f), 1, 60);
	m[0] = mk(mp, f, len);
	m[1] = mk(mp, f, len);
	sent = rte_eth_tx_burst(port, 0, m, 2);
	rte_pktmbuf_free_bulk(m + sent, 2 - sent);
	check_diag("edges: tap down on the kernel side: tx burst returned %u of 2, tx_write_errors %" PRIu64
		", tx_busy %" PRIu64, sent, port_xstat(port, "tx_write_errors"), port_xstat(port, "tx_busy"));
	close(pkt);
out:
	port_close("net_hashtap_rt17", port);
	check_ok(rte_mempool_in_use_count(mp) == 0, "edges: mempool back to 0");
	test_sh("ip netns del " RT_NS_A);
	rte_mempool_free(mp);
}


/* ------------------------------------------------------------------ 18 */
/*
 * A careless application chains 70 segments by hand and leaves nb_segs at
 * 1 (pkt_len right).  The driver's nb_segs check passes; its writev loop
 * walks ->next (run under ASan).
 */
static void
a_segs_lie(void)
{
	struct rte_mempool *mp = port_pool("lie", 512, 0);
	struct rte_eth_conf conf = { 0 };
	static uint8_t f[8000];
	struct rte_mbuf *m;
	uint16_t port, sent;
	uint32_t len = rt_udp4(f, sizeof(f), 9, 6958);

	if (port_open("net_hashtap_rt18", "iface=rtp18", &port) != 0 || port_start(port, 1, 1, &conf, mp) != 0) {
		check_diag("segs-lie: rig: %s", port_log);
		goto out;
	}
	m = chain(mp, f, len, 70);
	check_diag("segs-lie: %u-byte frame in a chain of %u segments; nb_segs set to 1", m->pkt_len, m->nb_segs);
	m->nb_segs = 1;
	m->ol_flags = RTE_MBUF_F_TX_IP_CKSUM | RTE_MBUF_F_TX_IPV4;	/* + the header-copy iovec */
	m->l2_len = 14;
	m->l3_len = 20;
	sent = rte_eth_tx_burst(port, 0, &m, 1);
	/* under ASan an overflow of the iovec array aborts the program */
	check_ok(sent == 1 && port_xstat(port, "tx_drop_too_many_segs") == 1,
	       "segs-lie: a 70-segment chain that says nb_segs 1 is dropped and counted (sent %u, tx_drop_too_many_segs %" PRIu64 ")",
	       sent, port_xstat(port, "tx_drop_too_many_segs"));
	if (sent == 0) {
		m->nb_segs = 70;
		rte_pktmbuf_free(m);
	}
	port_close("net_hashtap_rt18", port);
	check_ok(rte_mempool_in_use_count(mp) == 0, "segs-lie: every segment freed");
out:
	rte_mempool_free(mp);
}


/* ------------------------------------------------------------------ 19 */
/* Rename and move with ordinary timing: control calls follow the tap? */
static void
a_follow(void)
{
	struct rte_mempool *mp = port_pool("follow", 512, 0);
	struct rte_eth_conf conf = { .intr_conf.lsc = 1 };
	struct ifreq ifr;
	uint16_t port;
	int rc1, rc2;

	netns_fresh(RT_NS_A);
	if (port_open("net_hashtap_rt19", "iface=rtp19", &port) != 0 || port_start(port, 2, 2, &conf, mp) != 0) {
		check_diag("follow: rig: %s", port_log);
		goto out;
	}
	test_sh("ip link set rtp19 down && ip link set rtp19 name rtp19r && ip link set rtp19r up");
	rte_delay_us_sleep(300000);
	rc1 = rte_eth_promiscuous_enable(port);
	memset(&ifr, 0, sizeof(ifr));
	netns_if_query(NULL, "rtp19r", SIOCGIFFLAGS, &ifr);
	check_ok(rc1 == 0 && (ifr.ifr_flags & IFF_PROMISC), "follow: renamed tap: promiscuous follows (%d)", rc1);
	test_sh("ip link set rtp19r netns " RT_NS_A " && ip -n " RT_NS_A " link set rtp19r name rtp19n");
	rte_delay_us_sleep(300000);
	rc2 = rte_eth_dev_set_mtu(port, 1300);
	memset(&ifr, 0, sizeof(ifr));
	netns_if_query(RT_NS_A, "rtp19n", SIOCGIFMTU, &ifr);
	check_ok(rc2 == 0 && ifr.ifr_mtu == 1300, "follow: moved to a namespace and renamed there: set_mtu follows (%d, %d)",
		   rc2, ifr.ifr_mtu);
	test_sh("ip -n " RT_NS_A " link set rtp19n netns 1");
	rte_delay_us_sleep(300000);
	rc2 = rte_eth_dev_set_mtu(port, 1400);
	memset(&ifr, 0, sizeof(ifr));
	netns_if_query(NULL, "rtp19n", SIOCGIFMTU, &ifr);
	check_ok(rc2 == 0 && ifr.ifr_mtu == 1400, "follow: moved back: set_mtu follows (%d, %d)", rc2, ifr.ifr_mtu);
	port_close("net_hashtap_rt19", port);
	check_ok(!netns_if_exists(NULL, "rtp19n"), "follow: close removes the (renamed, moved) tap it created");
out:
	test_sh("ip link del rtp19n 2>/dev/null; ip netns del " RT_NS_A "; true");
	rte_mempool_free(mp);
}

/* ------------------------------------------------------------------ main */

static const struct {
	const char *name;
	void (*fn)(void);
} attacks[] = {
	{ "stale-txfd", a_stale_txfd },
	{ "stale-rxfd", a_stale_rxfd },
	{ "foreign-attach", a_foreign_attach },
	{ "attached-leftovers", a_attached_leftovers },
	{ "macvtap-deleted", a_macvtap_deleted },
	{ "flood-oversize", a_flood_oversize },
	{ "ext512", a_ext512 },
	{ "tx-bogus", a_tx_bogus },
	{ "wrong-iface", a_wrong_iface },
	{ "fd-leak", a_fd_leak },
	{ "api", a_api },
	{ "lsc-storm", a_lsc_storm },
	{ "devargs", a_devargs },
	{ "misc", a_misc },
	{ "gso-rx", a_gso_rx },
	{ "edges", a_edges },
	{ "segs-lie", a_segs_lie },
	{ "follow", a_follow },
	{ "churn", a_churn },
	{ "close-in-lsc", a_close_in_lsc },
};

int
main(int argc, char **argv)
{
	char prefix[64];
	char *eal[] = { argv[0], "-l", "0", "--no-huge", "-m", "512", "--no-pci", "--no-shconf",
			"--file-prefix", prefix, "--log-level", "pmd.net.hashtap:info", NULL };
	int i;
	unsigned int t;

	setvbuf(stdout, NULL, _IOLBF, 0);
	snprintf(prefix, sizeof(prefix), "rtpmd%d", (int)getpid());
	if (argc > 1 && strcmp(argv[1], "list") == 0) {
		for (t = 0; t < RTE_DIM(attacks); t++)
			printf("%s\n", attacks[t].name);
		return 0;
	}
	if (rte_eal_init((int)RTE_DIM(eal) - 1, eal) < 0)
		return 2;
	test_sh("for n in " RT_NS_A " " RT_NS_B "; do ip netns del $n 2>/dev/null; done; true");
	for (i = 1; i < argc; i++) {
		for (t = 0; t < RTE_DIM(attacks); t++)
			if (strcmp(argv[i], attacks[t].name) == 0)
				break;
		if (t == RTE_DIM(attacks)) {
			check_ok(false, "no attack called %s", argv[i]);
			continue;
		}
		check_diag("--- %s", argv[i]);
		attacks[t].fn();
	}
	for (t = 0; argc == 1 && t < RTE_DIM(attacks); t++) {
		check_diag("--- %s", attacks[t].name);
		attacks[t].fn();
	}
	rte_eal_cleanup();
	return check_done();
}
