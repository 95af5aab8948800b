#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 hashtap authors
#
# Benchmark (not a test): the kernel series' cost, counted in instructions.
# pktgen -> tap -> one reader (tap-pps: 64-byte UDP, random source ports,
# 4 queues so that queue selection runs; tun through xmit_mode queue_xmit,
# macvtap fed through a veth), in the unpatched and the patched benchmark
# kernel (config/kernel-bench.config: -O2, PREEMPT_DYNAMIC, jump labels,
# mitigations), hashing off, report-only and RSS.  QEMU runs one vCPU with
# -icount shift=0,sleep=off,align=off (the guest's clock: one ns per
# instruction) and our TCG plugin (build/.../libinsn-count.so) counting the
# instructions executed between the two sync() calls tap-pps makes around
# the packets, in all and per kernel function (System.map).  Prints a
# markdown table of instructions per packet (median of the rounds, and
# every round), and where they go.
#
# The figure compared is all instructions a packet but pktgen's own loop
# (pktgen_thread_worker, with pktgen_xmit inlined): how often that loop
# goes round for a packet depends on where the one vCPU switches between
# pktgen and the reader, which moves with the packet count and with any
# change of code layout (238 to 285 a packet for one kernel, at 30k to 60k
# packets), while the rest stays within 10.  Its count is in its own column.
#
#   tools/bench/kernel-bench.sh [-b BASE] [-n PACKETS] [-r ROUNDS] [-d DEVS] [-k]
#     -b  7.2 (default) or 6.12     -n  packets a run (50000)
#     -r  rounds (3)                 -d  devices: "tun macvtap" (default)
#     -k  keep the raw plugin output in build/kernel-bench/
set -euo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
base=7.2 packets=50000 rounds=3 devs="tun macvtap" keep=0
while getopts "b:n:r:d:k" c; do
	case $c in
	b) base=$OPTARG ;;
	n) packets=$OPTARG ;;
	r) rounds=$OPTARG ;;
	d) devs=$OPTARG ;;
	k) keep=1 ;;
	*) sed -n '4,29s/^# \{0,1\}//p' "$0"; exit 2 ;;
	esac
done
bin=$top/build/release/tools/bench/tap-pps
plugin=$top/build/release/tools/bench/libinsn-count.so
[ -x "$bin" ] || { echo "build first: ./hashtap build" >&2; exit 2; }
[ -f "$plugin" ] || { echo "no $plugin: ./hashtap setup fetches qemu-plugin.h, then ./hashtap build" >&2; exit 2; }
out=$top/build/kernel-bench
mkdir -p "$out"
rm -f "$out"/run-*

declare -A kern
while read -r v k; do kern[$v]=$k; done < <("$top/kernel-patch/build" --base "$base" --flavour bench both)

# every kernel text symbol as a range; the mark: the sync(2) entry
ranges_of() {
	local map=$1
	awk '$2 ~ /^[tT]$/ { print $3, $1 }' "$map" | sort -k2 |
		awk 'NR > 1 { print name, start, $2 } { name = $1; start = $2 }' >"$2"
}

run() {	# KERNEL-VARIANT DEV MODE ROUND
	local v=$1 dev=$2 mode=$3 r=$4 k=${kern[$1]} map tag res mark
	map=$(dirname "$k")/System.map
	tag=$out/run-$v-$dev-$mode-$r
	[ -f "$out/ranges-$v" ] || ranges_of "$map" "$out/ranges-$v"
	mark=$(awk '$3 == "__x64_sys_sync" { print $1 }' "$map")
	res=$("$top/tools/vm-run" --kernel "$k" --smp 1 --timeout 1200 \
		--qemu -icount --qemu shift=0,sleep=off,align=off \
		--qemu -plugin --qemu "$plugin,out=$tag.insn,mark=0x$mark,ranges=$out/ranges-$v" \
		-- "$bin" -d "$dev" -q 4 -m "$mode" -n "$packets" 2>&1) || {
		echo "$res" >&2
		echo "kernel-bench: $v $dev $mode failed" >&2
		return 1
	}
	echo "$res" | grep '^dev ' >"$tag.out"
}

for r in $(seq 1 "$rounds"); do
	for dev in $devs; do
		run unpatched "$dev" off "$r"
		for m in off report rss; do
			run patched "$dev" "$m" "$r"
		done
	done
done

# per run: instructions a packet between the marks, all but pktgen's loop,
# pktgen's loop, the kernel's, packets, pps
per_packet() {	# TAG -> "measured loop kernel packets pps"
	awk '
		FILENAME ~ /\.out$/ { got = $8; pps = $12; next }
		$1 == "mark" && $2 == 1 { t1 = $4; k1 = $6 }
		$1 == "mark" && $2 == 2 { t2 = $4; k2 = $6 }
		$1 == "mark" { m = $2; next }
		$1 == "end" { m = 3; next }
		m == 1 && $1 == "range" && $2 == "pktgen_thread_worker" { l1 = $3 }
		m == 2 && $1 == "range" && $2 == "pktgen_thread_worker" { l2 = $3 }
		END {
			if (!got || !t2) { print "no counts" > "/dev/stderr"; exit 1 }
			printf "%.1f %.1f %.1f %d %s\n", (t2 - t1 - (l2 - l1)) / got,
				(l2 - l1) / got, (k2 - k1) / got, got, pps
		}' "$1.out" "$1.insn"
}

# per run: a function's instructions a packet between the marks
funcs() {	# TAG -> "name count" lines
	awk -v got="$(awk '{ print $8 }' "$1.out")" '
		$1 == "mark" { m = $2; next }
		$1 == "end" { m = 3; next }
		$1 == "range" && m == 1 { a[$2] = $3 }
		$1 == "range" && m == 2 { b[$2] = $3 }
		END { for (f in b) if (b[f] - a[f] > 0) printf "%s %.2f\n", f, (b[f] - a[f]) / got }' \
		"$1.insn"
}

median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

echo "| device | kernel, mode | instructions/packet without pktgen's loop (median) | vs unpatched | pktgen's loop | kernel part (all) | every round | packets read |"
echo "|---|---|---|---|---|---|---|---|"
for dev in $devs; do
	base_med=
	for km in unpatched-off patched-off patched-report patched-rss; do
		all= loop_all= kern_all= pk=
		for r in $(seq 1 "$rounds"); do
			read -r t l kk p pps < <(per_packet "$out/run-${km%%-*}-$dev-${km#*-}-$r")
			all+="$t "
			loop_all+="$l "
			kern_all+="$kk "
			pk+="$p "
		done
		med=$(echo "$all" | tr ' ' '\n' | grep . | median)
		lmed=$(echo "$loop_all" | tr ' ' '\n' | grep . | median)
		kmed=$(echo "$kern_all" | tr ' ' '\n' | grep . | median)
		[ -n "$base_med" ] || base_med=$med
		printf '| %s | %s | %.0f | %+.2f %% | %.0f | %.0f | %s| %s|\n' "$dev" "$km" "$med" \
			"$(echo "($med / $base_med - 1) * 100" | bc -l)" "$lmed" "$kmed" "$all" "$pk"
	done
done
echo
echo "($(date -u +%F), $base bench kernels, $packets packets a run, $rounds rounds," \
	"QEMU $(qemu-system-x86_64 --version | head -1 | awk '{ print $4 }') TCG, 1 vCPU," \
	"-icount shift=0,sleep=off,align=off, instructions counted by libinsn-count.so between tap-pps's sync() marks)"

# where the instructions go: functions whose count per packet differs
# between the unpatched kernel and each patched mode (round 1)
for dev in $devs; do
	funcs "$out/run-unpatched-$dev-off-1" | sort >"$out/f-u-$dev"
	for m in off report rss; do
		funcs "$out/run-patched-$dev-$m-1" | sort >"$out/f-$m-$dev"
		echo
		echo "$dev, patched $m vs unpatched: functions whose instructions/packet differ by more than 1 (round 1)"
		join -a1 -a2 -e 0 -o 0,1.2,2.2 "$out/f-u-$dev" "$out/f-$m-$dev" |
			awk '{ d = $3 - $2; if (d > 1 || d < -1) printf "  %-40s %10.1f -> %10.1f  (%+.1f)\n", $1, $2, $3, d }' |
			sort -t'(' -k2 -g -r | head -25
	done
done
[ "$keep" = 1 ] || rm -f "$out"/run-* "$out"/f-*
