/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 hashtap authors
 *
 * Toeplitz with GFNI and AVX-512: DPDK's header-only rte_thash_gfni().
 * Debian builds DPDK for the baseline ISA, so the library cannot offer it
 * (rte_thash_gfni_supported() answers 0 there): this file alone is compiled
 * with -mgfni -mavx512f -mavx512bw -mavx512vl -mavx512dq -mavx512vbmi
 * (lib/meson.build), and nothing here runs unless vnet_hash.c found those
 * features on the CPU.  The header's public rte_thash_gfni() calls its own
 * __rte_internal helpers, hence ALLOW_INTERNAL_API (gcc refuses the calls
 * when it does not inline them, as at -O0).
 */

#define ALLOW_EXPERIMENTAL_API
#define ALLOW_INTERNAL_API

#include <immintrin.h>

#include <rte_thash.h>

#include "vnet_hash_gfni.h"

#ifndef RTE_THASH_GFNI_DEFINED
#error "vnet_hash_gfni.c needs -mgfni -mavx512f ... (see lib/meson.build)"
#endif

uint32_t
vnet_hash_gfni_toeplitz(const uint64_t *m, const uint32_t *w, unsigned int words)
{
	/* vpshufb indices that reverse the bytes of each 32-bit word */
	const __m512i bswap32 = _mm512_broadcast_i32x4(_mm_set_epi8(
		12, 13, 14, 15, 8, 9, 10, 11, 4, 5, 6, 7, 0, 1, 2, 3));
	uint8_t be[64];
	__m512i v;

	/*
	 * The tuple holds host-order (x86: little-endian) words; rte_thash_gfni()
	 * takes the input as bytes in network order.  A masked load reads no
	 * word past w[words - 1].
	 */
	v = _mm512_maskz_loadu_epi32((__mmask16)((1u << words) - 1u), w);
	_mm512_storeu_si512(be, _mm512_shuffle_epi8(v, bswap32));
	return rte_thash_gfni(m, be, (int)(words * 4u));
}
