/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 hashtap authors
 */

#ifndef TUN_VNET_HASH_UAPI_H
#define TUN_VNET_HASH_UAPI_H

/**
 * @file
 * The one userspace copy of the tun/tap virtio-net hash uAPI that
 * kernel-patch/ adds to <linux/if_tun.h> (no installed header has it).
 * The ioctl numbers are spelled with sizes instead of the kernel's struct
 * names: struct virtio_net_hash_config and struct virtio_net_rss_config
 * are both 16 bytes as C structs (padding included), whatever their wire
 * length; test/unit checks that against the system's <linux/virtio_net.h>.
 * The arguments are the virtio wire formats: build them with
 * vnet_hash_config_encode() and vnet_hash_rss_encode().
 */

#include <stdint.h>
#include <sys/ioctl.h>

/**
 * TUNGETVNETHASHCAP: the virtio-net config-space fields of hashing,
 * little-endian (supported_tunnel_types: VIRTIO_NET_F_HASH_TUNNEL's).
 */
struct vnet_hash_tun_cap {
	uint32_t supported_hash_types;	/**< le32 */
	uint8_t rss_max_key_size;
	uint8_t reserved;
	uint16_t rss_max_indirection_table_length;	/**< le16 */
	uint32_t supported_tunnel_types;	/**< le32 */
};

#define VNET_HASH_TUNGETVNETHASHCAP	_IOR('T', 232, struct vnet_hash_tun_cap)
#define VNET_HASH_TUNSETVNETHASH	_IOW('T', 233, uint8_t[16])
#define VNET_HASH_TUNSETVNETRSS		_IOW('T', 234, uint8_t[16])
/** Read back: the wire format as set; buffers sized for the largest one. */
#define VNET_HASH_TUNGETVNETHASH	_IOR('T', 235, uint8_t[16])
#define VNET_HASH_TUNGETVNETRSS		_IOR('T', 236, uint8_t[16])
/**
 * VIRTIO_NET_CTRL_HASH_TUNNEL_SET's struct virtnet_hash_tunnel (le32
 * enabled_tunnel_types; vnet_hash_tunnel_encode()), and read back.
 */
#define VNET_HASH_TUNSETVNETHASHTUNNEL	_IOW('T', 237, uint32_t)
#define VNET_HASH_TUNGETVNETHASHTUNNEL	_IOR('T', 238, uint32_t)

#endif /* TUN_VNET_HASH_UAPI_H */
