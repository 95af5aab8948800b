#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 hashtap authors
#
# Debian's own dpdk-testpmd drives net_hashtap, loaded with -d: port info,
# RSS configuration (types, RETA, key), rxonly with "set verbose 1" showing
# the hash of frames sent from a namespace (checked against the vnet-hash
# CLI on the same frames), io forwarding between two hashtap ports (ping
# and TCP across), xstats, and bad devargs.  TAP output.
#
#   test/pmd/testpmd.sh BUILD_DIR
#   HASHTAP_TEST_IO=uring|syscall|auto: every port takes that io= (default:
#   none, the driver's choice); the ports must say they run it.
#
# EAL refuses "-d" paths below a world-writable directory: the .so is
# staged in a root-owned 0700 directory under /run/hashtap first.
set -uo pipefail

build=${1:?usage: testpmd.sh BUILD_DIR}
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cli=$build/app/vnet-hash/vnet-hash
python=/usr/bin/python3
flow=$top/tools/lib/flow.py
work=$(mktemp -d)
# shellcheck source=../../tools/lib/testpmd.sh
. "$top/tools/lib/testpmd.sh"

# shellcheck source=../lib/check.sh
. "$top/test/lib/check.sh"
# shellcheck source=../../tools/lib/netns.sh
. "$top/tools/lib/netns.sh"

cleanup() {
	tp_cleanup
	rm -rf "$work"
}
ns_trap cleanup

tp_stage "$build" || exit 1
eal=(-l 0-1 --no-huge -m 512 --no-pci --no-shconf --file-prefix "htt$$" -d "$tp_so")
io=${HASHTAP_TEST_IO:+,io=$HASHTAP_TEST_IO}

# --- bad devargs: testpmd does not start, and says why
out=$(timeout 60 dpdk-testpmd "${eal[@]}" --vdev "net_hashtap0,iface=htt0,speed=fast$io" -- -i \
	--total-num-mbufs=2048 </dev/null 2>&1)
echo "$out" | grep -q 'unknown devargs key "speed"' && echo "$out" | grep -q 'No probed ethernet devices'
check $? "bad devargs: the probe fails naming the key, testpmd has no port"

# --- one testpmd, two ports
tp_start "$work/out" "${eal[@]}" --vdev "net_hashtap0,iface=htt0$io" --vdev "net_hashtap1,iface=htt1$io" \
	--log-level=pmd.net.hashtap:info -- --rxq=2 --txq=3 --total-num-mbufs=8192
check $? "testpmd starts with the .so from $tp_stage_dir and two hashtap ports"
# the datapath each port runs: the one asked for, or (io=auto) the one the probe chose, said why
want=${HASHTAP_TEST_IO:-auto}
n_io=$(grep -c "datapath io=$([ "$want" = auto ] && echo '[a-z]*' || echo "$want") (" "$work/out")
[ "$n_io" = 2 ]
check $? "both ports say their datapath ($want): $(grep -o 'datapath io=[a-z]* ([^:]*' "$work/out" | sort | uniq -c | tr -s ' ' | tr '\n' ';')"
for i in 0 1; do
	ns=htt-$([ $i = 0 ] && echo a || echo b)
	ns_add $ns
	ns_move htt$i $ns 10.88.0.$((i + 1))/24
done

tp_mark; tp_cmd "show port info 0"
tp_expect 'Redirection table size' && tp_since >"$work/info"
grep -q 'Driver name: net_hashtap' "$work/info" &&
	grep -q 'Redirection table size: 128' "$work/info" &&
	grep -q 'Hash key size in bytes: 40' "$work/info" &&
	grep -q 'Current number of RX queues: 2' "$work/info" &&
	grep -q 'Current number of TX queues: 3' "$work/info"
check $? "show port info: net_hashtap, RETA 128, key 40, 2 rx / 3 tx queues"
grep -q 'ipv4-tcp' "$work/info" && grep -q 'ipv6-udp-ex' "$work/info"
check $? "show port info: the RSS flow types include ipv4-tcp ... ipv6-udp-ex"

tp_cmd "port stop all"
tp_cmd "port config all rss all"
tp_cmd "port config 0 rss reta (0,1),(1,0),(2,1)"
tp_cmd "port start all"
tp_mark; tp_cmd "show port 0 rss-hash"
tp_expect 'ipv6-udp-ex'; check $? "port config all rss all: show port 0 rss-hash lists every type"
tp_mark; tp_cmd "show port 0 rss reta 128 (0xffffffffffffffff,0xffffffffffffffff)"
tp_expect 'hash index=127'
r0=$(tp_since | grep -c 'hash index=0, queue=1\|hash index=1, queue=0\|hash index=2, queue=1')
r3=$(tp_since | grep -c 'hash index=3, queue=1')
[ "$r0" = 3 ] && [ "$r3" = 1 ]
check $? "port config 0 rss reta: entries 0-2 as set, the rest round-robin (show port 0 rss reta)"
tp_mark; tp_cmd "show port 0 rss-hash key"
tp_expect '^[0-9A-F]\{80\}'
tp_since | grep -q '^6D5A56DA255B0EC24167253D43A38FB0D0CA2BCBAE7B30B477CB2DA38030F20C6A42B73BBEAC01FA'
check $? "show port 0 rss-hash key: the Microsoft key by default"
key=0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728
tp_cmd "port config 0 rss-hash-key ipv4-udp $key"
tp_mark; tp_cmd "show port 0 rss-hash key"
tp_expect '^[0-9A-F]\{80\}'
tp_since | grep -qi "^$key"
check $? "port config 0 rss-hash-key: the new key reads back"
# rss-hash-key also set the types to ipv4-udp only: all of them again, same key
tp_cmd "port config all rss all"

# rxonly, verbose: the hash of frames sent from the namespace behind port 0
tp_cmd "set fwd rxonly"
tp_cmd "set verbose 1"
tp_cmd "start"
sleep 0.5
tp_mark
ip netns exec htt-a "$python" - "$work/frames.pcap" <<'EOF' >/dev/null 2>&1
import sys, logging
logging.getLogger("scapy.runtime").setLevel(logging.ERROR)
from scapy.all import Ether, IP, IPv6, TCP, UDP, Dot1Q, sendp, wrpcap
e = Ether(src="02:00:00:00:00:0a", dst="02:00:00:00:00:0b")
f = [e / IP(src="10.99.0.%d" % i, dst="10.99.1.1") / UDP(sport=1000 + i, dport=53) / ("x" * 20) for i in range(4)]
f += [e / IPv6(src="2001:db8::%d" % i, dst="2001:db8::ff") / TCP(sport=2000 + i, dport=80) for i in range(4)]
f += [e / Dot1Q(vlan=7) / IP(src="10.99.0.9", dst="10.99.1.1") / TCP(sport=9, dport=9)]
wrpcap(sys.argv[1], f)
sendp(f, iface="htt0", verbose=False)
EOF
check $? "scapy sends 9 frames (IPv4/UDP, IPv6/TCP, VLAN) from the namespace behind port 0"
sleep 1
want=$("$cli" --key "$key" "$work/frames.pcap" | awk '{ print $3 }' | sed 's/^0x0*//' | sort)
# testpmd 22.11: "  - RSS hash=0x... - RSS queue=0x..."
got=$(tp_since | grep -o 'RSS hash=0x[0-9a-f]*' | sed 's/RSS hash=0x//' | sort)
echo "# vnet-hash says: $(echo $want)"
echo "# testpmd shows:  $(echo $got)"
[ -n "$want" ] && [ "$want" = "$got" ]
check $? "rxonly, verbose: every frame shows RSS hash = vnet-hash's for the configured key"
# vnet-hash --format testpmd: its lines grep the same as testpmd's, no rewriting
want=$("$cli" --key "$key" --format testpmd "$work/frames.pcap" | grep -o 'RSS hash=0x[0-9a-f]*' | sort)
got=$(tp_since | grep -o 'RSS hash=0x[0-9a-f]*' | sort)
[ -n "$want" ] && [ "$want" = "$got" ]
check $? "vnet-hash --format testpmd: grep 'RSS hash=0x[0-9a-f]*' finds in it what it finds in testpmd's output"
rcvd=$(tp_since | grep -o 'received [0-9]* packets' | awk '{ s += $2 } END { print s }')
queues=$(tp_since | grep -o 'RSS queue=0x[0-9a-f]*' | wc -l)
[ "$rcvd" = 9 ] && [ "$queues" = 9 ]
check $? "rxonly, verbose: 9 frames received, each with its RSS queue line ($rcvd, $queues)"
tp_cmd "stop"
tp_cmd "set verbose 0"

# io forwarding between the two hashtap ports: the namespaces talk
tp_cmd "set fwd io"
tp_cmd "start"
sleep 0.5
ip netns exec htt-a ping -c 3 -i 0.2 -W 2 10.88.0.2 >"$work/ping" 2>&1
check $? "io forwarding between two hashtap ports: ping 10.88.0.1 -> 10.88.0.2 ($(grep -o '[0-9]* received' "$work/ping"))"
ip netns exec htt-b "$flow" tcp-recv 10.88.0.2 5001 >"$work/tcp" 2>&1 &
srv=$!
sleep 0.5
ip netns exec htt-a "$flow" tcp-send 10.88.0.2 5001 --bytes 1000000
wait $srv
[ "$(cat "$work/tcp")" = 1000000 ]
check $? "io forwarding: a TCP stream of 1 MB crosses intact ($(cat "$work/tcp") bytes)"
tp_cmd "stop"
tp_mark; tp_cmd "show port xstats 1"
tp_expect 'tx_syscalls'
sw=$(tp_since | awk '/rx_hash_software:/ { print $2 }')
[ "${sw:-0}" -gt 0 ]
check $? "show port xstats 1: rx_hash_software counts the frames hashed ($sw)"
# port 1 sent the TCP stream's frames: a submission a burst (uring) or a writev a frame
txp=$(tp_since | awk '/^tx_good_packets:/ { print $2 }')
txs=$(tp_since | awk '/^tx_syscalls:/ { print $2 }')
io1=$(grep -o 'net_hashtap1: datapath io=[a-z]*' "$work/out" | sed 's/.*io=//')
if [ "$io1" = uring ]; then [ "${txs:-0}" -gt 0 ] && [ "${txs:-0}" -lt "${txp:-0}" ]; else [ "${txs:-0}" -ge "${txp:-1}" ]; fi
check $? "show port xstats 1: io=$io1, $txp frames sent with $txs syscalls"
tp_quit
rc=$?
[ $rc = 0 ] && ! ip link show htt0 >/dev/null 2>&1 && ! ip netns exec htt-a ip link show htt0 >/dev/null 2>&1
check $? "quit: testpmd exits 0 and the taps it created are gone (exit $rc)"
grep -i 'error\|segfault' "$work/out" | grep -v 'errors: 0\|_errors\|error_handling\|error handling' | sed 's/^/# /' | head
check_done
