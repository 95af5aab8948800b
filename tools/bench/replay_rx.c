/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 hashtap authors
 *
 * The receiving end of the replay benchmarks: polls every rx queue of the
 * one port EAL gives it (--vdev ...), counts, measures TSC cycles per
 * received packet (bursts that brought packets), and with --check verifies
 * every RTE_MBUF_F_RX_RSS_HASH against lib/vnet_hash (Microsoft key, the
 * types the port was configured with).  Prints one JSON object.
 *
 *   replay-rx [EAL options] -- [-t SECONDS] [-q QUEUES] [-n PACKETS] [-c] [-w SECONDS]
 *             [-L inner]
 *     -t  stop after SECONDS of receiving (default 5; the clock starts at
 *         the first packet after SIGUSR1)
 *     -n  or after PACKETS packets
 *     -w  give up if nothing arrives for SECONDS (default 10)
 *     -c  check hashes: hash_checked frames carried one, hash_bad of them
 *         differ from lib/vnet_hash's, hash_missing frames lacked one that
 *         lib/vnet_hash would give (all of them for a PMD without hashing)
 *     -L inner  RSS on the inner header of tunnelled frames
 *         (RTE_ETH_RSS_LEVEL_INNERMOST; docs/tunnel-hash.md): exit 3 when the
 *         PMD does not offer it; -c then checks against the inner-header hash
 *         with every tunnel type enabled
 * Per queue: rxq, the frames each rx queue received; reta_q, the queue the
 * port's RSS table gives each frame's hash (the queue RSS picks: a port
 * whose queue is chosen elsewhere, e.g. by the kernel's tap steering, may
 * differ; report NONE or no hash: queue 0), null without a table.
 * Until SIGUSR1 ("go") whatever arrives (the kernel's own chatter while the
 * interface comes up) is dropped uncounted; "ready" on stderr says when
 * to send it; without a go within 120 s it gives up.
 */

#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>

#include "vnet_hash.h"

#define BURST 32
#define MAX_Q 64
#define EXIT_UNSUPPORTED 3

static volatile bool quit, go;

static void
on_signal(int s)
{
	if (s == SIGUSR1)
		go = true;
	else
		quit = true;
}

static void
usage(FILE *f)
{
	fprintf(f,
		"usage: replay-rx [EAL options] -- [-t SECONDS] [-q QUEUES] [-n PACKETS] [-c] [-w SECONDS]\n"
		"                 [-L inner]\n"
		"Receives on the one port EAL gives it (--vdev ...) and prints one JSON object:\n"
		"driver, packets, bytes, seconds, mpps, gbps, cycles_per_packet, hash_flagged,\n"
		"hash_checked, hash_bad, hash_missing, imissed, ierrors, rx_nombuf, rss_level,\n"
		"rxq (frames per rx queue), reta_q (frames per queue the port's RSS table gives\n"
		"their hash: the queue RSS picks; NONE or no hash: queue 0; null without a table).\n"
		"  -t SECONDS  stop after SECONDS of receiving (default 5; the clock starts at\n"
		"              the first packet after SIGUSR1)\n"
		"  -n PACKETS  or after PACKETS packets\n"
		"  -q QUEUES   rx queues to configure and poll, 1..%u (default 1)\n"
		"  -c          check every hash against lib/vnet_hash: hash_checked frames\n"
		"              carried one, hash_bad differ, hash_missing lacked one it would give\n"
		"  -w SECONDS  give up if nothing arrives for SECONDS after the go (default 10)\n"
		"  -L inner    RSS on the inner header of tunnelled frames\n"
		"              (RTE_ETH_RSS_LEVEL_INNERMOST, docs/tunnel-hash.md); -c then checks\n"
		"              the inner-header hash, every tunnel type enabled\n"
		"  -h, --help  this text (EAL's options: any DPDK application's --help)\n"
		"Signals: \"ready\" on stderr once the port is started; until SIGUSR1 (the go)\n"
		"what arrives is dropped uncounted, and without a go in 120 s it gives up;\n"
		"SIGINT or SIGTERM ends the count and prints the result.\n"
		"Environment: none of its own (EAL's).  Exit status: 0 a result printed (also\n"
		"with 0 packets); 1 EAL, the port or its queues failed; 2 bad usage; 3 -L inner\n"
		"and the PMD does not offer RTE_ETH_RSS_LEVEL_INNERMOST.\n", MAX_Q);
}

int
main(int argc, char **argv)
{
	struct rte_eth_conf conf = { 0 };
	struct rte_eth_dev_info info;
	struct rte_eth_stats st;
	struct rte_mempool *mp;
	struct vnet_hash_key key;
	uint64_t pkts = 0, bytes = 0, busy = 0, checked = 0, bad = 0, flagged = 0, missing = 0;
	uint64_t limit = 0, t_first = 0, t_last = 0, hz;
	double secs = 5, wait = 10;
	uint32_t types = VNET_HASH_TYPE_ALL, tunnels = 0;
	uint64_t rxq[MAX_Q] = { 0 }, reta_q[MAX_Q] = { 0 };
	struct rte_eth_rss_reta_entry64 reta[VNET_HASH_RETA_MAX / RTE_ETH_RETA_GROUP_SIZE];
	uint16_t port = 0, nq = 1, q, reta_size = 0;
	bool check = false, inner = false;
	char *end;
	int ret, opt;

	for (opt = 1; opt < argc; opt++)	/* ours, before EAL takes its own --help */
		if (strcmp(argv[opt], "-h") == 0 || strcmp(argv[opt], "--help") == 0) {
			usage(stdout);
			return 0;
		}
	ret = rte_eal_init(argc, argv);
	if (ret < 0) {
		fprintf(stderr, "replay-rx: EAL init failed\n");
		return 1;
	}
	argc -= ret;
	argv += ret;
	while ((opt = getopt(argc, argv, "t:q:n:cw:L:")) != -1) {
		switch (opt) {
		case 't': secs = atof(optarg); break;
		case 'q': {
			unsigned long v = strtoul(optarg, &end, 10);

			if (*end != '\0' || end == optarg || optarg[0] == '-' || v < 1 || v > MAX_Q) {
				fprintf(stderr, "replay-rx: -q: \"%s\": 1..%u queues\n", optarg, MAX_Q);
				return 2;
			}
			nq = (uint16_t)v;
			break;
		}
		case 'L':
			if (strcmp(optarg, "inner") != 0) {
				fprintf(stderr, "replay-rx: -L: \"%s\": only \"inner\" (the default is the PMD's)\n",
					optarg);
				return 2;
			}
			inner = true;
			break;
		case 'n': limit = strtoull(optarg, NULL, 0); break;
		case 'c': check = true; break;
		case 'w': wait = atof(optarg); break;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (rte_eth_dev_count_avail() != 1) {
		fprintf(stderr, "replay-rx: want exactly one port (--vdev), have %u\n",
			rte_eth_dev_count_avail());
		return 1;
	}
	RTE_ETH_FOREACH_DEV(port)
		break;
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGUSR1, on_signal);
	rte_eth_dev_info_get(port, &info);
	if (info.flow_type_rss_offloads) {
		conf.rxmode.mq_mode = RTE_ETH_MQ_RX_RSS;
		conf.rx_adv_conf.rss_conf.rss_hf = (RTE_ETH_RSS_IP | RTE_ETH_RSS_TCP | RTE_ETH_RSS_UDP) &
			info.flow_type_rss_offloads;
		types = vnet_hash_types_from_rss(conf.rx_adv_conf.rss_conf.rss_hf, NULL);
	}
	if (inner) {
		/* detect, never assume: ethdev refuses rss_hf bits the PMD does not offer */
		if (!(info.flow_type_rss_offloads & RTE_ETH_RSS_LEVEL_INNERMOST)) {
			fprintf(stderr, "replay-rx: %s does not offer RTE_ETH_RSS_LEVEL_INNERMOST (-L inner)\n",
				info.driver_name);
			rte_eal_cleanup();
			return EXIT_UNSUPPORTED;
		}
		conf.rx_adv_conf.rss_conf.rss_hf |= RTE_ETH_RSS_LEVEL_INNERMOST;
		tunnels = VNET_HASH_TUNNEL_ALL;
	}
	vnet_hash_key_set(&key, vnet_hash_default_key, sizeof(vnet_hash_default_key));
	mp = rte_pktmbuf_pool_create("rx", 16384, 256, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
				     (int)rte_socket_id());
	if (mp == NULL || rte_eth_dev_configure(port, nq, 1, &conf) != 0) {
		fprintf(stderr, "replay-rx: configure %s failed\n", info.driver_name);
		return 1;
	}
	for (q = 0; q < nq; q++)
		if (rte_eth_rx_queue_setup(port, q, 1024, 0, NULL, mp) != 0)
			return 1;
	if (rte_eth_tx_queue_setup(port, 0, 512, 0, NULL) != 0 || rte_eth_dev_start(port) != 0)
		return 1;
	if (info.reta_size > 0 && info.reta_size <= VNET_HASH_RETA_MAX) {
		memset(reta, 0, sizeof(reta));
		for (q = 0; q < (info.reta_size + RTE_ETH_RETA_GROUP_SIZE - 1) / RTE_ETH_RETA_GROUP_SIZE; q++)
			reta[q].mask = UINT64_MAX;
		if (rte_eth_dev_rss_reta_query(port, reta, info.reta_size) == 0)
			reta_size = info.reta_size;
	}
	rte_eth_stats_reset(port);
	fprintf(stderr, "replay-rx: ready on %s (%u queues)\n", info.driver_name, nq);
	hz = rte_get_tsc_hz();
	{
		uint64_t start;

		start = rte_rdtsc();
		while (!go && !quit) {		/* before the go: drop, uncounted */
			if (rte_rdtsc() - start > 120 * hz) {
				fprintf(stderr, "replay-rx: no go (SIGUSR1) within 120 s: giving up\n");
				quit = true;
				break;
			}
			struct rte_mbuf *m[BURST];

			for (q = 0; q < nq; q++) {
				uint16_t n = rte_eth_rx_burst(port, q, m, BURST);

				rte_pktmbuf_free_bulk(m, n);
			}
			rte_delay_us_sleep(1000);
		}
		rte_eth_stats_reset(port);
		start = rte_rdtsc();
		while (!quit) {
			uint64_t now = rte_rdtsc();

			if (t_first == 0 && now - start > (uint64_t)(wait * hz))
				break;
			if (t_first != 0 && (now - t_first > (uint64_t)(secs * hz) ||
					     (limit && pkts >= limit)))
				break;
			for (q = 0; q < nq; q++) {
				struct rte_mbuf *m[BURST];
				uint64_t t0 = rte_rdtsc();
				uint16_t n = rte_eth_rx_burst(port, q, m, BURST), i;

				if (n == 0)
					continue;
				for (i = 0; i < n; i++) {
					bytes += m[i]->pkt_len;
					if (m[i]->ol_flags & RTE_MBUF_F_RX_RSS_HASH)
						flagged++;
				}
				busy += rte_rdtsc() - t0;	/* the PMD's cost, not the check's */
				rxq[q] += n;
				for (i = 0; reta_size && i < n; i++) {
					uint32_t e = m[i]->hash.rss % reta_size;

					reta_q[m[i]->ol_flags & RTE_MBUF_F_RX_RSS_HASH ?
					       reta[e / RTE_ETH_RETA_GROUP_SIZE].reta[e % RTE_ETH_RETA_GROUP_SIZE] % MAX_Q : 0]++;
				}
				if (check) {
					for (i = 0; i < n; i++) {
						struct vnet_hash_tuple t;
						uint32_t h = 0;
						unsigned int r = vnet_hash_classify_mbuf_tunnel(m[i], types,
												 tunnels, &t);

						if (r != VNET_HASH_REPORT_NONE)
							h = vnet_hash_toeplitz(&key, &t);
						if (!(m[i]->ol_flags & RTE_MBUF_F_RX_RSS_HASH)) {
							missing += r != VNET_HASH_REPORT_NONE;
							continue;
						}
						checked++;
						if (r == VNET_HASH_REPORT_NONE || h != m[i]->hash.rss)
							bad++;
					}
				}
				rte_pktmbuf_free_bulk(m, n);
				if (t_first == 0)
					t_first = t0;
				pkts += n;
				t_last = rte_rdtsc();
			}
		}
	}
	rte_eth_stats_get(port, &st);
	{
		double s = t_last > t_first ? (double)(t_last - t_first) / (double)hz : 0;

		printf("{\"driver\": \"%s\", \"packets\": %" PRIu64 ", \"bytes\": %" PRIu64
		       ", \"seconds\": %.3f, \"mpps\": %.4f, \"gbps\": %.4f, \"cycles_per_packet\": %.1f"
		       ", \"hash_flagged\": %" PRIu64 ", \"hash_checked\": %" PRIu64 ", \"hash_bad\": %" PRIu64 ", \"hash_missing\": %" PRIu64
		       ", \"imissed\": %" PRIu64 ", \"ierrors\": %" PRIu64 ", \"rx_nombuf\": %" PRIu64
		       ", \"rss_level\": \"%s\", \"rxq\": [",
		       info.driver_name, pkts, bytes, s, s > 0 ? pkts / s / 1e6 : 0,
		       s > 0 ? bytes * 8 / s / 1e9 : 0, pkts ? (double)busy / (double)pkts : 0, flagged,
		       checked, bad, missing, st.imissed, st.ierrors, st.rx_nombuf,
		       inner ? "inner" : "default");
		for (q = 0; q < nq; q++)
			printf("%s%" PRIu64, q ? ", " : "", rxq[q]);
		if (reta_size == 0) {
			printf("], \"reta_q\": null}\n");
		} else {
			printf("], \"reta_q\": [");
			for (q = 0; q < nq; q++)
				printf("%s%" PRIu64, q ? ", " : "", reta_q[q]);
			printf("]}\n");
		}
	}
	rte_eth_dev_stop(port);
	rte_eth_dev_close(port);
	rte_mempool_free(mp);
	rte_eal_cleanup();
	return 0;
}
