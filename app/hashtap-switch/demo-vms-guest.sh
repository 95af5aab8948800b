#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 hashtap authors
#
# Inside one guest of demo-vms.sh (a QEMU guest started by tools/vm-run):
# what that VM does, and what its own kernel saw, as "vmN: KEY VALUE..."
# lines the host reads back.  Not for running by hand.
#
#   demo-vms-guest.sh 1|2
#
# vm1 (10.11.0.1) receives: a TCP stream and 8 UDP flows from vm2, 8 UDP
# flows from the uplink; then pings and sends a TCP stream to the uplink.
# vm2 (10.11.0.2) waits for vm1, then sends to it, pings and sends UDP to
# the uplink (10.11.0.3).
set -u
n=${1:?usage: demo-vms-guest.sh 1|2}
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
flow=$top/tools/lib/flow.py
qstats=$top/tools/lib/qstats.py
vm1=10.11.0.1 vm2=10.11.0.2 up=10.11.0.3
say() { echo "vm$n: $*"; }

sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip addr add 10.11.0.$n/24 dev eth0
ethtool -L eth0 combined 4 || say "error: ethtool -L eth0 combined 4 failed"
say queues "$(ethtool -l eth0 | awk '/^Combined:/ { v = $2 } END { print v }')"
say offloads "$(ethtool -k eth0 | awk -F': ' '/^(tcp-segmentation-offload|tx-checksumming|rx-checksumming):/ { printf "%s=%s ", $1, $2 }')"

# counters of this guest's own kernel: per-queue rx packets, checksum errors
queues() { "$qstats" eth0 | awk '{ printf "%s=%s ", $1, $2 }'; }
csum_errors() {
	awk '/^(Tcp|Udp):/ { if (!h[$1]) { for (i = 2; i <= NF; i++) k[$1, i] = $i; h[$1] = 1 }
	     else for (i = 2; i <= NF; i++) if (k[$1, i] == "InCsumErrors") s += $i }
	     END { print s + 0 }' /proc/net/snmp
}
ping_step() {	# ping_step NAME ADDR
	if ping -c 3 -i 0.3 -W 3 -q "$2" >/dev/null; then say ping "$1" ok; else say ping "$1" FAILED; fi
}

if [ "$n" = 1 ]; then
	# listen before the link is up: once vm2 can ping vm1, vm1 listens
	"$flow" tcp-recv $vm1 5201 --wait 120 >/tmp/tcp.out 2>&1 &
	tcp=$!
	"$flow" flows-recv $vm1 6000 16 300 --wait 120 >/tmp/flows.out 2>&1 &
	flows=$!
	# python takes seconds to start here (TCG, its files over 9p)
	for _ in $(seq 1 600); do
		ss -Htln sport = :5201 | grep -q . && ss -Huln sport = :6015 | grep -q . && break
		sleep 0.1
	done
	ip link set eth0 up
	say rx-before "$(queues)"
	wait $tcp
	say tcp-from-vm2 "$(cat /tmp/tcp.out)"
	wait $flows
	say rx-after "$(queues)"
	# one line per flow: "PORT DATAGRAMS NAPI-IDS"
	while read -r port got napi; do say flow "$port" "$got" "$napi"; done </tmp/flows.out
	"$qstats" eth0 | while read -r q _ id; do say napi "$q" "$id"; done
	ping_step vm2 $vm2
	ping_step uplink $up
	if "$flow" tcp-send $up 5203 --bytes $((4 << 20)); then say tcp-to-uplink sent; else say tcp-to-uplink FAILED; fi
else
	ip link set eth0 up
	for _ in $(seq 1 120); do ping -c 1 -W 1 -q $vm1 >/dev/null && break; done
	ping_step vm1 $vm1
	st=/sys/class/net/eth0/statistics
	b0=$(cat $st/tx_bytes) p0=$(cat $st/tx_packets)
	if "$flow" tcp-send $vm1 5201 --bytes $((4 << 20)); then say tcp-to-vm1 sent; else say tcp-to-vm1 FAILED; fi
	# bytes per frame handed to the device: above the MTU when TSO was used
	say tcp-tx-frame-bytes $((($(cat $st/tx_bytes) - b0) / ($(cat $st/tx_packets) - p0 + 1)))
	"$flow" flows-send $vm1 6000 8 300
	ping_step uplink $up
	"$flow" udp-send $up 5204 2000 512
	# let vm1 finish with it before this guest goes
	sleep 20
fi
say csum-errors "$(csum_errors)"
say done
