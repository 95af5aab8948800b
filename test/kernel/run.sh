#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 hashtap authors
#
# The kernel series, tested in the patched and unpatched test kernels
# through tools/vm-run, with the same binaries as on the host.  TAP
# output: the guest programs' own checks, and one check per step.
#   test/kernel/run.sh BUILD_DIR
set -uo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
bin=${1:?usage: run.sh BUILD_DIR}/test/kernel/tun-hash-check
vm=$top/tools/vm-run
n=0

ok() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then echo "ok - $2"; else echo "not ok - $2"; fi
}

# step NAME VM-RUN-ARGS... -- COMMAND...: passes when the run exits 0
step() {
	local name=$1 out rc
	shift
	out=$("$vm" "$@" 2>&1)
	rc=$?
	echo "$out" | sed 's/^1\.\.[0-9]*$/# &/'
	ok $rc "$name (exit $rc)"
}

"$bin" probe >/dev/null 2>&1
[ $? = 3 ]; ok $? "host kernel $(uname -r): the probe says absent"
out=$("$vm" --unpatched -- "$bin" probe 2>&1)
[ $? = 3 ]; ok $? "unpatched test kernel: the probe says absent ($out)"
step "patched kernel: the probe says present" -- "$bin" probe

step "patched kernel: invalid ioctl arguments" -- "$bin" errors
step "patched kernel: report-only, 10000 frames, 4 queues" --timeout 900 -- \
	"$bin" report -n 10000 -s 1 -q 4
step "patched kernel: RSS, 4000 frames, 4 queues" --timeout 900 -- \
	"$bin" rss -n 4000 -s 2 -q 4
step "patched kernel: RSS, 1000 frames, 1 queue" --timeout 900 -- \
	"$bin" rss -n 1000 -s 3 -q 1
step "patched kernel: TC-chosen queue, XDP redirect, queue attached later, eBPF over RSS" -- \
	"$bin" paths -n 500 -s 7
step "patched kernel: macvtap report-only, 3000 frames, 2 queues" --timeout 900 -- \
	"$bin" report -m -n 3000 -s 5 -q 2
step "patched kernel: macvtap RSS, 3000 frames, 3 queues" --timeout 900 -- \
	"$bin" rss -m -n 3000 -s 6 -q 3

# vhost_net: the feature offered only by the patched kernel, the ring
# carries the report
out=$("$vm" --unpatched -- "${bin%/*}/vhost-hash-check" offered 2>&1)
[ $? = 3 ]; ok $? "unpatched kernel: vhost_net does not offer VIRTIO_NET_F_HASH_REPORT"
step "patched kernel: vhost_net rx ring carries the report, 1000 frames" -- \
	"${bin%/*}/vhost-hash-check" -n 1000 -s 8

# the kselftests: the tun/tap ones already in the tree, on both kernels,
# and the series' own
kern=$("$top/kernel-patch/build" both) || exit 1
sel_u=$(dirname "$(echo "$kern" | awk '$1 == "unpatched" { print $2 }')")/selftests
sel_p=$(dirname "$(echo "$kern" | awk '$1 == "patched" { print $2 }')")/selftests
for t in tun tap; do
	step "unpatched kernel: kselftest net/$t" --unpatched -- "$sel_u/$t"
	step "patched kernel: kselftest net/$t" -- "$sel_p/$t"
done
step "patched kernel: kselftest net/tun_vnet_hash" -- "$sel_p/tun_vnet_hash"

# hashing never configured: what the reader gets is what it got before
a=$("$vm" --unpatched -- "$bin" off -n 2000 -s 4 2>&1 | grep '^digest')
b=$("$vm" -- "$bin" off -n 2000 -s 4 2>&1 | grep '^digest')
echo "# unpatched: $a"
echo "# patched:   $b"
[ -n "$a" ] && [ "$a" = "$b" ]
ok $? "hashing off: headers and frames byte-identical to the unpatched kernel's"
echo "1..$n"
