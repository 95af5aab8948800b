/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 hashtap authors
 *
 * The fuzz targets without libFuzzer (any compiler, any build): their
 * LLVMFuzzerTestOneInput() on the files named on the command line, then on
 * random frames of every kind (tools/lib/rnd.c), on each of their prefixes
 * and on random bytes.  A broken invariant aborts, as under libFuzzer.
 * TAP output: one check per input set.
 *
 *   fuzz-NAME-smoke [-n ROUNDS] [FILE...]
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "rnd.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
main(int argc, char **argv)
{
	static uint8_t buf[4096];
	unsigned int rounds = 2000, i, files = 0;
	int opt;

	while ((opt = getopt(argc, argv, "n:")) != -1) {
		if (opt != 'n') {
			fprintf(stderr, "usage: %s [-n ROUNDS] [FILE...]\n", argv[0]);
			return 2;
		}
		rounds = (unsigned int)strtoul(optarg, NULL, 0);
	}
	for (; optind < argc; optind++) {
		FILE *f = fopen(argv[optind], "rb");
		size_t n;

		if (f == NULL) {
			check_ok(false, "open %s", argv[optind]);
			continue;
		}
		n = fread(buf, 1, sizeof(buf), f);
		fclose(f);
		LLVMFuzzerTestOneInput(buf, n);
		files++;
	}
	if (files > 0)
		check_ok(true, "%u input files", files);
	rnd_seed(0x5eed);
	for (i = 0; i < rounds; i++) {
		uint32_t len = rnd_frame(buf, sizeof(buf), false), k;

		for (k = 0; k <= len; k += 1 + k / 16)	/* the whole frame and prefixes */
			LLVMFuzzerTestOneInput(buf, k);
	}
	check_ok(true, "%u random frames and their prefixes", rounds);
	for (i = 0; i < rounds; i++) {	/* tunnelled, every tunnel type enabled */
		uint32_t len = rnd_tunnel_frame(buf + 3, sizeof(buf) - 3, false), k;

		buf[0] = (uint8_t)rnd();
		buf[1] = (uint8_t)(0x80 | (rnd() & 1));
		buf[2] = (uint8_t)rnd();
		for (k = 0; k <= len; k += 1 + k / 16)
			LLVMFuzzerTestOneInput(buf, 3 + k);
	}
	check_ok(true, "%u random tunnelled frames and their prefixes", rounds);
	for (i = 0; i < rounds; i++) {
		uint32_t len = rnd() % sizeof(buf), k;

		for (k = 0; k < len; k++)
			buf[k] = (uint8_t)rnd();
		LLVMFuzzerTestOneInput(buf, len);
	}
	check_ok(true, "%u inputs of random bytes", rounds);
	return check_done();
}
