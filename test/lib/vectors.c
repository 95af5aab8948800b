/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 hashtap authors
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pkt.h"
#include "vectors.h"

static int
parse_hex_key(const char *s, struct vec_file *v)
{
	v->key_len = 0;
	while (s[0] != '\0' && s[0] != '\n' && s[1] != '\0') {
		unsigned int b;

		if (v->key_len == sizeof(v->key) || sscanf(s, "%2x", &b) != 1)
			return -1;
		v->key[v->key_len++] = (uint8_t)b;
		s += 2;
	}
	return v->key_len >= 40 ? 0 : -1;
}

int
vec_load(const char *path, struct vec_file *v)
{
	char line[512], fam[16], src[64], dst[64];
	unsigned int sp, dp;
	unsigned long l3, l4;
	FILE *f = fopen(path, "r");
	int lineno = 0;

	if (f == NULL) {
		perror(path);
		return -1;
	}
	memset(v, 0, sizeof(*v));
	while (fgets(line, sizeof(line), f) != NULL) {
		struct vec_row *r;

		lineno++;
		if (strncmp(line, "# key: ", 7) == 0) {
			if (parse_hex_key(line + 7, v) != 0)
				goto bad;
			continue;
		}
		if (line[0] == '#' || strncmp(line, "family", 6) == 0 || line[0] == '\n')
			continue;
		if (sscanf(line, "%15s %63s %u %63s %u %lx %lx", fam, src, &sp, dst, &dp,
			   &l3, &l4) != 7 || v->n == VEC_MAX || sp > 65535 || dp > 65535)
			goto bad;
		r = &v->row[v->n];
		r->alen = pkt_addr(src, r->src);
		if (r->alen == 0 || pkt_addr(dst, r->dst) != r->alen ||
		    (strcmp(fam, "ipv4") == 0) != (r->alen == 4))
			goto bad;
		r->sport = (uint16_t)sp;
		r->dport = (uint16_t)dp;
		r->hash_l3 = (uint32_t)l3;
		r->hash_l4 = (uint32_t)l4;
		snprintf(r->name, sizeof(r->name), "%s:%u > %s:%u", src, sp, dst, dp);
		v->n++;
	}
	fclose(f);
	if (v->key_len == 0 || v->n == 0) {
		fprintf(stderr, "%s: no key line or no vectors\n", path);
		return -1;
	}
	return 0;
bad:
	fprintf(stderr, "%s:%d: cannot parse\n", path, lineno);
	fclose(f);
	return -1;
}
