/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 hashtap authors
 *
 * The GFNI Toeplitz of lib/vnet_hash (internal): vnet_hash_gfni.c, the one
 * file built with -mgfni -mavx512{f,bw,vl,dq,vbmi}.  vnet_hash.c calls it
 * only where vnet_hash_toeplitz_gfni_supported() says the CPU can run it.
 */

#ifndef VNET_HASH_GFNI_H
#define VNET_HASH_GFNI_H

#include <stdint.h>

/**
 * rte_thash_gfni() of the first words (1..VNET_HASH_INPUT_WORDS) of the
 * VNET_HASH_INPUT_WORDS host-order 32-bit words w[] (all of which are
 * read), with the matrices m of struct vnet_hash_key.gfni.
 */
uint32_t vnet_hash_gfni_toeplitz(const uint64_t *m, const uint32_t *w,
				 unsigned int words);

#endif /* VNET_HASH_GFNI_H */
