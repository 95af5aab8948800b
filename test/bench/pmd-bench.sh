#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 hashtap authors
#
# Benchmark (not a test): Debian's dpdk-testpmd, one run, the same traffic,
# for net_hashtap (software hash, hash off, and kernel hash where the
# kernel has it), DPDK's net_tap and net_af_packet:
#   rxonly  frames injected from a namespace into the port's kernel side
#           (test/bench/inject, AF_PACKET sendmmsg), testpmd Rx-pps
#   txonly  testpmd txonly, Tx-pps (the kernel side counts what arrived)
#   io      two ports, injected into port 0, forwarded out of port 1
# at 64 and 1500 bytes, plus testpmd's CPU cycles per packet of the
# forwarding lcore (--record-core-cycles).  Prints a markdown table.
#
#   test/bench/pmd-bench.sh [-d SECONDS] [-f FLOWS] [-p PMDS] [-s SIZES] [-m MODES] BUILD_DIR
#     PMDS  space-separated from: hashtap-kernel hashtap-sw hashtap-off tap af_packet
#           (default: all but hashtap-kernel, which needs the patched kernel)
#
# Runs as root; creates and removes namespaces hb-s, hb-d.  Two cores: the
# forwarding lcore has core 1, the injector and testpmd's main lcore core 0.
set -uo pipefail

secs=6
flows=256
pmds="hashtap-sw hashtap-off tap af_packet"
sizes="64 1500"
modes="rxonly txonly io"
while getopts d:f:p:s:m: opt; do
	case $opt in
	d) secs=$OPTARG ;;
	f) flows=$OPTARG ;;
	p) pmds=$OPTARG ;;
	s) sizes=$OPTARG ;;
	m) modes=$OPTARG ;;
	*) sed -n '4,19s/^# \{0,1\}//p' "$0"; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
build=${1:?usage: pmd-bench.sh [-d SECONDS] [-f FLOWS] [-p PMDS] [-s SIZES] [-m MODES] BUILD_DIR}
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
inject=$build/test/bench/inject
work=$(mktemp -d)
# shellcheck source=../common/testpmd.sh
. "$top/test/common/testpmd.sh"

cleanup() {
	tp_cleanup
	ip netns del hb-s 2>/dev/null
	ip netns del hb-d 2>/dev/null
	ip link del hbp0 2>/dev/null
	ip link del hbp1 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT
tp_stage "$build" || exit 1

# vdev arguments for port N of a PMD; its kernel side is hbN in hb-s/hb-d
vdev() {
	local pmd=$1 i=$2
	case $pmd in
	hashtap-sw) echo "net_hashtap$i,iface=hb$i,hash=software" ;;
	hashtap-off) echo "net_hashtap$i,iface=hb$i,hash=off" ;;
	hashtap-kernel) echo "net_hashtap$i,iface=hb$i,hash=kernel" ;;
	tap) echo "net_tap$i,iface=hb$i" ;;
	af_packet) echo "net_af_packet$i,iface=hbp$i,qpairs=2" ;;
	esac
}

# the kernel side of port i into its namespace
kernel_side() {
	local pmd=$1 i=$2 ns
	ns=$([ "$i" = 0 ] && echo hb-s || echo hb-d)
	if [ "$pmd" = af_packet ]; then
		ip link add hbp$i type veth peer name hb$i netns $ns &&
			ip link set hbp$i up || return 1
	else
		ip link set hb$i netns $ns || return 1
	fi
	ip netns exec $ns sysctl -qw net.ipv6.conf.hb$i.disable_ipv6=1
	ip -n $ns link set hb$i up
}

# field VALUE of port P in "show port stats all" output on stdin
pps_of() {
	awk -v port="$1" -v what="$2" '
		/NIC statistics for port/ { p = $(NF - 1) }
		p == port && $1 == what ":" { print $2; exit }'
}

# one measurement: prints "Mpps cycles/packet injected-pps"
measure() {
	local pmd=$1 mode=$2 size=$3 nports=1 i args=() inj_pid= pps cyc sent
	[ "$mode" = io ] && nports=2
	ip netns add hb-s
	ip netns add hb-d
	for ((i = 0; i < nports; i++)); do
		args+=(--vdev "$(vdev "$pmd" $i)")
	done
	if [ "$pmd" = af_packet ]; then
		for ((i = 0; i < nports; i++)); do kernel_side "$pmd" $i || return 1; done
	fi
	tp_start "$work/out" -l 0-1 --no-huge -m 1024 --no-pci --no-shconf --file-prefix "hb$$" \
		-d "$tp_so" "${args[@]}" -- --rxq=2 --txq=2 --nb-cores=1 --total-num-mbufs=32768 \
		--forward-mode="$mode" --txpkts="$size" --record-core-cycles || {
		echo "testpmd did not start: $(tail -3 "$work/out")" >&2
		return 1
	}
	if [ "$pmd" != af_packet ]; then
		for ((i = 0; i < nports; i++)); do kernel_side "$pmd" $i || return 1; done
	fi
	tp_cmd "port config all rss all"
	tp_cmd "start"
	if [ "$mode" != txonly ]; then
		ip netns exec hb-s taskset -c 0 "$inject" -i hb0 -s "$size" -f "$flows" -d "$secs" \
			>"$work/inject" 2>&1 &
		inj_pid=$!
	fi
	sleep 1
	tp_cmd "show port stats all"
	sleep $((secs - 2))
	tp_mark
	tp_cmd "show port stats all"
	tp_expect "NIC statistics for port $((nports - 1))" && sleep 0.3
	case $mode in
	rxonly) pps=$(tp_since | pps_of 0 Rx-pps) ;;
	txonly) pps=$(tp_since | pps_of 0 Tx-pps) ;;
	io) pps=$(tp_since | pps_of 1 Tx-pps) ;;
	esac
	[ -n "$inj_pid" ] && wait "$inj_pid"
	tp_mark
	tp_cmd "stop"
	tp_expect 'Done' || sleep 1
	cyc=$(tp_since | sed -n 's/.*CPU cycles\/packet=\([0-9.]*\).*/\1/p' | head -1)
	tp_quit >/dev/null 2>&1
	sent=$(sed -n 's/.* \([0-9]*\) pps.*/\1/p' "$work/inject" 2>/dev/null)
	ip netns del hb-s
	ip netns del hb-d
	ip link del hbp0 2>/dev/null
	ip link del hbp1 2>/dev/null
	printf '%s %s %s\n' "$(awk -v p="${pps:-0}" 'BEGIN { printf "%.3f", p / 1e6 }')" "${cyc:-?}" \
		"$(awk -v p="${sent:-0}" 'BEGIN { printf "%.3f", p / 1e6 }')"
}

echo "# PMD benchmark: $(date -u '+%Y-%m-%d %H:%M UTC'), $(uname -r), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores"
echo "# testpmd $(dpkg-query -W -f='${Version}' dpdk 2>/dev/null), ${secs} s per cell, $flows flows, 2 rx/tx queues, one forwarding lcore"
echo
echo "| mode | size | PMD | Mpps | cycles/pkt | injected Mpps |"
echo "|---|---|---|---|---|---|"
for mode in $modes; do
	for size in $sizes; do
		for pmd in $pmds; do
			r=$(measure "$pmd" "$mode" "$size") || r="failed - -"
			read -r mpps cyc inj <<<"$r"
			[ "$mode" = txonly ] && inj=-
			echo "| $mode | $size | $pmd | $mpps | $cyc | $inj |"
		done
	done
done
