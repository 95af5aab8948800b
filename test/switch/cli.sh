#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 hashtap authors
#
# hashtap-switch's command line and config errors: each bad input fails
# with a message that names what is wrong.  TAP output.
#   test/switch/cli.sh BUILD_DIR
set -uo pipefail
sw=$(cd "${1:?usage: cli.sh BUILD_DIR}" && pwd)/app/hashtap-switch/hashtap-switch
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
n=0
failed=0
ok() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=$((failed + 1)); fi
}

out=$("$sw" --help 2>&1); rc=$?
[ $rc = 0 ] && echo "$out" | grep -q 'Usage:' && echo "$out" | grep -q -- '--config'
ok $? "--help: usage, exit 0"

base='[eal]
args = -l 0-1 --no-huge -m 256 --no-pci --no-shconf --file-prefix htswcli
[port a]
devargs = net_ring0
[port b]
devargs = net_ring1
'
# case: extra INI text | what the error must say
check() {
	local name=$1 ini=$2 says=$3 out rc
	printf '%s' "$ini" >"$work/t.ini"
	out=$(timeout 30 "$sw" -c "$work/t.ini" "${@:4}" 2>&1)
	rc=$?
	[ $rc != 0 ] && echo "$out" | grep -qF -- "$says"
	ok $? "$name: fails (exit $rc) saying \"$says\""
	[ $rc != 0 ] && echo "$out" | grep -qF -- "$says" || echo "$out" | tail -3 | sed 's/^/# /'
}
# runs NAME INI SAYS [ARGS...]: runs (with --duration 1 unless ARGS have one),
# stops cleanly (exit 0, every mbuf back) and its output has SAYS
runs() {
	local name=$1 ini=$2 says=$3 out rc
	printf '%s' "$ini" >"$work/t.ini"
	out=$(timeout 60 "$sw" -c "$work/t.ini" --duration 1 --status 0 "${@:4}" 2>&1)
	rc=$?
	[ $rc = 0 ] && echo "$out" | grep -q 'mbufs in use after closing the ports: 0' &&
		echo "$out" | grep -qF -- "$says"
	ok $? "$name: runs, exit 0 ($rc), says \"$says\""
	[ $rc = 0 ] && echo "$out" | grep -qF -- "$says" ||
		echo "$out" | grep -v '^EAL: ' | tail -3 | sed 's/^/# /'
}
check "missing file" "" "cannot read /nonexistent" -c /nonexistent
check "unknown section" "$base[bridge]
x = 1
" "unknown section [bridge]"
check "unknown port key" "$base[port c]
devargs = net_ring2
colour = red
" "[port c] unknown key colour"
check "port without devargs" "$base[port c]
vlan = 3
" "[port c] needs devargs"
check "bad VLAN" "$base[port c]
devargs = net_ring2
vlan = 4095
" "vlan = 4095: expected a number from 1 to 4094"
check "bad mode" "$base[port c]
devargs = net_ring2
mode = hybrid
" "mode = hybrid: access or trunk"
check "one port only" '[port a]
devargs = net_ring0
' "at least 2 [port NAME] sections"
check "lcore not given to EAL" "$base" "lcore 5 is not a worker lcore" --set "port a.lcores=5"
check "--set without a key" "$base" "expected SECTION.KEY=VALUE" --set nonsense
check "a port that cannot be probed" "${base/net_ring1/net_hashtap9,macvtap=htsw-none}" \
	"cannot probe \"net_hashtap9,macvtap=htsw-none\""
check "unexpected argument" "$base" "unexpected argument" extra

# scalar options given 100+ times: the last one wins (issue 11 #1: the 68th
# overflowed a stack array); --set has a limit, and says so
args=()
for i in $(seq 1 120); do args+=(--aging "$i" --status 0 --duration 600); done
runs "--aging, --status, --duration given 120 times each (last: --aging 120 --duration 1)" "$base" \
	"aging 120s" "${args[@]}" --duration 1
args=()
for i in $(seq 1 65); do args+=(--set "switch.aging=$i"); done
check "65 --set" "$base" "more than 64 --set" "${args[@]}"
runs "64 --set: the last one for a key wins" "$base" "aging 64s" "${args[@]:0:128}"
# a good config with --duration runs and stops by itself, exit 0 (no mbuf left)
printf '%s' "$base" >"$work/t.ini"
out=$(timeout 60 "$sw" -c "$work/t.ini" --duration 2 --status 1 2>&1); rc=$?
[ $rc = 0 ] && echo "$out" | grep -q 'mbufs in use after closing the ports: 0' &&
	echo "$out" | grep -q 'hashtap-switch: [0-9]*s rx'
ok $? "net_ring ports, --duration 2: status lines, clean stop, exit 0 ($rc)"
out=$(cd "$work" && timeout 30 "$sw" 2>&1); rc=$?
[ $rc != 0 ] && echo "$out" | grep -qF 'cannot read config/demo.ini'
ok $? "without -c the default is config/demo.ini (here missing: exit $rc, says so)"
echo "1..$n"
[ $failed = 0 ]
