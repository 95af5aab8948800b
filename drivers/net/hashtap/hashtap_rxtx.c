/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 hashtap authors
 */

/*
 * The data path, two ways (devargs io=):
 *
 * syscall: one readv() a received frame (the vnet header into the queue's
 * scratch, the frame straight into mbufs kept ready in a per-queue stash,
 * refilled in bulk), one writev() a sent frame (header, then the mbuf
 * segments in place: no copy, except the few header bytes an IPv4
 * checksum or TSO fix-up has to change, which are copied so that a shared
 * mbuf is never written).
 *
 * uring: frames arrive through a multishot read into mbufs (the rings:
 * hashtap_uring.c); a burst reads the completions the kernel has posted,
 * and enters the kernel once at most, only when the kernel flagged reads
 * to run or the read must be armed again.  A tx burst's writes go in with
 * one io_uring_enter(), the vnet header in the mbuf's headroom when the
 * mbuf is the driver's alone (else a writev with the header beside it);
 * mbufs are freed when their completions are read.
 *
 * Both run the same per-frame steps: rx_frame() (header, offloads, hash,
 * counters) and tx_header()/tx_iov() (checks, header, fix-ups), and treat
 * a write error the same way (tx_write_error()).
 */

#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <sys/uio.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_ip.h>
#include <rte_memcpy.h>
#include <rte_tcp.h>
#include <rte_udp.h>

#include "hashtap.h"


static bool
stash_refill(struct hashtap_rxq *q, uint16_t need)
{
	uint16_t want = (uint16_t)(q->stash_cap - q->nb_stash);

	if (want > 0 && rte_pktmbuf_alloc_bulk(q->mp, &q->stash[q->nb_stash], want) == 0) {
		q->nb_stash = q->stash_cap;
		return true;
	}
	want = (uint16_t)(need - q->nb_stash);
	if (rte_pktmbuf_alloc_bulk(q->mp, &q->stash[q->nb_stash], want) == 0) {
		q->nb_stash = need;
		return true;
	}
	q->st.nombuf++;
	return false;
}

/* Stop, queue stop, release: the queue gives back every mbuf it holds. */
void
hashtap_rxq_drain(struct hashtap_rxq *q)
{
	if (q->nb_stash > 0)
		rte_pktmbuf_free_bulk(q->stash, q->nb_stash);
	q->nb_stash = 0;
	hashtap_urx_destroy(q);
	hashtap_vrx_destroy(q);
}

/* Take the frame's mbufs off the top of the stash and chain them. */
static struct rte_mbuf *
rx_chain(struct hashtap_rxq *q, uint32_t len)
{
	struct rte_mbuf *head = NULL, *prev = NULL;
	uint32_t left = len;
	uint16_t segs = 0;

	do {
		struct rte_mbuf *m = q->stash[--q->nb_stash];
		uint16_t room = rte_pktmbuf_tailroom(m);
		uint16_t take = left < room ? (uint16_t)left : room;

		m->data_len = take;
		m->port = q->port_id;
		left -= take;
		segs++;
		if (prev == NULL)
			head = m;
		else
			prev->next = m;
		prev = m;
	} while (left > 0);
	head->pkt_len = len;
	head->nb_segs = segs;
	return head;
}

/*
 * A frame longer than the mbufs given to readv(): its tail is in the
 * spill buffer.  Without scatter it is dropped and counted (the stash
 * mbufs are used again); with scatter the tail is copied into more mbufs,
 * so the frame arrives whole.  Rare: the kernel side raised its MTU past
 * what the queue was set up for.
 */
static struct rte_mbuf *
rx_oversize(struct hashtap_rxq *q, uint32_t len, uint32_t cap)
{
	struct rte_mbuf *head, *tail, *more[HASHTAP_MAX_SEGS];
	uint32_t left = len - cap, off = 0, room = rte_pktmbuf_data_room_size(q->mp) -
		RTE_PKTMBUF_HEADROOM;
	unsigned int n = (left + room - 1) / room, i;

	if (!q->scatter || left >= HASHTAP_SPILL_LEN || n > HASHTAP_MAX_SEGS) {
		q->st.truncated++;
		return NULL;
	}
	if (rte_pktmbuf_alloc_bulk(q->mp, more, n) != 0) {
		q->st.nombuf++;
		return NULL;
	}
	head = rx_chain(q, cap);
	for (tail = head; tail->next != NULL; tail = tail->next)
		;
	for (i = 0; i < n; i++) {
		uint16_t take = (uint16_t)RTE_MIN(left, room);

		rte_memcpy(rte_pktmbuf_mtod(more[i], void *), q->spill + off, take);
		more[i]->data_len = take;
		more[i]->port = q->port_id;
		tail->next = more[i];
		tail = more[i];
		off += take;
		left -= take;
	}
	head->pkt_len = len;
	head->nb_segs = (uint16_t)(head->nb_segs + n);
	return head;
}

/*
 * What every received frame goes through, whichever read brought it: the
 * vnet header (hdr) into the mbuf, the hash, the counters.  False if the
 * frame is dropped (m freed).
 */
static __rte_always_inline bool
rx_frame(struct hashtap_rxq *q, struct rte_mbuf *m, const uint8_t *hdr,
	 const struct hashtap_rss *rs, enum hashtap_hash_src src)
{
	struct vnet_hdr h;

	vnet_hdr_decode(&h, hdr, HASHTAP_HDR_LEN, q->le);
	if (src != HASHTAP_SRC_KERNEL)
		h.hash_report = VNET_HASH_REPORT_NONE;	/* not ours to pass on */
	if (unlikely(vnet_hdr_to_mbuf(&h, m) < 0)) {
		q->st.bad_vnet_hdr++;
		rte_pktmbuf_free(m);
		return false;
	}
	if (src == HASHTAP_SRC_SOFTWARE && rs->rss.hash_types != 0) {
		struct vnet_hash_tuple t;

		/* level INNERMOST: a tunnel of an enabled type is hashed on its
		 * inner packet (docs/tunnel-hash.md), bit for bit as the kernel */
		if (rs->tunnel_types != 0)
			h.hash_report = (uint16_t)vnet_hash_classify_mbuf_tunnel(m, rs->rss.hash_types,
								       rs->tunnel_types, &t);
		else
			h.hash_report = (uint16_t)vnet_hash_classify_mbuf(m, rs->rss.hash_types, &t);
		m->packet_type = t.ptype;
		if (h.hash_report != VNET_HASH_REPORT_NONE) {
			h.hash_value = vnet_hash_toeplitz(&rs->rss.key, &t);
			m->hash.rss = h.hash_value;
			m->ol_flags |= RTE_MBUF_F_RX_RSS_HASH;
			q->st.hash_inner += t.tunnel != 0;
		}
	} else if (src == HASHTAP_SRC_KERNEL && rs->tunnel_types != 0 &&
		   h.hash_report != VNET_HASH_REPORT_NONE) {
		struct vnet_hash_tuple t;

		/* the kernel's report names the inner L3/L4 type only: the
		 * classifier finds the tunnel for packet_type (no Toeplitz) */
		vnet_hash_classify_mbuf_tunnel(m, rs->rss.hash_types, rs->tunnel_types, &t);
		if (t.tunnel != 0) {
			m->packet_type = t.ptype;
			q->st.hash_inner++;
		}
	}
	/* the three hash counters add up to the frames received */
	if (h.hash_report == VNET_HASH_REPORT_NONE)
		q->st.hash_none++;
	else if (src == HASHTAP_SRC_KERNEL)
		q->st.hash_kernel++;
	else
		q->st.hash_software++;
	if (src != HASHTAP_SRC_NONE && rs->steer &&
	    vnet_hash_rss_queue(&rs->rss, h.hash_value, h.hash_report) != q->queue_id)
		q->st.reta_mismatch++;
	return true;
}

/*
 * A frame the kernel wrote into one mbuf, len bytes from HASHTAP_HDR_LEN
 * before its data (header in the headroom): io=uring, io=vhost.
 */
static __rte_always_inline bool
rx_in_buf(struct hashtap_rxq *q, struct rte_mbuf *m, uint32_t len, const struct hashtap_rss *rs,
	  enum hashtap_hash_src src)
{
	m->data_len = (uint16_t)(len - HASHTAP_HDR_LEN);
	m->pkt_len = m->data_len;
	m->port = q->port_id;
	return rx_frame(q, m, rte_pktmbuf_mtod(m, uint8_t *) - HASHTAP_HDR_LEN, rs, src);
}

/* io=syscall, and queues whose frames may span mbufs: one readv() a frame */
static uint16_t
rx_readv(struct hashtap_rxq *q, struct rte_mbuf **pkts, uint16_t nb, const struct hashtap_rss *rs)
{
	const enum hashtap_hash_src src = rs->rx_src;
	struct iovec iov[2 + HASHTAP_MAX_SEGS];
	uint16_t n = 0, reads = 0;
	uint64_t bytes = 0;

	iov[0].iov_base = q->hdr;
	iov[0].iov_len = HASHTAP_HDR_LEN;
	/* every read counts against nb, dropped frames too: a flood of frames
	 * the queue drops never holds the caller (and RSS updates) up */
	while (n < nb && reads++ < nb) {
		struct rte_mbuf *m;
		uint32_t cap = 0;
		ssize_t len;
		unsigned int i;

		if (q->nb_stash < q->segs_per_pkt && !stash_refill(q, q->segs_per_pkt))
			break;
		for (i = 0; i < q->segs_per_pkt; i++) {
			m = q->stash[q->nb_stash - 1 - i];
			iov[1 + i].iov_base = rte_pktmbuf_mtod(m, void *);
			iov[1 + i].iov_len = rte_pktmbuf_tailroom(m);
			cap += (uint32_t)iov[1 + i].iov_len;
		}
		iov[1 + i].iov_base = q->spill;
		iov[1 + i].iov_len = HASHTAP_SPILL_LEN;
		q->st.syscalls++;
		len = readv(q->fd, iov, 2 + q->segs_per_pkt);
		if (len < 0) {
			if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
				q->st.read_errors++;
			break;
		}
		if (len < HASHTAP_HDR_LEN + RTE_ETHER_HDR_LEN) {
			q->st.truncated++;	/* never from a kernel that took our header size */
			continue;
		}
		len -= HASHTAP_HDR_LEN;
		if (likely((uint32_t)len <= cap))
			m = rx_chain(q, (uint32_t)len);
		else if ((m = rx_oversize(q, (uint32_t)len, cap)) == NULL)
			continue;
		if (!rx_frame(q, m, q->hdr, rs, src))
			continue;
		bytes += m->pkt_len;
		pkts[n++] = m;
	}
	q->st.packets += n;
	q->st.bytes += bytes;
	return n;
}

/*
 * io=uring: the burst has to enter the kernel (the kernel flagged reads to
 * run, or the multishot read ended): take the ring if another thread had
 * it, give the buffer ring what it lacks, arm the read again or let the
 * kernel run the reads.  Returns the queue's ring (it may be a new one),
 * NULL if the queue reads with readv() from now on.
 */
static struct hashtap_urx *
rx_uring_enter(struct hashtap_rxq *q, const struct hashtap_rss *rs)
{
	struct hashtap_urx *u = q->urx;

	if (unlikely(u->owner != rte_gettid())) {
		if (hashtap_urx_adopt(q) < 0) {
			hashtap_urx_destroy(q);
			return NULL;
		}
		u = q->urx;
	}
	if (u->nfree > 0)
		hashtap_urx_refill(q);
	u->read_gen = rs->gen;
	if (!u->armed) {
		/* with no buffer the read would end at once: the pool first */
		if (u->nfree < u->nbufs && hashtap_urx_arm(q) < 0)
			q->st.read_errors++;
	} else {
		q->st.syscalls++;
		io_uring_get_events(&u->ring);
	}
	return u;
}

/* One completion of the multishot read: a frame in buffer bid, or its end. */
static __rte_always_inline void
rx_cqe(struct hashtap_rxq *q, struct hashtap_urx *u, const struct io_uring_cqe *cqe,
       struct rte_mbuf **pkts, uint16_t *n, uint64_t *bytes, const struct hashtap_rss *rs,
       enum hashtap_hash_src src)
{
	const int32_t res = cqe->res;
	struct rte_mbuf *m;
	uint16_t bid;

	if (!(cqe->flags & IORING_CQE_F_MORE) && cqe->user_data == (HASHTAP_UD_READ | u->gen))
		u->armed = false;	/* ended: ring dry (ENOBUFS), error, or cancelled */
	if (!(cqe->flags & IORING_CQE_F_BUFFER)) {
		if (res < 0 && res != -ENOBUFS && res != -ECANCELED && res != -EAGAIN &&
		    res != -EINTR)
			q->st.read_errors++;	/* the device is gone, ... */
		return;
	}
	bid = (uint16_t)(cqe->flags >> IORING_CQE_BUFFER_SHIFT);
	m = u->bufs[bid];
	u->bufs[bid] = NULL;
	u->free[u->nfree++] = bid;
	if (unlikely(res < (int32_t)(HASHTAP_HDR_LEN + RTE_ETHER_HDR_LEN) || (uint32_t)res >= u->buflen)) {
		/* a runt (never from a kernel that took our header size), or a
		 * frame that filled the buffer to its end: the read was cut
		 * (a tap's read returns what fit), so the frame is dropped
		 * and counted, as without scatter in the syscall path */
		q->st.truncated++;
		rte_pktmbuf_free(m);
		return;
	}
	if (!rx_in_buf(q, m, (uint32_t)res, rs, src))
		return;
	*bytes += m->pkt_len;
	pkts[(*n)++] = m;
}

static uint16_t
rx_uring(struct hashtap_rxq *q, struct rte_mbuf **pkts, uint16_t nb, const struct hashtap_rss *rs)
{
	const enum hashtap_hash_src src = rs->rx_src;
	struct hashtap_urx *u = q->urx;
	uint16_t n = 0, seen = 0;
	uint64_t bytes = 0;
	bool entered = false;

	/* every completion counts against nb, dropped frames too; the kernel
	 * reads at most as many frames as the queue has buffers */
	for (;;) {
		const struct io_uring_cqe *cqe;
		enum hashtap_hash_src fsrc = src;
		unsigned int head, k = 0;

		/* frames read in an earlier burst carry the kernel's hash of the
		 * state in force then: if another state came since, the same
		 * value is computed in software for the state in force now, so
		 * that every frame of a burst has a hash of a state in force
		 * during it, as in the syscall path */
		if (unlikely(src == HASHTAP_SRC_KERNEL && !entered && u->read_gen != rs->gen))
			fsrc = HASHTAP_SRC_SOFTWARE;
		io_uring_for_each_cqe(&u->ring, head, cqe) {
			if (seen + k == nb)
				break;
			k++;
			rx_cqe(q, u, cqe, pkts, &n, &bytes, rs, fsrc);
		}
		io_uring_cq_advance(&u->ring, k);
		seen = (uint16_t)(seen + k);
		if (seen == nb || entered)
			break;
		if (u->armed && !(IO_URING_READ_ONCE(*u->ring.sq.kflags) &
				  (IORING_SQ_TASKRUN | IORING_SQ_CQ_OVERFLOW)))
			break;	/* nothing to read: no syscall */
		entered = true;
		u = rx_uring_enter(q, rs);
		if (u == NULL)
			break;
	}
	if (u != NULL && u->nfree > 0)
		hashtap_urx_refill(q);
	q->st.packets += n;
	q->st.bytes += bytes;
	return n;
}

/*
 * io=vhost: the device's kernel thread wrote frames into the ring's mbufs
 * (header in the headroom); a burst takes what the used ring holds and
 * gives the ring new mbufs, entering the kernel only to kick the thread
 * when it ran out of buffers and waits.  The hash is computed here, for
 * the state of this burst: the state says so (rss_derive()).
 */
static uint16_t
rx_vhost(struct hashtap_rxq *q, struct rte_mbuf **pkts, uint16_t nb, const struct hashtap_rss *rs)
{
	const enum hashtap_hash_src src = rs->rx_src;	/* never KERNEL (rss_derive()) */
	struct hashtap_vq *v = q->vq;
	const uint16_t used = __atomic_load_n(&v->used->idx, __ATOMIC_ACQUIRE);
	uint16_t n = 0, seen = 0;
	uint64_t bytes = 0;

	/* every frame counts against nb, dropped ones too */
	while (v->used_idx != used && seen < nb) {
		uint32_t len;
		struct rte_mbuf *m = hashtap_vq_used(v, &len);

		seen++;
		if (unlikely(m == NULL)) {
			q->st.read_errors++;	/* never from vhost-net */
			continue;
		}
		/* vhost-net drops a frame longer than the buffer itself */
		if (unlikely(len < HASHTAP_HDR_LEN + RTE_ETHER_HDR_LEN || len > v->buflen)) {
			q->st.truncated++;
			rte_pktmbuf_free(m);
			continue;
		}
		if (!rx_in_buf(q, m, len, rs, src))
			continue;
		bytes += m->pkt_len;
		pkts[n++] = m;
	}
	if (v->nfree > 0)
		hashtap_vrx_refill(q);
	q->st.packets += n;
	q->st.bytes += bytes;
	return n;
}

/*
 * The hash state is read once a burst, between RCU online and offline of
 * this queue's reader id: a control update waits for the burst to end
 * before it frees the state the burst used, and a queue outside a burst
 * holds nobody up.
 */
uint16_t
hashtap_rx_burst(void *queue, struct rte_mbuf **pkts, uint16_t nb)
{
	struct hashtap_rxq *q = queue;
	const struct pmd_internals *pmd = q->pmd;
	uint16_t n;

	if (unlikely(atomic_load_explicit(&pmd->gone, memory_order_relaxed) ||
		     atomic_load_explicit(&pmd->foreign, memory_order_relaxed))) {
		q->st.read_errors += pmd->gone;	/* a macvtap's reads just find nothing */
		return 0;
	}
	if (unlikely(q->stopped))
		return 0;
	rte_rcu_qsbr_thread_online(pmd->qs, q->queue_id);
	if (q->urx != NULL)
		n = rx_uring(q, pkts, nb, atomic_load_explicit(&pmd->rss, memory_order_acquire));
	else if (q->vq != NULL)
		n = rx_vhost(q, pkts, nb, atomic_load_explicit(&pmd->rss, memory_order_acquire));
	else
		n = rx_readv(q, pkts, nb, atomic_load_explicit(&pmd->rss, memory_order_acquire));
	rte_rcu_qsbr_thread_offline(pmd->qs, q->queue_id);
	return n;
}

/* Ones' complement add of a 16-bit value kept in network order. */
static uint16_t
csum_add16(uint16_t sum, uint16_t v)
{
	uint32_t t = (uint32_t)sum + v;

	return (uint16_t)((t & 0xffff) + (t >> 16));
}

/*
 * Copy the headers that need a fix-up: the IPv4 header checksum, and for
 * TSO the TCP/UDP checksum seed, which DPDK gives without the L4 length
 * and Linux's GSO wants with it.
 */
static int
tx_fixup(const struct rte_mbuf *m, uint8_t *buf, uint32_t *copied)
{
	const uint64_t ol = m->ol_flags;
	const bool seg = (ol & (RTE_MBUF_F_TX_TCP_SEG | RTE_MBUF_F_TX_UDP_SEG)) != 0;
	uint32_t hl = (uint32_t)m->l2_len + m->l3_len + (seg ? m->l4_len : 0);
	const void *p;

	if (hl > HASHTAP_TX_HDR_COPY_MAX || hl > m->pkt_len || m->l2_len < RTE_ETHER_HDR_LEN)
		return -EINVAL;
	p = rte_pktmbuf_read(m, 0, hl, buf);
	if (p == NULL)
		return -EINVAL;
	if (p != buf)
		memcpy(buf, p, hl);
	if ((ol & RTE_MBUF_F_TX_IP_CKSUM) && (ol & RTE_MBUF_F_TX_IPV4)) {
		struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(buf + m->l2_len);

		/* rte_ipv4_cksum() reads what the IHL says: only what was copied */
		if (m->l3_len < sizeof(*ip) || rte_ipv4_hdr_len(ip) != m->l3_len)
			return -EINVAL;
		ip->hdr_checksum = 0;
		ip->hdr_checksum = rte_ipv4_cksum(ip);
	}
	if (seg) {
		uint16_t l4len;

		/* an IPv4 total length, or an IPv6 payload length, holds it all */
		if (m->pkt_len - m->l2_len - ((ol & RTE_MBUF_F_TX_IPV6) ? m->l3_len : 0) > UINT16_MAX)
			return -EINVAL;
		l4len = rte_cpu_to_be_16((uint16_t)(m->pkt_len - m->l2_len - m->l3_len));
		uint8_t *ck = buf + m->l2_len + m->l3_len + ((ol & RTE_MBUF_F_TX_TCP_SEG) ?
			offsetof(struct rte_tcp_hdr, cksum) : offsetof(struct rte_udp_hdr, dgram_cksum));
		uint16_t v;

		memcpy(&v, ck, sizeof(v));
		v = csum_add16(v, l4len);
		memcpy(ck, &v, sizeof(v));
	}
	*copied = hl;
	return 0;
}

#define TX_FIXUP_FLAGS (RTE_MBUF_F_TX_IP_CKSUM | RTE_MBUF_F_TX_TCP_SEG | RTE_MBUF_F_TX_UDP_SEG)
#define TX_HDR_FLAGS (RTE_MBUF_F_TX_L4_MASK | RTE_MBUF_F_TX_TCP_SEG | RTE_MBUF_F_TX_UDP_SEG | \
		      RTE_MBUF_F_TX_TUNNEL_MASK | RTE_MBUF_F_TX_OUTER_IP_CKSUM | \
		      RTE_MBUF_F_TX_OUTER_UDP_CKSUM)

/* Why a frame is dropped before it is written (hashtap_tx_slot.why) */
enum tx_drop {
	TX_OK,
	TX_DROP_RUNT,		/**< shorter than an Ethernet header */
	TX_DROP_SEGS,		/**< more segments than one write takes */
	TX_DROP_OFFLOAD,	/**< an offload request the kernel would refuse */
	TX_DROP_UNSUPPORTED,	/**< an offload a tap cannot do */
	TX_DROP_UNMAPPED,	/**< io=vhost: memory the vhost-net device cannot reach */
};

static void
tx_drop_count(struct hashtap_txq *q, enum tx_drop why)
{
	switch (why) {
	case TX_DROP_RUNT: q->st.drop_runt++; break;
	case TX_DROP_SEGS: q->st.drop_segs++; break;
	case TX_DROP_OFFLOAD: q->st.drop_offload++; break;
	case TX_DROP_UNSUPPORTED: q->st.drop_unsupported++; break;
	case TX_DROP_UNMAPPED: q->st.drop_unmapped++; break;
	case TX_OK: return;
	}
	q->st.errors++;
}

/* The frame's checks and its vnet header (not yet encoded). */
static __rte_always_inline enum tx_drop
tx_header(const struct rte_mbuf *m, struct vnet_hdr *h)
{
	int rc = 0;

	if (unlikely(m->pkt_len < RTE_ETHER_HDR_LEN))
		return TX_DROP_RUNT;
	if (unlikely(m->nb_segs > HASHTAP_MAX_SEGS))
		return TX_DROP_SEGS;
	if (unlikely(m->ol_flags & RTE_MBUF_F_TX_UDP_SEG))
		rc = -ENOTSUP;	/* USO is not offered */
	else if (m->ol_flags & TX_HDR_FLAGS)
		rc = vnet_hdr_from_mbuf(h, m);
	else
		memset(h, 0, sizeof(*h));
	if (unlikely(rc < 0))
		return rc == -ENOTSUP ? TX_DROP_UNSUPPORTED : TX_DROP_OFFLOAD;
	return TX_OK;
}

/*
 * The iovecs of one write: the encoded header hdr, the headers a fix-up
 * rewrote (copied into hcopy), then the segments in place.
 */
static enum tx_drop
tx_iov(const struct rte_mbuf *m, uint8_t *hdr, uint8_t *hcopy, struct iovec *iov,
       unsigned int *niovp)
{
	const struct rte_mbuf *seg;
	unsigned int niov = 0;
	uint32_t skip = 0;

	iov[niov].iov_base = hdr;
	iov[niov++].iov_len = HASHTAP_HDR_LEN;
	if (m->ol_flags & TX_FIXUP_FLAGS) {
		if (tx_fixup(m, hcopy, &skip) < 0)
			return TX_DROP_OFFLOAD;
		iov[niov].iov_base = hcopy;
		iov[niov++].iov_len = skip;
	}
	for (seg = m; seg != NULL; seg = seg->next) {
		uint32_t dl = seg->data_len;

		if (skip >= dl) {
			skip -= dl;
			continue;
		}
		if (unlikely(niov == 2 + HASHTAP_MAX_SEGS))	/* nb_segs said less */
			return TX_DROP_SEGS;
		iov[niov].iov_base = rte_pktmbuf_mtod_offset(seg, void *, skip);
		iov[niov++].iov_len = dl - skip;
		skip = 0;
	}
	*niovp = niov;
	return TX_OK;
}

/* What a failed write means, both datapaths alike */
enum tx_werr {
	TX_WERR_BUSY,		/**< EAGAIN/ENOBUFS: stop, the caller keeps the rest */
	TX_WERR_GONE,		/**< no device, link down: stop, the caller keeps the rest */
	TX_WERR_OFFLOAD,	/**< the kernel refused the offload request: drop it */
	TX_WERR_DROP,		/**< this frame only (EINVAL, EMSGSIZE, ...): drop it */
};

static enum tx_werr
tx_write_error(int err, const struct rte_mbuf *m)
{
	if (err == EAGAIN || err == EWOULDBLOCK || err == ENOBUFS)
		return TX_WERR_BUSY;
	if (err == EINVAL && (m->ol_flags & TX_HDR_FLAGS))
		return TX_WERR_OFFLOAD;
	if (err == EBADFD || err == EIO || err == ENODEV || err == ENXIO)
		return TX_WERR_GONE;
	return TX_WERR_DROP;
}

/* Count a failed write; true if the burst stops there. */
static bool
tx_werr_count(struct hashtap_txq *q, enum tx_werr w)
{
	switch (w) {
	case TX_WERR_BUSY:
		q->st.busy++;
		return true;
	case TX_WERR_OFFLOAD:
		q->st.drop_offload++;
		return false;
	case TX_WERR_GONE:
		q->st.write_errors++;
		return true;
	case TX_WERR_DROP:
		q->st.write_errors++;
		return false;
	}
	return false;
}

/* io=syscall: one writev() a frame */
static uint16_t
tx_writev(struct hashtap_txq *q, struct rte_mbuf **pkts, uint16_t nb)
{
	uint8_t hdr[HASHTAP_HDR_LEN];
	uint8_t hcopy[HASHTAP_TX_HDR_COPY_MAX];
	struct iovec iov[2 + HASHTAP_MAX_SEGS];
	uint64_t bytes = 0, sent = 0;
	uint16_t i;

	for (i = 0; i < nb; i++) {
		struct rte_mbuf *m = pkts[i];
		enum tx_drop why;
		struct vnet_hdr h;
		unsigned int niov = 0;
		ssize_t w;

		why = tx_header(m, &h);
		if (likely(why == TX_OK)) {
			vnet_hdr_encode(&h, hdr, sizeof(hdr), q->le);
			why = tx_iov(m, hdr, hcopy, iov, &niov);
		}
		if (unlikely(why != TX_OK)) {
			tx_drop_count(q, why);
			rte_pktmbuf_free(m);
			continue;
		}
		q->st.syscalls++;
		w = writev(q->fd, iov, (int)niov);
		if (unlikely(w < 0)) {
			if (tx_werr_count(q, tx_write_error(errno, m)))
				break;	/* the caller keeps the rest */
			q->st.errors++;
			rte_pktmbuf_free(m);
			continue;
		}
		sent++;
		bytes += m->pkt_len;
		rte_pktmbuf_free(m);
	}
	q->st.packets += sent;
	q->st.bytes += bytes;
	return i;
}

/* io=uring: the frame's write was taken by an earlier burst; count it, free it */
static void
tx_slot_taken_done(struct hashtap_txq *q, struct hashtap_tx_slot *s)
{
	if (s->res >= 0) {
		q->st.packets++;
		q->st.bytes += s->m->pkt_len;
	} else {
		/* nothing to give back any more: a drop, whatever the reason */
		tx_werr_count(q, tx_write_error(-s->res, s->m));
		q->st.errors++;
	}
	rte_pktmbuf_free(s->m);
	s->m = NULL;
}

/* Read the completions there are: the current burst's are kept for it to
 * decide, the earlier bursts' frames are counted and freed. */
static void
tx_uring_complete(struct hashtap_txq *q)
{
	struct hashtap_utx *u = q->utx;
	const struct io_uring_cqe *cqe;
	unsigned int head, k = 0;

	io_uring_for_each_cqe(&u->ring, head, cqe) {
		uint16_t idx = (uint16_t)cqe->user_data;
		struct hashtap_tx_slot *s = &u->slots[idx];

		k++;
		s->res = cqe->res;
		s->state = HASHTAP_SLOT_DONE;
		u->inflight--;
		if (s->taken) {
			tx_slot_taken_done(q, s);
			s->taken = false;
			u->free[u->nfree++] = idx;
		}
	}
	io_uring_cq_advance(&u->ring, k);
}

bool
hashtap_txq_reap(struct hashtap_txq *q, unsigned int wait_ms)
{
	struct hashtap_utx *u = q->utx;
	uint64_t end = rte_get_timer_cycles() + rte_get_timer_hz() * wait_ms / 1000;

	if (u == NULL)
		return true;
	tx_uring_complete(q);
	while (u->inflight > 0 && rte_get_timer_cycles() < end) {
		struct __kernel_timespec ts = { .tv_nsec = 10 * 1000 * 1000 };
		struct io_uring_cqe *cqe;

		/* submits what a failed enter left in the SQ, then waits */
		io_uring_submit(&u->ring);
		io_uring_wait_cqe_timeout(&u->ring, &cqe, &ts);
		tx_uring_complete(q);
	}
	return u->inflight == 0;
}

/* A tap write that cannot go where the mbuf is: the header in its headroom,
 * one buffer, no iovec to import.  Only for an mbuf that is the driver's
 * alone (direct, one reference) and needs no fix-up. */
static __rte_always_inline bool
tx_in_place(const struct rte_mbuf *m)
{
	return m->nb_segs == 1 && RTE_MBUF_DIRECT(m) && rte_mbuf_refcnt_read(m) == 1 &&
		!(m->ol_flags & TX_FIXUP_FLAGS) && rte_pktmbuf_headroom(m) >= HASHTAP_HDR_LEN;
}

/*
 * io=uring: every frame of the burst is checked and prepared, then the
 * writes go in with one io_uring_enter(); a tap write completes inside it,
 * so the completions are read at once.  The result is then what the
 * syscall path gives: frames are taken in order up to the first write
 * that stops a burst (busy, device gone, link down), which the caller
 * keeps with the rest; drops are counted and freed.  A write that
 * succeeded after a stopping one (the link came back between two writes)
 * was sent: the frames up to it are taken, the failed ones dropped.  A
 * write still in flight is taken; its completion, read by a later burst,
 * frees its mbuf.
 */
static uint16_t
tx_uring(struct hashtap_txq *q, struct rte_mbuf **pkts, uint16_t nb)
{
	struct hashtap_utx *u = q->utx;
	uint16_t slot[HASHTAP_TX_SLOTS_MAX];
	struct rte_mbuf *done[HASHTAP_TX_SLOTS_MAX];
	uint16_t i, ret, stop, ndone = 0, submitted = 0;
	int last = -1;
	uint64_t bytes = 0, sent = 0;

	if (u->inflight > 0)
		tx_uring_complete(q);
	nb = RTE_MIN(nb, u->nfree);
	for (i = 0; i < nb; i++) {
		struct rte_mbuf *m = pkts[i];
		struct io_uring_sqe *sqe = NULL;
		struct hashtap_tx_slot *s;
		enum tx_drop why;
		struct vnet_hdr h;

		slot[i] = u->free[--u->nfree];
		s = &u->slots[slot[i]];
		s->m = m;
		s->taken = false;
		why = tx_header(m, &h);
		if (likely(why == TX_OK) && tx_in_place(m)) {
			uint8_t *p = rte_pktmbuf_mtod(m, uint8_t *) - HASHTAP_HDR_LEN;

			sqe = io_uring_get_sqe(&u->ring);
			if (unlikely(sqe == NULL))
				goto sq_full;
			vnet_hdr_encode(&h, p, HASHTAP_HDR_LEN, q->le);
			io_uring_prep_write(sqe, 0, p, m->data_len + HASHTAP_HDR_LEN, 0);
		} else if (likely(why == TX_OK)) {
			unsigned int niov = 0;

			vnet_hdr_encode(&h, s->hdr, HASHTAP_HDR_LEN, q->le);
			why = tx_iov(m, s->hdr, s->hcopy, s->iov, &niov);
			if (why == TX_OK) {
				sqe = io_uring_get_sqe(&u->ring);
				if (unlikely(sqe == NULL))
					goto sq_full;
				io_uring_prep_writev(sqe, 0, s->iov, niov, 0);
			}
		}
		if (unlikely(why != TX_OK)) {
			s->state = HASHTAP_SLOT_REFUSED;
			s->why = (uint8_t)why;
			continue;
		}
		/* non-blocking, as writev() on the O_NONBLOCK fd: io_uring
		 * ignores O_NONBLOCK (a read of an empty tap waits for a frame) */
		sqe->rw_flags = RWF_NOWAIT;
		sqe->flags |= IOSQE_FIXED_FILE;
		sqe->user_data = slot[i];
		s->state = HASHTAP_SLOT_INFLIGHT;
		u->inflight++;
		submitted++;
		continue;
sq_full:
		/* sqpoll: a write's completion may show before its SQ entry is
		 * seen consumed; this frame and the rest stay with the caller,
		 * as from a full descriptor ring */
		s->m = NULL;
		u->free[u->nfree++] = slot[i];
		nb = i;
		break;
	}
	if (submitted > 0 || io_uring_sq_ready(&u->ring) > 0) {
		/* sqpoll: liburing enters only to wake the kernel's thread */
		if (!(u->ring.flags & IORING_SETUP_SQPOLL) ||
		    (IO_URING_READ_ONCE(*u->ring.sq.kflags) & IORING_SQ_NEED_WAKEUP))
			q->st.syscalls++;
		io_uring_submit(&u->ring);	/* what it could not take stays in flight */
		tx_uring_complete(q);
	}
	/* in order: up to the first write that stops the burst, unless a later
	 * one was sent (or is in flight: it cannot be given back) */
	stop = nb;
	for (i = 0; i < nb; i++) {
		const struct hashtap_tx_slot *s = &u->slots[slot[i]];

		if (s->state == HASHTAP_SLOT_INFLIGHT || (s->state == HASHTAP_SLOT_DONE && s->res >= 0))
			last = i;
		else if (stop == nb && s->state == HASHTAP_SLOT_DONE &&
			 tx_write_error(-s->res, s->m) <= TX_WERR_GONE)
			stop = i;
	}
	ret = last >= (int)stop ? (uint16_t)(last + 1) : stop;
	for (i = 0; i < nb; i++) {
		struct hashtap_tx_slot *s = &u->slots[slot[i]];

		if (i >= ret) {	/* the caller keeps it */
			if (i == stop)	/* what stopped the burst, counted once */
				tx_werr_count(q, tx_write_error(-s->res, s->m));
			s->m = NULL;
			u->free[u->nfree++] = slot[i];
			continue;
		}
		switch (s->state) {
		case HASHTAP_SLOT_INFLIGHT:
			s->taken = true;	/* its completion frees it */
			continue;
		case HASHTAP_SLOT_REFUSED:
			tx_drop_count(q, (enum tx_drop)s->why);
			break;
		case HASHTAP_SLOT_DONE:
			if (s->res >= 0) {
				sent++;
				bytes += s->m->pkt_len;
			} else {
				tx_werr_count(q, tx_write_error(-s->res, s->m));
				q->st.errors++;
			}
			break;
		}
		done[ndone++] = s->m;
		s->m = NULL;
		u->free[u->nfree++] = slot[i];
	}
	if (ndone > 0)
		rte_pktmbuf_free_bulk(done, ndone);
	q->st.packets += sent;
	q->st.bytes += bytes;
	return ret;
}

/*
 * io=vhost: every frame of the burst goes into the ring (one descriptor
 * for a frame whose header fits its headroom, else an indirect table:
 * header, fix-up copy, segments), then the device's kernel thread is
 * kicked if it waits for that; it writes them to the tap on its own CPU.
 * Frames are taken when they are in the ring; their mbufs are freed, and
 * counted as sent, when the used ring gives them back (a later burst, or
 * the queue's stop).  The thread does not say whether a write failed: a
 * frame the tap refuses is counted by the kernel interface (tx_dropped),
 * not here.  A full ring takes fewer frames, the caller keeps the rest.
 */
static uint16_t
tx_vhost(struct hashtap_txq *q, struct rte_mbuf **pkts, uint16_t nb)
{
	struct hashtap_vq *v = q->vq;
	const uint16_t mask = (uint16_t)(v->num - 1);
	uint16_t i, added = 0;

	if (v->pending > 0)
		hashtap_vtx_complete(q);
	for (i = 0; i < nb && v->nfree > 0; i++) {
		struct rte_mbuf *m = pkts[i];
		const uint16_t id = v->free[v->nfree - 1];
		struct vring_desc *d = &v->desc[id];
		enum tx_drop why;
		struct vnet_hdr h;

		why = tx_header(m, &h);
		if (likely(why == TX_OK) && tx_in_place(m)) {
			uint8_t *p = rte_pktmbuf_mtod(m, uint8_t *) - HASHTAP_HDR_LEN;

			if (likely(hashtap_vhost_mapped(v, p, m->data_len + HASHTAP_HDR_LEN))) {
				vnet_hdr_encode(&h, p, HASHTAP_HDR_LEN, q->le);
				d->addr = (uintptr_t)p;
				d->len = m->data_len + HASHTAP_HDR_LEN;
				d->flags = 0;
			} else {
				why = TX_DROP_UNMAPPED;
			}
		} else if (likely(why == TX_OK)) {
			struct hashtap_vtx_slot *s = &v->slots[id];
			struct vring_desc *ind = &v->ind[(size_t)id * (2 + HASHTAP_MAX_SEGS)];
			struct iovec iov[2 + HASHTAP_MAX_SEGS];
			unsigned int niov = 0, j;

			vnet_hdr_encode(&h, s->hdr, HASHTAP_HDR_LEN, q->le);
			why = tx_iov(m, s->hdr, s->hcopy, iov, &niov);
			for (j = 0; why == TX_OK && j < niov; j++) {
				if (unlikely(!hashtap_vhost_mapped(v, iov[j].iov_base, iov[j].iov_len)))
					why = TX_DROP_UNMAPPED;
				ind[j].addr = (uintptr_t)iov[j].iov_base;
				ind[j].len = (uint32_t)iov[j].iov_len;
				ind[j].flags = j + 1 < niov ? VRING_DESC_F_NEXT : 0;
				ind[j].next = (uint16_t)(j + 1);
			}
			d->addr = (uintptr_t)ind;
			d->len = (uint32_t)(niov * sizeof(*ind));
			d->flags = VRING_DESC_F_INDIRECT;
		}
		if (unlikely(why != TX_OK)) {
			tx_drop_count(q, why);
			rte_pktmbuf_free(m);
			continue;
		}
		v->nfree--;
		v->mbufs[id] = m;
		v->pending++;
		v->avail->ring[(uint16_t)(v->avail_idx + added) & mask] = id;
		added++;
	}
	if (added > 0) {
		v->avail_idx = (uint16_t)(v->avail_idx + added);
		__atomic_store_n(&v->avail->idx, v->avail_idx, __ATOMIC_RELEASE);
		hashtap_vq_notify(v, &q->st.syscalls);
	}
	return i;
}

/*
 * rte_eth_tx_done_cleanup(): free the mbufs of frames the kernel is done
 * with (io=uring: completions read; io=vhost: the used ring), all of them
 * whatever free_cnt says.  Returns how many.
 */
int
hashtap_tx_done_cleanup(void *queue, uint32_t free_cnt __rte_unused)
{
	struct hashtap_txq *q = queue;
	uint64_t before = q->st.packets + q->st.errors;

	if (q->stopped)
		return 0;
	if (q->utx != NULL)
		tx_uring_complete(q);
	else if (q->vq != NULL)
		hashtap_vtx_complete(q);
	return (int)(q->st.packets + q->st.errors - before);
}

uint16_t
hashtap_tx_burst(void *queue, struct rte_mbuf **pkts, uint16_t nb)
{
	struct hashtap_txq *q = queue;

	if (unlikely(atomic_load_explicit(&q->pmd->gone, memory_order_relaxed) ||
		     atomic_load_explicit(&q->pmd->foreign, memory_order_relaxed))) {
		q->st.write_errors += q->pmd->gone;	/* a macvtap's writes would vanish */
		return 0;
	}
	if (unlikely(q->stopped || nb == 0))
		return 0;
	if (q->utx != NULL)
		return tx_uring(q, pkts, nb);
	return q->vq != NULL ? tx_vhost(q, pkts, nb) : tx_writev(q, pkts, nb);
}
