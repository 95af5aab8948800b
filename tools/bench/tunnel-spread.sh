#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 hashtap authors
#
# The tunnel-spread benchmark (issue 16; not a test: counts, no timing
# judged): how the inner flows of tunnelled traffic spread over rx queues
# with the outer-header hash and with the inner-header hash
# (VIRTIO_NET_F_HASH_TUNNEL, docs/tunnel-hash.md).
#
#   tools/bench/tunnel-spread.sh [options] BUILD_DIR
#     -o DIR       results folder (default bench-results/spread-<date>-<pid>):
#                  spread.md, spread.json, spread.png, model.jsonl, replay-qN/
#     -f FLOWS     inner flows a trace (default 1000)
#     -F OUTER     outer flows a trace (default 1)
#     -n FRAMES    frames a trace (default 20000)
#     -q QUEUES    queue counts, space-separated (default "4 8")
#     -d SECONDS   per replay cell (default 3)
#     -p PMDS      replay.sh path-1 PMDs to measure (default "hashtap-sw
#                  hashtap-sw-inner"; hashtap-sw-inner is n/a where the PMD
#                  does not offer RTE_ETH_RSS_LEVEL_INNERMOST; in the patched
#                  guest add hashtap-kernel-rss hashtap-kernel-rss-inner)
#     -M           the model only (no root, no replay)
#     -h, --help   this text
#
# Traces (tracegen -e, -m mixed: inner TCP/UDP over IPv4/IPv6): vxlan,
#   vxlan with a UDP source port per inner flow (-E, what Linux's vxlan
#   sends), geneve, gre (GRE_2784), gre-key (GRE_2890), gre over IPv6
#   (GRE_7676), nvgre, gre-udp, vxlan-gpe, ipip; all over IPv4 but the one.
# Sources of the numbers, side by side:
#   model     every frame through lib/vnet_hash (tunnel-spread): Toeplitz
#             with the Microsoft key, all hash types, and a 128-entry RSS
#             table round-robin over the queues; outer = no tunnel type
#             enabled, inner = every type enabled
#   PMD       replay.sh path 1 -Q N (inject into the tap, replay-rx on
#             net_hashtap): "RSS table" = the queue the port's table gives
#             each frame's hash (reta_q); "rx queue" = the queue the frame
#             arrived on (rxq): on a kernel without the hash feature not
#             the RSS table but net_hashtap's steering program (the outer
#             header; drivers/net/hashtap/README.md, "Steering"), or with
#             RSS level INNERMOST tun's own flow steering
# For each: queues used of N, largest and smallest share of the frames.
#
# Exit status: 0 done; 1 a replay cell FAILED or a tool failed; 2 bad usage.
# Environment: none of its own; PATH: gnuplot (no plot without it, said),
#   python3; what replay.sh needs.
set -uo pipefail

usage() { awk 'NR < 4 { next } !/^#/ { exit } { sub(/^# ?/, ""); print }' "$0"; }
out='' flows=1000 outer=1 frames=20000 qs="4 8" secs=3 pmds="hashtap-sw hashtap-sw-inner" model_only=0
while [ $# -gt 0 ]; do
	case "$1" in
	-o) out=$2; shift 2 ;;
	-f) flows=$2; shift 2 ;;
	-F) outer=$2; shift 2 ;;
	-n) frames=$2; shift 2 ;;
	-q) qs=$2; shift 2 ;;
	-d) secs=$2; shift 2 ;;
	-p) pmds=$2; shift 2 ;;
	-M) model_only=1; shift ;;
	-h|--help) usage; exit 0 ;;
	-*) echo "tunnel-spread.sh: unknown option $1 (--help)" >&2; exit 2 ;;
	*) break ;;
	esac
done
for q in $qs; do
	[[ $q =~ ^[1-9][0-9]?$ ]] && [ "$q" -le 64 ] ||
		{ echo "tunnel-spread.sh: -q: queue counts 1..64, not \"$q\"" >&2; exit 2; }
done
[ -n "$qs" ] || { echo "tunnel-spread.sh: -q: no queue count" >&2; exit 2; }
build=${1:?usage: tunnel-spread.sh [options] BUILD_DIR (--help)}
build=$(cd "$build" && pwd) || exit 2
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
bin=$build/tools/bench
for b in "$bin/tracegen" "$bin/tunnel-spread"; do
	[ -x "$b" ] || { echo "tunnel-spread.sh: $b missing: ./hashtap build" >&2; exit 1; }
done
out=${out:-$top/bench-results/spread-$(date -u +%Y%m%d-%H%M%S)-$$}
mkdir -p "$out/traces" || exit 1
out=$(cd "$out" && pwd)
rc=0

# name: tracegen -e arguments (tracegen refuses bad -f/-F/-n: exit 2 here)
traces=(
	"vxlan:-e vxlan"
	"vxlan-E:-e vxlan -E"
	"geneve:-e geneve"
	"gre:-e gre"
	"gre-key:-e gre-key"
	"gre6:-e gre -O ipv6"
	"nvgre:-e nvgre"
	"gre-udp:-e gre-udp"
	"vxlan-gpe:-e vxlan-gpe"
	"ipip:-e ipip"
)
pcaps=()
for t in "${traces[@]}"; do
	name=${t%%:*}
	# shellcheck disable=SC2086
	"$bin/tracegen" -o "$out/traces/$name.pcap" ${t#*:} -F "$outer" -f "$flows" -n "$frames" \
		-m mixed -S 16 >>"$out/traces/tracegen.log" 2>&1 ||
		{ tail -1 "$out/traces/tracegen.log" >&2; exit 2; }
	pcaps+=("$out/traces/$name.pcap")
done

# the model
"$bin/tunnel-spread" -q "$(echo $qs | tr ' ' ,)" "${pcaps[@]}" >"$out/model.jsonl" ||
	{ echo "tunnel-spread.sh: tunnel-spread failed" >&2; exit 1; }

# net_hashtap on this machine, path 1 of replay.sh with N queues
if [ $model_only = 0 ]; then
	targs=()
	for p in "${pcaps[@]}"; do targs+=(-t "$p"); done
	for q in $qs; do
		"$top/tools/bench/replay.sh" -P 1 -T "${targs[@]}" -p "$pmds" -Q "$q" -d "$secs" \
			-o "$out/replay-q$q" "$build" >"$out/replay-q$q.log" 2>&1 ||
			{ rc=1; echo "tunnel-spread.sh: replay.sh -Q $q: a cell FAILED (replay-q$q/results.md)" >&2; }
	done
fi

# the table, the JSON and the plot
ncols=$(/usr/bin/python3 - "$out" "$qs" "$pmds" "$model_only" "$flows" "$outer" "$frames" <<'PY'

import glob, json, os, sys
out, qs, pmds, model_only = sys.argv[1], [int(q) for q in sys.argv[2].split()], sys.argv[3].split(), sys.argv[4] == "1"
if model_only:
    pmds = []
bits = ["gre_2784", "gre_2890", "gre_7676", "gre_udp", "vxlan", "vxlan_gpe", "geneve", "ipip", "nvgre"]
def mask_names(m):
    return "+".join(b for i, b in enumerate(bits) if int(m, 16) >> i & 1) or "none"
flows, outer, frames = sys.argv[5:8]
names = {"vxlan": "VXLAN", "vxlan-E": "VXLAN, source port per inner flow", "geneve": "GENEVE",
         "gre": "GRE (GRE_2784)", "gre-key": "GRE with key (GRE_2890)", "gre6": "GRE over IPv6 (GRE_7676)",
         "nvgre": "NVGRE", "gre-udp": "GRE-in-UDP", "vxlan-gpe": "VXLAN-GPE", "ipip": "IPIP"}
order = list(names)
model = {}
for line in open(f"{out}/model.jsonl"):
    c = json.loads(line)
    model[(c["trace"], c["mode"], c["queues"])] = c
replay = {}
for q in qs:
    f = f"{out}/replay-q{q}/results.json"
    if os.path.exists(f):
        for c in json.load(open(f)):
            replay[(c["trace"], c["pmd"], q)] = c

def spread(v):
    if not v or not sum(v):
        return None
    n = sum(v)
    return {"used": sum(1 for x in v if x), "max_share": max(v) / n, "min_share": min(v) / n}

def text(s, q):
    return f"{s['used']}/{q}, {s['max_share']:.0%}/{s['min_share']:.0%}" if s else "n/a"

rows = []
for t in order:
    for q in qs:
        m_o, m_i = model.get((t, "outer", q)), model.get((t, "inner", q))
        if m_o is None:
            continue
        r = {"trace": t, "queues": q, "match": m_o["match"],
             "model_outer": spread(m_o["per_queue"]), "model_inner": spread(m_i["per_queue"]),
             "model_inner_hashed": m_i["inner_hashed"], "frames": m_o["frames"], "pmd": {}}
        for p in pmds:
            c = replay.get((t, p, q))
            if c is None:
                continue
            r["pmd"][p] = {"status": c["status"], "why": c["why"], "hash_bad": c["hash_bad"],
                           "reta_q": c.get("reta_q"), "rxq": c.get("rxq"),
                           "rss_table": spread(c.get("reta_q")), "rx_queue": spread(c.get("rxq"))}
        rows.append(r)
json.dump(rows, open(f"{out}/spread.json", "w"), indent=1)

with open(f"{out}/spread.md", "w") as f:
    f.write("# Spread of inner flows over rx queues: outer vs inner hash\n\n")
    f.write(f"{frames} frames a trace, {flows} inner flows (TCP/UDP over IPv4/IPv6) in {outer} outer "
            f"flow(s), over IPv4 unless said. Each cell: queues used / queues, largest / smallest "
            f"share of the frames (the even share is 1/N).\n\n")
    f.write("- model: lib/vnet_hash on every frame (Microsoft key, all hash types), 128-entry RSS "
            "table round-robin over the queues; outer = no tunnel type enabled, inner = all\n")
    if not model_only:
        f.write("- PMD, RSS table: net_hashtap (replay.sh path 1), the queue the port's RSS table "
                "gives each received frame's hash; `-inner`: RTE_ETH_RSS_LEVEL_INNERMOST (n/a: the "
                "PMD does not offer it)\n")
        f.write("- tap steering: the rx queue the frame arrived on; without the kernel's hash "
                "feature net_hashtap's steering program chooses it (the outer header), or with RSS "
                "level INNERMOST the tap's own flow steering (its flow dissector looks into GRE "
                "and IPIP, not into UDP tunnels)\n")
    for q in qs:
        f.write(f"\n## {q} queues\n\n")
        head = ["tunnel", "lib's match", "model outer", "model inner"]
        for p in pmds:
            head.append(f"{p}: RSS table")
        if not model_only and pmds:
            head.append(f"{pmds[0]}: tap steering")
        f.write("| " + " | ".join(head) + " |\n|" + "---|" * len(head) + "\n")
        for r in rows:
            if r["queues"] != q:
                continue
            cells = [names[r["trace"]], ", ".join(f"{mask_names(m)} ({n})" if len(r["match"]) > 1
                                                  else mask_names(m) for m, n in r["match"].items()),
                     text(r["model_outer"], q),
                     text(r["model_inner"], q)]
            for p in pmds:
                c = r["pmd"].get(p)
                cells.append("—" if c is None else text(c["rss_table"], q) if c["status"] == "ok"
                             else c["status"])
            if not model_only and pmds:
                c = r["pmd"].get(pmds[0])
                cells.append("—" if c is None or c["status"] != "ok" else text(c["rx_queue"], q))
            f.write("| " + " | ".join(cells) + " |\n")
    na = {p: c["why"] for r in rows for p, c in r["pmd"].items() if c["status"] != "ok"}
    for p, why in sorted(na.items()):
        f.write(f"\n{p}: {why}\n")

# the plot's data: largest queue share per trace, one column a source that
# has a number (an n/a PMD has none)
pmds = [p for p in pmds if any(p in r["pmd"] and r["pmd"][p]["status"] == "ok" for r in rows)]
with open(f"{out}/.plot", "w") as f:
    steer = pmds[:1]	# where the tap's own steering put the first PMD's frames
    cols = ["model outer", "model inner"] + [f"{p} RSS table" for p in pmds] + \
        [f"{p} rx queue (tap steering)" for p in steer]
    for q in qs:
        f.write(f"# {q} queues\n\"tunnel\" " + " ".join(f'"{c}"' for c in cols) + "\n")
        for r in rows:
            if r["queues"] != q:
                continue
            v = [r["model_outer"]["max_share"], r["model_inner"]["max_share"]]
            for p in pmds:
                c = r["pmd"].get(p)
                v.append(c["rss_table"]["max_share"] if c and c["status"] == "ok" and c["rss_table"] else "NaN")
            for p in steer:
                c = r["pmd"].get(p)
                v.append(c["rx_queue"]["max_share"] if c and c["status"] == "ok" and c["rx_queue"] else "NaN")
            f.write(f"\"{r['trace']}\" " + " ".join(str(x) for x in v) + "\n")
        f.write("\n\n")
print(len(cols))
PY
)
[ -n "$ncols" ] || { echo "tunnel-spread.sh: the tables could not be made" >&2; exit 1; }
if command -v gnuplot >/dev/null; then
	{
		echo "set terminal png size 1200,$((380 * $(echo $qs | wc -w))) noenhanced"
		echo "set output \"$out/spread.png\""
		echo "set multiplot layout $(echo $qs | wc -w),1"
		echo 'set style data histogram; set style histogram clustered gap 1; set style fill solid 0.7'
		echo 'set yrange [0:1.05]; set ylabel "largest queue share"; set grid y; set key below horizontal'
		echo 'set xtics rotate by -25 font ",9"'
		i=0
		for q in $qs; do
			echo "set title \"$q queues: largest share of one queue (even: $(awk -v q="$q" 'BEGIN { printf "%.3f", 1 / q }')), $flows inner flows in $outer outer ($(uname -r), $(date -u +%F))\""
			echo "plot for [c=2:$((ncols + 1))] \"$out/.plot\" index $i using c:xtic(1) title columnheader(c), $(awk -v q="$q" 'BEGIN { print 1 / q }') with lines dt 2 lc rgb \"black\" title \"1/$q\""
			i=$((i + 1))
		done
		echo 'unset multiplot'
	} | gnuplot || { echo "tunnel-spread.sh: gnuplot failed" >&2; rc=1; }
else
	echo "tunnel-spread.sh: no gnuplot, no plot" >&2
fi
rm -f "$out/.plot"
cat "$out/spread.md"
echo "tunnel-spread.sh: results in $out (spread.md, spread.json$([ -s "$out/spread.png" ] && echo ', spread.png'), model.jsonl$([ $model_only = 0 ] && echo ', replay-q*/'))"
exit $rc
