/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 hashtap authors
 *
 * Unit tests of lib/vnet_hash: Toeplitz against the reference vectors,
 * on both implementations (rte_softrss_be() and, where the CPU has GFNI and
 * AVX-512, rte_thash_gfni()) and which one the dispatch picks; the
 * classifier against the spec's rules (expected values come from the
 * vectors' tuples, never from the code under test), truncation, the
 * control-command and vnet-header codecs, the DPDK mappings.
 *
 * Usage: test-vnet-hash VECTORS.tsv [VECTORS.tsv ...]
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/virtio_net.h>
#include <netinet/in.h>

#include <rte_byteorder.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>
#include <rte_net.h>

#include "pkt.h"
#include "rnd.h"
#include "rte_pmd_hashtap.h"
#include "check.h"
#include "tun_vnet_hash_uapi.h"
#include "vectors.h"
#include "vnet_hash.h"
#include "vnet_hdr.h"

#define ALL	VNET_HASH_TYPE_ALL
#define EX	(VNET_HASH_TYPE_IP_EX | VNET_HASH_TYPE_TCP_EX | VNET_HASH_TYPE_UDP_EX)
#define NOEX	(ALL & ~EX)

static struct vnet_hash_key key;

/* The Toeplitz implementation chosen at load, and why GFNI cannot be
 * compared here (NULL: it can). */
static const char *impl_at_load;
static const char *gfni_skip;

/* Frames the classifier cases built, kept for the truncation sweep. */
#define MAX_FRAMES 512
static struct saved {
	uint8_t *b;
	uint32_t len;
	uint32_t types;
	char name[256];
} saved[MAX_FRAMES];
static unsigned int nsaved;

/* Tunnelled frames, for their own truncation sweep. */
static struct saved tnl_saved[MAX_FRAMES];
static unsigned int ntnl_saved;
/* The raw key behind key, for the oracle. */
static const uint8_t *key_bytes;

/* ------------------------------------------------------------------ */
/* An independent Toeplitz oracle, bit by bit, for keys other than the
 * vectors' (the vectors themselves need no oracle). */
static uint32_t
oracle_toeplitz(const uint8_t *k, const uint8_t *in, unsigned int n)
{
	uint32_t r = 0, i, b;

	for (i = 0; i < n * 8; i++) {
		uint32_t win = 0;

		if (!(in[i / 8] & (0x80 >> (i % 8))))
			continue;
		for (b = 0; b < 32; b++)
			win = win << 1 | ((k[(i + b) / 8] >> (7 - (i + b) % 8)) & 1);
		r ^= win;
	}
	return r;
}

/* A tuple as the spec orders it: src, dst, sport, dport (network order). */
static unsigned int
tuple_bytes(const struct vec_row *r, bool ports, uint8_t *out)
{
	unsigned int n = 0;

	memcpy(out + n, r->src, r->alen), n += r->alen;
	memcpy(out + n, r->dst, r->alen), n += r->alen;
	if (ports) {
		out[n++] = r->sport >> 8, out[n++] = r->sport & 0xff;
		out[n++] = r->dport >> 8, out[n++] = r->dport & 0xff;
	}
	return n;
}

static void
tuple_from_bytes(struct vnet_hash_tuple *t, const uint8_t *b, unsigned int n)
{
	unsigned int i;

	memset(t, 0, sizeof(*t));
	t->report = VNET_HASH_REPORT_IPV4;	/* anything but NONE */
	for (i = 0; i < n / 4; i++)
		t->w[i] = (uint32_t)b[4 * i] << 24 | (uint32_t)b[4 * i + 1] << 16 |
			(uint32_t)b[4 * i + 2] << 8 | b[4 * i + 3];
	t->words = (uint8_t)(n / 4);
}

static void
test_vectors(const char *path, const struct vec_file *v)
{
	static const char *const impls[] = { "softrss", "gfni" };
	struct vnet_hash_key k;
	unsigned int i, m;

	check_ok(vnet_hash_key_set(&k, v->key, v->key_len) == 0, "%s: key of %u bytes accepted",
	       path, v->key_len);
	for (m = 0; m < RTE_DIM(impls); m++) {
		if (strcmp(impls[m], "gfni") == 0 && gfni_skip != NULL) {
			check_skip(gfni_skip, "%s: every vector with the GFNI Toeplitz", path);
			continue;
		}
		if (!check_ok(vnet_hash_toeplitz_select(impls[m]) == 0, "%s: select %s", path,
			    impls[m]))
			continue;
		for (i = 0; i < v->n; i++) {
			const struct vec_row *r = &v->row[i];
			struct vnet_hash_tuple t;
			uint8_t in[36];
			uint32_t h3, h4;

			tuple_from_bytes(&t, in, tuple_bytes(r, false, in));
			h3 = vnet_hash_toeplitz(&k, &t);
			tuple_from_bytes(&t, in, tuple_bytes(r, true, in));
			h4 = vnet_hash_toeplitz(&k, &t);
			check_ok(h3 == r->hash_l3, "%s: vector %s addresses: 0x%08x want 0x%08x",
			       impls[m], r->name, h3, r->hash_l3);
			check_ok(h4 == r->hash_l4, "%s: vector %s with ports: 0x%08x want 0x%08x",
			       impls[m], r->name, h4, r->hash_l4);
		}
	}
	vnet_hash_toeplitz_select(impl_at_load);
}

static void
test_keys(const struct vec_file *v)
{
	uint8_t long_key[VNET_HASH_KEY_MAX], in[36];
	struct vnet_hash_key k;
	struct vnet_hash_tuple t;
	unsigned int i, len, bad = 0;

	check_ok(memcmp(vnet_hash_default_key, v->key, sizeof(vnet_hash_default_key)) == 0,
	       "default key is the vectors' Microsoft key");
	check_ok(vnet_hash_key_set(&k, v->key, VNET_HASH_KEY_MIN - 1) == -EINVAL,
	       "39-byte key refused");
	check_ok(vnet_hash_key_set(&k, long_key, VNET_HASH_KEY_MAX + 1) == -EINVAL,
	       "256-byte key refused");

	srand(7);
	for (i = 0; i < sizeof(long_key); i++)
		long_key[i] = (uint8_t)rand();
	for (len = VNET_HASH_KEY_MIN; len <= VNET_HASH_KEY_MAX; len += 43) {
		unsigned int n;

		if (vnet_hash_key_set(&k, long_key, len) != 0) {
			bad++;
			continue;
		}
		for (n = 8; n <= 36; n += 4) {	/* every input length used */
			for (i = 0; i < n; i++)
				in[i] = (uint8_t)rand();
			tuple_from_bytes(&t, in, n);
			if (vnet_hash_toeplitz(&k, &t) != oracle_toeplitz(long_key, in, n))
				bad++;
		}
	}
	check_ok(bad == 0, "random keys of 40..255 bytes agree with a bitwise oracle (%u bad)",
	       bad);
}

/* ------------------------------------------------------------------ */
/* The two Toeplitz implementations and the dispatch between them */

/* GFNI and the AVX-512 subsets rte_thash_gfni() is built with, as the kernel
 * lists them: an account of the CPU independent of the library's probe. */
static int
cpuinfo_has_gfni(void)
{
	static const char *const need[] = {
		"gfni", "avx512f", "avx512bw", "avx512vl", "avx512dq", "avx512vbmi",
	};
	unsigned int found = 0, i;
	char *line = NULL, *tok, *save;
	size_t cap = 0;
	int ret = -1;
	FILE *f;

	f = fopen("/proc/cpuinfo", "r");
	if (f == NULL)
		return -1;
	while (ret < 0 && getline(&line, &cap, f) > 0) {
		if (strncmp(line, "flags", 5) != 0)
			continue;
		for (tok = strtok_r(line, " \t\n", &save); tok != NULL;
		     tok = strtok_r(NULL, " \t\n", &save))
			for (i = 0; i < RTE_DIM(need); i++)
				if (strcmp(tok, need[i]) == 0)
					found |= 1u << i;
		ret = found == (1u << RTE_DIM(need)) - 1;
	}
	free(line);
	fclose(f);
	return ret;
}

/* Which implementation runs, and the names that choose one.  Runs first. */
static void
test_toeplitz_dispatch(void)
{
	const char *env = getenv(VNET_HASH_TOEPLITZ_ENV);
	int cpu = cpuinfo_has_gfni();
	const char *want_auto = cpu == 1 ? "gfni" : "softrss";
	const char *want_load = env != NULL && strcmp(env, "softrss") == 0 ? "softrss" : want_auto;

	impl_at_load = vnet_hash_toeplitz_impl();
	check_diag("Toeplitz at load: %s; /proc/cpuinfo: %s GFNI/AVX-512; %s=%s", impl_at_load,
		 cpu == 1 ? "has" : cpu == 0 ? "no" : "unreadable,", VNET_HASH_TOEPLITZ_ENV,
		 env != NULL ? env : "(unset)");
	if (!check_ok(cpu >= 0, "/proc/cpuinfo lists the CPU's flags"))
		cpu = 0;
	if (cpu == 0)
		gfni_skip = CHECK_SKIP_NO_GFNI;
	else if (!vnet_hash_toeplitz_gfni_supported())
		gfni_skip = "the CPU has GFNI/AVX-512, lib/vnet_hash does not use it";
	check_ok(vnet_hash_toeplitz_gfni_supported() == (cpu == 1),
	       "GFNI path %ssupported, as /proc/cpuinfo's flags say",
	       vnet_hash_toeplitz_gfni_supported() ? "" : "not ");
	check_ok(strcmp(impl_at_load, want_load) == 0, "the dispatch chose %s at load, want %s",
	       impl_at_load, want_load);
	check_ok(strcmp(rte_pmd_hashtap_hash_impl(), impl_at_load) == 0,
	       "rte_pmd_hashtap_hash_impl() says %s", rte_pmd_hashtap_hash_impl());

	check_ok(vnet_hash_toeplitz_select("sse") == -EINVAL &&
	       vnet_hash_toeplitz_select("") == -EINVAL &&
	       strcmp(vnet_hash_toeplitz_impl(), impl_at_load) == 0,
	       "select: unknown names refused, nothing changed");
	check_ok(vnet_hash_toeplitz_select("softrss") == 0 &&
	       strcmp(vnet_hash_toeplitz_impl(), "softrss") == 0 &&
	       strcmp(rte_pmd_hashtap_hash_impl(), "softrss") == 0,
	       "select softrss: the library and the PMD say softrss");
	if (cpu == 1)
		check_ok(vnet_hash_toeplitz_select("gfni") == 0 &&
		       strcmp(vnet_hash_toeplitz_impl(), "gfni") == 0 &&
		       strcmp(rte_pmd_hashtap_hash_impl(), "gfni") == 0,
		       "select gfni: the library and the PMD say gfni");
	else
		check_ok(vnet_hash_toeplitz_select("gfni") == -ENOTSUP &&
		       strcmp(vnet_hash_toeplitz_impl(), "softrss") == 0,
		       "select gfni without GFNI/AVX-512: -ENOTSUP, still softrss");
	vnet_hash_toeplitz_select("softrss");
	check_ok(vnet_hash_toeplitz_select("auto") == 0 &&
	       strcmp(vnet_hash_toeplitz_impl(), want_auto) == 0 &&
	       vnet_hash_toeplitz_select("softrss") == 0 &&
	       vnet_hash_toeplitz_select(NULL) == 0 &&
	       strcmp(vnet_hash_toeplitz_impl(), want_auto) == 0,
	       "select auto (and NULL): %s", want_auto);
	vnet_hash_toeplitz_select(impl_at_load);
}

static uint32_t
toeplitz_with(const char *impl, const struct vnet_hash_key *k, const struct vnet_hash_tuple *t)
{
	if (vnet_hash_toeplitz_select(impl) != 0)
		abort();
	return vnet_hash_toeplitz(k, t);
}

/* Each path reads its own half of the prepared key: give a key the GFNI
 * matrices of another, and the hash says which path ran. */
static void
test_dispatch_runs_gfni(const struct vec_file *v)
{
	struct vnet_hash_key mixed, other;
	struct vnet_hash_tuple t;
	uint8_t kb[VNET_HASH_KEY_MIN], in[36];
	uint32_t want_ms, want_other;
	unsigned int i;

	if (gfni_skip != NULL) {
		check_skip(gfni_skip, "with gfni selected, vnet_hash_toeplitz() runs the GFNI path");
		return;
	}
	for (i = 0; i < sizeof(kb); i++)
		kb[i] = (uint8_t)(0x5a ^ i * 37);
	vnet_hash_key_set(&mixed, v->key, v->key_len);
	vnet_hash_key_set(&other, kb, sizeof(kb));
	memcpy(mixed.gfni, other.gfni, sizeof(mixed.gfni));
	tuple_from_bytes(&t, in, tuple_bytes(&v->row[0], true, in));
	want_ms = oracle_toeplitz(v->key, in, t.words * 4u);
	want_other = oracle_toeplitz(kb, in, t.words * 4u);
	check_ok(want_ms != want_other && toeplitz_with("gfni", &mixed, &t) == want_other &&
	       toeplitz_with("softrss", &mixed, &t) == want_ms,
	       "with gfni selected, vnet_hash_toeplitz() runs the GFNI path (and softrss the other)");
	vnet_hash_toeplitz_select(impl_at_load);
}

/* Random keys of every accepted length, random tuples of every input length
 * (8: IPv4; 12: + ports; 32: IPv6, IPv6_EX; 36: + ports), words past the
 * input filled with noise: GFNI = rte_softrss_be() = the bitwise oracle. */
static void
test_gfni_random(void)
{
	static const unsigned int sizes[] = { 8, 12, 32, 36 };
	const unsigned int per_len = 64;
	unsigned int bad[RTE_DIM(sizes)] = { 0 }, n[RTE_DIM(sizes)] = { 0 };
	uint8_t kb[VNET_HASH_KEY_MAX], in[36];
	struct vnet_hash_tuple t;
	struct vnet_hash_key k;
	unsigned int s, len, i, j;

	for (s = 0; s < RTE_DIM(sizes) && gfni_skip != NULL; s++)
		check_skip(gfni_skip, "GFNI = softrss = oracle: random %u-byte tuples, keys of %u..%u bytes",
			 sizes[s], VNET_HASH_KEY_MIN, VNET_HASH_KEY_MAX);
	if (gfni_skip != NULL)
		return;
	rnd_seed(20261201);
	for (len = VNET_HASH_KEY_MIN; len <= VNET_HASH_KEY_MAX; len++) {
		for (i = 0; i < len; i++)
			kb[i] = (uint8_t)rnd();
		if (vnet_hash_key_set(&k, kb, len) != 0)
			abort();
		for (s = 0; s < RTE_DIM(sizes); s++) {
			for (j = 0; j < per_len; j++) {
				uint32_t hs, hg, ho;

				for (i = 0; i < sizes[s]; i++)
					in[i] = (uint8_t)rnd();
				tuple_from_bytes(&t, in, sizes[s]);
				for (i = t.words; i < VNET_HASH_INPUT_WORDS; i++)
					t.w[i] = rnd();	/* not input: never read */
				hs = toeplitz_with("softrss", &k, &t);
				hg = toeplitz_with("gfni", &k, &t);
				ho = oracle_toeplitz(kb, in, sizes[s]);
				n[s]++;
				if (hs == ho && hg == ho)
					continue;
				if (bad[s]++ == 0)
					check_diag("key of %u bytes, %u-byte tuple: gfni 0x%08x softrss 0x%08x oracle 0x%08x",
						 len, sizes[s], hg, hs, ho);
			}
		}
	}
	for (s = 0; s < RTE_DIM(sizes); s++)
		check_ok(bad[s] == 0 && n[s] == (VNET_HASH_KEY_MAX - VNET_HASH_KEY_MIN + 1) * per_len,
		       "GFNI = softrss = oracle: %u random %u-byte tuples, keys of every length %u..%u (%u differ)",
		       n[s], sizes[s], VNET_HASH_KEY_MIN, VNET_HASH_KEY_MAX, bad[s]);
	vnet_hash_toeplitz_select(impl_at_load);
}

/* Random frames of every kind through classify + hash, random type sets and
 * keys (copied by assignment, as callers do): the same report and hash on
 * both implementations, every report value met. */
static void
test_gfni_frames(void)
{
	const unsigned int frames = 50000;
	unsigned int seen[VNET_HASH_REPORT_MAX + 1] = { 0 }, bad = 0, missing = 0, i, j;
	struct vnet_hash_key k, copy;
	uint8_t kb[VNET_HASH_KEY_MAX], buf[512];

	if (gfni_skip != NULL) {
		check_skip(gfni_skip, "GFNI = softrss: %u random frames through classify + hash",
			 frames);
		return;
	}
	rnd_seed(7);
	for (i = 0; i < frames; i++) {
		uint32_t len, types, hs, hg;
		unsigned int rs, rg;

		if (i % 64 == 0) {
			unsigned int klen = VNET_HASH_KEY_MIN +
				rnd() % (VNET_HASH_KEY_MAX - VNET_HASH_KEY_MIN + 1);

			for (j = 0; j < klen; j++)
				kb[j] = (uint8_t)rnd();
			if (vnet_hash_key_set(&k, kb, klen) != 0)
				abort();
			copy = k;
		}
		len = rnd_frame(buf, sizeof(buf), false);
		types = rnd_types();
		if (vnet_hash_toeplitz_select("softrss") != 0)
			abort();
		rs = vnet_hash_frame(&k, types, buf, len, &hs);
		if (vnet_hash_toeplitz_select("gfni") != 0)
			abort();
		rg = vnet_hash_frame(&copy, types, buf, len, &hg);
		seen[rs]++;
		if (rs != rg || hs != hg) {
			if (bad++ == 0)
				check_diag("frame %u: softrss %s 0x%08x, gfni %s 0x%08x", i,
					 vnet_hash_report_name(rs), hs, vnet_hash_report_name(rg), hg);
		}
	}
	for (i = 1; i <= VNET_HASH_REPORT_MAX; i++)
		missing += seen[i] == 0;
	check_ok(bad == 0 && missing == 0,
	       "GFNI = softrss: %u random frames through classify + hash (%u differ; %u report values never met)",
	       frames, bad, missing);
	vnet_hash_toeplitz_select(impl_at_load);
}

/* ------------------------------------------------------------------ */
/* Segmented = flat, headers long enough to span segments                */

/*
 * IPv6 with n extension headers of elen bytes each (hop-by-hop first,
 * destination options after, PadN filled), then TCP or UDP: laid out here
 * by hand, as pkt.h builds only short ones.
 */
static uint32_t
long_chain(uint8_t *b, uint32_t cap, unsigned int n, uint32_t elen, uint8_t l4)
{
	uint32_t l4len = l4 == IPPROTO_TCP ? 20 : 8, plen = n * elen + l4len + 16, off, i, k;

	if (14 + 40 + plen > cap)
		return 0;
	memset(b, 0, 14 + 40 + plen);
	memcpy(b, "\x02\x00\x00\x00\x00\x01\x02\x00\x00\x00\x00\x02\x86\xdd", 14);
	off = 14;
	b[off] = 0x60;
	b[off + 4] = (uint8_t)(plen >> 8);
	b[off + 5] = (uint8_t)plen;
	b[off + 6] = n ? IPPROTO_HOPOPTS : l4;
	b[off + 7] = 64;
	b[off + 8] = 0x20, b[off + 9] = 0x01, b[off + 23] = 1;
	b[off + 24] = 0x20, b[off + 25] = 0x01, b[off + 39] = 2;
	off += 40;
	for (k = 0; k < n; k++) {
		b[off] = k + 1 < n ? IPPROTO_DSTOPTS : l4;
		b[off + 1] = (uint8_t)(elen / 8 - 1);
		for (i = 2; i < elen;) {	/* PadN */
			uint32_t pad = RTE_MIN(elen - i - 2, 255u);

			b[off + i] = 1;
			b[off + i + 1] = (uint8_t)pad;
			i += 2 + pad;
		}
		off += elen;
	}
	b[off] = 0x30, b[off + 1] = 0x39, b[off + 3] = 80;	/* ports 12345 -> 80 */
	if (l4 == IPPROTO_TCP)
		b[off + 12] = 0x50;
	else
		b[off + 5] = (uint8_t)(l4len + 16);
	return off + l4len + 16;
}

/*
 * The frame as two segments, split at every point worth trying: before,
 * inside and after each header; classify_mbuf must say what classify says
 * of the flat frame (the kernel reads the whole frame).  The expected
 * report is the spec's, from the layout: TCPv6_EX/UDPv6_EX with the
 * _EX types, IPv6_EX past VNET_HASH_EXT_MAX headers.
 */
static void
test_segmented_long_headers(void)
{
	static const struct {
		unsigned int n;
		uint32_t elen;
		uint8_t l4;
	} chains[] = {
		{ 1, 600, IPPROTO_TCP }, { 1, 2048, IPPROTO_UDP }, { 3, 2048, IPPROTO_TCP },
		{ VNET_HASH_EXT_MAX, 2048, IPPROTO_TCP }, { VNET_HASH_EXT_MAX + 1, 2048, IPPROTO_TCP },
		{ 2, 8, IPPROTO_UDP },
	};
	static uint8_t b[VNET_HASH_HDR_MAX + 4096];
	unsigned int c, bad = 0, tried = 0;

	for (c = 0; c < RTE_DIM(chains); c++) {
		uint32_t len = long_chain(b, sizeof(b), chains[c].n, chains[c].elen, chains[c].l4);
		unsigned int want = chains[c].n > VNET_HASH_EXT_MAX ? VNET_HASH_REPORT_IPV6_EX :
			chains[c].l4 == IPPROTO_TCP ? VNET_HASH_REPORT_TCPV6_EX : VNET_HASH_REPORT_UDPV6_EX;
		struct vnet_hash_tuple flat, seg;
		unsigned int r = vnet_hash_classify(b, len, VNET_HASH_TYPE_ALL, &flat), split;

		check_ok(len > 0 && r == want, "%u extension headers of %u bytes + %s: %s (the spec says %s)",
		       chains[c].n, chains[c].elen, chains[c].l4 == IPPROTO_TCP ? "TCP" : "UDP",
		       vnet_hash_report_name(r), vnet_hash_report_name(want));
		for (split = 1; len > 0 && split < len; split += split < 128 ? 1 : 61) {
			struct rte_mbuf m[2];

			pkt_mbuf_wrap(m, b, len, split);
			tried++;
			if (vnet_hash_classify_mbuf(&m[0], VNET_HASH_TYPE_ALL, &seg) != r ||
			    seg.words != flat.words || memcmp(seg.w, flat.w, 4u * flat.words) != 0 ||
			    seg.ptype != flat.ptype) {
				if (bad++ < 3)
					check_diag("chain %u, split at %u: %s, flat %s", c, split,
						 vnet_hash_report_name(seg.report),
						 vnet_hash_report_name(r));
			}
		}
	}
	check_ok(bad == 0 && tried > 1000,
	       "long extension-header chains split at %u points: segmented = flat (%u differ)", tried, bad);
}

/* ------------------------------------------------------------------ */
/* Classifier */

static void
spec_from_row(struct pkt_spec *s, const struct vec_row *r, uint8_t l4)
{
	memset(s, 0, sizeof(*s));
	s->ipver = r->alen == 4 ? 4 : 6;
	memcpy(s->src, r->src, 16);
	memcpy(s->dst, r->dst, 16);
	s->l4 = l4;
	s->sport = r->sport;
	s->dport = r->dport;
	s->payload = 10;
}

static void
add_ext(struct pkt_spec *s, uint8_t proto, uint8_t rt_type, bool hao, const uint8_t *addr)
{
	struct pkt_ext *e = &s->ext[s->next++];

	e->proto = proto;
	e->rt_type = rt_type;
	e->hao = hao;
	if (addr != NULL)
		memcpy(e->addr, addr, 16);
}

static void
save_frame(const uint8_t *b, uint32_t len, uint32_t types, const char *name)
{
	struct saved *s;

	if (nsaved == MAX_FRAMES)
		return;
	s = &saved[nsaved++];
	s->b = malloc(len);
	if (s->b == NULL)
		abort();
	memcpy(s->b, b, len);
	s->len = len;
	s->types = types;
	snprintf(s->name, sizeof(s->name), "%s", name);
}

/* rte_net_get_ptype() on a stack mbuf over the frame: an independent parse. */
static uint32_t
dpdk_ptype(const uint8_t *b, uint32_t len, struct rte_net_hdr_lens *hl)
{
	struct rte_mbuf m[2];

	pkt_mbuf_wrap(m, b, len, 0);
	memset(hl, 0, sizeof(*hl));
	return rte_net_get_ptype(&m[0], hl, RTE_PTYPE_L2_MASK | RTE_PTYPE_L3_MASK |
				 RTE_PTYPE_L4_MASK);
}

static void
check_frame(const char *name, const uint8_t *b, uint32_t len, uint32_t types,
	    unsigned int want_report, uint32_t want_hash, bool cmp_ptype)
{
	struct vnet_hash_tuple t;
	unsigned int report;
	uint32_t hash;

	report = vnet_hash_classify(b, len, types, &t);
	hash = vnet_hash_toeplitz(&key, &t);
	check_ok(report == want_report && hash == want_hash && t.report == report,
	       "%s: %s 0x%08x, want %s 0x%08x", name, vnet_hash_report_name(report), hash,
	       vnet_hash_report_name(want_report), want_hash);
	if (len > 1) {
		struct vnet_hash_tuple tc;

		struct rte_mbuf m[2];

		pkt_mbuf_wrap(m, b, len, len / 2);
		report = vnet_hash_classify_mbuf(&m[0], types, &tc);
		hash = vnet_hash_toeplitz(&key, &tc);
		check_ok(report == want_report && hash == want_hash,
		       "%s: as two mbuf segments: %s 0x%08x", name,
		       vnet_hash_report_name(report), hash);
	}
	if (cmp_ptype) {
		struct rte_net_hdr_lens hl;
		uint32_t dp = dpdk_ptype(b, len, &hl);

		check_ok(dp == t.ptype && hl.l2_len == t.l2_len &&
		       (hl.l3_len == t.l3_len || t.l3_len == 0),
		       "%s: ptype 0x%x l2 %u l3 %u = rte_net_get_ptype 0x%x l2 %u l3 %u", name,
		       t.ptype, t.l2_len, t.l3_len, dp, hl.l2_len, hl.l3_len);
	}
	save_frame(b, len, types, name);
}

/* as check(), for chains rte_net_get_ptype() does not walk (AH, Mobility) */
static void
check_noptype(const char *name, const struct pkt_spec *s, uint32_t types,
	      unsigned int want_report, uint32_t want_hash)
{
	uint8_t buf[1600];
	uint32_t len = pkt_build(s, buf, sizeof(buf));

	if (check_ok(len > 0, "%s: frame built", name))
		check_frame(name, buf, len, types, want_report, want_hash, false);
}

static void
check(const char *name, const struct pkt_spec *s, uint32_t types,
      unsigned int want_report, uint32_t want_hash)
{
	uint8_t buf[1600];
	uint32_t len = pkt_build(s, buf, sizeof(buf));

	if (!check_ok(len > 0, "%s: frame built", name))
		return;
	/* rte_net_get_ptype reads one 802.1Q tag or an 802.1ad+any pair only */
	check_frame(name, buf, len, types, want_report, want_hash,
		    s->nvlan < 2 || (s->nvlan == 2 && s->tpid[0] == RTE_ETHER_TYPE_QINQ));
}

static const uint8_t other1[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 0x01 };
static const uint8_t other2[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 0x02 };

static void
test_classify_v4(const struct vec_row *r)
{
	struct pkt_spec s;
	char n[256];
	uint8_t buf[256];
	uint32_t len;

#define NAME(fmt) (snprintf(n, sizeof(n), "%s " fmt, r->name), n)
	spec_from_row(&s, r, IPPROTO_TCP);
	check(NAME("tcp"), &s, ALL, VNET_HASH_REPORT_TCPV4, r->hash_l4);
	check(NAME("tcp, types ipv4"), &s, VNET_HASH_TYPE_IPV4, VNET_HASH_REPORT_IPV4, r->hash_l3);
	check(NAME("tcp, types udpv4,ipv4"), &s, VNET_HASH_TYPE_UDPV4 | VNET_HASH_TYPE_IPV4,
	      VNET_HASH_REPORT_IPV4, r->hash_l3);
	check(NAME("tcp, types udpv4"), &s, VNET_HASH_TYPE_UDPV4, VNET_HASH_REPORT_NONE, 0);
	check(NAME("tcp, types ipv6 family only"), &s, VNET_HASH_TYPE_IPV6 |
	      VNET_HASH_TYPE_TCPV6 | EX, VNET_HASH_REPORT_NONE, 0);
	check(NAME("tcp, no types"), &s, 0, VNET_HASH_REPORT_NONE, 0);

	spec_from_row(&s, r, IPPROTO_UDP);
	check(NAME("udp"), &s, ALL, VNET_HASH_REPORT_UDPV4, r->hash_l4);
	check(NAME("udp, types tcpv4,ipv4"), &s, VNET_HASH_TYPE_TCPV4 | VNET_HASH_TYPE_IPV4,
	      VNET_HASH_REPORT_IPV4, r->hash_l3);
	spec_from_row(&s, r, IPPROTO_ICMP);
	check(NAME("icmp"), &s, ALL, VNET_HASH_REPORT_IPV4, r->hash_l3);
	spec_from_row(&s, r, IPPROTO_SCTP);
	check(NAME("sctp"), &s, ALL, VNET_HASH_REPORT_IPV4, r->hash_l3);

	/* fragments: IP only */
	spec_from_row(&s, r, IPPROTO_TCP);
	s.ip4_frag = RTE_IPV4_HDR_MF_FLAG;
	check(NAME("tcp first fragment (MF)"), &s, ALL, VNET_HASH_REPORT_IPV4, r->hash_l3);
	s.ip4_frag = 100;
	check(NAME("tcp last fragment (offset)"), &s, ALL, VNET_HASH_REPORT_IPV4, r->hash_l3);
	s.ip4_frag = RTE_IPV4_HDR_DF_FLAG;
	check(NAME("tcp DF (not a fragment)"), &s, ALL, VNET_HASH_REPORT_TCPV4, r->hash_l4);
	spec_from_row(&s, r, IPPROTO_UDP);
	s.ip4_frag = RTE_IPV4_HDR_MF_FLAG;
	check(NAME("udp fragment, types udpv4"), &s, VNET_HASH_TYPE_UDPV4,
	      VNET_HASH_REPORT_NONE, 0);

	/* options */
	spec_from_row(&s, r, IPPROTO_TCP);
	s.ip4_opt_words = 1;
	check(NAME("tcp, 4 bytes of IP options"), &s, ALL, VNET_HASH_REPORT_TCPV4, r->hash_l4);
	s.ip4_opt_words = 10;
	check(NAME("tcp, 40 bytes of IP options"), &s, ALL, VNET_HASH_REPORT_TCPV4, r->hash_l4);

	/* VLAN tags */
	spec_from_row(&s, r, IPPROTO_TCP);
	s.nvlan = 1, s.tpid[0] = RTE_ETHER_TYPE_VLAN;
	check(NAME("tcp, 802.1Q"), &s, ALL, VNET_HASH_REPORT_TCPV4, r->hash_l4);
	s.nvlan = 2, s.tpid[0] = RTE_ETHER_TYPE_QINQ, s.tpid[1] = RTE_ETHER_TYPE_VLAN;
	check(NAME("tcp, QinQ 88a8/8100"), &s, ALL, VNET_HASH_REPORT_TCPV4, r->hash_l4);
	s.tpid[0] = RTE_ETHER_TYPE_VLAN;
	check(NAME("tcp, 8100/8100"), &s, ALL, VNET_HASH_REPORT_TCPV4, r->hash_l4);
	s.nvlan = 3, s.tpid[2] = RTE_ETHER_TYPE_VLAN;
	check(NAME("tcp, three tags (refused)"), &s, ALL, VNET_HASH_REPORT_NONE, 0);

	/* Ethernet padding after an IP packet with no L4 header is not L4 */
	spec_from_row(&s, r, 253);	/* experimental protocol: no L4 header */
	s.payload = 0;
	s.pad = 26;
	len = pkt_build(&s, buf, sizeof(buf));
	buf[RTE_ETHER_HDR_LEN + 9] = IPPROTO_UDP;	/* claims UDP, carries none */
	check_frame(NAME("udp with no header, padding behind"), buf, len, ALL,
		    VNET_HASH_REPORT_IPV4, r->hash_l3, false);
	/* a TCP header cut short hashes as IP */
	spec_from_row(&s, r, IPPROTO_TCP);
	s.payload = 0;
	len = pkt_build(&s, buf, sizeof(buf));
	check_frame(NAME("tcp header cut at 10 bytes"), buf, len - 10, ALL,
		    VNET_HASH_REPORT_IPV4, r->hash_l3, false);
	/* broken IPv4 headers */
	len = pkt_build(&s, buf, sizeof(buf));
	buf[RTE_ETHER_HDR_LEN] = 0x44;
	check_frame(NAME("IHL 4"), buf, len, ALL, VNET_HASH_REPORT_NONE, 0, false);
	buf[RTE_ETHER_HDR_LEN] = 0x55;
	check_frame(NAME("version 5"), buf, len, ALL, VNET_HASH_REPORT_NONE, 0, false);
#undef NAME
}

static void
test_classify_v6(const struct vec_row *r)
{
	struct pkt_spec s;
	char n[256];

#define NAME(fmt) (snprintf(n, sizeof(n), "%s " fmt, r->name), n)
	spec_from_row(&s, r, IPPROTO_TCP);
	check(NAME("tcp"), &s, ALL, VNET_HASH_REPORT_TCPV6, r->hash_l4);
	check(NAME("tcp, types ipv6"), &s, VNET_HASH_TYPE_IPV6, VNET_HASH_REPORT_IPV6,
	      r->hash_l3);
	check(NAME("tcp, _EX types only (no ext headers: no _EX report)"), &s, EX,
	      VNET_HASH_REPORT_NONE, 0);
	check(NAME("tcp, types ipv4 family only"), &s, VNET_HASH_TYPE_IPV4 |
	      VNET_HASH_TYPE_TCPV4 | VNET_HASH_TYPE_UDPV4, VNET_HASH_REPORT_NONE, 0);
	spec_from_row(&s, r, IPPROTO_UDP);
	check(NAME("udp"), &s, ALL, VNET_HASH_REPORT_UDPV6, r->hash_l4);
	check(NAME("udp, types tcpv6,ipv6"), &s, VNET_HASH_TYPE_TCPV6 | VNET_HASH_TYPE_IPV6,
	      VNET_HASH_REPORT_IPV6, r->hash_l3);
	spec_from_row(&s, r, IPPROTO_ICMPV6);
	check(NAME("icmpv6"), &s, ALL, VNET_HASH_REPORT_IPV6, r->hash_l3);
	spec_from_row(&s, r, IPPROTO_TCP);
	s.nvlan = 1, s.tpid[0] = RTE_ETHER_TYPE_VLAN;
	check(NAME("tcp, 802.1Q"), &s, ALL, VNET_HASH_REPORT_TCPV6, r->hash_l4);
	s.nvlan = 2, s.tpid[0] = RTE_ETHER_TYPE_QINQ, s.tpid[1] = RTE_ETHER_TYPE_VLAN;
	check(NAME("tcp, QinQ"), &s, ALL, VNET_HASH_REPORT_TCPV6, r->hash_l4);

	/* extension headers without substitution: _EX over the real addresses */
	spec_from_row(&s, r, IPPROTO_TCP);
	add_ext(&s, IPPROTO_HOPOPTS, 0, false, NULL);
	check(NAME("hop-by-hop, tcp"), &s, ALL, VNET_HASH_REPORT_TCPV6_EX, r->hash_l4);
	check(NAME("hop-by-hop, tcp, no _EX types: plain ladder"), &s, NOEX,
	      VNET_HASH_REPORT_TCPV6, r->hash_l4);
	check(NAME("hop-by-hop, tcp, types ip_ex,tcpv6"), &s, VNET_HASH_TYPE_IP_EX |
	      VNET_HASH_TYPE_TCPV6, VNET_HASH_REPORT_IPV6_EX, r->hash_l3);
	check(NAME("hop-by-hop, tcp, types ipv6"), &s, VNET_HASH_TYPE_IPV6,
	      VNET_HASH_REPORT_IPV6, r->hash_l3);
	check(NAME("hop-by-hop, tcp, types udp_ex,udpv6"), &s, VNET_HASH_TYPE_UDP_EX |
	      VNET_HASH_TYPE_UDPV6, VNET_HASH_REPORT_NONE, 0);
	s.l4 = IPPROTO_UDP;
	check(NAME("hop-by-hop, udp"), &s, ALL, VNET_HASH_REPORT_UDPV6_EX, r->hash_l4);
	s.l4 = IPPROTO_ICMPV6;
	check(NAME("hop-by-hop, icmpv6"), &s, ALL, VNET_HASH_REPORT_IPV6_EX, r->hash_l3);

	spec_from_row(&s, r, IPPROTO_TCP);
	add_ext(&s, IPPROTO_DSTOPTS, 0, false, NULL);
	check(NAME("dest options without HAO, tcp"), &s, ALL, VNET_HASH_REPORT_TCPV6_EX,
	      r->hash_l4);
	spec_from_row(&s, r, IPPROTO_TCP);
	add_ext(&s, IPPROTO_ROUTING, 0, false, other2);
	check(NAME("routing type 0 (no substitution), tcp"), &s, ALL,
	      VNET_HASH_REPORT_TCPV6_EX, r->hash_l4);

	/* substitution: header carries other addresses, HAO/RT2 the tuple's */
	spec_from_row(&s, r, IPPROTO_TCP);
	memcpy(s.src, other1, 16);
	memcpy(s.dst, other2, 16);
	add_ext(&s, IPPROTO_ROUTING, 2, false, r->dst);
	add_ext(&s, IPPROTO_DSTOPTS, 0, true, r->src);
	check(NAME("HAO + routing type 2, tcp"), &s, ALL, VNET_HASH_REPORT_TCPV6_EX,
	      r->hash_l4);
	s.l4 = IPPROTO_UDP;
	check(NAME("HAO + routing type 2, udp"), &s, ALL, VNET_HASH_REPORT_UDPV6_EX,
	      r->hash_l4);
	s.l4 = IPPROTO_ICMPV6;
	check(NAME("HAO + routing type 2, icmpv6"), &s, ALL, VNET_HASH_REPORT_IPV6_EX,
	      r->hash_l3);

	spec_from_row(&s, r, IPPROTO_TCP);
	memcpy(s.src, other1, 16);
	add_ext(&s, IPPROTO_DSTOPTS, 0, true, r->src);
	check(NAME("HAO only, tcp"), &s, ALL, VNET_HASH_REPORT_TCPV6_EX, r->hash_l4);
	spec_from_row(&s, r, IPPROTO_TCP);
	memcpy(s.dst, other2, 16);
	add_ext(&s, IPPROTO_ROUTING, 2, false, r->dst);
	check(NAME("routing type 2 only, tcp"), &s, ALL, VNET_HASH_REPORT_TCPV6_EX,
	      r->hash_l4);

	/* substitution off: the header's addresses, not the options' */
	spec_from_row(&s, r, IPPROTO_TCP);
	add_ext(&s, IPPROTO_ROUTING, 2, false, other2);
	add_ext(&s, IPPROTO_DSTOPTS, 0, true, other1);
	check(NAME("HAO + routing type 2, no _EX types"), &s, NOEX, VNET_HASH_REPORT_TCPV6,
	      r->hash_l4);
	check(NAME("HAO + routing type 2, types ipv6"), &s, VNET_HASH_TYPE_IPV6,
	      VNET_HASH_REPORT_IPV6, r->hash_l3);

	/* a long chain */
	spec_from_row(&s, r, IPPROTO_TCP);
	memcpy(s.src, other1, 16);
	memcpy(s.dst, other2, 16);
	add_ext(&s, IPPROTO_HOPOPTS, 0, false, NULL);
	add_ext(&s, IPPROTO_DSTOPTS, 0, false, NULL);
	add_ext(&s, IPPROTO_ROUTING, 2, false, r->dst);
	add_ext(&s, IPPROTO_DSTOPTS, 0, true, r->src);
	check(NAME("hop-by-hop, dstopts, RT2, dstopts+HAO, tcp"), &s, ALL,
	      VNET_HASH_REPORT_TCPV6_EX, r->hash_l4);

	/* a type 2 routing header with no segment left is not substituted */
	spec_from_row(&s, r, IPPROTO_TCP);
	add_ext(&s, IPPROTO_ROUTING, 2, false, other2);
	s.ext[0].rt_done = true;
	check(NAME("routing type 2, segments left 0, tcp"), &s, ALL,
	      VNET_HASH_REPORT_TCPV6_EX, r->hash_l4);

	/* AH and Mobility are walked as QEMU walks them; AH's length is
	 * RFC 4302's (4-byte words), so the ports behind it are found */
	spec_from_row(&s, r, IPPROTO_TCP);
	add_ext(&s, IPPROTO_AH, 0, false, NULL);
	check_noptype(NAME("AH, tcp"), &s, ALL, VNET_HASH_REPORT_TCPV6_EX, r->hash_l4);
	check_noptype(NAME("AH, tcp, no _EX types"), &s, NOEX, VNET_HASH_REPORT_TCPV6,
		      r->hash_l4);
	s.l4 = IPPROTO_UDP;
	check_noptype(NAME("AH, udp"), &s, ALL, VNET_HASH_REPORT_UDPV6_EX, r->hash_l4);
	spec_from_row(&s, r, IPPROTO_TCP);
	memcpy(s.src, other1, 16);
	memcpy(s.dst, other2, 16);
	add_ext(&s, IPPROTO_DSTOPTS, 0, true, r->src);
	add_ext(&s, IPPROTO_AH, 0, false, NULL);
	add_ext(&s, IPPROTO_ROUTING, 2, false, r->dst);
	check_noptype(NAME("HAO, AH, RT2, tcp"), &s, ALL, VNET_HASH_REPORT_TCPV6_EX,
		      r->hash_l4);
	spec_from_row(&s, r, IPPROTO_UDP);
	add_ext(&s, 135, 0, false, NULL);
	check_noptype(NAME("Mobility, udp"), &s, ALL, VNET_HASH_REPORT_UDPV6_EX,
		      r->hash_l4);

	/* the walk's bound: 8 extension headers, a ninth ends it */
	spec_from_row(&s, r, IPPROTO_TCP);
	while (s.next < 8)
		add_ext(&s, IPPROTO_DSTOPTS, 0, false, NULL);
	/* (rte_net_get_ptype() walks fewer) */
	check_noptype(NAME("8 extension headers, tcp"), &s, ALL,
		      VNET_HASH_REPORT_TCPV6_EX, r->hash_l4);
	add_ext(&s, IPPROTO_DSTOPTS, 0, false, NULL);
	check_noptype(NAME("9 extension headers, tcp: IP only"), &s, ALL,
		      VNET_HASH_REPORT_IPV6_EX, r->hash_l3);
	check_noptype(NAME("9 extension headers, tcp, no _EX types"), &s, NOEX,
		      VNET_HASH_REPORT_IPV6, r->hash_l3);

	/* fragments: IP only */
	spec_from_row(&s, r, IPPROTO_TCP);
	add_ext(&s, IPPROTO_FRAGMENT, 0, false, NULL);
	s.ext[0].more = true;
	check(NAME("first fragment, tcp"), &s, ALL, VNET_HASH_REPORT_IPV6_EX, r->hash_l3);
	check(NAME("first fragment, tcp, no _EX types"), &s, NOEX, VNET_HASH_REPORT_IPV6,
	      r->hash_l3);
	check(NAME("first fragment, types tcpv6,tcp_ex"), &s, VNET_HASH_TYPE_TCPV6 |
	      VNET_HASH_TYPE_TCP_EX, VNET_HASH_REPORT_NONE, 0);
	s.ext[0].more = false;
	s.ext[0].frag_off = 100;
	check(NAME("last fragment, tcp"), &s, ALL, VNET_HASH_REPORT_IPV6_EX, r->hash_l3);
	spec_from_row(&s, r, IPPROTO_UDP);
	memcpy(s.src, other1, 16);
	memcpy(s.dst, other2, 16);
	add_ext(&s, IPPROTO_ROUTING, 2, false, r->dst);
	add_ext(&s, IPPROTO_DSTOPTS, 0, true, r->src);
	add_ext(&s, IPPROTO_FRAGMENT, 0, false, NULL);
	s.ext[2].more = true;
	check(NAME("RT2 + HAO + fragment, udp"), &s, ALL, VNET_HASH_REPORT_IPV6_EX,
	      r->hash_l3);
#undef NAME
}

static void
test_classify_other(const struct vec_row *r4)
{
	struct pkt_spec s;
	uint8_t buf[256];
	uint32_t len;

	memset(&s, 0, sizeof(s));
	s.ethertype = RTE_ETHER_TYPE_ARP;
	check("ARP", &s, ALL, VNET_HASH_REPORT_NONE, 0);
	s.ethertype = 0x88b5;	/* local experimental */
	check("ethertype 0x88b5", &s, ALL, VNET_HASH_REPORT_NONE, 0);
	s.nvlan = 1, s.tpid[0] = RTE_ETHER_TYPE_VLAN;
	check("802.1Q, ethertype 0x88b5", &s, ALL, VNET_HASH_REPORT_NONE, 0);
	/* an IPv4 packet under the IPv6 ethertype (rte_net_get_ptype does not
	 * check the version, so no ptype comparison here) */
	spec_from_row(&s, r4, IPPROTO_TCP);
	s.ethertype = RTE_ETHER_TYPE_IPV6;
	len = pkt_build(&s, buf, sizeof(buf));
	check_frame("IPv4 packet under the IPv6 ethertype", buf, len, ALL,
		    VNET_HASH_REPORT_NONE, 0, false);
}

/* Every prefix of every frame: no read past it (ASan), and a result that
 * is the full frame's once the headers are all there. */
static void
test_truncation(void)
{
	unsigned int i, bad = 0, prefixes = 0;

	for (i = 0; i < nsaved; i++) {
		struct vnet_hash_tuple full, t;
		uint32_t len, hdr;

		vnet_hash_classify(saved[i].b, saved[i].len, saved[i].types, &full);
		hdr = (uint32_t)full.l2_len + full.l3_len +
			(full.report == VNET_HASH_REPORT_TCPV4 ||
			 full.report == VNET_HASH_REPORT_TCPV6 ||
			 full.report == VNET_HASH_REPORT_TCPV6_EX ? 20 :
			 full.words == 3 || full.words == 9 ? 8 : 0);
		for (len = 0; len <= saved[i].len; len++) {
			uint8_t *copy = malloc(len ? len : 1);

			if (copy == NULL)
				abort();
			memcpy(copy, saved[i].b, len);
			vnet_hash_classify(copy, len, saved[i].types, &t);
			free(copy);
			prefixes++;
			if (t.words > VNET_HASH_INPUT_WORDS ||
			    (t.report != VNET_HASH_REPORT_NONE &&
			     !(vnet_hash_report_type(t.report) & saved[i].types)) ||
			    (len >= hdr && full.l2_len != 0 &&
			     (t.report != full.report || t.words != full.words ||
			      memcmp(t.w, full.w, 4u * t.words) != 0))) {
				check_diag("%s: prefix %u: %s", saved[i].name, len,
					 vnet_hash_report_name(t.report));
				bad++;
			}
		}
	}
	check_ok(nsaved > 0 && bad == 0,
	       "truncation: %u prefixes of %u frames classify in bounds (%u bad)",
	       prefixes, nsaved, bad);
}

/* ------------------------------------------------------------------ */
/* Inner-header hash (docs/tunnel-hash.md)                             */

#define TNL_ALL	VNET_HASH_TUNNEL_ALL

static const char *const tnl_kind_name[PKT_TNL_COUNT] = {
	"GRE", "NVGRE", "GRE-in-UDP", "VXLAN", "VXLAN-GPE", "GENEVE", "IPIP",
};

/* The types docs/tunnel-hash.md gives a well-formed frame pkt_encap()
 * made from @p t (written from the doc's table, not from the library). */
static uint32_t
doc_types(const struct pkt_tnl *t, bool inner_eth)
{
	uint16_t f = t->kind == PKT_TNL_NVGRE ? 0x2000 : t->gre_flags;
	uint32_t gre = t->ipver == 6 ? VNET_HASH_TUNNEL_GRE_7676 :
		(f & 0x3000) ? VNET_HASH_TUNNEL_GRE_2890 : VNET_HASH_TUNNEL_GRE_2784;

	switch (t->kind) {
	case PKT_TNL_GRE:
	case PKT_TNL_NVGRE:
		return gre | ((f & 0xb000) == 0x2000 && inner_eth ? VNET_HASH_TUNNEL_NVGRE : 0);
	case PKT_TNL_GRE_UDP:
		return VNET_HASH_TUNNEL_GRE_UDP;
	case PKT_TNL_VXLAN:
		return VNET_HASH_TUNNEL_VXLAN;
	case PKT_TNL_VXLAN_GPE:
		return VNET_HASH_TUNNEL_VXLAN_GPE;
	case PKT_TNL_GENEVE:
		return VNET_HASH_TUNNEL_GENEVE;
	default:
		return VNET_HASH_TUNNEL_IPIP;
	}
}

/* The outer header's hash, from the vectors (IP only) or the oracle. */
static uint32_t
outer_hash(const struct pkt_tnl *t, const struct vec_row *o, unsigned int *report)
{
	uint8_t in[36];
	unsigned int n = 0;

	if (t->kind == PKT_TNL_GRE || t->kind == PKT_TNL_NVGRE || t->kind == PKT_TNL_IPIP ||
	    (t->ipver == 4 && (t->ip4_frag & 0x3fff) != 0)) {
		*report = o->alen == 4 ? VNET_HASH_REPORT_IPV4 : VNET_HASH_REPORT_IPV6;
		return o->hash_l3;
	}
	*report = o->alen == 4 ? VNET_HASH_REPORT_UDPV4 : VNET_HASH_REPORT_UDPV6;
	memcpy(in, o->src, o->alen), n += o->alen;
	memcpy(in + n, o->dst, o->alen), n += o->alen;
	in[n++] = (uint8_t)(t->sport >> 8), in[n++] = (uint8_t)t->sport;
	in[n++] = (uint8_t)(t->dport >> 8), in[n++] = (uint8_t)t->dport;
	return oracle_toeplitz(key_bytes, in, n);
}

static void
tnl_from_row(struct pkt_tnl *t, unsigned int kind, const struct vec_row *o)
{
	static const uint16_t port[PKT_TNL_COUNT] = {
		[PKT_TNL_GRE_UDP] = 4754, [PKT_TNL_VXLAN] = 4789,
		[PKT_TNL_VXLAN_GPE] = 4790, [PKT_TNL_GENEVE] = 6081,
	};

	memset(t, 0, sizeof(*t));
	t->kind = (uint8_t)kind;
	t->ipver = o->alen == 4 ? 4 : 6;
	memcpy(t->src, o->src, 16);
	memcpy(t->dst, o->dst, 16);
	t->sport = 49152 + o->sport % 1000;
	t->dport = port[kind];
}

/* One frame, both ways: inner with its types enabled, outer without. */
static void
check_tnl(const char *name, const uint8_t *b, uint32_t len, uint32_t want_types,
	  unsigned int in_report, uint32_t in_hash, unsigned int out_report,
	  uint32_t out_hash, uint32_t inner_off, uint32_t hash_types)
{
	struct vnet_hash_tuple t;
	struct rte_mbuf m[2];
	unsigned int r, bad = 0;
	uint32_t h, bit, split, got;
	uint16_t off = 0;

	got = vnet_hash_tunnel_match(b, len, &off);
	check_ok(got == want_types &&
		 (want_types == 0 || off == inner_off),
		 "%s: is %s (types 0x%x, inner at %u; want 0x%x at %u)", name,
		 want_types ? "a tunnel" : "no tunnel", got, off, want_types, inner_off);
	r = vnet_hash_classify_tunnel(b, len, hash_types, TNL_ALL, &t);
	h = vnet_hash_toeplitz(&key, &t);
	check_ok(r == in_report && h == in_hash && t.tunnel == (want_types & TNL_ALL) &&
		 (want_types == 0 || t.inner_off == inner_off),
		 "%s: every tunnel type enabled: %s 0x%08x (tunnel 0x%x), want %s 0x%08x",
		 name, vnet_hash_report_name(r), h, t.tunnel,
		 vnet_hash_report_name(in_report), in_hash);
	/* each matching type alone does it; all the others do not */
	for (bit = 1; bit & TNL_ALL; bit <<= 1) {
		bool match = (want_types & bit) != 0;

		r = vnet_hash_frame_tunnel(&key, hash_types, bit, b, len, &h);
		if (match ? r != in_report || h != in_hash : r != out_report || h != out_hash) {
			check_diag("%s: only %s enabled: %s 0x%08x", name,
				   vnet_hash_tunnel_name(bit), vnet_hash_report_name(r), h);
			bad++;
		}
	}
	check_ok(bad == 0, "%s: each type alone: inner iff the frame is that type", name);
	r = vnet_hash_frame_tunnel(&key, hash_types, TNL_ALL & ~want_types, b, len, &h);
	check_ok(r == out_report && h == out_hash,
		 "%s: every other type enabled: outer %s 0x%08x, want %s 0x%08x", name,
		 vnet_hash_report_name(r), h, vnet_hash_report_name(out_report), out_hash);
	r = vnet_hash_frame(&key, hash_types, b, len, &h);
	check_ok(r == out_report && h == out_hash,
		 "%s: no tunnel type: outer %s 0x%08x", name, vnet_hash_report_name(r), h);
	/* segmented anywhere: the flat frame's answer */
	for (split = 1; split < len; split += 3) {
		pkt_mbuf_wrap(m, b, len, split);
		r = vnet_hash_classify_mbuf_tunnel(&m[0], hash_types, TNL_ALL, &t);
		h = vnet_hash_toeplitz(&key, &t);
		if (r != in_report || h != in_hash) {
			check_diag("%s: split at %u: %s 0x%08x", name, split,
				   vnet_hash_report_name(r), h);
			bad++;
		}
	}
	check_ok(bad == 0, "%s: as two mbuf segments, split anywhere: the flat answer", name);
	if (ntnl_saved < RTE_DIM(tnl_saved)) {
		tnl_saved[ntnl_saved].b = malloc(len);
		if (tnl_saved[ntnl_saved].b == NULL)
			abort();
		memcpy(tnl_saved[ntnl_saved].b, b, len);
		tnl_saved[ntnl_saved].len = len;
		tnl_saved[ntnl_saved].types = hash_types;
		snprintf(tnl_saved[ntnl_saved].name, sizeof(tnl_saved[0].name), "%s", name);
		ntnl_saved++;
	}
}

/* Every kind over IPv4 and IPv6, each inner vector row (TCP, UDP), with
 * and without the inner Ethernet header: the inner hash is the vectors'
 * own value, the outer one the vectors' (IP) or the oracle's (UDP). */
static void
test_tunnel_kinds(const struct vec_file *v, const struct vec_row *o4, const struct vec_row *o6)
{
	unsigned int kind, r, n = 0;

	for (kind = 0; kind < PKT_TNL_COUNT; kind++) {
		for (r = 0; r < v->n; r++) {
			const struct vec_row *in = &v->row[r];
			const struct vec_row *o = (r + kind) % 2 ? o6 : o4;
			uint8_t l4 = r % 2 ? IPPROTO_UDP : IPPROTO_TCP;
			unsigned int e, out_r, in_r;
			struct pkt_spec s;
			uint8_t inner[256], buf[512];
			uint32_t ilen, len, out_h;
			struct pkt_tnl t;
			char name[200];

			for (e = 0; e < 2; e++) {
				bool eth;

				tnl_from_row(&t, kind, o);
				t.inner_eth = e == 1;
				eth = kind == PKT_TNL_VXLAN || kind == PKT_TNL_NVGRE ||
					(t.inner_eth && kind != PKT_TNL_IPIP);
				if (e == 1 && (kind == PKT_TNL_VXLAN || kind == PKT_TNL_NVGRE ||
					       kind == PKT_TNL_IPIP))
					continue;	/* the same frame as e == 0 */
				if (kind == PKT_TNL_GRE)	/* the GRE forms in turn */
					t.gre_flags = (uint16_t[]){ 0, 0x2000, 0x1000, 0x8000,
								   0xb000 }[r % 5];
				spec_from_row(&s, in, l4);
				ilen = pkt_build(&s, inner, sizeof(inner));
				len = pkt_encap(&t, inner, ilen, buf, sizeof(buf));
				if (!check_ok(ilen > 0 && len > 0, "tunnel frame built"))
					return;
				in_r = in->alen == 4 ?
					(l4 == IPPROTO_TCP ? VNET_HASH_REPORT_TCPV4 : VNET_HASH_REPORT_UDPV4) :
					(l4 == IPPROTO_TCP ? VNET_HASH_REPORT_TCPV6 : VNET_HASH_REPORT_UDPV6);
				out_h = outer_hash(&t, o, &out_r);
				snprintf(name, sizeof(name), "%s%s over IPv%u (flags 0x%04x), inner %s%s",
					 tnl_kind_name[kind], "", t.ipver, t.gre_flags,
					 eth ? "Ethernet/" : "", in->name);
				check_tnl(name, buf, len, doc_types(&t, eth), in_r, in->hash_l4,
					  out_r, out_h, len - (eth ? ilen : ilen - 14), ALL);
				/* IP-only hash types: the vectors' L3 value, inside too */
				check_tnl(name, buf, len, doc_types(&t, eth),
					  in->alen == 4 ? VNET_HASH_REPORT_IPV4 : VNET_HASH_REPORT_IPV6,
					  in->hash_l3,
					  o->alen == 4 ? VNET_HASH_REPORT_IPV4 : VNET_HASH_REPORT_IPV6,
					  o->hash_l3, len - (eth ? ilen : ilen - 14),
					  VNET_HASH_TYPE_IPV4 | VNET_HASH_TYPE_IPV6);
				n++;
			}
		}
	}
	check_ok(n >= 3 * PKT_TNL_COUNT, "%u tunnelled frames of %u kinds checked", n, PKT_TNL_COUNT);
}

/* A frame of @p kind over o4 around the first IPv4 row, TCP inside. */
static uint32_t
tnl_frame(struct pkt_tnl *t, unsigned int kind, const struct vec_row *o,
	  const struct vec_row *in, uint8_t *buf, uint32_t cap, uint32_t *ilen)
{
	struct pkt_spec s;
	uint8_t inner[256];

	if (t->ipver == 0)
		tnl_from_row(t, kind, o);
	spec_from_row(&s, in, IPPROTO_TCP);
	*ilen = pkt_build(&s, inner, sizeof(inner));
	return pkt_encap(t, inner, *ilen, buf, cap);
}

/* Malformed or not-quite tunnels: the outer hash, as the doc says, and
 * matched tunnels whose inner packet is not hashable: NONE. */
static void
test_tunnel_malformed(const struct vec_row *o4, const struct vec_row *o6,
		      const struct vec_row *in4)
{
	static const struct {
		const char *name;
		uint8_t kind;
		uint16_t gre_flags, proto, dport, sport, ip4_frag;
		bool raw_flags0;
		uint8_t flags0, gpe_np, geneve_opt;
	} bad[] = {
		{ "GRE with R set", PKT_TNL_GRE, .gre_flags = 0x4000 },
		{ "GRE version 1 (PPTP)", PKT_TNL_GRE, .gre_flags = 0x2001 },
		{ "GRE with Recur 4 (bit 5)", PKT_TNL_GRE, .gre_flags = 0x0400 },
		{ "GRE with s set", PKT_TNL_GRE, .gre_flags = 0x0800 },
		{ "GRE carrying MPLS", PKT_TNL_GRE, .proto = 0x8847 },
		{ "GRE carrying ERSPAN", PKT_TNL_GRE, .gre_flags = 0x1000, .proto = 0x88be },
		{ "NVGRE-like, unknown payload", PKT_TNL_NVGRE, .proto = 0x0806 },
		{ "GRE-in-UDP with R set", PKT_TNL_GRE_UDP, .gre_flags = 0x4000 },
		{ "VXLAN without the I flag", PKT_TNL_VXLAN, .raw_flags0 = true, .flags0 = 0 },
		{ "VXLAN from port 4789 to 1234", PKT_TNL_VXLAN, .dport = 1234, .sport = 4789 },
		{ "VXLAN-GPE version 1", PKT_TNL_VXLAN_GPE, .raw_flags0 = true, .flags0 = 0x1c },
		{ "VXLAN-GPE without P", PKT_TNL_VXLAN_GPE, .raw_flags0 = true, .flags0 = 0x08 },
		{ "VXLAN-GPE without I", PKT_TNL_VXLAN_GPE, .raw_flags0 = true, .flags0 = 0x04 },
		{ "VXLAN-GPE carrying NSH", PKT_TNL_VXLAN_GPE, .gpe_np = 4 },
		{ "VXLAN-GPE next protocol 0", PKT_TNL_VXLAN_GPE, .gpe_np = 0xff },
		{ "GENEVE version 1", PKT_TNL_GENEVE, .raw_flags0 = true, .flags0 = 0x40 },
		{ "GENEVE options past the frame", PKT_TNL_GENEVE, .raw_flags0 = true, .flags0 = 0x3f },
		{ "GENEVE carrying MPLS", PKT_TNL_GENEVE, .proto = 0x8847 },
		{ "VXLAN in an IPv4 first fragment", PKT_TNL_VXLAN, .ip4_frag = 0x2000 },
		{ "GRE in an IPv4 later fragment", PKT_TNL_GRE, .ip4_frag = 0x0010 },
	};
	unsigned int i, out_r;
	uint8_t buf[512];
	uint32_t len, ilen, out_h;
	struct pkt_tnl t;

	for (i = 0; i < RTE_DIM(bad); i++) {
		memset(&t, 0, sizeof(t));
		tnl_from_row(&t, bad[i].kind, o4);
		t.gre_flags = bad[i].gre_flags;
		t.proto = bad[i].proto;
		if (bad[i].dport != 0)
			t.dport = bad[i].dport, t.sport = bad[i].sport;
		t.ip4_frag = bad[i].ip4_frag;
		t.raw_flags0 = bad[i].raw_flags0;
		t.flags0 = bad[i].flags0;
		t.gpe_np = bad[i].gpe_np;
		t.inner_eth = bad[i].kind == PKT_TNL_GENEVE;
		len = tnl_frame(&t, bad[i].kind, o4, in4, buf, sizeof(buf), &ilen);
		if (bad[i].gpe_np == 0xff)
			buf[len - ilen + 14 - 8 + 3] = 0;	/* the next protocol byte */
		out_h = outer_hash(&t, o4, &out_r);
		if (!check_ok(len > 0, "%s: built", bad[i].name))
			continue;
		check_tnl(bad[i].name, buf, len, 0, out_r, out_h, out_r, out_h, 0, ALL);
	}

	/* RFC 2784 2.3: bits 6-12 are ignored on receipt: still GRE_2784 */
	{
		static const uint16_t ignored[] = { 0x0008, 0x0100, 0x0200, 0x03f8 };
		struct pkt_spec s;
		uint8_t inner[256];

		for (i = 0; i < RTE_DIM(ignored); i++) {
			char name[80];

			memset(&t, 0, sizeof(t));
			tnl_from_row(&t, PKT_TNL_GRE, o4);
			t.gre_flags = ignored[i];
			spec_from_row(&s, in4, IPPROTO_TCP);
			ilen = pkt_build(&s, inner, sizeof(inner));
			len = pkt_encap(&t, inner, ilen, buf, sizeof(buf));
			out_h = outer_hash(&t, o4, &out_r);
			snprintf(name, sizeof(name), "GRE with bits 6-12 = 0x%04x (ignored)", ignored[i]);
			check_tnl(name, buf, len, VNET_HASH_TUNNEL_GRE_2784, VNET_HASH_REPORT_TCPV4,
				  in4->hash_l4, out_r, out_h, len - (ilen - 14), ALL);
		}
	}

	/* cut short inside the tunnel header (the IP length still says whole) */
	{
		static const struct {
			uint8_t kind;
			uint16_t gre_flags;
			uint32_t keep;	/* bytes of tunnel header kept */
		} cut[] = {
			{ PKT_TNL_GRE, 0, 3 }, { PKT_TNL_GRE, 0x2000, 7 },
			{ PKT_TNL_GRE, 0xb000, 15 }, { PKT_TNL_VXLAN, 0, 8 + 7 },
			{ PKT_TNL_GENEVE, 0, 8 + 7 }, { PKT_TNL_GRE_UDP, 0x1000, 8 + 5 },
		};

		for (i = 0; i < RTE_DIM(cut); i++) {
			char name[96];
			uint32_t l4 = 14 + 20;

			memset(&t, 0, sizeof(t));
			tnl_from_row(&t, cut[i].kind, o4);
			t.gre_flags = cut[i].gre_flags;
			len = tnl_frame(&t, cut[i].kind, o4, in4, buf, sizeof(buf), &ilen);
			out_h = outer_hash(&t, o4, &out_r);
			snprintf(name, sizeof(name), "%s (flags 0x%04x) cut after %u header bytes",
				 tnl_kind_name[cut[i].kind], cut[i].gre_flags, cut[i].keep);
			check_tnl(name, buf, l4 + cut[i].keep, 0, out_r, out_h, out_r, out_h, 0, ALL);
			/* the same cut by the IP total length instead */
			buf[14 + 2] = 0, buf[14 + 3] = (uint8_t)(20 + cut[i].keep);
			snprintf(name, sizeof(name), "%s (flags 0x%04x), IP length ends %u bytes into it",
				 tnl_kind_name[cut[i].kind], cut[i].gre_flags, cut[i].keep);
			if (cut[i].kind == PKT_TNL_GRE)
				check_tnl(name, buf, len, 0, out_r, out_h, out_r, out_h, 0, ALL);
		}
	}

	/* matched, but the inner packet is not hashable: NONE, never outer */
	{
		struct pkt_spec s;
		uint8_t inner[128];
		uint32_t off;

		memset(&t, 0, sizeof(t));
		len = tnl_frame(&t, PKT_TNL_VXLAN, o6, in4, buf, sizeof(buf), &ilen);
		off = len - ilen;
		out_h = outer_hash(&t, o6, &out_r);
		check_tnl("VXLAN, inner IPv4 header cut short", buf, off + 14 + 12,
			  VNET_HASH_TUNNEL_VXLAN, VNET_HASH_REPORT_NONE, 0, out_r, out_h, off, ALL);
		memset(&s, 0, sizeof(s));
		s.ethertype = RTE_ETHER_TYPE_ARP;
		ilen = pkt_build(&s, inner, sizeof(inner));
		len = pkt_encap(&t, inner, ilen, buf, sizeof(buf));
		check_tnl("VXLAN carrying ARP", buf, len, VNET_HASH_TUNNEL_VXLAN,
			  VNET_HASH_REPORT_NONE, 0, out_r, out_h, len - ilen, ALL);

		/* IPIP whose protocol says IPv4 over an IPv6 packet */
		memset(&t, 0, sizeof(t));
		tnl_from_row(&t, PKT_TNL_IPIP, o4);
		spec_from_row(&s, o6, IPPROTO_UDP);
		ilen = pkt_build(&s, inner, sizeof(inner));
		len = pkt_encap(&t, inner, ilen, buf, sizeof(buf));
		buf[14 + 9] = IPPROTO_IPIP;
		out_h = outer_hash(&t, o4, &out_r);
		check_tnl("IPIP: protocol 4, an IPv6 packet inside", buf, len,
			  VNET_HASH_TUNNEL_IPIP, VNET_HASH_REPORT_NONE, 0, out_r, out_h,
			  len - (ilen - 14), ALL);
	}

	/* one level only: VXLAN in VXLAN hashes the middle packet's UDP */
	{
		struct pkt_tnl mid;
		uint8_t inner[512], in_buf[256];
		struct pkt_spec s;
		uint8_t tup[12];
		uint32_t mlen, h;

		memset(&mid, 0, sizeof(mid));
		tnl_from_row(&mid, PKT_TNL_VXLAN, in4);
		spec_from_row(&s, o6, IPPROTO_TCP);
		ilen = pkt_build(&s, in_buf, sizeof(in_buf));
		mlen = pkt_encap(&mid, in_buf, ilen, inner, sizeof(inner));
		memset(&t, 0, sizeof(t));
		tnl_from_row(&t, PKT_TNL_VXLAN, o4);
		len = pkt_encap(&t, inner, mlen, buf, sizeof(buf));
		memcpy(tup, in4->src, 4);
		memcpy(tup + 4, in4->dst, 4);
		tup[8] = (uint8_t)(mid.sport >> 8), tup[9] = (uint8_t)mid.sport;
		tup[10] = 4789 >> 8, tup[11] = 4789 & 0xff;
		h = oracle_toeplitz(key_bytes, tup, 12);
		out_h = outer_hash(&t, o4, &out_r);
		check_tnl("VXLAN in VXLAN: the first inner packet's UDP", buf, len,
			  VNET_HASH_TUNNEL_VXLAN, VNET_HASH_REPORT_UDPV4, h, out_r, out_h,
			  len - mlen, ALL);
	}
}

/* Every prefix of every tunnelled frame above: in bounds (ASan), and the
 * whole frame's answer once the frame is whole. */
static void
test_tunnel_truncation(void)
{
	unsigned int i, bad = 0, prefixes = 0;

	for (i = 0; i < ntnl_saved; i++) {
		uint32_t len;

		for (len = 0; len <= tnl_saved[i].len; len++) {
			struct vnet_hash_tuple t;
			uint8_t *copy = malloc(len ? len : 1);

			if (copy == NULL)
				abort();
			memcpy(copy, tnl_saved[i].b, len);
			vnet_hash_classify_tunnel(copy, len, tnl_saved[i].types, TNL_ALL, &t);
			free(copy);
			prefixes++;
			if (t.words > VNET_HASH_INPUT_WORDS || t.inner_off > len ||
			    (t.report != VNET_HASH_REPORT_NONE &&
			     !(vnet_hash_report_type(t.report) & tnl_saved[i].types))) {
				check_diag("%s: prefix %u: %s", tnl_saved[i].name, len,
					   vnet_hash_report_name(t.report));
				bad++;
			}
		}
	}
	check_ok(ntnl_saved > 0 && bad == 0,
		 "tunnel truncation: %u prefixes of %u frames classify in bounds (%u bad)",
		 prefixes, ntnl_saved, bad);
}

/* The ptype of an inner-hashed frame, written out by hand. */
static void
test_tunnel_ptype(const struct vec_row *o4, const struct vec_row *in4)
{
	struct vnet_hash_tuple t;
	struct pkt_tnl tn;
	uint8_t buf[512];
	uint32_t len, ilen;

	memset(&tn, 0, sizeof(tn));
	len = tnl_frame(&tn, PKT_TNL_VXLAN, o4, in4, buf, sizeof(buf), &ilen);
	vnet_hash_classify_tunnel(buf, len, ALL, TNL_ALL, &t);
	check_ok(t.ptype == (RTE_PTYPE_L2_ETHER | RTE_PTYPE_L3_IPV4 | RTE_PTYPE_L4_UDP |
			     RTE_PTYPE_TUNNEL_VXLAN | RTE_PTYPE_INNER_L2_ETHER |
			     RTE_PTYPE_INNER_L3_IPV4 | RTE_PTYPE_INNER_L4_TCP) &&
		 t.l2_len == 14 && t.l3_len == 20 && t.l4_proto == IPPROTO_UDP,
		 "VXLAN/TCPv4: ptype 0x%08x, outer l2 %u l3 %u proto %u", t.ptype,
		 t.l2_len, t.l3_len, t.l4_proto);
	memset(&tn, 0, sizeof(tn));
	tnl_from_row(&tn, PKT_TNL_NVGRE, o4);
	len = tnl_frame(&tn, PKT_TNL_NVGRE, o4, in4, buf, sizeof(buf), &ilen);
	vnet_hash_classify_tunnel(buf, len, ALL, TNL_ALL, &t);
	check_ok((t.ptype & RTE_PTYPE_TUNNEL_MASK) == RTE_PTYPE_TUNNEL_NVGRE,
		 "NVGRE with NVGRE enabled: TUNNEL_NVGRE (0x%08x)", t.ptype);
	vnet_hash_classify_tunnel(buf, len, ALL, VNET_HASH_TUNNEL_GRE_2890, &t);
	check_ok((t.ptype & RTE_PTYPE_TUNNEL_MASK) == RTE_PTYPE_TUNNEL_GRE &&
		 t.tunnel == VNET_HASH_TUNNEL_GRE_2890,
		 "NVGRE with only GRE_2890 enabled: TUNNEL_GRE (0x%08x)", t.ptype);
	vnet_hash_classify_tunnel(buf, len, ALL, 0, &t);
	check_ok((t.ptype & (RTE_PTYPE_TUNNEL_MASK | RTE_PTYPE_INNER_L2_MASK |
			     RTE_PTYPE_INNER_L3_MASK | RTE_PTYPE_INNER_L4_MASK)) == 0 &&
		 t.tunnel == 0 && t.inner_off == 0,
		 "no tunnel type enabled: no tunnel or inner ptype (0x%08x)", t.ptype);
}

/* rnd_tunnel_frame(), which the kernel and PMD cross-checks feed, makes
 * mostly well-formed tunnels of every type (else they would test little). */
static void
test_rnd_tunnels(void)
{
	static uint8_t buf[1600];
	unsigned int i, matched = 0, seen = 0;

	rnd_seed(42);
	for (i = 0; i < 4000; i++) {
		uint32_t len = rnd_tunnel_frame(buf, sizeof(buf), false);
		uint32_t m = vnet_hash_tunnel_match(buf, len, NULL);

		matched += m != 0;
		seen |= m;
	}
	check_ok(matched > 4000 / 2 && seen == VNET_HASH_TUNNEL_ALL,
		 "rnd_tunnel_frame: %u of 4000 frames are tunnels, types seen 0x%x", matched, seen);
}

static void
test_tunnel_codec_names(void)
{
	uint8_t b[8];
	uint32_t v = 0, i;
	const char *badw = NULL;
	char txt[160];
	unsigned int bad = 0;

	check_ok(vnet_hash_tunnel_encode(0x151, b, sizeof(b)) == 4 &&
		 b[0] == 0x51 && b[1] == 0x01 && b[2] == 0 && b[3] == 0 &&
		 vnet_hash_tunnel_decode(&v, b, 4) == 0 && v == 0x151,
		 "virtnet_hash_tunnel: le32, 4 bytes, round trip");
	check_ok(vnet_hash_tunnel_encode(1, b, 3) == -ENOSPC &&
		 vnet_hash_tunnel_decode(&v, b, 3) == -EINVAL &&
		 vnet_hash_tunnel_decode(&v, b, 5) == -EINVAL,
		 "virtnet_hash_tunnel: other lengths refused");
	b[0] = 0, b[1] = 0x02, b[2] = 0, b[3] = 0;	/* bit 9 */
	v = 7;
	check_ok(vnet_hash_tunnel_decode(&v, b, 4) == -EINVAL && v == 7,
		 "virtnet_hash_tunnel: an unknown bit refused, nothing written");
	for (i = 0; i < 9; i++) {
		static const char *const want[] = { "gre_2784", "gre_2890", "gre_7676",
			"gre_udp", "vxlan", "vxlan_gpe", "geneve", "ipip", "nvgre" };
		const char *n = vnet_hash_tunnel_name(1u << i);

		if (n == NULL || strcmp(n, want[i]) != 0 ||
		    vnet_hash_tunnels_parse(n, &v, NULL) != 0 || v != 1u << i)
			bad++;
	}
	check_ok(bad == 0 && vnet_hash_tunnel_name(0) == NULL &&
		 vnet_hash_tunnel_name(1u << 9) == NULL && vnet_hash_tunnel_name(3) == NULL,
		 "tunnel names: the spec's, each parses back");
	check_ok(vnet_hash_tunnels_parse(" VXLAN-GPE , gre,Geneve", &v, NULL) == 0 &&
		 v == (VNET_HASH_TUNNEL_VXLAN_GPE | VNET_HASH_TUNNEL_GENEVE | 0x7),
		 "tunnel list: any case, '-' for '_', 'gre' = the three GRE types");
	check_ok(vnet_hash_tunnels_parse("all", &v, NULL) == 0 && v == TNL_ALL &&
		 vnet_hash_tunnels_parse("none", &v, NULL) == 0 && v == 0,
		 "tunnel list: all, none");
	check_ok(vnet_hash_tunnels_parse("vxlan,mpls", &v, &badw) == -EINVAL &&
		 badw != NULL && strcmp(badw, "mpls") == 0 &&
		 vnet_hash_tunnels_parse("vxlan,", &v, &badw) == -EINVAL &&
		 vnet_hash_tunnels_parse("", &v, &badw) == -EINVAL,
		 "tunnel list: an unknown or empty word refused, and named");
	check_ok(vnet_hash_tunnels_format(TNL_ALL, txt, sizeof(txt)) > 0 &&
		 vnet_hash_tunnels_parse(txt, &v, NULL) == 0 && v == TNL_ALL &&
		 vnet_hash_tunnels_format(0, txt, sizeof(txt)) == 4 && strcmp(txt, "none") == 0 &&
		 vnet_hash_tunnels_format(TNL_ALL, txt, 4) > 4 && strlen(txt) == 3,
		 "tunnel list format: round trip, none, truncated like snprintf");
}

/* With VNET_HASH_SEED_DIR set, leave the frames there as a seed corpus for
 * fuzz-classify (its input: 2 bytes of types, 1 split byte, the frame). */
static void
dump_set(const char *dir, const struct saved *set, unsigned int n, const char *prefix,
	 uint16_t flags, uint8_t split)
{
	unsigned int i;

	for (i = 0; dir != NULL && i < n; i++) {
		char path[4096];
		uint16_t w = (uint16_t)(set[i].types | flags);
		uint8_t head[3] = { w & 0xff, w >> 8, split };
		FILE *f;

		snprintf(path, sizeof(path), "%s/%s-%03u", dir, prefix, i);
		f = fopen(path, "wb");
		if (f == NULL || fwrite(head, 1, 3, f) != 3 ||
		    fwrite(set[i].b, 1, set[i].len, f) != set[i].len) {
			perror(path);
			exit(2);
		}
		fclose(f);
	}
}

static void
dump_seeds(const char *dir)
{
	dump_set(dir, saved, nsaved, "frame", 0, 14);
	/* tunnelled frames: bit 15 of the types word enables every tunnel type */
	dump_set(dir, tnl_saved, ntnl_saved, "tunnel", 0x8000, 60);
}

/* ------------------------------------------------------------------ */
/* Codecs and mappings */

static void
test_control_codecs(void)
{
	static struct vnet_hash_rss rss, back;
	struct vnet_hash_config c, cb;
	uint8_t buf[4096];
	int len, i;
	/* a hand-made VIRTIO_NET_CTRL_MQ_HASH_CONFIG: types 0x1ff, key 40 */
	uint8_t wire[13 + 40] = { 0xff, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 40 };

	memcpy(wire + 13, vnet_hash_default_key, 40);
	check_ok(vnet_hash_config_decode(&c, wire, sizeof(wire)) == 0 &&
	       c.hash_types == 0x1ff && c.key.len == 40 &&
	       memcmp(c.key.raw, vnet_hash_default_key, 40) == 0,
	       "hash_config: hand-made wire bytes decode");
	len = vnet_hash_config_encode(&c, buf, sizeof(buf));
	check_ok(len == (int)sizeof(wire) && memcmp(buf, wire, sizeof(wire)) == 0,
	       "hash_config: encodes back to the same bytes");
	check_ok(vnet_hash_config_decode(&cb, wire, sizeof(wire) - 1) == -EINVAL,
	       "hash_config: short by one byte refused");
	wire[1] = 0x03;	/* bit 9 */
	check_ok(vnet_hash_config_decode(&cb, wire, sizeof(wire)) == -EINVAL,
	       "hash_config: unknown type bit 9 refused");
	wire[1] = 0x01;
	wire[12] = 39;
	check_ok(vnet_hash_config_decode(&cb, wire, sizeof(wire) - 1) == -EINVAL,
	       "hash_config: 39-byte key with types refused");
	memset(wire, 0, 13);
	check_ok(vnet_hash_config_decode(&cb, wire, 13) == 0 && cb.hash_types == 0,
	       "hash_config: all off, no key, accepted");
	check_ok(vnet_hash_config_encode(&c, buf, 20) == -ENOSPC, "hash_config: -ENOSPC");

	memset(&rss, 0, sizeof(rss));
	rss.hash_types = VNET_HASH_TYPE_TCPV4 | VNET_HASH_TYPE_IPV6;
	rss.reta_size = 128;
	rss.unclassified_queue = 7;
	rss.max_tx_vq = 4;
	for (i = 0; i < 128; i++)
		rss.reta[i] = (uint16_t)(i % 4);
	vnet_hash_key_set(&rss.key, vnet_hash_default_key, 40);
	len = vnet_hash_rss_encode(&rss, buf, sizeof(buf));
	check_ok(len == 8 + 256 + 3 + 40 && buf[0] == 0x0a && buf[4] == 127 && buf[5] == 0 &&
	       buf[6] == 7 && buf[8 + 2 * 5] == 1 && buf[264] == 4 && buf[266] == 40,
	       "rss_config: encoded layout (len %d)", len);
	check_ok(vnet_hash_rss_decode(&back, buf, (size_t)len) == 0 &&
	       back.hash_types == rss.hash_types && back.reta_size == 128 &&
	       back.unclassified_queue == 7 && back.max_tx_vq == 4 &&
	       memcmp(back.reta, rss.reta, 256) == 0 && back.key.len == 40 &&
	       memcmp(back.key.raw, vnet_hash_default_key, 40) == 0,
	       "rss_config: decodes back");
	check_ok(vnet_hash_rss_queue(&back, 0x12345677, VNET_HASH_REPORT_TCPV4) == 0x77 % 4 &&
	       vnet_hash_rss_queue(&back, 0x12345677, VNET_HASH_REPORT_NONE) == 7,
	       "rss: queue = reta[hash & 127], NONE -> unclassified_queue");
	buf[4] = 2;	/* mask 2: table of 3 */
	check_ok(vnet_hash_rss_decode(&back, buf, (size_t)len) == -EINVAL,
	       "rss_config: table size 3 refused");
	buf[4] = 0xff, buf[5] = 0x07;	/* 2048 entries */
	check_ok(vnet_hash_rss_decode(&back, buf, (size_t)len) == -EINVAL,
	       "rss_config: table above the maximum refused");
	buf[4] = 127, buf[5] = 0;
	check_ok(vnet_hash_rss_decode(&back, buf, (size_t)len + 1) == -EINVAL,
	       "rss_config: trailing byte refused");
}

static void
test_vnet_hdr_codec(void)
{
	/* flags NEEDS_CSUM, gso TCPV4, hdr_len 54, gso_size 1448, csum 34/16,
	 * num_buffers 1, hash 0x51ccc178, report TCPv4 */
	static const uint8_t le[20] = {
		0x01, 0x01, 0x36, 0x00, 0xa8, 0x05, 0x22, 0x00, 0x10, 0x00, 0x01, 0x00,
		0x78, 0xc1, 0xcc, 0x51, 0x02, 0x00, 0x00, 0x00,
	};
	static const uint8_t be[20] = {
		0x01, 0x01, 0x00, 0x36, 0x05, 0xa8, 0x00, 0x22, 0x00, 0x10, 0x00, 0x01,
		0x78, 0xc1, 0xcc, 0x51, 0x02, 0x00, 0x00, 0x00,
	};
	struct vnet_hdr h, h2;
	uint8_t out[24];

	check_ok(vnet_hdr_decode(&h, le, 20, true) == 0 && h.flags == 1 && h.gso_type == 1 &&
	       h.hdr_len == 54 && h.gso_size == 1448 && h.csum_start == 34 &&
	       h.csum_offset == 16 && h.num_buffers == 1 && h.hash_value == 0x51ccc178 &&
	       h.hash_report == 2 && h.padding_reserved == 0,
	       "vnet_hdr: 20-byte little-endian header decodes");
	check_ok(vnet_hdr_encode(&h, out, 20, true) == 0 && memcmp(out, le, 20) == 0,
	       "vnet_hdr: and encodes back");
	check_ok(vnet_hdr_decode(&h2, be, 20, false) == 0 && memcmp(&h, &h2, sizeof(h)) == 0,
	       "vnet_hdr: big-endian (legacy) fields; hash fields stay little-endian");
	check_ok(vnet_hdr_encode(&h2, out, 20, false) == 0 && memcmp(out, be, 20) == 0,
	       "vnet_hdr: big-endian encodes back");
	check_ok(vnet_hdr_decode(&h2, le, 12, true) == 0 && h2.num_buffers == 1 &&
	       h2.hash_value == 0 && h2.hash_report == 0,
	       "vnet_hdr: 12-byte header has no hash fields");
	check_ok(vnet_hdr_decode(&h2, le, 10, true) == 0 && h2.num_buffers == 0 &&
	       h2.csum_offset == 16, "vnet_hdr: 10-byte legacy header");
	check_ok(vnet_hdr_decode(&h2, le, 9, true) == -EINVAL, "vnet_hdr: 9 bytes refused");
	memset(out, 0xee, sizeof(out));
	check_ok(vnet_hdr_encode(&h, out, 24, true) == 0 && memcmp(out, le, 20) == 0 &&
	       out[20] == 0 && out[23] == 0, "vnet_hdr: bytes past 20 are zeroed");
	memset(out, 0xee, sizeof(out));
	check_ok(vnet_hdr_encode(&h, out, 12, true) == 0 && memcmp(out, le, 12) == 0 &&
	       out[12] == 0xee, "vnet_hdr: a 12-byte encode writes 12 bytes");
#if RTE_BYTE_ORDER == RTE_LITTLE_ENDIAN
	check_ok(vnet_hdr_is_le(false, false) && vnet_hdr_is_le(true, false) &&
	       !vnet_hdr_is_le(false, true), "vnet_hdr: LE host, TUNSETVNETBE rules");
#else
	check_ok(!vnet_hdr_is_le(false, false) && vnet_hdr_is_le(true, false),
	       "vnet_hdr: BE host, TUNSETVNETLE rules");
#endif
}

static void
test_vnet_hdr_check(void)
{
	struct vnet_hdr ok = {
		.flags = VNET_HDR_F_NEEDS_CSUM, .gso_type = VNET_HDR_GSO_TCPV4,
		.hdr_len = 54, .gso_size = 1448, .csum_start = 34, .csum_offset = 16,
	};
	struct vnet_hdr h;

	check_ok(vnet_hdr_check(&ok, 3000) == VNET_HDR_OK, "check: a TSO header passes");
	h = ok, h.flags |= 0x08;
	check_ok(vnet_hdr_check(&h, 3000) == VNET_HDR_BAD_FLAGS, "check: unknown flag");
	h = ok, h.gso_type = VNET_HDR_GSO_UDP;
	check_ok(vnet_hdr_check(&h, 3000) == VNET_HDR_BAD_GSO_TYPE, "check: UFO refused");
	h = ok, h.gso_type = 9;
	check_ok(vnet_hdr_check(&h, 3000) == VNET_HDR_BAD_GSO_TYPE, "check: gso_type 9");
	h = ok, h.gso_type = VNET_HDR_GSO_ECN;
	check_ok(vnet_hdr_check(&h, 3000) == VNET_HDR_BAD_GSO_TYPE, "check: ECN alone");
	h = ok, h.gso_type = VNET_HDR_GSO_TCPV6 | VNET_HDR_GSO_ECN;
	check_ok(vnet_hdr_check(&h, 3000) == VNET_HDR_OK, "check: TCPV6|ECN passes");
	h = ok, h.gso_size = 0;
	check_ok(vnet_hdr_check(&h, 3000) == VNET_HDR_BAD_GSO_SIZE, "check: gso_size 0");
	h = ok, h.flags = 0;
	check_ok(vnet_hdr_check(&h, 3000) == VNET_HDR_BAD_GSO_CSUM, "check: GSO without csum");
	h = ok, h.csum_offset = 6;
	check_ok(vnet_hdr_check(&h, 3000) == VNET_HDR_BAD_GSO_CSUM,
	       "check: TCP GSO with UDP csum offset");
	h = ok, h.gso_type = VNET_HDR_GSO_UDP_L4, h.csum_offset = 6;
	check_ok(vnet_hdr_check(&h, 3000) == VNET_HDR_OK, "check: USO passes");
	h = ok;
	check_ok(vnet_hdr_check(&h, 53) == VNET_HDR_BAD_CSUM, "check: TCP header past frame");
	h = ok, h.gso_type = 0, h.csum_start = 60, h.csum_offset = 100;
	check_ok(vnet_hdr_check(&h, 100) == VNET_HDR_BAD_CSUM, "check: csum field past frame");
	h = ok, h.csum_start = 20;
	check_ok(vnet_hdr_check(&h, 3000) == VNET_HDR_BAD_CSUM, "check: csum_start in L2/L3");
	h = ok, h.hdr_len = 4000;
	check_ok(vnet_hdr_check(&h, 3000) == VNET_HDR_BAD_HDR_LEN, "check: hdr_len past frame");
	h = ok, h.hash_report = 10;
	check_ok(vnet_hdr_check(&h, 3000) == VNET_HDR_BAD_REPORT, "check: report 10");
	check_ok(strcmp(vnet_hdr_bad_name(VNET_HDR_BAD_CSUM), "bad_csum") == 0 &&
	       strcmp(vnet_hdr_bad_name(VNET_HDR_BAD_MAX), "?") == 0, "check: reason names");
}

static void
test_mbuf_mapping(void)
{
	struct rte_mbuf m;
	struct vnet_hdr h;

	/* receive */
	memset(&m, 0, sizeof(m));
	memset(&h, 0, sizeof(h));
	h.flags = VNET_HDR_F_DATA_VALID;
	h.hash_value = 0xdeadbeef;
	h.hash_report = VNET_HASH_REPORT_TCPV6_EX;
	check_ok(vnet_hdr_to_mbuf(&h, &m) == 0 && m.hash.rss == 0xdeadbeef &&
	       (m.ol_flags & RTE_MBUF_F_RX_RSS_HASH) &&
	       (m.ol_flags & RTE_MBUF_F_RX_L4_CKSUM_MASK) == RTE_MBUF_F_RX_L4_CKSUM_GOOD &&
	       m.packet_type == (RTE_PTYPE_L3_IPV6_EXT | RTE_PTYPE_L4_TCP),
	       "rx: hash, report -> ptype, DATA_VALID -> L4_CKSUM_GOOD");
	memset(&m, 0, sizeof(m));
	h.flags = VNET_HDR_F_NEEDS_CSUM;
	h.gso_type = VNET_HDR_GSO_TCPV4;
	h.gso_size = 1448;
	h.hash_report = VNET_HASH_REPORT_NONE;
	check_ok(vnet_hdr_to_mbuf(&h, &m) == 0 && !(m.ol_flags & RTE_MBUF_F_RX_RSS_HASH) &&
	       (m.ol_flags & RTE_MBUF_F_RX_L4_CKSUM_MASK) == RTE_MBUF_F_RX_L4_CKSUM_NONE &&
	       (m.ol_flags & RTE_MBUF_F_RX_LRO) && m.tso_segsz == 1448 && m.packet_type == 0,
	       "rx: GSO -> LRO + tso_segsz, NEEDS_CSUM -> L4_CKSUM_NONE, no report no hash");
	memset(&m, 0, sizeof(m));
	h.gso_type = 2;
	check_ok(vnet_hdr_to_mbuf(&h, &m) == -EINVAL && m.ol_flags == 0,
	       "rx: unknown gso_type refused, mbuf untouched");

	/* transmit */
	memset(&m, 0, sizeof(m));
	m.pkt_len = 3000;
	m.l2_len = 14, m.l3_len = 20, m.l4_len = 32;
	m.tso_segsz = 1400;
	m.ol_flags = RTE_MBUF_F_TX_TCP_SEG | RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_IP_CKSUM;
	check_ok(vnet_hdr_from_mbuf(&h, &m) == 0 && h.gso_type == VNET_HDR_GSO_TCPV4 &&
	       h.gso_size == 1400 && h.hdr_len == 66 && h.flags == VNET_HDR_F_NEEDS_CSUM &&
	       h.csum_start == 34 && h.csum_offset == 16,
	       "tx: TCP_SEG/IPV4 -> GSO_TCPV4, hdr_len, csum 34/16");
	m.ol_flags = RTE_MBUF_F_TX_TCP_SEG | RTE_MBUF_F_TX_IPV6;
	m.l3_len = 40;
	check_ok(vnet_hdr_from_mbuf(&h, &m) == 0 && h.gso_type == VNET_HDR_GSO_TCPV6 &&
	       h.csum_start == 54, "tx: TCP_SEG/IPV6 -> GSO_TCPV6");
	m.ol_flags = RTE_MBUF_F_TX_TCP_SEG;
	check_ok(vnet_hdr_from_mbuf(&h, &m) == -EINVAL, "tx: TSO without IPV4/IPV6 refused");
	m.ol_flags = RTE_MBUF_F_TX_TCP_SEG | RTE_MBUF_F_TX_IPV6;
	m.tso_segsz = 0;
	check_ok(vnet_hdr_from_mbuf(&h, &m) == -EINVAL, "tx: TSO with tso_segsz 0 refused");
	m.tso_segsz = 1400, m.l4_len = 0;
	check_ok(vnet_hdr_from_mbuf(&h, &m) == -EINVAL, "tx: TSO with l4_len 0 refused");
	m.l4_len = 8, m.ol_flags = RTE_MBUF_F_TX_UDP_SEG | RTE_MBUF_F_TX_IPV6;
	check_ok(vnet_hdr_from_mbuf(&h, &m) == 0 && h.gso_type == VNET_HDR_GSO_UDP_L4 &&
	       h.csum_offset == 6, "tx: UDP_SEG -> GSO_UDP_L4");
	m.ol_flags = RTE_MBUF_F_TX_UDP_CKSUM | RTE_MBUF_F_TX_IPV4;
	m.l3_len = 20;
	check_ok(vnet_hdr_from_mbuf(&h, &m) == 0 && h.gso_type == 0 && h.hdr_len == 0 &&
	       h.flags == VNET_HDR_F_NEEDS_CSUM && h.csum_start == 34 && h.csum_offset == 6,
	       "tx: UDP_CKSUM -> NEEDS_CSUM 34/6");
	m.ol_flags = RTE_MBUF_F_TX_TCP_CKSUM;
	m.pkt_len = 40;
	check_ok(vnet_hdr_from_mbuf(&h, &m) == -EINVAL, "tx: checksum field past the frame");
	m.pkt_len = 3000, m.l2_len = 0, m.l3_len = 0;
	check_ok(vnet_hdr_from_mbuf(&h, &m) == -EINVAL, "tx: TCP_CKSUM without l2/l3_len");
	m.ol_flags = RTE_MBUF_F_TX_SCTP_CKSUM;
	check_ok(vnet_hdr_from_mbuf(&h, &m) == -ENOTSUP, "tx: SCTP checksum not supported");
	m.ol_flags = RTE_MBUF_F_TX_TUNNEL_VXLAN | RTE_MBUF_F_TX_TCP_CKSUM;
	check_ok(vnet_hdr_from_mbuf(&h, &m) == -ENOTSUP, "tx: tunnel offload not supported");
	m.ol_flags = 0;
	check_ok(vnet_hdr_from_mbuf(&h, &m) == 0 && h.flags == 0 && h.gso_type == 0,
	       "tx: no offload, empty header");
}

/* our copy of the tun uAPI spells its ioctl sizes as numbers */
static void
test_tun_uapi(void)
{
	check_ok(VNET_HASH_TUNSETVNETHASH == _IOW('T', 233, struct virtio_net_hash_config) &&
	       VNET_HASH_TUNSETVNETRSS == _IOW('T', 234, struct virtio_net_rss_config) &&
	       VNET_HASH_TUNGETVNETHASH == _IOR('T', 235, struct virtio_net_hash_config) &&
	       VNET_HASH_TUNGETVNETRSS == _IOR('T', 236, struct virtio_net_rss_config) &&
	       VNET_HASH_TUNSETVNETHASHTUNNEL == _IOW('T', 237, __le32) &&
	       VNET_HASH_TUNGETVNETHASHTUNNEL == _IOR('T', 238, __le32) &&
	       sizeof(struct vnet_hash_tun_cap) == 12 &&
	       offsetof(struct vnet_hash_tun_cap, supported_tunnel_types) == 8,
	       "tun uAPI copy: ioctl numbers as the kernel's header computes them");
}

static void
test_mappings(void)
{
	uint64_t unsup, rss;
	uint32_t types, t;
	const char *bad;
	char buf[128];
	unsigned int i, r;

	check_ok(vnet_hash_types_to_rss(VNET_HASH_TYPE_TCPV4) == RTE_ETH_RSS_NONFRAG_IPV4_TCP &&
	       vnet_hash_types_to_rss(VNET_HASH_TYPE_IP_EX) == RTE_ETH_RSS_IPV6_EX &&
	       vnet_hash_types_to_rss(VNET_HASH_TYPE_UDP_EX) == RTE_ETH_RSS_IPV6_UDP_EX,
	       "types -> RTE_ETH_RSS_*");
	rss = vnet_hash_types_to_rss(ALL);
	check_ok(vnet_hash_types_from_rss(rss, &unsup) == ALL && unsup == 0,
	       "all types -> rss -> all types");
	for (i = 0, r = 0; i < 9; i++)
		if (vnet_hash_types_from_rss(vnet_hash_types_to_rss(1u << i), NULL) != 1u << i)
			r++;
	check_ok(r == 0, "each type round-trips alone");
	check_ok(vnet_hash_types_from_rss(RTE_ETH_RSS_IP, &unsup) ==
	       (VNET_HASH_TYPE_IPV4 | VNET_HASH_TYPE_IPV6 | VNET_HASH_TYPE_IP_EX) && unsup == 0,
	       "RTE_ETH_RSS_IP -> ipv4,ipv6,ip_ex");
	check_ok(vnet_hash_types_from_rss(RTE_ETH_RSS_TCP, &unsup) ==
	       (VNET_HASH_TYPE_TCPV4 | VNET_HASH_TYPE_TCPV6 | VNET_HASH_TYPE_TCP_EX) && unsup == 0,
	       "RTE_ETH_RSS_TCP -> tcpv4,tcpv6,tcp_ex");
	vnet_hash_types_from_rss(RTE_ETH_RSS_IPV4 | RTE_ETH_RSS_L2_PAYLOAD |
				 RTE_ETH_RSS_NONFRAG_IPV4_SCTP, &unsup);
	check_ok(unsup == (RTE_ETH_RSS_L2_PAYLOAD | RTE_ETH_RSS_NONFRAG_IPV4_SCTP),
	       "L2_PAYLOAD and SCTP reported unsupported");

	check_ok(vnet_hash_report_to_ptype(VNET_HASH_REPORT_UDPV4) ==
	       (RTE_PTYPE_L3_IPV4_EXT_UNKNOWN | RTE_PTYPE_L4_UDP) &&
	       vnet_hash_report_to_ptype(VNET_HASH_REPORT_IPV6_EX) == RTE_PTYPE_L3_IPV6_EXT &&
	       vnet_hash_report_to_ptype(VNET_HASH_REPORT_NONE) == 0 &&
	       vnet_hash_report_to_ptype(10) == 0, "report -> ptype");
	for (r = 1, i = 0; r <= VNET_HASH_REPORT_MAX; r++)
		if (vnet_hash_report_type(r) != 1u << (r - 1))
			i++;
	check_ok(i == 0 && vnet_hash_report_type(0) == 0 && vnet_hash_report_type(10) == 0,
	       "report -> type bit");
	check_ok(strcmp(vnet_hash_report_name(8), "TCPv6_EX") == 0 &&
	       strcmp(vnet_hash_report_name(0), "NONE") == 0 &&
	       strcmp(vnet_hash_report_name(10), "?") == 0, "report names");

	check_ok(vnet_hash_types_parse("tcpv4,udp_ex", &types, &bad) == 0 &&
	       types == (VNET_HASH_TYPE_TCPV4 | VNET_HASH_TYPE_UDP_EX), "parse tcpv4,udp_ex");
	check_ok(vnet_hash_types_parse("all", &types, &bad) == 0 && types == ALL, "parse all");
	check_ok(vnet_hash_types_parse("none", &types, &bad) == 0 && types == 0, "parse none");
	t = 42;
	check_ok(vnet_hash_types_parse("ipv4,tcp4", &t, &bad) == -EINVAL &&
	       strcmp(bad, "tcp4") == 0 && t == 42, "parse: 'tcp4' refused, named, nothing set");
	t = 42;
	check_ok(vnet_hash_types_parse("ipv4,ipv4-sctp", &t, &bad) == -EINVAL &&
	       strcmp(bad, "ipv4-sctp") == 0 && t == 42,
	       "parse: 'ipv4-sctp' (DPDK's, no virtio-net type) refused, named, nothing set");
	/* DPDK's names (RTE_ETH_RSS_TCP is IPv4, IPv6 and IPv6-EX TCP) and ours as printed */
	check_ok(vnet_hash_types_parse("tcp", &types, &bad) == 0 &&
	       types == (VNET_HASH_TYPE_TCPV4 | VNET_HASH_TYPE_TCPV6 | VNET_HASH_TYPE_TCP_EX),
	       "parse tcp (DPDK's group): tcpv4, tcpv6, tcp_ex");
	check_ok(vnet_hash_types_parse(" TCPv4 ,UDPv6_EX, ipv4-udp", &types, &bad) == 0 &&
	       types == (VNET_HASH_TYPE_TCPV4 | VNET_HASH_TYPE_UDP_EX | VNET_HASH_TYPE_UDPV4),
	       "parse ' TCPv4 ,UDPv6_EX, ipv4-udp': report names, DPDK's, spaces");
	check_ok(vnet_hash_types_parse("ipv4,", &t, &bad) == -EINVAL && *bad == '\0',
	       "parse: trailing comma refused");
	check_ok(vnet_hash_types_parse("", &t, &bad) == -EINVAL, "parse: empty refused");
	vnet_hash_types_format(ALL, buf, sizeof(buf));
	check_ok(strcmp(buf, "ipv4,tcpv4,udpv4,ipv6,tcpv6,udpv6,ip_ex,tcp_ex,udp_ex") == 0,
	       "format all: %s", buf);
	check_ok(vnet_hash_types_format(0, buf, sizeof(buf)) == 4 && strcmp(buf, "none") == 0,
	       "format none");
	check_ok(vnet_hash_types_format(ALL, buf, 10) == 53 && strcmp(buf, "ipv4,tcpv") == 0,
	       "format truncates like snprintf");
}

int
main(int argc, char **argv)
{
	static struct vec_file v;
	int i;
	unsigned int r;

	if (argc < 2) {
		fprintf(stderr, "usage: %s VECTORS.tsv [VECTORS.tsv ...]\n", argv[0]);
		return 2;
	}
	test_toeplitz_dispatch();
	for (i = 1; i < argc; i++) {
		if (vec_load(argv[i], &v) != 0)
			return 2;
		test_vectors(argv[i], &v);
	}
	if (vnet_hash_key_set(&key, v.key, v.key_len) != 0)
		return 2;
	key_bytes = v.key;
	test_keys(&v);
	test_dispatch_runs_gfni(&v);
	test_gfni_random();
	test_gfni_frames();
	for (r = 0; r < v.n; r++) {
		if (v.row[r].alen == 4)
			test_classify_v4(&v.row[r]);
		else
			test_classify_v6(&v.row[r]);
	}
	for (r = 0; r < v.n && v.row[r].alen != 4; r++)
		;
	if (r == v.n) {
		fprintf(stderr, "no IPv4 vector\n");
		return 2;
	}
	test_classify_other(&v.row[r]);
	test_truncation();
	test_segmented_long_headers();
	{
		const struct vec_row *o4 = NULL, *o6 = NULL, *in4 = NULL;

		for (r = 0; r < v.n; r++) {
			if (v.row[r].alen == 4 && o4 == NULL)
				o4 = &v.row[r];
			else if (v.row[r].alen == 4 && in4 == NULL)
				in4 = &v.row[r];
			else if (v.row[r].alen == 16 && o6 == NULL)
				o6 = &v.row[r];
		}
		if (o4 == NULL || o6 == NULL || in4 == NULL) {
			fprintf(stderr, "want two IPv4 vectors and an IPv6 one\n");
			return 2;
		}
		test_tunnel_kinds(&v, o4, o6);
		test_tunnel_malformed(o4, o6, in4);
		test_tunnel_ptype(o4, in4);
		test_tunnel_truncation();
		test_tunnel_codec_names();
		test_rnd_tunnels();
	}
	test_control_codecs();
	test_vnet_hdr_codec();
	test_vnet_hdr_check();
	test_mbuf_mapping();
	test_mappings();
	test_tun_uapi();
	dump_seeds(getenv("VNET_HASH_SEED_DIR"));
	for (r = 0; r < nsaved; r++)
		free(saved[r].b);
	for (r = 0; r < ntnl_saved; r++)
		free(tnl_saved[r].b);
	return check_done();
}
