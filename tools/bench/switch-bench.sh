#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 hashtap authors
#
# Benchmark (not a test): hashtap-switch throughput VM->VM and VM->uplink,
# with the VM ports' hash from the kernel (patched kernel only), computed by
# net_hashtap in software, or off (the switch hashes once), in one run.
# The traffic comes from tools/bench/inject in the "VM" namespace (256 UDP
# flows); the rate is what the switch sent out of the destination port over
# the run (telemetry) and what the destination's kernel counted.
#
#   tools/bench/switch-bench.sh [-d SECONDS] [-m "kernel software off"] [-s "64 1500"] BUILD_DIR
#
# One worker lcore (core 1); the injector shares core 0 with the main lcore.
set -uo pipefail

secs=6
modes="software off"
sizes="64 1500"
while getopts d:m:s: opt; do
	case $opt in
	d) secs=$OPTARG ;;
	m) modes=$OPTARG ;;
	s) sizes=$OPTARG ;;
	*) sed -n '4,15s/^# \{0,1\}//p' "$0"; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
build=${1:?usage: switch-bench.sh [-d SECONDS] [-m MODES] [-s SIZES] BUILD_DIR}
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
switch=$build/app/hashtap-switch/hashtap-switch
inject=$build/tools/bench/inject
python=/usr/bin/python3
work=$(mktemp -d)
sw_pid=
prefix=htswb$$

# shellcheck source=../lib/netns.sh
. "$top/tools/lib/netns.sh"

cleanup() {
	[ -n "$sw_pid" ] && kill "$sw_pid" 2>/dev/null && wait "$sw_pid" 2>/dev/null
	sw_pid=
	ns_cleanup
}
ns_trap 'cleanup; rm -rf "$work"'

# tx counter of a switch port, through telemetry
tx_of() {
	"$top/tools/lib/telemetry.py" "$prefix" /hashtap/ports |
		"$python" -c 'import json, sys; print(json.load(sys.stdin)["/hashtap/ports"][sys.argv[1]]["tx"])' "$1"
}
rx_kernel() { ip netns exec "$1" cat "/sys/class/net/$2/statistics/rx_packets"; }

run_mode() {
	local mode=$1 size path dst_ns dst_if dst_port dst_mac t0 t1 k0 k1
	cleanup
	ns_add hb-vm1 hb-vm2 hb-up
	ns_veth htbu0 "" htbup hb-up
	cat >"$work/sw.ini" <<EOF
[switch]
status = 0
mbufs = 32768
[eal]
args = -l 0-1 --no-huge -m 1024 --no-pci --no-shconf --file-prefix $prefix
[port vm1]
devargs = net_hashtap0,iface=htbv1,hash=$mode
vlan = 10
[port vm2]
devargs = net_hashtap1,iface=htbv2,hash=$mode
vlan = 10
[port uplink]
devargs = net_af_packet0,iface=htbu0
vlan = 10
EOF
	"$switch" -c "$work/sw.ini" >"$work/sw.log" 2>&1 &
	sw_pid=$!
	for _ in $(seq 1 100); do grep -q running "$work/sw.log" && break; sleep 0.1; done
	grep -q running "$work/sw.log" || { echo "| $mode | switch did not start: $(tail -1 "$work/sw.log") |"; return; }
	for i in 1 2; do
		ns_move htbv$i hb-vm$i
	done
	# every destination says hello once, so the switch knows where it is
	ip netns exec hb-vm2 "$inject" -i htbv2 -n 1 -S 02:b0:00:00:00:02 -D ff:ff:ff:ff:ff:ff >/dev/null
	ip netns exec hb-up "$inject" -i htbup -n 1 -S 02:b0:00:00:00:0f -D ff:ff:ff:ff:ff:ff >/dev/null
	sleep 0.5
	for path in vm-vm vm-uplink; do
		if [ $path = vm-vm ]; then
			dst_ns=hb-vm2 dst_if=htbv2 dst_port=vm2 dst_mac=02:b0:00:00:00:02
		else
			dst_ns=hb-up dst_if=htbup dst_port=uplink dst_mac=02:b0:00:00:00:0f
		fi
		for size in $sizes; do
			t0=$(tx_of $dst_port)
			k0=$(rx_kernel $dst_ns $dst_if)
			ip netns exec hb-vm1 taskset -c 0 "$inject" -i htbv1 -s "$size" -f 256 -d "$secs" \
				-S 02:b0:00:00:00:01 -D $dst_mac >"$work/inj"
			sleep 0.5
			t1=$(tx_of $dst_port)
			k1=$(rx_kernel $dst_ns $dst_if)
			awk -v m="$mode" -v p=$path -v s="$size" -v t=$((t1 - t0)) -v k=$((k1 - k0)) -v d="$secs" \
				-v inj="$(sed -n 's/.* \([0-9]*\) pps.*/\1/p' "$work/inj")" 'BEGIN {
				printf "| %s | %s | %s | %.3f | %.2f | %.3f | %.3f |\n", p, s, m, t / d / 1e6,
					t / d * s * 8 / 1e9, k / d / 1e6, inj / 1e6 }'
		done
	done
	kill -INT $sw_pid
	wait $sw_pid
	echo "<!-- $mode: switch exit $?; $(grep -o 'hash: .*' "$work/sw.log") -->"
	sw_pid=
}

echo "# hashtap-switch benchmark: $(date -u '+%Y-%m-%d %H:%M UTC'), $(uname -r), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores, ${secs} s a cell"
echo
echo "| path | size | VM ports' hash | switch out Mpps | Gbit/s | delivered Mpps | injected Mpps |"
echo "|---|---|---|---|---|---|---|"
for mode in $modes; do run_mode "$mode"; done
