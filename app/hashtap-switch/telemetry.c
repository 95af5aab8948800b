/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 hashtap authors
 *
 * rte_telemetry commands (dpdk-telemetry.py -f PREFIX, or the socket):
 *   /hashtap/ports   per port: rx, tx, hash source, guest-queue frames
 *   /hashtap/macs    the MAC table: "vlan/mac" -> port name, age (s)
 *   /hashtap/flows   flow-cache hits, misses, hit rate (%)
 *   /hashtap/hash    hash reused / computed / none
 *   /hashtap/drops   drops by reason
 */

#include <errno.h>
#include <stdio.h>

#include <rte_cycles.h>
#include <rte_hash.h>
#include <rte_rwlock.h>
#include <rte_telemetry.h>

#include "switch.h"

/*
 * The commands run in rte_telemetry's threads, at any time until the
 * process exits, and DPDK 22.11 cannot unregister them; so each runs under
 * this lock, and only while "live": sw_telemetry_stop() clears it (taking
 * the lock as a writer, so it waits for a command in progress) before the
 * switch frees what they read.  Both live outside EAL memory.
 */
static rte_rwlock_t tel_lock = RTE_RWLOCK_INITIALIZER;
static bool tel_live;

void
sw_stats_sum(const struct sw *s, struct sw_stats *sum)
{
	const uint64_t *src;
	uint64_t *dst = (uint64_t *)sum;
	unsigned int w, i;

	memset(sum, 0, sizeof(*sum));
	for (w = 0; w < s->nworkers; w++) {
		src = (const uint64_t *)&s->stats[w];
		for (i = 0; i < sizeof(*sum) / sizeof(uint64_t); i++)
			dst[i] += __atomic_load_n(&src[i], __ATOMIC_RELAXED);
	}
}

static int
do_ports(const char *params __rte_unused, struct rte_tel_data *d)
{
	struct sw_stats st;
	uint16_t p, g;

	sw_stats_sum(&sw, &st);
	rte_tel_data_start_dict(d);
	for (p = 0; p < sw.cfg.nports; p++) {
		struct rte_tel_data *c = rte_tel_data_alloc();
		struct rte_tel_data *q = rte_tel_data_alloc();
		char src[16];

		if (c == NULL || q == NULL)
			return -1;
		sw_port_hash_source(p, src, sizeof(src));
		rte_tel_data_start_dict(c);
		rte_tel_data_add_dict_int(c, "port_id", sw.port[p].port_id);
		rte_tel_data_add_dict_u64(c, "rx", st.rx[p]);
		rte_tel_data_add_dict_u64(c, "tx", st.tx[p]);
		rte_tel_data_add_dict_string(c, "hash_source", src);
		rte_tel_data_add_dict_string(c, "mode", sw.cfg.port[p].trunk ? "trunk" : "access");
		rte_tel_data_add_dict_int(c, "vlan", sw.cfg.port[p].vlan);
		rte_tel_data_start_array(q, RTE_TEL_U64_VAL);
		for (g = 0; g < sw.port[p].nb_txq_per_worker && sw.port[p].nb_txq_per_worker > 1; g++)
			rte_tel_data_add_array_u64(q, st.txq_frames[p][g]);
		rte_tel_data_add_dict_container(c, "guest_queue_tx", q, 0);
		rte_tel_data_add_dict_container(d, sw.cfg.port[p].name, c, 0);
	}
	return 0;
}

static int
do_macs(const char *params __rte_unused, struct rte_tel_data *d)
{
	const void *key;
	void *data;
	uint32_t it = 0;
	uint64_t now = rte_get_tsc_cycles(), hz = rte_get_tsc_hz();

	rte_tel_data_start_dict(d);
	while (rte_hash_iterate(sw.macs, &key, &data, &it) >= 0) {
		const struct sw_mac_entry *e = &sw.mac_entry[(uintptr_t)data];
		char name[40], val[64];

		snprintf(name, sizeof(name), "%u/" RTE_ETHER_ADDR_PRT_FMT, e->vlan,
			 RTE_ETHER_ADDR_BYTES(&e->mac));
		snprintf(val, sizeof(val), "%s %.1f", sw.cfg.port[e->port].name,
			 (double)(now - e->seen) / (double)hz);
		rte_tel_data_add_dict_string(d, name, val);
	}
	return 0;
}

static int
do_flows(const char *params __rte_unused, struct rte_tel_data *d)
{
	struct sw_stats st;
	uint64_t all;

	sw_stats_sum(&sw, &st);
	all = st.flow_hit + st.flow_miss;
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_u64(d, "hits", st.flow_hit);
	rte_tel_data_add_dict_u64(d, "misses", st.flow_miss);
	rte_tel_data_add_dict_u64(d, "hit_rate_pct", all ? st.flow_hit * 100 / all : 0);
	rte_tel_data_add_dict_u64(d, "flooded", st.flooded);
	rte_tel_data_add_dict_u64(d, "learned", st.learned);
	rte_tel_data_add_dict_u64(d, "moved", st.moved);
	rte_tel_data_add_dict_u64(d, "macs", sw_mac_count(&sw));
	return 0;
}

static int
do_hash(const char *params __rte_unused, struct rte_tel_data *d)
{
	struct sw_stats st;

	sw_stats_sum(&sw, &st);
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_u64(d, "reused", st.hash_reused);
	rte_tel_data_add_dict_u64(d, "computed", st.hash_computed);
	rte_tel_data_add_dict_u64(d, "none", st.hash_none);
	return 0;
}

static int
do_drops(const char *params __rte_unused, struct rte_tel_data *d)
{
	struct sw_stats st;
	unsigned int i;

	sw_stats_sum(&sw, &st);
	rte_tel_data_start_dict(d);
	for (i = 0; i < SW_DROP_MAX; i++)
		rte_tel_data_add_dict_u64(d, sw_drop_names[i], st.drop[i]);
	return 0;
}

/* t_NAME: do_NAME under the lock, while the switch's state is there */
#define GUARDED(name)								\
static int									\
t_##name(const char *cmd __rte_unused, const char *params, struct rte_tel_data *d) \
{										\
	int rc = -ENODEV;	/* stopping: the client gets null */		\
										\
	rte_rwlock_read_lock(&tel_lock);					\
	if (tel_live)								\
		rc = do_##name(params, d);					\
	rte_rwlock_read_unlock(&tel_lock);					\
	return rc;								\
}
GUARDED(ports)
GUARDED(macs)
GUARDED(flows)
GUARDED(hash)
GUARDED(drops)

int
sw_telemetry_init(struct sw *s __rte_unused)
{
	int rc = rte_telemetry_register_cmd("/hashtap/ports", t_ports,
			"Per port: rx, tx, hash source, frames per guest queue") ||
		rte_telemetry_register_cmd("/hashtap/macs", t_macs,
			"MAC table: vlan/mac -> port, seconds since seen") ||
		rte_telemetry_register_cmd("/hashtap/flows", t_flows,
			"Flow cache hits/misses/hit rate, learning") ||
		rte_telemetry_register_cmd("/hashtap/hash", t_hash,
			"Frames whose hash was reused, computed once, or not hashable") ||
		rte_telemetry_register_cmd("/hashtap/drops", t_drops, "Drops by reason") ? -1 : 0;

	rte_rwlock_write_lock(&tel_lock);
	tel_live = true;
	rte_rwlock_write_unlock(&tel_lock);
	return rc;
}

void
sw_telemetry_stop(void)
{
	rte_rwlock_write_lock(&tel_lock);
	tel_live = false;
	rte_rwlock_write_unlock(&tel_lock);
}
