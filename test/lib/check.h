/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 hashtap authors
 *
 * The checks of the C test programs, written in the Test Anything Protocol
 * (TAP; nothing to do with tap devices): one "ok N - name"
 * or "not ok N - name" line a check; test/run adds them up.
 */

#ifndef HASHTAP_TEST_CHECK_H
#define HASHTAP_TEST_CHECK_H

#include <stdbool.h>

/** Record one check; returns cond.  printf-style name. */
bool check_ok(bool cond, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/**
 * The one skip test/run does not count as failed: the GFNI Toeplitz
 * comparison on a CPU without GFNI/AVX-512 (CI machines differ).  Any
 * other skip needed something that is missing, and counts as failed.
 */
#define CHECK_SKIP_NO_GFNI	"no GFNI/AVX-512 on this CPU"

/** Record one skipped check: "ok N - name # SKIP reason".  printf-style name. */
void check_skip(const char *reason, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/** A diagnostic line ("# ..."). */
void check_diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/** Print the plan; the exit status for main(): 0 when nothing failed. */
int check_done(void);

#endif
