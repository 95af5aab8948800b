/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 hashtap authors
 *
 * net_hashtap through the ethdev API, against real taps and macvtaps whose
 * kernel side lives in network namespaces this program creates (htp-*)
 * and removes.  TAP output.
 *
 *   test-pmd [-g] [-v VECTORS.tsv] [-n FRAMES] [-s SEED] [CASE...]
 *
 * The rig: options, EAL, the namespaces and helpers that cases in several
 * files use, the registry of cases and main().  The cases live in this
 * folder by concern (devargs.c, lifecycle.c, rx.c, tx.c, link.c, macvtap.c,
 * rss.c, datapath.c), each entered with PMD_CASE().  Without CASE names a
 * run takes, in the order of enum pmd_case_order (rig.h), the cases marked
 * for the host, or with -g (in the patched test kernel, through
 * tools/vm-run) those marked for the guest; named cases run in the order
 * given.
 */

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <netinet/in.h>
#include <sys/socket.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>

#include "netns.h"
#include "pkt.h"
#include "port.h"
#include "rnd.h"
#include "check.h"
#include "vnet_hash.h"
#include "rig.h"

unsigned int n_frames = 400;
const char *vectors_path;
bool guest;
bool kernel_src;

/* The cases, at their order; misregistered counts refused registrations. */
static struct pmd_case *cases[PMD_N_CASES];
static unsigned int misregistered;

/* ------------------------------------------------------------ shell, namespaces */

void
ns_add(const char *ns)
{
	netns_fresh(ns);
}

static void
ns_del_all(void)
{
	if (system("for n in " NS_A " " NS_B " " NS_R " " NS_S "; do ip netns del $n 2>/dev/null; done; "
		   "ip link del htpv0 2>/dev/null; ip link del " TAP_A " 2>/dev/null; "
		   "ip link del " TAP_B " 2>/dev/null; true") != 0)
		check_diag("cleanup failed");
}

/* Put a tap the port made into ns, up, with no IPv6 chatter. */
int
move_to_ns(const char *ifname, const char *ns)
{
	return test_sh("ip link set %s netns %s && ip netns exec %s sysctl -qw net.ipv6.conf.%s.disable_ipv6=1 && "
		  "ip -n %s link set %s up", ifname, ns, ns, ifname, ns, ifname);
}

/* ------------------------------------------------------------ receive: the hash */

/* Send frame from the namespace side and check what the port hands over. */
void
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
		check_diag("%s: send: %s", what, strerror(errno));
		c->bad++;
		return;
	}
	m = port_rx_match(port, nq, frame, len, 2000, &q, NULL);
	if (m == NULL) {
		check_diag("%s: never arrived", what);
		c->bad++;
		return;
	}
	report = vnet_hash_classify(frame, len, types, &t);
	if (report != VNET_HASH_REPORT_NONE)
		hash = vnet_hash_toeplitz(key, &t);
	if (want_report >= 0 && (report != (unsigned int)want_report || hash != want_hash)) {
		check_diag("%s: lib/vnet_hash gives %u/0x%08x, the vectors say %d/0x%08x", what,
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
		check_diag("%s: port gave flag %d hash 0x%08x ptype 0x%x; expected report %s hash 0x%08x ptype 0x%x",
			 what, (m->ol_flags & RTE_MBUF_F_RX_RSS_HASH) != 0, m->hash.rss,
			 m->packet_type, vnet_hash_report_name(report), hash, t.ptype);
		c->bad++;
	}
	rte_pktmbuf_free(m);
}

int
set_rss(uint16_t port, const uint8_t *key, uint32_t types)
{
	struct rte_eth_rss_conf rc = {
		.rss_key = (uint8_t *)(uintptr_t)key, .rss_key_len = 40,
		.rss_hf = vnet_hash_types_to_rss(types),
	};

	return rte_eth_dev_rss_hash_update(port, &rc);
}

int
set_rss_level(uint16_t port, const uint8_t *key, uint32_t types, uint64_t level)
{
	struct rte_eth_rss_conf rc = {
		.rss_key = (uint8_t *)(uintptr_t)key, .rss_key_len = 40,
		.rss_hf = vnet_hash_types_to_rss(types) | level,
	};

	return rte_eth_dev_rss_hash_update(port, &rc);
}

/* frames of every kind: name, spec */
uint32_t
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

/* A port on a tap moved into NS_A, nq queues, RSS with the hash offload. */
int
rig_tap(const char *dev, const char *args, uint16_t nq, uint64_t rxo,
	struct rte_mempool *mp, uint16_t *port, int *pkt, struct sockaddr_ll *to)
{
	struct rte_eth_conf conf = { 0 };

	ns_add(NS_A);
	if (port_open(dev, args, port) != 0) {
		check_diag("probe: %s", port_log);
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

/* ------------------------------------------------------------ the cases */

void
pmd_case_register(struct pmd_case *c)
{
	if ((unsigned int)c->order >= PMD_N_CASES || cases[c->order] != NULL) {
		fprintf(stderr, "test-pmd: case %s: order %d out of range or taken by %s\n", c->name,
			(int)c->order, (unsigned int)c->order < PMD_N_CASES && cases[c->order] != NULL ?
			cases[c->order]->name : "none");
		misregistered++;
		return;
	}
	cases[c->order] = c;
}

/* Every order has its one case, every case its own name. */
static int
cases_check(void)
{
	unsigned int t, u;
	int rc = misregistered ? -1 : 0;

	for (t = 0; t < PMD_N_CASES; t++) {
		if (cases[t] == NULL) {
			fprintf(stderr, "test-pmd: no case registered at order %u\n", t);
			rc = -1;
			continue;
		}
		for (u = 0; u < t; u++)
			if (cases[u] != NULL && strcmp(cases[u]->name, cases[t]->name) == 0) {
				fprintf(stderr, "test-pmd: two cases called %s\n", cases[t]->name);
				rc = -1;
			}
	}
	return rc;
}

static struct pmd_case *
case_named(const char *name)
{
	unsigned int t;

	for (t = 0; t < PMD_N_CASES; t++)
		if (strcmp(name, cases[t]->name) == 0)
			return cases[t];
	return NULL;
}

static void
run_case(const struct pmd_case *c)
{
	check_diag("--- %s", c->name);
	c->fn();
}

int
main(int argc, char **argv)
{
	char prefix[64];
	char *eal[] = { argv[0], "-l", "0", "--no-huge", "-m", "512", "--no-pci", "--no-shconf",
			"--file-prefix", prefix, "--log-level", "pmd.net.hashtap:info", NULL };
	const struct pmd_case *c;
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
	if (cases_check() != 0)
		return 2;
	rc = rte_eal_init((int)RTE_DIM(eal) - 1, eal);
	if (rc < 0) {
		fprintf(stderr, "EAL: %s\n", rte_strerror(rte_errno));
		return 2;
	}
	ns_del_all();
	if (optind < argc) {
		for (i = optind; i < argc; i++) {
			c = case_named(argv[i]);
			if (c == NULL) {
				check_ok(false, "no test called %s", argv[i]);
				continue;
			}
			run_case(c);
		}
	} else {
		for (t = 0; t < PMD_N_CASES; t++)
			if (guest ? cases[t]->guest : cases[t]->host)
				run_case(cases[t]);
	}
	ns_del_all();
	rte_eal_cleanup();
	return check_done();
}
