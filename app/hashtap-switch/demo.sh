#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 hashtap authors
#
# The hashtap-switch demo: two "VM" network namespaces (hd-vm1, hd-vm2),
# each behind a net_hashtap port, and an uplink standing in for a physical
# NIC (net_af_packet on veth htup0, its peer in namespace hd-up; a trunk
# whose native VLAN is the VMs' VLAN 10).  Pings, a TCP and a UDP flow cross the switch VM<->VM and
# VM<->uplink; then what happened: per-port packets, hash source, flow-cache
# hits (telemetry), and the switch's own summary.  Everything it creates is
# removed at the end.  Exit status 0 when every step worked.
#
#   app/hashtap-switch/demo.sh BUILD_DIR [CONFIG]
#
# Runs on the host (hash computed by the PMD in software) and in the
# patched test kernel, where the hash source is the kernel:
#   test/vm/vm-run --smp 2 --mem 2048 -- app/hashtap-switch/demo.sh build/release
set -uo pipefail

build=${1:?usage: demo.sh BUILD_DIR [CONFIG]}
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
config=${2:-$top/config/demo.ini}
switch=$build/app/hashtap-switch/hashtap-switch
flow=$top/test/common/flow.py	# one TCP stream or UDP burst
log=$(mktemp)
sw_pid=
failed=0

step() {
	local what=$1
	shift
	if "$@"; then
		echo "demo: ok     $what"
	else
		echo "demo: FAILED $what"
		failed=$((failed + 1))
	fi
}

cleanup() {
	[ -n "$sw_pid" ] && kill "$sw_pid" 2>/dev/null && wait "$sw_pid" 2>/dev/null
	for ns in hd-vm1 hd-vm2 hd-up; do ip netns del $ns 2>/dev/null; done
	ip link del htup0 2>/dev/null
	rm -f "$log"
}
trap cleanup EXIT
cleanup
log=$(mktemp)

[ -x "$switch" ] || { echo "demo: $switch is missing: ./hashtap build" >&2; exit 1; }
echo "demo: kernel $(uname -r); config $config"
for ns in hd-vm1 hd-vm2 hd-up; do
	ip netns add $ns && ip -n $ns link set lo up || exit 1
done
# the uplink: a veth, its far end in hd-up (untagged = the trunk's native VLAN 10)
ip link add htup0 type veth peer name htupp netns hd-up
sysctl -qw net.ipv6.conf.htup0.disable_ipv6=1
ip link set htup0 up
ip netns exec hd-up sysctl -qw net.ipv6.conf.all.disable_ipv6=1
# a wire delivers finished frames: no partial checksums or 64 KiB GSO frames
# from the far end's stack into the AF_PACKET socket
ip netns exec hd-up ethtool -K htupp tx off tso off gso off >/dev/null
ip -n hd-up addr add 10.10.0.3/24 dev htupp
ip -n hd-up link set htupp up

"$switch" -c "$config" --status 2 >"$log" 2>&1 &
sw_pid=$!
for _ in $(seq 1 100); do
	grep -q 'running' "$log" && break
	kill -0 $sw_pid 2>/dev/null || break
	sleep 0.1
done
if ! grep -q running "$log"; then
	echo "demo: FAILED hashtap-switch did not start:"
	grep -v '^EAL: \(Detected\|Selected\|Physical\)' "$log" | tail -5 | sed 's/^/  /'
	exit 1
fi
step "hashtap-switch starts ($(grep -c '^hashtap-switch: port' "$log") ports)" true
sed -n 's/^hashtap-switch: port /  port /p' "$log"

# the VMs: the taps the switch's net_hashtap ports created go into them
for i in 1 2; do
	ip link set htvm$i netns hd-vm$i
	ip netns exec hd-vm$i sysctl -qw net.ipv6.conf.all.disable_ipv6=1
	ip -n hd-vm$i addr add 10.10.0.$((i == 1 ? 1 : 2))/24 dev htvm$i
	ip -n hd-vm$i link set htvm$i up
done

step "ping vm1 -> vm2 (VM<->VM)" ip netns exec hd-vm1 ping -c 3 -i 0.2 -W 2 -q 10.10.0.2
step "ping vm1 -> uplink (VM<->uplink, the trunk's native VLAN)" \
	ip netns exec hd-vm1 ping -c 3 -i 0.2 -W 2 -q 10.10.0.3
step "ping uplink -> vm2" ip netns exec hd-up ping -c 3 -i 0.2 -W 2 -q 10.10.0.2

tcp() {	# a 4 MB TCP stream from namespace $1 to address $2 in namespace $3
	local got
	ip netns exec "$3" "$flow" tcp-recv "$2" 5201 >"$log.tcp" 2>&1 &
	local srv=$!
	sleep 0.5
	ip netns exec "$1" "$flow" tcp-send "$2" 5201 --bytes $((4 << 20))
	wait $srv
	got=$(cat "$log.tcp")
	rm -f "$log.tcp"
	echo "  $got bytes"
	[ "$got" = $((4 << 20)) ]
}
udp() {	# 2000 datagrams from namespace $1 to address $2 in namespace $3
	local got
	ip netns exec "$3" "$flow" udp-recv "$2" 5202 >"$log.udp" 2>&1 &
	local srv=$!
	sleep 0.5
	ip netns exec "$1" "$flow" udp-send "$2" 5202 2000 512
	wait $srv
	got=$(cat "$log.udp")
	rm -f "$log.udp"
	echo "  $got of 2000 datagrams"
	[ "${got:-0}" -ge 1990 ]
}
step "TCP vm1 -> vm2, 4 MB" tcp hd-vm1 10.10.0.2 hd-vm2
step "TCP uplink -> vm1, 4 MB" tcp hd-up 10.10.0.1 hd-vm1
step "UDP vm2 -> uplink, 2000 datagrams" udp hd-vm2 10.10.0.3 hd-up

# what the switch saw, through telemetry
prefix=$(sed -n 's/.*--file-prefix[ =]\([^ ]*\).*/\1/p' "$config" | head -1)
if command -v dpdk-telemetry.py >/dev/null && [ -n "$prefix" ]; then
	echo "demo: telemetry (dpdk-telemetry.py -f $prefix):"
	printf '/hashtap/ports\n/hashtap/hash\n/hashtap/flows\n' |
		dpdk-telemetry.py -f "$prefix" 2>/dev/null | grep -v '^Connecting\|^{"version"' | sed 's/^/  /'
fi

kill -INT $sw_pid
wait $sw_pid
rc=$?
sw_pid=
step "the switch stops cleanly on SIGINT, no mbuf left in use (exit $rc)" [ $rc = 0 ]
sed -n '/^hashtap-switch: summary/,$p' "$log"
reused=$(sed -n 's/^  hash: reused \([0-9]*\),.*/\1/p' "$log")
step "frames from the VM ports were not hashed again (hash reused: ${reused:-0})" [ "${reused:-0}" -gt 0 ]
if [ $failed = 0 ]; then echo "demo: all steps passed"; else echo "demo: $failed step(s) failed"; fi
[ $failed = 0 ]
