/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 hashtap authors
 *
 * hashtap-switch: an L2 switch between DPDK ports (net_hashtap ports facing
 * VMs, physical NICs, any vdev) that reuses the virtio-net hash the ports
 * deliver.  See --help and app/hashtap-switch/README.md.
 */

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <net/if.h>

#include <rte_cycles.h>
#include <rte_dev.h>
#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_kvargs.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>

#include "rte_pmd_hashtap.h"
#include "switch.h"

#define MAX_OVERRIDES 64

static void
usage(const char *prog)
{
	printf("Usage: %s [EAL options --] [options]\n"
	       "\n"
	       "An L2 learning switch between DPDK ports that reuses the virtio-net hash\n"
	       "the ports deliver (net_hashtap) and hashes the other frames once.\n"
	       "\n"
	       "  -c, --config FILE     INI file (default config/demo.ini): [switch], [eal],\n"
	       "                        [port NAME] sections, each once; see\n"
	       "                        app/hashtap-switch/README.md.  Anything unknown,\n"
	       "                        repeated or too long is an error naming the line\n"
	       "  -s, --set S.K=V       set key K of section S over the file's (repeatable, at\n"
	       "                        most %d times; the last one for a key wins).  S is up\n"
	       "                        to the first '.', K up to the first '=' after it, V is\n"
	       "                        the rest and may have dots (section names and keys\n"
	       "                        have none): --set \"port up.devargs=0000:03:00.0\"\n"
	       "      --aging SECONDS   MAC aging time (default 300)\n"
	       "      --status SECONDS  a status line every SECONDS (0: none; default 5)\n"
	       "      --duration SECONDS  stop after SECONDS (default: at SIGINT/SIGTERM)\n"
	       "  -V, --version         the version, the Toeplitz implementation it runs\n"
	       "  -h, --help            this text\n"
	       "\n"
	       "Without EAL options, the [eal] args of the file are used.  Telemetry:\n"
	       "/hashtap/ports, /hashtap/macs, /hashtap/flows, /hashtap/hash, /hashtap/drops.\n"
	       "--aging, --status and --duration may be repeated: the last one wins, also\n"
	       "over --set \"switch.aging=...\" and the like.\n"
	       "Exit status: 0 clean stop, 1 error, 2 mbufs leaked at stop.\n", prog, MAX_OVERRIDES);
}

static void
on_signal(int sig __rte_unused)
{
	__atomic_store_n(&sw.quit, true, __ATOMIC_RELAXED);
}

/*
 * Who hashes a port's frames: "kernel" or "software" (net_hashtap, its
 * kernel's or its own hash), "switch" (the switch hashes them once: a
 * net_hashtap port with hash=off, or another driver).  A NIC that gives
 * its own RSS hash is listed "switch" too, though the switch reuses it
 * (/hashtap/hash counts frames per case).
 */
void
sw_port_tunnels(uint16_t p, char *buf, size_t cap)
{
	const struct sw_port_cfg *pc = &sw.cfg.port[p];

	if (pc->tunnel_types == 0) {
		snprintf(buf, cap, "none");
		return;
	}
	vnet_hash_tunnels_format(pc->tunnel_types, buf, cap);
}

void
sw_port_hash_source(uint16_t p, char *buf, size_t cap)
{
	int src = rte_pmd_hashtap_hash_source(sw.port[p].port_id);

	snprintf(buf, cap, "%s", src == RTE_PMD_HASHTAP_HASH_SRC_KERNEL ? "kernel" :
		 src == RTE_PMD_HASHTAP_HASH_SRC_SOFTWARE ? "software" : "switch");
}

/* Why rte_dev_probe() failed, as far as we can tell: it returns -1 for most
 * failures (which strerror would call "Operation not permitted"). */
static void
probe_failure(const char *devargs, int rc, char *why, size_t cap)
{
	const char *comma = strchr(devargs, ',');
	struct rte_kvargs *kv = comma ? rte_kvargs_parse(comma + 1, NULL) : NULL;
	bool creates = strncmp(devargs, "net_hashtap", 11) == 0 || strncmp(devargs, "net_tap", 7) == 0;
	unsigned int i;

	for (i = 0; kv != NULL && i < kv->count; i++) {
		const char *k = kv->pairs[i].key, *v = kv->pairs[i].value;

		/* an interface the port attaches to (net_hashtap and net_tap create "iface") */
		if (v != NULL && ((strcmp(k, "iface") == 0 && !creates) || strcmp(k, "macvtap") == 0) &&
		    if_nametoindex(v) == 0) {
			snprintf(why, cap, "no interface %s in this network namespace", v);
			rte_kvargs_free(kv);
			return;
		}
	}
	rte_kvargs_free(kv);
	if (rc == -ENODEV || rc >= 0)
		snprintf(why, cap, "no such device or driver (is the driver loaded?)");
	else if (rc == -1)
		snprintf(why, cap, "the driver refused it (see its messages above)");
	else
		snprintf(why, cap, "%s", strerror(-rc));
}

/*
 * The devargs a port is probed with: a net_hashtap port with tunnel_types
 * and no tunnel_types= of its own gets them (':' between the types).
 */
static void
tunnel_devarg(const struct sw_port_cfg *pc, char *buf, size_t cap)
{
	char list[160], *c;

	snprintf(buf, cap, "%s", pc->devargs);
	if (pc->tunnel_types == 0 || strncmp(pc->devargs, "net_hashtap", 11) != 0 ||
	    strstr(pc->devargs, "tunnel_types=") != NULL)
		return;
	vnet_hash_tunnels_format(pc->tunnel_types, list, sizeof(list));
	for (c = list; *c != '\0'; c++)
		if (*c == ',')
			*c = ':';
	snprintf(buf, cap, "%s,tunnel_types=%s", pc->devargs, list);
}

static int
port_up(uint16_t p)
{
	const struct sw_port_cfg *pc = &sw.cfg.port[p];
	struct sw_port *sp = &sw.port[p];
	struct rte_eth_conf conf = { 0 };
	struct rte_eth_dev_info info;
	char name[RTE_DEV_NAME_MAX_LEN], mode[300];
	uint16_t q, ntx, mtu;
	int rc;

	snprintf(name, sizeof(name), "%.*s", (int)strcspn(pc->devargs, ","), pc->devargs);
	if (rte_eth_dev_get_port_by_name(name, &sp->port_id) != 0) {
		char why[128], probe[sizeof(pc->devargs) + 160];

		/* tunnel_types: a net_hashtap port is told which (its devarg) */
		tunnel_devarg(pc, probe, sizeof(probe));
		rc = rte_dev_probe(probe);
		if (rc < 0 || rte_eth_dev_get_port_by_name(name, &sp->port_id) != 0) {
			probe_failure(pc->devargs, rc, why, sizeof(why));
			sw_config_error(&sw.cfg, pc->at_devargs, "[port %s] cannot probe \"%s\": %s",
					pc->name, pc->devargs, why);
			sp->port_id = RTE_MAX_ETHPORTS;
			return -1;
		}
	}
	for (q = 0; q < p; q++)
		if (sw.port[q].port_id == sp->port_id) {
			sw_config_error(&sw.cfg, pc->at_devargs, "[port %s] %s is already port %s",
					pc->name, name, sw.cfg.port[q].name);
			sp->port_id = RTE_MAX_ETHPORTS;
			return -1;
		}
	rte_eth_dev_info_get(sp->port_id, &info);
	sp->nb_txq_per_worker = pc->guest_queues > 1 ? pc->guest_queues : 1;
	ntx = (uint16_t)(sw.nworkers * sp->nb_txq_per_worker);
	if (pc->rxq > info.max_rx_queues || ntx > info.max_tx_queues) {
		sw_config_error(&sw.cfg, pc->at_devargs,
				"[port %s] (%s): %u rx / %u tx queues asked (tx: %u per worker, %u workers), it has %u / %u: give it more queues (e.g. qpairs=N for net_af_packet) or use fewer workers",
				pc->name, info.driver_name, pc->rxq, ntx, sp->nb_txq_per_worker,
				sw.nworkers, info.max_rx_queues, info.max_tx_queues);
		return -1;
	}
	if (info.flow_type_rss_offloads != 0) {
		conf.rxmode.mq_mode = RTE_ETH_MQ_RX_RSS;
		conf.rx_adv_conf.rss_conf.rss_hf = (RTE_ETH_RSS_IP | RTE_ETH_RSS_TCP | RTE_ETH_RSS_UDP) &
			info.flow_type_rss_offloads;
		if (info.rx_offload_capa & RTE_ETH_RX_OFFLOAD_RSS_HASH)
			conf.rxmode.offloads |= RTE_ETH_RX_OFFLOAD_RSS_HASH;
	}
	/* the inner headers: by the port where it hashes exactly those types
	 * (net_hashtap, RSS level INNERMOST), else by the switch */
	sp->sw_tunnels = pc->tunnel_types;
	if (pc->tunnel_types != 0) {
		int avail = rte_pmd_hashtap_tunnel_types(sp->port_id, true);

		if (avail >= 0 && (uint32_t)avail != pc->tunnel_types) {
			char want[160], has[160];

			vnet_hash_tunnels_format(pc->tunnel_types, want, sizeof(want));
			vnet_hash_tunnels_format((uint32_t)avail, has, sizeof(has));
			sw_config_error(&sw.cfg, pc->at_tunnel_types,
					"[port %s] tunnel_types = %s, but the net_hashtap port looks into %s (its devargs tunnel_types=): give the types once, here",
					pc->name, want, has);
			return -1;
		}
		if (avail >= 0 && conf.rxmode.mq_mode == RTE_ETH_MQ_RX_RSS &&
		    (info.flow_type_rss_offloads & RTE_ETH_RSS_LEVEL_INNERMOST))
			conf.rx_adv_conf.rss_conf.rss_hf |= RTE_ETH_RSS_LEVEL_INNERMOST;
	}
	/* frames up to SW_MAX_FRAME where the port can take them whole (in
	 * mbuf chains); elsewhere its default MTU (and what does not fit one
	 * mbuf is the port's to drop, never to cut) */
	if ((info.rx_offload_capa & RTE_ETH_RX_OFFLOAD_SCATTER) &&
	    (info.tx_offload_capa & RTE_ETH_TX_OFFLOAD_MULTI_SEGS)) {
		conf.rxmode.offloads |= RTE_ETH_RX_OFFLOAD_SCATTER;
		conf.txmode.offloads |= RTE_ETH_TX_OFFLOAD_MULTI_SEGS;
		conf.rxmode.mtu = RTE_MIN(info.max_mtu,
					  SW_MAX_FRAME - RTE_ETHER_HDR_LEN - RTE_VLAN_HLEN);
		sp->multi_seg = true;
	}
	rc = rte_eth_dev_configure(sp->port_id, pc->rxq, ntx, &conf);
	for (q = 0; rc == 0 && q < pc->rxq; q++)
		rc = rte_eth_rx_queue_setup(sp->port_id, q, 512, rte_eth_dev_socket_id(sp->port_id),
					    NULL, sw.pool);
	for (q = 0; rc == 0 && q < ntx; q++)
		rc = rte_eth_tx_queue_setup(sp->port_id, q, 512, rte_eth_dev_socket_id(sp->port_id),
					    NULL);
	if (rc == 0)
		rc = rte_eth_dev_start(sp->port_id);
	if (rc != 0) {
		fprintf(stderr, "hashtap-switch: port %s (%s): configure/start: %s\n", pc->name,
			info.driver_name, strerror(-rc));
		return -1;
	}
	sp->started = true;
	if (pc->tunnel_types != 0 &&
	    rte_pmd_hashtap_hash_source(sp->port_id) > RTE_PMD_HASHTAP_HASH_SRC_NONE &&
	    rte_pmd_hashtap_tunnel_types(sp->port_id, false) == (int)pc->tunnel_types)
		sp->sw_tunnels = 0;	/* the port's hash is the inner one */
	rte_eth_promiscuous_enable(sp->port_id);
	/* the guest queue of a hash: the port's own RETA when it has one */
	sp->has_reta = false;
	if (sp->nb_txq_per_worker > 1 && info.reta_size >= SW_RETA &&
	    info.reta_size % SW_RETA == 0) {
		struct rte_eth_rss_reta_entry64 r[SW_RETA / RTE_ETH_RETA_GROUP_SIZE];
		struct rte_eth_rss_reta_entry64 big[1024 / RTE_ETH_RETA_GROUP_SIZE];
		unsigned int i;

		memset(big, 0, sizeof(big));
		for (i = 0; i < info.reta_size / RTE_ETH_RETA_GROUP_SIZE && i < RTE_DIM(big); i++)
			big[i].mask = UINT64_MAX;
		if (info.reta_size <= 1024 &&
		    rte_eth_dev_rss_reta_query(sp->port_id, big, info.reta_size) == 0) {
			memcpy(r, big, sizeof(r));
			for (i = 0; i < SW_RETA; i++)
				sp->reta[i] = r[i / 64].reta[i % 64] % sp->nb_txq_per_worker;
			sp->has_reta = true;
		}
	}
	if (!sp->has_reta)
		for (q = 0; q < SW_RETA; q++)
			sp->reta[q] = q % sp->nb_txq_per_worker;
	if (pc->trunk) {
		char vlans[256];

		sw_vlan_list_str(pc->allowed, vlans, sizeof(vlans));
		snprintf(mode, sizeof(mode), "trunk, native %u, vlans %s", pc->vlan, vlans);
	} else {
		snprintf(mode, sizeof(mode), "access vlan %u", pc->vlan);
	}
	if (rte_eth_dev_get_mtu(sp->port_id, &mtu) != 0)
		mtu = 0;
	printf("hashtap-switch: port %s = %s (port %u, %s), %s, MTU %u, %u rx / %u tx queues%s\n",
	       pc->name, name, sp->port_id, info.driver_name, mode, mtu, pc->rxq, ntx,
	       sp->nb_txq_per_worker > 1 ? (sp->has_reta ? ", tx queue by hash (port RETA)" :
					    ", tx queue by hash (round-robin table)") : "");
	if (pc->tunnel_types != 0) {
		char list[160];

		vnet_hash_tunnels_format(pc->tunnel_types, list, sizeof(list));
		printf("hashtap-switch: port %s: flow hash of the inner headers of %s, by %s\n",
		       pc->name, list, sp->sw_tunnels ? "the switch" : "the port (RSS level INNERMOST)");
	}
	return 0;
}

static void
status_line(double secs)
{
	struct sw_stats st;
	uint64_t rx = 0, tx = 0, drops = 0, all;
	unsigned int p, i;

	sw_stats_sum(&sw, &st);
	for (p = 0; p < sw.cfg.nports; p++) {
		rx += st.rx[p];
		tx += st.tx[p];
	}
	for (i = 0; i < SW_DROP_MAX; i++)
		drops += st.drop[i];
	all = st.flow_hit + st.flow_miss;
	printf("hashtap-switch: %.0fs rx %lu tx %lu | hash reused %lu computed %lu none %lu | flow cache %lu%% hit | macs %u | drops %lu\n",
	       secs, (unsigned long)rx, (unsigned long)tx, (unsigned long)st.hash_reused,
	       (unsigned long)st.hash_computed, (unsigned long)st.hash_none,
	       (unsigned long)(all ? st.flow_hit * 100 / all : 0), sw_mac_count(&sw),
	       (unsigned long)drops);
	fflush(stdout);
}

static void
summary(void)
{
	struct sw_stats st;
	unsigned int p, i;

	sw_stats_sum(&sw, &st);
	printf("hashtap-switch: summary\n");
	for (p = 0; p < sw.cfg.nports; p++) {
		char src[16];

		sw_port_hash_source((uint16_t)p, src, sizeof(src));
		printf("  port %-10s rx %10lu  tx %10lu  hash source: %s\n", sw.cfg.port[p].name,
		       (unsigned long)st.rx[p], (unsigned long)st.tx[p], src);
	}
	printf("  hash: reused %lu, computed once %lu, not hashable %lu\n",
	       (unsigned long)st.hash_reused, (unsigned long)st.hash_computed,
	       (unsigned long)st.hash_none);
	printf("  flow cache: %lu hits, %lu misses; MACs learned %lu, moved %lu, flooded %lu\n",
	       (unsigned long)st.flow_hit, (unsigned long)st.flow_miss,
	       (unsigned long)st.learned, (unsigned long)st.moved, (unsigned long)st.flooded);
	for (i = 0; i < SW_DROP_MAX; i++)
		if (st.drop[i])
			printf("  dropped (%s): %lu\n", sw_drop_names[i], (unsigned long)st.drop[i]);
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "set", required_argument, NULL, 's' },
		{ "aging", required_argument, NULL, 'a' },
		{ "status", required_argument, NULL, 'S' },
		{ "duration", required_argument, NULL, 'd' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	/* the --set options in order, then --aging/--status/--duration once each
	 * (the last given wins, as getopt users expect of a scalar option) */
	struct sw_override overrides[MAX_OVERRIDES + 3];
	static const char *const scalar_opt[3] = { "--aging", "--status", "--duration" };
	const char *scalar[3] = { NULL, NULL, NULL };
	char *eal_argv[64], eal_buf[512];
	const char *config = "config/demo.ini";
	unsigned int n_ov = 0, n_set = 0, i;
	int eal_argc = 0, app = 1, opt, rc = 0, ret;
	uint64_t hz, last_age, last_status;
	uint16_t p;

	/* EAL options come first, up to "--"; else from the config */
	for (i = 1; i < (unsigned int)argc; i++)
		if (strcmp(argv[i], "--") == 0)
			break;
	if (i < (unsigned int)argc) {
		app = (int)i + 1;
		eal_argc = (int)i;
	}
	optind = app;
	while ((opt = getopt_long(argc, argv, "c:s:hV", opts, NULL)) != -1) {
		switch (opt) {
		case 'c': config = optarg; break;
		case 's':
			if (n_set == MAX_OVERRIDES) {
				fprintf(stderr, "hashtap-switch: more than %d --set options\n",
					MAX_OVERRIDES);
				return 1;
			}
			overrides[n_set++] = (struct sw_override){ "--set", optarg };
			break;
		case 'a': case 'S': case 'd':
			scalar[opt == 'a' ? 0 : opt == 'S' ? 1 : 2] = optarg;
			break;
		case 'V':
			printf("hashtap-switch (hashtap) %s\nToeplitz: %s\n", HASHTAP_VERSION,
			       vnet_hash_toeplitz_impl());
			return 0;
		case 'h': usage(argv[0]); return 0;
		default: usage(argv[0]); return 1;
		}
	}
	n_ov = n_set;
	for (i = 0; i < RTE_DIM(scalar); i++)
		if (scalar[i] != NULL)
			overrides[n_ov++] = (struct sw_override){ scalar_opt[i], scalar[i] };
	if (optind < argc) {
		fprintf(stderr, "hashtap-switch: unexpected argument %s (see --help)\n", argv[optind]);
		return 1;
	}
	if (sw_config_load(&sw.cfg, config, overrides, n_ov) < 0)
		return 1;
	if (eal_argc == 0) {
		char *save = NULL, *tok;

		eal_argv[eal_argc++] = argv[0];
		snprintf(eal_buf, sizeof(eal_buf), "%s", sw.cfg.eal);
		for (tok = strtok_r(eal_buf, " \t", &save); tok != NULL && eal_argc < 63;
		     tok = strtok_r(NULL, " \t", &save))
			eal_argv[eal_argc++] = tok;
		eal_argv[eal_argc] = NULL;
		ret = rte_eal_init(eal_argc, eal_argv);
	} else {
		argv[eal_argc] = NULL;		/* the "--" */
		ret = rte_eal_init(eal_argc, argv);
	}
	if (ret < 0) {
		fprintf(stderr, "hashtap-switch: EAL: %s\n", rte_strerror(rte_errno));
		return 1;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	for (p = 0; p < SW_MAX_PORTS; p++)
		sw.port[p].port_id = RTE_MAX_ETHPORTS;	/* none yet */

	/* workers: the lcores the ports' rx queues name */
	for (p = 0; p < sw.cfg.nports; p++)
		for (i = 0; i < sw.cfg.port[p].rxq; i++) {
			unsigned int l = sw.cfg.port[p].lcore[i], w;

			if (!rte_lcore_is_enabled(l) || l == rte_get_main_lcore()) {
				sw_config_error(&sw.cfg, sw.cfg.port[p].at_lcores,
						"[port %s] lcore %u is not a worker lcore of EAL (-l); the main lcore is %u",
						sw.cfg.port[p].name, l, rte_get_main_lcore());
				rc = 1;
				goto out;
			}
			for (w = 0; w < sw.nworkers; w++)
				if (sw.worker_lcore[w] == l)
					break;
			if (w == sw.nworkers) {
				if (w == SW_MAX_WORKERS) {
					sw_config_error(&sw.cfg, sw.cfg.port[p].at_lcores,
							"[port %s] lcore %u: more than %d worker lcores in all",
							sw.cfg.port[p].name, l, SW_MAX_WORKERS);
					rc = 1;
					goto out;
				}
				sw.worker_lcore[sw.nworkers++] = l;
			}
		}
	vnet_hash_key_set(&sw.key, vnet_hash_default_key, sizeof(vnet_hash_default_key));
	sw.hz = rte_get_tsc_hz();
	sw.pool = rte_pktmbuf_pool_create("sw_pool", sw.cfg.mbufs, 256, 0,
					  RTE_MBUF_DEFAULT_BUF_SIZE, (int)rte_socket_id());
	if (sw.pool == NULL) {
		sw_config_error(&sw.cfg, sw.cfg.at_mbufs,
				"[switch] mbufs = %u: cannot allocate the mbuf pool (%s): give EAL more memory (-m) or ask for fewer",
				sw.cfg.mbufs, rte_strerror(rte_errno));
		rc = 1;
		goto out;
	}
	if (sw_bridge_init(&sw) != 0) {		/* it says what */
		rc = 1;
		goto out;
	}
	for (p = 0; p < sw.cfg.nports; p++)
		if (port_up(p) < 0) {
			rc = 1;
			goto out;
		}
	if (sw_telemetry_init(&sw) != 0)
		fprintf(stderr, "hashtap-switch: telemetry commands not registered\n");
	for (i = 0; i < sw.nworkers; i++)
		if (rte_eal_remote_launch(sw_worker, (void *)(uintptr_t)i, sw.worker_lcore[i]) != 0) {
			fprintf(stderr, "hashtap-switch: lcore %u is busy\n", sw.worker_lcore[i]);
			__atomic_store_n(&sw.quit, true, __ATOMIC_RELAXED);
			rc = 1;
		}
	printf("hashtap-switch: %u ports, %u worker(s), aging %us; running\n", sw.cfg.nports,
	       sw.nworkers, sw.cfg.aging);
	fflush(stdout);

	hz = rte_get_tsc_hz();
	sw.started = last_age = last_status = rte_get_tsc_cycles();
	while (!__atomic_load_n(&sw.quit, __ATOMIC_RELAXED)) {
		uint64_t now = rte_get_tsc_cycles();

		rte_delay_us_sleep(50000);
		if (now - last_age >= hz) {
			sw_age(&sw);
			last_age = now;
		}
		if (sw.cfg.status && now - last_status >= sw.cfg.status * hz) {
			status_line((double)(now - sw.started) / (double)hz);
			last_status = now;
		}
		if (sw.cfg.duration && now - sw.started >= sw.cfg.duration * hz)
			break;
	}
	__atomic_store_n(&sw.quit, true, __ATOMIC_RELAXED);
	for (i = 0; i < sw.nworkers; i++)
		if (rte_eal_wait_lcore(sw.worker_lcore[i]) != 0)
			rc = 1;		/* it said why */
	summary();
out:
	sw_telemetry_stop();	/* before the ports and tables go */
	for (p = 0; p < sw.cfg.nports; p++) {
		uint16_t id = sw.port[p].port_id;
		struct rte_mbuf *m[SW_BURST];
		uint16_t q, n;

		if (!rte_eth_dev_is_valid_port(id) || sw.pool == NULL)
			continue;
		if (!sw.port[p].started) {	/* probed, never configured */
			rte_eth_dev_close(id);
			continue;
		}
		/* what the rx queues still hold goes back too */
		for (q = 0; q < sw.cfg.port[p].rxq; q++)
			while ((n = rte_eth_rx_burst(id, q, m, SW_BURST)) > 0)
				rte_pktmbuf_free_bulk(m, n);
		rte_eth_dev_stop(id);
		rte_eth_dev_close(id);
	}
	if (sw.pool != NULL) {
		unsigned int used = rte_mempool_in_use_count(sw.pool);

		printf("hashtap-switch: stopped; mbufs in use after closing the ports: %u\n", used);
		if (used != 0 && rc == 0)
			rc = 2;
		rte_mempool_free(sw.pool);
	}
	sw_bridge_free(&sw);
	rte_eal_cleanup();
	return rc;
}
