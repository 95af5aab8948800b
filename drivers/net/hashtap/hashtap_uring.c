/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 hashtap authors
 */

/*
 * io=uring: the rings of the io_uring datapath (the bursts are in
 * hashtap_rxtx.c, beside the syscall ones, with which they share every
 * per-frame step).
 *
 * Receive.  One ring a started rx queue, set up disabled at start and
 * enabled by the first thread that polls it, which becomes its only
 * issuer (IORING_SETUP_SINGLE_ISSUER).  A multishot read
 * (IORING_OP_READ_MULTISHOT) stays armed on the queue's fd; every frame
 * takes one provided buffer, which is an mbuf's data area starting
 * HASHTAP_HDR_LEN bytes before the mbuf's data, so that the vnet header
 * lands in the headroom and the frame where the mbuf says its data
 * starts: no copy in user space.  With IORING_SETUP_DEFER_TASKRUN the
 * kernel reads only inside the owner's io_uring_enter(); the burst enters
 * only when the kernel flagged work (IORING_SQ_TASKRUN) or to arm the
 * read again.  Since nothing reads behind the owner's back, closing the
 * ring (any thread) ends every read: the mbufs of the buffer ring are
 * then the driver's to free.
 *
 * Transmit.  One ring a started tx queue: a burst's writes are prepared,
 * submitted with one io_uring_enter(), and the mbufs freed when their
 * completions are read (a tap write completes inside that call; a write
 * still in flight keeps its mbuf until its completion comes).
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_eal.h>
#include <rte_malloc.h>
#include <ethdev_driver.h>

#include "hashtap.h"

#define URX_FLAGS (IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN | \
		   IORING_SETUP_TASKRUN_FLAG | IORING_SETUP_CQSIZE)
#define URX_BGID	0
#define URX_ENTRIES_MIN	8u
#define URX_ENTRIES_MAX	256u	/* buffers a queue keeps: what one enter may read */
#define UTX_FLAGS (IORING_SETUP_SUBMIT_ALL | IORING_SETUP_COOP_TASKRUN | IORING_SETUP_CQSIZE)
#define UTX_SLOTS_MIN	32u
#define UTX_SLOTS_MAX	((uint32_t)HASHTAP_TX_SLOTS_MAX)

int
hashtap_uring_probe(char *why, size_t len)
{
	static const struct {
		int op;
		const char *name;
	} ops[] = {
		{ IORING_OP_READ_MULTISHOT, "multishot read (Linux 6.7)" },
		{ IORING_OP_WRITE, "write" },
		{ IORING_OP_WRITEV, "writev" },
	};
	struct io_uring_params p = { .flags = URX_FLAGS | IORING_SETUP_R_DISABLED, .cq_entries = 8 };
	struct io_uring_buf_reg reg = { .ring_entries = URX_ENTRIES_MIN, .bgid = URX_BGID };
	struct io_uring_probe *pr;
	struct io_uring ring;
	unsigned int i;
	void *br;
	int err;

	err = io_uring_queue_init_params(4, &ring, &p);
	if (err < 0) {
		snprintf(why, len, "io_uring_setup() with DEFER_TASKRUN (Linux 6.1): %s%s",
			 strerror(-err), err == -EPERM || err == -ENOSYS ?
			 " (io_uring disabled: sysctl kernel.io_uring_disabled, seccomp?)" : "");
		return err;
	}
	pr = io_uring_get_probe_ring(&ring);
	if (pr == NULL) {
		snprintf(why, len, "io_uring cannot say which operations it has (IORING_REGISTER_PROBE)");
		err = -ENOTSUP;
	}
	for (i = 0; err == 0 && i < RTE_DIM(ops); i++) {
		if (!io_uring_opcode_supported(pr, ops[i].op)) {
			snprintf(why, len, "io_uring has no %s", ops[i].name);
			err = -ENOTSUP;
		}
	}
	io_uring_free_probe(pr);
	br = mmap(NULL, (size_t)sysconf(_SC_PAGESIZE), PROT_READ | PROT_WRITE,
		  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (err == 0 && br == MAP_FAILED) {
		snprintf(why, len, "mmap: %s", strerror(errno));
		err = -ENOMEM;
	} else if (err == 0) {
		reg.ring_addr = (uintptr_t)br;
		err = io_uring_register_buf_ring(&ring, &reg, 0);
		if (err < 0)
			snprintf(why, len, "io_uring has no provided-buffer rings (Linux 5.19): %s",
				 strerror(-err));
	}
	io_uring_queue_exit(&ring);
	if (br != MAP_FAILED)
		munmap(br, (size_t)sysconf(_SC_PAGESIZE));
	return err;
}

/* ------------------------------------------------------------ receive */

static inline void *
urx_buf(const struct rte_mbuf *m)
{
	return (uint8_t *)m->buf_addr + m->data_off - HASHTAP_HDR_LEN;
}

void
hashtap_urx_refill(struct hashtap_rxq *q)
{
	struct hashtap_urx *u = q->urx;
	struct rte_mbuf *m[64];
	const int mask = io_uring_buf_ring_mask(u->entries);

	while (u->nfree > 0) {
		unsigned int k = hashtap_rx_alloc(q, m, RTE_MIN(u->nfree, RTE_DIM(m))), i;

		if (k == 0)
			return;
		for (i = 0; i < k; i++) {
			uint16_t bid = u->free[--u->nfree];

			u->bufs[bid] = m[i];
			io_uring_buf_ring_add(u->br, urx_buf(m[i]), u->buflen, bid, mask, (int)i);
		}
		io_uring_buf_ring_advance(u->br, (int)k);
	}
}

int
hashtap_urx_create(struct hashtap_rxq *q)
{
	const struct pmd_internals *pmd = q->pmd;
	uint32_t entries = rte_align32pow2(RTE_MAX(q->nb_desc, URX_ENTRIES_MIN));
	struct io_uring_params p = { .flags = URX_FLAGS | IORING_SETUP_R_DISABLED };
	struct io_uring_buf_reg reg = { .bgid = URX_BGID };
	struct hashtap_urx *u;
	uint16_t i;
	int err;

	entries = RTE_MIN(entries, URX_ENTRIES_MAX);
	u = rte_zmalloc_socket("hashtap_urx", sizeof(*u) +
			       entries * (sizeof(*u->bufs) + sizeof(*u->free)),
			       RTE_CACHE_LINE_SIZE, q->mp->socket_id);
	if (u == NULL)
		return -ENOMEM;
	u->bufs = (struct rte_mbuf **)(u + 1);
	u->free = (uint16_t *)(u->bufs + entries);
	u->entries = (uint16_t)entries;
	u->nbufs = (uint16_t)RTE_MIN(RTE_MAX(q->nb_desc, 1u), entries);
	u->owner = -1;
	/* what the kernel may fill: the vnet header in the headroom, the
	 * frame to the end of the mbuf's buffer */
	u->buflen = rte_pktmbuf_data_room_size(q->mp) - RTE_PKTMBUF_HEADROOM + HASHTAP_HDR_LEN;
	/* every buffer's completion fits, with room for the read's own end */
	p.cq_entries = 2 * entries;
	err = io_uring_queue_init_params(8, &u->ring, &p);
	if (err < 0) {
		HT_LOG(ERR, "%s: rx queue %u: io_uring_setup: %s", pmd->devname, q->queue_id,
		       strerror(-err));
		rte_free(u);
		return err;
	}
	err = io_uring_register_files(&u->ring, &q->fd, 1);
	u->br_size = RTE_ALIGN_CEIL(entries * sizeof(struct io_uring_buf),
				    (size_t)sysconf(_SC_PAGESIZE));
	u->br = mmap(NULL, u->br_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (err == 0 && u->br == MAP_FAILED)
		err = -errno;
	if (err == 0) {
		io_uring_buf_ring_init(u->br);
		reg.ring_addr = (uintptr_t)u->br;
		reg.ring_entries = entries;
		err = io_uring_register_buf_ring(&u->ring, &reg, 0);
	}
	if (err < 0) {
		HT_LOG(ERR, "%s: rx queue %u: io_uring buffers: %s", pmd->devname, q->queue_id,
		       strerror(-err));
		io_uring_queue_exit(&u->ring);
		if (u->br != MAP_FAILED)
			munmap(u->br, u->br_size);
		rte_free(u);
		return err;
	}
	for (i = 0; i < u->nbufs; i++)
		u->free[i] = (uint16_t)(u->nbufs - 1 - i);
	u->nfree = u->nbufs;
	q->urx = u;	/* the first burst fills it, as the syscall path's stash */
	return 0;
}

void
hashtap_urx_destroy(struct hashtap_rxq *q)
{
	struct hashtap_urx *u = q->urx;
	uint32_t i;

	const struct io_uring_cqe *cqe;
	unsigned int head;

	if (u == NULL)
		return;
	q->urx = NULL;
	/* frames read that no burst took: dropped (their mbufs freed below) */
	io_uring_for_each_cqe(&u->ring, head, cqe)
		q->st.stopped += (cqe->flags & IORING_CQE_F_BUFFER) != 0;
	/* the last reference: the kernel cancels the read, and reads nothing
	 * more (reads only ever ran inside the owner's io_uring_enter) */
	io_uring_queue_exit(&u->ring);
	munmap(u->br, u->br_size);
	for (i = 0; i < u->entries; i++)
		if (u->bufs[i] != NULL)
			rte_pktmbuf_free(u->bufs[i]);
	rte_free(u);
}

int
hashtap_urx_adopt(struct hashtap_rxq *q)
{
	struct hashtap_urx *u = q->urx;
	int err;

	if (!u->enabled) {
		err = io_uring_register(u->ring.ring_fd, IORING_REGISTER_ENABLE_RINGS, NULL, 0);
		q->st.syscalls++;
		if (err < 0) {
			HT_LOG(ERR, "%s: rx queue %u: enabling its ring: %s", q->pmd->devname,
			       q->queue_id, strerror(-err));
			return err;
		}
		u->enabled = true;
		u->owner = rte_gettid();
		return 0;
	}
	/*
	 * Another thread polls the queue now.  Only the ring's first thread
	 * may enter it, so this one gets a ring of its own; the old one is
	 * closed (its completions were all read: a burst enters only with an
	 * empty completion queue), the frames still queued in the kernel come
	 * through the new one.
	 */
	HT_LOG(INFO, "%s: rx queue %u is polled by thread %d now (was %d): new ring",
	       q->pmd->devname, q->queue_id, rte_gettid(), u->owner);
	hashtap_urx_destroy(q);
	err = hashtap_urx_create(q);
	if (err < 0) {
		HT_LOG(ERR, "%s: rx queue %u reads with readv() from now on", q->pmd->devname,
		       q->queue_id);
		return err;
	}
	return hashtap_urx_adopt(q);
}

int
hashtap_urx_arm(struct hashtap_rxq *q)
{
	struct hashtap_urx *u = q->urx;
	struct io_uring_sqe *sqe = io_uring_get_sqe(&u->ring);
	int err;

	if (sqe == NULL)
		return -EBUSY;	/* never: one SQE at a time */
	/* fixed file 0, a buffer of group URX_BGID each frame, until it ends */
	io_uring_prep_rw(IORING_OP_READ_MULTISHOT, sqe, 0, NULL, 0, 0);
	sqe->flags |= IOSQE_FIXED_FILE | IOSQE_BUFFER_SELECT;
	sqe->buf_group = URX_BGID;
	sqe->user_data = HASHTAP_UD_READ | ++u->gen;
	q->st.syscalls++;
	err = io_uring_submit(&u->ring);
	if (err < 0)
		return err;
	u->armed = true;
	return 0;
}

/* ------------------------------------------------------------ transmit */

/* A started tx queue of the port with a ring: the SQ-polling thread to share */
static int
utx_sqpoll_peer(const struct hashtap_txq *q)
{
	const struct rte_eth_dev_data *data = rte_eth_devices[q->pmd->port_id].data;
	uint16_t i;

	for (i = 0; i < data->nb_tx_queues; i++) {
		const struct hashtap_txq *o = data->tx_queues[i];

		if (o != NULL && o != q && o->utx != NULL)
			return o->utx->ring.ring_fd;
	}
	return -1;
}

int
hashtap_utx_create(struct hashtap_txq *q)
{
	uint32_t nslots = rte_align32pow2(RTE_MAX(q->nb_desc, UTX_SLOTS_MIN));
	struct io_uring_params p = { .flags = UTX_FLAGS };
	struct hashtap_utx *u;
	uint16_t i;
	int err;

	if (q->pmd->sqpoll_cpu >= 0) {
		/* sqpoll=CPU: the port's tx rings share one kernel thread on that
		 * CPU, which takes the writes off the SQ and does them */
		int peer = utx_sqpoll_peer(q);

		p.flags = (p.flags & ~IORING_SETUP_COOP_TASKRUN) | IORING_SETUP_SQPOLL |
			IORING_SETUP_SQ_AFF;
		p.sq_thread_cpu = (uint32_t)q->pmd->sqpoll_cpu;
		p.sq_thread_idle = 100;	/* ms of nothing to write before it sleeps */
		if (peer >= 0) {
			p.flags |= IORING_SETUP_ATTACH_WQ;
			p.wq_fd = (uint32_t)peer;
		}
	}
	nslots = RTE_MIN(nslots, UTX_SLOTS_MAX);
	u = rte_zmalloc("hashtap_utx", sizeof(*u) + nslots * sizeof(*u->free), RTE_CACHE_LINE_SIZE);
	if (u != NULL)
		u->slots = rte_zmalloc("hashtap_utx_slots", nslots * sizeof(*u->slots),
				       RTE_CACHE_LINE_SIZE);
	if (u == NULL || u->slots == NULL) {
		rte_free(u);
		return -ENOMEM;
	}
	u->free = (uint16_t *)(u + 1);
	u->nslots = (uint16_t)nslots;
	p.cq_entries = 2 * nslots;
	err = io_uring_queue_init_params(nslots, &u->ring, &p);
	if (err == 0) {
		err = io_uring_register_files(&u->ring, &q->fd, 1);
		if (err < 0)
			io_uring_queue_exit(&u->ring);
	}
	if (err < 0) {
		HT_LOG(ERR, "%s: tx queue %u: io_uring: %s", q->pmd->devname, q->queue_id,
		       strerror(-err));
		rte_free(u->slots);
		rte_free(u);
		return err;
	}
	for (i = 0; i < nslots; i++)
		u->free[i] = (uint16_t)(nslots - 1 - i);
	u->nfree = u->nslots;
	q->utx = u;
	return 0;
}

void
hashtap_utx_destroy(struct hashtap_txq *q)
{
	struct hashtap_utx *u = q->utx;

	if (u == NULL)
		return;
	if (!hashtap_txq_reap(q, 1000)) {
		/* never seen: a tap write completes inside io_uring_enter().
		 * The kernel may still read these mbufs: leave them (and the
		 * slots their iovecs point into) rather than free them early. */
		HT_LOG(ERR, "%s: tx queue %u: %u writes still in flight after 1 s: their mbufs are left",
		       q->pmd->devname, q->queue_id, u->inflight);
		io_uring_queue_exit(&u->ring);
		q->utx = NULL;
		return;
	}
	io_uring_queue_exit(&u->ring);
	rte_free(u->slots);
	rte_free(u);
	q->utx = NULL;
}
