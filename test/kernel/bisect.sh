#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 hashtap authors
#
# Every patch of the series builds on its own: the series cut after each
# one (kernel-patch/build upto K; builds are cached by their inputs).
set -uo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
n=$(grep -c '^[^#]' "$top/kernel-patch/series")
for k in $(seq 1 $((n - 1))); do
	"$top/kernel-patch/build" upto "$k" || { echo "the series cut after patch $k does not build"; exit 1; }
done
