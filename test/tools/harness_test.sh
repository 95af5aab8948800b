#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 hashtap authors
#
# The benchmark tools fail loudly: the injector ends (exit 1, saying why)
# when its interface takes no frame, and the replay harness marks such a
# cell FAILED and exits 1 instead of reporting a rate; it waits for a
# receiver slow to start and gives up on one never ready.  And what its
# results say is so: --help is whole, one name a PMD, every path's failed
# cell reads FAILED (exit 1), "missing" hashes n/a for PMDs that give none,
# plots from 0, two runs at once both pass, no /var/run/dpdk folder left.
# TAP output.
#   test/tools/harness_test.sh BUILD_DIR
set -uo pipefail
build=$(cd "${1:?usage: harness_test.sh BUILD_DIR}" && pwd)
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
inject=$build/tools/bench/inject
ns=htsw-bench-$$
work=$(mktemp -d)
# shellcheck source=../lib/check.sh
. "$top/test/lib/check.sh"
# shellcheck source=../../tools/lib/netns.sh
. "$top/tools/lib/netns.sh"
ns_trap 'rm -rf "$work"'
replay=$top/tools/bench/replay.sh
pids=()		# every replay.sh run here: its EAL file prefixes rpPID, rpsPID
replay_bg() {	# LOG ARGS...: run replay.sh, set rc; its pid joins pids
	local log=$1
	shift
	"$replay" "$@" >"$log" 2>&1 &
	local pid=$!
	pids+=("$pid")
	timeout 300 tail --pid="$pid" -f /dev/null || kill "$pid"
	wait "$pid"
	rc=$?
}
json_ok() {	# FILE PYTHON-EXPR over r (the cells): exit 0 when true
	/usr/bin/python3 -c 'import json, sys
r = json.load(open(sys.argv[1]))
sys.exit(0 if eval(sys.argv[2]) else 1)' "$@" 2>/dev/null
}


ns_add $ns || exit 1
# a tap nobody reads (no process attached): every send is ENOBUFS
ip -n $ns tuntap add mode tap name htswinj0 &&
	ip -n $ns link set htswinj0 up &&
	ns_veth htswv0 $ns htswv1 $ns || exit 1

out=$(timeout 20 ip netns exec $ns "$inject" -i htswinj0 -d 1 2>&1); rc=$?
[ $rc = 1 ] && echo "$out" | grep -q 'htswinj0 took no frame'
check $? "inject -d 1 into a tap nobody reads: ends, exit 1 ($rc), says so"
echo "$out" | tail -2 | sed 's/^/# /'
out=$(timeout 20 ip netns exec $ns "$inject" -i htswinj0 -n 100 2>&1); rc=$?
[ $rc = 1 ] && echo "$out" | grep -q 'took no frame for 2 s'
check $? "inject -n 100 into it: gives up after 2 s, exit 1 ($rc)"
echo "$out" | tail -1 | sed 's/^/# /'
out=$(timeout 20 ip netns exec $ns "$inject" -i htswv0 -n 1000 2>&1); rc=$?
[ $rc = 0 ] && echo "$out" | grep -q '^sent 1000 frames'
check $? "inject -n 1000 into a veth: sends them, exit 0 ($rc)"

# the harness with an injector that fails as the real one does now
cat >"$work/inject-fails" <<'SH'
#!/bin/sh
echo "inject: rp0 took no frame for 2 s (sendmmsg: No buffer space available, 9 times): is its reader gone?" >&2
exit 1
SH
chmod +x "$work/inject-fails"
for p in 1 3; do
	replay_bg "$work/r$p.log" --quick -P $p -p hashtap-sw -m software \
		-I "$work/inject-fails" -o "$work/r$p" "$build"
	out=$(cat "$work/r$p.log")
	[ $rc = 1 ] && grep -q '| FAILED | FAILED |' "$work/r$p/results.md" &&
		echo "$out" | grep -q "the injector failed (1): inject: rp0 took no frame" &&
		/usr/bin/python3 -c 'import json, sys
r = json.load(open(sys.argv[1]))
sys.exit(0 if r and all(c["mpps"] is None for c in r) else 1)' "$work/r$p/results.json" &&
		json_ok "$work/r$p/results.json" '[c["pmd"] for c in r] == [sys.argv[3]]' $([ $p = 1 ] && echo hashtap-sw || echo hashtap-uring) &&
		grep -q "| $([ $p = 1 ] && echo hashtap-sw || echo hashtap-uring) | FAILED | FAILED |" "$work/r$p/results.md"
	check $? "replay.sh --quick, path $p, the injector failing: the cell reads FAILED (mpps null), exit 1 ($rc), named $([ $p = 1 ] && echo hashtap-sw || echo 'hashtap-uring (-m software)')"
	grep '^|' "$work/r$p/results.md" | tail -1 | sed 's/^/# /'
done
# a receiver slow to start (a busy machine): the cell waits for it; each
# cell waits for its own receiver, not the last one's "ready"; one never
# ready: the cell reads FAILED after 60 s, nothing hangs
for s in 3 12; do
	cat >"$work/rx-$s" <<SH
#!/bin/sh
sleep $s
exec "$build/tools/bench/replay-rx" "\$@"
SH
	chmod +x "$work/rx-$s"
done
cat >"$work/rx-never" <<SH
#!/bin/sh
exec sleep 999.$$
SH
chmod +x "$work/rx-never"
for c in "12 hashtap-sw" "3 hashtap-sw hashtap-syscall"; do
	set -- $c
	s=$1
	shift
	replay_bg "$work/rs$s.log" --quick -P 1 -p "$*" -R "$work/rx-$s" -o "$work/rs$s" "$build"
	out=$(cat "$work/rs$s.log")
	[ $rc = 0 ] && /usr/bin/python3 -c 'import json, sys
r = json.load(open(sys.argv[1]))
sys.exit(0 if len(r) == int(sys.argv[2]) and all(c["mpps"] and c["hash_checked"] > 0 for c in r) else 1)' \
		"$work/rs$s/results.json" $#
	check $? "replay.sh --quick, path 1, $# cell(s), a receiver ready after $s s: each measured, exit 0 ($rc)"
	[ $rc = 0 ] || echo "$out" | grep -v '^EAL' | tail -3 | sed 's/^/# /'
done
t0=$(date +%s)
replay_bg "$work/rn.log" --quick -P 1 -p hashtap-sw -R "$work/rx-never" -o "$work/rn" "$build"
out=$(cat "$work/rn.log")
t1=$(date +%s)
[ $rc = 1 ] && grep -q '| FAILED | FAILED |' "$work/rn/results.md" &&
	echo "$out" | grep -q 'replay-rx not ready after 60 s' && [ $((t1 - t0)) -ge 60 ] &&
	! pgrep -x -f "sleep 999.$$" >/dev/null
check $? "replay.sh --quick, path 1, a receiver never ready: FAILED after $((t1 - t0)) s, it is gone, exit 1 ($rc)"
[ $rc = 1 ] || echo "$out" | tail -3 | sed 's/^/# /'
# ------------------------------------------------------------ issue 14
# --help is whole: every option the parser takes, every PMD and mode name,
# the exit codes, the environment, and the text to its last line
help=$("$replay" --help); rc=$?
opts=$(sed -n '/^while \[ \$# -gt 0 \]/,/^done/p' "$replay" | grep -o '^	-[^)]*)' | tr -d '\t)' | tr '|' ' ')
miss=
for o in $opts hashtap-uring hashtap-syscall hashtap-sw hashtap-off hashtap-kernel hashtap-kernel-rss \
	hashtap-sw-inner hashtap-kernel-rss-inner RTE_ETH_RSS_LEVEL_INNERMOST \
	tap af_packet af_xdp software software-syscall off kernel BUILD_DIR TMPDIR gnuplot 'Exit status' \
	'0 every cell' '1 a cell FAILED' '2 bad usage' 'Environment' 'See tools/bench/README.md.'; do
	[ "$o" = '-*' ] && continue
	grep -qF -- "$o" <<<"$help" || miss="$miss '$o'"
done
[ $rc = 0 ] && [ -z "$miss" ] && [ -n "$opts" ]
check $? "replay.sh --help: every option ($(echo $opts)), PMD, mode, exit code, the environment (missing:${miss:- none})"

# and the tools it runs: --help (stdout, exit 0) names every option their
# getopt takes, the environment and the exit status
for t in inject:inject.c tracegen:tracegen.c replay-rx:replay_rx.c tunnel-spread:tunnel_spread.c; do
	help=$("$build/tools/bench/${t%%:*}" --help 2>/dev/null); rc=$?
	letters=$(grep -o 'getopt[_a-z]*(argc, argv, "[^"]*"' "$top/tools/bench/${t#*:}" | sed 's/.*"\(.*\)"/\1/' | tr -d ':')
	miss=
	for o in $(echo "$letters" | grep -o .) --help 'Exit status' 'nvironment'; do
		[ "${#o}" = 1 ] && o=-$o
		grep -qF -- "$o" <<<"$help" || miss="$miss '$o'"
	done
	[ $rc = 0 ] && [ -n "$letters" ] && [ -z "$miss" ]
	check $? "${t%%:*} --help: exit 0 ($rc), every option of its getopt ($letters), environment, exit status (missing:${miss:- none})"
done

# one name for one thing: a name it does not know is an error (exit 2,
# named), not a cell; hashtap-software is not a second hashtap-sw
for a in "-p hashtap-software" "-p hashtap-sw,tap" "-m software,off" "-m uring" "-P 4" "-d fast"; do
	out=$(timeout 120 "$replay" --quick $a -I "$work/inject-fails" -o "$work/bad" "$build" 2>&1); rc=$?
	[ $rc = 2 ] && grep -q -- "${a#* }" <<<"$out" && [ ! -e "$work/bad/results.json" ]
	check $? "replay.sh $a: refused before any cell, exit 2 ($rc), names it"
	[ $rc = 2 ] || grep -v '^EAL' <<<"$out" | tail -2 | sed 's/^/# /'
	rm -rf "$work/bad"
done

# every path fails loudly: an empty trace (no frame) through paths 1, 2
# and 3: each cell is there, FAILED, with why; exit 1
/usr/bin/python3 -c 'import struct, sys
open(sys.argv[1], "wb").write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))' "$work/empty.pcap"
replay_bg "$work/empty.log" --quick -T -t "$work/empty.pcap" -P "1 2 3" -p hashtap-sw -m software \
	-o "$work/re" "$build"
[ $rc = 1 ] && json_ok "$work/re/results.json" \
	'[c["path"] for c in r] == [1, 2, 3] and all(c["status"] == "FAILED" and c["why"] and c["mpps"] is None for c in r)' &&
	[ "$(grep -c '| FAILED | FAILED |.*| FAILED: ' "$work/re/results.md")" = 3 ]
check $? "replay.sh, an empty trace, paths 1 2 3: three cells, each FAILED with why, exit 1 ($rc)"
grep '^| empty' "$work/re/results.md" | cut -c1-160 | sed 's/^/# /'

# a receiver that ends before it is ready: FAILED for a PMD that must
# start (tap), n/a only for one the kernel may refuse (af_xdp)
cat >"$work/rx-dies" <<'SH'
#!/bin/sh
echo "replay-rx: configure net_fake failed" >&2
exit 1
SH
# a receiver that is ready, then (after the go and the end) gives a result
# with 5 wrong hashes, or none at all (python: a shell cannot take back
# the SIGINT that bash ignores in a background job)
for k in bad none; do
	cat >"$work/rx-$k" <<PY
#!/usr/bin/python3
import signal, sys, time
def end(*_):
    if "$k" == "bad":
        print('{"driver": "net_fake", "packets": 2000, "bytes": 128000, "seconds": 1.000, "mpps": 0.0020, "gbps": 0.0010, "cycles_per_packet": 100.0, "hash_flagged": 2000, "hash_checked": 2000, "hash_bad": 5, "hash_missing": 0, "imissed": 0, "ierrors": 0, "rx_nombuf": 0}', flush=True)
        sys.exit(0)
    sys.exit(3)
signal.signal(signal.SIGINT, end)
signal.signal(signal.SIGTERM, end)
signal.signal(signal.SIGUSR1, lambda *_: None)
print("replay-rx: ready on net_fake (1 queues)", file=sys.stderr, flush=True)
while True:
    time.sleep(0.1)
PY
done
chmod +x "$work/rx-dies" "$work/rx-bad" "$work/rx-none"
for c in "dies tap 1 FAILED" "dies af_xdp 0 n/a" "bad af_packet 1 FAILED" "none af_packet 1 FAILED"; do
	set -- $c
	replay_bg "$work/r-$1-$2.log" --quick -P 1 -p "$2" -R "$work/rx-$1" -o "$work/r-$1-$2" "$build"
	[ $rc = "$3" ] && json_ok "$work/r-$1-$2/results.json" \
		"len(r) == 1 and r[0]['status'] == '$4' and r[0]['mpps'] is None and r[0]['why']" &&
		grep -q "| $4 | $4 |.*| $4: " "$work/r-$1-$2/results.md"
	check $? "replay.sh, path 1 $2, a receiver that $([ $1 = dies ] && echo 'ends before ready' || echo "is ready, then gives $([ $1 = bad ] && echo '5 wrong hashes' || echo 'no result')"): $4, exit $3 ($rc)"
	grep '^| quick' "$work/r-$1-$2/results.md" | cut -c1-200 | sed 's/^/# /'
done

# "missing" is no count for PMDs that never give a hash: n/a (null); ours
# counts it (0).  Paths 2 and 3 check no hash: n/a
replay_bg "$work/rm.log" --quick -P 1 -p "tap hashtap-off hashtap-sw" -o "$work/rm" "$build"
[ $rc = 0 ] && json_ok "$work/rm/results.json" \
	'[(c["pmd"], c["hash_missing"]) for c in r] == [("tap", None), ("hashtap-off", None), ("hashtap-sw", 0)]' &&
	grep -q '| tap | [0-9.]* | .* / n/a | ' "$work/rm/results.md" &&
	grep -q '| hashtap-off | [0-9.]* | .* / n/a | ' "$work/rm/results.md" &&
	grep -q '| hashtap-sw | [0-9.]* | .* | [1-9][0-9]* / 0 / 0 | ' "$work/rm/results.md"
check $? "replay.sh, path 1 tap, hashtap-off, hashtap-sw: missing hashes n/a, n/a, 0 ($rc)"
grep '^| quick' "$work/rm/results.md" | cut -c1-160 | sed 's/^/# /'

# plots start at 0: gnuplot (through a shim that asks it) puts the y axis
# of every plot at 0 when every rate is far above it
mkdir -p "$work/shim" "$work/rp"
cat >"$work/shim/gnuplot" <<SH
#!/bin/sh
{ cat; echo 'set print "$work/ymin" append'; echo 'print GPVAL_Y_MIN'; } | /usr/bin/gnuplot
SH
chmod +x "$work/shim/gnuplot"
cat >"$work/rp/results.json" <<'JS'
[{"path": 1, "trace": "t", "pmd": "hashtap-sw", "mpps": 0.71}, {"path": 1, "trace": "t", "pmd": "tap", "mpps": 0.9},
 {"path": 2, "trace": "t", "pmd": "hashtap-uring", "mpps": 2.5}, {"path": 3, "trace": "t", "pmd": "hashtap-uring", "mpps": 1.2}]
JS
PATH=$work/shim:$PATH "$replay" --plot "$work/rp"; rc=$?
[ $rc = 0 ] && [ -s "$work/rp/path1.png" ] && [ "$(cat "$work/ymin" 2>/dev/null | tr '\n' ' ')" = "0.0 0.0 0.0 " ]
check $? "replay.sh --plot: three plots, each y axis from 0 (y minima: $(cat "$work/ymin" 2>/dev/null | tr '\n' ' '))"
"$replay" --plot "$work/nothing-here" 2>/dev/null; rc=$?
check $([ $rc = 1 ]; echo $?) "replay.sh --plot on a folder without results.json: exit 1 ($rc)"

# two runs at once, both with the default results folder (started in the
# same second): both pass, each in its own folder, nothing shared.  A copy
# of tools/ makes "the top of the checkout" a scratch folder
mkdir -p "$work/top"
cp -r "$top/tools" "$work/top/"
while [ "$(date +%N)" -gt 200000000 ]; do sleep 0.05; done
for i in 1 2; do
	timeout 300 "$work/top/tools/bench/replay.sh" --quick -p hashtap-sw -m software "$build" >"$work/cc$i.log" 2>&1 &
	cc[i]=$!
done
sleep 0.5
for i in 1 2; do pids+=("$(pgrep -P "${cc[i]}" | head -1)"); done
wait "${cc[1]}"; rc1=$?
wait "${cc[2]}"; rc2=$?
dirs=("$work"/top/bench-results/*)
ok=0
[ $rc1 = 0 ] && [ $rc2 = 0 ] && [ ${#dirs[@]} = 2 ] || ok=1
for d in "${dirs[@]}"; do
	json_ok "$d/results.json" \
		'[(c["path"], c["pmd"], c["status"]) for c in r] == [(p, "hashtap-sw" if p == 1 else "hashtap-uring", "ok") for p in (1, 2, 3)] and all(c["hash_checked"] is None for c in r if c["path"] > 1)' || ok=1
done
check $ok "two replay.sh --quick at once, default folders: exit $rc1 and $rc2, ${#dirs[@]} folders, each 3 cells passed (paths 2 and 3: hashes n/a)"
[ $ok = 0 ] || { tail -3 "$work/cc1.log" "$work/cc2.log"; ls "$work/top/bench-results"; } | sed 's/^/# /'

# ------------------------------------------------------------ issue 16
# -Q QUEUES: path 1's cells carry the frames per rx queue and per queue of
# the port's RSS table.  A VXLAN trace of one outer flow: the outer hash
# (hashtap-sw) puts every frame in one RSS-table queue of 4; the inner one
# (hashtap-sw-inner: net_hashtap offers RTE_ETH_RSS_LEVEL_INNERMOST, so an
# n/a here is a failure) spreads them, every inner hash right
"$build/tools/bench/tracegen" -o "$work/vx.pcap" -e vxlan -n 4000 -f 256 -m ipv4-tcp -S 5 >/dev/null
replay_bg "$work/rq.log" --quick -T -t "$work/vx.pcap" -P 1 -p "hashtap-sw hashtap-sw-inner" -Q 4 \
	-o "$work/rq" "$build"
[ $rc = 0 ] && json_ok "$work/rq/results.json" '(lambda o, i:
	o["status"] == "ok" and o["queues"] == 4 and len(o["rxq"]) == 4 and len(o["reta_q"]) == 4 and
	o["hash_bad"] == 0 and sum(o["reta_q"]) == sum(o["rxq"]) > 0 and
	sum(1 for x in o["reta_q"] if x) == 1 and
	i["status"] == "ok" and i["hash_bad"] == 0 and i["hash_checked"] > 0 and i["hash_missing"] == 0 and
	sum(1 for x in i["reta_q"] if x) >= 3)(*r)' &&
	grep -q '^### Path 1: spread over the rx queues' "$work/rq/results.md" &&
	grep -q '| vx | hashtap-sw | 4 | .* | 1 of 4, max 100.0%, min 0.0% | ok |' "$work/rq/results.md"
check $? "replay.sh -Q 4, VXLAN with one outer flow: hashtap-sw's frames in 1 RSS-table queue of 4, hashtap-sw-inner's in at least 3, every hash right; the spread table ($rc)"
grep -E '^\| vx ' "$work/rq/results.md" | cut -c1-200 | sed 's/^/# /'
# the harness's side of the detection, with receivers that say so: exit 3
# is n/a for an -inner PMD only; any other failure of it is FAILED
cat >"$work/rx-3" <<'SH'
#!/bin/sh
echo "replay-rx: net_fake does not offer RTE_ETH_RSS_LEVEL_INNERMOST (-L inner)" >&2
exit 3
SH
cat >"$work/rx-1" <<'SH'
#!/bin/sh
echo "replay-rx: EAL init failed" >&2
exit 1
SH
chmod +x "$work/rx-3" "$work/rx-1"
for c in "3 hashtap-sw-inner 0 n/a" "1 hashtap-sw-inner 1 FAILED" "3 tap 1 FAILED"; do
	set -- $c
	replay_bg "$work/r3-$1-$2.log" --quick -P 1 -p "$2" -R "$work/rx-$1" -o "$work/r3-$1-$2" "$build"
	[ $rc = "$3" ] && json_ok "$work/r3-$1-$2/results.json" \
		"len(r) == 1 and r[0]['status'] == '$4' and r[0]['mpps'] is None and r[0]['why']"
	check $? "replay.sh, path 1 $2, a receiver that $([ $1 = 3 ] && echo 'exits 3 (no RTE_ETH_RSS_LEVEL_INNERMOST)' || echo 'ends before ready (1)'): $4, exit $3 ($rc)"
done
for v in 0 65 65537 4x; do
	out=$(timeout 60 "$build/tools/bench/replay-rx" --no-huge -m 256 --no-pci --no-shconf \
		--file-prefix "rq$$" -- -q "$v" 2>&1); rc=$?
	[ $rc = 2 ] && grep -q -- "-q: \"$v\": 1..64 queues" <<<"$out"
	check $? "replay-rx -q $v: refused, exit 2 ($rc)"
done
out=$(timeout 60 "$build/tools/bench/replay-rx" --no-huge -m 256 --no-pci --no-shconf \
	--file-prefix "rq$$" -- -L outer 2>&1); rc=$?
[ $rc = 2 ] && grep -q -- '-L: "outer"' <<<"$out"
check $? "replay-rx -L outer: refused (only inner), exit 2 ($rc)"
rm -rf "/var/run/dpdk/rq$$"
out=$(timeout 60 "$replay" --quick -Q 0 -I "$work/inject-fails" -o "$work/bad" "$build" 2>&1); rc=$?
[ $rc = 2 ] && grep -q -- "-Q" <<<"$out" && [ ! -e "$work/bad/results.json" ]
check $? "replay.sh -Q 0: refused before any cell, exit 2 ($rc)"
rm -rf "$work/bad"

# every EAL runtime folder of every run above is gone
left=
for p in "${pids[@]}"; do
	[ -n "$p" ] || { left="$left (a pid not found)"; continue; }
	for d in "/var/run/dpdk/rp$p" "/var/run/dpdk/rps$p"; do [ -e "$d" ] && left="$left $d"; done
done
[ -z "$left" ] && [ ${#pids[@]} -ge 13 ]
check $? "/var/run/dpdk: nothing left by ${#pids[@]} runs (left:${left:- none})"
for p in "${pids[@]}"; do rm -rf "/var/run/dpdk/rp$p" "/var/run/dpdk/rps$p"; done
check_done
