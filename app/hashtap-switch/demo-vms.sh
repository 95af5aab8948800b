#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 hashtap authors
#
# The hashtap-switch demo with real VMs: two QEMU guests (the project's
# test kernel, its root the host's, as tools/vm-run starts them; TCG
# here) with a 4-queue virtio-net each on a tap of their own, and an
# uplink standing in for a physical NIC.  The switch reaches a VM through
# a macvtap in passthru mode on the VM's tap (config/demo-vms.ini;
# docs/vms.md says why).  In the guests: pings, a TCP stream and UDP
# flows VM<->VM and VM<->uplink; the guests' own counters (per-queue rx
# packets from the kernel's netdev netlink family, the NAPI instance each
# datagram came in on, checksum errors) say that every flow stays on one
# queue, that the flows spread over the queues, and that checksum and TSO
# offloads cross the switch intact.  Everything it creates is removed at
# the end.  Exit status 0 when every step worked.
#
#   app/hashtap-switch/demo-vms.sh BUILD_DIR [CONFIG]
#
# Needs a built test kernel (kernel-patch/build; ./hashtap test builds
# it) and QEMU; takes ~2 minutes under TCG.
set -uo pipefail

build=${1:?usage: demo-vms.sh BUILD_DIR [CONFIG]}
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
config=${2:-$top/config/demo-vms.ini}
flow=$top/tools/lib/flow.py
guest=$top/app/hashtap-switch/demo-vms-guest.sh
# shellcheck source=demo-lib.sh
. "$top/app/hashtap-switch/demo-lib.sh"
work=$(mktemp -d)
vm_pid=() up_pid=()

cleanup() {
	local p
	demo_switch_stop
	# a VM is a process group of its own (vm-run, timeout, QEMU): all of it goes
	for p in "${vm_pid[@]}"; do kill -TERM -- "-$p" 2>/dev/null; done
	for p in "${up_pid[@]}"; do kill "$p" 2>/dev/null; done
	for p in "${vm_pid[@]}" "${up_pid[@]}"; do wait "$p" 2>/dev/null; done
	for p in 1 2; do
		ip link del "hvmv$p" 2>/dev/null
		ip link del "hvtap$p" 2>/dev/null
	done
	rm -rf "$work"
}
ns_trap cleanup

demo_need "$build" || exit 1
kernel=$("$top/kernel-patch/build" --flavour test patched 2>/dev/null | awk '{ print $2 }')
[ -f "$kernel" ] || { echo "demo: no test kernel: build it with kernel-patch/build --flavour test patched" >&2; exit 1; }
echo "demo: host kernel $(uname -r); guests: $kernel; config $config"

# The VMs' taps, as libvirt makes them: persistent, multi-queue, up, no
# IPv6 of the host's on them.  On each, the macvtap the switch's port opens.
for i in 1 2; do
	ip link del "hvmv$i" 2>/dev/null
	ip link del "hvtap$i" 2>/dev/null
	ip tuntap add "hvtap$i" mode tap multi_queue || exit 1
	ip link add link "hvtap$i" name "hvmv$i" type macvtap mode passthru || exit 1
	ns_quiet "" "hvtap$i"
	ns_quiet "" "hvmv$i"
	ip link set "hvtap$i" up && ip link set "hvmv$i" up || exit 1
done
# the uplink; its far end checks every checksum itself (rx offload off)
ns_add hv-up || exit 1
ns_veth hvup0 "" hvupp hv-up || exit 1
ip netns exec hv-up ethtool -K hvupp rx off tx off tso off gso off >/dev/null
ip -n hv-up addr add 10.11.0.3/24 dev hvupp
ip netns exec hv-up "$flow" tcp-recv 10.11.0.3 5203 --wait 400 >"$work/up.tcp" 2>&1 &
up_pid+=($!)
ip netns exec hv-up "$flow" udp-recv 10.11.0.3 5204 --wait 400 >"$work/up.udp" 2>&1 &
up_pid+=($!)

demo_switch_start "$config" "$work/switch.log" || exit 1
step "hashtap-switch starts ($(grep -c '^hashtap-switch: port' "$work/switch.log") ports)" true

# The VMs, started as a user would (vhost=on where the host has vhost-net)
for i in 1 2; do
	setsid "$top/tools/vm-run" --smp 1 --mem 512 --timeout 500 \
		--qemu -netdev --qemu "tap,id=n0,ifname=hvtap$i,script=no,downscript=no,queues=4,vhost=off" \
		--qemu -device --qemu "virtio-net-pci,netdev=n0,mq=on,vectors=10,mac=52:54:00:11:00:0$i" \
		-- "$guest" "$i" >"$work/vm$i.out" 2>&1 &
	vm_pid+=($!)
done

# the uplink's side: once vm1 answers, 8 UDP flows to it and pings
for _ in $(seq 1 400); do
	ip netns exec hv-up ping -c 1 -W 1 -q 10.11.0.1 >/dev/null 2>&1 && break
	kill -0 "${vm_pid[0]}" 2>/dev/null || break
done
ip netns exec hv-up "$flow" flows-send 10.11.0.1 6008 8 300
step "ping uplink -> vm1" ip netns exec hv-up ping -c 3 -i 0.3 -W 3 -q 10.11.0.1
step "ping uplink -> vm2" ip netns exec hv-up ping -c 3 -i 0.3 -W 3 -q 10.11.0.2

for i in 1 2; do
	wait "${vm_pid[$((i - 1))]}"
	rc=$?
	step "vm$i ran its part and its kernel logged no warning (tools/vm-run exit $rc)" \
		eval "[ $rc = 0 ] && grep -q '^vm$i: done' '$work/vm$i.out'"
	[ $rc = 0 ] || tail -20 "$work/vm$i.out" | sed 's/^/  /'
done
vm_pid=()
wait "${up_pid[@]}"
up_pid=()
sed -n 's/^vm[12]: \(queues\|offloads\|rx-\|napi\|tcp-tx\)/  &/p' "$work/vm1.out" "$work/vm2.out"

v() {	# v N KEY: the value vmN said for KEY
	sed -n "s/^vm$1: $2 //p" "$work/vm$1.out" | head -1
}
for i in 1 2; do
	step "vm$i has 4 queues" [ "$(v $i queues)" = 4 ]
	step "vm$i: TSO and checksum offload on ($(v $i offloads))" \
		eval "v $i offloads | grep -q 'tcp-segmentation-offload=on' && v $i offloads | grep -q 'tx-checksumming=on'"
done
step "ping vm2 -> vm1 (VM<->VM)" [ "$(v 2 'ping vm1')" = ok ]
step "ping vm1 -> vm2" [ "$(v 1 'ping vm2')" = ok ]
step "ping vm1 -> uplink (VM<->uplink)" [ "$(v 1 'ping uplink')" = ok ]
step "ping vm2 -> uplink" [ "$(v 2 'ping uplink')" = ok ]
step "TCP vm2 -> vm1, 4 MB: $(v 1 tcp-from-vm2) bytes" [ "$(v 1 tcp-from-vm2)" = $((4 << 20)) ]
tso=$(v 2 tcp-tx-frame-bytes)
step "... vm2 handed its device ${tso:-?}-byte frames on average (TSO: more than the 1514 a frame can be)" \
	[ "${tso:-0}" -gt 1514 ]
step "TCP vm1 -> uplink, 4 MB: $(cat "$work/up.tcp") bytes (TSO segmented on the way)" \
	[ "$(cat "$work/up.tcp")" = $((4 << 20)) ]
step "UDP vm2 -> uplink: $(cat "$work/up.udp") of 2000 datagrams" [ "$(cat "$work/up.udp")" -ge 1990 ]
up_csum=$(ip netns exec hv-up nstat -az TcpInCsumErrors UdpInCsumErrors | awk '/CsumErrors/ { s += $2 } END { print s + 0 }')
none() { for x; do [ "$x" = 0 ] || return 1; done; }
step "checksums valid: errors at the uplink $up_csum, in vm1 $(v 1 csum-errors), in vm2 $(v 2 csum-errors)" \
	none "$up_csum" "$(v 1 csum-errors)" "$(v 2 csum-errors)"

# the flows: each on one queue, the flows over several
declare -A qof
while read -r q id; do qof[$id]=$q; done < <(sed -n 's/^vm1: napi //p' "$work/vm1.out")
flows() {	# flows FIRST LAST WHAT: every flow whole on one queue, >= 2 queues
	local first=$1 last=$2 what=$3 port got napi bad=0 used=()
	while read -r port got napi; do
		[ "$port" -ge "$first" ] && [ "$port" -le "$last" ] || continue
		echo "  flow to port $port: $got datagrams, rx queue(s) ${qof[$napi]:-napi $napi}"
		if [ "$got" -lt 285 ] || [[ $napi == *,* ]] || [ "$napi" = 0 ] || [ "$napi" = - ]; then
			bad=$((bad + 1))
		fi
		used+=("$napi")
	done < <(sed -n 's/^vm1: flow //p' "$work/vm1.out")
	local distinct
	distinct=$(printf '%s\n' "${used[@]}" | sort -u | wc -l)
	step "$what: ${#used[@]} flows, each (>= 285 of 300 datagrams) on one rx queue of vm1" \
		[ $((${#used[@]} == 8 && bad == 0)) = 1 ]
	step "$what: the flows spread over $distinct of vm1's 4 rx queues" [ "$distinct" -ge 2 ]
}
flows 6000 6007 "UDP vm2 -> vm1"
flows 6008 6015 "UDP uplink -> vm1"
echo "  vm1 rx per queue before: $(v 1 rx-before)"
echo "  vm1 rx per queue after:  $(v 1 rx-after)"
busy=$(paste <(v 1 rx-before | tr ' ' '\n') <(v 1 rx-after | tr ' ' '\n') |
	awk '$1 != "" { split($1, a, "="); split($2, b, "="); if (b[2] - a[2] >= 300) n++ } END { print n + 0 }')
step "vm1's own per-queue counters: $busy queues took a flow's worth (>= 300 frames) or more" [ "$busy" -ge 2 ]

tele=$("$top/tools/lib/telemetry.py" hashtap-vms /hashtap/ports /hashtap/hash)
step "the switch answers telemetry (--file-prefix hashtap-vms)" [ -n "$tele" ]
echo "$tele" | python3 -m json.tool | sed 's/^/  /'
demo_switch_stop
step "the switch stops cleanly on SIGINT, no mbuf left in use (exit $demo_switch_rc)" [ "$demo_switch_rc" = 0 ]
sed -n '/^hashtap-switch: summary/,$p' "$work/switch.log"
demo_end
