#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 hashtap authors
#
# The docs' recipes, run as written: every ```sh block that follows a
# "<!-- recipe: NAME STEP -->" line in docs/ovs.md (NAME ovs) and in
# drivers/net/hashtap/README.md (NAME testpmd) is run verbatim, in the
# order of the page, from a checkout whose build/release is BUILD_DIR; after
# each step this script checks that the page's words hold (traffic crossed,
# the hash was used, the trap it describes is there, the fix fixes it, the
# stop leaves nothing).  A command of a step that fails fails the test.
#
# Private: the script runs itself in a new network and mount namespace, with
# its own /run (tmpfs) and /sys, so that the pages' names (br-ht, vm1,
# /run/hashtap-ovs, DPDK's /run/dpdk/...) meet nobody else's.  TAP output.
#
#   test/docs/recipes.sh BUILD_DIR
#
# testpmd recipes: shell lines run as they are; the dpdk-testpmd line is
# started with tools/lib/testpmd.sh, each "testpmd> CMD" line is CMD typed
# at its prompt.
set -uo pipefail

build=$(cd "${1:?usage: recipes.sh BUILD_DIR}" && pwd)
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
if [ "${HASHTAP_RECIPES_PRIVATE:-}" != 1 ]; then
	exec unshare --mount --net --propagation private \
		env HASHTAP_RECIPES_PRIVATE=1 "${BASH_SOURCE[0]}" "$build"
fi
# shellcheck source=../lib/check.sh
. "$top/test/lib/check.sh"
# shellcheck source=../../tools/lib/testpmd.sh
. "$top/tools/lib/testpmd.sh"

mount -t tmpfs -o mode=0755 hashtap-recipes /run && mount -t sysfs hashtap-recipes /sys &&
	ip link set lo up
check $? "a private network namespace with its own /run and /sys"
work=$(mktemp -d)
# the checkout as the pages see it: build/release is the build under test
mkdir -p "$work/top/build" && ln -s "$build" "$work/top/build/release"
py=/usr/bin/python3
cli=$build/app/vnet-hash/vnet-hash
step=
pids=()

# the blocks of page $1 for recipe $2, one file each: $work/NAME.NN.STEP
extract() {
	awk -v name="$2" -v dir="$work" '
		$0 ~ "^<!-- recipe: " name " [a-z0-9-]+ -->$" { st = $4; want = 1; next }
		want && /^```sh$/ { inb = 1; want = 0; f = sprintf("%s/%s.%02d.%s", dir, name, ++n, st); print f; next }
		inb && /^```$/ { inb = 0; close(f); next }
		inb { print > f }
	' "$1"
}

# run one step verbatim in this shell (its exports stay), errexit on; its
# output in $work/out.STEP, the commands it ran in $work/trace.STEP
run_step() {
	step=$(basename "$1")
	step=${step#*.*.}
	cd "$work/top" || return 1
	echo "# --- ${2:-ovs} $step"
	exec 5>"$work/trace.$step"
	BASH_XTRACEFD=5
	set -ex
	{ eval "$(cat "$1")"; } >"$work/out.$step" 2>&1
	set +ex
	exec 5>&-
	sed 's/^/#   /' "$work/out.$step" | grep -v '|INFO|\|^#   20..-..-..T' | head -40
	check 0 "${2:-ovs} recipe, step \"$step\": every command succeeds"
	step=
}

cleanup() {
	set +ex
	local p
	# a step that failed exits from inside its redirection
	exec >&6 2>&7
	if [ -n "$step" ]; then
		check 1 "recipe step \"$step\": every command succeeds (it stopped at: $(grep -v '^+ set +ex$\|^+ cleanup$' "$work/trace.$step" | tail -1))"
		sed 's/^/#   /' "$work/out.$step" 2>/dev/null | tail -15
		check_done
	fi
	tp_cleanup
	# whatever a failed recipe left: OVS (tools/lib/ovs.sh) by its pid files
	if [ -d /run/hashtap-ovs ]; then
		# shellcheck disable=SC2034 # tools/lib/ovs.sh reads them
		run=/run/hashtap-ovs ovs_br=br-ht
		# shellcheck source=../../tools/lib/ovs.sh
		. "$top/tools/lib/ovs.sh"
		stop_ovs
	fi
	for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null; done
	for p in $(ip netns list | awk '{ print $1 }'); do ip netns del "$p"; done
	cd / && rm -rf "$work"
	umount /sys /run 2>/dev/null
}
exec 6>&1 7>&2
trap cleanup EXIT
trap 'exit 143' TERM
trap 'exit 130' INT

telemetry_hashed() {	# frames port $1 got with a hash (kernel or software), per telemetry
	"$py" -c 'import json, sys
x = json.loads(sys.stdin.read())["/ethdev/xstats"]
print(x["rx_hash_kernel"] + x["rx_hash_software"])' <"$1" 2>/dev/null || echo 0
}

# ------------------------------------------------------------ docs/ovs.md
mapfile -t blocks < <(extract "$top/docs/ovs.md" ovs)
steps=$(printf '%s\n' "${blocks[@]}" | sed 's/.*\.[0-9][0-9]\.//' | tr '\n' ' ')
[ "$steps" = "start ports counters trap fix stop " ]
check $? "docs/ovs.md has the recipe steps this test knows, in order ($steps)"
for b in "${blocks[@]}"; do
	run_step "$b"
	case $b in
	*.start)
		mapfile -t pids < <(cat "$OVS_RUNDIR"/*.pid)
		vs=$(cat "$OVS_RUNDIR/ovs-vswitchd-dpdk.pid")
		grep -q '^ovs-vswitchd-dpdk (Open vSwitch) ' "$work/out.start" &&
			[ -S "$OVS_RUNDIR/ovs-vswitchd-dpdk.$vs.ctl" ]
		check $? "ovs-appctl -t ovs-vswitchd-dpdk answers; its socket is ovs-vswitchd-dpdk.<pid>.ctl in \$OVS_RUNDIR ($OVS_RUNDIR)"
		grep -q 'librte_net_hashtap' "$OVS_LOGDIR/ovs-vswitchd-dpdk.log"
		check $? "ovs-vswitchd-dpdk loaded the driver (its log in \$OVS_LOGDIR)"
		;;
	*.ports)
		grep -q ' 3 received' "$work/out.ports"
		check $? "ping vm1 -> vm2 crosses the bridge ($(grep -o '[0-9]* received' "$work/out.ports"))"
		;;
	*.counters)
		stats=$(grep '^{.*rx_packets' "$work/out.counters")
		[ -n "$stats" ] && ! grep -q 'rx_hash' <<<"$stats"
		check $? "ovs-vsctl get Interface vm1 statistics: no rx_hash_* (as the page says)"
		grep -q '^"0"$' "$work/out.counters"
		check $? "status:port_no of vm1 is 0, the port the telemetry line asks"
		n=$(grep '/ethdev/xstats' "$work/out.counters" | telemetry_hashed /dev/stdin)
		[ "$n" -gt 0 ]
		check $? "telemetry /ethdev/xstats,0: vm1's frames came with a hash (rx_hash_kernel + rx_hash_software = $n)"
		;;
	*.trap)
		ip link show vm1 >/dev/null 2>&1 && ! ip -n vm1 link show vm1 >/dev/null 2>&1
		check $? "the trap is real: after a restart vm1 is back in OVS's namespace, gone from namespace vm1"
		mapfile -t -O "${#pids[@]}" pids < <(cat "$OVS_RUNDIR"/*.pid 2>/dev/null)
		;;
	*.fix)
		[ "$(grep -c ' 3 received' "$work/out.fix")" = 2 ]
		check $? "macvtap on a veth: ping vm1 -> vm2 before and after the restart ($(grep -o '[0-9]* received' "$work/out.fix" | tr '\n' ' '))"
		ip -n vm1 link show vm1 >/dev/null 2>&1 && ip -n vm2 link show vm2 >/dev/null 2>&1 &&
			! ip link show vm1 >/dev/null 2>&1 && ! ip link show vm2 >/dev/null 2>&1
		check $? "... the namespaces kept their interfaces, none came back beside OVS"
		out=$(echo /ethdev/xstats,0 | dpdk-telemetry.py -f ovs 2>&1)
		n=$(grep '/ethdev/xstats' <<<"$out" | telemetry_hashed /dev/stdin)
		[ "$n" -gt 0 ]
		check $? "... and the re-created port hashes (telemetry: $n frames with a hash)"
		mapfile -t -O "${#pids[@]}" pids < <(cat "$OVS_RUNDIR"/*.pid 2>/dev/null)
		;;
	*.stop)
		# "exit" answers first: they have 10 s to go
		for _ in $(seq 1 100); do
			alive=0
			for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done
			[ $alive = 0 ] && break
			sleep 0.1
		done
		check "$alive" "stop: ovsdb-server and every ovs-vswitchd-dpdk are gone (${pids[*]})"
		left=$(ip -br link | awk '$1 != "lo" { print $1 }' | tr '\n' ' ')
		[ -z "$left" ] && [ -z "$(ip netns list)" ] && [ ! -e "$OVS_RUNDIR" ] &&
			[ ! -e /run/hashtap/librte_net_hashtap.so ]
		check $? "stop: no interface (${left:-none}), namespace or file left"
		;;
	esac
done

# ------------------------------------------------------------ testpmd (the PMD's README)
mapfile -t blocks < <(extract "$top/drivers/net/hashtap/README.md" testpmd)
[ "${#blocks[@]}" = 1 ]
check $? "drivers/net/hashtap/README.md has one testpmd recipe (${#blocks[@]})"
b=${blocks[0]:-/nonexistent}
# its shell lines, the dpdk-testpmd command (continuations joined), the prompt lines
awk -v sh="$b.shell" -v cmd="$b.cmd" -v tp="$b.prompt" '
	/^testpmd> / { sub(/^testpmd> /, ""); sub(/[ \t]+#.*$/, ""); print > tp; next }
	/^dpdk-testpmd / || incmd { incmd = /\\$/; sub(/\\$/, ""); printf "%s ", $0 > cmd; next }
	{ print > sh }
' "$b"
# the tap the port creates gets no IPv6 (no router solicitations among the frames)
sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
run_step "$b.shell" testpmd
eval "set -- $(cat "$b.cmd")"
[ "${1:-}" = dpdk-testpmd ] && shift && tp_start "$work/testpmd.out" "$@"
check $? "testpmd starts as the recipe says ($(cat "$b.cmd"))"
while IFS= read -r line; do tp_cmd "$line"; done <"$b.prompt"
tp_mark; tp_cmd "show port 0 rss-hash"
tp_expect 'ipv4-tcp' && tp_since | grep -q 'ipv6-udp'
check $? "after the recipe's commands ($(tr '\n' ';' <"$b.prompt")) the port hashes TCP and UDP too (show port 0 rss-hash)"
ip link set vm0 up
sleep 0.5
tp_mark
"$py" - "$work/frames.pcap" <<'PY' >/dev/null 2>&1
import sys, logging
logging.getLogger("scapy.runtime").setLevel(logging.ERROR)
from scapy.all import Ether, IP, IPv6, TCP, UDP, sendp, wrpcap
e = Ether(src="02:00:00:00:00:0a", dst="02:00:00:00:00:0b")
f = [e / IP(src="10.99.0.%d" % i, dst="10.99.1.1") / UDP(sport=1000 + i, dport=53) for i in range(3)]
f += [e / IP(src="10.99.0.9", dst="10.99.1.1") / TCP(sport=2000 + i, dport=80) for i in range(3)]
f += [e / IPv6(src="2001:db8::1", dst="2001:db8::ff") / TCP(sport=3000 + i, dport=443) for i in range(2)]
wrpcap(sys.argv[1], f)
sendp(f, iface="vm0", verbose=False)
PY
check $? "8 TCP and UDP frames (IPv4, IPv6) sent into vm0"
sleep 1
want=$("$cli" --format testpmd "$work/frames.pcap" | grep -o 'RSS hash=0x[0-9a-f]*' | sort)
got=$(tp_since | grep -o 'RSS hash=0x[0-9a-f]*' | sort)
check_diag "vnet-hash: $(tr "\n" " " <<<"$want")"
check_diag "testpmd:   $(tr "\n" " " <<<"$got")"
[ "$(wc -l <<<"$want")" = 8 ] && [ "$want" = "$got" ]
check $? "every frame's RSS hash in testpmd's verbose output is vnet-hash's (default types: all)"
tp_quit
rc=$?
[ $rc = 0 ] && ! ip link show vm0 >/dev/null 2>&1
check $? "quit: testpmd exits 0, its tap vm0 is gone (exit $rc)"
check_done
