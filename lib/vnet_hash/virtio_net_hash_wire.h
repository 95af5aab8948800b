/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 hashtap authors
 */

#ifndef VIRTIO_NET_HASH_WIRE_H
#define VIRTIO_NET_HASH_WIRE_H

/**
 * @file
 * Wire formats of the virtio-net header and of the hash/RSS control
 * commands (virtio 1.2/1.3, "Network Device"), declared here on purpose:
 * the system's <linux/virtio_net.h> spells the hash field differently
 * across kernel versions (hash_value vs hash_value_lo/hash_value_hi), so
 * hashtap never depends on it.  All multi-byte fields of the v1 formats
 * are little-endian on the wire; the first five 16-bit fields of the
 * packet header follow the TUNSETVNETLE/TUNSETVNETBE rules instead (see
 * vnet_hdr.h).
 */

#include <assert.h>
#include <stddef.h>
#include <stdint.h>

/* virtio_net_hdr.flags */
#define VNET_HDR_F_NEEDS_CSUM	1u	/**< csum_start/offset are valid */
#define VNET_HDR_F_DATA_VALID	2u	/**< checksum already validated */
#define VNET_HDR_F_RSC_INFO	4u	/**< gso fields carry RSC info */

/* virtio_net_hdr.gso_type */
#define VNET_HDR_GSO_NONE	0u
#define VNET_HDR_GSO_TCPV4	1u
#define VNET_HDR_GSO_UDP	3u	/**< UFO, obsolete */
#define VNET_HDR_GSO_TCPV6	4u
#define VNET_HDR_GSO_UDP_L4	5u	/**< USO */
#define VNET_HDR_GSO_ECN	0x80u

/** Header sizes a tun/tap queue can be configured with (TUNSETVNETHDRSZ). */
#define VNET_HDR_LEN_LEGACY	10u	/**< struct virtio_net_hdr */
#define VNET_HDR_LEN_V1		12u	/**< struct virtio_net_hdr_v1 / _mrg_rxbuf */
#define VNET_HDR_LEN_HASH	20u	/**< struct virtio_net_hdr_v1_hash */

/**
 * struct virtio_net_hdr_v1_hash as it is on the wire (20 bytes).
 * The hash fields are byte arrays: little-endian, no alignment assumed,
 * and no dependence on how a system header spells them.
 */
struct vnet_wire_hdr {
	uint8_t flags;
	uint8_t gso_type;
	uint16_t hdr_len;		/**< TUNSETVNETLE rules */
	uint16_t gso_size;		/**< TUNSETVNETLE rules */
	uint16_t csum_start;		/**< TUNSETVNETLE rules */
	uint16_t csum_offset;		/**< TUNSETVNETLE rules */
	uint16_t num_buffers;		/**< only in headers >= 12 bytes */
	uint8_t hash_value[4];		/**< le32, only in headers >= 20 bytes */
	uint8_t hash_report[2];		/**< le16 */
	uint8_t padding_reserved[2];	/**< le16 */
};
static_assert(sizeof(struct vnet_wire_hdr) == VNET_HDR_LEN_HASH,
	      "virtio_net_hdr_v1_hash is 20 bytes");
static_assert(offsetof(struct vnet_wire_hdr, hash_value) == 12,
	      "hash_value follows the 12-byte v1 header");

/*
 * struct virtio_net_hash_config (VIRTIO_NET_CTRL_MQ_HASH_CONFIG):
 *   le32 hash_types; le16 reserved[4]; u8 hash_key_length;
 *   u8 hash_key_data[hash_key_length];
 * struct virtio_net_rss_config (VIRTIO_NET_CTRL_MQ_RSS_CONFIG):
 *   le32 hash_types; le16 indirection_table_mask; le16 unclassified_queue;
 *   le16 indirection_table[mask + 1]; le16 max_tx_vq; u8 hash_key_length;
 *   u8 hash_key_data[hash_key_length];
 * Both are packed byte streams whose key does not start at a C struct
 * boundary, so they are built and parsed by vnet_hash_config_encode/decode
 * and vnet_hash_rss_encode/decode (vnet_hash.h), never cast.
 */
#define VNET_WIRE_HASH_CONFIG_KEY_OFF	13u	/**< offset of hash_key_data */
#define VNET_WIRE_RSS_CONFIG_TABLE_OFF	8u	/**< offset of indirection_table */

/*
 * VIRTIO_NET_F_HASH_TUNNEL (feature 51): class VIRTIO_NET_CTRL_HASH_TUNNEL
 * (7), command VIRTIO_NET_CTRL_HASH_TUNNEL_SET (0), whose data is struct
 * virtnet_hash_tunnel { le32 enabled_tunnel_types; } (vnet_hash_tunnel_encode
 * and _decode).
 */
#define VNET_WIRE_F_HASH_TUNNEL		51u
#define VNET_WIRE_CTRL_HASH_TUNNEL	7u
#define VNET_WIRE_CTRL_HASH_TUNNEL_SET	0u
#define VNET_WIRE_HASH_TUNNEL_LEN	4u

#endif /* VIRTIO_NET_HASH_WIRE_H */
