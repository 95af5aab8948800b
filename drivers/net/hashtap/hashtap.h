/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 hashtap authors
 */

#ifndef HASHTAP_H
#define HASHTAP_H

/*
 * net_hashtap internals.  A port is one tap (created or attached) or one
 * macvtap interface; every queue pair index i < nb_rx_queues has its own
 * queue file descriptor, opened in order so that the kernel's queue index
 * is the port's rx queue id.  Tx queues past the last rx queue write to
 * fd (i % nb_rx_queues): a tap write never blocks and carries no queue
 * state, so rx and tx queue counts are independent.
 */

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <net/if.h>
#include <linux/virtio_ring.h>

#include <rte_dev.h>
#include <rte_ether.h>
#include <rte_interrupts.h>
#include <rte_log.h>
#include <rte_mbuf.h>
#include <rte_rcu_qsbr.h>

#include "hashtap_uring_compat.h"
#include "vnet_hash.h"
#include "vnet_hash_tun.h"
#include "vnet_hdr.h"

extern int hashtap_logtype;
#define HT_LOG(level, fmt, ...) \
	rte_log(RTE_LOG_ ## level, hashtap_logtype, "net_hashtap: " fmt "\n", ##__VA_ARGS__)

#define HASHTAP_MAX_QUEUES	64	/* queue fds per port */
#define HASHTAP_RETA_SIZE	128	/* as the virtio PMD */
#define HASHTAP_KEY_SIZE	VNET_HASH_KEY_MIN
#define HASHTAP_MAX_SEGS	64	/* rx chain (LRO: 64 KiB in 1 KiB mbufs) and tx iovec */
#define HASHTAP_BURST_MAX	64	/* mbufs kept ready per rx queue, without scatter */
#define HASHTAP_HDR_LEN		VNET_HDR_LEN_HASH
#define HASHTAP_MAX_RX_PKTLEN	(UINT16_MAX + 1u)	/* what a tap hands over, LRO included */
/* Read past the mbufs: a frame longer than them lands here, so it is seen
 * (read() returns at most what fit) and either dropped and counted or,
 * with scatter, copied into more mbufs. */
#define HASHTAP_SPILL_LEN	(HASHTAP_MAX_RX_PKTLEN + 64)
#define HASHTAP_TX_HDR_COPY_MAX	256	/* L2 + L3 + L4 headers a tx fix-up may rewrite */
#define HASHTAP_TX_SLOTS_MAX	256	/* io=uring: frames a tx queue has in flight, a burst at most */
#define HASHTAP_VQ_MAX_REGIONS	64	/* io=vhost: vhost's max_mem_regions default */
#define HASHTAP_UD_READ		(1ull << 63)	/* user_data of a multishot read: | its generation */

/** devargs io=...: how frames cross into and out of the kernel */
enum hashtap_io {
	HASHTAP_IO_SYSCALL,	/**< one readv()/writev() a frame */
	HASHTAP_IO_URING,	/**< io_uring: multishot reads, one submission a tx burst */
	HASHTAP_IO_VHOST,	/**< vhost-net rings: the kernel's copies on its own thread */
	HASHTAP_IO_AUTO,	/**< devargs only: uring where the kernel has what it needs */
};

/** devargs hash=... */
enum hashtap_hash_mode {
	HASHTAP_HASH_AUTO,	/**< kernel if it has the feature, else software */
	HASHTAP_HASH_KERNEL,	/**< the kernel's report; fail if it cannot */
	HASHTAP_HASH_SOFTWARE,	/**< lib/vnet_hash on every received frame */
	HASHTAP_HASH_OFF,	/**< never fill mbuf->hash.rss */
};

/** Where the hash of received frames comes from, decided at configure. */
enum hashtap_hash_src {
	HASHTAP_SRC_NONE,
	HASHTAP_SRC_KERNEL,
	HASHTAP_SRC_SOFTWARE,
};

/**
 * The hash/RSS state the data path reads, immutable once published.  A
 * control operation (serialized by pmd->lock) builds a new copy, hands it
 * to the kernel, publishes it with one pointer store, and frees the copy it
 * replaced once no rx burst can still read it: RCU QSBR with one reader id
 * per rx queue, online only inside rx_burst, so a queue that nobody polls
 * never holds a writer up and a burst never sees a torn or half-written
 * state.
 */
struct hashtap_rss {
	uint64_t gen;		/**< one more each state published */
	enum hashtap_hash_src src;	/**< where the hash comes from (the kernel's configuration) */
	/**
	 * Where rx bursts take the hash from: src, except SOFTWARE where the
	 * kernel hashes but cannot look into the enabled tunnel types, and
	 * while a kernel update of both the tunnel types and the rest is in
	 * progress (the kernel takes them in two calls).
	 */
	enum hashtap_hash_src rx_src;
	bool steer;		/**< mq_mode RSS: RETA chooses the queue */
	/**
	 * VNET_HASH_TUNNEL_* looked into (rss_hf level INNERMOST; 0: the
	 * outer header, as OUTERMOST and PMD_DEFAULT): part of the state, so
	 * a burst never sees new tunnel types with an old key or table.
	 */
	uint32_t tunnel_types;
	bool kernel_tunnel;	/**< src KERNEL and the kernel looks into tunnel_types itself */
	struct vnet_hash_rss rss;	/**< types (0: no hashing), key, table */
};

/* per-queue counters (xstats); only the queue's lcore writes them */
struct hashtap_rxq_stats {
	uint64_t packets, bytes;
	uint64_t hash_kernel, hash_software, hash_none;
	uint64_t hash_inner;	/**< of those hashed: on a tunnel's inner header */
	uint64_t reta_mismatch;	/**< RSS on, frame on a queue RETA does not name */
	uint64_t truncated;	/**< frame longer than the buffers (no scatter), or a runt */
	uint64_t bad_vnet_hdr;	/**< header no kernel writes (dropped) */
	uint64_t read_errors;	/**< read() failed (device gone, ...) */
	uint64_t nombuf;
	uint64_t stopped;	/**< io=uring: read, not yet delivered when the queue stopped */
	uint64_t syscalls;	/**< readv(), or io_uring_enter() (arming, harvesting) */
};

struct hashtap_txq_stats {
	uint64_t packets, bytes;
	uint64_t errors;	/**< dropped frames (sum of the reasons below) */
	uint64_t drop_offload;	/**< offload request the kernel would refuse */
	uint64_t drop_unsupported; /**< offload a tap cannot do (SCTP, tunnels) */
	uint64_t drop_runt;	/**< shorter than an Ethernet header */
	uint64_t drop_segs;	/**< more segments than one writev takes */
	uint64_t drop_unmapped;	/**< io=vhost: memory the vhost-net device cannot reach */
	uint64_t write_errors;	/**< write() failed for this frame */
	uint64_t busy;		/**< write() said EAGAIN/ENOBUFS: left to the caller */
	uint64_t syscalls;	/**< writev(), or io_uring_enter() (one a burst at most) */
};

/*
 * io=uring, receive: a multishot read kept armed on the queue's fd, with a
 * ring of provided buffers that are mbuf data areas: buffer bid is mbuf
 * bufs[bid], from HASHTAP_HDR_LEN bytes before its data (the vnet header
 * lands in the headroom) to the end of its buffer.  The ring is created
 * at start (disabled) and owned by the thread that polls the queue
 * (IORING_SETUP_SINGLE_ISSUER | DEFER_TASKRUN): the kernel reads only
 * inside that thread's io_uring_enter(), never behind its back, so stop
 * and close need no handshake with the kernel.
 */
struct hashtap_urx {
	struct io_uring ring;
	struct io_uring_buf_ring *br;	/**< shared with the kernel */
	size_t br_size;
	uint32_t buflen;	/**< what the kernel may write into a buffer */
	uint16_t entries;	/**< of the buffer ring (power of 2) */
	uint16_t nbufs;		/**< buffers the queue keeps (nb_desc, at most entries) */
	uint16_t nfree;		/**< bids without an mbuf */
	bool armed;		/**< a multishot read of generation gen is pending */
	bool enabled;		/**< the ring has its owner (first burst) */
	int owner;		/**< tid of the thread that polls it */
	uint64_t gen;		/**< user_data of the read armed last */
	uint64_t read_gen;	/**< hash state (gen) of the burst that entered last */
	uint16_t *free;		/**< [entries] bids without an mbuf */
	struct rte_mbuf **bufs;	/**< [entries] mbuf of each bid (NULL: none) */
};

/* io=uring, transmit: a frame of a burst, then in flight until its completion */
enum hashtap_slot_state {
	HASHTAP_SLOT_REFUSED,	/**< dropped before writing (why says why) */
	HASHTAP_SLOT_INFLIGHT,	/**< written, completion not read yet */
	HASHTAP_SLOT_DONE,	/**< completion read (res), the burst decides */
};

struct hashtap_tx_slot {
	struct rte_mbuf *m;
	int32_t res;		/**< the write's result, once complete */
	uint8_t state;		/**< enum hashtap_slot_state */
	uint8_t why;		/**< drop reason of a refused frame (hashtap_rxtx.c) */
	bool taken;		/**< the burst returned it as taken: the completion frees it */
	uint8_t hdr[HASHTAP_HDR_LEN];	/**< when not in the mbuf's headroom */
	uint8_t hcopy[HASHTAP_TX_HDR_COPY_MAX];	/**< headers a fix-up rewrote */
	struct iovec iov[2 + HASHTAP_MAX_SEGS];
};

struct hashtap_utx {
	struct io_uring ring;
	uint16_t nslots;	/**< = SQ entries */
	uint16_t nfree;
	uint16_t inflight;	/**< written, completion not seen yet */
	uint16_t *free;		/**< [nslots] */
	struct hashtap_tx_slot *slots;	/**< [nslots] */
};

/*
 * io=vhost: one split virtqueue of a vhost-net device that has the
 * queue's fd as its backend (hashtap_vhost.c).  Its memory (rings,
 * indirect tables, headers) is DPDK memory, which the device maps one to
 * one (guest physical address = our virtual address).  Descriptor id i
 * carries mbufs[i]; a tx descriptor points at its indirect table ind[i]
 * when the frame is more than one buffer.
 */
struct hashtap_vtx_slot {
	uint8_t hdr[HASHTAP_HDR_LEN];	/**< when not in the mbuf's headroom */
	uint8_t hcopy[HASHTAP_TX_HDR_COPY_MAX];	/**< headers a fix-up rewrote */
};

struct hashtap_vq {
	int vfd;		/**< /dev/vhost-net */
	int kick;		/**< eventfd: the ring has new descriptors */
	uint16_t index;		/**< 0: rx ring, 1: tx ring */
	uint16_t num;		/**< descriptors (power of 2) */
	uint16_t avail_idx;	/**< next avail index we publish */
	uint16_t used_idx;	/**< next used index we read */
	uint16_t nfree;		/**< descriptor ids not in the ring */
	uint16_t pending;	/**< tx: descriptors the kernel has not given back */
	uint32_t buflen;	/**< rx: what the kernel may write into a buffer */
	struct vring_desc *desc;
	struct vring_avail *avail;
	struct vring_used *used;
	struct vring_desc *ind;	/**< tx: [num][2 + HASHTAP_MAX_SEGS] */
	struct hashtap_vtx_slot *slots;	/**< tx: [num] */
	uint16_t *free;		/**< [num] */
	struct rte_mbuf **mbufs;	/**< [num] by descriptor id */
	uintptr_t lo, hi;	/**< tx: the mapped range a buffer was last found in */
	uint16_t nregions;	/**< the device's memory table, as set at create */
	struct {
		uintptr_t lo, hi;
	} regions[HASHTAP_VQ_MAX_REGIONS];
	void *mem;		/**< one allocation for all of the above */
};

struct pmd_internals;

struct hashtap_rxq {
	struct pmd_internals *pmd;
	struct rte_mempool *mp;
	int fd;
	uint16_t queue_id;
	uint16_t port_id;
	bool scatter;		/**< SCATTER or LRO: frames may span mbufs */
	bool le;		/**< vnet header byte order */
	uint16_t segs_per_pkt;	/**< mbufs one read may fill */
	uint16_t stash_cap;
	uint16_t nb_stash;
	uint16_t nb_desc;
	bool stopped;		/**< not started, or stopped: bursts return 0 */
	bool deferred;		/**< rx_deferred_start */
	struct hashtap_urx *urx;	/**< io=uring and frames fit one mbuf: multishot reads */
	struct hashtap_vq *vq;	/**< io=vhost: the vhost-net device's rx ring */
	struct hashtap_rxq_stats st;
	uint8_t *spill;		/**< HASHTAP_SPILL_LEN bytes after the mbufs */
	uint8_t hdr[HASHTAP_HDR_LEN];
	struct rte_mbuf *stash[HASHTAP_BURST_MAX + HASHTAP_MAX_SEGS];
};

struct hashtap_txq {
	struct pmd_internals *pmd;
	int fd;
	uint16_t queue_id;
	uint16_t nb_desc;
	bool le;
	bool stopped;		/**< not started, or stopped: bursts return 0 */
	bool deferred;		/**< tx_deferred_start */
	uint64_t offloads;
	struct hashtap_utx *utx;	/**< io=uring: batched writes */
	struct hashtap_vq *vq;	/**< io=vhost: the vhost-net device's tx ring */
	struct hashtap_txq_stats st;
};

/** The network namespace the interface lives in, and sockets there. */
struct hashtap_ctl {
	int ns_fd;		/**< -1: the process's own */
	ino_t ns_ino;
	int sock;		/**< AF_INET/DGRAM for SIOC* ioctls */
	int nl;			/**< NETLINK_ROUTE, RTMGRP_LINK */
};

/** What the port may change on an interface it attached to, as it found it. */
struct hashtap_orig {
	bool saved;
	short flags;		/**< IFF_UP, IFF_PROMISC, IFF_ALLMULTI are put back */
	int mtu;
	int hdrsz;		/**< tap: the device's vnet header size */
	struct rte_ether_addr mac;	/**< macvtap */
};

struct pmd_internals {
	char devname[RTE_DEV_NAME_MAX_LEN];
	char ifname[IFNAMSIZ];	/**< current name (tun: read back from the fd) */
	int ifindex;		/**< in ctl's namespace */
	bool macvtap;		/**< /dev/tapN of a macvtap interface */
	bool created;		/**< we created the tap: close deletes it */
	bool persist;		/**< devargs persist=1 */
	bool multi_queue;	/**< IFF_MULTI_QUEUE (tun) */
	atomic_bool gone;	/**< the interface was deleted (bursts read it) */
	atomic_bool foreign;	/**< another reader changed the tap's header (bursts read it) */
	uint32_t others;	/**< queues of the tap another process holds */
	bool started;
	bool mac_set;		/**< devargs mac= */
	enum hashtap_io io;	/**< SYSCALL, URING or VHOST, decided at probe */
	int sqpoll_cpu;		/**< io=uring: a kernel thread on this CPU writes (-1: none) */
	enum hashtap_hash_mode hash_mode;
	enum hashtap_hash_src hash_src;
	bool kernel_cap;	/**< TUNGETVNETHASHCAP answered */
	int steer_fd;		/**< our steering program, -1 not loaded */
	bool steering;		/**< it steers the tap (hashtap_netif_steering) */
	bool steer_failed;	/**< it could not be loaded: said once */
	struct vnet_hash_cap cap;
	char devpath[32];	/**< /dev/net/tun or /dev/tapN */
	int qfd[HASHTAP_MAX_QUEUES];
	uint16_t nb_fds;
	uint16_t port_id;
	uint64_t tun_offload;	/**< TUNSETOFFLOAD flags in use */
	struct hashtap_ctl ctl;
	struct hashtap_orig orig;
	pthread_mutex_t lock;	/**< ctl: control ops vs. the link interrupt */
	struct rte_intr_handle *intr;
	struct rte_ether_addr mac;
	uint16_t mtu;		/**< the kernel interface's, as the port set or found it */
	uint64_t rss_hf;	/**< types in force (0: none), with the RSS level asked */
	/** devargs tunnel_types= (default all): what level INNERMOST looks into */
	uint32_t tunnel_avail;
	_Atomic(struct hashtap_rss *) rss;	/**< what rx bursts read (never NULL) */
	struct rte_rcu_qsbr *qs;	/**< its readers: one id per rx queue */
};

/* hashtap_netif.c: the interface and its file descriptors */
int hashtap_netif_open(struct pmd_internals *pmd, const char *iface, const char *macvtap);
void hashtap_netif_close(struct pmd_internals *pmd);
/** Our steering program on (a created multi-queue tap) or tun's own flow steering. */
void hashtap_netif_steering(struct pmd_internals *pmd, bool on);

/** TUNSETPERSIST on a tap the port created (devargs persist=1). */
int hashtap_netif_persist(struct pmd_internals *pmd);
int hashtap_netif_queues(struct pmd_internals *pmd, uint16_t nb, uint64_t tun_offload);
int hashtap_netif_refresh(struct pmd_internals *pmd);
int hashtap_netif_flags(struct pmd_internals *pmd, short set, short clear);
int hashtap_netif_get_flags(struct pmd_internals *pmd, short *flags);
/** Set the interface's MTU; says why when the kernel refuses. */
int hashtap_netif_mtu(struct pmd_internals *pmd, uint16_t mtu);
/** The largest MTU the interface takes now (a macvtap: at most its lower device's); 0 unknown. */
uint32_t hashtap_netif_max_mtu(struct pmd_internals *pmd);
int hashtap_netif_get_mac(struct pmd_internals *pmd, struct rte_ether_addr *mac);
int hashtap_netif_set_mac(struct pmd_internals *pmd, const struct rte_ether_addr *mac);
/** Stop the port while another process reads the tap too (link notification). */
void hashtap_netif_check_foreign(struct pmd_internals *pmd);
/** Read pending link messages; returns true if our interface changed. */
bool hashtap_netif_nl_drain(struct pmd_internals *pmd);

/* hashtap_rxtx.c */
uint16_t hashtap_rx_burst(void *queue, struct rte_mbuf **pkts, uint16_t nb);
uint16_t hashtap_tx_burst(void *queue, struct rte_mbuf **pkts, uint16_t nb);
int hashtap_tx_done_cleanup(void *queue, uint32_t free_cnt);
void hashtap_rxq_drain(struct hashtap_rxq *q);
/** Complete what a tx queue has in flight (io=uring); true if nothing is left. */
bool hashtap_txq_reap(struct hashtap_txq *q, unsigned int wait_ms);

/**
 * Up to want mbufs for a ring's empty slots: all of them, or with a
 * nearly empty pool one, so the queue goes on; 0 (counted in nombuf) when
 * the pool has none.
 */
static inline unsigned int
hashtap_rx_alloc(struct hashtap_rxq *q, struct rte_mbuf **m, unsigned int want)
{
	if (rte_pktmbuf_alloc_bulk(q->mp, m, want) == 0)
		return want;
	if (rte_pktmbuf_alloc_bulk(q->mp, m, 1) == 0)
		return 1;
	q->st.nombuf++;
	return 0;
}

/**
 * io=vhost: the next element of the used ring (the caller saw one there):
 * its mbuf, now the caller's, and in *len what the kernel wrote; NULL for
 * an id the ring does not hold (never from vhost-net).
 */
static inline struct rte_mbuf *
hashtap_vq_used(struct hashtap_vq *v, uint32_t *len)
{
	const struct vring_used_elem *e = &v->used->ring[v->used_idx & (v->num - 1)];
	const uint32_t id = e->id;
	struct rte_mbuf *m;

	*len = e->len;
	v->used_idx++;
	if (unlikely(id >= v->num || v->mbufs[id] == NULL))
		return NULL;
	m = v->mbufs[id];
	v->mbufs[id] = NULL;
	v->free[v->nfree++] = (uint16_t)id;
	return m;
}

/* hashtap_uring.c: the io_uring datapath's rings */
/** Can this kernel run io=uring?  0, or < 0 with why[] saying what is missing. */
int hashtap_uring_probe(char *why, size_t len);
/** Set up a started rx queue's ring and buffers (the queue's fd, its mempool). */
int hashtap_urx_create(struct hashtap_rxq *q);
/** Its first burst, or a burst from another thread: (re)take the ring. */
int hashtap_urx_adopt(struct hashtap_rxq *q);
/** Arm the multishot read (from the polling thread). */
int hashtap_urx_arm(struct hashtap_rxq *q);
/** Give the buffer ring an mbuf for every empty bid it can get. */
void hashtap_urx_refill(struct hashtap_rxq *q);
/** Close the ring (the kernel stops reading) and free every mbuf it had. */
void hashtap_urx_destroy(struct hashtap_rxq *q);
int hashtap_utx_create(struct hashtap_txq *q);
void hashtap_utx_destroy(struct hashtap_txq *q);

/* hashtap_vhost.c: the vhost-net datapath's devices and rings */
/** Can this kernel run io=vhost?  0, or < 0 with why[] saying what is missing. */
int hashtap_vhost_probe(char *why, size_t len);
/** Can the rx queue's mempool be a vhost ring's buffers?  0, or < 0 saying why. */
int hashtap_vhost_rx_check(const struct hashtap_rxq *q, char *why, size_t len);
int hashtap_vrx_create(struct hashtap_rxq *q);
/** Give the rx ring an mbuf for every free descriptor it can get; kick if asked. */
void hashtap_vrx_refill(struct hashtap_rxq *q);
/** Detach the ring from the queue (the kernel stops), free every mbuf it had. */
void hashtap_vrx_destroy(struct hashtap_rxq *q);
int hashtap_vtx_create(struct hashtap_txq *q);
/** Count and free what the kernel thread has sent. */
void hashtap_vtx_complete(struct hashtap_txq *q);
/** Free what the kernel sent; wait up to wait_ms for the rest; true if nothing is left. */
bool hashtap_vtx_reap(struct hashtap_txq *q, unsigned int wait_ms);
void hashtap_vtx_destroy(struct hashtap_txq *q);
/** Is [p, p + len) in the memory the device maps (its table, set at create)? */
bool hashtap_vhost_mapped(struct hashtap_vq *v, const void *p, size_t len);
/** Tell the kernel the ring has new descriptors, if it waits for that. */
void hashtap_vq_notify(struct hashtap_vq *v, uint64_t *syscalls);

#endif /* HASHTAP_H */
