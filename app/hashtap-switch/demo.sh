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
#   app/hashtap-switch/demo.sh [--telemetry FILE|-] BUILD_DIR [CONFIG]
#     --telemetry  write the switch's telemetry at the end (JSON: /hashtap/ports,
#                  /hashtap/hash, /hashtap/flows) to FILE, or to stdout as one
#                  "demo-telemetry: {...}" line
#
# Runs on the host (hash computed by the PMD in software) and in the
# patched test kernel, where the hash source is the kernel:
#   tools/vm-run --smp 2 --mem 2048 -- app/hashtap-switch/demo.sh build/release
set -uo pipefail

telemetry_out=
if [ "${1:-}" = --telemetry ]; then
	telemetry_out=${2:?--telemetry needs FILE or -}
	shift 2
fi
build=${1:?usage: demo.sh [--telemetry FILE|-] BUILD_DIR [CONFIG]}
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
config=${2:-$top/config/demo.ini}
flow=$top/tools/lib/flow.py	# one TCP stream or UDP burst
# shellcheck source=demo-lib.sh
. "$top/app/hashtap-switch/demo-lib.sh"
log=$(mktemp)

cleanup() {
	demo_switch_stop
	rm -f "$log"
}
ns_trap cleanup

demo_need "$build" || exit 1
echo "demo: kernel $(uname -r); config $config"
ns_add hd-vm1 hd-vm2 hd-up || exit 1
# the uplink: a veth, its far end in hd-up (untagged = the trunk's native VLAN 10)
ns_veth htup0 "" htupp hd-up || exit 1
# a wire delivers finished frames: no partial checksums or 64 KiB GSO frames
# from the far end's stack into the AF_PACKET socket
ip netns exec hd-up ethtool -K htupp tx off tso off gso off >/dev/null
ip -n hd-up addr add 10.10.0.3/24 dev htupp

demo_switch_start "$config" "$log" || exit 1
step "hashtap-switch starts ($(grep -c '^hashtap-switch: port' "$log") ports)" true

# the VMs: the taps the switch's net_hashtap ports created go into them
for i in 1 2; do
	ns_move htvm$i hd-vm$i 10.10.0.$((i == 1 ? 1 : 2))/24
done

step "ping vm1 -> vm2 (VM<->VM)" ip netns exec hd-vm1 ping -c 3 -i 0.2 -W 2 -q 10.10.0.2
step "ping vm1 -> uplink (VM<->uplink, the trunk's native VLAN)" \
	ip netns exec hd-vm1 ping -c 3 -i 0.2 -W 2 -q 10.10.0.3
step "ping uplink -> vm2" ip netns exec hd-up ping -c 3 -i 0.2 -W 2 -q 10.10.0.2

listening() {	# listening NS -t|-u PORT: wait (up to 20 s) for the receiver's socket
	# (python takes seconds to start in a TCG guest: a fixed pause was too short)
	for _ in $(seq 1 200); do
		ip netns exec "$1" ss -Hln "$2" sport = ":$3" | grep -q . && return 0
		sleep 0.1
	done
}
tcp() {	# a 4 MB TCP stream from namespace $1 to address $2 in namespace $3
	local got
	ip netns exec "$3" "$flow" tcp-recv "$2" 5201 >"$log.tcp" 2>&1 &
	local srv=$!
	listening "$3" -t 5201
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
	listening "$3" -u 5202
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

# what the switch saw, through telemetry (JSON)
prefix=$(sed -n 's/.*--file-prefix[ =]\([^ ]*\).*/\1/p' "$config" | head -1)
tele=$("$top/tools/lib/telemetry.py" "$prefix" /hashtap/ports /hashtap/hash /hashtap/flows)
step "the switch answers telemetry (--file-prefix $prefix)" [ -n "$tele" ]
echo "demo: telemetry (tools/lib/telemetry.py $prefix, or dpdk-telemetry.py -f $prefix):"
echo "$tele" | python3 -m json.tool | sed 's/^/  /'
case "$telemetry_out" in
'') ;;
-) echo "demo-telemetry: $tele" ;;
*) echo "$tele" >"$telemetry_out" ;;
esac
reused=$(echo "$tele" | python3 -c 'import json,sys; print(json.load(sys.stdin)["/hashtap/hash"]["reused"])' 2>/dev/null)

demo_switch_stop
step "the switch stops cleanly on SIGINT, no mbuf left in use (exit $demo_switch_rc)" [ "$demo_switch_rc" = 0 ]
sed -n '/^hashtap-switch: summary/,$p' "$log"
step "frames from the VM ports were not hashed again (hash reused: ${reused:-0})" [ "${reused:-0}" -gt 0 ]
demo_end
