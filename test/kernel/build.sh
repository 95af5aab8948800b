#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 hashtap authors
#
# The test kernels: unpatched and patched of both bases (mainline 7.2 and
# the 6.12 backport) and the KASAN + lockdep + PROVE_RCU mainline one, built
# or taken from the cache (kernel-patch/build keys them by every input).
set -euo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
"$top/kernel-patch/build" --base 7.2 both
"$top/kernel-patch/build" --base 6.12 both
"$top/kernel-patch/build" --base 7.2 --flavour kasan patched
