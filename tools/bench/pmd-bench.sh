#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 hashtap authors
#
# Benchmark (not a test): Debian's dpdk-testpmd, one run, the same traffic,
# for net_hashtap (software hash, hash off, and kernel hash where the
# kernel has it), DPDK's net_tap and net_af_packet:
#   rxonly  frames injected from a namespace into the port's kernel side
#           (tools/bench/inject, AF_PACKET sendmmsg), testpmd Rx-pps
#   txonly  testpmd txonly, Tx-pps (the kernel side counts what arrived)
#   io      two ports, injected into port 0, forwarded out of port 1
#   tcp     two ports, one TCP stream between the namespaces behind them
#           (Gbit/s at the receiver); hashtap-lro is net_hashtap with LRO
#           and scatter on rx and testpmd's csum engine setting TSO on tx,
#           the others forward with io and no offloads
# at 64 and 1500 bytes, plus testpmd's CPU cycles per packet of the
# forwarding lcore (--record-core-cycles).  Prints a markdown table.
#
#   tools/bench/pmd-bench.sh [-d SECONDS] [-f FLOWS] [-p PMDS] [-s SIZES] [-m MODES] BUILD_DIR
#     PMDS  space-separated from: hashtap-kernel hashtap-sw hashtap-off hashtap-lro tap
#           af_packet (default: all but hashtap-kernel, which needs the patched
#           kernel; hashtap-lro only runs in tcp mode)
#     MODES rxonly txonly io tcp (default: all)
#
# Runs as root; creates and removes namespaces hb-s, hb-d.  Two cores: the
# forwarding lcore has core 1, the injector and testpmd's main lcore core 0.
set -uo pipefail

secs=6
flows=256
pmds="hashtap-sw hashtap-off hashtap-lro tap af_packet"
sizes="64 1500"
modes="rxonly txonly io tcp"
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
flow=$top/tools/lib/flow.py
inject=$build/tools/bench/inject
work=$(mktemp -d)
# shellcheck source=../lib/testpmd.sh
. "$top/tools/lib/testpmd.sh"

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
	hashtap-lro) echo "net_hashtap$i,iface=hb$i" ;;
	tap) echo "net_tap$i,iface=hb$i" ;;
	af_packet) echo "net_af_packet$i,iface=hbp$i,qpairs=$qpairs" ;;	# = testpmd's --rxq
	esac
}

# the kernel side of port i into its namespace
kernel_side() {
	local pmd=$1 i=$2 ns
	ns=$([ "$i" = 0 ] && echo hb-s || echo hb-d)
	if [ "$pmd" = af_packet ]; then
		# AF_PACKET reads what the veth carries: no partial checksums or
		# GSO frames from the namespace's stack
		ip link add hbp$i type veth peer name hb$i netns $ns &&
			ip link set hbp$i up &&
			ip netns exec $ns ethtool -K hb$i tx off tso off gso off >/dev/null || return 1
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

# a TCP stream from hb-s to hb-d for secs seconds: prints Gbit/s received
tcp_stream() {
	ip netns exec hb-d "$flow" tcp-recv 10.66.0.2 5001 --gbps >"$work/tcp" 2>"$work/tcp.err" &
	local srv=$!
	sleep 0.5
	ip netns exec hb-s "$flow" tcp-send 10.66.0.2 5001 --seconds "$secs" >/dev/null 2>&1
	wait $srv
	[ -s "$work/tcp" ] && cat "$work/tcp" || { echo failed; sed "s/^/# /" "$work/tcp.err" >&2; }
}

# tcp mode: prints "Gbit/s cycles/packet -"
measure_tcp() {
	qpairs=1	# an AF_PACKET fanout socket nobody polls would eat flows
	local pmd=$1 i args=() extra=() gbps cyc
	ip netns add hb-s
	ip netns add hb-d
	for i in 0 1; do args+=(--vdev "$(vdev "$pmd" $i)"); done
	if [ "$pmd" = af_packet ]; then
		for i in 0 1; do kernel_side "$pmd" $i || return 1; done
	fi
	[ "$pmd" = hashtap-lro ] && extra=(--enable-lro --enable-scatter)
	tp_start "$work/out" -l 0-1 --no-huge -m 1024 --no-pci --no-shconf --file-prefix "hb$$" \
		-d "$tp_so" "${args[@]}" -- --rxq=1 --txq=1 --nb-cores=1 --total-num-mbufs=32768 \
		--record-core-cycles "${extra[@]}" || return 1
	if [ "$pmd" != af_packet ]; then
		for i in 0 1; do kernel_side "$pmd" $i || return 1; done
	fi
	for i in 0 1; do
		ip -n "$([ $i = 0 ] && echo hb-s || echo hb-d)" addr add 10.66.0.$((i + 1))/24 dev hb$i
	done
	if [ "$pmd" = hashtap-lro ]; then
		# the csum engine sets TX_TCP_SEG/checksum flags; it also rewrites
		# MACs, so its peers are the kernel interfaces
		tp_cmd "port stop all"
		for i in 0 1; do
			tp_cmd "csum set ip hw $i"
			tp_cmd "csum set tcp hw $i"
			tp_cmd "csum set udp hw $i"
			tp_cmd "tso set 1448 $i"
		done
		tp_cmd "port start all"
		tp_cmd "set eth-peer 0 $(ip -n hb-s -br link show hb0 | awk '{ print $3 }')"
		tp_cmd "set eth-peer 1 $(ip -n hb-d -br link show hb1 | awk '{ print $3 }')"
		tp_cmd "set fwd csum"
	else
		tp_cmd "set fwd io"
	fi
	tp_cmd "start"
	sleep 1
	gbps=$(tcp_stream)
	tp_mark
	tp_cmd "stop"
	tp_expect 'Done' || sleep 1
	cyc=$(tp_since | sed -n 's/.*CPU cycles\/packet=\([0-9.]*\).*/\1/p' | head -1)
	tp_quit >/dev/null 2>&1
	ip netns del hb-s
	ip netns del hb-d
	ip link del hbp0 2>/dev/null
	ip link del hbp1 2>/dev/null
	echo "${gbps:-0} ${cyc:-?} -"
}

# one measurement: prints "Mpps cycles/packet injected-pps"
measure() {
	qpairs=2
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
echo "| mode | size | PMD | Mpps (tcp: Gbit/s) | cycles/pkt | injected Mpps |"
echo "|---|---|---|---|---|---|"
for mode in $modes; do
	for size in $sizes; do
		[ "$mode" = tcp ] && size=stream
		for pmd in $pmds; do
			if [ "$mode" = tcp ]; then
				r=$(measure_tcp "$pmd") || r="failed - -"
			elif [ "$pmd" = hashtap-lro ]; then
				continue
			else
				r=$(measure "$pmd" "$mode" "$size") || r="failed - -"
			fi
			read -r mpps cyc inj <<<"$r"
			[ "$mode" = txonly ] && inj=-
			echo "| $mode | $size | $pmd | $mpps | $cyc | $inj |"
		done
		[ "$mode" = tcp ] && break
	done
done
