#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 hashtap authors
#
# The test kernels: unpatched and patched of both bases (mainline 7.2 and
# the 6.12 backport), built or taken from the cache (kernel-patch/build
# keys them by every input).
#
# The KASAN + lockdep + PROVE_RCU mainline kernel (13 to 18 minutes cold
# on 2 cores) is started here in the background, at the lowest priority,
# and builds while the suites after this one run (a guest under TCG leaves
# a core idle).
# kernel-kasan, the last suite, asks kernel-patch/build for it and so
# waits on that build's lock; if the background build failed, it builds
# it again there and fails with the build log.  Its own log:
# $HASHTAP_CACHE/kernel/kasan-build.log.
set -euo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
kcache=${HASHTAP_CACHE:-/var/cache/hashtap}/kernel
"$top/kernel-patch/build" --base 7.2 both
"$top/kernel-patch/build" --base 6.12 both
mkdir -p "$kcache"
# its own session, no descriptor of this test's: meson neither waits for
# it nor kills it with this test
setsid nice -n 19 "$top/kernel-patch/build" --base 7.2 --flavour kasan patched \
	</dev/null >"$kcache/kasan-build.log" 2>&1 &
echo "the KASAN kernel: building in the background (pid $!), log $kcache/kasan-build.log"
