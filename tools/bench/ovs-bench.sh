#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 hashtap authors
#
# Benchmark (not a test): OVS-DPDK (Debian's 3.1, one PMD thread on core 1)
# switching between two ports whose kernel sides are namespaces, the same
# traffic for net_hashtap ports and DPDK's net_tap ports: 64-byte UDP
# (tools/bench/inject, 256 flows, from namespace a to b's MAC; Mpps counted
# by b's kernel) and one TCP stream a -> b (Gbit/s at the receiver).
# Both with n_rxq=2 (net_tap needs as many rx as tx queues).
#
#   tools/bench/ovs-bench.sh [-d SECONDS] BUILD_DIR
set -uo pipefail
secs=6
while getopts d: opt; do
	case $opt in d) secs=$OPTARG ;; *) sed -n '4,12s/^# \{0,1\}//p' "$0"; exit 2 ;; esac
done
shift $((OPTIND - 1))
build=${1:?usage: ovs-bench.sh [-d SECONDS] BUILD_DIR}
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
inject=$build/tools/bench/inject
flow=$top/tools/lib/flow.py
# shellcheck source=../lib/testpmd.sh
. "$top/tools/lib/testpmd.sh"
tp_stage "$build" || exit 1
install -d -m 0700 /run/hashtap
run=$(mktemp -d /run/hashtap/ovsb.XXXXXX)
# shellcheck source=../lib/ovs.sh
. "$top/tools/lib/ovs.sh"
ns_trap 'stop_ovs; [ "${KEEP_OVS_LOGS:-0}" = 1 ] || rm -rf "$run"; tp_cleanup'

one() {	# $1: devargs of port 0 with %d for the index and %s for the iface
	local fmt=$1 k0 k1 mpps gbps
	start_ovs || return 1
	# n_rxq=2: OVS asks for PMD threads + 1 = 2 tx queues, and net_tap
	# refuses rxq != txq (with n_rxq=1 it cannot be an OVS port at all)
	add_port p0 "$(printf "$fmt" 0 htoa0)" options:n_rxq=2 &&
		add_port p1 "$(printf "$fmt" 1 htob0)" options:n_rxq=2 || return 1
	behind htoa0 hto-a 10.40.0.1 && behind htob0 hto-b 10.40.0.2 || return 1
	ip netns exec hto-b "$inject" -i htob0 -n 1 -S 02:d0:00:00:00:02 -D ff:ff:ff:ff:ff:ff >/dev/null
	sleep 0.5
	k0=$(ip netns exec hto-b cat /sys/class/net/htob0/statistics/rx_packets)
	ip netns exec hto-a taskset -c 0 "$inject" -i htoa0 -s 64 -f 256 -d "$secs" \
		-S 02:d0:00:00:00:01 -D 02:d0:00:00:00:02 >/dev/null
	sleep 0.5
	k1=$(ip netns exec hto-b cat /sys/class/net/htob0/statistics/rx_packets)
	mpps=$(awk -v k=$((k1 - k0)) -v d="$secs" 'BEGIN { printf "%.3f", k / d / 1e6 }')
	ip netns exec hto-b "$flow" tcp-recv 10.40.0.2 5401 --gbps >"$run/gbps" 2>/dev/null &
	sleep 0.5
	ip netns exec hto-a "$flow" tcp-send 10.40.0.2 5401 --seconds "$secs" 2>/dev/null
	wait
	gbps=$(cat "$run/gbps")
	stop_ovs
	ns_cleanup
	echo "$mpps ${gbps:-failed}"
}

echo "# OVS-DPDK benchmark: $(date -u '+%Y-%m-%d %H:%M UTC'), $(uname -r), OVS $(ovs-vsctl --version | head -1 | awk '{ print $NF }'), ${secs} s a cell"
echo
echo "| ports | UDP 64 B Mpps (a -> b) | TCP stream Gbit/s |"
echo "|---|---|---|"
read -r m g <<<"$(one 'net_hashtap%d,iface=%s')"
echo "| net_hashtap | $m | $g |"
read -r m g <<<"$(one 'net_tap%d,iface=%s')"
echo "| net_tap | $m | $g |"
