/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 hashtap authors
 *
 * A macvtap: the port takes its MAC, refuses a second port, receives
 * frames from a veth with lib/vnet_hash's hash, and sends out of it.
 */

#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <net/if.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <rte_ethdev.h>
#include <rte_mbuf.h>

#include "netns.h"
#include "pkt.h"
#include "port.h"
#include "rnd.h"
#include "check.h"
#include "vnet_hash.h"
#include "rig.h"

/* veth VETH (its peer PEER in NS_B) with macvtap MVT of address MAC on
 * it, all up, no IPv6 chatter: 0, or the failed command's status */
static int
macvtap_rig(const char *veth, const char *peer, const char *mvt, const char *mac)
{
	return test_sh("ip link add %s type veth peer name %s netns " NS_B " && "
		       "ip link add link %s name %s address %s type macvtap mode bridge && "
		       "sysctl -qw net.ipv6.conf.%s.disable_ipv6=1 net.ipv6.conf.%s.disable_ipv6=1 && "
		       "ip link set %s up && ip link set %s up && "
		       "ip netns exec " NS_B " sysctl -qw net.ipv6.conf.%s.disable_ipv6=1 && "
		       "ip -n " NS_B " link set %s up",
		       veth, peer, veth, mvt, mac, veth, mvt, veth, mvt, peer, peer);
}

static void
t_macvtap(void)
{
	struct rte_mempool *mp = port_pool("mvt", 2048, 0);
	struct rte_eth_conf conf = {
		.rxmode.offloads = RTE_ETH_RX_OFFLOAD_RSS_HASH, .rxmode.mq_mode = RTE_ETH_MQ_RX_RSS,
	};
	struct rte_ether_addr mac;
	struct vnet_hash_key key;
	struct rxcheck c = { 0 };
	struct sockaddr_ll to;
	static uint8_t frame[4096];
	uint16_t port = 0, q;
	unsigned int i;
	int pkt = -1;

	kernel_src = guest;	/* hash=auto */
	ns_add(NS_B);
	if (macvtap_rig("htpv0", "htpv1", "htpm0", "02:00:00:00:00:02") != 0 ||
	    port_open("net_hashtap11", "macvtap=htpm0", &port) != 0) {
		check_ok(false, "macvtap: rig up (%s)", port_log);
		goto out;
	}
	rte_eth_macaddr_get(port, &mac);
	check_ok(mac.addr_bytes[5] == 0x02 && mac.addr_bytes[0] == 0x02, "macvtap: the port's MAC is the macvtap's");
	{
		struct rte_ether_addr nm = { { 0x02, 0x00, 0x00, 0x00, 0x00, 0x03 } };
		struct ifreq ifr;

		check_ok(rte_eth_dev_default_mac_addr_set(port, &nm) == 0 &&
		       netns_if_query(NULL, "htpm0", SIOCGIFHWADDR, &ifr) == 0 &&
		       (uint8_t)ifr.ifr_hwaddr.sa_data[5] == 0x03,
		       "macvtap: setting the port's MAC sets the interface's (it receives by it)");
		nm.addr_bytes[5] = 0x02;
		rte_eth_dev_default_mac_addr_set(port, &nm);
	}
	{
		uint16_t port2;
		int rc = port_open("net_hashtap17", "macvtap=htpm0", &port2);

		check_ok(rc != 0 && strstr(port_log, "in use by another net_hashtap port") != NULL,
		       "macvtap: a second port on the same macvtap is refused");
		if (rc == 0)
			port_close("net_hashtap17", port2);
	}
	check_ok(port_start(port, 2, 3, &conf, mp) == 0, "macvtap: 2 rx / 3 tx queues");
	{
		/* macvlan takes no MTU above its lower device's: the port says
		 * so (a switch asking for jumbo frames got EINVAL, unexplained) */
		struct rte_eth_dev_info di;
		uint16_t mtu = 0;
		bool ok;

		rte_eth_dev_info_get(port, &di);
		check_ok(di.max_mtu == 1500, "macvtap: max_mtu %u is the lower veth's MTU (1500)", di.max_mtu);
		ok = rte_eth_dev_set_mtu(port, 1800) != 0;
		rte_eth_dev_get_mtu(port, &mtu);
		check_ok(ok && mtu == 1500, "... MTU 1800 is refused, the port stays at %u", mtu);
		test_sh("ip link set htpv0 mtu 1800");
		rte_eth_dev_info_get(port, &di);
		ok = rte_eth_dev_set_mtu(port, 1800) == 0;
		rte_eth_dev_get_mtu(port, &mtu);
		check_ok(di.max_mtu == 1800 && ok && mtu == 1800,
			 "... with the veth at 1800: max_mtu %u, MTU %u set", di.max_mtu, mtu);
		rte_eth_dev_set_mtu(port, 1500);
		test_sh("ip link set htpv0 mtu 1500");
	}
	pkt = netns_packet_socket(NS_B, "htpv1", &to, 0);
	vnet_hash_key_set(&key, vnet_hash_default_key, 40);
	set_rss(port, vnet_hash_default_key, VNET_HASH_TYPE_ALL);
	rnd_seed(5);
	for (i = 0; i < n_frames / 2 && pkt >= 0; i++) {
		char nm[48];
		uint32_t len = rnd_frame(frame, sizeof(frame), true);

		snprintf(nm, sizeof(nm), "macvtap frame %u", i);
		rx_one(&c, port, 2, pkt, &to, frame, len, &key, VNET_HASH_TYPE_ALL, nm, -1, 0);
	}
	check_ok(c.n > 0 && c.bad == 0, "macvtap (hash %s): %u/%u frames from the veth carry lib/vnet_hash's hash",
	       guest ? "kernel" : "software", c.n - c.bad, c.n);
	if (guest)
		check_ok(port_xstat(port, "rx_hash_software") == 0 && port_xstat(port, "rx_hash_kernel") > 0,
		       "macvtap: the hash came from the kernel");
	/* and the other way */
	{
		struct rte_mbuf *m = rte_pktmbuf_alloc(mp);
		struct pkt_spec s = { .ipver = 4, .l4 = IPPROTO_UDP, .payload = 64, .sport = 7, .dport = 7 };
		uint8_t b[256], rb[256];
		uint32_t len = pkt_build(&s, b, sizeof(b));
		bool seen = false;
		struct pollfd p = { .fd = pkt, .events = POLLIN };

		/* to a MAC beyond the veth (the macvtap's own would loop back in bridge mode) */
		memcpy(b, "\x02\x00\x00\x00\x00\x99", 6);
		memcpy(b + 6, mac.addr_bytes, 6);
		memcpy(rte_pktmbuf_append(m, (uint16_t)len), b, len);
		check_ok(rte_eth_tx_burst(port, 2, &m, 1) == 1, "macvtap: tx on queue 2 (rxq != txq)");
		while (!seen && poll(&p, 1, 1000) > 0)
			seen = recv(pkt, rb, sizeof(rb), 0) == (ssize_t)len && memcmp(rb, b, len) == 0;
		check_ok(seen, "... the frame comes out of the veth");
	}
	(void)q;
out:
	if (pkt >= 0)
		close(pkt);
	port_close("net_hashtap11", port);
	check_ok(netns_if_exists(NULL, "htpm0"), "close leaves the macvtap interface alone");
	check_ok(rte_mempool_in_use_count(mp) == 0, "macvtap: mempool in use back to 0");
	test_sh("ip link del htpv0 2>/dev/null; ip netns del " NS_B);
	rte_mempool_free(mp);
}

PMD_CASE(PMD_MACVTAP, "macvtap", t_macvtap, true, true)

/*
 * io=uring keeps a queue's file in the kernel a while after the port
 * closed its fd (the ring's teardown runs later).  Closing and reopening a
 * 3-queue port on a macvtap, ROUNDS times, each time with the reads armed:
 * no close waits for the kernel (no warning), each reopen takes the
 * macvtap at once (the lock went with the close), and the frames sent
 * next all reach the new port (no queue the kernel still holds takes one).
 * With io=syscall the same rounds hold trivially.
 */
#define REOPEN_ROUNDS	20
#define REOPEN_FRAMES	24

static void
t_macvtap_reopen(void)
{
	struct rte_mempool *mp = port_pool("mvr", 2048, 0);
	struct rte_eth_conf conf = {
		.rxmode.offloads = RTE_ETH_RX_OFFLOAD_RSS_HASH, .rxmode.mq_mode = RTE_ETH_MQ_RX_RSS,
	};
	unsigned int r, i, opened = 0, quiet = 0, lost = 0, sent = 0;
	struct sockaddr_ll to;
	uint16_t port = 0;
	int pkt = -1;

	kernel_src = guest;
	ns_add(NS_B);
	if (macvtap_rig("htpv4", "htpv5", "htpm4", "02:00:00:00:00:04") != 0 ||
	    (pkt = netns_packet_socket(NS_B, "htpv5", &to, 0)) < 0) {
		check_ok(false, "macvtap reopen: rig up");
		goto out;
	}
	for (r = 0; r < REOPEN_ROUNDS; r++) {
		struct rte_mbuf *b[32];
		uint16_t q, n;

		if (port_open("net_hashtap18", "macvtap=htpm4", &port) != 0) {
			check_diag("round %u: open: %s", r, port_log);
			break;
		}
		opened++;
		if (port_start(port, 2, 3, &conf, mp) != 0) {
			check_diag("round %u: start failed", r);
			port_close("net_hashtap18", port);
			break;
		}
		/* the frames of REOPEN_FRAMES flows, to the macvtap's MAC */
		for (i = 0; i < REOPEN_FRAMES; i++) {
			struct pkt_spec s = { .ipver = 4, .l4 = IPPROTO_UDP, .payload = 32,
					      .sport = (uint16_t)(1000 + i), .dport = 7 };
			uint8_t f[256];
			uint32_t len = pkt_build(&s, f, sizeof(f));

			memcpy(f, "\x02\x00\x00\x00\x00\x04", 6);
			sent += sendto(pkt, f, len, 0, (const struct sockaddr *)&to, sizeof(to)) ==
				(ssize_t)len;
		}
		/* every rx queue polled (its read armed) until all came */
		for (i = 0, n = 0; i < 2000 && n < REOPEN_FRAMES; i++) {
			for (q = 0; q < 2; q++) {
				uint16_t k = rte_eth_rx_burst(port, q, b, RTE_DIM(b));

				n = (uint16_t)(n + k);
				rte_pktmbuf_free_bulk(b, k);
			}
			if (n < REOPEN_FRAMES)
				rte_delay_us_sleep(1000);
		}
		lost += REOPEN_FRAMES - RTE_MIN(n, REOPEN_FRAMES);
		if (port_close_log("net_hashtap18", port) == 0 &&
		    strstr(port_log, "still holds") == NULL)
			quiet++;
		else
			check_diag("round %u: close said: %s", r, port_log);
	}
	check_ok(opened == REOPEN_ROUNDS, "macvtap reopen: %u/%u opens took the macvtap at once",
		 opened, REOPEN_ROUNDS);
	check_ok(quiet == opened && opened > 0,
		 "macvtap reopen: %u/%u closes did not wait for the kernel's io_uring teardown",
		 quiet, opened);
	check_ok(lost == 0 && sent == opened * REOPEN_FRAMES,
		 "macvtap reopen: %u frames sent, %u lost (to a queue the kernel still held?)",
		 sent, lost);
out:
	if (pkt >= 0)
		close(pkt);
	check_ok(rte_mempool_in_use_count(mp) == 0, "macvtap reopen: mempool in use back to 0");
	test_sh("ip link del htpv4 2>/dev/null; ip netns del " NS_B);
	rte_mempool_free(mp);
}

PMD_CASE(PMD_MACVTAP_REOPEN, "macvtap-reopen", t_macvtap_reopen, true, false)
