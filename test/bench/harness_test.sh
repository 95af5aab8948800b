#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 hashtap authors
#
# The benchmark tools fail loudly: the injector ends (exit 1, saying why)
# when its interface takes no frame, and the replay harness marks such a
# cell FAILED and exits 1 instead of reporting a rate.  TAP output.
#   test/bench/harness_test.sh BUILD_DIR
set -uo pipefail
build=$(cd "${1:?usage: harness_test.sh BUILD_DIR}" && pwd)
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
inject=$build/test/bench/inject
ns=htsw-bench-$$
work=$(mktemp -d)
trap 'ip netns del $ns 2>/dev/null; rm -rf "$work"' EXIT
n=0
failed=0
ok() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=$((failed + 1)); fi
}

ip netns add $ns || exit 1
# a tap nobody reads (no process attached): every send is ENOBUFS
ip -n $ns tuntap add mode tap name htswinj0 &&
	ip -n $ns link set htswinj0 up &&
	ip -n $ns link add htswv0 type veth peer name htswv1 &&
	ip -n $ns link set htswv0 up && ip -n $ns link set htswv1 up || exit 1

out=$(timeout 20 ip netns exec $ns "$inject" -i htswinj0 -d 1 2>&1); rc=$?
[ $rc = 1 ] && echo "$out" | grep -q 'htswinj0 took no frame'
ok $? "inject -d 1 into a tap nobody reads: ends, exit 1 ($rc), says so"
echo "$out" | tail -2 | sed 's/^/# /'
out=$(timeout 20 ip netns exec $ns "$inject" -i htswinj0 -n 100 2>&1); rc=$?
[ $rc = 1 ] && echo "$out" | grep -q 'took no frame for 2 s'
ok $? "inject -n 100 into it: gives up after 2 s, exit 1 ($rc)"
echo "$out" | tail -1 | sed 's/^/# /'
out=$(timeout 20 ip netns exec $ns "$inject" -i htswv0 -n 1000 2>&1); rc=$?
[ $rc = 0 ] && echo "$out" | grep -q '^sent 1000 frames'
ok $? "inject -n 1000 into a veth: sends them, exit 0 ($rc)"

# the harness with an injector that fails as the real one does now
cat >"$work/inject-fails" <<'SH'
#!/bin/sh
echo "inject: rp0 took no frame for 2 s (sendmmsg: No buffer space available, 9 times): is its reader gone?" >&2
exit 1
SH
chmod +x "$work/inject-fails"
for p in 1 3; do
	out=$(timeout 300 "$top/test/bench/replay.sh" --quick -P $p -p hashtap-sw -m software \
		-I "$work/inject-fails" -o "$work/r$p" "$build" 2>&1)
	rc=$?
	[ $rc = 1 ] && grep -q '| FAILED | FAILED |' "$work/r$p/results.md" &&
		echo "$out" | grep -q "the injector failed (1): inject: rp0 took no frame" &&
		/usr/bin/python3 -c 'import json, sys
r = json.load(open(sys.argv[1]))
sys.exit(0 if r and all(c["mpps"] is None for c in r) else 1)' "$work/r$p/results.json"
	ok $? "replay.sh --quick, path $p, the injector failing: the cell reads FAILED (mpps null), exit 1 ($rc)"
	grep '^|' "$work/r$p/results.md" | tail -1 | sed 's/^/# /'
done
echo "1..$n"
[ $failed = 0 ]
