/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 hashtap authors
 *
 * The L2 learning bridge.  Workers poll their (port, rx queue) pairs and
 * forward with per-worker tx queues, tx buffers and flow caches; the MAC
 * table is shared, read lock-free (rte_hash RW_CONCURRENCY_LF, deletions
 * deferred by RCU QSBR until every worker has passed a quiescent state).
 * Writers (a worker inserting a MAC never seen before, the main lcore aging
 * entries out) take mac_wlock: rte_hash lets only readers run concurrently
 * with a writer.  Refreshing a known MAC writes its entry, not the table.
 * A MAC's entry (mac_entry[], by rte_hash key position) is "alive" from
 * its insertion to its aging out; its slot is reused only after RCU has
 * seen every worker quiescent.
 *
 * The flow hash is computed at most once: a frame that arrives with
 * RTE_MBUF_F_RX_RSS_HASH (the kernel's or the PMD's) is used as is; others
 * are hashed with lib/vnet_hash, and so are the frames of a port with
 * tunnel_types whose own hash does not look into those tunnels (sw_tunnels:
 * the inner headers give a tunnel's flows their hashes).  It is part of the key of the per-worker
 * flow cache (flow_cache.h: set-associative, evicting within a set, its
 * sets chosen by a keyed hash so that no VM can aim at another's) and,
 * towards a port with guest queues, picks the tx queue through its RETA.
 *
 * The flow cache keeps a flow's destination entry, not its output port:
 * a hit checks that the entry is alive and still this MAC, and reads the
 * port there.  So a MAC that moves or ages out costs the flows to it only
 * (a generation bumped at each move emptied every worker's cache: a VM
 * flapping a MAC between two ports kept everyone's flows missing).  Only
 * known destinations are cached: an unknown one is looked up again at
 * each frame, so the frame after it is learned goes to its port alone.
 */

#include <assert.h>
#include <errno.h>
#include <string.h>
#include <sys/random.h>

#include <rte_cycles.h>
#include <rte_hash.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_rcu_qsbr.h>

#include "flow_cache.h"
#include "switch.h"

const char *const sw_drop_names[SW_DROP_MAX] = {
	[SW_DROP_RUNT] = "runt",
	[SW_DROP_OVERSIZE] = "oversize",
	[SW_DROP_MALFORMED] = "malformed_vlan",
	[SW_DROP_BAD_VLAN] = "bad_vlan",
	[SW_DROP_VLAN_NOT_ALLOWED] = "vlan_not_allowed",
	[SW_DROP_SRC_MAC] = "bad_src_mac",
	[SW_DROP_HAIRPIN] = "hairpin",
	[SW_DROP_NO_PORT] = "no_port_in_vlan",
	[SW_DROP_TX_FULL] = "tx_full",
	[SW_DROP_NOMEM] = "no_mbuf",
};

struct mac_key {
	uint16_t vlan;
	struct rte_ether_addr mac;
};

static_assert(sizeof(struct mac_key) == 8, "no padding in a hash key");

#define FLOOD	UINT16_MAX

struct worker {
	unsigned int idx;
	struct sw_stats *st;
	struct sw_flow_cache *fc;
	struct rte_eth_dev_tx_buffer *txb[SW_MAX_PORTS][SW_MAX_RXQ];
	uint16_t npoll;
	struct { uint16_t port, queue; } poll[SW_MAX_PORTS * SW_MAX_RXQ];
};

struct sw sw;

static void
tx_dropped(struct rte_mbuf **pkts, uint16_t n, void *arg)
{
	uint64_t *ctr = arg;

	*ctr += n;
	rte_pktmbuf_free_bulk(pkts, n);
}

int
sw_bridge_init(struct sw *s)
{
	struct rte_hash_parameters hp = {
		.name = "sw_macs",
		.entries = s->cfg.mac_entries,
		.key_len = sizeof(struct mac_key),
		.socket_id = (int)rte_socket_id(),
		.extra_flag = RTE_HASH_EXTRA_FLAGS_RW_CONCURRENCY_LF,
	};
	struct rte_hash_rcu_config rc = { .mode = RTE_HASH_QSBR_MODE_DQ };
	unsigned int w;
	size_t sz;

	rte_spinlock_init(&s->mac_wlock);
	s->macs = rte_hash_create(&hp);
	/* positions come from the hash: one entry per slot it can hand out */
	s->mac_entry = rte_zmalloc("sw_mac_entry",
				   sizeof(*s->mac_entry) * (s->cfg.mac_entries * 2 + 64), 0);
	if (s->macs == NULL || s->mac_entry == NULL) {
		sw_config_error(&s->cfg, s->cfg.at_mac_entries,
				"[switch] mac_entries = %u: cannot allocate the MAC table: give EAL more memory (-m) or ask for fewer",
				s->cfg.mac_entries);
		return -1;
	}
	sz = rte_rcu_qsbr_get_memsize(RTE_MAX_LCORE);
	s->qs = rte_zmalloc("sw_qsbr", sz, RTE_CACHE_LINE_SIZE);
	if (s->qs == NULL || rte_rcu_qsbr_init(s->qs, RTE_MAX_LCORE) != 0) {
		fprintf(stderr, "hashtap-switch: cannot allocate the RCU state: out of memory\n");
		return -1;
	}
	rc.v = s->qs;
	if (rte_hash_rcu_qsbr_add(s->macs, &rc) != 0) {
		fprintf(stderr, "hashtap-switch: MAC table RCU: %s\n", rte_strerror(rte_errno));
		return -1;
	}
	for (w = 0; w < s->nworkers; w++) {
		uint64_t k[2];

		/* each cache's own secret key: where an entry goes is not guessable */
		if (getrandom(k, sizeof(k), 0) != sizeof(k)) {
			fprintf(stderr, "hashtap-switch: getrandom: %s\n", strerror(errno));
			return -1;
		}
		s->flows[w] = rte_zmalloc_socket("sw_flows", sw_flow_cache_size(s->cfg.flow_entries),
						 RTE_CACHE_LINE_SIZE,
						 (int)rte_lcore_to_socket_id(s->worker_lcore[w]));
		if (s->flows[w] != NULL)
			sw_flow_cache_init(s->flows[w], s->cfg.flow_entries, k[0], k[1]);
		if (s->flows[w] == NULL) {
			sw_config_error(&s->cfg, s->cfg.at_flow_entries,
					"[switch] flow_entries = %u: cannot allocate the flow cache of worker %u: give EAL more memory (-m) or ask for fewer",
					s->cfg.flow_entries, w);
			return -1;
		}
	}
	return 0;
}

void
sw_bridge_free(struct sw *s)
{
	unsigned int w;

	for (w = 0; w < SW_MAX_WORKERS; w++) {
		rte_free(s->flows[w]);
		s->flows[w] = NULL;
	}
	rte_hash_free(s->macs);
	rte_free(s->mac_entry);
	rte_free(s->qs);
	s->macs = NULL;
	s->mac_entry = NULL;
	s->qs = NULL;
}

/* (not rte_hash_count(): it counts the aged entries RCU has not reclaimed yet) */
unsigned int
sw_mac_count(struct sw *s)
{
	return __atomic_load_n(&s->nmacs, __ATOMIC_RELAXED);
}

int
sw_mac_next(struct sw *s, uint32_t *pos, struct sw_mac_info *mi)
{
	const struct mac_key *k;
	const void *key;
	void *data;

	while (rte_hash_iterate(s->macs, &key, &data, pos) >= 0) {
		const struct sw_mac_entry *e = &s->mac_entry[(uintptr_t)data];

		k = key;
		if (!__atomic_load_n(&e->alive, __ATOMIC_ACQUIRE) || e->vlan != k->vlan ||
		    !rte_is_same_ether_addr(&e->mac, &k->mac))
			continue;	/* being added by a worker, or aging out */
		mi->mac = k->mac;
		mi->vlan = k->vlan;
		mi->port = __atomic_load_n(&e->port, __ATOMIC_RELAXED);
		mi->seen = __atomic_load_n(&e->seen, __ATOMIC_RELAXED);
		return 0;
	}
	return -ENOENT;
}

/* Main lcore, every second: forget MACs not seen for cfg.aging seconds. */
unsigned int
sw_age(struct sw *s)
{
	uint64_t now = rte_get_tsc_cycles(), limit = (uint64_t)s->cfg.aging * rte_get_tsc_hz();
	const void *key;
	void *data;
	uint32_t it = 0;
	unsigned int n = 0;

	while (rte_hash_iterate(s->macs, &key, &data, &it) >= 0) {
		struct sw_mac_entry *e = &s->mac_entry[(uintptr_t)data];

		if (now - __atomic_load_n(&e->seen, __ATOMIC_RELAXED) > limit) {
			int rc;

			rte_spinlock_lock(&s->mac_wlock);
			/* dead first: cached flows to it stop at once */
			__atomic_store_n(&e->alive, 0, __ATOMIC_RELEASE);
			rc = rte_hash_del_key(s->macs, key);
			if (rc >= 0)
				__atomic_sub_fetch(&s->nmacs, 1, __ATOMIC_RELAXED);
			else	/* still in the table: alive, or it could never be learned again */
				__atomic_store_n(&e->alive, 1, __ATOMIC_RELEASE);
			rte_spinlock_unlock(&s->mac_wlock);
			n += rc >= 0;
		}
	}
	return n;
}

static void
learn(struct worker *w, const struct rte_ether_addr *mac, uint16_t vlan, uint16_t port,
      uint64_t now)
{
	struct mac_key k = { .vlan = vlan, .mac = *mac };
	void *data;
	int32_t pos;

	if (rte_hash_lookup_data(sw.macs, &k, &data) >= 0) {
		struct sw_mac_entry *e = &sw.mac_entry[(uintptr_t)data];

		if (!__atomic_load_n(&e->alive, __ATOMIC_ACQUIRE) || e->vlan != vlan ||
		    !rte_is_same_ether_addr(&e->mac, mac))
			return;		/* being added, or aging out: the next frame */
		/* at most 16 writes a second: the line stays clean in the
		 * caches of the workers that read it at each hit */
		if (now - __atomic_load_n(&e->seen, __ATOMIC_RELAXED) > sw.hz / 16)
			__atomic_store_n(&e->seen, now, __ATOMIC_RELAXED);
		if (__atomic_load_n(&e->port, __ATOMIC_RELAXED) != port) {
			__atomic_store_n(&e->port, port, __ATOMIC_RELAXED);
			w->st->moved++;
		}
		return;
	}
	rte_spinlock_lock(&sw.mac_wlock);
	if (rte_hash_lookup(sw.macs, &k) >= 0) {	/* another worker was first */
		rte_spinlock_unlock(&sw.mac_wlock);
		return;
	}
	pos = rte_hash_add_key(sw.macs, &k);
	if (pos >= 0) {
		struct sw_mac_entry *e = &sw.mac_entry[pos];

		/* a reused slot: dead since it aged out, and no worker that
		 * could have read it then is still in its frame (RCU) */
		e->mac = *mac;
		e->vlan = vlan;
		__atomic_store_n(&e->port, port, __ATOMIC_RELAXED);
		__atomic_store_n(&e->seen, now, __ATOMIC_RELAXED);
		__atomic_store_n(&e->alive, 1, __ATOMIC_RELEASE);
		rte_hash_add_key_data(sw.macs, &k, (void *)(uintptr_t)pos);
		__atomic_add_fetch(&sw.nmacs, 1, __ATOMIC_RELAXED);
	}
	rte_spinlock_unlock(&sw.mac_wlock);
	if (pos >= 0)		/* full: forwarding floods, nothing breaks */
		w->st->learned++;
}

/* Entry idx is alive and holds (vlan, mac): true and its port. */
static inline bool
mac_valid(uint32_t idx, const struct rte_ether_addr *mac, uint16_t vlan, uint16_t *port)
{
	const struct sw_mac_entry *e = &sw.mac_entry[idx];

	if (!__atomic_load_n(&e->alive, __ATOMIC_ACQUIRE) || e->vlan != vlan ||
	    !rte_is_same_ether_addr(&e->mac, mac))
		return false;
	*port = __atomic_load_n(&e->port, __ATOMIC_RELAXED);
	return true;
}

/* The entry of (vlan, mac) and its port; false if unknown (or being added). */
static bool
mac_lookup(const struct rte_ether_addr *mac, uint16_t vlan, uint32_t *idx, uint16_t *port)
{
	struct mac_key k = { .vlan = vlan, .mac = *mac };
	void *data;

	if (rte_hash_lookup_data(sw.macs, &k, &data) < 0)
		return false;
	*idx = (uint32_t)(uintptr_t)data;
	return mac_valid(*idx, mac, vlan, port);
}

/* One frame out of port p (tagged on a trunk unless it is the native VLAN). */
static void
emit(struct worker *w, struct rte_mbuf *m, uint16_t p, uint16_t vlan, uint32_t hash, bool hashed)
{
	const struct sw_port_cfg *pc = &sw.cfg.port[p];
	const struct sw_port *sp = &sw.port[p];
	uint16_t g = 0, q;

	if (m->nb_segs > 1 && !sp->multi_seg) {	/* a jumbo frame it cannot send */
		w->st->drop[SW_DROP_OVERSIZE]++;
		rte_pktmbuf_free(m);
		return;
	}
	if (pc->trunk && vlan != pc->vlan) {
		if (rte_mbuf_refcnt_read(m) > 1 || !RTE_MBUF_DIRECT(m)) {
			struct rte_mbuf *c = rte_pktmbuf_copy(m, sw.pool, 0, UINT32_MAX);

			rte_pktmbuf_free(m);	/* our reference to the shared one */
			if (c == NULL) {
				w->st->drop[SW_DROP_NOMEM]++;
				return;
			}
			m = c;
		}
		m->vlan_tci = vlan;
		if (rte_vlan_insert(&m) != 0) {
			w->st->drop[SW_DROP_NOMEM]++;
			rte_pktmbuf_free(m);
			return;
		}
	}
	if (sp->nb_txq_per_worker > 1) {
		g = hashed ? sp->reta[hash % SW_RETA] : 0;
		w->st->txq_frames[p][g]++;
	}
	q = (uint16_t)(w->idx * sp->nb_txq_per_worker + g);
	w->st->tx[p]++;
	rte_eth_tx_buffer(sp->port_id, q, w->txb[p][g], m);
}

static void
flood(struct worker *w, struct rte_mbuf *m, uint16_t in, uint16_t vlan, uint32_t hash, bool hashed)
{
	uint16_t out[SW_MAX_PORTS], n = 0, p, i;
	struct rte_mbuf *seg;

	for (p = 0; p < sw.cfg.nports; p++)
		if (p != in && sw_vlan_allowed(&sw.cfg.port[p], vlan))
			out[n++] = p;
	if (n == 0) {
		w->st->drop[SW_DROP_NO_PORT]++;
		rte_pktmbuf_free(m);
		return;
	}
	w->st->flooded++;
	/* one reference per output, on every segment: freeing a chain drops
	 * one from each (the head's alone would free the rest under the others) */
	if (n > 1)
		for (seg = m; seg != NULL; seg = seg->next)
			rte_mbuf_refcnt_update(seg, (int16_t)(n - 1));
	for (i = 0; i < n; i++)
		emit(w, m, out[i], vlan, hash, hashed);
}

/* Classify the L2 header: the frame's VLAN, untagged in place; -1 dropped. */
static int
ingress_vlan(struct worker *w, struct rte_mbuf *m, const struct sw_port_cfg *pc, uint16_t *vlan)
{
	const struct rte_ether_hdr *eh = rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);
	uint16_t type = rte_be_to_cpu_16(eh->ether_type), vid = 0;
	enum sw_drop why;

	if (type == RTE_ETHER_TYPE_VLAN || type == RTE_ETHER_TYPE_QINQ) {
		const struct rte_vlan_hdr *vh = (const struct rte_vlan_hdr *)(eh + 1);
		uint16_t inner;

		if (m->data_len < sizeof(*eh) + sizeof(*vh)) {
			why = SW_DROP_MALFORMED;
			goto drop;
		}
		vid = rte_be_to_cpu_16(vh->vlan_tci) & 0xfff;
		inner = rte_be_to_cpu_16(vh->eth_proto);
		if (!pc->trunk || vid == 0xfff || inner == RTE_ETHER_TYPE_VLAN ||
		    inner == RTE_ETHER_TYPE_QINQ) {
			why = SW_DROP_BAD_VLAN;
			goto drop;
		}
		if (rte_vlan_strip(m) != 0) {
			why = SW_DROP_MALFORMED;
			goto drop;
		}
		m->ol_flags &= ~(RTE_MBUF_F_RX_VLAN | RTE_MBUF_F_RX_VLAN_STRIPPED);
	}
	if (vid == 0)			/* untagged (or priority-tagged) */
		vid = pc->vlan;
	if (vid == 0 || !sw_vlan_allowed(pc, vid)) {
		why = SW_DROP_VLAN_NOT_ALLOWED;
		goto drop;
	}
	*vlan = vid;
	return 0;
drop:
	w->st->drop[why]++;
	rte_pktmbuf_free(m);
	return -1;
}

static void
forward(struct worker *w, struct rte_mbuf *m, uint16_t in, uint64_t now)
{
	const struct sw_port_cfg *pc = &sw.cfg.port[in];
	const struct rte_ether_hdr *eh;
	struct sw_flow_key fk;
	uint16_t vlan, out;
	uint32_t hash = 0, idx;
	uint64_t fh = 0;
	bool hashed = true;

	if (m->pkt_len < RTE_ETHER_HDR_LEN || m->data_len < RTE_ETHER_HDR_LEN) {
		w->st->drop[SW_DROP_RUNT]++;
		rte_pktmbuf_free(m);
		return;
	}
	if (m->pkt_len > SW_MAX_FRAME) {
		w->st->drop[SW_DROP_OVERSIZE]++;
		rte_pktmbuf_free(m);
		return;
	}
	if (ingress_vlan(w, m, pc, &vlan) < 0)
		return;
	eh = rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);
	if (!rte_is_unicast_ether_addr(&eh->src_addr) || rte_is_zero_ether_addr(&eh->src_addr)) {
		w->st->drop[SW_DROP_SRC_MAC]++;
		rte_pktmbuf_free(m);
		return;
	}
	/* the flow hash: reused when the port gave one, else computed once;
	 * with tunnel types the port's hash does not look into, the switch's
	 * (a tunnel's inner flows are its flows) */
	if ((m->ol_flags & RTE_MBUF_F_RX_RSS_HASH) && sw.port[in].sw_tunnels == 0) {
		hash = m->hash.rss;
		w->st->hash_reused++;
	} else {
		struct vnet_hash_tuple t;

		if (vnet_hash_classify_mbuf_tunnel(m, VNET_HASH_TYPE_ALL, sw.port[in].sw_tunnels,
						   &t) != VNET_HASH_REPORT_NONE) {
			hash = vnet_hash_toeplitz(&sw.key, &t);
			m->hash.rss = hash;
			m->ol_flags |= RTE_MBUF_F_RX_RSS_HASH;
			w->st->hash_computed++;
		} else {
			hashed = false;
			w->st->hash_none++;
		}
	}
	learn(w, &eh->src_addr, vlan, in, now);
	if (!rte_is_unicast_ether_addr(&eh->dst_addr)) {
		flood(w, m, in, vlan, hash, hashed);
		return;
	}
	out = FLOOD;
	if (hashed) {
		fk = (struct sw_flow_key){ .hash = hash, .in_port = in, .vlan = vlan,
					   .dst = eh->dst_addr, .src = eh->src_addr };
		fh = sw_flow_cache_hash(w->fc, &fk);
		if (sw_flow_cache_lookup(w->fc, &fk, fh, &idx)) {
			if (mac_valid(idx, &eh->dst_addr, vlan, &out)) {
				w->st->flow_hit++;
				goto decided;
			}
			sw_flow_cache_forget(w->fc, &fk, fh);	/* aged out */
		}
		w->st->flow_miss++;
	}
	if (!mac_lookup(&eh->dst_addr, vlan, &idx, &out))
		out = FLOOD;		/* not cached: see the top of the file */
	else if (hashed)
		sw_flow_cache_add(w->fc, &fk, fh, idx);
decided:
	if (out == FLOOD) {
		flood(w, m, in, vlan, hash, hashed);
	} else if (out == in) {
		w->st->drop[SW_DROP_HAIRPIN]++;
		rte_pktmbuf_free(m);
	} else {
		emit(w, m, out, vlan, hash, hashed);
	}
}

static int
worker_setup(struct worker *w, unsigned int idx)
{
	unsigned int lcore = rte_lcore_id();
	uint16_t p, q, g;

	memset(w, 0, sizeof(*w));
	w->idx = idx;
	w->st = &sw.stats[idx];
	w->fc = sw.flows[idx];
	for (p = 0; p < sw.cfg.nports; p++) {
		for (q = 0; q < sw.cfg.port[p].rxq; q++)
			if (sw.cfg.port[p].lcore[q] == lcore) {
				w->poll[w->npoll].port = p;
				w->poll[w->npoll++].queue = q;
			}
		for (g = 0; g < sw.port[p].nb_txq_per_worker; g++) {
			w->txb[p][g] = rte_zmalloc_socket("sw_txb", RTE_ETH_TX_BUFFER_SIZE(SW_BURST), 0,
							  (int)rte_socket_id());
			if (w->txb[p][g] == NULL)
				return -1;
			rte_eth_tx_buffer_init(w->txb[p][g], SW_BURST);
			rte_eth_tx_buffer_set_err_callback(w->txb[p][g], tx_dropped,
							   &w->st->drop[SW_DROP_TX_FULL]);
		}
	}
	return 0;
}

static void
worker_free(struct worker *w)
{
	uint16_t p, g;

	for (p = 0; p < sw.cfg.nports; p++)
		for (g = 0; g < SW_MAX_RXQ; g++)
			rte_free(w->txb[p][g]);
}

int
sw_worker(void *arg)
{
	unsigned int idx = (unsigned int)(uintptr_t)arg, lcore = rte_lcore_id();
	struct worker w;
	struct rte_mbuf *pkts[SW_BURST];
	uint16_t i, n, p, g;

	if (worker_setup(&w, idx) < 0) {
		fprintf(stderr, "hashtap-switch: worker on lcore %u: out of memory\n", lcore);
		worker_free(&w);
		sw.quit = true;
		return -1;
	}
	rte_rcu_qsbr_thread_register(sw.qs, lcore);
	rte_rcu_qsbr_thread_online(sw.qs, lcore);
	while (!__atomic_load_n(&sw.quit, __ATOMIC_RELAXED)) {
		uint64_t now = rte_get_tsc_cycles();

		for (i = 0; i < w.npoll; i++) {
			uint16_t port = w.poll[i].port;

			n = rte_eth_rx_burst(sw.port[port].port_id, w.poll[i].queue, pkts, SW_BURST);
			w.st->rx[port] += n;
			for (uint16_t k = 0; k < n; k++) {
				if (k + 1 < n)
					rte_prefetch0(rte_pktmbuf_mtod(pkts[k + 1], void *));
				forward(&w, pkts[k], port, now);
			}
		}
		for (p = 0; p < sw.cfg.nports; p++)
			for (g = 0; g < sw.port[p].nb_txq_per_worker; g++)
				rte_eth_tx_buffer_flush(sw.port[p].port_id,
							(uint16_t)(idx * sw.port[p].nb_txq_per_worker + g),
							w.txb[p][g]);
		rte_rcu_qsbr_quiescent(sw.qs, lcore);
	}
	rte_rcu_qsbr_thread_offline(sw.qs, lcore);
	rte_rcu_qsbr_thread_unregister(sw.qs, lcore);
	worker_free(&w);
	return 0;
}
