/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 hashtap authors
 *
 * The rig of test-pmd: the options, the namespaces and helpers that cases
 * in several files use, and the registry the cases enter themselves in.
 */

#ifndef HASHTAP_TEST_PMD_RIG_H
#define HASHTAP_TEST_PMD_RIG_H

#include <stdbool.h>
#include <stdint.h>

#include <linux/if_packet.h>

#include <rte_common.h>

struct rte_mbuf;
struct rte_mempool;
struct vnet_hash_key;

/* Everything the program creates (ns_del_all() removes it, before and after) */
#define NS_A	"htp-a"
#define NS_B	"htp-b"
#define NS_R	"htp-r"
#define NS_S	"htp-s"
#define TAP_A	"htpa0"
#define TAP_B	"htpb0"

/*
 * The order a run takes the cases in; the TAP check numbers follow it.
 * One value a case: PMD_CASE() takes one, and main() refuses to run with
 * a value no case or two cases registered.
 */
enum pmd_case_order {
	PMD_DEVARGS,
	PMD_LIFECYCLE,
	PMD_RX_HASH,
	PMD_RX_NOHASH,
	PMD_MULTIQUEUE,
	PMD_LRO,
	PMD_TX_OFFLOAD,
	PMD_LINK,
	PMD_DELETED,
	PMD_MEMPOOL,
	PMD_MACVTAP,
	PMD_MACVTAP_REOPEN,
	PMD_KERNEL_HASH,
	PMD_KERNEL_RSS,
	PMD_SHARED,
	PMD_OVERSIZE,
	PMD_CONFIGURE_FAIL,
	PMD_RSS_RACE,
	PMD_DATAPATH,
	PMD_QUEUE_RESTART,
	PMD_INFLIGHT,
	PMD_THREAD,
	PMD_TX_LINK_DOWN,
	PMD_SQPOLL,
	PMD_VHOST,
	PMD_TUNNEL,
	PMD_STEERING,
	PMD_N_CASES
};

struct pmd_case {
	enum pmd_case_order order;
	const char *name;	/* test-pmd NAME runs it, whatever the kernel */
	void (*fn)(void);
	bool host;		/* in a run without names, on the host */
	bool guest;		/* ... and with -g, in the patched test kernel */
};

/* Called by PMD_CASE() before main(). */
void pmd_case_register(struct pmd_case *c);

/*
 * A case, registered by a constructor (like DPDK's REGISTER_TEST_COMMAND):
 * PMD_CASE(PMD_LINK, "link", t_link, true, false).
 */
#define PMD_CASE(ord, nm, func, on_host, on_guest)				\
	static struct pmd_case pmd_case_##func = {				\
		.order = (ord), .name = (nm), .fn = (func),			\
		.host = (on_host), .guest = (on_guest),				\
	};									\
	RTE_INIT(pmd_case_init_##func)						\
	{									\
		pmd_case_register(&pmd_case_##func);				\
	}

/* -n: random frames a hash case sends (400) */
extern unsigned int n_frames;
/* -v: the Microsoft vectors file, or NULL */
extern const char *vectors_path;
/* -g: in the patched test kernel */
extern bool guest;
/* the port under test takes the kernel's hash (rx_one() expects its ptype) */
extern bool kernel_src;

/* A fresh namespace ns with lo up. */
void ns_add(const char *ns);
/* Put a tap the port made into ns, up, with no IPv6 chatter. */
int move_to_ns(const char *ifname, const char *ns);
/* A port on a tap moved into NS_A, nq queues, RSS with the hash offload. */
int rig_tap(const char *dev, const char *args, uint16_t nq, uint64_t rxo,
	    struct rte_mempool *mp, uint16_t *port, int *pkt, struct sockaddr_ll *to);
/* rss_hash_update with a 40-byte key and lib/vnet_hash's type set. */
int set_rss(uint16_t port, const uint8_t *key, uint32_t types);
/* ... and the RSS level bits (RTE_ETH_RSS_LEVEL_*) in rss_hf. */
int set_rss_level(uint16_t port, const uint8_t *key, uint32_t types, uint64_t level);

/* Frames of every kind (N_KINDS): frame k into buf, its name. */
#define N_KINDS 14
uint32_t kind_frame(unsigned int k, uint8_t *buf, const char **name);

/* Frames rx_one() sent, and how many of them were wrong. */
struct rxcheck {
	unsigned int n, bad;
};

/* Send frame from the namespace side and check what the port hands over. */
void rx_one(struct rxcheck *c, uint16_t port, uint16_t nq, int pkt, const struct sockaddr_ll *to,
	    const uint8_t *frame, uint32_t len, const struct vnet_hash_key *key, uint32_t types,
	    const char *what, int want_report, uint32_t want_hash);

#endif
