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
/** A diagnostic line ("# ..."). */
void tap_diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/** Print the plan; the exit status for main(): 0 when nothing failed. */
int tap_done(void);

#endif
