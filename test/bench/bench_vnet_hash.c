/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 hashtap authors
 *
 * Micro-benchmark (not a test): ns and TSC cycles per packet of
 * lib/vnet_hash classify+hash on IPv4-TCP and IPv6-TCP frames, with each
 * Toeplitz implementation this CPU runs (rte_thash_gfni() where it has GFNI
 * and AVX-512, rte_softrss_be()), beside the classifier alone and the bare
 * hashes on the same tuples.  The rows take turns for several rounds and
 * each prints its median round.  Compare the rows of one run with each
 * other; absolute numbers depend on the machine.
 */

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <netinet/in.h>

#include <rte_common.h>
#include <rte_cpuflags.h>
#include <rte_cycles.h>
#include <rte_thash.h>

#include "pkt.h"
#include "vnet_hash.h"

#define NFRAMES 1024
#define MAX_ROUNDS 63

struct set {
	const char *name;
	uint8_t frame[NFRAMES][128];
	uint32_t len[NFRAMES];
	struct vnet_hash_tuple tuple[NFRAMES];
};

static volatile uint32_t sink;

static double
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static void
make_set(struct set *s, int ipver)
{
	struct pkt_spec sp;
	unsigned int i, j;

	s->name = ipver == 4 ? "IPv4-TCP" : "IPv6-TCP";
	for (i = 0; i < NFRAMES; i++) {
		memset(&sp, 0, sizeof(sp));
		sp.ipver = (uint8_t)ipver;
		sp.l4 = IPPROTO_TCP;
		for (j = 0; j < 16; j++) {
			sp.src[j] = (uint8_t)rand();
			sp.dst[j] = (uint8_t)rand();
		}
		sp.sport = (uint16_t)rand();
		sp.dport = (uint16_t)rand();
		s->len[i] = pkt_build(&sp, s->frame[i], sizeof(s->frame[i]));
		if (vnet_hash_classify(s->frame[i], s->len[i], VNET_HASH_TYPE_ALL,
				       &s->tuple[i]) == 0 ||
		    s->tuple[i].words != (ipver == 4 ? 3 : 9)) {
			fprintf(stderr, "frame %u did not classify\n", i);
			exit(1);
		}
	}
}

enum what { CLASSIFY_HASH, CLASSIFY_ONLY, TOEPLITZ, SOFTRSS, SOFTRSS_BE };

static const struct row {
	enum what what;
	const char *impl;	/* vnet_hash_toeplitz_select(), or NULL */
	const char *name;
} rows[] = {
	{ CLASSIFY_HASH, "gfni", "classify + hash (lib/vnet_hash), gfni" },
	{ CLASSIFY_HASH, "softrss", "classify + hash (lib/vnet_hash), softrss" },
	{ CLASSIFY_ONLY, NULL, "classify only" },
	{ TOEPLITZ, "gfni", "vnet_hash_toeplitz(), gfni" },
	{ TOEPLITZ, "softrss", "vnet_hash_toeplitz(), softrss" },
	{ SOFTRSS, NULL, "rte_softrss (bare)" },
	{ SOFTRSS_BE, NULL, "rte_softrss_be (bare)" },
};

static void
run(const struct set *s, enum what w, const struct vnet_hash_key *k, const uint8_t *raw_key,
    unsigned int iters, double *ns, double *cyc)
{
	uint32_t acc = 0, tuple[VNET_HASH_INPUT_WORDS];
	double t0 = now_ns();
	uint64_t c0 = rte_rdtsc();
	unsigned int it, i;

	for (it = 0; it < iters; it++) {
		for (i = 0; i < NFRAMES; i++) {
			const struct vnet_hash_tuple *tp = &s->tuple[i];
			struct vnet_hash_tuple t;
			uint32_t h;

			switch (w) {
			case CLASSIFY_HASH:
				vnet_hash_frame(k, VNET_HASH_TYPE_ALL, s->frame[i], s->len[i], &h);
				acc ^= h;
				break;
			case CLASSIFY_ONLY:
				acc ^= vnet_hash_classify(s->frame[i], s->len[i],
							  VNET_HASH_TYPE_ALL, &t) + t.w[0];
				break;
			case TOEPLITZ:
				acc ^= vnet_hash_toeplitz(k, tp);
				break;
			case SOFTRSS:
				memcpy(tuple, tp->w, sizeof(tuple));
				acc ^= rte_softrss(tuple, tp->words, raw_key);
				break;
			case SOFTRSS_BE:
				memcpy(tuple, tp->w, sizeof(tuple));
				acc ^= rte_softrss_be(tuple, tp->words, (const uint8_t *)k->be);
				break;
			}
		}
	}
	*cyc = (double)(rte_rdtsc() - c0) / ((double)iters * NFRAMES);
	*ns = (now_ns() - t0) / ((double)iters * NFRAMES);
	sink ^= acc;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double
median(double *v, unsigned int n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* TSC ticks per ns, against CLOCK_MONOTONIC over 20 ms (no EAL here). */
static double
tsc_ghz(void)
{
	double t0 = now_ns(), t1;
	uint64_t c0 = rte_rdtsc();

	while ((t1 = now_ns()) - t0 < 20e6)
		;
	return (double)(rte_rdtsc() - c0) / (t1 - t0);
}

/* What the CPU says (CPUID) and what the library chose. */
static void
print_cpu(void)
{
	static const struct {
		enum rte_cpu_flag_t flag;
		const char *name;
	} flags[] = {
		{ RTE_CPUFLAG_GFNI, "gfni" }, { RTE_CPUFLAG_AVX512F, "avx512f" },
		{ RTE_CPUFLAG_AVX512BW, "avx512bw" }, { RTE_CPUFLAG_AVX512VL, "avx512vl" },
		{ RTE_CPUFLAG_AVX512DQ, "avx512dq" }, { RTE_CPUFLAG_AVX512VBMI, "avx512vbmi" },
	};
	char line[256], *model = NULL;
	unsigned int i;
	FILE *f;

	f = fopen("/proc/cpuinfo", "r");
	while (f != NULL && model == NULL && fgets(line, sizeof(line), f) != NULL)
		if (strncmp(line, "model name", 10) == 0 && (model = strchr(line, ':')) != NULL)
			model[strcspn(model, "\n")] = '\0';
	if (f != NULL)
		fclose(f);
	printf("CPU:%s, TSC %.2f GHz\nCPU features (CPUID):", model != NULL ? model + 1 : " ?",
	       tsc_ghz());
	for (i = 0; i < RTE_DIM(flags); i++)
		printf(" %s%s", rte_cpu_get_flag_enabled(flags[i].flag) > 0 ? "+" : "-",
		       flags[i].name);
	printf("\nlib/vnet_hash: GFNI path %s, Toeplitz at load: %s\n\n",
	       vnet_hash_toeplitz_gfni_supported() ? "available" : "not available",
	       vnet_hash_toeplitz_impl());
}

int
main(int argc, char **argv)
{
	static struct set sets[2];
	static double ns[2][RTE_DIM(rows)][MAX_ROUNDS], cyc[2][RTE_DIM(rows)][MAX_ROUNDS];
	const char *at_load = vnet_hash_toeplitz_impl();
	unsigned int iters = 100, rounds = 31, s, r, n;
	struct vnet_hash_key k;
	int c;

	while ((c = getopt(argc, argv, "qn:r:h")) != -1) {
		switch (c) {
		case 'q':
			iters = 20;
			rounds = 1;
			break;
		case 'n':
			iters = (unsigned int)strtoul(optarg, NULL, 0);
			break;
		case 'r':
			rounds = (unsigned int)strtoul(optarg, NULL, 0);
			break;
		default:
			printf("usage: %s [-q] [-n ITERATIONS] [-r ROUNDS]\n"
			       "  each row: ROUNDS (31, at most %u) rounds of ITERATIONS (100) x %u frames;\n"
			       "  the median round is printed\n",
			       argv[0], MAX_ROUNDS, NFRAMES);
			return c == 'h' ? 0 : 2;
		}
	}
	iters = RTE_MAX(iters, 1u);
	rounds = RTE_MIN(RTE_MAX(rounds, 1u), (unsigned int)MAX_ROUNDS);
	srand(1);
	vnet_hash_key_set(&k, vnet_hash_default_key, sizeof(vnet_hash_default_key));
	make_set(&sets[0], 4);
	make_set(&sets[1], 6);
	print_cpu();

	/* the rows take turns, so that a busy moment of the machine hits all */
	for (n = 0; n < rounds; n++) {
		for (s = 0; s < 2; s++) {
			for (r = 0; r < RTE_DIM(rows); r++) {
				if (rows[r].impl != NULL &&
				    vnet_hash_toeplitz_select(rows[r].impl) != 0)
					continue;
				run(&sets[s], rows[r].what, &k, vnet_hash_default_key, iters,
				    &ns[s][r][n], &cyc[s][r][n]);
			}
		}
	}
	vnet_hash_toeplitz_select(at_load);

	printf("| what | tuple | ns/pkt | TSC cycles/pkt | fastest round |\n|---|---|---|---|---|\n");
	for (s = 0; s < 2; s++) {
		for (r = 0; r < RTE_DIM(rows); r++) {
			double mns, mcyc;

			if (rows[r].impl != NULL && strcmp(rows[r].impl, "gfni") == 0 &&
			    !vnet_hash_toeplitz_gfni_supported()) {
				printf("| %s | %s | - | - | (no GFNI/AVX-512 here) |\n",
				       rows[r].name, sets[s].name);
				continue;
			}
			mns = median(ns[s][r], rounds);
			mcyc = median(cyc[s][r], rounds);	/* sorts cyc[s][r] */
			printf("| %s | %s | %.1f | %.0f | %.0f |\n", rows[r].name, sets[s].name,
			       mns, mcyc, cyc[s][r][0]);
		}
	}
	printf("(medians of %u rounds of %u x %u random frames a row, rows in turn, and the\n"
	       " fastest round's cycles; compare rows, not machines)\n", rounds, iters, NFRAMES);
	return 0;
}
