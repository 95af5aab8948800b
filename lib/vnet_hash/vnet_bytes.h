/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 hashtap authors
 *
 * Unaligned big/little-endian loads and stores for the wire formats
 * (internal to lib/vnet_hash).
 */

#ifndef VNET_BYTES_H
#define VNET_BYTES_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <rte_byteorder.h>

static inline uint16_t
vnb_ld16(const uint8_t *p, bool le)
{
	uint16_t v;

	memcpy(&v, p, sizeof(v));
	return le ? rte_le_to_cpu_16(v) : rte_be_to_cpu_16(v);
}

static inline uint32_t
vnb_ld32(const uint8_t *p, bool le)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return le ? rte_le_to_cpu_32(v) : rte_be_to_cpu_32(v);
}

static inline void
vnb_st16(uint8_t *p, uint16_t v, bool le)
{
	v = le ? rte_cpu_to_le_16(v) : rte_cpu_to_be_16(v);
	memcpy(p, &v, sizeof(v));
}

static inline void
vnb_st32(uint8_t *p, uint32_t v, bool le)
{
	v = le ? rte_cpu_to_le_32(v) : rte_cpu_to_be_32(v);
	memcpy(p, &v, sizeof(v));
}

#define VNB_BE false
#define VNB_LE true

#endif /* VNET_BYTES_H */
