#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 hashtap authors
#
# Benchmark (not a test): Debian's dpdk-testpmd, one run, the same traffic,
# for net_hashtap on each datapath (io=uring, io=syscall; software hash),
# DPDK's net_tap, net_af_packet and net_af_xdp (more rows: hash off, kernel
# hash where the kernel has it):
#   rxonly  frames injected from a namespace into the port's kernel side
#           (tools/bench/inject, AF_PACKET sendmmsg), testpmd Rx-pps
#   txonly  testpmd txonly, Tx-pps (the kernel side counts what arrived)
#   io      two ports, injected into port 0, forwarded out of port 1
#   tcp     two ports, one TCP stream between the namespaces behind them
#           (Gbit/s at the receiver); hashtap-lro(-syscall) is net_hashtap
#           with LRO and scatter on rx and testpmd's csum engine setting
#           TSO on tx, the others forward with io and no offloads
# at 64 and 1500 bytes, plus testpmd's CPU cycles per packet of the
# forwarding lcore (--record-core-cycles) and the CPU the run cost the
# machine per packet: the CPU time of testpmd (every thread, io_uring's
# kernel threads too) and of the injector, plus the softirqs (e.g.
# net_af_packet's copy of a frame into its ring, in the sender's softirq),
# over the measured seconds, in TSC cycles (cpu MHz), divided by the
# packets.  Softirqs run in whichever task they interrupt: with tick
# accounting (no CONFIG_IRQ_TIME_ACCOUNTING) the kernel charges them to
# that task (and again to /proc/stat's softirq column, which is therefore
# not added), so the sum takes ksoftirqd's time besides; with
# IRQ_TIME_ACCOUNTING they are not in any task's time and the sum takes
# /proc/stat's softirq column instead (ksoftirqd's time is in it).  Other
# load on the machine is not in it (the load average is printed).
# Prints a markdown table.
#
#   tools/bench/pmd-bench.sh [-d SECONDS] [-f FLOWS] [-q QUEUES] [-r ROUNDS] [-p PMDS] [-s SIZES]
#                           [-m MODES] BUILD_DIR
#     ROUNDS each cell this many times, the PMDs taking turns; medians (default 1)
#     QUEUES rx and tx queues a port (default 2; net_af_xdp takes 1: a veth
#           shows AF_XDP one combined channel)
#     PMDS  space-separated from: hashtap-uring hashtap-syscall hashtap-vhost (io=vhost:
#           vhost-net rings, the test kernel) hashtap-sqpoll (io=uring,
#           sqpoll=0: the writes on core 0) hashtap-sw hashtap-off
#           hashtap-kernel hashtap-lro hashtap-lro-syscall tap af_packet af_xdp
#           (default: hashtap-uring hashtap-syscall hashtap-sqpoll hashtap-lro hashtap-lro-syscall
#           tap af_packet af_xdp; hashtap-lro* only run in tcp mode;
#           hashtap-kernel needs the patched kernel)
#     MODES rxonly txonly io tcp (default: all)
#     -M MHZ  the TSC's MHz when /proc/cpuinfo has none (a guest under TCG);
#           under QEMU -icount shift=0 the TSC counts instructions: -M 1000
#           makes the cycle columns instructions.  On one CPU the two lcores
#           and the injector share it (--lcores 0@0,1@0).
#
# Runs as root; creates and removes namespaces hb-s, hb-d.  Two cores: the
# forwarding lcore has core 1, the injector and testpmd's main lcore core 0.
set -uo pipefail

secs=6
flows=256
queues=2
rounds=1
pmds="hashtap-uring hashtap-syscall hashtap-sqpoll hashtap-lro hashtap-lro-syscall tap af_packet af_xdp"
sizes="64 1500"
modes="rxonly txonly io tcp"
mhz=
while getopts d:f:q:r:p:s:m:M: opt; do
	case $opt in
	d) secs=$OPTARG ;;
	q) queues=$OPTARG ;;
	r) rounds=$OPTARG ;;
	f) flows=$OPTARG ;;
	p) pmds=$OPTARG ;;
	s) sizes=$OPTARG ;;
	m) modes=$OPTARG ;;
	M) mhz=$OPTARG ;;
	*) sed -n '4,51s/^# \{0,1\}//p' "$0"; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
build=${1:?usage: pmd-bench.sh [-d SECONDS] [-f FLOWS] [-q QUEUES] [-p PMDS] [-s SIZES] [-m MODES] BUILD_DIR}
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
flow=$top/tools/lib/flow.py
inject=$build/tools/bench/inject
work=$(mktemp -d)
# shellcheck source=../lib/testpmd.sh
. "$top/tools/lib/testpmd.sh"

# what a cell leaves behind, also when it failed half-way
cell_cleanup() {
	if [ -n "${tp_pid:-}" ]; then
		kill "$tp_pid" 2>/dev/null
		wait "$tp_pid" 2>/dev/null
		tp_pid=
	fi
	ip netns del hb-s 2>/dev/null
	ip netns del hb-d 2>/dev/null
	ip link del hbp0 2>/dev/null
	ip link del hbp1 2>/dev/null
}
cleanup() {
	cell_cleanup
	tp_cleanup
	rm -rf "$work"
}
trap cleanup EXIT
tp_stage "$build" || exit 1

# vdev arguments for port N of a PMD; its kernel side is hbN in hb-s/hb-d
vdev() {
	local pmd=$1 i=$2
	case $pmd in
	hashtap-uring) echo "net_hashtap$i,iface=hb$i,hash=software,io=uring" ;;
	hashtap-syscall) echo "net_hashtap$i,iface=hb$i,hash=software,io=syscall" ;;
	hashtap-sqpoll) echo "net_hashtap$i,iface=hb$i,hash=software,io=uring,sqpoll=0" ;;	# core 0
	hashtap-vhost) echo "net_hashtap$i,iface=hb$i,hash=software,io=vhost" ;;	# vhost-net (test kernel)
	hashtap-sw) echo "net_hashtap$i,iface=hb$i,hash=software" ;;
	hashtap-off) echo "net_hashtap$i,iface=hb$i,hash=off" ;;
	hashtap-kernel) echo "net_hashtap$i,iface=hb$i,hash=kernel" ;;
	hashtap-lro) echo "net_hashtap$i,iface=hb$i,io=uring" ;;
	hashtap-lro-syscall) echo "net_hashtap$i,iface=hb$i,io=syscall" ;;
	tap) echo "net_tap$i,iface=hb$i" ;;
	af_packet) echo "net_af_packet$i,iface=hbp$i,qpairs=$qpairs" ;;	# = testpmd's --rxq
	af_xdp) echo "net_af_xdp$i,iface=hbp$i,start_queue=0,queue_count=$qpairs" ;;
	esac
}
is_veth() { [ "$1" = af_packet ] || [ "$1" = af_xdp ]; }
is_lro() { [ "${1#hashtap-lro}" != "$1" ]; }

tsc_mhz=${mhz:-$(awk -F: '/^cpu MHz/ { printf "%d", $2; exit }' /proc/cpuinfo)}
lcores=(-l 0-1)
[ "$(nproc)" -ge 2 ] || lcores=(--lcores 0@0,1@0)
# where softirq time is accounted (see above): "tick" or "irqtime"
irq_acct=tick
if { zcat /proc/config.gz 2>/dev/null || cat "/boot/config-$(uname -r)" 2>/dev/null; } |
	grep -qx 'CONFIG_IRQ_TIME_ACCOUNTING=y'; then
	irq_acct=irqtime
fi
# CPU time (jiffies) of the processes named (all their threads, also
# those gone) and of the softirqs: ksoftirqd and the tasks they interrupted
# (tick), or /proc/stat's softirq column (irqtime)
cpu_jiffies() {
	local t=0 p extra
	if [ $irq_acct = tick ]; then
		extra=$(pgrep -x 'ksoftirqd/[0-9]+')
	else
		t=$(awk '/^cpu / { print $8 }' /proc/stat)
	fi
	for p in "$@" $extra; do
		[ -n "$p" ] && [ -r "/proc/$p/stat" ] &&
			t=$((t + $(awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$p/stat")))
	done
	echo $t
}
# cycles a packet: jiffies delta, packets
cyc_per() { awk -v j="$1" -v p="$2" -v hz="$(getconf CLK_TCK)" -v mhz="$tsc_mhz" \
	'BEGIN { if (p > 0) printf "%.0f", j / hz * mhz * 1e6 / p; else print "-" }'; }
load1() { cut -d' ' -f1 /proc/loadavg; }

# the kernel side of port i into its namespace
kernel_side() {
	local pmd=$1 i=$2 ns
	ns=$([ "$i" = 0 ] && echo hb-s || echo hb-d)
	if is_veth "$pmd"; then
		# AF_PACKET/AF_XDP read what the veth carries: no partial checksums
		# or GSO frames from the namespace's stack; a queue pair a testpmd queue
		ip link add hbp$i numtxqueues "$qpairs" numrxqueues "$qpairs" type veth \
			peer name hb$i numtxqueues "$qpairs" numrxqueues "$qpairs" netns $ns &&
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
	cell_cleanup
	ip netns add hb-s
	ip netns add hb-d
	for i in 0 1; do args+=(--vdev "$(vdev "$pmd" $i)"); done
	if is_veth "$pmd"; then
		for i in 0 1; do kernel_side "$pmd" $i || return 1; done
	fi
	is_lro "$pmd" && extra=(--enable-lro --enable-scatter)
	tp_start "$work/out" "${lcores[@]}" --no-huge -m 1024 --no-pci --no-shconf --file-prefix "hb$$" \
		-d "$tp_so" "${args[@]}" -- --rxq=1 --txq=1 --nb-cores=1 --total-num-mbufs=32768 \
		--record-core-cycles "${extra[@]}" || return 1
	if ! is_veth "$pmd"; then
		for i in 0 1; do kernel_side "$pmd" $i || return 1; done
	fi
	for i in 0 1; do
		ip -n "$([ $i = 0 ] && echo hb-s || echo hb-d)" addr add 10.66.0.$((i + 1))/24 dev hb$i
	done
	if is_lro "$pmd"; then
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
	echo "${gbps:-0} ${cyc:-?} - - $(load1)"
}

# one measurement: prints "Mpps cycles/packet injected-pps"
measure() {
	local pmd=$1 mode=$2 size=$3 nports=1 i args=() inj_pid= pps cyc sent
	qpairs=$queues
	[ "$pmd" = af_xdp ] && qpairs=1
	cell_cleanup
	[ "$mode" = io ] && nports=2
	ip netns add hb-s
	ip netns add hb-d
	for ((i = 0; i < nports; i++)); do
		args+=(--vdev "$(vdev "$pmd" $i)")
	done
	if is_veth "$pmd"; then
		for ((i = 0; i < nports; i++)); do kernel_side "$pmd" $i || return 1; done
	fi
	tp_start "$work/out" "${lcores[@]}" --no-huge -m 1024 --no-pci --no-shconf --file-prefix "hb$$" \
		-d "$tp_so" "${args[@]}" -- --rxq="$qpairs" --txq="$qpairs" --nb-cores=1 --total-num-mbufs=32768 \
		--forward-mode="$mode" --txpkts="$size" --record-core-cycles || {
		echo "testpmd did not start: $(tail -3 "$work/out")" >&2
		return 1
	}
	if ! is_veth "$pmd"; then
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
	local pids=("$(pgrep -P "$tp_pid" | head -1)" $inj_pid) j0 j1 t0 t1
	j0=$(cpu_jiffies "${pids[@]}")
	t0=$(date +%s.%N)
	tp_cmd "show port stats all"
	sleep $((secs - 2))
	tp_mark
	j1=$(cpu_jiffies "${pids[@]}")
	t1=$(date +%s.%N)
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
	printf '%s %s %s %s %s\n' "$(awk -v p="${pps:-0}" 'BEGIN { printf "%.3f", p / 1e6 }')" "${cyc:-?}" \
		"$(awk -v p="${sent:-0}" 'BEGIN { printf "%.3f", p / 1e6 }')" \
		"$(cyc_per $((j1 - j0)) "$(awk -v p="${pps:-0}" -v a="$t0" -v b="$t1" 'BEGIN { printf "%d", p * (b - a) }')")" \
		"$(load1)"
}

echo "# PMD benchmark: $(date -u '+%Y-%m-%d %H:%M UTC'), $(uname -r), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores"
echo "# testpmd $(dpkg-query -W -f='${Version}' dpdk 2>/dev/null), ${secs} s per cell, $flows flows, $queues rx/tx queues a port (net_af_xdp: 1; tcp: 1), one forwarding lcore; TSC ${tsc_mhz} MHz; softirq accounting: $irq_acct; load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)"
[ "$rounds" -gt 1 ] && echo "# $rounds rounds, the PMDs of a cell taking turns; each number the median of its rounds, Mpps also the best round's (the least disturbed); the load: the highest"
echo
echo "| mode | size | PMD | Mpps (tcp: Gbit/s) | fwd-core cycles/pkt | machine cycles/pkt | injected Mpps | load |"
echo "|---|---|---|---|---|---|---|---|"
# median of the numbers on stdin ("-" and failures left out)
median() { grep -E '^[0-9.]+$' | sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "-"; else if (NR % 2) print v[(NR + 1) / 2]; else printf "%g\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
for mode in $modes; do
	for size in $sizes; do
		[ "$mode" = tcp ] && size=stream
		declare -A res=()
		for ((round = 0; round < rounds; round++)); do
			for pmd in $pmds; do
				if [ "$mode" = tcp ]; then
					r=$(measure_tcp "$pmd") || r="failed - - - -"
				elif is_lro "$pmd"; then
					continue
				else
					r=$(measure "$pmd" "$mode" "$size") || r="failed - - - -"
				fi
				res[$pmd]+="$r"$'\n'
			done
		done
		for pmd in $pmds; do
			[ "$mode" != tcp ] && is_lro "$pmd" && continue
			col() { awk -v c="$1" 'NF { print $c }' <<<"${res[$pmd]}"; }
			mpps=$(col 1 | median)
			[ "$mpps" = - ] && mpps=failed
			[ "$rounds" -gt 1 ] && [ "$mpps" != failed ] &&
				mpps="$mpps ($(col 1 | grep -E '^[0-9.]+$' | sort -g | tail -1))"
			inj=$(col 3 | median)
			[ "$mode" = txonly ] && inj=-
			echo "| $mode | $size | $pmd | $mpps | $(col 2 | median) | $(col 4 | median) | $inj | $(col 5 | sort -g | tail -1) |"
		done
		unset res
		[ "$mode" = tcp ] && break
	done
done
