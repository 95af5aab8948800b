/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 hashtap authors
 *
 * rte_telemetry commands (dpdk-telemetry.py -f PREFIX, or the socket):
 *   /hashtap/ports   per port: rx, tx, hash source, guest-queue frames
 *   /hashtap/macs    the MAC table, a page at a time: "VLAN/MACHEX" -> {vlan,
 *                    mac, port, age_ms}; total, next ("/hashtap/macs,NEXT")
 *   /hashtap/flows   flow-cache hits, misses, hit rate (%)
 *   /hashtap/hash    hash reused / computed / none
 *   /hashtap/drops   drops by reason
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

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

/* every rte_tel_data_* call is checked: a reply is whole or null */
#define TRY(x)	do { if ((x) != 0) goto fail; } while (0)

static int
do_ports(const char *params __rte_unused, struct rte_tel_data *d)
{
	struct sw_stats st;
	uint16_t p, g;

	sw_stats_sum(&sw, &st);
	TRY(rte_tel_data_start_dict(d));
	for (p = 0; p < sw.cfg.nports; p++) {
		const struct sw_port_cfg *pc = &sw.cfg.port[p];
		struct rte_tel_data *c = rte_tel_data_alloc();
		struct rte_tel_data *q = rte_tel_data_alloc();
		char src[16], vlans[RTE_TEL_MAX_STRING_LEN], tnl[RTE_TEL_MAX_STRING_LEN];

		if (c == NULL || q == NULL)
			goto fail_port;
		sw_port_hash_source(p, src, sizeof(src));
		sw_port_tunnels(p, tnl, sizeof(tnl));
		if (rte_tel_data_start_dict(c) != 0 ||
		    rte_tel_data_add_dict_int(c, "port_id", sw.port[p].port_id) != 0 ||
		    rte_tel_data_add_dict_u64(c, "rx", st.rx[p]) != 0 ||
		    rte_tel_data_add_dict_u64(c, "tx", st.tx[p]) != 0 ||
		    rte_tel_data_add_dict_string(c, "hash_source", src) != 0 ||
		    rte_tel_data_add_dict_string(c, "tunnel_types", tnl) != 0 ||
		    rte_tel_data_add_dict_string(c, "inner_hash_by",
						 pc->tunnel_types == 0 ? "none" :
						 sw.port[p].sw_tunnels ? "switch" : "port") != 0 ||
		    rte_tel_data_add_dict_string(c, "mode", pc->trunk ? "trunk" : "access") != 0 ||
		    rte_tel_data_add_dict_int(c, "vlan", pc->vlan) != 0 ||
		    rte_tel_data_start_array(q, RTE_TEL_U64_VAL) != 0)
			goto fail_port;
		if (pc->trunk) {
			sw_vlan_list_str(pc->allowed, vlans, sizeof(vlans));
			if (rte_tel_data_add_dict_string(c, "vlans", vlans) != 0)
				goto fail_port;
		}
		for (g = 0; g < sw.port[p].nb_txq_per_worker && sw.port[p].nb_txq_per_worker > 1; g++)
			if (rte_tel_data_add_array_u64(q, st.txq_frames[p][g]) != 0)
				goto fail_port;
		if (rte_tel_data_add_dict_container(c, "guest_queue_tx", q, 0) != 0)
			goto fail_port;
		q = NULL;
		if (rte_tel_data_add_dict_container(d, pc->name, c, 0) != 0)
			goto fail_port;
		continue;
fail_port:
		rte_tel_data_free(q);
		rte_tel_data_free(c);
		goto fail;
	}
	return 0;
fail:
	return -1;
}

/*
 * /hashtap/macs[,START]: "total", then up to MACS_PAGE entries from table
 * position START (0: the beginning), each "VLAN/MACHEX": {vlan, mac, port,
 * age_ms}, and "next": the START of the next page when there is one.  (A
 * telemetry name allows no ':', a reply holds 16 KiB: about 130 bytes an
 * entry at most.)
 */
#define MACS_PAGE	100

static int
do_macs(const char *params, struct rte_tel_data *d)
{
	uint64_t now = rte_get_tsc_cycles(), hz = rte_get_tsc_hz();
	uint32_t pos = 0, peek;
	struct sw_mac_info mi;
	unsigned int n = 0;

	if (params != NULL && *params != '\0') {
		char *end;
		unsigned long v;

		errno = 0;
		v = strtoul(params, &end, 10);
		if (errno || *end != '\0' || params[0] < '0' || params[0] > '9' || v > UINT32_MAX)
			return -EINVAL;
		pos = (uint32_t)v;
	}
	TRY(rte_tel_data_start_dict(d));
	TRY(rte_tel_data_add_dict_u64(d, "total", sw_mac_count(&sw)));
	while (n < MACS_PAGE && sw_mac_next(&sw, &pos, &mi) == 0) {
		struct rte_tel_data *e = rte_tel_data_alloc();
		char name[32], mac[RTE_ETHER_ADDR_FMT_SIZE];

		snprintf(name, sizeof(name), "%u/%02x%02x%02x%02x%02x%02x", mi.vlan,
			 mi.mac.addr_bytes[0], mi.mac.addr_bytes[1], mi.mac.addr_bytes[2],
			 mi.mac.addr_bytes[3], mi.mac.addr_bytes[4], mi.mac.addr_bytes[5]);
		snprintf(mac, sizeof(mac), "%02x:%02x:%02x:%02x:%02x:%02x",
			 mi.mac.addr_bytes[0], mi.mac.addr_bytes[1], mi.mac.addr_bytes[2],
			 mi.mac.addr_bytes[3], mi.mac.addr_bytes[4], mi.mac.addr_bytes[5]);
		if (e == NULL || rte_tel_data_start_dict(e) != 0 ||
		    rte_tel_data_add_dict_int(e, "vlan", mi.vlan) != 0 ||
		    rte_tel_data_add_dict_string(e, "mac", mac) != 0 ||
		    rte_tel_data_add_dict_string(e, "port", sw.cfg.port[mi.port].name) != 0 ||
		    rte_tel_data_add_dict_u64(e, "age_ms", now > mi.seen ?
					      (now - mi.seen) * 1000 / hz : 0) != 0 ||
		    rte_tel_data_add_dict_container(d, name, e, 0) != 0) {
			rte_tel_data_free(e);
			goto fail;
		}
		n++;
	}
	peek = pos;
	if (n == MACS_PAGE && sw_mac_next(&sw, &peek, &mi) == 0)
		TRY(rte_tel_data_add_dict_u64(d, "next", pos));
	return 0;
fail:
	return -1;
}

static int
do_flows(const char *params __rte_unused, struct rte_tel_data *d)
{
	struct sw_stats st;
	uint64_t all;

	sw_stats_sum(&sw, &st);
	all = st.flow_hit + st.flow_miss;
	TRY(rte_tel_data_start_dict(d));
	TRY(rte_tel_data_add_dict_u64(d, "hits", st.flow_hit));
	TRY(rte_tel_data_add_dict_u64(d, "misses", st.flow_miss));
	TRY(rte_tel_data_add_dict_u64(d, "hit_rate_pct", all ? st.flow_hit * 100 / all : 0));
	TRY(rte_tel_data_add_dict_u64(d, "flooded", st.flooded));
	TRY(rte_tel_data_add_dict_u64(d, "learned", st.learned));
	TRY(rte_tel_data_add_dict_u64(d, "moved", st.moved));
	TRY(rte_tel_data_add_dict_u64(d, "macs", sw_mac_count(&sw)));
	return 0;
fail:
	return -1;
}

static int
do_hash(const char *params __rte_unused, struct rte_tel_data *d)
{
	struct sw_stats st;

	sw_stats_sum(&sw, &st);
	TRY(rte_tel_data_start_dict(d));
	TRY(rte_tel_data_add_dict_u64(d, "reused", st.hash_reused));
	TRY(rte_tel_data_add_dict_u64(d, "computed", st.hash_computed));
	TRY(rte_tel_data_add_dict_u64(d, "none", st.hash_none));
	return 0;
fail:
	return -1;
}

static int
do_drops(const char *params __rte_unused, struct rte_tel_data *d)
{
	struct sw_stats st;
	unsigned int i;

	sw_stats_sum(&sw, &st);
	TRY(rte_tel_data_start_dict(d));
	for (i = 0; i < SW_DROP_MAX; i++)
		TRY(rte_tel_data_add_dict_u64(d, sw_drop_names[i], st.drop[i]));
	return 0;
fail:
	return -1;
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
			"MAC table: VLAN/MACHEX -> vlan, mac, port, age_ms; total; next page: /hashtap/macs,NEXT") ||
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
