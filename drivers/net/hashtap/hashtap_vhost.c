/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 hashtap authors
 */

/*
 * io=vhost: the rings of the vhost-net datapath (the bursts are in
 * hashtap_rxtx.c, beside the other two, with which they share every
 * per-frame step).
 *
 * Each started queue opens a vhost-net device of its own and gives it the
 * queue's fd as the backend of one of its two rings (rx queue: ring 0, tx
 * queue: ring 1).  The device's kernel thread, forked from the thread
 * that started the port and so on its CPUs, does the tap's reads and
 * writes: the forwarding core only fills and empties rings in memory it
 * shares with the kernel, and enters the kernel to kick the thread when
 * the ring says it waits for that.  The memory table maps every DPDK
 * memory segment list one to one (guest physical = virtual addresses), so
 * a descriptor holds an mbuf's address as it is.
 *
 * The device takes the tap's own 20-byte header on the ring (vhost-net
 * with VIRTIO_NET_F_HASH_REPORT, the hashtap kernel series): the header
 * comes from the socket and goes to it, as with readv()/writev().
 *
 * Stop: the ring's backend is removed, which waits for the kernel thread
 * to be done with it; then every mbuf in it is the driver's again.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>

#include <linux/vhost.h>
#include <linux/virtio_config.h>
#include <linux/virtio_net.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_malloc.h>
#include <rte_memory.h>
#include <rte_mempool.h>

#include "hashtap.h"

#define VHOST_DEV	"/dev/vhost-net"
#define VQ_RX		0
#define VQ_TX		1
#define VQ_NUM_MIN	32u
#define VQ_NUM_MAX	1024u
#define VQ_IND_MAX	(2 + HASHTAP_MAX_SEGS)	/* header, fix-up copy, segments */
/* The ring's header is the tap's: 20 bytes, from the socket (no
 * VHOST_NET_F_VIRTIO_NET_HDR); indirect descriptors for multi-buffer frames. */
#define VQ_FEATURES	((1ull << VIRTIO_F_VERSION_1) | (1ull << VIRTIO_RING_F_INDIRECT_DESC) | \
			 (1ull << VIRTIO_NET_F_HASH_REPORT))
#define VQ_MAX_REGIONS	HASHTAP_VQ_MAX_REGIONS

static_assert(HASHTAP_HDR_LEN == sizeof(struct virtio_net_hdr_v1_hash),
	      "the ring's header with VIRTIO_NET_F_HASH_REPORT is the tap's");

int
hashtap_vhost_probe(char *why, size_t len)
{
	uint64_t features = 0;
	int fd, err = 0;

	fd = open(VHOST_DEV, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		err = -errno;
		snprintf(why, len, "%s: %s%s", VHOST_DEV, strerror(errno),
			 errno == ENOENT ? " (modprobe vhost_net?)" : "");
		return err;
	}
	if (ioctl(fd, VHOST_GET_FEATURES, &features) < 0) {
		err = -errno;
		snprintf(why, len, "VHOST_GET_FEATURES: %s", strerror(errno));
	} else if ((features & VQ_FEATURES) != VQ_FEATURES) {
		err = -ENOTSUP;
		snprintf(why, len, "vhost-net does not take the tap's 20-byte header (no %s)",
			 !(features & (1ull << VIRTIO_NET_F_HASH_REPORT)) ?
			 "VIRTIO_NET_F_HASH_REPORT: the hashtap kernel series" :
			 "VERSION_1 or INDIRECT_DESC");
	}
	close(fd);
	return err;
}

/* ------------------------------------------------------------ memory */

struct regions {
	struct vhost_memory *mem;
	int err;
};

static int
region_add(const struct rte_memseg_list *msl, void *arg)
{
	struct regions *r = arg;
	struct vhost_memory_region *reg;

	if (msl->base_va == NULL || msl->len == 0)
		return 0;
	if (r->mem->nregions == VQ_MAX_REGIONS) {
		r->err = -E2BIG;
		return 1;
	}
	reg = &r->mem->regions[r->mem->nregions++];
	reg->guest_phys_addr = (uintptr_t)msl->base_va;
	reg->userspace_addr = (uintptr_t)msl->base_va;
	reg->memory_size = msl->len;
	return 0;
}

/*
 * The memory table: every memory segment list there is now, mapped one to
 * one, and kept in v->regions: a list added later (an external heap, say)
 * is not in the device's table, and a buffer there must not reach the
 * ring, where the device would stop at it for good.
 */
static int
vq_mem_table(struct hashtap_vq *v)
{
	struct regions r = { .err = 0 };
	uint32_t i;
	int err;

	r.mem = calloc(1, sizeof(*r.mem) + VQ_MAX_REGIONS * sizeof(r.mem->regions[0]));
	if (r.mem == NULL)
		return -ENOMEM;
	rte_memseg_list_walk(region_add, &r);
	err = r.err;
	if (err == 0 && ioctl(v->vfd, VHOST_SET_MEM_TABLE, r.mem) < 0)
		err = -errno;
	for (i = 0; err == 0 && i < r.mem->nregions; i++) {
		v->regions[i].lo = (uintptr_t)r.mem->regions[i].userspace_addr;
		v->regions[i].hi = v->regions[i].lo + r.mem->regions[i].memory_size;
	}
	v->nregions = err == 0 ? (uint16_t)r.mem->nregions : 0;
	free(r.mem);
	return err;
}

bool
hashtap_vhost_mapped(struct hashtap_vq *v, const void *p, size_t len)
{
	uintptr_t a = (uintptr_t)p;
	uint16_t i;

	if (likely(a >= v->lo && a + len <= v->hi))
		return true;
	for (i = 0; i < v->nregions; i++) {
		if (a >= v->regions[i].lo && a < v->regions[i].hi) {
			v->lo = v->regions[i].lo;
			v->hi = v->regions[i].hi;
			return a + len <= v->hi;
		}
	}
	return false;
}

struct chunk_check {
	bool ok;
};

static void
chunk_check(struct rte_mempool *mp __rte_unused, void *opaque, struct rte_mempool_memhdr *hdr,
	    unsigned int idx __rte_unused)
{
	struct chunk_check *c = opaque;
	const struct rte_memseg_list *msl = rte_mem_virt2memseg_list(hdr->addr);

	if (msl == NULL || (uintptr_t)hdr->addr + hdr->len >
	    (uintptr_t)msl->base_va + msl->len)
		c->ok = false;
}

int
hashtap_vhost_rx_check(const struct hashtap_rxq *q, char *why, size_t len)
{
	struct chunk_check c = { .ok = true };
	uint32_t room = rte_pktmbuf_data_room_size(q->mp);

	if (room < RTE_PKTMBUF_HEADROOM + RTE_ETHER_HDR_LEN || RTE_PKTMBUF_HEADROOM < HASHTAP_HDR_LEN) {
		snprintf(why, len, "mbufs of %u bytes are too small", room);
		return -EINVAL;
	}
	if (rte_pktmbuf_priv_flags(q->mp) & RTE_PKTMBUF_POOL_F_PINNED_EXT_BUF) {
		snprintf(why, len, "mempool %s has pinned external buffers, which the vhost-net device does not map",
			 q->mp->name);
		return -EINVAL;
	}
	rte_mempool_mem_iter(q->mp, chunk_check, &c);
	if (!c.ok) {
		snprintf(why, len, "mempool %s is not in DPDK's memory (the vhost-net device cannot map it)",
			 q->mp->name);
		return -EINVAL;
	}
	return 0;
}

/* ------------------------------------------------------------ rings */

/* The device closed (its thread gone), every mbuf the ring held freed. */
static void
vq_free(struct hashtap_vq *v)
{
	uint16_t i;

	if (v->kick >= 0)
		close(v->kick);
	if (v->vfd >= 0)
		close(v->vfd);
	for (i = 0; i < v->num; i++)
		if (v->mbufs[i] != NULL)
			rte_pktmbuf_free(v->mbufs[i]);
	rte_free(v->mem);
	rte_free(v);
}

/*
 * A vhost-net device with one ring (index) of num descriptors, its
 * backend fd.  tx: with indirect tables and header slots.
 */
static struct hashtap_vq *
vq_create(const struct pmd_internals *pmd, uint16_t qid, uint16_t index, uint16_t nb_desc,
	  int fd, int socket)
{
	const char *dir = index == VQ_RX ? "rx" : "tx";
	uint32_t num = rte_align32pow2(RTE_MAX((uint32_t)nb_desc, VQ_NUM_MIN));
	size_t o_avail, o_used, o_ind, o_slots, o_free, o_mbufs, size;
	struct vhost_vring_state st = { .index = index };
	struct vhost_vring_addr addr = { .index = index };
	struct vhost_vring_file vf = { .index = index };
	uint64_t features = VQ_FEATURES;
	struct hashtap_vq *v;
	const char *step;
	uint8_t *mem;
	uint16_t i;
	int err = 0;

	num = RTE_MIN(num, VQ_NUM_MAX);
	o_avail = num * sizeof(struct vring_desc);
	o_used = RTE_ALIGN_CEIL(o_avail + sizeof(struct vring_avail) + (num + 1) * sizeof(uint16_t),
				RTE_CACHE_LINE_SIZE);
	o_ind = RTE_ALIGN_CEIL(o_used + sizeof(struct vring_used) +
			       num * sizeof(struct vring_used_elem) + sizeof(uint16_t),
			       RTE_CACHE_LINE_SIZE);
	o_slots = o_ind + (index == VQ_TX ? num * VQ_IND_MAX * sizeof(struct vring_desc) : 0);
	o_free = o_slots + (index == VQ_TX ? num * sizeof(struct hashtap_vtx_slot) : 0);
	o_mbufs = RTE_ALIGN_CEIL(o_free + num * sizeof(uint16_t), sizeof(void *));
	size = o_mbufs + num * sizeof(struct rte_mbuf *);

	v = rte_zmalloc_socket("hashtap_vq", sizeof(*v), RTE_CACHE_LINE_SIZE, socket);
	mem = rte_zmalloc_socket("hashtap_vq_mem", size, 4096, socket);
	if (v == NULL || mem == NULL) {
		HT_LOG(ERR, "%s: %s queue %u: no memory for a vhost ring of %u", pmd->devname, dir,
		       qid, num);
		rte_free(mem);
		rte_free(v);
		return NULL;
	}
	v->mem = mem;
	v->vfd = -1;
	v->kick = -1;
	v->index = index;
	v->num = (uint16_t)num;
	v->desc = (struct vring_desc *)mem;
	v->avail = (struct vring_avail *)(mem + o_avail);
	v->used = (struct vring_used *)(mem + o_used);
	if (index == VQ_TX) {
		v->ind = (struct vring_desc *)(mem + o_ind);
		v->slots = (struct hashtap_vtx_slot *)(mem + o_slots);
	}
	v->free = (uint16_t *)(mem + o_free);
	v->mbufs = (struct rte_mbuf **)(mem + o_mbufs);
	for (i = 0; i < num; i++)
		v->free[i] = (uint16_t)(num - 1 - i);
	v->nfree = (uint16_t)num;
	/* we poll the used ring: never an interrupt */
	v->avail->flags = VRING_AVAIL_F_NO_INTERRUPT;

#define STEP(what, call) do { step = (what); if ((call) < 0) { err = -errno; goto fail; } } while (0)
	STEP("open " VHOST_DEV, v->vfd = open(VHOST_DEV, O_RDWR | O_CLOEXEC));
	STEP("eventfd", v->kick = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
	STEP("VHOST_SET_OWNER", ioctl(v->vfd, VHOST_SET_OWNER, NULL));
	STEP("VHOST_SET_FEATURES", ioctl(v->vfd, VHOST_SET_FEATURES, &features));
	step = "VHOST_SET_MEM_TABLE";
	err = vq_mem_table(v);
	if (err < 0)
		goto fail;
	st.num = num;
	STEP("VHOST_SET_VRING_NUM", ioctl(v->vfd, VHOST_SET_VRING_NUM, &st));
	st.num = 0;
	STEP("VHOST_SET_VRING_BASE", ioctl(v->vfd, VHOST_SET_VRING_BASE, &st));
	addr.desc_user_addr = (uintptr_t)v->desc;
	addr.avail_user_addr = (uintptr_t)v->avail;
	addr.used_user_addr = (uintptr_t)v->used;
	STEP("VHOST_SET_VRING_ADDR", ioctl(v->vfd, VHOST_SET_VRING_ADDR, &addr));
	vf.fd = v->kick;
	STEP("VHOST_SET_VRING_KICK", ioctl(v->vfd, VHOST_SET_VRING_KICK, &vf));
	vf.fd = fd;
	STEP("VHOST_NET_SET_BACKEND", ioctl(v->vfd, VHOST_NET_SET_BACKEND, &vf));
#undef STEP
	return v;
fail:
	HT_LOG(ERR, "%s: %s queue %u: vhost-net: %s: %s%s", pmd->devname, dir, qid, step,
	       strerror(-err), err == -E2BIG ? " (more than 64 DPDK memory segment lists)" : "");
	vq_free(v);
	return NULL;
}

/*
 * The ring without a backend: the kernel thread finished with it (the
 * ioctl waits for it), nothing touches the ring or its buffers after.
 */
static void
vq_detach(const struct pmd_internals *pmd, struct hashtap_vq *v, uint16_t qid)
{
	struct vhost_vring_file vf = { .index = v->index, .fd = -1 };

	if (ioctl(v->vfd, VHOST_NET_SET_BACKEND, &vf) < 0)
		HT_LOG(ERR, "%s: %s queue %u: vhost-net: removing the backend: %s", pmd->devname,
		       v->index == VQ_RX ? "rx" : "tx", qid, strerror(errno));
}

void
hashtap_vq_notify(struct hashtap_vq *v, uint64_t *syscalls)
{
	/* the new avail index before the kernel's flag: the kernel sets the
	 * flag, then reads the index again (vhost_enable_notify) */
	rte_atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (__atomic_load_n(&v->used->flags, __ATOMIC_RELAXED) & VRING_USED_F_NO_NOTIFY)
		return;
	(*syscalls)++;
	if (eventfd_write(v->kick, 1) < 0)
		HT_LOG(DEBUG, "kick: %s", strerror(errno));
}

/* ------------------------------------------------------------ receive */

void
hashtap_vrx_refill(struct hashtap_rxq *q)
{
	struct hashtap_vq *v = q->vq;
	const uint16_t mask = (uint16_t)(v->num - 1);
	struct rte_mbuf *m[64];
	uint16_t added = 0;

	while (v->nfree > 0) {
		unsigned int k = hashtap_rx_alloc(q, m, RTE_MIN(v->nfree, RTE_DIM(m))), i;

		if (k == 0)
			break;
		for (i = 0; i < k; i++) {
			uint16_t id = v->free[--v->nfree];
			struct vring_desc *d = &v->desc[id];

			v->mbufs[id] = m[i];
			d->addr = (uintptr_t)rte_pktmbuf_mtod(m[i], uint8_t *) - HASHTAP_HDR_LEN;
			d->len = v->buflen;
			d->flags = VRING_DESC_F_WRITE;
			v->avail->ring[(uint16_t)(v->avail_idx + added) & mask] = id;
			added++;
		}
	}
	if (added == 0)
		return;
	v->avail_idx = (uint16_t)(v->avail_idx + added);
	__atomic_store_n(&v->avail->idx, v->avail_idx, __ATOMIC_RELEASE);
	hashtap_vq_notify(v, &q->st.syscalls);
}

int
hashtap_vrx_create(struct hashtap_rxq *q)
{
	struct hashtap_vq *v;

	v = vq_create(q->pmd, q->queue_id, VQ_RX, q->nb_desc, q->fd, q->mp->socket_id);
	if (v == NULL)
		return -EIO;
	/* the header in the headroom, the frame to the end of the buffer */
	v->buflen = rte_pktmbuf_data_room_size(q->mp) - RTE_PKTMBUF_HEADROOM + HASHTAP_HDR_LEN;
	q->vq = v;
	hashtap_vrx_refill(q);
	return 0;
}

void
hashtap_vrx_destroy(struct hashtap_rxq *q)
{
	struct hashtap_vq *v = q->vq;
	uint16_t used;

	if (v == NULL)
		return;
	q->vq = NULL;
	vq_detach(q->pmd, v, q->queue_id);
	/* frames the kernel wrote that no burst took: dropped */
	used = __atomic_load_n(&v->used->idx, __ATOMIC_ACQUIRE);
	q->st.stopped += (uint16_t)(used - v->used_idx);
	vq_free(v);
}

/* ------------------------------------------------------------ transmit */

int
hashtap_vtx_create(struct hashtap_txq *q)
{
	struct hashtap_vq *v;

	v = vq_create(q->pmd, q->queue_id, VQ_TX, q->nb_desc, q->fd, SOCKET_ID_ANY);
	if (v == NULL)
		return -EIO;
	q->vq = v;
	return 0;
}

/* The frames the kernel thread has sent: counted, their mbufs freed. */
void
hashtap_vtx_complete(struct hashtap_txq *q)
{
	struct hashtap_vq *v = q->vq;
	const uint16_t used = __atomic_load_n(&v->used->idx, __ATOMIC_ACQUIRE);
	struct rte_mbuf *done[64];
	unsigned int n = 0;

	while (v->used_idx != used) {
		uint32_t len;
		struct rte_mbuf *m = hashtap_vq_used(v, &len);

		if (unlikely(m == NULL)) {
			q->st.write_errors++;	/* never from vhost-net */
			continue;
		}
		v->pending--;
		q->st.packets++;
		q->st.bytes += m->pkt_len;
		done[n++] = m;
		if (n == RTE_DIM(done)) {
			rte_pktmbuf_free_bulk(done, n);
			n = 0;
		}
	}
	if (n > 0)
		rte_pktmbuf_free_bulk(done, n);
}

bool
hashtap_vtx_reap(struct hashtap_txq *q, unsigned int wait_ms)
{
	struct hashtap_vq *v = q->vq;
	uint64_t end = rte_get_timer_cycles() + rte_get_timer_hz() * wait_ms / 1000;
	bool kicked = false;

	if (v == NULL)
		return true;
	for (;;) {
		hashtap_vtx_complete(q);
		if (v->pending == 0 || rte_get_timer_cycles() >= end)
			break;
		if (!kicked) {
			/* the thread may wait for a kick it was not given */
			kicked = true;
			if (eventfd_write(v->kick, 1) < 0)
				HT_LOG(DEBUG, "kick: %s", strerror(errno));
		}
		rte_delay_us_sleep(1000);
	}
	return v->pending == 0;
}

void
hashtap_vtx_destroy(struct hashtap_txq *q)
{
	struct hashtap_vq *v = q->vq;
	uint16_t left;

	if (v == NULL)
		return;
	hashtap_vtx_reap(q, 1000);
	vq_detach(q->pmd, v, q->queue_id);
	hashtap_vtx_complete(q);	/* what the thread sent before it let go */
	left = v->pending;
	if (left > 0) {
		/* the kernel will not send them any more: they are dropped */
		HT_LOG(WARNING, "%s: tx queue %u: %u frames the kernel had not sent after 1 s: dropped",
		       q->pmd->devname, q->queue_id, left);
		q->st.errors += left;
		q->st.write_errors += left;
	}
	q->vq = NULL;
	vq_free(v);
}
