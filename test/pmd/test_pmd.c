/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 hashtap authors
 *
 * net_hashtap through the ethdev API, against real taps and macvtaps whose
 * kernel side lives in network namespaces this program creates (htp-*)
 * and removes.  TAP output.
 *
 *   test-pmd [-v VECTORS.tsv] [-n FRAMES] [-s SEED] [TEST...]
 *
 * Host tests (default): devargs, lifecycle, rx-hash (frames of every kind
 * from the kernel side, software hash vs lib/vnet_hash and vs the
 * Microsoft vectors), multiqueue, lro, tx-offload, link, deleted,
 * mempool, macvtap.
 * Guest tests (-g: patched kernel, through test/vm/vm-run): rx-hash
 * (software, for the same values as ...), kernel-hash, kernel-rss,
 * multiqueue and macvtap with the kernel's hash.
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <getopt.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_bus_vdev.h>
#include <rte_ip.h>
#include <rte_log.h>
#include <rte_mbuf.h>
#include <rte_tcp.h>
#include <rte_udp.h>

#include "netns.h"
#include "pkt.h"
#include "port.h"
#include "rte_pmd_hashtap.h"
#include "rnd.h"
#include "tap.h"
#include "vectors.h"
#include "vnet_hash.h"
#include "vnet_hdr.h"

#define NS_A	"htp-a"
#define NS_B	"htp-b"
#define NS_R	"htp-r"
#define NS_S	"htp-s"
#define TAP_A	"htpa0"
#define TAP_B	"htpb0"
#define MAX_Q	8

static unsigned int n_frames = 400;
static const char *vectors_path;
static bool guest;		/* -g: in the patched test kernel */
static bool kernel_src;		/* the port under test takes the kernel's hash */

/* ------------------------------------------------------------ shell, namespaces */

static void
ns_add(const char *ns)
{
	test_sh("ip netns del %s 2>/dev/null; ip netns add %s && ip -n %s link set lo up", ns, ns, ns);
}

static void
ns_del_all(void)
{
	if (system("for n in " NS_A " " NS_B " " NS_R " " NS_S "; do ip netns del $n 2>/dev/null; done; "
		   "ip link del htpv0 2>/dev/null; ip link del " TAP_A " 2>/dev/null; "
		   "ip link del " TAP_B " 2>/dev/null; true") != 0)
		tap_diag("cleanup failed");
}

/* Put a tap the port made into ns, up, with no IPv6 chatter. */
static int
move_to_ns(const char *ifname, const char *ns)
{
	return test_sh("ip link set %s netns %s && ip netns exec %s sysctl -qw net.ipv6.conf.%s.disable_ipv6=1 && "
		  "ip -n %s link set %s up", ifname, ns, ns, ifname, ns, ifname);
}

/* Poll every rx queue until a frame equal to want[] arrives (others are
 * dropped and counted); returns it with its queue, or NULL after ms. */
static struct rte_mbuf *
rx_match(uint16_t port, uint16_t nq, const uint8_t *want, uint32_t len, unsigned int ms,
	 uint16_t *qid, unsigned int *others)
{
	uint64_t end = rte_get_timer_cycles() + rte_get_timer_hz() * ms / 1000;
	static uint8_t flat[65536];

	do {
		for (uint16_t q = 0; q < nq; q++) {
			struct rte_mbuf *m[32], *hit = NULL;
			uint16_t n = rte_eth_rx_burst(port, q, m, 32), i;

			for (i = 0; i < n; i++) {
				const uint8_t *d = rte_pktmbuf_read(m[i], 0, RTE_MIN(m[i]->pkt_len, 65536u), flat);

				if (hit == NULL && m[i]->pkt_len == len && d != NULL &&
				    memcmp(d, want, len) == 0) {
					hit = m[i];
					continue;
				}
				if (others != NULL)
					(*others)++;
				rte_pktmbuf_free(m[i]);
			}
			if (hit != NULL) {
				*qid = q;
				return hit;
			}
		}
		rte_delay_us_sleep(200);
	} while (rte_get_timer_cycles() < end);
	return NULL;
}

/* ------------------------------------------------------------ devargs, lifecycle */

static void
t_devargs(void)
{
	static const struct {
		const char *args, *says;
	} bad[] = {
		{ "iface=htpx0,colour=blue", "unknown devargs key \"colour\"" },
		{ "hash=fast", "hash=fast" },
		{ "mac=01:00:5e:00:00:01", "mac=01:00:5e:00:00:01" },
		{ "mac=nonsense", "mac=nonsense" },
		{ "persist=yes", "persist=yes" },
		{ "iface=abcdefghijklmnopq", "not a valid interface name" },
		{ "iface=a/b", "not a valid interface name" },
		{ "iface=htpx0,macvtap=htpx1", "exclude each other" },
		{ "macvtap=htp-none0", "macvtap=htp-none0: no such interface" },
		{ "macvtap=lo", "macvtap=lo: not a macvtap" },
		{ "iface=lo", "iface=lo: cannot attach" },
		{ "iface=", "needs a value" },
		{ "key=00112233", "key=00112233: expected 40 bytes in hex" },
		{ "key=zz", "expected 40 bytes in hex" },
		{ "iface=htpx0,iface=htpx1", "\"iface\" given 2 times" },
		{ "hash=off,persist=0,hash=software", "\"hash\" given 2 times" },
	};
	uint16_t port;
	unsigned int i;

	for (i = 0; i < RTE_DIM(bad); i++) {
		int rc = port_open("net_hashtap9", bad[i].args, &port);

		tap_ok(rc != 0 && strstr(port_log, bad[i].says) != NULL,
		       "devargs \"%s\": probe fails saying \"%s\"", bad[i].args, bad[i].says);
		if (rc == 0)
			port_close("net_hashtap9", port);
		else if (strstr(port_log, bad[i].says) == NULL)
			tap_diag("log was: %s", port_log);
	}
	tap_ok(!netns_if_exists(NULL, "htpx0") && !netns_if_exists(NULL, "htpx1"),
	       "failed probes leave no interface behind");
	if (!guest) {
		int rc = port_open("net_hashtap9", "iface=htpx0,hash=kernel", &port);

		tap_ok(rc != 0 && strstr(port_log, "hash=kernel, but this kernel has no virtio-net hash") != NULL,
		       "hash=kernel on a kernel without the feature: probe fails and says why");
		if (rc == 0)
			port_close("net_hashtap9", port);
		rc = port_open("net_hashtap9", "iface=htpx2,persist=1,hash=kernel", &port);
		tap_ok(rc != 0 && !netns_if_exists(NULL, "htpx2"),
		       "persist=1 and a probe that fails late: the tap it created is not left behind");
		if (rc == 0)
			port_close("net_hashtap9", port);
		test_sh("ip link del htpx2 2>/dev/null; true");
	}
}

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
	tap_ok(rc == 0 && netns_if_exists(NULL, "htpc0"), "iface=htpc0 creates the tap");
	rc = port_start(port, 3, 5, &conf, mp);
	tap_ok(rc == 0, "3 rx queues and 5 tx queues (rxq != txq) configure and start");
	rte_eth_dev_info_get(port, &info);
	tap_ok(info.max_rx_queues >= 8 && info.max_tx_queues >= 8 && info.reta_size == 128 &&
	       info.hash_key_size == 40, "dev_info: %u/%u queues, RETA %u, key %u",
	       info.max_rx_queues, info.max_tx_queues, info.reta_size, info.hash_key_size);
	rte_eth_dev_stop(port);
	rc = port_start(port, 1, 2, &conf, mp);
	tap_ok(rc == 0, "reconfigured to 1 rx / 2 tx queues");
	rte_eth_dev_stop(port);
	{
		struct rte_eth_conf lro = { .rxmode = {
			.offloads = RTE_ETH_RX_OFFLOAD_TCP_LRO | RTE_ETH_RX_OFFLOAD_SCATTER,
			.max_lro_pkt_size = 9000 } };

		rte_eth_dev_info_get(port, &info);
		rc = port_start(port, 1, 1, &lro, mp);
		tap_ok(info.max_lro_pkt_size >= 65535 && rc == 0,
		       "dev_info max_lro_pkt_size %u, and LRO with max_lro_pkt_size 9000 configures (%d)",
		       info.max_lro_pkt_size, rc);
	}
	port_close("net_hashtap1", port);
	tap_ok(!netns_if_exists(NULL, "htpc0"), "close removes the tap the port created");
	tap_ok(rte_mempool_in_use_count(mp) == 0, "mempool in use back to 0 (%u)",
	       rte_mempool_in_use_count(mp));

	rc = port_open("net_hashtap1", "iface=htpc1,persist=1", &port);
	if (rc == 0)
		port_close("net_hashtap1", port);
	tap_ok(rc == 0 && netns_if_exists(NULL, "htpc1"), "persist=1: the tap outlives the port");
	test_sh("ip link del htpc1");

	test_sh("ip tuntap add dev htpc2 mode tap multi_queue");
	rc = port_open("net_hashtap1", "iface=htpc2", &port);
	tap_ok(rc == 0 && strstr(port_log, "created") == NULL, "attaches to an existing multi-queue tap");
	if (rc == 0) {
		tap_ok(port_start(port, 2, 2, &conf, mp) == 0, "2 queues on the attached tap");
		port_close("net_hashtap1", port);
	}
	tap_ok(netns_if_exists(NULL, "htpc2"), "close never removes a tap it attached to");
	test_sh("ip link del htpc2");

	test_sh("ip tuntap add dev htpc3 mode tap");
	rc = port_open("net_hashtap1", "iface=htpc3", &port);
	if (rc == 0) {
		rte_eth_dev_info_get(port, &info);
		tap_ok(info.max_rx_queues == 1, "a single-queue tap: max_rx_queues 1");
		tap_ok(port_start(port, 1, 3, &conf, mp) == 0, "single-queue tap: 1 rx / 3 tx");
		port_close("net_hashtap1", port);
	} else {
		tap_ok(false, "attach to a single-queue tap: %s", port_log);
	}
	tap_ok(netns_if_query(NULL, "htpc3", SIOCGIFFLAGS, &ifr) == 0, "the single-queue tap is still there");
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
	tap_ok(rc == 0, "key=: the RSS key while the application sets none");
	rc = port_open("net_hashtap1", "", &port);
	tap_ok(rc == 0 && strstr(port_log, "tap hashtap") != NULL, "no iface=: a hashtapN name (%s)",
	       rc == 0 ? "ok" : port_log);
	if (rc == 0)
		port_close("net_hashtap1", port);
	rte_mempool_free(mp);
}

/* ------------------------------------------------------------ receive: the hash */

struct rxcheck {
	unsigned int n, bad;
};

/* Send frame from the namespace side and check what the port hands over. */
static void
rx_one(struct rxcheck *c, uint16_t port, uint16_t nq, int pkt, const struct sockaddr_ll *to,
       const uint8_t *frame, uint32_t len, const struct vnet_hash_key *key, uint32_t types,
       const char *what, int want_report, uint32_t want_hash)
{
	struct vnet_hash_tuple t;
	struct rte_mbuf *m;
	uint32_t hash = 0;
	unsigned int report;
	uint16_t q;

	c->n++;
	if (sendto(pkt, frame, len, 0, (const struct sockaddr *)to, sizeof(*to)) != (ssize_t)len) {
		tap_diag("%s: send: %s", what, strerror(errno));
		c->bad++;
		return;
	}
	m = rx_match(port, nq, frame, len, 2000, &q, NULL);
	if (m == NULL) {
		tap_diag("%s: never arrived", what);
		c->bad++;
		return;
	}
	report = vnet_hash_classify(frame, len, types, &t);
	if (report != VNET_HASH_REPORT_NONE)
		hash = vnet_hash_toeplitz(key, &t);
	if (want_report >= 0 && (report != (unsigned int)want_report || hash != want_hash)) {
		tap_diag("%s: lib/vnet_hash gives %u/0x%08x, the vectors say %d/0x%08x", what,
			 report, hash, want_report, want_hash);
		c->bad++;
	}
	/* packet_type: the kernel's report says L3/L4 only (no parsing in the
	 * PMD); the software hash has the classifier's whole answer */
	if (kernel_src)
		t.ptype = vnet_hash_report_to_ptype(report);
	if (((m->ol_flags & RTE_MBUF_F_RX_RSS_HASH) != 0) != (report != VNET_HASH_REPORT_NONE) ||
	    (report != VNET_HASH_REPORT_NONE && m->hash.rss != hash) ||
	    (t.ptype & (RTE_PTYPE_L3_MASK | RTE_PTYPE_L4_MASK)) !=
	    (m->packet_type & (RTE_PTYPE_L3_MASK | RTE_PTYPE_L4_MASK))) {
		tap_diag("%s: port gave flag %d hash 0x%08x ptype 0x%x; expected report %s hash 0x%08x ptype 0x%x",
			 what, (m->ol_flags & RTE_MBUF_F_RX_RSS_HASH) != 0, m->hash.rss,
			 m->packet_type, vnet_hash_report_name(report), hash, t.ptype);
		c->bad++;
	}
	rte_pktmbuf_free(m);
}

static int
set_rss(uint16_t port, const uint8_t *key, uint32_t types)
{
	struct rte_eth_rss_conf rc = {
		.rss_key = (uint8_t *)(uintptr_t)key, .rss_key_len = 40,
		.rss_hf = vnet_hash_types_to_rss(types),
	};

	return rte_eth_dev_rss_hash_update(port, &rc);
}

/* frames of every kind: name, spec */
static uint32_t
kind_frame(unsigned int k, uint8_t *buf, const char **name)
{
	struct pkt_spec s;

	memset(&s, 0, sizeof(s));
	pkt_addr("10.1.2.3", s.src);
	pkt_addr("192.0.2.77", s.dst);
	s.sport = 4242;
	s.dport = 80;
	s.payload = 30;
	s.ipver = 4;
	s.l4 = IPPROTO_TCP;
	switch (k) {
	case 0: *name = "IPv4/TCP"; break;
	case 1: *name = "IPv4/UDP"; s.l4 = IPPROTO_UDP; break;
	case 2: *name = "IPv4/ICMP"; s.l4 = IPPROTO_ICMP; break;
	case 3: *name = "IPv4 fragment"; s.ip4_frag = 0x2000; break;
	case 4: *name = "IPv4 options/UDP"; s.l4 = IPPROTO_UDP; s.ip4_opt_words = 3; break;
	case 5: *name = "VLAN/IPv4/TCP"; s.nvlan = 1; s.tpid[0] = 0x8100; break;
	case 6: *name = "QinQ/IPv4/UDP"; s.nvlan = 2; s.tpid[0] = 0x88a8; s.tpid[1] = 0x8100;
		s.l4 = IPPROTO_UDP; break;
	case 7: *name = "ARP"; s.ipver = 0; s.ethertype = 0x0806; break;
	default:
		s.ipver = 6;
		pkt_addr("2001:db8::1", s.src);
		pkt_addr("2001:db8:ffff::42", s.dst);
		switch (k) {
		case 8: *name = "IPv6/TCP"; break;
		case 9: *name = "IPv6/UDP"; s.l4 = IPPROTO_UDP; break;
		case 10: *name = "IPv6/ICMPv6"; s.l4 = IPPROTO_ICMPV6; break;
		case 11: *name = "IPv6 HBH+routing(type 2)/TCP"; s.next = 2;
			s.ext[0].proto = IPPROTO_HOPOPTS; s.ext[1].proto = IPPROTO_ROUTING;
			s.ext[1].rt_type = 2; pkt_addr("2001:db8::99", s.ext[1].addr); break;
		case 12: *name = "IPv6 dstopts(HAO)/UDP"; s.next = 1; s.l4 = IPPROTO_UDP;
			s.ext[0].proto = IPPROTO_DSTOPTS; s.ext[0].hao = true;
			pkt_addr("2001:db8::77", s.ext[0].addr); break;
		default: *name = "VLAN/IPv6/UDP"; s.nvlan = 1; s.tpid[0] = 0x8100;
			s.l4 = IPPROTO_UDP; break;
		}
	}
	return pkt_build(&s, buf, 2048);
}
#define N_KINDS 14

/* A port on a tap moved into NS_A, nq queues, RSS with the hash offload. */
static int
rig_tap(const char *dev, const char *args, uint16_t nq, uint64_t rxo,
	struct rte_mempool *mp, uint16_t *port, int *pkt, struct sockaddr_ll *to)
{
	struct rte_eth_conf conf = { 0 };

	ns_add(NS_A);
	if (port_open(dev, args, port) != 0) {
		tap_diag("probe: %s", port_log);
		return -1;
	}
	/* DPDK 22.11's ethdev takes RSS_HASH only together with mq_mode RSS */
	conf.rxmode.offloads = RTE_ETH_RX_OFFLOAD_RSS_HASH | rxo;
	conf.rxmode.mq_mode = RTE_ETH_MQ_RX_RSS;
	conf.rx_adv_conf.rss_conf.rss_hf = RTE_ETH_RSS_IP | RTE_ETH_RSS_TCP | RTE_ETH_RSS_UDP;
	if (port_start(*port, nq, nq, &conf, mp) != 0)
		return -1;
	/* the port follows its tap into the namespace */
	if (move_to_ns(TAP_A, NS_A) != 0)
		return -1;
	*pkt = netns_packet_socket(NS_A, TAP_A, to, 0);
	return *pkt < 0 ? -1 : 0;
}

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
	tap_ok(set_rss(port, vnet_hash_default_key, types) == 0, "%s: rss_hash_update (all types)", what);
	for (k = 0; k < N_KINDS; k++) {
		struct rxcheck one = { 0 };

		len = kind_frame(k, frame, &name);
		rx_one(&one, port, nq, pkt, to, frame, len, &key, types, name, -1, 0);
		tap_ok(one.bad == 0, "%s: %s arrives with lib/vnet_hash's hash and type", what, name);
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
	tap_ok(c.bad == 0, "%s: %u/%u random frames (random keys and type sets) carry lib/vnet_hash's hash",
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
		tap_ok(false, "%s: Microsoft vectors (-v FILE) loaded", what);
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
	tap_ok(c.n > 0 && c.bad == 0, "%s: %u Microsoft vector frames (L3 and L4) carry the published hash",
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
		tap_ok(false, "%s: rig up", what);
	} else {
		const char *mine = kernel_src ? "rx_hash_kernel" : "rx_hash_software";
		const char *other = kernel_src ? "rx_hash_software" : "rx_hash_kernel";
		uint64_t src = port_xstat(port, mine);

		rx_kinds_and_random(what, port, 1, pkt, &to, 11);
		rx_vectors(what, port, 1, pkt, &to);
		src = port_xstat(port, mine) - src;
		tap_ok(src > 0 && port_xstat(port, other) == 0, "%s: xstats say the hash came from the %s (%lu frames)",
		       what, kernel_src ? "kernel" : "software", (unsigned long)src);
	}
	if (pkt >= 0)
		close(pkt);
	port_close("net_hashtap2", port);
	tap_ok(rte_mempool_in_use_count(mp) == 0, "%s: mempool in use back to 0", what);
	rte_mempool_free(mp);
	test_sh("ip netns del " NS_A);
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
			m = rx_match(port, 1, frame, len, 2000, &q, NULL);
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
			tap_ok(st.ipackets > 0 && none == st.ipackets &&
			       port_xstat(port, "rx_hash_kernel") + port_xstat(port, "rx_hash_software") == 0,
			       "%s: the hash counters add up to the frames received (none %lu of %lu)",
			       round ? "no RSS asked" : "hash=off", (unsigned long)none,
			       (unsigned long)st.ipackets);
			tap_ok(rte_pmd_hashtap_hash_source(port) == RTE_PMD_HASHTAP_HASH_SRC_NONE,
			       "%s: rte_pmd_hashtap_hash_source says none",
			       round ? "no RSS asked" : "hash=off");
			close(pkt);
		}
		port_close("net_hashtap3", port);
		test_sh("ip netns del " NS_A);
	}
	tap_ok(got == 2 * N_KINDS && flagged == 0,
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
		tap_ok(false, "multiqueue: rig up");
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
		m = rx_match(port, nq, frame, len, 2000, &q, NULL);
		if (m == NULL) {
			tap_diag("multiqueue: flow %u lost", i);
			continue;
		}
		got++;
		per_q[q]++;
		rte_pktmbuf_free(m);
	}
	for (q = 0; q < nq; q++)
		used += per_q[q] > 0;
	tap_ok(got == 200 && used >= 2, "4 queues: 200 flows, %u frames received, spread over %u queues (%u %u %u %u)",
	       got, used, per_q[0], per_q[1], per_q[2], per_q[3]);
	mism = port_xstat(port, "rx_reta_mismatch");
	if (guest)
		tap_ok(mism == 0, "kernel RSS: no frame off the queue RETA names (rx_reta_mismatch %lu)",
		       (unsigned long)mism);
	else
		tap_ok(mism != UINT64_MAX && mism <= got,
		       "software hash: rx_reta_mismatch counts frames the kernel steered elsewhere (%lu of %u)",
		       (unsigned long)mism, got);
out:
	if (pkt >= 0)
		close(pkt);
	port_close("net_hashtap4", port);
	tap_ok(rte_mempool_in_use_count(mp) == 0, "multiqueue: mempool in use back to 0");
	rte_mempool_free(mp);
	test_sh("ip netns del " NS_A);
}

/* RETA steering by the kernel (guest): a custom table, each flow on its entry. */
static void
t_kernel_rss(void)
{
	struct rte_mempool *mp = port_pool("krss", 4096, 0);
	struct rte_eth_rss_reta_entry64 reta[128 / RTE_ETH_RETA_GROUP_SIZE];
	struct vnet_hash_key key;
	struct sockaddr_ll to;
	uint8_t frame[256], table[128];
	uint16_t port, q, nq = 4;
	unsigned int i, got = 0, wrong = 0;
	int pkt = -1;

	if (rig_tap("net_hashtap5", "iface=" TAP_A ",hash=kernel", nq, 0, mp, &port, &pkt,
		    &to) != 0) {
		tap_ok(false, "kernel RSS: rig up");
		goto out;
	}
	rnd_seed(99);
	memset(reta, 0, sizeof(reta));
	for (i = 0; i < 128; i++) {
		table[i] = (uint8_t)(rnd() % nq);
		reta[i / 64].mask |= 1ull << (i % 64);
		reta[i / 64].reta[i % 64] = table[i];
	}
	tap_ok(rte_eth_dev_rss_reta_update(port, reta, 128) == 0, "kernel RSS: reta_update (random table)");
	vnet_hash_key_set(&key, vnet_hash_default_key, 40);
	set_rss(port, vnet_hash_default_key, VNET_HASH_TYPE_ALL);
	for (i = 0; i < 300; i++) {
		struct rte_mbuf *m;
		uint32_t len, hash;

		len = rnd_frame(frame, sizeof(frame), false);
		if (sendto(pkt, frame, len, 0, (struct sockaddr *)&to, sizeof(to)) != len)
			continue;
		m = rx_match(port, nq, frame, len, 2000, &q, NULL);
		if (m == NULL)
			continue;
		got++;
		if (vnet_hash_frame(&key, VNET_HASH_TYPE_ALL, frame, len, &hash) != VNET_HASH_REPORT_NONE
		    ? q != table[hash & 127] : q != 0)
			wrong++;
		rte_pktmbuf_free(m);
	}
	tap_ok(got == 300 && wrong == 0, "kernel RSS: %u/300 frames on the queue the table names (%u wrong)",
	       got, wrong);
out:
	if (pkt >= 0)
		close(pkt);
	port_close("net_hashtap5", port);
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
		tap_diag("PACKET_VNET_HDR: %s", strerror(errno));
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
			tap_ok(false, "LRO %s: rig up and send", lro ? "on" : "off");
		} else if (lro) {
			struct rte_mbuf *m = rx_match(port, 1, frame, len, 2000, &q, NULL);

			tap_ok(m != NULL && (m->ol_flags & RTE_MBUF_F_RX_LRO) && m->tso_segsz == 1000 &&
			       m->nb_segs > 1 && m->pkt_len == len,
			       "LRO on: the 3054-byte GSO frame arrives whole: %u segments, tso_segsz %u, LRO flag %d",
			       m ? m->nb_segs : 0, m ? m->tso_segsz : 0,
			       m ? (m->ol_flags & RTE_MBUF_F_RX_LRO) != 0 : 0);
			tap_ok(m != NULL && (m->ol_flags & RTE_MBUF_F_RX_L4_CKSUM_MASK) ==
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
			tap_ok(n == 3 && sizes_ok == 3,
			       "LRO off: the kernel segments it, 3 frames of 1054 bytes (%u, %u right; %u others)",
			       n, sizes_ok, other);
		}
		if (pkt >= 0)
			close(pkt);
		pkt = -1;
		port_close("net_hashtap6", port);
		test_sh("ip netns del " NS_A);
	}
	tap_ok(rte_mempool_in_use_count(mp) == 0, "LRO: mempool in use back to 0");
	rte_mempool_free(mp);
}

/* ------------------------------------------------------------ transmit: offloads */

/*
 * The port's frames go into NS_R, which routes them out of a veth without
 * checksum offload or TSO to NS_S: the kernel finishes the checksums and
 * cuts TSO frames from what our vnet headers said, the router drops bad IP
 * headers, and NS_S sees what went on the wire.
 */
struct txrig {
	uint16_t port;
	int cap;			/* AF_PACKET in NS_S */
	struct rte_ether_addr tap_mac;
	struct rte_mempool *mp;
};

static int
txrig_up(struct txrig *r)
{
	struct rte_eth_conf conf = { 0 };
	struct sockaddr_ll to;
	struct ifreq ifr;

	ns_add(NS_R);
	ns_add(NS_S);
	if (port_open("net_hashtap7", "iface=" TAP_A, &r->port) != 0)
		return -1;
	conf.txmode.offloads = RTE_ETH_TX_OFFLOAD_IPV4_CKSUM | RTE_ETH_TX_OFFLOAD_TCP_CKSUM |
		RTE_ETH_TX_OFFLOAD_UDP_CKSUM | RTE_ETH_TX_OFFLOAD_TCP_TSO |
		RTE_ETH_TX_OFFLOAD_MULTI_SEGS;
	if (port_start(r->port, 1, 1, &conf, r->mp) != 0 || move_to_ns(TAP_A, NS_R) != 0)
		return -1;
	if (test_sh("ip link add htpv0 type veth peer name htpv1 && "
	       "ip link set htpv0 netns " NS_R " && ip link set htpv1 netns " NS_S " && "
	       "ip -n " NS_R " addr add 10.77.1.1/24 dev " TAP_A " && "
	       "ip -n " NS_R " addr add 10.77.2.1/24 dev htpv0 && ip -n " NS_R " link set htpv0 up && "
	       "ip netns exec " NS_R " sysctl -qw net.ipv4.ip_forward=1 && "
	       "ip netns exec " NS_R " ethtool -K htpv0 tx off tso off gso off >/dev/null && "
	       "ip -n " NS_S " addr add 10.77.2.2/24 dev htpv1 && ip -n " NS_S " link set htpv1 up && "
	       "ip netns exec " NS_S " sysctl -qw net.ipv6.conf.htpv1.disable_ipv6=1 && "
	       "ip netns exec " NS_R " ping -c1 -W2 10.77.2.2 >/dev/null") != 0)
		return -1;
	if (netns_if_query(NS_R, TAP_A, SIOCGIFHWADDR, &ifr) != 0)
		return -1;
	memcpy(r->tap_mac.addr_bytes, ifr.ifr_hwaddr.sa_data, 6);
	r->cap = netns_packet_socket(NS_S, "htpv1", &to, 0);
	return r->cap < 0 ? -1 : 0;
}

static void
txrig_down(struct txrig *r)
{
	if (r->cap >= 0)
		close(r->cap);
	port_close("net_hashtap7", r->port);
	test_sh("ip netns del " NS_R "; ip netns del " NS_S);
}

/* An IPv4 TCP/UDP frame 10.77.1.2 -> 10.77.2.2 in an mbuf, split in segs. */
static struct rte_mbuf *
tx_frame(struct txrig *r, uint8_t l4, uint16_t payload, uint16_t sport, unsigned int segs)
{
	struct pkt_spec s = { .ipver = 4, .l4 = l4, .payload = payload, .dport = 9 };
	static uint8_t b[16384];
	struct rte_mbuf *head = NULL, *prev = NULL;
	uint32_t len, off = 0, i;

	s.sport = sport;
	pkt_addr("10.77.1.2", s.src);
	pkt_addr("10.77.2.2", s.dst);
	len = pkt_build(&s, b, sizeof(b));
	memcpy(b, r->tap_mac.addr_bytes, 6);
	for (i = 0; i < segs; i++) {
		/* headers and a little in the first segment, the rest spread */
		uint32_t chunk = i + 1 == segs ? len - off : i == 0 ? 60u : (len - 60u) / (segs - 1);
		struct rte_mbuf *m = rte_pktmbuf_alloc(r->mp);
		char *d = m != NULL ? rte_pktmbuf_append(m, (uint16_t)chunk) : NULL;

		if (d == NULL) {
			tap_diag("tx_frame: no mbuf for %u bytes", chunk);
			exit(2);
		}
		memcpy(d, b + off, chunk);
		off += chunk;
		if (prev == NULL) {
			head = m;
		} else {
			prev->next = m;
			head->nb_segs++;
			head->pkt_len += chunk;
		}
		prev = m;
	}
	return head;
}

/* Frames from 10.77.1.2 to port sport that reached NS_S: count, check checksums. */
static void
tx_capture(struct txrig *r, uint16_t sport, unsigned int *n, unsigned int *good,
	   unsigned int *payload_sum, uint16_t *max_payload)
{
	uint8_t b[16384];
	struct pollfd p = { .fd = r->cap, .events = POLLIN };

	*n = *good = *payload_sum = 0;
	*max_payload = 0;
	while (poll(&p, 1, 500) > 0) {
		ssize_t len = recv(r->cap, b, sizeof(b), 0);
		struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(b + 14);
		const uint8_t *l4;
		uint16_t ihl, pl, l4len;
		bool ok;

		if (len < 42 || b[12] != 0x08 || b[13] != 0 ||
		    ip->src_addr != inet_addr("10.77.1.2"))
			continue;
		ihl = (uint16_t)((ip->version_ihl & 0xf) * 4);
		l4 = b + 14 + ihl;
		if (((l4[0] << 8) | l4[1]) != sport)
			continue;
		(*n)++;
		l4len = (uint16_t)(rte_be_to_cpu_16(ip->total_length) - ihl);
		ok = rte_ipv4_cksum(ip) == 0 || rte_raw_cksum(ip, ihl) == 0xffff;
		ok = ok && rte_ipv4_udptcp_cksum_verify(ip, l4) == 0;
		pl = (uint16_t)(l4len - (ip->next_proto_id == IPPROTO_TCP ? (l4[12] >> 4) * 4 : 8));
		*payload_sum += pl;
		if (pl > *max_payload)
			*max_payload = pl;
		*good += ok;
	}
}

static void
t_tx_offload(void)
{
	struct txrig r = { .cap = -1 };
	unsigned int n, good, sum;
	uint16_t maxp;
	struct rte_mbuf *m;
	uint64_t before;

	r.mp = port_pool("tx", 2048, 0);
	if (txrig_up(&r) != 0) {
		tap_ok(false, "tx offloads: rig up (%s)", port_log);
		txrig_down(&r);
		rte_mempool_free(r.mp);
		return;
	}

	/* control: a frame with a wrong IP checksum and no offload is dropped by the router */
	m = tx_frame(&r, IPPROTO_UDP, 100, 2000, 1);
	rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *, 14)->hdr_checksum = 0xdead;
	rte_eth_tx_burst(r.port, 0, &m, 1);
	tx_capture(&r, 2000, &n, &good, &sum, &maxp);
	tap_ok(n == 0, "control: a bad IP checksum without offload never gets through the router (%u)", n);

	/* IPv4 + UDP checksum offload, 3 segments */
	m = tx_frame(&r, IPPROTO_UDP, 900, 2001, 3);
	{
		struct rte_ipv4_hdr *ip = rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *, 14);
		struct rte_udp_hdr *u = rte_pktmbuf_mtod_offset(m, struct rte_udp_hdr *, 34);

		m->l2_len = 14;
		m->l3_len = 20;
		m->ol_flags = RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_IP_CKSUM | RTE_MBUF_F_TX_UDP_CKSUM;
		ip->hdr_checksum = 0xbeef;	/* the PMD computes it */
		u->dgram_cksum = rte_ipv4_phdr_cksum(ip, m->ol_flags);
	}
	tap_ok(rte_eth_tx_burst(r.port, 0, &m, 1) == 1, "UDP checksum + IP checksum offload, 3 segments: sent");
	tx_capture(&r, 2001, &n, &good, &sum, &maxp);
	tap_ok(n == 1 && good == 1 && sum == 900, "... arrives with valid IP and UDP checksums (%u frames, %u good)",
	       n, good);

	/* TCP checksum offload */
	m = tx_frame(&r, IPPROTO_TCP, 500, 2002, 2);
	{
		struct rte_ipv4_hdr *ip = rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *, 14);
		struct rte_tcp_hdr *t = rte_pktmbuf_mtod_offset(m, struct rte_tcp_hdr *, 34);

		m->l2_len = 14;
		m->l3_len = 20;
		m->ol_flags = RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_IP_CKSUM | RTE_MBUF_F_TX_TCP_CKSUM;
		t->cksum = rte_ipv4_phdr_cksum(ip, m->ol_flags);
	}
	tap_ok(rte_eth_tx_burst(r.port, 0, &m, 1) == 1, "TCP checksum offload, 2 segments: sent");
	tx_capture(&r, 2002, &n, &good, &sum, &maxp);
	tap_ok(n == 1 && good == 1 && sum == 500, "... arrives with valid checksums (%u frames, %u good)", n, good);

	/* TSO: 4000 bytes in 1000-byte segments */
	m = tx_frame(&r, IPPROTO_TCP, 4000, 2003, 3);
	{
		struct rte_ipv4_hdr *ip = rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *, 14);
		struct rte_tcp_hdr *t = rte_pktmbuf_mtod_offset(m, struct rte_tcp_hdr *, 34);

		m->l2_len = 14;
		m->l3_len = 20;
		m->l4_len = 20;
		m->tso_segsz = 1000;
		m->ol_flags = RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_IP_CKSUM | RTE_MBUF_F_TX_TCP_SEG |
			RTE_MBUF_F_TX_TCP_CKSUM;
		t->cksum = rte_ipv4_phdr_cksum(ip, m->ol_flags);	/* DPDK: without the length */
	}
	tap_ok(rte_eth_tx_burst(r.port, 0, &m, 1) == 1, "TSO 4000 bytes, tso_segsz 1000, 3 segments: sent");
	tx_capture(&r, 2003, &n, &good, &sum, &maxp);
	tap_ok(n == 4 && good == 4 && sum == 4000 && maxp == 1000,
	       "... the kernel cuts 4 segments of <= 1000 bytes, all checksums valid (%u frames, %u good, %u bytes, max %u)",
	       n, good, sum, maxp);

	/* requests the kernel would refuse: dropped and counted, never sent */
	before = port_xstat(r.port, "tx_drop_bad_offload");
	m = tx_frame(&r, IPPROTO_TCP, 3000, 2004, 3);
	m->l2_len = 14;
	m->l3_len = 20;
	m->l4_len = 20;
	m->tso_segsz = 0;
	m->ol_flags = RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_TCP_SEG;
	tap_ok(rte_eth_tx_burst(r.port, 0, &m, 1) == 1, "TSO with tso_segsz 0: consumed");
	tx_capture(&r, 2004, &n, &good, &sum, &maxp);
	tap_ok(n == 0 && port_xstat(r.port, "tx_drop_bad_offload") == before + 1,
	       "... dropped and counted in tx_drop_bad_offload, nothing on the wire");
	m = tx_frame(&r, IPPROTO_UDP, 10, 2005, 1);
	m->ol_flags = RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_SCTP_CKSUM;
	m->l2_len = 14;
	m->l3_len = 20;
	rte_eth_tx_burst(r.port, 0, &m, 1);
	tap_ok(port_xstat(r.port, "tx_drop_unsupported_offload") == 1, "SCTP checksum request: tx_drop_unsupported_offload");
	m = rte_pktmbuf_alloc(r.mp);
	memset(rte_pktmbuf_append(m, 10), 0, 10);
	rte_eth_tx_burst(r.port, 0, &m, 1);
	tap_ok(port_xstat(r.port, "tx_drop_runt") == 1, "a 10-byte frame: tx_drop_runt");

	txrig_down(&r);
	tap_ok(rte_mempool_in_use_count(r.mp) == 0, "tx offloads: mempool in use back to 0 (%u)",
	       rte_mempool_in_use_count(r.mp));
	rte_mempool_free(r.mp);
}

/* ------------------------------------------------------------ link, deletion, exhaustion */

static unsigned int lsc_events;

static int
lsc_cb(uint16_t port __rte_unused, enum rte_eth_event_type ev __rte_unused, void *arg __rte_unused,
       void *ret __rte_unused)
{
	__atomic_add_fetch(&lsc_events, 1, __ATOMIC_RELAXED);
	return 0;
}

static bool
wait_link(uint16_t port, int want, unsigned int ms)
{
	struct rte_eth_link l;

	for (unsigned int i = 0; i < ms / 20; i++) {
		if (rte_eth_link_get_nowait(port, &l) == 0 && l.link_status == want)
			return true;
		rte_delay_us_sleep(20000);
	}
	return false;
}

static void
t_link(void)
{
	struct rte_mempool *mp = port_pool("link", 1024, 0);
	struct rte_eth_conf conf = { .intr_conf.lsc = 1 };
	struct ifreq ifr;
	uint16_t port;
	unsigned int ev;
	bool down;

	ns_add(NS_A);
	if (port_open("net_hashtap8", "iface=" TAP_A ",mac=02:11:22:33:44:55", &port) != 0) {
		tap_ok(false, "link: probe");
		return;
	}
	rte_eth_dev_callback_register(port, RTE_ETH_EVENT_INTR_LSC, lsc_cb, NULL);
	tap_ok(port_start(port, 1, 1, &conf, mp) == 0, "link: start with LSC interrupts");
	{
		struct rte_ether_addr a;

		rte_eth_macaddr_get(port, &a);
		tap_ok(a.addr_bytes[0] == 0x02 && a.addr_bytes[5] == 0x55, "mac= is the port's MAC");
	}
	tap_ok(wait_link(port, RTE_ETH_LINK_UP, 2000), "started: link up");
	{
		struct rte_ether_addr nm = { { 0x02, 0x11, 0x22, 0x33, 0x44, 0x66 } }, got;
		struct ifreq ifr;

		tap_ok(netns_if_query(NULL, TAP_A, SIOCGIFHWADDR, &ifr) == 0 &&
		       rte_eth_dev_default_mac_addr_set(port, &nm) == 0 &&
		       rte_eth_macaddr_get(port, &got) == 0 && got.addr_bytes[5] == 0x66 &&
		       netns_if_query(NULL, TAP_A, SIOCGIFHWADDR, &ifr) == 0 &&
		       (uint8_t)ifr.ifr_hwaddr.sa_data[5] != 0x66,
		       "tap: a new port MAC is the port's; the kernel interface (the far end) keeps its own");
	}
	tap_ok(move_to_ns(TAP_A, NS_A) == 0, "the tap moves into a namespace");
	tap_ok(wait_link(port, RTE_ETH_LINK_UP, 2000), "... link still up there");
	ev = lsc_events;
	test_sh("ip -n " NS_A " link set " TAP_A " down");
	down = wait_link(port, RTE_ETH_LINK_DOWN, 3000);
	tap_ok(down && lsc_events > ev, "'ip link set down' in the namespace: link down, %u LSC event(s)",
	       lsc_events - ev);
	ev = lsc_events;
	test_sh("ip -n " NS_A " link set " TAP_A " up");
	down = !wait_link(port, RTE_ETH_LINK_UP, 3000);
	tap_ok(!down && lsc_events > ev, "... and up again, %u LSC event(s)", lsc_events - ev);
	tap_ok(rte_eth_dev_set_link_down(port) == 0 && netns_if_query(NS_A, TAP_A, SIOCGIFFLAGS, &ifr) == 0 &&
	       !(ifr.ifr_flags & IFF_UP), "set_link_down: the kernel interface goes down");
	tap_ok(rte_eth_dev_set_link_up(port) == 0 && netns_if_query(NS_A, TAP_A, SIOCGIFFLAGS, &ifr) == 0 &&
	       (ifr.ifr_flags & IFF_UP), "set_link_up: up again");
	tap_ok(rte_eth_promiscuous_enable(port) == 0 && netns_if_query(NS_A, TAP_A, SIOCGIFFLAGS, &ifr) == 0 &&
	       (ifr.ifr_flags & IFF_PROMISC), "promiscuous on: IFF_PROMISC");
	tap_ok(rte_eth_promiscuous_disable(port) == 0 && netns_if_query(NS_A, TAP_A, SIOCGIFFLAGS, &ifr) == 0 &&
	       !(ifr.ifr_flags & IFF_PROMISC), "promiscuous off");
	tap_ok(rte_eth_allmulticast_enable(port) == 0 && netns_if_query(NS_A, TAP_A, SIOCGIFFLAGS, &ifr) == 0 &&
	       (ifr.ifr_flags & IFF_ALLMULTI), "allmulticast on: IFF_ALLMULTI");
	tap_ok(rte_eth_dev_set_mtu(port, 1400) == 0 && netns_if_query(NS_A, TAP_A, SIOCGIFMTU, &ifr) == 0 &&
	       ifr.ifr_mtu == 1400, "MTU 1400 on the kernel interface");
	tap_ok(rte_eth_dev_set_mtu(port, 9000) != 0 && netns_if_query(NS_A, TAP_A, SIOCGIFMTU, &ifr) == 0 &&
	       ifr.ifr_mtu == 1400, "MTU 9000 without scatter on 2 KiB mbufs: refused, kernel MTU unchanged");
	rte_eth_dev_callback_unregister(port, RTE_ETH_EVENT_INTR_LSC, lsc_cb, NULL);
	port_close("net_hashtap8", port);
	tap_ok(!netns_if_exists(NS_A, TAP_A), "close removes the tap, in its namespace too");
	test_sh("ip netns del " NS_A);
	rte_mempool_free(mp);
}

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
		tap_ok(false, "deleted: rig up");
		return;
	}
	uint32_t len = kind_frame(0, frame, &name);
	struct rte_mbuf *got;

	sendto(pkt, frame, len, 0, (struct sockaddr *)&to, sizeof(to));
	got = rx_match(port, 2, frame, len, 2000, &q, NULL);
	tap_ok(got != NULL, "deleted: traffic flows before");
	rte_pktmbuf_free(got);
	close(pkt);
	test_sh("ip -n " NS_A " link del " TAP_A);
	tap_ok(wait_link(port, RTE_ETH_LINK_DOWN, 3000), "the tap deleted under the port: link goes down");
	for (i = 0; i < 100; i++)
		for (q = 0; q < 2; q++)
			n += rte_eth_rx_burst(port, q, m, 4);
	tap_ok(n == 0, "rx bursts return 0");
	for (i = 0; i < 4; i++) {
		m[i] = rte_pktmbuf_alloc(mp);
		memcpy(rte_pktmbuf_append(m[i], (uint16_t)len), frame, len);
	}
	sent = rte_eth_tx_burst(port, 1, m, 4);
	tap_ok(sent == 0, "tx bursts return 0 (the caller keeps its mbufs)");
	rte_pktmbuf_free_bulk(m + sent, 4 - sent);
	tap_ok(port_xstat(port, "rx_read_errors") > 0 && port_xstat(port, "tx_write_errors") > 0,
	       "read/write errors counted");
	tap_ok(rte_eth_dev_stop(port) == 0 && rte_eth_dev_start(port) != 0,
	       "stop works, start fails: the interface is gone");
	port_close("net_hashtap9", port);
	tap_ok(rte_mempool_in_use_count(mp) == 0, "deleted: mempool in use back to 0");
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
		tap_ok(false, "mempool: rig up");
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
	tap_ok(got < 100 && st.rx_nombuf > 0, "pool exhausted: %u of 100 frames received, rx_nombuf %lu",
	       got, (unsigned long)st.rx_nombuf);
	rte_pktmbuf_free_bulk(held, nheld);
	for (tries = 0; tries < 100 && got < 100; tries++) {
		n = rte_eth_rx_burst(port, 0, m, 32);
		got += n;
		rte_pktmbuf_free_bulk(m, n);
		rte_delay_us_sleep(2000);
	}
	tap_ok(got == 100, "mbufs back: the rest arrive, none lost (%u of 100)", got);
	close(pkt);
	port_close("net_hashtap10", port);
	tap_ok(rte_mempool_in_use_count(mp) == 0, "mempool: in use back to 0");
	rte_mempool_free(mp);
	test_sh("ip netns del " NS_A);
}

/* ------------------------------------------------------------ macvtap */

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
	if (test_sh("ip link add htpv0 type veth peer name htpv1 netns " NS_B " && "
	       "ip link add link htpv0 name htpm0 address 02:00:00:00:00:02 type macvtap mode bridge && "
	       "sysctl -qw net.ipv6.conf.htpv0.disable_ipv6=1 net.ipv6.conf.htpm0.disable_ipv6=1 && "
	       "ip link set htpv0 up && ip link set htpm0 up && "
	       "ip netns exec " NS_B " sysctl -qw net.ipv6.conf.htpv1.disable_ipv6=1 && "
	       "ip -n " NS_B " link set htpv1 up") != 0 ||
	    port_open("net_hashtap11", "macvtap=htpm0", &port) != 0) {
		tap_ok(false, "macvtap: rig up (%s)", port_log);
		goto out;
	}
	rte_eth_macaddr_get(port, &mac);
	tap_ok(mac.addr_bytes[5] == 0x02 && mac.addr_bytes[0] == 0x02, "macvtap: the port's MAC is the macvtap's");
	{
		struct rte_ether_addr nm = { { 0x02, 0x00, 0x00, 0x00, 0x00, 0x03 } };
		struct ifreq ifr;

		tap_ok(rte_eth_dev_default_mac_addr_set(port, &nm) == 0 &&
		       netns_if_query(NULL, "htpm0", SIOCGIFHWADDR, &ifr) == 0 &&
		       (uint8_t)ifr.ifr_hwaddr.sa_data[5] == 0x03,
		       "macvtap: setting the port's MAC sets the interface's (it receives by it)");
		nm.addr_bytes[5] = 0x02;
		rte_eth_dev_default_mac_addr_set(port, &nm);
	}
	{
		uint16_t port2;
		int rc = port_open("net_hashtap17", "macvtap=htpm0", &port2);

		tap_ok(rc != 0 && strstr(port_log, "in use by another net_hashtap port") != NULL,
		       "macvtap: a second port on the same macvtap is refused");
		if (rc == 0)
			port_close("net_hashtap17", port2);
	}
	tap_ok(port_start(port, 2, 3, &conf, mp) == 0, "macvtap: 2 rx / 3 tx queues");
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
	tap_ok(c.n > 0 && c.bad == 0, "macvtap (hash %s): %u/%u frames from the veth carry lib/vnet_hash's hash",
	       guest ? "kernel" : "software", c.n - c.bad, c.n);
	if (guest)
		tap_ok(port_xstat(port, "rx_hash_software") == 0 && port_xstat(port, "rx_hash_kernel") > 0,
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
		tap_ok(rte_eth_tx_burst(port, 2, &m, 1) == 1, "macvtap: tx on queue 2 (rxq != txq)");
		while (!seen && poll(&p, 1, 1000) > 0)
			seen = recv(pkt, rb, sizeof(rb), 0) == (ssize_t)len && memcmp(rb, b, len) == 0;
		tap_ok(seen, "... the frame comes out of the veth");
	}
	(void)q;
out:
	if (pkt >= 0)
		close(pkt);
	port_close("net_hashtap11", port);
	tap_ok(netns_if_exists(NULL, "htpm0"), "close leaves the macvtap interface alone");
	tap_ok(rte_mempool_in_use_count(mp) == 0, "macvtap: mempool in use back to 0");
	test_sh("ip link del htpv0 2>/dev/null; ip netns del " NS_B);
	rte_mempool_free(mp);
}

/* ------------------------------------------------------------ RSS updates racing traffic */

#define RACE_KEYS	64
#define RACE_FRAMES	512

struct race {
	uint16_t port, nq;
	int pkt;
	struct sockaddr_ll to;
	uint8_t frame[RACE_FRAMES][1600];
	uint32_t flen[RACE_FRAMES];
	uint8_t key[RACE_KEYS][40];
	uint32_t types[RACE_KEYS];
	struct vnet_hash_key hk[RACE_KEYS];
	/* state j (key[j % RACE_KEYS], types[j % RACE_KEYS]): its update began
	 * (started = j) and returned (done = j) */
	atomic_uint started, done;
	atomic_bool stop;
	unsigned long updates, same, reta, promisc, errors, sent;
};

static void *
race_sender(void *arg)
{
	struct race *r = arg;
	unsigned int i = 0;

	while (!atomic_load(&r->stop)) {
		unsigned int k = i++ % RACE_FRAMES;

		if (sendto(r->pkt, r->frame[k], r->flen[k], 0, (const struct sockaddr *)&r->to,
			   sizeof(r->to)) > 0)
			r->sent++;
		else
			usleep(20);	/* the tap's queue is full: let the port read */
	}
	return NULL;
}

/* The control path, as fast as it goes: new keys and type sets, the same
 * key again, RETA updates, promiscuous toggles (the port's other lock). */
static void *
race_control(void *arg)
{
	struct race *r = arg;
	struct rte_eth_rss_reta_entry64 reta[128 / RTE_ETH_RETA_GROUP_SIZE];
	unsigned int j = 0, x = 0, i;

	while (!atomic_load(&r->stop)) {
		switch (x++ % 4) {
		case 0:
		case 1:
			j++;
			atomic_store(&r->started, j);
			if (set_rss(r->port, r->key[j % RACE_KEYS], r->types[j % RACE_KEYS]) != 0)
				r->errors++;
			atomic_store(&r->done, j);
			r->updates++;
			break;
		case 2:
			if (set_rss(r->port, r->key[j % RACE_KEYS], r->types[j % RACE_KEYS]) != 0)
				r->errors++;
			r->same++;
			memset(reta, 0, sizeof(reta));
			for (i = 0; i < 128; i++) {
				reta[i / 64].mask |= 1ull << (i % 64);
				reta[i / 64].reta[i % 64] = (uint16_t)((i + x) % r->nq);
			}
			if (rte_eth_dev_rss_reta_update(r->port, reta, 128) != 0)
				r->errors++;
			r->reta++;
			break;
		default:
			if ((x / 4) % 2 ? rte_eth_promiscuous_enable(r->port) :
			    rte_eth_promiscuous_disable(r->port))
				r->errors++;
			r->promisc++;
			break;
		}
	}
	return NULL;
}

/* A frame matches state j when its flag and hash are what lib/vnet_hash
 * gives for the frame as received under state j's key and types. */
static bool
race_match(const struct race *r, const struct rte_mbuf *m, const uint8_t *d, unsigned int j)
{
	struct vnet_hash_tuple t;
	unsigned int report = vnet_hash_classify(d, m->pkt_len, r->types[j % RACE_KEYS], &t);
	bool flag = (m->ol_flags & RTE_MBUF_F_RX_RSS_HASH) != 0;

	if (report == VNET_HASH_REPORT_NONE)
		return !flag;
	return flag && m->hash.rss == vnet_hash_toeplitz(&r->hk[j % RACE_KEYS], &t);
}

static void
t_rss_race(void)
{
	static struct race r;
	static uint8_t flat[65536];
	struct rte_mempool *mp = port_pool("race", 4096, 0);
	const char *mode = guest ? "kernel" : "software";
	unsigned long checked = 0, torn = 0, older = 0;
	unsigned int seconds = getenv("RACE_SECONDS") ? (unsigned int)atoi(getenv("RACE_SECONDS")) : 5;
	pthread_t snd, ctl;
	uint64_t end;
	char args[64];
	unsigned int i, k;

	memset(&r, 0, sizeof(r));
	r.nq = 2;
	rnd_seed(4711);
	for (i = 0; i < RACE_KEYS; i++) {
		for (k = 0; k < 40; k++)
			r.key[i][k] = (uint8_t)rnd();
		r.types[i] = i % 3 ? VNET_HASH_TYPE_ALL : rnd_types();
		vnet_hash_key_set(&r.hk[i], r.key[i], 40);
	}
	for (i = 0; i < RACE_FRAMES; i++)
		r.flen[i] = rnd_frame(r.frame[i], sizeof(r.frame[i]), false);
	kernel_src = guest;
	snprintf(args, sizeof(args), "iface=" TAP_A ",hash=%s", mode);
	if (rig_tap("net_hashtap12", args, r.nq, 0, mp, &r.port, &r.pkt, &r.to) != 0 ||
	    set_rss(r.port, r.key[0], r.types[0]) != 0) {
		tap_ok(false, "rss race: rig up");
		goto out;
	}
	if (pthread_create(&snd, NULL, race_sender, &r) != 0 ||
	    pthread_create(&ctl, NULL, race_control, &r) != 0) {
		tap_ok(false, "rss race: threads");
		goto out;
	}
	end = rte_get_timer_cycles() + rte_get_timer_hz() * seconds;
	while (rte_get_timer_cycles() < end) {
		for (uint16_t q = 0; q < r.nq; q++) {
			struct rte_mbuf *m[32];
			unsigned int d0 = atomic_load(&r.done);
			uint16_t n = rte_eth_rx_burst(r.port, q, m, 32);
			unsigned int s1 = atomic_load(&r.started), j;

			for (i = 0; i < n; i++) {
				const uint8_t *d = rte_pktmbuf_read(m[i], 0, m[i]->pkt_len, flat);

				for (j = d0; d != NULL && j <= s1; j++)
					if (race_match(&r, m[i], d, j))
						break;
				checked++;
				if (d == NULL || j > s1) {
					if (torn++ < 5)
						tap_diag("rss race: %u-byte frame, flag %d hash 0x%08x: no state from %u to %u gives that",
							 m[i]->pkt_len,
							 (m[i]->ol_flags & RTE_MBUF_F_RX_RSS_HASH) != 0,
							 m[i]->hash.rss, d0, s1);
				} else if (j < s1) {
					older++;
				}
			}
			rte_pktmbuf_free_bulk(m, n);
		}
	}
	atomic_store(&r.stop, true);
	pthread_join(snd, NULL);
	pthread_join(ctl, NULL);
	tap_diag("rss race (%s hash, %us): %lu frames checked (%lu under a state being replaced), %lu sent; updates: %lu new key/types, %lu same key + RETA, %lu promiscuous",
		 mode, seconds, checked, older, r.sent, r.updates, r.same, r.promisc);
	tap_ok(r.errors == 0, "rss race: every control call succeeded (%lu failed)", r.errors);
	tap_ok(checked >= 1000 && r.updates >= 50,
	       "rss race: traffic and updates really overlapped (%lu frames, %lu updates)",
	       checked, r.updates);
	tap_ok(torn == 0,
	       "rss race: every hash is lib/vnet_hash's for a key and type set in force during its burst (%lu of %lu are not)",
	       torn, checked);
out:
	if (r.pkt > 0)
		close(r.pkt);
	port_close("net_hashtap12", r.port);
	tap_ok(rte_mempool_in_use_count(mp) == 0, "rss race: mempool in use back to 0");
	rte_mempool_free(mp);
	test_sh("ip netns del " NS_A);
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
		tap_ok(false, "configure-fail: probe: %s", port_log);
		goto out;
	}
	tap_ok(port_start(port, 1, 1, &none, mp) == 0 &&
	       rte_pmd_hashtap_hash_source(port) == RTE_PMD_HASHTAP_HASH_SRC_NONE,
	       "configure without RSS: hash source none");
	rte_eth_dev_stop(port);
	bad.rxmode.mq_mode = RTE_ETH_MQ_RX_RSS;
	bad.rx_adv_conf.rss_conf.rss_hf = RTE_ETH_RSS_IP;
	bad.rx_adv_conf.rss_conf.rss_key = short_key;
	bad.rx_adv_conf.rss_conf.rss_key_len = sizeof(short_key);
	rc2 = rte_eth_dev_configure(port, 1, 1, &bad);
	src = rte_pmd_hashtap_hash_source(port);
	tap_ok(rc2 != 0 && src == RTE_PMD_HASHTAP_HASH_SRC_NONE &&
	       rte_eth_dev_rss_hash_conf_get(port, &rc) == 0 && rc.rss_hf == 0,
	       "configure with RSS and a 20-byte key fails and changes nothing (rc %d, source %s, rss_hf 0x%" PRIx64 ")",
	       rc2, rte_pmd_hashtap_hash_source_name(src), rc.rss_hf);
	good = bad;
	good.rx_adv_conf.rss_conf.rss_key = key;
	good.rx_adv_conf.rss_conf.rss_key_len = sizeof(key);
	tap_ok(port_start(port, 1, 1, &good, mp) == 0 &&
	       rte_pmd_hashtap_hash_source(port) == RTE_PMD_HASHTAP_HASH_SRC_SOFTWARE &&
	       rte_eth_dev_rss_hash_conf_get(port, &rc) == 0 && rc.rss_hf != 0,
	       "configure with RSS and a 40-byte key: hash source software");
	hf = rc.rss_hf;
	rte_eth_dev_stop(port);
	rc2 = rte_eth_dev_configure(port, 1, 1, &bad);
	rc.rss_key_len = sizeof(got);
	memset(got, 0, sizeof(got));
	tap_ok(rc2 != 0 && rte_pmd_hashtap_hash_source(port) == RTE_PMD_HASHTAP_HASH_SRC_SOFTWARE &&
	       rte_eth_dev_rss_hash_conf_get(port, &rc) == 0 && memcmp(got, key, 40) == 0 &&
	       rc.rss_hf == hf,
	       "a second failed configure keeps the key and types in force");
	tap_ok(rte_pmd_hashtap_hash_source(RTE_MAX_ETHPORTS - 1) == -ENODEV,
	       "rte_pmd_hashtap_hash_source: -ENODEV for a port that does not exist");
	port_close("net_hashtap13", port);
out:
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
		tap_ok(false, "oversize: rig up");
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
		tap_diag("oversize: send: %s", strerror(errno));
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
		tap_ok(got_small && !got_big,
		       "scatter off: a %u-byte frame on 2048-byte mbufs is not delivered (cut or whole); the next one is (%u others)",
		       blen, others);
	}
	rte_eth_stats_get(port, &st);
	tap_ok(port_xstat(port, "rx_drop_truncated") == 1 && st.ierrors == 1,
	       "scatter off: it is counted (rx_drop_truncated %lu, ierrors %lu)",
	       (unsigned long)port_xstat(port, "rx_drop_truncated"), (unsigned long)st.ierrors);
	/* scatter on: the same frame arrives whole, with its hash */
	rte_eth_dev_stop(port);
	conf.rxmode.offloads = RTE_ETH_RX_OFFLOAD_RSS_HASH | RTE_ETH_RX_OFFLOAD_SCATTER;
	conf.rxmode.mq_mode = RTE_ETH_MQ_RX_RSS;
	conf.rx_adv_conf.rss_conf.rss_hf = RTE_ETH_RSS_IP | RTE_ETH_RSS_TCP | RTE_ETH_RSS_UDP;
	if (port_start(port, 1, 1, &conf, mp) != 0 || set_rss(port, vnet_hash_default_key,
							      VNET_HASH_TYPE_ALL) != 0) {
		tap_ok(false, "oversize: scatter on");
		goto out;
	}
	vnet_hash_key_set(&key, vnet_hash_default_key, 40);
	rx_one(&c, port, 1, pkt, &to, big, blen, &key, VNET_HASH_TYPE_ALL, "4042-byte frame", -1, 0);
	tap_ok(c.bad == 0, "scatter on: the %u-byte frame arrives whole, with lib/vnet_hash's hash",
	       blen);
	tap_ok(port_xstat(port, "rx_drop_truncated") == 0, "scatter on: nothing dropped");
out:
	if (pkt >= 0)
		close(pkt);
	port_close("net_hashtap14", port);
	tap_ok(rte_mempool_in_use_count(mp) == 0, "oversize: mempool in use back to 0");
	rte_mempool_free(mp);
	test_sh("ip netns del " NS_A);
}

/* ------------------------------------------------------------ a tap somebody else holds */

/* Another reader of a tap, as a VMM would hold it. */
static int
tun_hold(const char *name, short flags, int hdrsz)
{
	struct ifreq ifr;
	int fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0)
		return -1;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	ifr.ifr_flags = flags;
	if (ioctl(fd, TUNSETIFF, &ifr) < 0 || (hdrsz && ioctl(fd, TUNSETVNETHDRSZ, &hdrsz) < 0)) {
		tap_diag("holding %s: %s", name, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

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
		int fd = tun_hold("htpsh0", holders[i].flags, holders[i].hdrsz), sz = -1, sz0 = -1;

		memset(&before, 0, sizeof(before));
		if (fd >= 0 && (ioctl(fd, TUNGETIFF, &before) < 0 || ioctl(fd, TUNGETVNETHDRSZ, &sz0) < 0))
			tap_diag("asking the holder: %s", strerror(errno));
		if (fd >= 0 && holders[i].detach) {
			memset(&ifr, 0, sizeof(ifr));
			ifr.ifr_flags = IFF_DETACH_QUEUE;
			if (ioctl(fd, TUNSETQUEUE, &ifr) < 0)
				tap_diag("TUNSETQUEUE detach: %s", strerror(errno));
		}
		rc = fd < 0 ? 0 : port_open("net_hashtap15", "iface=htpsh0", &port);
		memset(&ifr, 0, sizeof(ifr));
		if (fd >= 0 && holders[i].detach) {	/* TUNGETIFF needs it attached */
			ifr.ifr_flags = IFF_ATTACH_QUEUE;
			if (ioctl(fd, TUNSETQUEUE, &ifr) < 0)
				tap_diag("TUNSETQUEUE attach: %s", strerror(errno));
		}
		if (fd >= 0 && (ioctl(fd, TUNGETIFF, &ifr) < 0 || ioctl(fd, TUNGETVNETHDRSZ, &sz) < 0))
			tap_diag("asking the holder: %s", strerror(errno));
		tap_ok(fd >= 0 && rc != 0 && strstr(port_log, "in use") != NULL &&
		       ifr.ifr_flags == before.ifr_flags && sz == sz0 &&
		       sz == (holders[i].hdrsz ? holders[i].hdrsz : 10),
		       "a tap another process holds %s: probe refused, its flags (0x%x) and vnet header size (%d) untouched",
		       holders[i].what, (unsigned int)(uint16_t)ifr.ifr_flags, sz);
		if (rc != 0 && strstr(port_log, "in use") == NULL)
			tap_diag("log: %s", port_log);
		if (rc == 0) {
			tap_diag("log: %s", port_log);
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

		tap_ok(rc2 != 0 && strstr(port_log, "in use") != NULL,
		       "a second port on the first port's tap: refused");
		if (rc2 == 0)
			port_close("net_hashtap16", port2);
		port_close("net_hashtap15", port);
	} else {
		tap_ok(false, "shared: first port: %s", port_log);
	}
	/* nobody holds it any more: a persistent tap is ours to take */
	test_sh("ip tuntap add dev htpsh2 mode tap multi_queue");
	{
		int fd = tun_hold("htpsh2", IFF_TAP | IFF_NO_PI | IFF_MULTI_QUEUE, 0);

		if (fd >= 0)
			close(fd);
	}
	rc = port_open("net_hashtap15", "iface=htpsh2", &port);
	tap_ok(rc == 0, "a persistent tap its last reader let go of: attached (%s)", rc ? port_log : "ok");
	if (rc == 0)
		port_close("net_hashtap15", port);
	test_sh("ip link del htpsh2 2>/dev/null; ip link del htpsh1 2>/dev/null; true");
}

/* ------------------------------------------------------------ the datapath (io=) */

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
		tap_diag("rx_packets of " TAP_A ": cannot read");
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
	tap_ok(rc != 0 && strstr(port_log, "io=fast: expected auto, uring or syscall") != NULL &&
	       !netns_if_exists(NULL, "htpd0"), "io=fast: the probe fails saying why, no tap left");
	if (rc == 0)
		port_close("net_hashtap16", port);
	tap_ok(rte_pmd_hashtap_io(RTE_MAX_ETHPORTS) == -ENODEV &&
	       rte_pmd_hashtap_rx_queue_io(RTE_MAX_ETHPORTS, 0) == -ENODEV &&
	       strcmp(rte_pmd_hashtap_io_name(RTE_PMD_HASHTAP_IO_URING), "uring") == 0 &&
	       strcmp(rte_pmd_hashtap_io_name(RTE_PMD_HASHTAP_IO_SYSCALL), "syscall") == 0 &&
	       rte_pmd_hashtap_io_name(2) == NULL, "rte_pmd_hashtap_io*: -ENODEV for no port; names");

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
			tap_ok(false, "io=%s: probe: %s", io, port_log);
			continue;
		}
		tap_ok(strstr(port_log, "datapath io=") != NULL && strstr(port_log, args + sizeof("iface=" TAP_A)) != NULL,
		       "io=%s: the probe says which datapath and why", io);
		if (port_start(port, 1, 1, &conf, mp) != 0 || move_to_ns(TAP_A, NS_A) != 0 ||
		    (pkt = netns_packet_socket(NS_A, TAP_A, &to, 0)) < 0) {
			tap_ok(false, "io=%s: rig up", io);
			port_close("net_hashtap16", port);
			continue;
		}
		tap_ok(rte_pmd_hashtap_io(port) == ways[w].want &&
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
		tap_ok(got == 256 && inorder, "io=%s: 8 tx bursts of 32: %u of 256 frames on the kernel side, in order: %s",
		       io, got, inorder ? "yes" : "no");
		if (ways[w].want == RTE_PMD_HASHTAP_IO_URING)
			tap_ok(port_xstat(port, "tx_syscalls") - s0 == 8,
			       "io=uring: one submission a tx burst (tx_syscalls +%" PRIu64 " for 8 bursts)",
			       port_xstat(port, "tx_syscalls") - s0);
		else
			tap_ok(port_xstat(port, "tx_syscalls") - s0 == 256,
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
		tap_ok(rc == (3 | 2 << 8) && got == 2 && inorder && port_xstat(port, "tx_drop_runt") - r0 == 3 &&
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
			tap_ok(sent == 1 && got == 1 && i == VNET_HDR_LEN_HASH && rte_mbuf_refcnt_read(sh) == 1,
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
			tap_diag("io=%s: send: %s", io, strerror(errno));
		rte_delay_us_sleep(50000);
		next = 0;
		inorder = true;
		got = dp_port_recv(port, 0, 4, &next, &inorder, 48, 3000);
		tap_ok(got == 48 && inorder, "io=%s: 48 frames received in bursts of 4, in order: %u", io, got);
		if (ways[w].want == RTE_PMD_HASHTAP_IO_URING)
			tap_ok(port_xstat(port, "rx_syscalls") - r0 <= 2,
			       "io=uring: one enter read them all, later bursts took them without a syscall (rx_syscalls +%" PRIu64 " for 12 bursts)",
			       port_xstat(port, "rx_syscalls") - r0);
		else
			tap_ok(port_xstat(port, "rx_syscalls") - r0 >= 48,
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
			tap_ok(port_xstat(port, "rx_syscalls") - r0 <= (uint64_t)rc,
			       "io=uring: 100 bursts of an idle queue make no syscall but for what came (rx_syscalls +%" PRIu64 ", %d frames)",
			       port_xstat(port, "rx_syscalls") - r0, rc);
		else
			tap_ok(port_xstat(port, "rx_syscalls") - r0 >= 100,
			       "io=syscall: 100 bursts of an idle queue make 100 readv at least (rx_syscalls +%" PRIu64 ")",
			       port_xstat(port, "rx_syscalls") - r0);
		close(pkt);
		port_close("net_hashtap16", port);
		tap_ok(rte_mempool_in_use_count(mp) == 0, "io=%s: mempool in use back to 0 (%u)", io,
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
		tap_ok(rc == 0 && rte_pmd_hashtap_io(port) == RTE_PMD_HASHTAP_IO_URING &&
		       qio == RTE_PMD_HASHTAP_IO_SYSCALL,
		       "io=uring with scatter: the rx queue reads with readv() (%d)", qio);
		rte_eth_dev_stop(port);
		rc = port_start(port, 1, 1, &conf, mp);
		qio = rte_pmd_hashtap_rx_queue_io(port, 0);
		tap_ok(rc == 0 && qio == RTE_PMD_HASHTAP_IO_URING &&
		       rte_eth_dev_set_mtu(port, (uint16_t)(full - 1)) == 0 &&
		       rte_eth_dev_set_mtu(port, full) != 0,
		       "io=uring: MTU %u (frames of an mbuf but one byte) taken while running, MTU %u refused (%d)",
		       full - 1, full, qio);
		rte_eth_dev_stop(port);
		rc = rte_eth_dev_set_mtu(port, full) || rte_eth_dev_start(port);
		qio = rte_pmd_hashtap_rx_queue_io(port, 0);
		tap_ok(rc == 0 && qio == RTE_PMD_HASHTAP_IO_SYSCALL,
		       "io=uring: MTU %u set while stopped: after start the queue reads with readv() (%d)",
		       full, qio);
		port_close("net_hashtap16", port);
	} else {
		tap_ok(false, "io=uring: probe: %s", port_log);
	}
	tap_ok(rte_mempool_in_use_count(mp) == 0, "datapath: mempool in use back to 0");
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
		tap_ok(false, "queue-restart: rig up: %s", port_log);
		goto out;
	}
	tap_ok(rte_eth_rx_queue_info_get(port, 0, &qi) == 0 && qi.queue_state == RTE_ETH_QUEUE_STATE_STOPPED &&
	       rte_pmd_hashtap_rx_queue_io(port, 0) == -EAGAIN && rte_eth_rx_burst(port, 0, m, 32) == 0,
	       "rx_deferred_start: the queue is not started with the port, its bursts return 0");
	dp_send(pkt, &to, 0, 16);
	rte_delay_us_sleep(50000);
	tap_ok(rte_eth_dev_rx_queue_start(port, 0) == 0 && rte_eth_rx_queue_info_get(port, 0, &qi) == 0 &&
	       qi.queue_state == RTE_ETH_QUEUE_STATE_STARTED,
	       "rte_eth_dev_rx_queue_start: started");
	next = 0;
	inorder = true;
	got = dp_port_recv(port, 0, 32, &next, &inorder, 16, 3000);
	tap_ok(got == 16 && inorder, "the 16 frames sent before the queue started arrive, in order (%u)", got);
	in_use = rte_mempool_in_use_count(mp);
	tap_ok(rte_eth_dev_rx_queue_stop(port, 0) == 0 && rte_eth_rx_burst(port, 0, m, 32) == 0 &&
	       rte_mempool_in_use_count(mp) == 0,
	       "rx queue stopped: bursts return 0, its mbufs are back (in use %u, was %u)",
	       rte_mempool_in_use_count(mp), in_use);
	dp_send(pkt, &to, 16, 16);
	rte_delay_us_sleep(50000);
	tap_ok(rte_eth_dev_rx_queue_start(port, 0) == 0, "rx queue started again");
	next = 16;
	inorder = true;
	got = dp_port_recv(port, 0, 32, &next, &inorder, 16, 3000);
	tap_ok(got == 16 && inorder, "the 16 frames queued while it was stopped arrive, in order (%u)", got);
	tap_ok(rte_eth_dev_tx_queue_stop(port, 1) == 0, "tx queue 1 stopped");
	m[0] = dp_mbuf(mp, 0, 0);
	sent = rte_eth_tx_burst(port, 1, m, 1);
	tap_ok(sent == 0, "a stopped tx queue takes nothing (the caller keeps its mbuf)");
	tap_ok(rte_eth_dev_tx_queue_start(port, 1) == 0 && rte_eth_tx_burst(port, 1, m, 1) == 1,
	       "tx queue 1 started again: it sends");
	if (sent == 0 && rte_mbuf_refcnt_read(m[0]) == 0)
		tap_diag("queue-restart: mbuf freed twice?");
	close(pkt);
out:
	port_close("net_hashtap17", port);
	tap_ok(rte_mempool_in_use_count(mp) == 0, "queue-restart: mempool in use back to 0 (%u)",
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
		tap_ok(false, "inflight: rig up");
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
	tap_ok(got == 1 && rte_mempool_in_use_count(mp) == 0,
	       "stopped with 39 frames read by the kernel or queued in it: mempool in use 0 (%u)",
	       rte_mempool_in_use_count(mp));
	if (uring)
		tap_ok(port_xstat(port, "rx_drop_stopped") == 39,
		       "io=uring: the 39 frames read that no burst took are counted (rx_drop_stopped %" PRIu64 ")",
		       port_xstat(port, "rx_drop_stopped"));
	tap_ok(rte_eth_dev_start(port) == 0, "started again");
	next = uring ? 40 : 1;
	inorder = true;
	if (dp_send(pkt, &to, 40, 8) != 0)
		tap_diag("inflight: send: %s", strerror(errno));
	got = dp_port_recv(port, 0, 32, &next, &inorder, uring ? 8 : 47, 3000);
	tap_ok(got == (uring ? 8u : 47u) && inorder && port_xstat(port, uring ? "rx_drop_stopped" : "rx_read_errors") ==
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
	tap_ok(rte_mempool_in_use_count(mp) == 0, "closed with frames read and not taken: mempool in use 0 (%u)",
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
		tap_ok(false, "thread: rig up");
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
		tap_ok(got == 16 && t.inorder, "thread: round %u, polled by %s: 16 frames, in order (%u)",
		       round, round == 1 ? "another thread" : "the main thread", got);
	}
	close(pkt);
out:
	port_close("net_hashtap19", port);
	tap_ok(rte_mempool_in_use_count(mp) == 0, "thread: mempool in use back to 0 (%u)",
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
		tap_ok(false, "tx-link-down: rig up");
		goto out;
	}
	test_sh("ip -n " NS_A " link set " TAP_A " down");
	rte_delay_us_sleep(50000);
	we0 = port_xstat(port, "tx_write_errors");
	for (i = 0; i < 4; i++)
		m[i] = dp_mbuf(mp, i, 0);
	sent = rte_eth_tx_burst(port, 0, m, 4);
	tap_ok(sent == 0 && port_xstat(port, "tx_write_errors") - we0 == 1,
	       "link down on the kernel side: the burst takes nothing, one tx_write_errors (%u, +%" PRIu64 ")",
	       sent, port_xstat(port, "tx_write_errors") - we0);
	for (i = sent; i < 4; i++)
		tap_ok(i > sent || rte_mbuf_refcnt_read(m[i]) == 1, "the caller keeps its mbufs (refcnt %u)",
		       rte_mbuf_refcnt_read(m[i]));
	test_sh("ip -n " NS_A " link set " TAP_A " up");
	rte_delay_us_sleep(50000);
	i = sent;
	sent = (uint16_t)(sent + rte_eth_tx_burst(port, 0, m + sent, (uint16_t)(4 - sent)));
	rte_pktmbuf_free_bulk(m + sent, 4 - sent);
	got = dp_kernel_recv(pkt, DP_TX_PORT, &next, &inorder, 4, 2000);
	tap_ok(sent == 4 && got == 4 && inorder, "link up again: the same 4 frames go out, in order (%u sent, %u seen)",
	       sent - i, got);
	close(pkt);
out:
	port_close("net_hashtap20", port);
	tap_ok(rte_mempool_in_use_count(mp) == 0, "tx-link-down: mempool in use back to 0 (%u)",
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
	tap_ok(rc != 0 && strstr(port_log, "sqpoll=x: expected a CPU number") != NULL,
	       "sqpoll=x: the probe fails saying why");
	if (rc == 0)
		port_close("net_hashtap21", port);
	rc = port_open("net_hashtap21", "iface=htpd0,io=syscall,sqpoll=0", &port);
	tap_ok(rc != 0 && strstr(port_log, "sqpoll= is for io=uring") != NULL,
	       "io=syscall,sqpoll=0: the probe fails saying why");
	if (rc == 0)
		port_close("net_hashtap21", port);
	ns_add(NS_A);
	if (port_open("net_hashtap21", "iface=" TAP_A ",io=uring,sqpoll=1", &port) != 0 ||
	    port_start(port, 1, 2, &conf, mp) != 0 || move_to_ns(TAP_A, NS_A) != 0 ||
	    (pkt = netns_packet_socket(NS_A, TAP_A, &to, 0)) < 0) {
		tap_ok(false, "sqpoll: rig up: %s", port_log);
		goto out;
	}
	threads = threads_named("iou-sqp");
	tap_ok(threads == 1 && rte_pmd_hashtap_io(port) == RTE_PMD_HASHTAP_IO_URING,
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
	tap_ok(sent == 256 && got == 256 && inorder,
	       "sqpoll: 8 bursts of 32 taken and on the kernel side, in order (%u taken, %u seen)", sent, got);
	tap_ok(port_xstat(port, "tx_syscalls") - s0 <= 8,
	       "sqpoll: no syscall but to wake the thread (tx_syscalls +%" PRIu64 " for 8 bursts)",
	       port_xstat(port, "tx_syscalls") - s0);
	for (i = 0; i < 32; i++)
		m[i] = dp_mbuf(mp, 1000 + i, 0);
	sent = rte_eth_tx_burst(port, 1, m, 32);
	rte_pktmbuf_free_bulk(m + sent, 32 - sent);
	next = 1000;
	inorder = true;
	got = dp_kernel_recv(pkt, DP_TX_PORT, &next, &inorder, 32, 3000);
	tap_ok(sent == 32 && got == 32 && inorder, "sqpoll: tx queue 1 sends through the same thread (%u, %u)",
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
		tap_ok(taken > 0 && k1 - k0 == taken,
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
	tap_ok(rte_mempool_in_use_count(mp) == 0 && got == sent && inorder,
	       "sqpoll: stopped right after a burst of %u: every write completed (%u seen), every mbuf back (in use %u)",
	       sent, got, rte_mempool_in_use_count(mp));
	close(pkt);
out:
	port_close("net_hashtap21", port);
	tap_ok(rte_mempool_in_use_count(mp) == 0, "sqpoll: mempool in use back to 0");
	test_sh("ip netns del " NS_A);
	rte_mempool_free(mp);
}

/* ------------------------------------------------------------ main */

static const struct {
	const char *name;
	void (*fn)(void);
	bool host, guest;
} tests[] = {
	{ "devargs", t_devargs, true, false },
	{ "lifecycle", t_lifecycle, true, false },
	{ "rx-hash", NULL, true, true },	/* software, in the guest too */
	{ "rx-nohash", t_rx_nohash, true, false },
	{ "multiqueue", t_multiqueue, true, true },
	{ "lro", t_lro, true, false },
	{ "tx-offload", t_tx_offload, true, false },
	{ "link", t_link, true, false },
	{ "deleted", t_deleted, true, false },
	{ "mempool", t_mempool, true, false },
	{ "macvtap", t_macvtap, true, true },
	{ "kernel-hash", NULL, false, true },
	{ "kernel-rss", t_kernel_rss, false, true },
	{ "shared", t_shared, true, true },
	{ "oversize", t_oversize, true, true },
	{ "configure-fail", t_configure_fail, true, false },
	{ "rss-race", t_rss_race, true, true },
	{ "datapath", t_datapath, true, true },
	{ "queue-restart", t_queue_restart, true, false },
	{ "inflight", t_inflight, true, false },
	{ "thread", t_thread, true, false },
	{ "tx-link-down", t_tx_link_down, true, false },
	{ "sqpoll", t_sqpoll, true, false },
};

static void
run_test(unsigned int i)
{
	tap_diag("--- %s", tests[i].name);
	if (strcmp(tests[i].name, "rx-hash") == 0)
		t_rx_hash("software");
	else if (strcmp(tests[i].name, "kernel-hash") == 0)
		t_rx_hash("kernel");
	else
		tests[i].fn();
}

int
main(int argc, char **argv)
{
	char prefix[64];
	char *eal[] = { argv[0], "-l", "0", "--no-huge", "-m", "512", "--no-pci", "--no-shconf",
			"--file-prefix", prefix, "--log-level", "pmd.net.hashtap:info", NULL };
	int opt, i, rc;
	unsigned int t;

	/* a TAP line is one write: the driver's log lines (stderr, other
	 * threads too) go between lines, never inside one */
	setvbuf(stdout, NULL, _IOLBF, 0);
	snprintf(prefix, sizeof(prefix), "htpmd%d", (int)getpid());
	while ((opt = getopt(argc, argv, "v:n:s:g")) != -1) {
		switch (opt) {
		case 'v': vectors_path = optarg; break;
		case 'n': n_frames = (unsigned int)atoi(optarg); break;
		case 's': rnd_seed(strtoull(optarg, NULL, 0)); break;
		case 'g': guest = true; break;
		default:
			fprintf(stderr, "usage: test-pmd [-g] [-v VECTORS] [-n FRAMES] [-s SEED] [TEST...]\n");
			return 2;
		}
	}
	rc = rte_eal_init((int)RTE_DIM(eal) - 1, eal);
	if (rc < 0) {
		fprintf(stderr, "EAL: %s\n", rte_strerror(rte_errno));
		return 2;
	}
	ns_del_all();
	if (optind < argc) {
		for (i = optind; i < argc; i++) {
			for (t = 0; t < RTE_DIM(tests); t++)
				if (strcmp(argv[i], tests[t].name) == 0)
					break;
			if (t == RTE_DIM(tests)) {
				tap_ok(false, "no test called %s", argv[i]);
				continue;
			}
			run_test(t);
		}
	} else {
		for (t = 0; t < RTE_DIM(tests); t++)
			if (guest ? tests[t].guest : tests[t].host)
				run_test(t);
	}
	ns_del_all();
	rte_eal_cleanup();
	return tap_done();
}
