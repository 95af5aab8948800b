/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 hashtap authors
 */

#ifndef VNET_HASH_TUN_H
#define VNET_HASH_TUN_H

/**
 * @file
 * Driving the kernel feature of kernel-patch/ on a tun/tap fd: probe,
 * configure hash reporting, configure RSS.  Every call returns 0 or
 * -errno as the kernel said it.
 */

#include <stdint.h>

#include "vnet_hash.h"

/** What the kernel can hash (TUNGETVNETHASHCAP), host order. */
struct vnet_hash_cap {
	uint32_t supported_hash_types;
	uint8_t max_key_size;
	uint16_t max_table_length;
	uint32_t supported_tunnel_types;	/**< VNET_HASH_TUNNEL_* */
};

/**
 * Probe the kernel: 0 and *cap when it has the feature, else the error a
 * kernel without it (or with another variant) answers: -ENOTTY, -EINVAL,
 * or -EBADFD on an unattached fd of a kernel without it.  Works on any
 * open /dev/net/tun fd.
 */
int vnet_hash_tun_probe(int fd, struct vnet_hash_cap *cap);

/** TUNSETVNETHASH: report with these types and key (types 0: all off). */
int vnet_hash_tun_set_hash(int fd, const struct vnet_hash_config *c);

/** TUNSETVNETRSS: steer and report by this RSS state. */
int vnet_hash_tun_set_rss(int fd, const struct vnet_hash_rss *r);

/**
 * TUNSETVNETHASHTUNNEL: hash the inner header of these encapsulation types
 * (VNET_HASH_TUNNEL_*; 0: none), for reporting and RSS alike.
 */
int vnet_hash_tun_set_tunnel(int fd, uint32_t enabled_tunnel_types);

#endif /* VNET_HASH_TUN_H */
