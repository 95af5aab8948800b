#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 hashtap authors
#
# The VM runner and the test kernel: a command's output and exit status
# come back; boot failures, time-outs and kernel warnings fail the run;
# the guest has what the kernel tests need (tun, tap, macvtap, veth,
# vhost-net, namespaces, hugepages).  TAP output.
set -uo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
vm=$top/tools/vm-run

# shellcheck source=../lib/check.sh
. "$top/test/lib/check.sh"

cache=${HASHTAP_CACHE:-/var/cache/hashtap}
want=$(sed 's/-.*//' "$cache/linux-source-7.2/VERSION")
out=$("$vm" -- uname -r 2>&1)
[ "$out" = "$want" ]; check $? "guest runs the built mainline $want kernel (got '$out')"
want612=$(dpkg-query -W -f='${Version}' linux-source-6.12 | sed 's/-.*//')
out=$("$vm" --base 6.12 -- uname -r 2>&1)
[ "$out" = "$want612" ]; check $? "--base 6.12: the built $want612 kernel (got '$out')"

"$vm" -- sh -c 'exit 3' >/dev/null 2>&1
[ $? = 3 ]; check $? "the command's exit status comes back"

out=$(cd "$top" && "$vm" --env HASHTAP_X=42 -- sh -c 'echo "$PWD $HASHTAP_X"' 2>&1)
[ "$out" = "$top 42" ]; check $? "runs in the caller's directory with --env (got '$out')"

kept=$(mktemp -d /tmp/vm-keep.XXXXXX)
echo kept-ok >"$kept/f"
out=$("$vm" --keep "$kept" -- cat "$kept/f" 2>&1)
rm -rf "$kept"
[ "$out" = kept-ok ]; check $? "a --keep path under /tmp stays visible over the guest's tmpfs (got '$out')"

# a cache under /tmp (HASHTAP_CACHE=/tmp/...): the run directory, which
# the guest's tmpfs covers, is bound back (once "cmd.sh: No such file")
k=$("$top/kernel-patch/build" patched | awk '{ print $2 }')
tcache=$(mktemp -d /tmp/vm-cache.XXXXXX)
out=$(HASHTAP_CACHE=$tcache "$vm" --kernel "$k" -- echo cache-ok 2>&1)
left=$(find "$tcache/vm" -mindepth 1 2>/dev/null | wc -l)
rm -rf "$tcache"
[ "$out" = cache-ok ]; check $? "HASHTAP_CACHE under /tmp: the guest runs the command (got '$out')"
[ "$left" = 0 ]; check $? "HASHTAP_CACHE under /tmp: the run directory is removed ($left left)"

out=$("$vm" --unpatched -- uname -r 2>&1)
[ "$out" = "$want" ]; check $? "the unpatched kernel boots too"

out=$("$vm" -- sh -c '
	set -e
	test -c /dev/net/tun && test -c /dev/vhost-net
	ip netns add a
	ip tuntap add dev tap0 mode tap multi_queue vnet_hdr
	ip link add v0 type veth peer name v1
	ip link add link v0 name mvt0 type macvtap mode bridge
	ip link set v0 up; ip link set mvt0 up
	test -c /dev/tap$(cat /sys/class/net/mvt0/ifindex)
	ip link set v1 netns a
	ip -n a link set v1 up
	grep -q hugetlbfs /proc/mounts
	touch /tmp/x /root/x /run/x
	echo guest-ok' 2>&1)
case "$out" in *guest-ok) r=0 ;; *) r=1; echo "$out" | sed 's/^/# /' ;; esac
check $r "guest has tun, multi-queue vnet_hdr tap, veth, macvtap /dev/tapN, vhost-net, netns, writable tmpfs"

out=$("$vm" -- sh -c 'echo l >/proc/sysrq-trigger' 2>&1)
rc=$?
[ $rc = 125 ] && echo "$out" | grep -q 'logged a warning'
check $? "a call trace in the kernel log fails the run (exit $rc)"
# and the report comes whole: the trace's frames after "Call Trace"
# (addresses where the kernel has no kallsyms: System.map is beside it)
echo "$out" | grep -A 3 'vm-run: kernel: .*Call Trace' | grep -Eq 'vm-run: kernel: \[ *[0-9.]+\]  (\? )?([a-z_0-9.]+\+0x[0-9a-f]+/0x[0-9a-f]+|0xffffffff[0-9a-f]+)'
check $? "... with its trace, frame by frame ($(echo "$out" | grep -c 'vm-run: kernel:') lines)"

out=$("$vm" --timeout 8 -- sleep 600 2>&1)
rc=$?
[ $rc = 125 ] && echo "$out" | grep -q 'timed out'
check $? "a run past --timeout fails (exit $rc)"

# a caller giving up (SIGTERM to vm-run) takes the guest's QEMU with it
mark=vmrunner$$
"$vm" --append "hashtap.mark=$mark" -- sleep 600 >/dev/null 2>&1 &
pid=$!
for _ in $(seq 1 100); do pgrep -f "hashtap.mark=$mark" | grep -qv "^$pid\$" && break; sleep 0.1; done
sleep 3
kill -TERM $pid
wait $pid
rc=$?
sleep 1
left=$(pgrep -fc "qemu-system.*hashtap.mark=$mark")
[ $rc = 125 ] && [ "$left" = 0 ]
check $? "SIGTERM to vm-run stops its QEMU too (exit $rc, $left QEMU left)"

out=$("$vm" --kernel /etc/hostname -- true 2>&1)
rc=$?
[ $rc = 125 ] && echo "$out" | grep -q 'did not reach the command'
check $? "a kernel that does not boot fails the run (exit $rc)"

check_done
