/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 hashtap authors
 *
 * Reader of the Toeplitz reference vectors (toeplitz-ms.tsv): a "# key:"
 * line, then family, src_addr, src_port, dst_addr, dst_port, hash_l3,
 * hash_l4 per row.
 */

#ifndef HASHTAP_TEST_VECTORS_H
#define HASHTAP_TEST_VECTORS_H

#include <stdint.h>

#define VEC_MAX 64

struct vec_row {
	int alen;		/**< 4 or 16 */
	uint8_t src[16], dst[16];
	uint16_t sport, dport;
	uint32_t hash_l3, hash_l4;
	char name[160];		/**< "src:port > dst:port" */
};

struct vec_file {
	uint8_t key[256];
	unsigned int key_len;
	unsigned int n;
	struct vec_row row[VEC_MAX];
};

/** Read a vectors file; 0 on success, -1 with a message on stderr. */
int vec_load(const char *path, struct vec_file *v);

#endif
