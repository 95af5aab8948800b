#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 hashtap authors
#
# The benchmark tools fail loudly: the injector ends (exit 1, saying why)
# when its interface takes no frame, and the replay harness marks such a
# cell FAILED and exits 1 instead of reporting a rate; it waits for a
# receiver slow to start and gives up on one never ready.  TAP output.
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
	out=$(timeout 300 "$top/tools/bench/replay.sh" --quick -P $p -p hashtap-sw -m software \
		-I "$work/inject-fails" -o "$work/r$p" "$build" 2>&1)
	rc=$?
	[ $rc = 1 ] && grep -q '| FAILED | FAILED |' "$work/r$p/results.md" &&
		echo "$out" | grep -q "the injector failed (1): inject: rp0 took no frame" &&
		/usr/bin/python3 -c 'import json, sys
r = json.load(open(sys.argv[1]))
sys.exit(0 if r and all(c["mpps"] is None for c in r) else 1)' "$work/r$p/results.json"
	check $? "replay.sh --quick, path $p, the injector failing: the cell reads FAILED (mpps null), exit 1 ($rc)"
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
	out=$(timeout 200 "$top/tools/bench/replay.sh" --quick -P 1 -p "$*" -R "$work/rx-$s" \
		-o "$work/rs$s" "$build" 2>&1)
	rc=$?
	[ $rc = 0 ] && /usr/bin/python3 -c 'import json, sys
r = json.load(open(sys.argv[1]))
sys.exit(0 if len(r) == int(sys.argv[2]) and all(c["mpps"] and c["hash_checked"] > 0 for c in r) else 1)' \
		"$work/rs$s/results.json" $#
	check $? "replay.sh --quick, path 1, $# cell(s), a receiver ready after $s s: each measured, exit 0 ($rc)"
	[ $rc = 0 ] || echo "$out" | grep -v '^EAL' | tail -3 | sed 's/^/# /'
done
t0=$(date +%s)
out=$(timeout 200 "$top/tools/bench/replay.sh" --quick -P 1 -p hashtap-sw -R "$work/rx-never" \
	-o "$work/rn" "$build" 2>&1)
rc=$?
t1=$(date +%s)
[ $rc = 1 ] && grep -q '| FAILED | FAILED |' "$work/rn/results.md" &&
	echo "$out" | grep -q 'replay-rx not ready after 60 s' && [ $((t1 - t0)) -ge 60 ] &&
	! pgrep -x -f "sleep 999.$$" >/dev/null
check $? "replay.sh --quick, path 1, a receiver never ready: FAILED after $((t1 - t0)) s, it is gone, exit 1 ($rc)"
[ $rc = 1 ] || echo "$out" | tail -3 | sed 's/^/# /'
check_done
