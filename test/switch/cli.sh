#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 hashtap authors
#
# hashtap-switch's command line and config file, as a careless operator
# writes them: each bad input fails with a message that names the file,
# the line and the key (or the option) that is wrong; good ones that used
# to be cut or ignored are read whole.  TAP output.
#   test/switch/cli.sh BUILD_DIR
set -uo pipefail
sw=$(cd "${1:?usage: cli.sh BUILD_DIR}" && pwd)/app/hashtap-switch/hashtap-switch
work=$(mktemp -d)
# shellcheck source=../lib/check.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib/check.sh"
# shellcheck source=../../tools/lib/netns.sh
. "$(dirname "${BASH_SOURCE[0]}")/../../tools/lib/netns.sh"
ns_trap 'rm -rf "$work"'
# a switch with a net_hashtap port that creates its tap runs in here
wrap=()

out=$("$sw" --help 2>&1); rc=$?
[ $rc = 0 ] && echo "$out" | grep -q 'Usage:' && echo "$out" | grep -q -- '--config' &&
	echo "$out" | grep -qF "S is up" && echo "$out" | grep -qF "to the first '.'"
check $? "--help: usage (how --set splits), exit 0"

# 6 lines: what follows starts at line 7
base='[eal]
args = -l 0-1 --no-huge -m 256 --no-pci --no-shconf --file-prefix htswcli
[port a]
devargs = net_ring0
[port b]
devargs = net_ring1
'
# refuses NAME INI SAYS [ARGS...]: fails (exit != 0, in 30 s) and says SAYS
# ("@" in SAYS is the config's path)
refuses() {
	local name=$1 ini=$2 says=${3//@/$work/t.ini} out rc
	printf '%s' "$ini" >"$work/t.ini"
	out=$(timeout 30 "${wrap[@]}" "$sw" -c "$work/t.ini" "${@:4}" 2>&1)
	rc=$?
	[ $rc != 0 ] && [ $rc != 124 ] && echo "$out" | grep -qF -- "$says"
	check $? "$name: fails (exit $rc) saying \"$says\""
	[ $rc != 0 ] && [ $rc != 124 ] && echo "$out" | grep -qF -- "$says" ||
		echo "$out" | grep -v '^EAL: ' | tail -3 | sed 's/^/# /'
}
# runs NAME INI SAYS [ARGS...]: runs (with --duration 1 unless ARGS have one),
# stops cleanly (exit 0, every mbuf back) and its output has SAYS
runs() {
	local name=$1 ini=$2 says=$3 out rc
	printf '%s' "$ini" >"$work/t.ini"
	out=$(timeout 60 "${wrap[@]}" "$sw" -c "$work/t.ini" --duration 1 --status 0 "${@:4}" 2>&1)
	rc=$?
	[ $rc = 0 ] && echo "$out" | grep -q 'mbufs in use after closing the ports: 0' &&
		echo "$out" | grep -qF -- "$says"
	check $? "$name: runs, exit 0 ($rc), says \"$says\""
	[ $rc = 0 ] && echo "$out" | grep -qF -- "$says" ||
		echo "$out" | grep -v '^EAL: ' | tail -3 | sed 's/^/# /'
}
refuses "missing file" "" "cannot read /nonexistent" -c /nonexistent
refuses "unknown section" "$base[bridge]
x = 1
" "@:7: unknown section [bridge]"
refuses "unknown port key" "$base[port c]
devargs = net_ring2
colour = red
" "@:9: [port c] unknown key colour"
refuses "port without devargs" "$base[port c]
vlan = 3
" "@:7: [port c] needs devargs"
refuses "bad VLAN" "$base[port c]
devargs = net_ring2
vlan = 4095
" "@:9: [port c] vlan = 4095: expected a number from 1 to 4094"
refuses "bad mode" "$base[port c]
devargs = net_ring2
mode = hybrid
" "@:9: [port c] mode = hybrid: access or trunk"
refuses "one port only" '[port a]
devargs = net_ring0
' "at least 2 [port NAME] sections"
refuses "lcore not given to EAL" "$base" "lcore 5 is not a worker lcore" --set "port a.lcores=5"
refuses "--set without a key" "$base" "expected SECTION.KEY=VALUE" --set nonsense
refuses "--set without a value" "$base" "expected SECTION.KEY=VALUE" --set switch.aging
refuses "a port that cannot be probed" "${base/net_ring1/net_hashtap9,macvtap=htsw-none}" \
	"cannot probe \"net_hashtap9,macvtap=htsw-none\""
refuses "unexpected argument" "$base" "unexpected argument" extra

# ---- issue 11 #1: scalar options given 100+ times: the last one wins
args=()
for i in $(seq 1 120); do args+=(--aging "$i" --status 0 --duration 600); done
runs "--aging, --status, --duration given 120 times each (last: --aging 120 --duration 1)" "$base" \
	"aging 120s" "${args[@]}" --duration 1
args=()
for i in $(seq 1 65); do args+=(--set "switch.aging=$i"); done
refuses "65 --set" "$base" "more than 64 --set" "${args[@]}"
runs "64 --set: the last one for a key wins" "$base" "aging 64s" "${args[@]:0:128}"

# ---- issue 11 #8: --set splits at the first '.' (values have dots)
refuses "--set \"port b.devargs=0000:03:00.0\" (a dot in the value)" "$base" \
	"--set port b.devargs=0000:03:00.0: [port b] cannot probe \"0000:03:00.0\"" \
	--set "port b.devargs=0000:03:00.0"
runs "--set \"port c.devargs=net_ring2\" adds a port" "$base" "port c = net_ring2" \
	--set "port c.devargs=net_ring2"
refuses "--set with a bad value names the option" "$base" \
	"--set port b.vlan=5000: [port b] vlan = 5000: expected a number from 1 to 4094" \
	--set "port b.vlan=5000"
refuses "--aging with a bad value names the option" "$base" \
	"--aging 0: [switch] aging = 0: expected a number from 1 to" --aging 0

# ---- issue 11 #9: long values are read whole or refused, never cut
long=$(seq -s, 100 170),3000	# 283 characters
runs "a trunk's vlans list of ${#long} characters is read whole" "$base[port t]
devargs = net_ring2
mode = trunk
vlans = $long
" "vlans 100-170,3000"
refuses "devargs of 300 characters" "$base[port c]
devargs = net_ring2,$(printf 'x%.0s' $(seq 1 290))
" "@:8: [port c] devargs: 300 characters, at most 255"
refuses "a port name of 40 characters" "$base[port $(printf 'n%.0s' $(seq 1 40))]
devargs = net_ring2
" "@:7: [port nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn]: a port name has at most 31 characters"
refuses "a port name telemetry cannot carry" "$base[port vm-1]
devargs = net_ring2
" "@:7: [port vm-1]: a port name is letters, digits and _"
v="-l 0-1 --no-huge -m 256 --no-pci --no-shconf --file-prefix htswcli$(printf -- ' --log-level=lib.eal:notice%.0s' $(seq 1 20))"
refuses "[eal] args of ${#v} characters" "[eal]
args = $v
[port a]
devargs = net_ring0
[port b]
devargs = net_ring1
" "@:2: [eal] args: ${#v} characters, at most 511"
refuses "[eal] args of 70 words" "[eal]
args = -l 0-1 --no-huge -m 256 --no-pci --no-shconf $(printf -- '-v %.0s' $(seq 1 61)) --file-prefix htswcli
[port a]
devargs = net_ring0
[port b]
devargs = net_ring1
" "@:2: [eal] args: 70 words, at most 62"

# ---- issue 11 #10: nothing is ignored without a word
refuses "a line without '='" "$base[port c]
devargs = net_ring2
vlan 3
" "@:9: [port c] \"vlan 3\": expected KEY = VALUE"
refuses "a key outside any section" "aging = 3
$base" "@:1: aging = 3: outside any section"
refuses "a duplicate key" "$base[port c]
devargs = net_ring2
vlan = 3
vlan = 4
" "@:10: [port c] vlan given twice (first at line 9)"
refuses "17 entries in a section (the 17th used to be ignored)" "$base[port c]
devargs = net_ring2
$(printf 'rxq = 1\n%.0s' $(seq 1 15))colour = red
" "@:10: [port c] rxq given twice (first at line 9)"
refuses "unknown key in a repeated [switch]" "$base[switch]
aging = 3
[switch]
colour = red
" "@:9: [switch] repeated (first at line 7)"
refuses "a duplicate [port a]" "$base[port a]
devargs = net_ring2
" "@:7: [port a] repeated (first at line 3)"
ports=
for i in $(seq 2 16); do ports+="[port p$i]
devargs = net_ring$i
"; done
refuses "17 ports" "$base$ports" "@:35: [port p16]: more than 16 ports"
refuses "-c /dev/zero (used to hang)" "" "/dev/zero:1: a NUL byte: not a text file" -c /dev/zero
refuses "-c a directory" "" "cannot read $work" -c "$work"
refuses "an unterminated section" "$base[port c
devargs = net_ring2
" "@:7: \"[port c\": expected [SECTION]"
refuses "an empty value" "$base[port c]
devargs =
" "@:8: [port c] devargs: no value"
refuses "mac_entries below the minimum (used to become 64 silently)" "$base[switch]
mac_entries = 10
" "@:8: [switch] mac_entries = 10: expected a number from 64 to"
refuses "mac_entries = 16777216 in 256 MB" "$base[switch]
mac_entries = 16777216
" "@:8: [switch] mac_entries = 16777216: cannot allocate the MAC table"
refuses "flow_entries = 16777216 in 256 MB" "$base[switch]
flow_entries = 16777216
" "@:8: [switch] flow_entries = 16777216: cannot allocate"
refuses "mbufs = 16777216 in 256 MB" "$base[switch]
mbufs = 16777216
" "@:8: [switch] mbufs = 16777216: cannot allocate"
refuses "a reversed VLAN range" "$base[port t]
devargs = net_ring2
mode = trunk
vlans = 30-20
" "@:10: [port t] vlans = 30-20: 30-20 is reversed"
refuses "an empty element in a VLAN list" "$base[port t]
devargs = net_ring2
mode = trunk
vlans = 10,,20
" "@:10: [port t] vlans = 10,,20: an empty element"
runs "leading zeros are decimal (010 is VLAN 10, not 8)" "$base[port t]
devargs = net_ring2
mode = trunk
vlans = 010
" "vlans 10"
refuses "vlans on an access port" "$base[port c]
devargs = net_ring2
vlans = 10
" "@:9: [port c] vlans: only for mode = trunk"
refuses "native on an access port" "$base[port c]
devargs = net_ring2
native = 10
" "@:9: [port c] native: only for mode = trunk (an access port has vlan)"
refuses "vlan on a trunk" "$base[port t]
devargs = net_ring2
mode = trunk
vlan = 10
" "@:10: [port t] vlan: only for mode = access (a trunk has vlans and native)"
refuses "a trunk that carries nothing" "$base[port t]
devargs = net_ring2
mode = trunk
" "@:7: [port t] a trunk needs vlans or native"
refuses "fewer lcores than rx queues" "$base[port c]
devargs = net_ring2
rxq = 2
lcores = 1
" "@:10: [port c] lcores = 1: one per rx queue (2)"
refuses "two ports on one device" "$base[port c]
devargs = net_ring0
" "[port c] net_ring0 is already port a"
refuses "a net_af_packet port on a missing interface" "[eal]
args = -l 0-1 --no-huge -m 256 --no-pci --no-shconf --file-prefix htswcli
[port a]
devargs = net_ring0
[port b]
devargs = net_af_packet0,iface=htswcli-none
" "@:6: [port b] cannot probe \"net_af_packet0,iface=htswcli-none\": no interface htswcli-none in this network namespace"
refuses "9 worker lcores" "$base[port c]
devargs = net_ring2
rxq = 7
lcores = 3,4,5,6,7,8,9
" "@:10: [port c] lcore 9: more than 8 worker lcores in all" --set "port a.lcores=1" \
	--set "port b.lcores=2" \
	--set "eal.args=--lcores 0@0,(1-9)@1 --no-huge -m 256 --no-pci --no-shconf --file-prefix htswcli"
refuses "a port with fewer tx queues than workers x guest queues" "$base[port c]
devargs = net_ring2
guest_queues = 8
" "@:8: [port c] (net_ring): 1 rx / 24 tx queues asked (tx: 8 per worker, 3 workers), it has" \
	--set "port a.lcores=2" --set "port b.lcores=3" \
	--set "eal.args=--lcores 0@0,(1-3)@1 --no-huge -m 256 --no-pci --no-shconf --file-prefix htswcli"
# EAL options on the command line replace [eal] args (here: a bad one)
printf '%s' "${base/--file-prefix htswcli/--no-such-eal-option}" >"$work/t.ini"
out=$(timeout 60 "$sw" -l 0-1 --no-huge -m 256 --no-pci --no-shconf --file-prefix htswcli -- \
	-c "$work/t.ini" --duration 1 --status 0 2>&1); rc=$?
[ $rc = 0 ] && echo "$out" | grep -q 'mbufs in use after closing the ports: 0'
check $? "EAL options before -- replace the file's [eal] args (exit $rc)"
out=$(timeout 60 "$sw" -c "$work/t.ini" --duration 1 2>&1); rc=$?
[ $rc != 0 ] && echo "$out" | grep -q 'no-such-eal-option'
check $? "... without them, the file's [eal] args are used (a bad one: exit $rc)"
refuses "unknown tunnel type" "$base[port c]
devargs = net_ring2
tunnel_types = vxlan, vxlam
" "@:9: [port c] tunnel_types = vxlan, vxlam: unknown tunnel type \"vxlam\""
tns=htswcli-$$
ns_add "$tns" || check 1 "namespace $tns"
wrap=(ip netns exec "$tns")
refuses "tunnel types twice, differently (devargs and key)" "$base[port c]
devargs = net_hashtap9,iface=htswcli0,tunnel_types=geneve
tunnel_types = vxlan
" "@:9: [port c] tunnel_types = vxlan, but the net_hashtap port looks into geneve"
runs "tunnel_types on a port of another driver: the switch hashes inside" "$base[port c]
devargs = net_ring2
tunnel_types = vxlan,gre
" "port c: flow hash of the inner headers of gre_2784,gre_2890,gre_7676,vxlan, by the switch"
runs "tunnel_types on net_hashtap: the port hashes inside (devarg added)" "$base[port c]
devargs = net_hashtap9,iface=htswcli0
tunnel_types = VXLAN
" "port c: flow hash of the inner headers of vxlan, by the port (RSS level INNERMOST)"
runs "tunnel_types on net_hashtap with hash=off: the switch hashes inside" "$base[port c]
devargs = net_hashtap9,iface=htswcli0,hash=off
tunnel_types = all
" "by the switch"
wrap=()
printf '%s\0%s' "$base" "[port c]" >"$work/nul.ini"
out=$(timeout 30 "$sw" -c "$work/nul.ini" 2>&1); rc=$?
[ $rc != 0 ] && echo "$out" | grep -qF "$work/nul.ini:7: a NUL byte: not a text file"
check $? "a NUL byte in the file: fails (exit $rc) naming line 7"

# a good config with --duration runs and stops by itself, exit 0 (no mbuf left)
printf '%s' "$base" >"$work/t.ini"
out=$(timeout 60 "$sw" -c "$work/t.ini" --duration 2 --status 1 2>&1); rc=$?
[ $rc = 0 ] && echo "$out" | grep -q 'mbufs in use after closing the ports: 0' &&
	echo "$out" | grep -q 'hashtap-switch: [0-9]*s rx'
check $? "net_ring ports, --duration 2: status lines, clean stop, exit 0 ($rc)"
out=$(cd "$work" && timeout 30 "$sw" 2>&1); rc=$?
[ $rc != 0 ] && echo "$out" | grep -qF 'cannot read config/demo.ini'
check $? "without -c the default is config/demo.ini (here missing: exit $rc, says so)"
check_done
