/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 hashtap authors
 *
 * Test Anything Protocol output for the C test programs: one "ok N - name"
 * or "not ok N - name" line a check; test/run adds them up.
 */

#ifndef HASHTAP_TEST_TAP_H
#define HASHTAP_TEST_TAP_H

#include <stdbool.h>

/** Record one check; returns cond.  printf-style name. */
bool tap_ok(bool cond, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/**
 * The one skip test/run does not count as failed: the GFNI Toeplitz
 * comparison on a CPU without GFNI/AVX-512 (CI machines differ).  Any
 * other skip needed something that is missing, and counts as failed.
 */
#define TAP_SKIP_NO_GFNI	"no GFNI/AVX-512 on this CPU"

/** Record one skipped check: "ok N - name # SKIP reason".  printf-style name. */
void tap_skip(const char *reason, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/** A diagnostic line ("# ..."). */
void tap_diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/** Print the plan; the exit status for main(): 0 when nothing failed. */
int tap_done(void);

#endif
