#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 hashtap authors
#
# The kernel series, tested in the patched and unpatched test kernels of one
# base through tools/vm-run, with the same binaries as on the host.  TAP
# output: the guest programs' own checks, and one check per step.
#   test/kernel/run.sh [--base 7.2|6.12] [--flavour kasan] BUILD_DIR
#     --base      the kernel base (default 7.2, mainline)
#     --flavour   kasan: the KASAN + lockdep + PROVE_RCU kernel runs the
#                 series' kselftest, the cross-checks (fewer frames) and the
#                 stress (STRESS_SECONDS, default 60); any splat fails
set -uo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
base=7.2 flavour=test
while [ $# -gt 1 ]; do
	case "$1" in
	--base) base=$2; shift 2 ;;
	--flavour) flavour=$2; shift 2 ;;
	*) break ;;
	esac
done
bin=${1:?usage: run.sh [--base B] [--flavour kasan] BUILD_DIR}/test/kernel/tun-hash-check
vhost=${bin%/*}/vhost-hash-check
vm=$top/tools/vm-run
vmargs=(--base "$base")
# shellcheck source=../lib/check.sh
. "$top/test/lib/check.sh"

# step NAME VM-RUN-ARGS... -- COMMAND...: passes when the run exits 0
step() {
	local name=$1 out rc
	shift
	out=$("$vm" "${vmargs[@]}" "$@" 2>&1)
	rc=$?
	check_relay <<<"$out"
	check $rc "$name (exit $rc)"
}

kern=$("$top/kernel-patch/build" --base "$base" both) || exit 1
sel_u=$(dirname "$(echo "$kern" | awk '$1 == "unpatched" { print $2 }')")/selftests
sel_p=$(dirname "$(echo "$kern" | awk '$1 == "patched" { print $2 }')")/selftests

if [ "$flavour" = kasan ]; then
	k=$("$top/kernel-patch/build" --base "$base" --flavour kasan patched) || exit 1
	vmargs+=(--flavour kasan --mem 2048)
	kconfig=$(dirname "${k#* }")/.config
	grep -q '^CONFIG_KASAN=y' "$kconfig" && grep -q '^CONFIG_PROVE_LOCKING=y' "$kconfig" &&
		grep -q '^CONFIG_PROVE_RCU=y' "$kconfig"
	check $? "$base KASAN kernel: CONFIG_KASAN, CONFIG_PROVE_LOCKING, CONFIG_PROVE_RCU"
	# KASAN kernels boot with 4-level paging (no5lvl): see vm-run
	out=$("$vm" "${vmargs[@]}" -- sh -c 'cat /proc/cmdline; grep -c " la57" /proc/cpuinfo' 2>&1)
	echo "$out" | grep -qw no5lvl && [ "$(echo "$out" | tail -1)" = 0 ]
	check $? "the KASAN kernel runs without 5-level paging ($(echo "$out" | tail -1) CPUs with la57)"
	step "KASAN $base: kselftest net/tun_vnet_hash" --timeout 1200 -- "$sel_p/tun_vnet_hash"
	step "KASAN $base: invalid ioctl arguments" -- "$bin" errors
	step "KASAN $base: report-only, 2000 frames, 4 queues, 24-byte header" --timeout 1200 -- \
		"$bin" report -n 2000 -s 11 -q 4 -H 24
	step "KASAN $base: RSS, 2000 frames, 4 queues" --timeout 1200 -- \
		"$bin" rss -n 2000 -s 12 -q 4
	step "KASAN $base: macvtap RSS, 1000 frames, 2 queues" --timeout 1200 -- \
		"$bin" rss -m -n 1000 -s 13 -q 2
	step "KASAN $base: TC, XDP, attach later, eBPF over RSS" --timeout 1200 -- \
		"$bin" paths -n 200 -s 14
	step "KASAN $base: tunnels, RSS, 2000 frames, 4 queues" --timeout 1200 -- \
		"$bin" rss -T -n 2000 -s 17 -q 4
	step "KASAN $base: vhost_net rx ring carries the report" --timeout 1200 -- "$vhost" -n 300 -s 15
	step "KASAN $base: stress: configuration, traffic, queues and deletion racing, ${STRESS_SECONDS:-60} s" \
		--smp 2 --timeout 1800 -- "${bin%/*}/tun-stress" -t "${STRESS_SECONDS:-60}" -s 16
	check_done
	exit
fi

"$bin" probe >/dev/null 2>&1
[ $? = 3 ]; check $? "host kernel $(uname -r): the probe says absent"
out=$("$vm" "${vmargs[@]}" --unpatched -- "$bin" probe 2>&1)
[ $? = 3 ]; check $? "unpatched $base kernel: the probe says absent ($out)"
step "patched $base kernel: the probe says present" -- "$bin" probe

step "patched $base: invalid ioctl arguments, read back" -- "$bin" errors
step "patched $base: report-only, 6000 frames, 4 queues" --timeout 900 -- \
	"$bin" report -n 6000 -s 1 -q 4
step "patched $base: report-only, 1500 frames, 3 queues, 24-byte header" --timeout 900 -- \
	"$bin" report -n 1500 -s 21 -q 3 -H 24
step "patched $base: RSS, 4000 frames, 4 queues" --timeout 900 -- \
	"$bin" rss -n 4000 -s 2 -q 4
step "patched $base: RSS, 1000 frames, 1 queue" --timeout 900 -- \
	"$bin" rss -n 1000 -s 3 -q 1
step "patched $base: TC-chosen queue, XDP redirect, under RSS too; queue attached later; eBPF over RSS" -- \
	"$bin" paths -n 400 -s 7
step "patched $base: macvtap report-only, 2000 frames, 2 queues" --timeout 900 -- \
	"$bin" report -m -n 2000 -s 5 -q 2
step "patched $base: macvtap RSS, 2000 frames, 3 queues, 24-byte header" --timeout 900 -- \
	"$bin" rss -m -n 2000 -s 6 -q 3 -H 24

# tunnelled frames of every type, malformed and nested ones, random
# enabled tunnel types: the inner-header hash against lib/vnet_hash
step "patched $base: tunnels, report-only, 4000 frames, 4 queues" --timeout 900 -- \
	"$bin" report -T -n 4000 -s 41 -q 4
step "patched $base: tunnels, RSS, 4000 frames, 4 queues" --timeout 900 -- \
	"$bin" rss -T -n 4000 -s 42 -q 4
step "patched $base: tunnels, macvtap RSS, 2000 frames, 3 queues, 24-byte header" --timeout 900 -- \
	"$bin" rss -T -m -n 2000 -s 43 -q 3 -H 24
step "patched $base: tunnels, RSS by the inner hash spreads one VXLAN flow (tap)" -- \
	"$bin" spread -s 44 -q 4
step "patched $base: tunnels, RSS by the inner hash spreads one VXLAN flow (macvtap)" -- \
	"$bin" spread -m -s 45 -q 3

# vhost_net: the feature offered only by the patched kernel, the ring
# carries the report
out=$("$vm" "${vmargs[@]}" --unpatched -- "$vhost" offered 2>&1)
[ $? = 3 ]; check $? "unpatched $base kernel: vhost_net does not offer VIRTIO_NET_F_HASH_REPORT"
step "patched $base: vhost_net rx ring carries the report, 1000 frames" -- "$vhost" -n 1000 -s 8

# the kselftests: the tun/tap ones already in the tree, on both kernels,
# and the series' own
# (mainline's net/tun needs tools/net/ynl's generated netlink code, which
# kernel-patch/build does not generate: tun is covered there by the checks
# above; 6.12's net/tun runs)
kselftests="tun tap"
[ "$base" = 7.2 ] && kselftests=tap
for t in $kselftests; do
	if [ -x "$sel_u/$t" ]; then
		step "unpatched $base: kselftest net/$t" --unpatched -- "$sel_u/$t"
		step "patched $base: kselftest net/$t" -- "$sel_p/$t"
	else
		check 1 "kselftest net/$t of $base was not built (see kernel-patch/build's log)"
	fi
done
step "patched $base: kselftest net/tun_vnet_hash" --timeout 900 -- "$sel_p/tun_vnet_hash"

# hashing never configured: what the reader gets is what it got before, but
# for the hash fields, which are zero (an unpatched 6.12 leaves there what
# the reader's buffer held; mainline zero-fills the header)
a=$("$vm" "${vmargs[@]}" --unpatched -- "$bin" off -n 2000 -s 4 2>&1)
b=$("$vm" "${vmargs[@]}" -- "$bin" off -n 2000 -s 4 2>&1)
echo "$a" | sed 's/^/# unpatched: /'
echo "$b" | sed 's/^/# patched:   /'
da=$(echo "$a" | grep '^digest') db=$(echo "$b" | grep '^digest')
[ -n "$da" ] && [ "$da" = "$db" ]
check $? "hashing never configured: frames and the header's first 10 bytes as the unpatched kernel gives them"
echo "$b" | grep -q '^zero-hash 2000 of 2000$'
check $? "hashing never configured: the hash fields are zero, whatever the reader's buffer held"
if [ "$base" = 7.2 ]; then
	ha=$(echo "$a" | grep '^header') hb=$(echo "$b" | grep '^header')
	[ -n "$ha" ] && [ "$ha" = "$hb" ]
	check $? "hashing never configured: whole headers byte-identical to unpatched mainline's"
fi
check_done
