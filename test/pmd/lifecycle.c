/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 hashtap authors
 *
 * The port's life: create, attach, persist and close rules, queue counts,
 * a tap another process holds, a failed configure that changes nothing,
 * the tap deleted under a running port, an exhausted mempool.
 */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <linux/if_tun.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>

#include "netns.h"
#include "port.h"
#include "rte_pmd_hashtap.h"
#include "check.h"
#include "rig.h"

static void
t_lifecycle(void)
{
	struct rte_eth_dev_info info;
	struct rte_eth_conf conf = { 0 };
	struct rte_mempool *mp = port_pool("lc", 1024, 0);
	struct ifreq ifr;
	uint16_t port;
	int rc;

	rc = port_open("net_hashtap1", "iface=htpc0", &port);
	check_ok(rc == 0 && netns_if_exists(NULL, "htpc0"), "iface=htpc0 creates the tap");
	rc = port_start(port, 3, 5, &conf, mp);
	check_ok(rc == 0, "3 rx queues and 5 tx queues (rxq != txq) configure and start");
	rte_eth_dev_info_get(port, &info);
	check_ok(info.max_rx_queues >= 8 && info.max_tx_queues >= 8 && info.reta_size == 128 &&
	       info.hash_key_size == 40, "dev_info: %u/%u queues, RETA %u, key %u",
	       info.max_rx_queues, info.max_tx_queues, info.reta_size, info.hash_key_size);
	rte_eth_dev_stop(port);
	rc = port_start(port, 1, 2, &conf, mp);
	check_ok(rc == 0, "reconfigured to 1 rx / 2 tx queues");
	rte_eth_dev_stop(port);
	{
		struct rte_eth_conf lro = { .rxmode = {
			.offloads = RTE_ETH_RX_OFFLOAD_TCP_LRO | RTE_ETH_RX_OFFLOAD_SCATTER,
			.max_lro_pkt_size = 9000 } };

		rte_eth_dev_info_get(port, &info);
		rc = port_start(port, 1, 1, &lro, mp);
		check_ok(info.max_lro_pkt_size >= 65535 && rc == 0,
		       "dev_info max_lro_pkt_size %u, and LRO with max_lro_pkt_size 9000 configures (%d)",
		       info.max_lro_pkt_size, rc);
	}
	port_close("net_hashtap1", port);
	check_ok(!netns_if_exists(NULL, "htpc0"), "close removes the tap the port created");
	check_ok(rte_mempool_in_use_count(mp) == 0, "mempool in use back to 0 (%u)",
	       rte_mempool_in_use_count(mp));

	rc = port_open("net_hashtap1", "iface=htpc1,persist=1", &port);
	if (rc == 0)
		port_close("net_hashtap1", port);
	check_ok(rc == 0 && netns_if_exists(NULL, "htpc1"), "persist=1: the tap outlives the port");
	test_sh("ip link del htpc1");

	test_sh("ip tuntap add dev htpc2 mode tap multi_queue");
	rc = port_open("net_hashtap1", "iface=htpc2", &port);
	check_ok(rc == 0 && strstr(port_log, "created") == NULL, "attaches to an existing multi-queue tap");
	if (rc == 0) {
		check_ok(port_start(port, 2, 2, &conf, mp) == 0, "2 queues on the attached tap");
		port_close("net_hashtap1", port);
	}
	check_ok(netns_if_exists(NULL, "htpc2"), "close never removes a tap it attached to");
	test_sh("ip link del htpc2");

	test_sh("ip tuntap add dev htpc3 mode tap");
	rc = port_open("net_hashtap1", "iface=htpc3", &port);
	if (rc == 0) {
		rte_eth_dev_info_get(port, &info);
		check_ok(info.max_rx_queues == 1, "a single-queue tap: max_rx_queues 1");
		check_ok(port_start(port, 1, 3, &conf, mp) == 0, "single-queue tap: 1 rx / 3 tx");
		port_close("net_hashtap1", port);
	} else {
		check_ok(false, "attach to a single-queue tap: %s", port_log);
	}
	check_ok(netns_if_query(NULL, "htpc3", SIOCGIFFLAGS, &ifr) == 0, "the single-queue tap is still there");
	test_sh("ip link del htpc3");

	rc = port_open("net_hashtap1", "iface=htpc4,key=01:02:03:04:05:06:07:08:09:0a:0b:0c:0d:0e:0f:10:11:12:13:14:"
		       "15:16:17:18:19:1a:1b:1c:1d:1e:1f:20:21:22:23:24:25:26:27:28", &port);
	if (rc == 0) {
		struct rte_eth_conf rconf = { .rxmode.mq_mode = RTE_ETH_MQ_RX_RSS,
					      .rx_adv_conf.rss_conf.rss_hf = RTE_ETH_RSS_IP };
		uint8_t key[40];
		struct rte_eth_rss_conf rc2 = { .rss_key = key, .rss_key_len = sizeof(key) };

		rc = port_start(port, 1, 1, &rconf, mp) ||
			rte_eth_dev_rss_hash_conf_get(port, &rc2) || key[0] != 1 || key[39] != 0x28;
		port_close("net_hashtap1", port);
	}
	check_ok(rc == 0, "key=: the RSS key while the application sets none");
	rc = port_open("net_hashtap1", "", &port);
	check_ok(rc == 0 && strstr(port_log, "tap hashtap") != NULL, "no iface=: a hashtapN name (%s)",
	       rc == 0 ? "ok" : port_log);
	if (rc == 0)
		port_close("net_hashtap1", port);
	rte_mempool_free(mp);
}

/* ------------------------------------------------------------ a tap somebody else holds */

static void
t_shared(void)
{
	static const struct {
		const char *what;
		short flags;
		int hdrsz;
		bool detach;
	} holders[] = {
		{ "without a vnet header", IFF_TAP | IFF_NO_PI | IFF_MULTI_QUEUE, 0, false },
		{ "with a 10-byte vnet header", IFF_TAP | IFF_NO_PI | IFF_MULTI_QUEUE | IFF_VNET_HDR, 0, false },
		{ "with a 12-byte vnet header", IFF_TAP | IFF_NO_PI | IFF_MULTI_QUEUE | IFF_VNET_HDR, 12, false },
		{ "on a detached queue", IFF_TAP | IFF_NO_PI | IFF_MULTI_QUEUE | IFF_VNET_HDR, 12, true },
	};
	unsigned int i;
	uint16_t port, port2;
	int rc;

	for (i = 0; i < RTE_DIM(holders); i++) {
		struct ifreq ifr, before;
		int fd = port_tun_hold("htpsh0", holders[i].flags, holders[i].hdrsz), sz = -1, sz0 = -1;

		memset(&before, 0, sizeof(before));
		if (fd >= 0 && (ioctl(fd, TUNGETIFF, &before) < 0 || ioctl(fd, TUNGETVNETHDRSZ, &sz0) < 0))
			check_diag("asking the holder: %s", strerror(errno));
		if (fd >= 0 && holders[i].detach) {
			memset(&ifr, 0, sizeof(ifr));
			ifr.ifr_flags = IFF_DETACH_QUEUE;
			if (ioctl(fd, TUNSETQUEUE, &ifr) < 0)
				check_diag("TUNSETQUEUE detach: %s", strerror(errno));
		}
		rc = fd < 0 ? 0 : port_open("net_hashtap15", "iface=htpsh0", &port);
		memset(&ifr, 0, sizeof(ifr));
		if (fd >= 0 && holders[i].detach) {	/* TUNGETIFF needs it attached */
			ifr.ifr_flags = IFF_ATTACH_QUEUE;
			if (ioctl(fd, TUNSETQUEUE, &ifr) < 0)
				check_diag("TUNSETQUEUE attach: %s", strerror(errno));
		}
		if (fd >= 0 && (ioctl(fd, TUNGETIFF, &ifr) < 0 || ioctl(fd, TUNGETVNETHDRSZ, &sz) < 0))
			check_diag("asking the holder: %s", strerror(errno));
		check_ok(fd >= 0 && rc != 0 && strstr(port_log, "in use") != NULL &&
		       ifr.ifr_flags == before.ifr_flags && sz == sz0 &&
		       sz == (holders[i].hdrsz ? holders[i].hdrsz : 10),
		       "a tap another process holds %s: probe refused, its flags (0x%x) and vnet header size (%d) untouched",
		       holders[i].what, (unsigned int)(uint16_t)ifr.ifr_flags, sz);
		if (rc != 0 && strstr(port_log, "in use") == NULL)
			check_diag("log: %s", port_log);
		if (rc == 0) {
			check_diag("log: %s", port_log);
			port_close("net_hashtap15", port);
		}
		if (fd >= 0)
			close(fd);
		test_sh("ip link del htpsh0 2>/dev/null; true");
	}
	/* two ports on one tap would split its traffic */
	rc = port_open("net_hashtap15", "iface=htpsh1", &port);
	if (rc == 0) {
		int rc2 = port_open("net_hashtap16", "iface=htpsh1", &port2);

		check_ok(rc2 != 0 && strstr(port_log, "in use") != NULL,
		       "a second port on the first port's tap: refused");
		if (rc2 == 0)
			port_close("net_hashtap16", port2);
		port_close("net_hashtap15", port);
	} else {
		check_ok(false, "shared: first port: %s", port_log);
	}
	/* nobody holds it any more: a persistent tap is ours to take */
	test_sh("ip tuntap add dev htpsh2 mode tap multi_queue");
	{
		int fd = port_tun_hold("htpsh2", IFF_TAP | IFF_NO_PI | IFF_MULTI_QUEUE, 0);

		if (fd >= 0)
			close(fd);
	}
	rc = port_open("net_hashtap15", "iface=htpsh2", &port);
	check_ok(rc == 0, "a persistent tap its last reader let go of: attached (%s)", rc ? port_log : "ok");
	if (rc == 0)
		port_close("net_hashtap15", port);
	test_sh("ip link del htpsh2 2>/dev/null; ip link del htpsh1 2>/dev/null; true");
}

/* ------------------------------------------------------------ a failed configure changes nothing */

static void
t_configure_fail(void)
{
	struct rte_mempool *mp = port_pool("cfgf", 1024, 0);
	struct rte_eth_conf none = { 0 }, bad = { 0 }, good = { 0 };
	uint8_t key[40], short_key[20], got[40];
	struct rte_eth_rss_conf rc = { .rss_key = got, .rss_key_len = sizeof(got) };
	uint64_t hf;
	uint16_t port;
	int src, rc2;

	memset(key, 0x5a, sizeof(key));
	memset(short_key, 0xa5, sizeof(short_key));
	if (port_open("net_hashtap13", "iface=htpcf0,hash=software", &port) != 0) {
		check_ok(false, "configure-fail: probe: %s", port_log);
		goto out;
	}
	check_ok(port_start(port, 1, 1, &none, mp) == 0 &&
	       rte_pmd_hashtap_hash_source(port) == RTE_PMD_HASHTAP_HASH_SRC_NONE,
	       "configure without RSS: hash source none");
	rte_eth_dev_stop(port);
	bad.rxmode.mq_mode = RTE_ETH_MQ_RX_RSS;
	bad.rx_adv_conf.rss_conf.rss_hf = RTE_ETH_RSS_IP;
	bad.rx_adv_conf.rss_conf.rss_key = short_key;
	bad.rx_adv_conf.rss_conf.rss_key_len = sizeof(short_key);
	rc2 = rte_eth_dev_configure(port, 1, 1, &bad);
	src = rte_pmd_hashtap_hash_source(port);
	check_ok(rc2 != 0 && src == RTE_PMD_HASHTAP_HASH_SRC_NONE &&
	       rte_eth_dev_rss_hash_conf_get(port, &rc) == 0 && rc.rss_hf == 0,
	       "configure with RSS and a 20-byte key fails and changes nothing (rc %d, source %s, rss_hf 0x%" PRIx64 ")",
	       rc2, rte_pmd_hashtap_hash_source_name(src), rc.rss_hf);
	good = bad;
	good.rx_adv_conf.rss_conf.rss_key = key;
	good.rx_adv_conf.rss_conf.rss_key_len = sizeof(key);
	check_ok(port_start(port, 1, 1, &good, mp) == 0 &&
	       rte_pmd_hashtap_hash_source(port) == RTE_PMD_HASHTAP_HASH_SRC_SOFTWARE &&
	       rte_eth_dev_rss_hash_conf_get(port, &rc) == 0 && rc.rss_hf != 0,
	       "configure with RSS and a 40-byte key: hash source software");
	hf = rc.rss_hf;
	rte_eth_dev_stop(port);
	rc2 = rte_eth_dev_configure(port, 1, 1, &bad);
	rc.rss_key_len = sizeof(got);
	memset(got, 0, sizeof(got));
	check_ok(rc2 != 0 && rte_pmd_hashtap_hash_source(port) == RTE_PMD_HASHTAP_HASH_SRC_SOFTWARE &&
	       rte_eth_dev_rss_hash_conf_get(port, &rc) == 0 && memcmp(got, key, 40) == 0 &&
	       rc.rss_hf == hf,
	       "a second failed configure keeps the key and types in force");
	check_ok(rte_pmd_hashtap_hash_source(RTE_MAX_ETHPORTS - 1) == -ENODEV,
	       "rte_pmd_hashtap_hash_source: -ENODEV for a port that does not exist");
	port_close("net_hashtap13", port);
out:
	rte_mempool_free(mp);
}

/* ------------------------------------------------------------ the tap deleted, the mempool exhausted */

static void
t_deleted(void)
{
	struct rte_mempool *mp = port_pool("del", 1024, 0);
	struct rte_eth_conf conf = { .intr_conf.lsc = 1 };
	struct rte_mbuf *m[4];
	struct sockaddr_ll to;
	uint8_t frame[128];
	const char *name;
	uint16_t port, q, n = 0, sent;
	int pkt = -1, i;

	ns_add(NS_A);
	if (port_open("net_hashtap9", "iface=" TAP_A, &port) != 0 ||
	    port_start(port, 2, 2, &conf, mp) != 0 || move_to_ns(TAP_A, NS_A) != 0 ||
	    (pkt = netns_packet_socket(NS_A, TAP_A, &to, 0)) < 0) {
		check_ok(false, "deleted: rig up");
		return;
	}
	uint32_t len = kind_frame(0, frame, &name);
	struct rte_mbuf *got;

	sendto(pkt, frame, len, 0, (struct sockaddr *)&to, sizeof(to));
	got = port_rx_match(port, 2, frame, len, 2000, &q, NULL);
	check_ok(got != NULL, "deleted: traffic flows before");
	rte_pktmbuf_free(got);
	close(pkt);
	test_sh("ip -n " NS_A " link del " TAP_A);
	check_ok(port_wait_link(port, RTE_ETH_LINK_DOWN, 3000), "the tap deleted under the port: link goes down");
	for (i = 0; i < 100; i++)
		for (q = 0; q < 2; q++)
			n += rte_eth_rx_burst(port, q, m, 4);
	check_ok(n == 0, "rx bursts return 0");
	for (i = 0; i < 4; i++) {
		m[i] = rte_pktmbuf_alloc(mp);
		memcpy(rte_pktmbuf_append(m[i], (uint16_t)len), frame, len);
	}
	sent = rte_eth_tx_burst(port, 1, m, 4);
	check_ok(sent == 0, "tx bursts return 0 (the caller keeps its mbufs)");
	rte_pktmbuf_free_bulk(m + sent, 4 - sent);
	check_ok(port_xstat(port, "rx_read_errors") > 0 && port_xstat(port, "tx_write_errors") > 0,
	       "read/write errors counted");
	check_ok(rte_eth_dev_stop(port) == 0 && rte_eth_dev_start(port) != 0,
	       "stop works, start fails: the interface is gone");
	port_close("net_hashtap9", port);
	check_ok(rte_mempool_in_use_count(mp) == 0, "deleted: mempool in use back to 0");
	rte_mempool_free(mp);
	test_sh("ip netns del " NS_A);
}

static void
t_mempool(void)
{
	struct rte_mempool *mp = port_pool("small", 128, 0);
	struct rte_eth_conf conf = { 0 };
	struct rte_mbuf *held[128], *m[32];
	struct rte_eth_stats st;
	struct sockaddr_ll to;
	uint8_t frame[128];
	const char *name;
	unsigned int nheld = 0, got = 0, i, tries;
	uint32_t len;
	int pkt = -1;
	uint16_t port, n;

	ns_add(NS_A);
	if (port_open("net_hashtap10", "iface=" TAP_A, &port) != 0 ||
	    port_start(port, 1, 1, &conf, mp) != 0 || move_to_ns(TAP_A, NS_A) != 0 ||
	    (pkt = netns_packet_socket(NS_A, TAP_A, &to, 0)) < 0) {
		check_ok(false, "mempool: rig up");
		return;
	}
	test_sh("ip -n " NS_A " link set " TAP_A " txqueuelen 1000");
	n = rte_eth_rx_burst(port, 0, m, 1);	/* fills the queue's stash */
	rte_pktmbuf_free_bulk(m, n);
	while (nheld < RTE_DIM(held) && (held[nheld] = rte_pktmbuf_alloc(mp)) != NULL)
		nheld++;
	len = kind_frame(1, frame, &name);
	for (i = 0; i < 100; i++)
		sendto(pkt, frame, len, 0, (struct sockaddr *)&to, sizeof(to));
	for (tries = 0; tries < 50; tries++) {
		n = rte_eth_rx_burst(port, 0, m, 32);
		for (i = 0; i < n; i++)
			held[nheld++] = m[i];	/* keep them: the pool stays empty */
		got += n;
		rte_delay_us_sleep(2000);
	}
	rte_eth_stats_get(port, &st);
	check_ok(got < 100 && st.rx_nombuf > 0, "pool exhausted: %u of 100 frames received, rx_nombuf %lu",
	       got, (unsigned long)st.rx_nombuf);
	rte_pktmbuf_free_bulk(held, nheld);
	for (tries = 0; tries < 100 && got < 100; tries++) {
		n = rte_eth_rx_burst(port, 0, m, 32);
		got += n;
		rte_pktmbuf_free_bulk(m, n);
		rte_delay_us_sleep(2000);
	}
	check_ok(got == 100, "mbufs back: the rest arrive, none lost (%u of 100)", got);
	close(pkt);
	port_close("net_hashtap10", port);
	check_ok(rte_mempool_in_use_count(mp) == 0, "mempool: in use back to 0");
	rte_mempool_free(mp);
	test_sh("ip netns del " NS_A);
}

PMD_CASE(PMD_LIFECYCLE, "lifecycle", t_lifecycle, true, false)
PMD_CASE(PMD_SHARED, "shared", t_shared, true, true)
PMD_CASE(PMD_CONFIGURE_FAIL, "configure-fail", t_configure_fail, true, false)
PMD_CASE(PMD_DELETED, "deleted", t_deleted, true, false)
PMD_CASE(PMD_MEMPOOL, "mempool", t_mempool, true, false)
