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
	 * Read w[0..3], w[4..7] and w[8], the pieces the classifier writes them
	 * in (vnet_hash.c, set_report()), so that each load is forwarded from
	 * the store that wrote it; words past the input are masked off.  The
	 * tuple holds host-order (x86: little-endian) words; rte_thash_gfni()
	 * takes the input as bytes in network order, and reads it with one
	 * 64-byte load, forwarded from the one 64-byte store here.
	 */
	v = _mm512_castsi128_si512(_mm_loadu_si128((const __m128i *)(const void *)w));
	v = _mm512_inserti32x4(v, _mm_loadu_si128((const __m128i *)(const void *)&w[4]), 1);
	v = _mm512_inserti32x4(v, _mm_cvtsi32_si128((int)w[8]), 2);
	v = _mm512_maskz_shuffle_epi8((__mmask64)((1ull << (words * 4u)) - 1u), v, bswap32);
	_mm512_storeu_si512(be, v);
	return rte_thash_gfni(m, be, (int)(words * 4u));
}
