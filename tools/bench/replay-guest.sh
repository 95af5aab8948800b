#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 hashtap authors
#
# The replay suite in the test kernels (TCG: ratios only):
#   1. path 1 with net_hashtap in the unpatched kernel (software hash) and in
#      the patched one with hashing off (software hash), reporting
#      (hash=kernel, one queue) and RSS (hash=kernel, two queues): one table
#      of Mpps and PMD cycles/packet as ratios to the unpatched kernel;
#   2. the whole suite (every path and PMD) in the patched kernel.
#
#   tools/bench/replay-guest.sh [-o DIR] [-d SECONDS] BUILD_DIR
set -uo pipefail
out=
secs=5
while getopts o:d: opt; do
	case $opt in o) out=$OPTARG ;; d) secs=$OPTARG ;; *) sed -n '4,12s/^# \{0,1\}//p' "$0"; exit 2 ;; esac
done
shift $((OPTIND - 1))
build=${1:?usage: replay-guest.sh [-o DIR] [-d SECONDS] BUILD_DIR}
build=$(cd "$build" && pwd)
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
out=${out:-$top/bench-results/guest-$(date -u +%Y%m%d-%H%M%S)}
mkdir -p "$out/traces" && out=$(cd "$out" && pwd)
vm=("$top/tools/vm-run" --smp 2 --mem 3072 --timeout 1800 --keep "$out")
replay=("$top/tools/bench/replay.sh" -d "$secs")

# smaller traces than on the host: the guest is emulated
"$build/tools/bench/tracegen" -o "$out/traces/64-udp4-1k.pcap" -n 50000 -f 1024 -s 64 -m ipv4-udp -S 1
"$build/tools/bench/tracegen" -o "$out/traces/imix-mixed-10k.pcap" -n 50000 -f 10000 -s imix -m mixed -S 2
t=(-T -t "$out/traces/64-udp4-1k.pcap" -t "$out/traces/imix-mixed-10k.pcap")

# the guest's files do not come back: results.md and results.json come
# through its output, the plots are drawn here
guest() {	# name, command...
	local name=$1 log
	shift
	log=$out/$name.log
	mkdir -p "$out/$name"
	"$@" >"$log" 2>&1
	sed -n '/^--- results.json$/,/^--- results.json$/{/^--- /d;p}' "$log" >"$out/$name/results.json"
	sed -n '/^# Replay benchmark$/,/^--- results.json$/{/^--- /d;p}' "$log" >"$out/$name/results.md"
	"$top/tools/bench/replay.sh" --plot "$out/$name"
	tail -3 "$out/$name/results.md"
}
guest unpatched "${vm[@]}" --unpatched -- "${replay[@]}" --print -P 1 -p hashtap-sw "${t[@]}" \
	-o /tmp/r "$build"
guest patched "${vm[@]}" -- "${replay[@]}" --print -P 1 -p "hashtap-sw hashtap-kernel hashtap-kernel-rss" \
	"${t[@]}" -o /tmp/r "$build"
guest patched-all "${vm[@]}" -- "${replay[@]}" --print \
	-p "hashtap-kernel hashtap-sw hashtap-off tap af_packet af_xdp" -m "kernel software off" \
	"${t[@]}" -o /tmp/r "$build"

/usr/bin/python3 - "$out" <<'PY' >"$out/kernels.md"
import json, sys
out = sys.argv[1]
def load(d):
    try:
        return json.load(open(f"{out}/{d}/results.json"))
    except Exception:
        return []
u = {(r["trace"]): r for r in load("unpatched") if r["path"] == 1}
p = {(r["trace"], r["pmd"]): r for r in load("patched") if r["path"] == 1}
cols = [("patched, hashing off", "hashtap-sw"), ("patched, report", "hashtap-kernel"),
        ("patched, RSS (2 queues)", "hashtap-kernel-rss")]
print("# Kernels compared: path 1 (inject -> tap -> net_hashtap -> replay-rx), test kernels under TCG")
print()
print("Ratios to the unpatched kernel (software hash) of the same run; absolute rates are emulated.")
print()
print("| trace | unpatched Mpps (cycles/pkt) | " + " | ".join(c[0] for c in cols) + " |")
print("|---|---|" + "---|" * len(cols))
for trace, r in sorted(u.items()):
    row = [f"{r['mpps']} ({r['cycles_per_packet']})"]
    if not r["mpps"]:
        print(f"| {trace} | n/a |")
        continue
    for _, pmd in cols:
        q = p.get((trace, pmd))
        if q is None or not q["mpps"] or not r["mpps"] or not r["cycles_per_packet"]:
            row.append("n/a")
        else:
            row.append(f"{q['mpps'] / r['mpps']:.3f} Mpps, {q['cycles_per_packet'] / r['cycles_per_packet']:.3f} cycles"
                       f" (hashes bad: {q['hash_bad']})")
    print(f"| {trace} | " + " | ".join(row) + " |")
PY
cat "$out/kernels.md"
echo
cat "$out/patched-all/results.md"
