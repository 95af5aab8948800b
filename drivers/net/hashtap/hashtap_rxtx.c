/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 hashtap authors
 */

/*
 * The data path.  One readv() a received frame (the vnet header into the
 * queue's scratch, the frame straight into mbufs kept ready in a per-queue
 * stash, refilled in bulk), one writev() a sent frame (header, then the
 * mbuf segments in place: no copy, except the few header bytes an IPv4
 * checksum or TSO fix-up has to change, which are copied so that a shared
 * mbuf is never written).
 */

#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <sys/uio.h>

#include <rte_ip.h>
#include <rte_memcpy.h>
#include <rte_tcp.h>
#include <rte_udp.h>

#include "hashtap.h"

#define TX_HDR_COPY_MAX	256	/* L2 + L3 + L4 headers a fix-up may rewrite */

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

void
hashtap_rxq_drain(struct hashtap_rxq *q)
{
	if (q->nb_stash > 0)
		rte_pktmbuf_free_bulk(q->stash, q->nb_stash);
	q->nb_stash = 0;
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
	const struct hashtap_rss *rs;
	enum hashtap_hash_src src;
	struct iovec iov[2 + HASHTAP_MAX_SEGS];
	uint16_t n = 0, reads = 0;
	uint64_t bytes = 0;

	if (unlikely(atomic_load_explicit(&pmd->gone, memory_order_relaxed) ||
		     atomic_load_explicit(&pmd->foreign, memory_order_relaxed))) {
		q->st.read_errors += pmd->gone;	/* a macvtap's reads just find nothing */
		return 0;
	}
	rte_rcu_qsbr_thread_online(pmd->qs, q->queue_id);
	rs = atomic_load_explicit(&pmd->rss, memory_order_acquire);
	src = rs->src;
	iov[0].iov_base = q->hdr;
	iov[0].iov_len = HASHTAP_HDR_LEN;
	/* every read counts against nb, dropped frames too: a flood of frames
	 * the queue drops never holds the caller (and RSS updates) up */
	while (n < nb && reads++ < nb) {
		struct rte_mbuf *m;
		struct vnet_hdr h;
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
		vnet_hdr_decode(&h, q->hdr, HASHTAP_HDR_LEN, q->le);
		if (src != HASHTAP_SRC_KERNEL)
			h.hash_report = VNET_HASH_REPORT_NONE;	/* not ours to pass on */
		if (unlikely(vnet_hdr_to_mbuf(&h, m) < 0)) {
			q->st.bad_vnet_hdr++;
			rte_pktmbuf_free(m);
			continue;
		}
		if (src == HASHTAP_SRC_SOFTWARE && rs->rss.hash_types != 0) {
			struct vnet_hash_tuple t;

			h.hash_report = (uint16_t)vnet_hash_classify_mbuf(m, rs->rss.hash_types, &t);
			m->packet_type = t.ptype;
			if (h.hash_report != VNET_HASH_REPORT_NONE) {
				h.hash_value = vnet_hash_toeplitz(&rs->rss.key, &t);
				m->hash.rss = h.hash_value;
				m->ol_flags |= RTE_MBUF_F_RX_RSS_HASH;
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
		bytes += m->pkt_len;
		pkts[n++] = m;
	}
	rte_rcu_qsbr_thread_offline(pmd->qs, q->queue_id);
	q->st.packets += n;
	q->st.bytes += bytes;
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

	if (hl > TX_HDR_COPY_MAX || hl > m->pkt_len || m->l2_len < RTE_ETHER_HDR_LEN)
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

uint16_t
hashtap_tx_burst(void *queue, struct rte_mbuf **pkts, uint16_t nb)
{
	struct hashtap_txq *q = queue;
	uint8_t hdr[HASHTAP_HDR_LEN];
	uint8_t hcopy[TX_HDR_COPY_MAX];
	struct iovec iov[2 + HASHTAP_MAX_SEGS];
	uint64_t bytes = 0, sent = 0;
	uint16_t i;

	if (unlikely(atomic_load_explicit(&q->pmd->gone, memory_order_relaxed) ||
		     atomic_load_explicit(&q->pmd->foreign, memory_order_relaxed))) {
		q->st.write_errors += q->pmd->gone;	/* a macvtap's writes would vanish */
		return 0;
	}
	for (i = 0; i < nb; i++) {
		struct rte_mbuf *m = pkts[i];
		const struct rte_mbuf *seg;
		struct vnet_hdr h;
		uint32_t skip = 0;
		unsigned int niov = 0;
		ssize_t w;
		int rc = 0;

		if (unlikely(m->pkt_len < RTE_ETHER_HDR_LEN)) {
			q->st.drop_runt++;
			goto drop;
		}
		if (unlikely(m->nb_segs > HASHTAP_MAX_SEGS)) {
			q->st.drop_segs++;
			goto drop;
		}
		if (unlikely(m->ol_flags & RTE_MBUF_F_TX_UDP_SEG))
			rc = -ENOTSUP;	/* USO is not offered */
		else if (m->ol_flags & TX_HDR_FLAGS)
			rc = vnet_hdr_from_mbuf(&h, m);
		else
			memset(&h, 0, sizeof(h));
		if (unlikely(rc < 0)) {
			if (rc == -ENOTSUP)
				q->st.drop_unsupported++;
			else
				q->st.drop_offload++;
			goto drop;
		}
		vnet_hdr_encode(&h, hdr, sizeof(hdr), q->le);
		iov[niov].iov_base = hdr;
		iov[niov++].iov_len = sizeof(hdr);
		if (m->ol_flags & TX_FIXUP_FLAGS) {
			if (tx_fixup(m, hcopy, &skip) < 0) {
				q->st.drop_offload++;
				goto drop;
			}
			iov[niov].iov_base = hcopy;
			iov[niov++].iov_len = skip;
		}
		for (seg = m; seg != NULL; seg = seg->next) {
			uint32_t dl = seg->data_len;

			if (skip >= dl) {
				skip -= dl;
				continue;
			}
			if (unlikely(niov == RTE_DIM(iov))) {	/* nb_segs said less */
				q->st.drop_segs++;
				goto drop;
			}
			iov[niov].iov_base = rte_pktmbuf_mtod_offset(seg, void *, skip);
			iov[niov++].iov_len = dl - skip;
			skip = 0;
		}
		w = writev(q->fd, iov, (int)niov);
		if (unlikely(w < 0)) {
			if (errno == EAGAIN || errno == EWOULDBLOCK || errno == ENOBUFS) {
				q->st.busy++;
				break;	/* the caller keeps the rest */
			}
			if (errno == EINVAL && (m->ol_flags & TX_HDR_FLAGS)) {
				q->st.drop_offload++;	/* the kernel refused the offload request */
				goto drop;
			}
			q->st.write_errors++;
			if (errno == EBADFD || errno == EIO || errno == ENODEV || errno == ENXIO)
				break;	/* no device: stop, the caller keeps the rest */
			goto drop;	/* this frame only (EINVAL, EMSGSIZE, ...) */
		}
		sent++;
		bytes += m->pkt_len;
		rte_pktmbuf_free(m);
		continue;
drop:
		q->st.errors++;
		rte_pktmbuf_free(m);
	}
	q->st.packets += sent;
	q->st.bytes += bytes;
	return i;
}
