/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 hashtap authors
 *
 * The model's side of the tunnel-spread benchmark (tools/bench/tunnel-spread.sh):
 * every frame of a pcap through lib/vnet_hash and an RSS table, once on the
 * outer header (no tunnel type enabled) and once with tunnel types enabled
 * (docs/tunnel-hash.md), and how the frames spread over the queues.  Not a
 * timing: counts only.
 *
 *   tunnel-spread [-q QUEUES] [-t TUNNELS] [-T TYPES] [-r RETA] [-m] PCAP...
 * Prints one JSON object a line: per trace, mode (outer, inner) and queue
 * count: frames, queues used, max and min share, frames per queue, frames
 * hashed on the inner header, and which VNET_HASH_TUNNEL_* masks
 * vnet_hash_tunnel_match() found.  -m prints only the last, one line a
 * trace (what test/tools/tunnel_traces.sh checks against docs/tunnel-hash.md).
 */

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>

#include "vnet_hash.h"

#define MAX_Q		64
#define MAX_QLIST	8
#define MAX_MASKS	16

struct run {
	uint32_t tunnels;		/* 0: the outer header */
	unsigned int nq;
	struct vnet_hash_rss rss;
	uint64_t per_q[MAX_Q];
	uint64_t inner;			/* frames hashed on the inner header */
	uint64_t none;			/* report NONE (the unclassified queue) */
};

struct mask_count {
	uint32_t mask;
	uint64_t n;
};

static void
usage(FILE *f)
{
	fprintf(f,
		"usage: tunnel-spread [-q QUEUES] [-t TUNNELS] [-T TYPES] [-r RETA] [-m] PCAP...\n"
		"Hashes every frame of each pcap as lib/vnet_hash does (Microsoft key), on\n"
		"the outer header (no tunnel type enabled) and with the tunnel types enabled\n"
		"(docs/tunnel-hash.md), picks its queue from an RSS table whose entries go\n"
		"round-robin over the queues (entry i: queue i %% QUEUES; report NONE: queue 0,\n"
		"the unclassified queue), and prints one JSON object a line a trace, mode and\n"
		"queue count: trace, mode (outer/inner), tunnels, queues, frames, used (queues\n"
		"with a frame), max_share and min_share (of the frames, over all QUEUES queues),\n"
		"per_queue, inner_hashed (frames hashed on the inner header), none (report\n"
		"NONE), match (VNET_HASH_TUNNEL_* masks vnet_hash_tunnel_match() found, frames).\n"
		"  -q QUEUES   comma-separated queue counts, each 1..%u (default 4,8)\n"
		"  -t TUNNELS  the tunnel types of the inner mode, as vnet_hash_tunnels_parse()\n"
		"              takes them (default all)\n"
		"  -T TYPES    hash types, as vnet_hash_types_parse() takes them (default all)\n"
		"  -r RETA     RSS table entries, a power of two 1..%u (default 128, as\n"
		"              net_hashtap's)\n"
		"  -m          only the masks: one line a trace, \"PCAP MASK:FRAMES ...\" (MASK\n"
		"              in hex, 0x0 for no tunnel), ascending\n"
		"  -h, --help  this text\n"
		"Environment: VNET_HASH_TOEPLITZ (lib/vnet_hash: the Toeplitz implementation;\n"
		"the same hashes either way).  Exit status: 0 done; 1 a pcap could not be\n"
		"read, or is not Ethernet; 2 bad usage.\n",
		MAX_Q, VNET_HASH_RETA_MAX);
}

static void
count_mask(struct mask_count *mc, unsigned int *nmc, uint32_t mask)
{
	unsigned int i;

	for (i = 0; i < *nmc; i++)
		if (mc[i].mask == mask) {
			mc[i].n++;
			return;
		}
	if (*nmc < MAX_MASKS) {
		mc[*nmc].mask = mask;
		mc[*nmc].n = 1;
		(*nmc)++;
	}
}

static int
cmp_mask(const void *a, const void *b)
{
	const struct mask_count *x = a, *y = b;

	return x->mask < y->mask ? -1 : x->mask > y->mask;
}

/* the file's name without folder and ".pcap", as JSON wants it */
static void
print_trace(const char *path)
{
	const char *b = strrchr(path, '/'), *c;
	size_t n;

	b = b ? b + 1 : path;
	n = strlen(b);
	if (n > 5 && strcmp(b + n - 5, ".pcap") == 0)
		n -= 5;
	putchar('"');
	for (c = b; c < b + n; c++)
		if (*c == '"' || *c == '\\')
			printf("\\%c", *c);
		else if ((unsigned char)*c >= 0x20)
			putchar(*c);
	putchar('"');
}

static void
print_run(const char *trace, const struct run *r, uint64_t frames,
	  const struct mask_count *mc, unsigned int nmc)
{
	uint64_t max = 0, min = UINT64_MAX;
	unsigned int q, used = 0, i;
	char tn[160];

	for (q = 0; q < r->nq; q++) {
		used += r->per_q[q] > 0;
		if (r->per_q[q] > max)
			max = r->per_q[q];
		if (r->per_q[q] < min)
			min = r->per_q[q];
	}
	vnet_hash_tunnels_format(r->tunnels, tn, sizeof(tn));
	printf("{\"trace\": ");
	print_trace(trace);
	printf(", \"mode\": \"%s\", \"tunnels\": \"%s\", \"queues\": %u, "
	       "\"frames\": %" PRIu64 ", \"used\": %u, \"max_share\": %.4f, \"min_share\": %.4f, "
	       "\"per_queue\": [", r->tunnels ? "inner" : "outer", tn, r->nq, frames, used,
	       frames ? (double)max / (double)frames : 0, frames ? (double)min / (double)frames : 0);
	for (q = 0; q < r->nq; q++)
		printf("%s%" PRIu64, q ? ", " : "", r->per_q[q]);
	printf("], \"inner_hashed\": %" PRIu64 ", \"none\": %" PRIu64 ", \"match\": {",
	       r->inner, r->none);
	for (i = 0; i < nmc; i++)
		printf("%s\"0x%x\": %" PRIu64, i ? ", " : "", mc[i].mask, mc[i].n);
	printf("}}\n");
}

static int
parse_queues(const char *arg, unsigned int *q, unsigned int *n)
{
	const char *p = arg;

	*n = 0;
	while (*p != '\0') {
		char *end;
		unsigned long v;

		errno = 0;
		v = strtoul(p, &end, 10);
		if (errno != 0 || end == p || v < 1 || v > MAX_Q || *n == MAX_QLIST ||
		    (*end != ',' && *end != '\0') || *p == '-' || *p == '+')
			return -1;
		q[(*n)++] = (unsigned int)v;
		p = *end == ',' ? end + 1 : end;
		if (*end == ',' && *p == '\0')
			return -1;
	}
	return *n > 0 ? 0 : -1;
}

int
main(int argc, char **argv)
{
	static struct run runs[2 * MAX_QLIST];
	unsigned int qlist[MAX_QLIST] = { 4, 8 }, nql = 2, nruns, i, reta = 128;
	uint32_t tunnels = VNET_HASH_TUNNEL_ALL, types = VNET_HASH_TYPE_ALL;
	struct vnet_hash_key key;
	bool masks_only = false;
	const char *bad;
	char *end;
	int opt, a, rc = 0;

	static const struct option lopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};

	while ((opt = getopt_long(argc, argv, "q:t:T:r:mh", lopts, NULL)) != -1) {
		switch (opt) {
		case 'q':
			if (parse_queues(optarg, qlist, &nql) < 0) {
				fprintf(stderr, "tunnel-spread: -q: \"%s\": comma-separated queue counts, each 1..%u, at most %u\n",
					optarg, MAX_Q, MAX_QLIST);
				return 2;
			}
			break;
		case 't':
			if (vnet_hash_tunnels_parse(optarg, &tunnels, &bad) != 0 || tunnels == 0) {
				fprintf(stderr, "tunnel-spread: -t: \"%s\": %s\n", optarg,
					tunnels == 0 ? "no tunnel type (the inner mode needs one)" :
					"unknown tunnel type (gre_2784, gre_2890, gre_7676, gre_udp, vxlan, vxlan_gpe, geneve, ipip, nvgre, gre, all)");
				return 2;
			}
			break;
		case 'T':
			if (vnet_hash_types_parse(optarg, &types, &bad) != 0 || types == 0) {
				fprintf(stderr, "tunnel-spread: -T: \"%s\": %s\n", optarg,
					types == 0 ? "no hash type" : "unknown hash type");
				return 2;
			}
			break;
		case 'r':
			errno = 0;
			reta = (unsigned int)strtoul(optarg, &end, 10);
			if (errno != 0 || end == optarg || *end != '\0' || optarg[0] == '-' || reta == 0 ||
			    reta > VNET_HASH_RETA_MAX || (reta & (reta - 1)) != 0) {
				fprintf(stderr, "tunnel-spread: -r: \"%s\": a power of two, 1..%u\n", optarg,
					VNET_HASH_RETA_MAX);
				return 2;
			}
			break;
		case 'm':
			masks_only = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "tunnel-spread: no pcap (--help)\n");
		return 2;
	}
	vnet_hash_key_set(&key, vnet_hash_default_key, sizeof(vnet_hash_default_key));
	for (a = optind; a < argc; a++) {
		char err[PCAP_ERRBUF_SIZE];
		struct mask_count mc[MAX_MASKS];
		unsigned int nmc = 0;
		struct pcap_pkthdr *h;
		const u_char *data;
		uint64_t frames = 0;
		pcap_t *p = pcap_open_offline(argv[a], err);
		int r;

		if (p == NULL) {
			fprintf(stderr, "tunnel-spread: %s: %s\n", argv[a], err);
			rc = 1;
			continue;
		}
		if (pcap_datalink(p) != DLT_EN10MB) {
			fprintf(stderr, "tunnel-spread: %s: not an Ethernet capture\n", argv[a]);
			pcap_close(p);
			rc = 1;
			continue;
		}
		nruns = 0;
		for (i = 0; i < 2 * nql; i++) {
			struct run *rn = &runs[nruns++];
			unsigned int e;

			memset(rn, 0, sizeof(*rn));
			rn->tunnels = i < nql ? 0 : tunnels;
			rn->nq = qlist[i % nql];
			rn->rss.hash_types = types;
			rn->rss.reta_size = (uint16_t)reta;
			rn->rss.unclassified_queue = 0;
			for (e = 0; e < reta; e++)
				rn->rss.reta[e] = (uint16_t)(e % rn->nq);
		}
		while ((r = pcap_next_ex(p, &h, &data)) == 1) {
			uint32_t match = vnet_hash_tunnel_match(data, h->caplen, NULL);
			struct vnet_hash_tuple t[2];
			uint32_t hash[2];
			unsigned int rep[2], m;

			frames++;
			count_mask(mc, &nmc, match);
			for (m = 0; m < 2; m++) {	/* outer, inner */
				rep[m] = vnet_hash_classify_tunnel(data, h->caplen, types,
								   m ? tunnels : 0, &t[m]);
				hash[m] = vnet_hash_toeplitz(&key, &t[m]);
			}
			for (i = 0; i < nruns; i++) {
				struct run *rn = &runs[i];

				m = rn->tunnels != 0;
				rn->per_q[vnet_hash_rss_queue(&rn->rss, hash[m], rep[m])]++;
				rn->inner += t[m].tunnel != 0;
				rn->none += rep[m] == VNET_HASH_REPORT_NONE;
			}
		}
		if (r == PCAP_ERROR) {
			fprintf(stderr, "tunnel-spread: %s: %s\n", argv[a], pcap_geterr(p));
			rc = 1;
		}
		pcap_close(p);
		qsort(mc, nmc, sizeof(mc[0]), cmp_mask);
		if (masks_only) {
			printf("%s", argv[a]);
			for (i = 0; i < nmc; i++)
				printf(" 0x%x:%" PRIu64, mc[i].mask, mc[i].n);
			printf("\n");
			continue;
		}
		for (i = 0; i < nruns; i++)
			print_run(argv[a], &runs[i], frames, mc, nmc);
	}
	return rc;
}
