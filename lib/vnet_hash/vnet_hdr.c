/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 hashtap authors
 */

#include <errno.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_common.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_tcp.h>
#include <rte_udp.h>

#include "vnet_bytes.h"
#include "vnet_hash.h"
#include "vnet_hdr.h"

#define TCP_CSUM_OFF	offsetof(struct rte_tcp_hdr, cksum)	/* 16 */
#define UDP_CSUM_OFF	offsetof(struct rte_udp_hdr, dgram_cksum)	/* 6 */
#define KNOWN_FLAGS	(VNET_HDR_F_NEEDS_CSUM | VNET_HDR_F_DATA_VALID | VNET_HDR_F_RSC_INFO)

bool
vnet_hdr_is_le(bool vnet_le, bool vnet_be)
{
#if RTE_BYTE_ORDER == RTE_LITTLE_ENDIAN
	RTE_SET_USED(vnet_le);
	return !vnet_be;
#else
	RTE_SET_USED(vnet_be);
	return vnet_le;
#endif
}

int
vnet_hdr_decode(struct vnet_hdr *h, const void *buf, size_t size, bool le)
{
	const uint8_t *p = buf;

	if (size < VNET_HDR_LEN_LEGACY)
		return -EINVAL;
	memset(h, 0, sizeof(*h));
	h->flags = p[offsetof(struct vnet_wire_hdr, flags)];
	h->gso_type = p[offsetof(struct vnet_wire_hdr, gso_type)];
	h->hdr_len = vnb_ld16(p + offsetof(struct vnet_wire_hdr, hdr_len), le);
	h->gso_size = vnb_ld16(p + offsetof(struct vnet_wire_hdr, gso_size), le);
	h->csum_start = vnb_ld16(p + offsetof(struct vnet_wire_hdr, csum_start), le);
	h->csum_offset = vnb_ld16(p + offsetof(struct vnet_wire_hdr, csum_offset), le);
	if (size >= VNET_HDR_LEN_V1)
		h->num_buffers = vnb_ld16(p + offsetof(struct vnet_wire_hdr, num_buffers), le);
	if (size >= VNET_HDR_LEN_HASH) {
		h->hash_value = vnb_ld32(p + offsetof(struct vnet_wire_hdr, hash_value), VNB_LE);
		h->hash_report = vnb_ld16(p + offsetof(struct vnet_wire_hdr, hash_report), VNB_LE);
		h->padding_reserved =
			vnb_ld16(p + offsetof(struct vnet_wire_hdr, padding_reserved), VNB_LE);
	}
	return 0;
}

int
vnet_hdr_encode(const struct vnet_hdr *h, void *buf, size_t size, bool le)
{
	uint8_t *p = buf;

	if (size < VNET_HDR_LEN_LEGACY)
		return -EINVAL;
	memset(p, 0, size);
	p[offsetof(struct vnet_wire_hdr, flags)] = h->flags;
	p[offsetof(struct vnet_wire_hdr, gso_type)] = h->gso_type;
	vnb_st16(p + offsetof(struct vnet_wire_hdr, hdr_len), h->hdr_len, le);
	vnb_st16(p + offsetof(struct vnet_wire_hdr, gso_size), h->gso_size, le);
	vnb_st16(p + offsetof(struct vnet_wire_hdr, csum_start), h->csum_start, le);
	vnb_st16(p + offsetof(struct vnet_wire_hdr, csum_offset), h->csum_offset, le);
	if (size >= VNET_HDR_LEN_V1)
		vnb_st16(p + offsetof(struct vnet_wire_hdr, num_buffers), h->num_buffers, le);
	if (size >= VNET_HDR_LEN_HASH) {
		vnb_st32(p + offsetof(struct vnet_wire_hdr, hash_value), h->hash_value, VNB_LE);
		vnb_st16(p + offsetof(struct vnet_wire_hdr, hash_report), h->hash_report, VNB_LE);
		vnb_st16(p + offsetof(struct vnet_wire_hdr, padding_reserved),
		     h->padding_reserved, VNB_LE);
	}
	return 0;
}

static const char *const bad_names[VNET_HDR_BAD_MAX] = {
	[VNET_HDR_OK] = "ok",
	[VNET_HDR_BAD_FLAGS] = "bad_flags",
	[VNET_HDR_BAD_GSO_TYPE] = "bad_gso_type",
	[VNET_HDR_BAD_GSO_SIZE] = "bad_gso_size",
	[VNET_HDR_BAD_GSO_CSUM] = "bad_gso_csum",
	[VNET_HDR_BAD_CSUM] = "bad_csum",
	[VNET_HDR_BAD_HDR_LEN] = "bad_hdr_len",
	[VNET_HDR_BAD_REPORT] = "bad_report",
};

const char *
vnet_hdr_bad_name(enum vnet_hdr_bad reason)
{
	return (unsigned int)reason < VNET_HDR_BAD_MAX ? bad_names[reason] : "?";
}

enum vnet_hdr_bad
vnet_hdr_check(const struct vnet_hdr *h, uint32_t frame_len)
{
	unsigned int gso = h->gso_type & ~VNET_HDR_GSO_ECN;
	uint32_t csum_off = 0, l4_min = 0;

	if (h->flags & ~KNOWN_FLAGS)
		return VNET_HDR_BAD_FLAGS;
	if (h->hash_report > VNET_HASH_REPORT_MAX)
		return VNET_HDR_BAD_REPORT;
	switch (gso) {
	case VNET_HDR_GSO_NONE:
		if (h->gso_type != VNET_HDR_GSO_NONE)
			return VNET_HDR_BAD_GSO_TYPE;	/* ECN alone */
		break;
	case VNET_HDR_GSO_TCPV4:
	case VNET_HDR_GSO_TCPV6:
		csum_off = TCP_CSUM_OFF;
		l4_min = sizeof(struct rte_tcp_hdr);
		break;
	case VNET_HDR_GSO_UDP_L4:
		if (h->gso_type & VNET_HDR_GSO_ECN)
			return VNET_HDR_BAD_GSO_TYPE;
		csum_off = UDP_CSUM_OFF;
		l4_min = sizeof(struct rte_udp_hdr);
		break;
	default:		/* UFO is gone from the kernel's transmit side */
		return VNET_HDR_BAD_GSO_TYPE;
	}
	if (gso != VNET_HDR_GSO_NONE) {
		if (h->gso_size == 0)
			return VNET_HDR_BAD_GSO_SIZE;
		if (!(h->flags & VNET_HDR_F_NEEDS_CSUM) || h->csum_offset != csum_off)
			return VNET_HDR_BAD_GSO_CSUM;
	}
	if (h->flags & VNET_HDR_F_NEEDS_CSUM) {
		/* the checksum field, and for GSO the whole L4 header, in the frame;
		 * and an L3 header (>= 20 bytes) between Ethernet and L4 */
		uint32_t need = h->csum_start +
			RTE_MAX(l4_min, (uint32_t)h->csum_offset + 2u);

		if (h->csum_start < RTE_ETHER_HDR_LEN + sizeof(struct rte_ipv4_hdr) ||
		    need > frame_len)
			return VNET_HDR_BAD_CSUM;
	}
	if (h->hdr_len > frame_len)
		return VNET_HDR_BAD_HDR_LEN;
	return VNET_HDR_OK;
}

int
vnet_hdr_to_mbuf(const struct vnet_hdr *h, struct rte_mbuf *m)
{
	uint64_t ol = 0;

	if (h->hash_report > VNET_HASH_REPORT_MAX)
		return -EINVAL;
	switch (h->gso_type & ~VNET_HDR_GSO_ECN) {
	case VNET_HDR_GSO_NONE:
		break;
	case VNET_HDR_GSO_TCPV4:
	case VNET_HDR_GSO_TCPV6:
	case VNET_HDR_GSO_UDP_L4:
		if (h->gso_size == 0)
			return -EINVAL;
		ol |= RTE_MBUF_F_RX_LRO;
		break;
	default:
		return -EINVAL;
	}
	if (h->flags & VNET_HDR_F_DATA_VALID)
		ol |= RTE_MBUF_F_RX_L4_CKSUM_GOOD;
	else if (h->flags & VNET_HDR_F_NEEDS_CSUM)
		ol |= RTE_MBUF_F_RX_L4_CKSUM_NONE;
	if (ol & RTE_MBUF_F_RX_LRO)
		m->tso_segsz = h->gso_size;
	if (h->hash_report != VNET_HASH_REPORT_NONE) {
		ol |= RTE_MBUF_F_RX_RSS_HASH;
		m->hash.rss = h->hash_value;
		m->packet_type = vnet_hash_report_to_ptype(h->hash_report);
	}
	m->ol_flags |= ol;
	return 0;
}

int
vnet_hdr_from_mbuf(struct vnet_hdr *h, const struct rte_mbuf *m)
{
	uint64_t ol = m->ol_flags;
	uint32_t l4_start = (uint32_t)m->l2_len + m->l3_len;
	const uint64_t unsupported = RTE_MBUF_F_TX_TUNNEL_MASK |
		RTE_MBUF_F_TX_OUTER_IP_CKSUM | RTE_MBUF_F_TX_OUTER_UDP_CKSUM;

	memset(h, 0, sizeof(*h));
	if (ol & unsupported)
		return -ENOTSUP;
	if (l4_start > UINT16_MAX)
		return -EINVAL;
	if (ol & (RTE_MBUF_F_TX_TCP_SEG | RTE_MBUF_F_TX_UDP_SEG)) {
		bool tcp = (ol & RTE_MBUF_F_TX_TCP_SEG) != 0;

		if (m->tso_segsz == 0 || (tcp && (ol & RTE_MBUF_F_TX_UDP_SEG)) ||
		    m->l4_len < (tcp ? sizeof(struct rte_tcp_hdr) : sizeof(struct rte_udp_hdr)) ||
		    l4_start + m->l4_len > UINT16_MAX)
			return -EINVAL;
		if (tcp && (ol & RTE_MBUF_F_TX_IPV4))
			h->gso_type = VNET_HDR_GSO_TCPV4;
		else if (tcp && (ol & RTE_MBUF_F_TX_IPV6))
			h->gso_type = VNET_HDR_GSO_TCPV6;
		else if (!tcp)
			h->gso_type = VNET_HDR_GSO_UDP_L4;
		else
			return -EINVAL;	/* TSO needs TX_IPV4 or TX_IPV6 */
		h->gso_size = m->tso_segsz;
		h->hdr_len = (uint16_t)(l4_start + m->l4_len);
		h->flags = VNET_HDR_F_NEEDS_CSUM;
		h->csum_start = (uint16_t)l4_start;
		h->csum_offset = tcp ? TCP_CSUM_OFF : UDP_CSUM_OFF;
	} else {
		switch (ol & RTE_MBUF_F_TX_L4_MASK) {
		case RTE_MBUF_F_TX_L4_NO_CKSUM:
			break;
		case RTE_MBUF_F_TX_TCP_CKSUM:
			h->flags = VNET_HDR_F_NEEDS_CSUM;
			h->csum_start = (uint16_t)l4_start;
			h->csum_offset = TCP_CSUM_OFF;
			break;
		case RTE_MBUF_F_TX_UDP_CKSUM:
			h->flags = VNET_HDR_F_NEEDS_CSUM;
			h->csum_start = (uint16_t)l4_start;
			h->csum_offset = UDP_CSUM_OFF;
			break;
		default:	/* SCTP: a tap has no CRC32c offload */
			return -ENOTSUP;
		}
	}
	return vnet_hdr_check(h, m->pkt_len) == VNET_HDR_OK ? 0 : -EINVAL;
}
