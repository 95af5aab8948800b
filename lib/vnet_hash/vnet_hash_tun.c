/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 hashtap authors
 */

#include <errno.h>
#include <stdlib.h>
#include <sys/ioctl.h>

#include <rte_byteorder.h>

#include "tun_vnet_hash_uapi.h"
#include "vnet_hash_tun.h"

int
vnet_hash_tun_probe(int fd, struct vnet_hash_cap *cap)
{
	struct vnet_hash_tun_cap raw = { 0 };

	if (ioctl(fd, VNET_HASH_TUNGETVNETHASHCAP, &raw) != 0)
		return -errno;
	cap->supported_hash_types = rte_le_to_cpu_32(raw.supported_hash_types);
	cap->max_key_size = raw.rss_max_key_size;
	cap->max_table_length = rte_le_to_cpu_16(raw.rss_max_indirection_table_length);
	cap->supported_tunnel_types = rte_le_to_cpu_32(raw.supported_tunnel_types);
	return 0;
}

int
vnet_hash_tun_set_hash(int fd, const struct vnet_hash_config *c)
{
	uint8_t buf[VNET_WIRE_HASH_CONFIG_KEY_OFF + VNET_HASH_KEY_MAX];
	int len = vnet_hash_config_encode(c, buf, sizeof(buf));

	if (len < 0)
		return len;
	return ioctl(fd, VNET_HASH_TUNSETVNETHASH, buf) == 0 ? 0 : -errno;
}

int
vnet_hash_tun_set_rss(int fd, const struct vnet_hash_rss *r)
{
	size_t cap = VNET_WIRE_RSS_CONFIG_TABLE_OFF + 2u * VNET_HASH_RETA_MAX + 3 +
		VNET_HASH_KEY_MAX;
	uint8_t *buf = malloc(cap);
	int len, ret;

	if (buf == NULL)
		return -ENOMEM;
	len = vnet_hash_rss_encode(r, buf, cap);
	if (len < 0)
		ret = len;
	else
		ret = ioctl(fd, VNET_HASH_TUNSETVNETRSS, buf) == 0 ? 0 : -errno;
	free(buf);
	return ret;
}

int
vnet_hash_tun_set_tunnel(int fd, uint32_t enabled_tunnel_types)
{
	uint8_t buf[VNET_WIRE_HASH_TUNNEL_LEN];
	int len = vnet_hash_tunnel_encode(enabled_tunnel_types, buf, sizeof(buf));

	if (len < 0)
		return len;
	return ioctl(fd, VNET_HASH_TUNSETVNETHASHTUNNEL, buf) == 0 ? 0 : -errno;
}
