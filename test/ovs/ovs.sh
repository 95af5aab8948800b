#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 hashtap authors
#
# net_hashtap under Debian's OVS-DPDK (openvswitch-switch-dpdk 3.1), started
# by hand (no systemd): ovsdb-server and ovs-vswitchd-dpdk in a private run
# directory, our PMD loaded with dpdk-extra "-d", a netdev bridge with
# type=dpdk hashtap ports, namespaces behind them.  TAP output.
#
#   test/ovs/ovs.sh BUILD_DIR
#
# Checks: ping, TCP and UDP between two hashtap ports; a macvtap-backed
# port; n_rxq=2 with two PMD threads (OVS then asks for 3 tx queues: rxq !=
# txq); and that OVS uses the hash the port delivers instead of computing
# its own: with emc-insert-inv-prob=1, 256 flows hit the EMC when each
# has its own hash, and almost never when the port's RSS key is all zeros
# (every hash 0: one EMC bucket for all), while with hash=off (OVS hashes
# itself) the zero key changes nothing.
set -uo pipefail

build=${1:?usage: ovs.sh BUILD_DIR}
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
inject=$build/tools/bench/inject
flow=$top/tools/lib/flow.py
# shellcheck source=../../tools/lib/testpmd.sh
. "$top/tools/lib/testpmd.sh"
# shellcheck source=../../tools/lib/netns.sh
. "$top/tools/lib/netns.sh"
# shellcheck source=../lib/check.sh
. "$top/test/lib/check.sh"

[ -x /usr/lib/openvswitch-switch-dpdk/ovs-vswitchd-dpdk ] || { echo "not ok 1 - ovs-vswitchd-dpdk missing: ./hashtap setup installs openvswitch-switch-dpdk"; exit 1; }
tp_stage "$build" || exit 1
run=$(mktemp -d /run/hashtap/ovs.XXXXXX)
# shellcheck source=../../tools/lib/ovs.sh
. "$top/tools/lib/ovs.sh"
zero_key=$(printf '00%.0s' $(seq 1 40))

cleanup() {
	stop_ovs
	[ "${KEEP_OVS_LOGS:-0}" = 1 ] || rm -rf "$run"
	tp_cleanup
}
ns_trap cleanup

tcp_ok() {	# 2 MB from namespace $1 to $2 ($3)
	ip netns exec "$2" "$flow" tcp-recv "$3" 5301 >"$run/tcp" 2>&1 &
	local srv=$!
	sleep 0.5
	ip netns exec "$1" "$flow" tcp-send "$3" 5301 --bytes $((2 << 20))
	wait $srv
	[ "$(cat "$run/tcp")" = $((2 << 20)) ]
}

udp_ok() {	# 500 datagrams from $1 to $2 ($3), at least 495 arrive
	ip netns exec "$2" "$flow" udp-recv "$3" 5302 >"$run/udp" 2>&1 &
	local srv=$!
	sleep 0.5
	ip netns exec "$1" "$flow" udp-send "$3" 5302 500 256
	wait $srv
	[ "$(cat "$run/udp")" -ge 495 ]
}

# ------------------------------------------------------------ traffic
start_ovs
check $? "ovsdb-server and ovs-vswitchd-dpdk start, PMD loaded with -d from $tp_stage_dir"
add_port p0 "net_hashtap0,iface=htoa0" && add_port p1 "net_hashtap1,iface=htob0"
check $? "two type=dpdk ports with dpdk-devargs=net_hashtap..."
behind htoa0 hto-a 10.30.0.1 && behind htob0 hto-b 10.30.0.2
check $? "the ports' taps go into namespaces hto-a and hto-b"
ip netns exec hto-a ping -c 3 -i 0.2 -W 2 -q 10.30.0.2 >/dev/null
check $? "ping hto-a -> hto-b through the OVS bridge"
tcp_ok hto-a hto-b 10.30.0.2
check $? "TCP, 2 MB, hto-a -> hto-b ($(cat "$run/tcp") bytes)"
udp_ok hto-b hto-a 10.30.0.1
check $? "UDP, 500 datagrams, hto-b -> hto-a ($(cat "$run/udp") arrived)"

# a macvtap on a veth, its peer in hto-c
ns_add hto-c
ns_veth htomv0 "" htomv1 hto-c
# passthru: the macvtap gets every frame of the veth, as a bridge port must
ip link add link htomv0 name htomt0 type macvtap mode passthru
ns_quiet "" htomt0
ip link set htomt0 up
ip -n hto-c addr add 10.30.0.3/24 dev htomv1
add_port p2 "net_hashtap2,macvtap=htomt0"
check $? "a macvtap-backed port (dpdk-devargs=net_hashtap2,macvtap=htomt0)"
ip netns exec hto-a ping -c 3 -i 0.2 -W 2 -q 10.30.0.3 >/dev/null
check $? "ping hto-a -> hto-c through the macvtap port"
tcp_ok hto-c hto-a 10.30.0.1
check $? "TCP, 2 MB, hto-c (macvtap) -> hto-a ($(cat "$run/tcp") bytes)"

# n_rxq=2 and two PMD threads: OVS gives each port 3 tx queues
"${vsctl[@]}" set Open_vSwitch . other_config:pmd-cpu-mask=0x3
"${vsctl[@]}" set Interface p0 options:n_rxq=2
"${vsctl[@]}" set Interface p1 options:n_rxq=2
sleep 2
grep -q 'net_hashtap0: 2 rx / 3 tx queues' "$run/ovs-vswitchd-dpdk.log"
check $? "n_rxq=2 with 2 PMD threads: OVS configures p0 with 2 rx / 3 tx queues ($(grep -o 'net_hashtap0: [0-9]* rx / [0-9]* tx queues' "$run/ovs-vswitchd-dpdk.log" | tail -1))"
"${appctl[@]}" dpif-netdev/pmd-rxq-show >"$run/rxqs" 2>&1
[ "$(grep -c 'port: p0' "$run/rxqs")" = 2 ]
check $? "pmd-rxq-show: both of p0's rx queues are polled"
tcp_ok hto-a hto-b 10.30.0.2 && ip netns exec hto-b ping -c 2 -i 0.2 -W 2 -q 10.30.0.1 >/dev/null
check $? "traffic still flows with rxq != txq (TCP 2 MB, ping)"
grep -i 'hashtap' "$run/ovs-vswitchd-dpdk.log" | grep -i 'err' | sed 's/^/# /' | head -5
stop_ovs
ns_cleanup
! ip link show br0 >/dev/null 2>&1 && ! ip link show ovs-netdev >/dev/null 2>&1
check $? "OVS stopped: its bridge's taps (br0, ovs-netdev; persistent in the userspace datapath) are gone"

# ------------------------------------------------------------ whose hash does OVS use?
# emc hits of 256 UDP flows (5 rounds of each) sent from hto-a to hto-b's MAC
emc_run() {	# $1: extra devargs of p0
	local hits lookups
	PMD_MASK=0x2 start_ovs >/dev/null 2>&1 || return 1
	add_port p0 "net_hashtap0,iface=htoa0$1" && add_port p1 "net_hashtap1,iface=htob0" || return 1
	behind htoa0 hto-a 10.30.0.1 && behind htob0 hto-b 10.30.0.2 || return 1
	ip netns exec hto-b "$inject" -i htob0 -n 1 -S 02:c0:00:00:00:02 -D ff:ff:ff:ff:ff:ff >/dev/null
	sleep 0.5
	ip netns exec hto-a "$inject" -i htoa0 -n 1280 -f 256 -p 20000 -S 02:c0:00:00:00:01 \
		-D 02:c0:00:00:00:02 >/dev/null
	sleep 1
	"${appctl[@]}" dpif-netdev/pmd-stats-show >"$run/stats" 2>&1
	hits=$(awk '/emc hits:/ { s += $NF } END { print s + 0 }' "$run/stats")
	lookups=$(awk '/packets received:/ { s += $NF } END { print s + 0 }' "$run/stats")
	stop_ovs
	ns_cleanup
	echo "$hits $lookups"
}
read -r h_ms l_ms <<<"$(emc_run "")"
read -r h_zero l_zero <<<"$(emc_run ",key=$zero_key")"
read -r h_off l_off <<<"$(emc_run ",key=$zero_key,hash=off")"
echo "# EMC hits / packets: Microsoft key $h_ms / $l_ms, all-zero key $h_zero / $l_zero, zero key + hash=off $h_off / $l_off"
[ "${l_ms:-0}" -ge 1280 ] && [ "${h_ms:-0}" -ge 900 ]
check $? "OVS with the port's hash: 256 flows mostly hit the EMC ($h_ms of $l_ms)"
[ "${l_zero:-0}" -ge 1280 ] && [ "${h_zero:-0}" -le 100 ]
check $? "all-zero RSS key (every hash 0): the EMC almost never hits ($h_zero of $l_zero): OVS takes the port's hash"
[ "${l_off:-0}" -ge 1280 ] && [ "${h_off:-0}" -ge 900 ]
check $? "same zero key with hash=off (no hash on the mbuf, OVS hashes itself): EMC hits again ($h_off of $l_off)"
check_done
