/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 hashtap authors
 */

#ifndef VNET_HDR_H
#define VNET_HDR_H

/**
 * @file
 * The vnet header codec: the 10/12/20-byte virtio-net header that tun/tap
 * queues with IFF_VNET_HDR put before every frame, decoded to host order
 * and back, checked the way the kernel checks it, and mapped to and from
 * mbuf offload fields for the PMD.
 *
 * Endianness: flags/gso_type are bytes; hdr_len, gso_size, csum_start,
 * csum_offset and num_buffers follow the queue's TUNSETVNETLE/TUNSETVNETBE
 * setting (legacy virtio is host-endian; see vnet_hdr_is_le()); the hash
 * fields of the 20-byte header are always little-endian.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "virtio_net_hash_wire.h"

struct rte_mbuf;

/** The whole header, host order. */
struct vnet_hdr {
	uint8_t flags;		/**< VNET_HDR_F_* */
	uint8_t gso_type;	/**< VNET_HDR_GSO_* */
	uint16_t hdr_len;
	uint16_t gso_size;
	uint16_t csum_start;
	uint16_t csum_offset;
	uint16_t num_buffers;
	uint32_t hash_value;
	uint16_t hash_report;	/**< enum vnet_hash_report */
	uint16_t padding_reserved;
};

/**
 * Byte order of the 16-bit fields for a queue, given whether TUNSETVNETLE
 * and TUNSETVNETBE were set on it: little-endian hosts are little-endian
 * unless TUNSETVNETBE, big-endian hosts big-endian unless TUNSETVNETLE.
 */
bool vnet_hdr_is_le(bool vnet_le, bool vnet_be);

/**
 * Decode @p size bytes (>= VNET_HDR_LEN_LEGACY).  Fields a smaller header
 * does not have are 0; bytes past 20 are ignored.
 * @return 0, or -EINVAL if size is too small.
 */
int vnet_hdr_decode(struct vnet_hdr *h, const void *buf, size_t size, bool le);

/**
 * Encode into @p size bytes (>= VNET_HDR_LEN_LEGACY): the fields that fit,
 * zeros in every other byte.
 * @return 0, or -EINVAL if size is too small.
 */
int vnet_hdr_encode(const struct vnet_hdr *h, void *buf, size_t size, bool le);

/** Why a header is refused (vnet_hdr_check). */
enum vnet_hdr_bad {
	VNET_HDR_OK = 0,
	VNET_HDR_BAD_FLAGS,	/**< unknown flag bits */
	VNET_HDR_BAD_GSO_TYPE,	/**< unknown gso_type */
	VNET_HDR_BAD_GSO_SIZE,	/**< GSO with gso_size 0 */
	VNET_HDR_BAD_GSO_CSUM,	/**< GSO without a matching NEEDS_CSUM */
	VNET_HDR_BAD_CSUM,	/**< csum_start/offset outside the frame */
	VNET_HDR_BAD_HDR_LEN,	/**< hdr_len past the frame */
	VNET_HDR_BAD_REPORT,	/**< hash_report above the last report value */
	VNET_HDR_BAD_MAX,
};

/**
 * Check a header against the frame of @p frame_len bytes it comes with,
 * as strictly as the kernel's virtio_net_hdr_to_skb() and a little more:
 * GSO must come with NEEDS_CSUM at the TCP/UDP checksum.  A header that
 * passes never makes the kernel refuse or warn about the frame.
 * @return VNET_HDR_OK or the reason.
 */
enum vnet_hdr_bad vnet_hdr_check(const struct vnet_hdr *h, uint32_t frame_len);

/** "ok", "bad_flags", ... for counters and logs. */
const char *vnet_hdr_bad_name(enum vnet_hdr_bad reason);

/**
 * Receive side: set @p m's offload fields from the header that came with
 * it.  DATA_VALID -> RTE_MBUF_F_RX_L4_CKSUM_GOOD; NEEDS_CSUM ->
 * RTE_MBUF_F_RX_L4_CKSUM_NONE (data intact, checksum field partial); GSO ->
 * RTE_MBUF_F_RX_LRO with tso_segsz; a hash report -> hash.rss,
 * RTE_MBUF_F_RX_RSS_HASH and the L3/L4 packet_type it implies.
 * @return 0, or -EINVAL for a header no kernel writes (m unchanged).
 */
int vnet_hdr_to_mbuf(const struct vnet_hdr *h, struct rte_mbuf *m);

/**
 * Transmit side: the header for @p m's offload requests
 * (RTE_MBUF_F_TX_TCP_CKSUM/UDP_CKSUM/TCP_SEG/UDP_SEG with l2_len, l3_len,
 * l4_len, tso_segsz).  The IPv4 header checksum is the caller's.
 * @return 0, -ENOTSUP for offloads a tap cannot do (SCTP, tunnels), or
 *   -EINVAL for requests the kernel would refuse (see vnet_hdr_check()).
 */
int vnet_hdr_from_mbuf(struct vnet_hdr *h, const struct rte_mbuf *m);

#endif /* VNET_HDR_H */
