/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 hashtap authors
 *
 * RSS: the kernel steers by a random RETA (guest), and updates of keys,
 * type sets, the RSS level (inner-header hash of tunnels) and the RETA
 * racing traffic never give a torn hash.
 */

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <sys/socket.h>

#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>

#include "port.h"
#include "rnd.h"
#include "check.h"
#include "vnet_hash.h"
#include "rig.h"

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
		check_ok(false, "kernel RSS: rig up");
		goto out;
	}
	rnd_seed(99);
	memset(reta, 0, sizeof(reta));
	for (i = 0; i < 128; i++) {
		table[i] = (uint8_t)(rnd() % nq);
		reta[i / 64].mask |= 1ull << (i % 64);
		reta[i / 64].reta[i % 64] = table[i];
	}
	check_ok(rte_eth_dev_rss_reta_update(port, reta, 128) == 0, "kernel RSS: reta_update (random table)");
	vnet_hash_key_set(&key, vnet_hash_default_key, 40);
	set_rss(port, vnet_hash_default_key, VNET_HASH_TYPE_ALL);
	for (i = 0; i < 300; i++) {
		struct rte_mbuf *m;
		uint32_t len, hash;

		len = rnd_frame(frame, sizeof(frame), false);
		if (sendto(pkt, frame, len, 0, (struct sockaddr *)&to, sizeof(to)) != len) {
			check_diag("kernel RSS: frame %u (%u bytes) not sent: %s", i, len,
				   strerror(errno));
			continue;
		}
		m = port_rx_match(port, nq, frame, len, 2000, &q, NULL);
		if (m == NULL) {
			char hex[2 * 64 + 1];

			for (unsigned int k = 0; k < len && k < 64; k++)
				snprintf(hex + 2 * k, 3, "%02x", frame[k]);
			check_diag("kernel RSS: frame %u (%u bytes) never arrived: %s", i, len, hex);
			continue;
		}
		got++;
		if (vnet_hash_frame(&key, VNET_HASH_TYPE_ALL, frame, len, &hash) != VNET_HASH_REPORT_NONE
		    ? q != table[hash & 127] : q != 0)
			wrong++;
		rte_pktmbuf_free(m);
	}
	check_ok(got == 300 && wrong == 0, "kernel RSS: %u/300 frames on the queue the table names (%u wrong)",
	       got, wrong);
out:
	if (pkt >= 0)
		close(pkt);
	port_close("net_hashtap5", port);
	rte_mempool_free(mp);
	test_sh("ip netns del " NS_A);
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
	uint32_t tun[RACE_KEYS];	/* tunnel types in force: level INNERMOST, or 0 */
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

/* State j: its key, types and RSS level (INNERMOST when it has tunnel types). */
static int
race_set(const struct race *r, unsigned int j)
{
	return set_rss_level(r->port, r->key[j % RACE_KEYS], r->types[j % RACE_KEYS],
			     r->tun[j % RACE_KEYS] ? RTE_ETH_RSS_LEVEL_INNERMOST :
			     RTE_ETH_RSS_LEVEL_OUTERMOST);
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
			if (race_set(r, j) != 0)
				r->errors++;
			atomic_store(&r->done, j);
			r->updates++;
			break;
		case 2:
			if (race_set(r, j) != 0)
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
	unsigned int report = vnet_hash_classify_tunnel(d, m->pkt_len, r->types[j % RACE_KEYS],
							r->tun[j % RACE_KEYS], &t);
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
		/* the level toggles at every state: with a new key and type set
		 * (odd i), or alone (i % 4 == 2: i - 1's key and types) */
		r.tun[i] = i % 2 ? VNET_HASH_TUNNEL_ALL : 0;
		if (i % 4 == 2) {
			memcpy(r.key[i], r.key[i - 1], 40);
			r.types[i] = r.types[i - 1];
		}
		vnet_hash_key_set(&r.hk[i], r.key[i], 40);
	}
	for (i = 0; i < RACE_FRAMES; i++)
		r.flen[i] = i % 2 ? rnd_tunnel_frame(r.frame[i], sizeof(r.frame[i]), false) :
			rnd_frame(r.frame[i], sizeof(r.frame[i]), false);
	kernel_src = guest;
	snprintf(args, sizeof(args), "iface=" TAP_A ",hash=%s", mode);
	if (rig_tap("net_hashtap12", args, r.nq, 0, mp, &r.port, &r.pkt, &r.to) != 0 ||
	    race_set(&r, 0) != 0) {
		check_ok(false, "rss race: rig up");
		goto out;
	}
	if (pthread_create(&snd, NULL, race_sender, &r) != 0 ||
	    pthread_create(&ctl, NULL, race_control, &r) != 0) {
		check_ok(false, "rss race: threads");
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
						check_diag("rss race: %u-byte frame, flag %d hash 0x%08x: no state from %u to %u gives that",
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
	check_diag("rss race (%s hash, %us): %lu frames checked (%lu under a state being replaced), %lu sent; updates: %lu new key/types/level, %lu same key + RETA, %lu promiscuous",
		 mode, seconds, checked, older, r.sent, r.updates, r.same, r.promisc);
	check_ok(r.errors == 0, "rss race: every control call succeeded (%lu failed)", r.errors);
	check_ok(checked >= 1000 && r.updates >= 50,
	       "rss race: traffic and updates really overlapped (%lu frames, %lu updates)",
	       checked, r.updates);
	check_ok(torn == 0,
	       "rss race: every hash is lib/vnet_hash's for a key, type set and RSS level (tunnel types) in force during its burst (%lu of %lu are not)",
	       torn, checked);
out:
	if (r.pkt > 0)
		close(r.pkt);
	port_close("net_hashtap12", r.port);
	check_ok(rte_mempool_in_use_count(mp) == 0, "rss race: mempool in use back to 0");
	rte_mempool_free(mp);
	test_sh("ip netns del " NS_A);
}

PMD_CASE(PMD_KERNEL_RSS, "kernel-rss", t_kernel_rss, false, true)
PMD_CASE(PMD_RSS_RACE, "rss-race", t_rss_race, true, true)
