/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 hashtap authors
 */

#ifndef HASHTAP_SWITCH_H
#define HASHTAP_SWITCH_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_ether.h>
#include <rte_ethdev.h>
#include <rte_spinlock.h>

#include "vnet_hash.h"

#define SW_MAX_PORTS	16
#define SW_MAX_WORKERS	8
#define SW_MAX_RXQ	8
#define SW_BURST	32
#define SW_RETA		128
#define SW_MAX_FRAME	9216	/* larger frames are dropped (no LRO in the switch);
				 * ports that can (scatter) get an MTU for it */
#define SW_NAME		32

/* ---------------------------------------------------------------- config */

#define SW_MAX_EAL_WORDS 62	/**< words of [eal] args (with argv[0] and NULL: 64) */

/** A setting from the command line: "--set" "S.K=V", or "--aging" "V" and the like. */
struct sw_override {
	const char *opt, *arg;
};

/*
 * Where a setting comes from ("at"): > 0 a line of the file, < 0 the
 * command line (-1 - index in overrides), 0 a default.
 */
struct sw_port_cfg {
	char name[SW_NAME];
	char devargs[256];
	bool trunk;
	uint16_t vlan;			/**< access: its VLAN; trunk: native VLAN (0: none) */
	uint64_t allowed[64];		/**< trunk: VLANs carried (bit per VID) */
	uint16_t rxq;			/**< rx queues */
	uint16_t guest_queues;		/**< > 0: tx queue by hash through the RETA */
	uint16_t lcore[SW_MAX_RXQ];	/**< worker lcore polling each rx queue */
	/**
	 * VNET_HASH_TUNNEL_* whose inner header the flow hash of this port's
	 * frames is taken from (0: the outer header): the port's own hash
	 * with RSS level INNERMOST (net_hashtap), else the switch's.
	 */
	uint32_t tunnel_types;
	int at, at_devargs, at_lcores;	/**< its [port NAME], devargs, lcores */
	int at_tunnel_types;
};

struct sw_config {
	const char *path;
	const struct sw_override *overrides;
	unsigned int n_overrides;
	char eal[512];			/**< [eal] args, used when none are given */
	unsigned int aging;		/**< seconds */
	unsigned int status;		/**< seconds between status lines, 0: none */
	unsigned int duration;		/**< run this long, then stop (0: until a signal) */
	unsigned int mac_entries, flow_entries, mbufs;
	int at_eal, at_mac_entries, at_flow_entries, at_mbufs;
	uint16_t nports;
	struct sw_port_cfg port[SW_MAX_PORTS];
};

/**
 * Read the INI file, with the command line's settings applied on top (in
 * order: the last one for a key wins).  path and overrides must outlive c.
 * @return 0, or -1 after printing what is wrong, where.
 */
int sw_config_load(struct sw_config *c, const char *path, const struct sw_override *overrides,
		   unsigned int n_overrides);

/** "FILE:LINE", "--set S.K=V", "FILE (default)": where a setting comes from. */
void sw_config_at(const struct sw_config *c, int at, char *buf, size_t cap);

/** "hashtap-switch: WHERE: MESSAGE" on stderr. */
void sw_config_error(const struct sw_config *c, int at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/** A VLAN bitmap as "2-5,10,3000" ("..." at the end when cut to fit cap). */
void sw_vlan_list_str(const uint64_t *bits, char *buf, size_t cap);

static inline bool
sw_vlan_allowed(const struct sw_port_cfg *p, uint16_t vid)
{
	if (!p->trunk)
		return vid == p->vlan;
	return (p->allowed[vid / 64] >> (vid % 64)) & 1;
}

/* ---------------------------------------------------------------- counters */

enum sw_drop {
	SW_DROP_RUNT,		/**< shorter than an Ethernet header */
	SW_DROP_OVERSIZE,	/**< longer than SW_MAX_FRAME */
	SW_DROP_MALFORMED,	/**< VLAN tag cut short */
	SW_DROP_BAD_VLAN,	/**< tag on an access port, stacked tags, VID 4095 */
	SW_DROP_VLAN_NOT_ALLOWED, /**< trunk: VID not carried; untagged without native */
	SW_DROP_SRC_MAC,	/**< multicast or zero source MAC */
	SW_DROP_HAIRPIN,	/**< the destination is behind the port it came from */
	SW_DROP_NO_PORT,	/**< flood with nobody else in the VLAN */
	SW_DROP_TX_FULL,	/**< the port's tx queue did not take it */
	SW_DROP_NOMEM,		/**< no mbuf for a copy */
	SW_DROP_MAX,
};

extern const char *const sw_drop_names[SW_DROP_MAX];

/** Per worker (written by that worker only). */
struct sw_stats {
	uint64_t rx[SW_MAX_PORTS], tx[SW_MAX_PORTS];
	uint64_t hash_reused;	/**< frames that came with RTE_MBUF_F_RX_RSS_HASH */
	uint64_t hash_computed;	/**< frames the switch hashed (once) */
	uint64_t hash_none;	/**< no IP flow to hash (ARP, ...) */
	uint64_t flow_hit, flow_miss;
	uint64_t flooded, learned, moved;
	uint64_t drop[SW_DROP_MAX];
	uint64_t txq_frames[SW_MAX_PORTS][SW_MAX_RXQ];	/**< per guest queue, hash-chosen */
} __rte_cache_aligned;

/* ---------------------------------------------------------------- state */

struct sw_port {
	uint16_t port_id;
	uint16_t nb_txq_per_worker;	/**< guest_queues or 1 */
	uint16_t reta[SW_RETA];		/**< guest queue by hash */
	bool has_reta;
	bool multi_seg;			/**< takes and sends mbuf chains (jumbo frames) */
	/**
	 * Tunnel types the switch itself looks into for this port's frames
	 * (the port's hash is the outer header's, or there is none): 0 when
	 * the port hashes the inner headers itself, or none are configured.
	 */
	uint32_t sw_tunnels;
	bool started;
};

struct sw_mac_entry {
	struct rte_ether_addr mac;
	uint16_t vlan;
	uint16_t port;			/**< written by learning workers */
	uint16_t alive;			/**< 1 from insertion to aging out */
	uint64_t seen;			/**< TSC of the last frame from it (1/16 s) */
};

struct rte_hash;
struct rte_mempool;
struct sw_flow_cache;
struct rte_rcu_qsbr;

struct sw {
	struct sw_config cfg;
	struct sw_port port[SW_MAX_PORTS];
	struct rte_mempool *pool;
	struct rte_hash *macs;		/**< (vlan, mac) -> entry index */
	struct sw_mac_entry *mac_entry;
	struct rte_rcu_qsbr *qs;
	struct sw_flow_cache *flows[SW_MAX_WORKERS];	/**< per worker: flow cache */
	rte_spinlock_t mac_wlock;	/**< MAC table writers: a new MAC, aging */
	unsigned int nmacs;		/**< MACs in the table (written under mac_wlock) */
	uint64_t hz;			/**< TSC */
	struct vnet_hash_key key;	/**< for frames that come without a hash */
	unsigned int nworkers;
	unsigned int worker_lcore[SW_MAX_WORKERS];
	struct sw_stats stats[SW_MAX_WORKERS];
	volatile bool quit;
	uint64_t started;		/**< TSC */
};

extern struct sw sw;

/* bridge.c */
int sw_bridge_init(struct sw *s);
void sw_bridge_free(struct sw *s);
int sw_worker(void *arg);		/**< lcore main: arg is the worker index */
unsigned int sw_age(struct sw *s);	/**< drop old MACs; returns how many */
unsigned int sw_mac_count(struct sw *s);

struct sw_mac_info {
	struct rte_ether_addr mac;
	uint16_t vlan, port;
	uint64_t seen;			/**< TSC */
};
/** The MAC at table position *pos or after; *pos then points past it.
 * @return 0, or -ENOENT at the end of the table. */
int sw_mac_next(struct sw *s, uint32_t *pos, struct sw_mac_info *mi);

/* main.c: "kernel", "software" (the port gives the hash), "switch" (we do) */
void sw_port_hash_source(uint16_t p, char *buf, size_t cap);
/* its tunnel_types ("none", "vxlan,geneve", ...) */
void sw_port_tunnels(uint16_t p, char *buf, size_t cap);

/* telemetry.c */
int sw_telemetry_init(struct sw *s);
/** From now on the commands answer null and touch nothing: call before freeing. */
void sw_telemetry_stop(void);
void sw_stats_sum(const struct sw *s, struct sw_stats *sum);

#endif
