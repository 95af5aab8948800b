#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 hashtap authors
#
# Benchmark (not a test): pktgen -> tap -> one reader, 64-byte UDP, in the
# unpatched kernel and in the patched one with hashing off, report-only
# and RSS; boots alternate between the kernels, ROUNDS times.  Guest rates
# are emulated (TCG): only the ratios between rows of one run mean
# anything.  Prints a markdown table of medians and ratios.
#   tools/bench/kernel-bench.sh [ROUNDS] [PACKETS]
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
bin=$top/build/release/tools/bench/tap-pps
rounds=${1:-3} packets=${2:-200000}
vm=$top/tools/vm-run
[ -x "$bin" ] || { echo "build first: ./hashtap build" >&2; exit 2; }
res=$(mktemp)
trap 'rm -f "$res"' EXIT

for r in $(seq 1 "$rounds"); do
	"$vm" --unpatched --smp 2 -- "$bin" off "$packets" | sed -n 's/^mode off .* pps /unpatched-off /p' >>"$res"
	for m in off report rss; do
		"$vm" --smp 2 -- "$bin" "$m" "$packets" | sed -n "s/^mode $m .* pps /patched-$m /p" >>"$res"
	done
done

median() { grep "^$1 " "$res" | awk '{ print $2 }' | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
base=$(median unpatched-off)
echo "| kernel, mode | median pps (emulated) | vs unpatched | runs |"
echo "|---|---|---|---|"
for k in unpatched-off patched-off patched-report patched-rss; do
	m=$(median "$k")
	printf '| %s | %s | %.3f | %s |\n' "$k" "$m" "$(echo "$m / $base" | bc -l)" \
		"$(grep "^$k " "$res" | awk '{ printf "%s ", $2 }')"
done
echo
echo "($(date -u +%F), host $(uname -r), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), guest under QEMU TCG, $packets packets a run, $rounds rounds)"
