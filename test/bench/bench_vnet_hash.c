/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 hashtap authors
 *
 * Micro-benchmark (not a test): ns and TSC cycles per packet of
 * lib/vnet_hash classify+hash on IPv4-TCP and IPv6-TCP frames, beside bare
 * rte_softrss() and rte_softrss_be() on the same tuples.  Compare the rows
 * of one run with each other; absolute numbers depend on the machine.
 */

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <netinet/in.h>

#include <rte_cycles.h>
#include <rte_thash.h>

#include "pkt.h"
#include "vnet_hash.h"

#define NFRAMES 1024

struct set {
	const char *name;
	uint8_t frame[NFRAMES][128];
	uint32_t len[NFRAMES];
	uint32_t tuple[NFRAMES][VNET_HASH_INPUT_WORDS];
	unsigned int words;
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
	s->words = ipver == 4 ? 3 : 9;
	for (i = 0; i < NFRAMES; i++) {
		struct vnet_hash_tuple t;

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
		if (vnet_hash_classify(s->frame[i], s->len[i], VNET_HASH_TYPE_ALL, &t) == 0 ||
		    t.words != s->words) {
			fprintf(stderr, "frame %u did not classify\n", i);
			exit(1);
		}
		memcpy(s->tuple[i], t.w, sizeof(t.w));
	}
}

enum what { CLASSIFY_HASH, CLASSIFY_ONLY, SOFTRSS, SOFTRSS_BE };

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
			case SOFTRSS:
				memcpy(tuple, s->tuple[i], sizeof(tuple));
				acc ^= rte_softrss(tuple, s->words, raw_key);
				break;
			case SOFTRSS_BE:
				memcpy(tuple, s->tuple[i], sizeof(tuple));
				acc ^= rte_softrss_be(tuple, s->words, (const uint8_t *)k->be);
				break;
			}
		}
	}
	*cyc = (double)(rte_rdtsc() - c0) / ((double)iters * NFRAMES);
	*ns = (now_ns() - t0) / ((double)iters * NFRAMES);
	sink ^= acc;
}

int
main(int argc, char **argv)
{
	static struct set sets[2];
	static const char *const names[] = {
		"classify + hash (lib/vnet_hash)", "classify only",
		"rte_softrss (bare)", "rte_softrss_be (bare)",
	};
	struct vnet_hash_key k;
	unsigned int iters = 2000, s, w;
	int c;

	while ((c = getopt(argc, argv, "qn:h")) != -1) {
		switch (c) {
		case 'q':
			iters = 20;
			break;
		case 'n':
			iters = (unsigned int)strtoul(optarg, NULL, 0);
			break;
		default:
			printf("usage: %s [-q] [-n ITERATIONS]  (x %u frames each)\n",
			       argv[0], NFRAMES);
			return c == 'h' ? 0 : 2;
		}
	}
	if (iters == 0)
		iters = 1;
	srand(1);
	vnet_hash_key_set(&k, vnet_hash_default_key, sizeof(vnet_hash_default_key));
	make_set(&sets[0], 4);
	make_set(&sets[1], 6);

	printf("| what | tuple | ns/pkt | TSC cycles/pkt |\n|---|---|---|---|\n");
	for (s = 0; s < 2; s++) {
		for (w = 0; w < 4; w++) {
			double ns, cyc;

			run(&sets[s], (enum what)w, &k, vnet_hash_default_key, iters, &ns, &cyc);
			printf("| %s | %s | %.1f | %.0f |\n", names[w], sets[s].name, ns, cyc);
		}
	}
	printf("(%u x %u random frames a row, one run; compare rows, not machines)\n",
	       iters, NFRAMES);
	return 0;
}
