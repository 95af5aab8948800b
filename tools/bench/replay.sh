#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 hashtap authors
#
# The pcap-replay benchmark suite (not a test, except --quick): the same
# traces through three paths, for several PMDs, side by side in one run.
#
#   tools/bench/replay.sh [options] BUILD_DIR
#     BUILD_DIR    a build tree of this checkout (./hashtap build: build/release)
#     -o DIR       results folder (default bench-results/<date>-<pid> at the
#                  top of the checkout): results.md, results.json, one PNG
#                  per path
#     -d SECONDS   per cell (default 5)
#     -p PMDS      path 1 PMDs (default: hashtap-uring hashtap-syscall
#                  hashtap-off tap af_packet af_xdp), any of:
#                    hashtap-uring    net_hashtap, hash=software, io=uring
#                    hashtap-syscall  net_hashtap, hash=software, io=syscall
#                    hashtap-sw       net_hashtap, hash=software, io=auto
#                    hashtap-off      net_hashtap, hash=off, io=auto
#                    hashtap-kernel   net_hashtap, hash=kernel, one queue
#                                     (the kernel reports)
#                    hashtap-kernel-rss  the same on two queues (it steers too)
#                    hashtap-sw-inner  hashtap-sw with inner-header RSS
#                                     (RTE_ETH_RSS_LEVEL_INNERMOST,
#                                     docs/tunnel-hash.md)
#                    hashtap-kernel-rss-inner  hashtap-kernel-rss, inner
#                    tap af_packet af_xdp   net_tap; net_af_packet and
#                                     net_af_xdp on a veth
#     -m MODES     paths 2 and 3: net_hashtap's modes, each row named as the
#                  path-1 PMD it is: software (hashtap-uring), software-syscall
#                  (hashtap-syscall), off (hashtap-off), kernel (hashtap-kernel)
#                  (default: software software-syscall off)
#     -Q QUEUES    path 1: rx queues of every PMD, 1..64 (default 1;
#                  hashtap-kernel-rss*: 2); results.json has rxq (frames per
#                  rx queue) and reta_q (frames per queue the port's RSS
#                  table gives their hash: where RSS puts them), results.md
#                  a queue-spread table when there is more than one
#     -t PCAP      replay this trace too (repeatable); any Ethernet pcap
#     -T           only the -t traces, no generated ones
#     -P PATHS     which paths: 1 2 3 (default all)
#     --print      also print results.json between "--- results.json" lines
#                  (from a guest, whose files do not come back)
#     --plot DIR   only redraw DIR's PNGs from its results.json
#     -q, --quick  a tiny generated trace, 1 s a cell: checks the harness end
#                  to end (every cell received traffic, every hash checked
#                  right, every output written); exit 1 otherwise.  No timing
#                  is judged.
#     -I INJECT    the injector (default BUILD_DIR/tools/bench/inject; for
#                  testing the harness)
#     -R RECEIVER  path 1's receiver (default BUILD_DIR/tools/bench/replay-rx;
#                  for testing the harness)
#     -h, --help   this text
#
# Cells: a rate when the cell ran and passed its checks.  FAILED (Mpps and
#   Gbit/s; null in results.json, "status": "FAILED", "why" says why) when
#   anything in it went wrong: its namespace, veth or tap could not be made,
#   the receiver, testpmd or the switch did not start (the receiver: not
#   ready in 60 s), ended badly or gave no result, the injector failed (e.g.
#   the interface took no frame for 2 s), nothing arrived, a hash was wrong
#   or (net_hashtap hashing) missing.  n/a ("status": "n/a") only where the
#   kernel refuses the PMD (af_xdp; hashtap-kernel* without the kernel
#   feature), for *-inner where the PMD does not offer
#   RTE_ETH_RSS_LEVEL_INNERMOST (replay-rx exit 3: detected, not assumed;
#   any other failure of an -inner cell is FAILED) and, path 2, for traces
#   over 250 000 frames.
# Hashes (path 1): checked / wrong / missing; "missing" is n/a (null) for
#   PMDs that never give a hash (hashtap-off, tap, af_packet, af_xdp).
#   Paths 2 and 3 check no hash: n/a.
#
# Exit status: 0 every cell passed (or is n/a); 1 a cell FAILED, or with
#   --quick an output is missing; 2 bad usage (an unknown option, PMD, mode
#   or path, a -t trace that cannot be read, no trace).  --plot: 0, or 1
#   when results.json cannot be read.
#
# Environment: no variable of its own.  TMPDIR: where its work files go;
#   PATH: dpdk-testpmd, gnuplot (without it: no PNG, said on stderr), ip,
#   ethtool, taskset, python3.
#
# Concurrent runs do not meet: every name carries the run's pid
# (namespaces rp-src-PID and rp-dst-PID, interfaces rptPID, rpvPID, rpuPID,
# EAL file prefixes rpPID and rpsPID, the default results folder); each
# DPDK process's /var/run/dpdk/PREFIX is removed once it ends.
#
# Paths:
#   1  kernel -> tap -> PMD: tools/bench/inject (AF_PACKET sendmmsg, top
#      speed) replays the trace (looped) from a namespace into the port's
#      kernel side for SECONDS;
#      replay-rx counts, checks every hash against lib/vnet_hash, measures
#      Mpps, Gbit/s and PMD cycles/packet; drops = the kernel's tx_dropped
#      on that interface + the port's imissed.
#   2  DPDK -> PMD -> kernel: testpmd io from net_pcap (rx_pcap, infinite_rx)
#      out through the port; the kernel side counts what arrived.
#   3  end to end through hashtap-switch: inject from the "VM" namespace
#      (the trace's destination MAC rewritten to the uplink's far end),
#      net_hashtap -> switch -> net_af_packet uplink -> veth; the far end's
#      kernel counts.
#
# Runs as root; 2 cores: DPDK on core 1, the injector on core 0.  Host and
# guest (tools/vm-run) alike; tables say machine, kernel, CPU and date.
# See tools/bench/README.md.
set -uo pipefail

# PNG plots (gnuplot): Mpps per trace and PMD, one a path, from DIR/results.json;
# the y axis starts at 0 (a bar's height is the rate, not the rate minus the lowest)
plot_dir() {
	local dir=$1 p
	/usr/bin/python3 -c 'import json, sys; json.load(open(sys.argv[1]))' "$dir/results.json" ||
		{ echo "replay: $dir/results.json: cannot read it" >&2; return 1; }
	command -v gnuplot >/dev/null || { echo "replay: no gnuplot, no plots" >&2; return 0; }
	for p in 1 2 3; do
		/usr/bin/python3 - "$dir/results.json" "$p" >"$dir/.p$p.plot" <<'PY' || continue
import json, sys
# a cell without a rate is there too, at 0, its label saying why
for r in json.load(open(sys.argv[1])):
    if r["path"] == int(sys.argv[2]):
        label = f"{r['trace']}/{r['pmd']}"
        if r["mpps"] is None:
            label += f"({r.get('status') or 'FAILED'})"
        print(f"\"{label}\" {r['mpps'] or 0}")
PY
		[ -s "$dir/.p$p.plot" ] || { rm -f "$dir/.p$p.plot"; continue; }
		gnuplot <<EOF
set terminal png size 1000,500 noenhanced
set output "$dir/path$p.png"
set title "Path $p: Mpps per trace and PMD ($(uname -r), $(date -u +%F))"
set style fill solid 0.6
set boxwidth 0.7
set xtics rotate by -35 font ",8"
set ylabel "Mpps"
set yrange [0:*]
set grid y
plot "$dir/.p$p.plot" using 0:2:xtic(1) with boxes notitle
EOF
		rm -f "$dir/.p$p.plot"
	done
}

secs=5
out=
pmds="hashtap-uring hashtap-syscall hashtap-off tap af_packet af_xdp"
queues=
modes="software software-syscall off"
paths="1 2 3"
user_traces=()
only_user=0
quick=0
print=0
inject=
receiver=
while [ $# -gt 0 ]; do
	case "$1" in
	-o) out=$2; shift 2 ;;
	-d) secs=$2; shift 2 ;;
	-p) pmds=$2; shift 2 ;;
	-m) modes=$2; shift 2 ;;
	-Q) queues=$2; shift 2 ;;
	-t) user_traces+=("$2"); shift 2 ;;
	-T) only_user=1; shift ;;
	-P) paths=$2; shift 2 ;;
	-q|--quick) quick=1; shift ;;
	-I) inject=$2; shift 2 ;;
	-R) receiver=$2; shift 2 ;;
	--plot) plot_dir "$2"; exit $? ;;
	--print) print=1; shift ;;
	-h|--help) awk 'NR < 4 { next } !/^#/ { exit } { sub(/^# ?/, ""); print }' "$0"; exit 0 ;;
	-*) echo "replay.sh: unknown option $1 (--help)" >&2; exit 2 ;;
	*) break ;;
	esac
done
# the names are checked before anything is made: a typo is an error, not a
# cell that silently reads n/a
for x in $pmds; do
	case $x in
	hashtap-uring|hashtap-syscall|hashtap-sw|hashtap-off|hashtap-kernel|hashtap-kernel-rss) ;;
	hashtap-sw-inner|hashtap-kernel-rss-inner) ;;
	tap|af_packet|af_xdp) ;;
	*) echo "replay.sh: -p: unknown PMD \"$x\" (--help lists them)" >&2; exit 2 ;;
	esac
done
for x in $modes; do
	case $x in
	software|software-syscall|off|kernel) ;;
	*) echo "replay.sh: -m: unknown mode \"$x\" (software, software-syscall, off, kernel)" >&2; exit 2 ;;
	esac
done
for x in $paths; do
	case $x in
	1|2|3) ;;
	*) echo "replay.sh: -P: unknown path \"$x\" (1, 2, 3)" >&2; exit 2 ;;
	esac
done
[[ $secs =~ ^[0-9]+(\.[0-9]+)?$ ]] || { echo "replay.sh: -d: seconds, not \"$secs\"" >&2; exit 2; }
[ -z "$queues" ] || { [[ $queues =~ ^[1-9][0-9]?$ ]] && [ "$queues" -le 64 ]; } ||
	{ echo "replay.sh: -Q: rx queues 1..64, not \"$queues\"" >&2; exit 2; }
build=${1:?usage: replay.sh [options] BUILD_DIR (--help)}
build=$(cd "$build" && pwd)
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
bin=$build/tools/bench
inject=${inject:-$bin/inject}
receiver=${receiver:-$bin/replay-rx}
sw=$build/app/hashtap-switch/hashtap-switch
[ $quick = 1 ] && secs=1
out=${out:-$top/bench-results/$(date -u +%Y%m%d-%H%M%S)-$$}
mkdir -p "$out" || exit 1
out=$(cd "$out" && pwd)
work=$(mktemp -d)
# shellcheck source=../lib/testpmd.sh
. "$top/tools/lib/testpmd.sh"
# shellcheck source=../lib/netns.sh
. "$top/tools/lib/netns.sh"
# names of this run's own: concurrent runs never meet
ns_src=rp-src-$$ ns_dst=rp-dst-$$	# namespaces
tap_if=rpt$$ veth_if=rpv$$ up_if=rpu$$	# made in this namespace
kif=rp0				# the kernel side's interface in $ns_src/$ns_dst
failures=0
fail() { echo "replay: FAIL $*" >&2; failures=$((failures + 1)); }

cleanup() {	# after each cell
	if [ -n "${tp_pid:-}" ]; then
		kill "$tp_pid" 2>/dev/null
		wait "$tp_pid" 2>/dev/null
		tp_pid=
	fi
	[ -n "${rx_pid:-}" ] && kill "$rx_pid" 2>/dev/null
	[ -n "${sw_pid:-}" ] && kill "$sw_pid" 2>/dev/null
	wait 2>/dev/null
	# EAL leaves its runtime directory behind, even with --no-shconf
	rm -rf "/var/run/dpdk/rp$$" "/var/run/dpdk/rps$$"
	ns_cleanup
}
ns_trap 'cleanup; tp_cleanup; rm -rf "$work"'
tp_stage "$build" || exit 1

for b in "$bin/tracegen" "$inject" "$receiver" "$sw"; do
	[ -x "$b" ] || { echo "replay.sh: $b missing: ./hashtap build" >&2; exit 1; }
done

nframes() { "$build/app/vnet-hash/vnet-hash" "$1" | wc -l; }

# ------------------------------------------------------------ traces
traces=()
gen() {	# name, tracegen args
	local name=$1
	shift
	"$bin/tracegen" -o "$work/$name.pcap" "$@" >/dev/null || exit 1
	traces+=("$work/$name.pcap")
}
if [ $only_user = 1 ]; then
	:
elif [ $quick = 1 ]; then
	gen quick-mixed -n 2000 -f 64 -s imix -m mixed -S 7
else
	gen 64-udp4-1k -n 200000 -f 1024 -s 64 -m ipv4-udp -S 1
	gen imix-mixed-10k -n 200000 -f 10000 -s imix -m mixed -S 2
	gen 64-tcp6ext-vlan-1k -n 200000 -f 1024 -s 64 -m ipv6-tcp -x -v -S 3
	gen 64-udp4-1m -n 1000000 -f 1000000 -s 64 -m ipv4-udp -S 4
	# tunnels: one outer flow, 1024 inner ones (docs/tunnel-hash.md)
	gen vxlan4-tcp4-1k -n 200000 -f 1024 -s 64 -m ipv4-tcp -e vxlan -S 5
	gen geneve6-mixed-1k -n 200000 -f 1024 -s imix -m mixed -e geneve -O ipv6 -S 6
	gen gre4-udp4-1k -n 200000 -f 1024 -s 64 -m ipv4-udp -e gre -S 7
fi
for t in "${user_traces[@]}"; do
	[ -r "$t" ] || { echo "replay.sh: cannot read $t" >&2; exit 2; }
	traces+=("$(cd "$(dirname "$t")" && pwd)/$(basename "$t")")
done
[ ${#traces[@]} -gt 0 ] || { echo "replay.sh: no trace" >&2; exit 2; }

# ------------------------------------------------------------ helpers
json="$out/results.json"
echo "[" >"$json"
first=1
jnum() { [[ ${1:-} =~ ^[0-9]+(\.[0-9]+)?$ ]] && echo "$1" || echo null; }
jstr() {	# a JSON string (control characters dropped)
	local s
	s=$(printf '%s' "$1" | tr -d '\000-\037')
	s=${s//\\/\\\\}
	printf '"%s"' "${s//\"/\\\"}"
}
# one cell, in results.json and its path's table:
#   record PATH TRACE PMD STATUS MPPS GBPS CYCLES CHECKED BAD MISSING DROPS INJECTED
# STATUS: ok, "FAILED: why" (counted as a failure; Mpps and Gbit/s read
# FAILED) or "n/a: why"; a number that is not one reads "n/a" (null)
record() {
	set -- "$@" "" "" "" "" "" "" "" ""	# the numbers a failed cell has not
	local p=$1 t pmd=$3 st=$4 mpps=$5 gbps=$6 why='' hashes x
	t=$(basename "$2" .pcap)
	case $st in
	FAILED*) why=${st#FAILED: }; st=FAILED; mpps=FAILED; gbps=FAILED
		fail "path $p $pmd $t: $why" ;;
	n/a*) why=${st#n/a: }; st=n/a; mpps=n/a; gbps=n/a ;;
	*) st=ok ;;
	esac
	[ $first = 1 ] || echo "," >>"$json"
	first=0
	printf '{"path": %s, "trace": %s, "pmd": %s, "status": %s, "why": %s, "mpps": %s, "gbps": %s, "cycles_per_packet": %s, "hash_checked": %s, "hash_bad": %s, "hash_missing": %s, "drops": %s, "injected_mpps": %s' \
		"$p" "$(jstr "$t")" "$(jstr "$pmd")" "$(jstr "$st")" "$([ -n "$why" ] && jstr "$why" || echo null)" \
		"$(jnum "$mpps")" "$(jnum "$gbps")" "$(jnum "$7")" "$(jnum "$8")" "$(jnum "$9")" \
		"$(jnum "${10}")" "$(jnum "${11}")" "$(jnum "${12}")" >>"$json"
	# path 1: the queues, and the frames per queue (replay-rx's rxq, reta_q)
	local noq=', "queues": null, "rxq": null, "reta_q": null}'
	printf '%s' "${cell_queues:-$noq}" >>"$json"
	cell_queues=
	shift 3
	for x in mpps gbps; do [[ ${!x} =~ ^[0-9.]+$|FAILED ]] || printf -v "$x" n/a; done
	hashes="$(nv "$5") / $(nv "$6") / $(nv "$7")"
	[ "$hashes" = "n/a / n/a / n/a" ] && hashes=n/a
	echo "| $t | $pmd | $mpps | $gbps | $(nv "$4") | $hashes | $(nv "$8") | $(nv "$9") | $st${why:+: ${why//|//}} |" >>"$work/path$p.md"
}
nv() { [[ ${1:-} =~ ^[0-9]+(\.[0-9]+)?$ ]] && echo "$1" || echo n/a; }
jarr() {	# NAME FILE: '"NAME": [...]' (or null) from a receiver's JSON
	local v
	v=$(grep -o "\"$1\": \\(null\\|\\[[^]]*\\]\\)" "$2" 2>/dev/null | head -1)
	echo "${v:-\"$1\": null}"
}
jget() { sed -n "s/.*\"$1\": \\([0-9.]*\\).*/\\1/p" "$2"; }
kstat() { ip netns exec "$1" cat "/sys/class/net/$2/statistics/$3" 2>/dev/null || echo 0; }
vdev() {	# pmd, index, iface -> --vdev argument
	case $1 in
	hashtap-uring) echo "net_hashtap$2,iface=$3,hash=software,io=uring" ;;
	hashtap-syscall) echo "net_hashtap$2,iface=$3,hash=software,io=syscall" ;;
	hashtap-kernel|hashtap-kernel-rss*) echo "net_hashtap$2,iface=$3,hash=kernel" ;;
	hashtap-sw|hashtap-sw-inner) echo "net_hashtap$2,iface=$3,hash=software" ;;
	hashtap-off) echo "net_hashtap$2,iface=$3,hash=off" ;;
	tap) echo "net_tap$2,iface=$3" ;;
	af_packet) echo "net_af_packet$2,iface=$3" ;;
	af_xdp) echo "net_af_xdp$2,iface=$3" ;;
	esac
}
is_veth() { [ "$1" = af_packet ] || [ "$1" = af_xdp ]; }

# the port's kernel side ($kif in namespace $2): the tap the PMD made
# ($tap_if), or the peer (rp0) of a veth ($veth_if) for af_packet/af_xdp
kernel_side_before() {	# before the PMD starts: the namespace, and the veth
	ns_add "$2" || return 1
	kif=$tap_if
	if is_veth "$1"; then
		kif=rp0
		ns_veth "$veth_if" "" rp0 "$2" &&
			ip netns exec "$2" ethtool -K rp0 tx off tso off gso off >/dev/null
	fi
}
kernel_side_after() {	# after: move the PMD's tap in
	is_veth "$1" || ns_move "$tap_if" "$2"
}

# ------------------------------------------------------------ path 1
gives_hash() { case $1 in hashtap-off|tap|af_packet|af_xdp) return 1 ;; esac; }
# the kernel may refuse these (no AF_XDP, no hash feature): n/a, not FAILED
may_be_refused() { case $1 in af_xdp|hashtap-kernel*) return 0 ;; esac; return 1; }
rx_said() { grep -v '^EAL' "$work/rx.err" 2>/dev/null | tail -1; }

path1() {
	local trace=$1 pmd=$2 res=$work/rx.json iface=$tap_if nq=1 d0 d1 sent rc inj_rc why='' missing
	is_veth "$pmd" && iface=$veth_if
	case $pmd in *-rss|*-rss-inner) nq=2 ;; esac	# RSS: the kernel steers over 2 queues
	[ -n "$queues" ] && nq=$queues
	cell_queues=", \"queues\": $nq, \"rxq\": null, \"reta_q\": null}"	# until measured
	local level=()
	[ "${pmd%-inner}" != "$pmd" ] && level=(-L inner)	# detected by replay-rx: exit 3
	if ! kernel_side_before "$pmd" "$ns_src"; then
		record 1 "$trace" "$pmd" "FAILED: could not make namespace $ns_src or its veth"
		cleanup
		return 1
	fi
	rm -f "$work/rx.err" "$res"	# the last cell's says "ready" too
	taskset -c 1 "$receiver" -l 1 --no-huge -m 512 --no-pci --no-shconf --file-prefix "rp$$" \
		--vdev "$(vdev "$pmd" 0 "$iface")" -- -t $((secs + 30)) -q "$nq" "${level[@]}" -c -w 15 \
		>"$res" 2>"$work/rx.err" &
	rx_pid=$!
	# ready, or gone (a PMD the kernel refuses); a busy machine can take
	# more than 10 s to start it.  Before the go it never stops by itself.
	for _ in $(seq 1 600); do
		grep -q ready "$work/rx.err" 2>/dev/null && break
		kill -0 "$rx_pid" 2>/dev/null || break
		sleep 0.1
	done
	if ! grep -q ready "$work/rx.err" 2>/dev/null && kill -0 "$rx_pid" 2>/dev/null; then
		kill "$rx_pid"
		wait $rx_pid
		rx_pid=
		record 1 "$trace" "$pmd" "FAILED: replay-rx not ready after 60 s"
		cleanup
		return 1
	fi
	if ! grep -q ready "$work/rx.err" 2>/dev/null; then
		wait $rx_pid
		rc=$?
		rx_pid=
		if [ ${#level[@]} -gt 0 ] && [ "$rc" = 3 ]; then	# no RTE_ETH_RSS_LEVEL_INNERMOST
			record 1 "$trace" "$pmd" "n/a: $(rx_said)"
			echo "replay: path 1 $pmd: n/a: $(rx_said)" >&2
		elif may_be_refused "$pmd"; then
			record 1 "$trace" "$pmd" "n/a: $(rx_said)"
			echo "replay: path 1 $pmd: n/a: $(rx_said)" >&2
		else
			record 1 "$trace" "$pmd" "FAILED: the receiver ended before it was ready ($rc): $(rx_said)"
		fi
		cleanup
		return 2
	fi
	if ! kernel_side_after "$pmd" "$ns_src"; then
		record 1 "$trace" "$pmd" "FAILED: could not move the PMD's tap $tap_if into $ns_src"
		cleanup
		return 1
	fi
	sleep 0.3
	kill -USR1 "$rx_pid"		# go: count from now
	d0=$(kstat "$ns_src" "$kif" tx_dropped)
	ip netns exec "$ns_src" taskset -c 0 "$inject" -i "$kif" -r "$trace" -d "$secs" >"$work/inj" 2>&1
	inj_rc=$?
	sleep 0.2
	d1=$(kstat "$ns_src" "$kif" tx_dropped)
	kill -INT "$rx_pid"		# the receiver's window: first to last packet
	wait $rx_pid
	rc=$?
	rx_pid=
	if [ "$inj_rc" != 0 ]; then
		record 1 "$trace" "$pmd" "FAILED: the injector failed ($inj_rc): $(tail -1 "$work/inj")"
		cleanup
		return 1
	fi
	if [ "$rc" != 0 ] || [ -z "$(jget packets "$res")" ]; then
		record 1 "$trace" "$pmd" "FAILED: the receiver ended badly ($rc), no result: $(rx_said)"
		cleanup
		return 1
	fi
	sent=$(sed -n 's/.* \([0-9]*\) pps.*/\1/p' "$work/inj")
	missing=n/a
	gives_hash "$pmd" && missing=$(jget hash_missing "$res")
	[ "$(jget packets "$res")" -gt 0 ] 2>/dev/null || why="nothing received"
	[ "$(jget hash_bad "$res")" = 0 ] || why="${why:+$why; }$(jget hash_bad "$res") wrong hashes"
	if gives_hash "$pmd"; then	# ours must hash everything hashable
		[ "$missing" = 0 ] || why="${why:+$why; }$missing frames without a hash"
		[ "$(jget hash_checked "$res")" -gt 0 ] 2>/dev/null || why="${why:+$why; }no hash checked"
	fi
	cell_queues=", \"queues\": $nq, $(jarr rxq "$res"), $(jarr reta_q "$res")}"
	record 1 "$trace" "$pmd" "${why:+FAILED: $why}" "$(jget mpps "$res")" "$(jget gbps "$res")" \
		"$(jget cycles_per_packet "$res")" "$(jget hash_checked "$res")" "$(jget hash_bad "$res")" \
		"$missing" $((d1 - d0 + $(jget imissed "$res"))) \
		"$(awk -v p="${sent:-0}" 'BEGIN { printf "%.3f", p / 1e6 }')"
	cleanup
}

# ------------------------------------------------------------ path 2
# paths 2 and 3: the mode's PMD row name
mode_pmd() {
	case $1 in
	software) echo hashtap-uring ;;
	software-syscall) echo hashtap-syscall ;;
	*) echo "hashtap-$1" ;;
	esac
}

path2() {
	local trace=$1 mode=$2 pmd k0 k1 n rc why=''
	pmd=$(mode_pmd "$mode")
	n=$(nframes "$trace")
	if [ "$n" -gt 250000 ]; then
		record 2 "$trace" "$pmd" "n/a: over 250 000 frames (testpmd holds the trace in mbufs)"
		return 0
	fi
	if ! ns_add "$ns_dst"; then
		record 2 "$trace" "$pmd" "FAILED: could not make namespace $ns_dst"
		cleanup
		return 1
	fi
	kif=$tap_if
	if ! tp_start "$work/tp.out" -l 0-1 --no-huge -m 2048 --no-pci --no-shconf --file-prefix "rp$$" \
		-d "$tp_so" --vdev "net_pcap0,rx_pcap=$trace,infinite_rx=1" \
		--vdev "$(vdev "$pmd" 1 "$tap_if")" -- --total-num-mbufs=$((n + 16384)) --nb-cores=1 \
		--forward-mode=io; then
		record 2 "$trace" "$pmd" "FAILED: testpmd did not start: $(grep -v '^EAL' "$work/tp.out" | tail -1)"
		cleanup
		return 1
	fi
	if ! kernel_side_after "$pmd" "$ns_dst"; then
		record 2 "$trace" "$pmd" "FAILED: could not move the PMD's tap $tap_if into $ns_dst"
		cleanup
		return 1
	fi
	k0=$(kstat "$ns_dst" "$kif" rx_packets)
	tp_cmd start
	sleep "$secs"
	k1=$(kstat "$ns_dst" "$kif" rx_packets)
	tp_cmd stop
	tp_quit >/dev/null 2>&1
	rc=$?
	[ "$rc" = 0 ] || why="testpmd ended badly ($rc): $(tail -1 "$work/tp.out")"
	[ $((k1 - k0)) -gt 0 ] || why="${why:+$why; }the kernel got nothing"
	local bytes_per=$(( $(stat -c %s "$trace") / (n > 0 ? n : 1) ))
	record 2 "$trace" "$pmd" "${why:+FAILED: $why}" \
		"$(awk -v k=$((k1 - k0)) -v s="$secs" 'BEGIN { printf "%.3f", k / s / 1e6 }')" \
		"$(awk -v k=$((k1 - k0)) -v s="$secs" -v b="$bytes_per" 'BEGIN { printf "%.3f", k * b * 8 / s / 1e9 }')" \
		"" "" "" "" "$(kstat "$ns_dst" "$kif" rx_dropped)" ""
	cleanup
}

# ------------------------------------------------------------ path 3
path3() {
	local trace=$1 mode=$2 pmd k0 k1 sent inj_rc why=''
	pmd=$(mode_pmd "$mode")
	if ! ns_add "$ns_src" "$ns_dst" || ! ns_veth "$up_if" "" rpu1 "$ns_dst"; then
		record 3 "$trace" "$pmd" "FAILED: could not make namespaces $ns_src, $ns_dst or the uplink's veth"
		cleanup
		return 1
	fi
	kif=$tap_if
	cat >"$work/sw.ini" <<EOF
[switch]
status = 0
mbufs = 32768
[eal]
args = -l 0-1 --no-huge -m 1024 --no-pci --no-shconf --file-prefix rps$$
; trunks carrying every VLAN, untagged = VLAN 1: any trace crosses as it is
[port vm]
devargs = $(vdev "$pmd" 0 "$tap_if")
mode = trunk
vlans = 2-4094
native = 1
[port uplink]
devargs = net_af_packet0,iface=$up_if
mode = trunk
vlans = 2-4094
native = 1
EOF
	rm -f "$work/sw.log"	# the last cell's says "running" too
	"$sw" -c "$work/sw.ini" >"$work/sw.log" 2>&1 &
	sw_pid=$!
	for _ in $(seq 1 600); do
		grep -q running "$work/sw.log" 2>/dev/null && break
		kill -0 "$sw_pid" 2>/dev/null || break
		sleep 0.1
	done
	if ! grep -q running "$work/sw.log" 2>/dev/null; then
		record 3 "$trace" "$pmd" "FAILED: the switch did not start: $(grep -v '^EAL' "$work/sw.log" | tail -1)"
		cleanup
		return 1
	fi
	if ! kernel_side_after hashtap "$ns_src"; then
		record 3 "$trace" "$pmd" "FAILED: could not move the PMD's tap $tap_if into $ns_src"
		cleanup
		return 1
	fi
	# the uplink's far end says hello, so the switch knows where its MAC is
	ip netns exec "$ns_dst" "$bin/inject" -i rpu1 -n 1 -S 02:e0:00:00:00:02 -D ff:ff:ff:ff:ff:ff >/dev/null
	sleep 0.3
	k0=$(kstat "$ns_dst" rpu1 rx_packets)
	ip netns exec "$ns_src" taskset -c 0 "$inject" -i "$kif" -r "$trace" -d "$secs" \
		-S 02:e0:00:00:00:01 -D 02:e0:00:00:00:02 >"$work/inj" 2>&1
	inj_rc=$?
	sleep 0.5
	k1=$(kstat "$ns_dst" rpu1 rx_packets)
	sent=$(sed -n 's/.* \([0-9]*\) pps.*/\1/p' "$work/inj")
	kill -INT $sw_pid
	wait $sw_pid || why="the switch did not stop cleanly: $(tail -1 "$work/sw.log")"
	sw_pid=
	if [ "$inj_rc" != 0 ]; then
		record 3 "$trace" "$pmd" "FAILED: the injector failed ($inj_rc): $(tail -1 "$work/inj")"
		cleanup
		return 1
	fi
	[ $((k1 - k0)) -gt 0 ] || why="${why:+$why; }nothing crossed the switch"
	local bytes frames
	bytes=$(sed -n 's/.* frames, \([0-9]*\) bytes in \([0-9.]*\) s.*/\1 \2/p' "$work/inj")
	frames=$(sed -n 's/^sent \([0-9]*\) frames.*/\1/p' "$work/inj")
	record 3 "$trace" "$pmd" "${why:+FAILED: $why}" \
		"$(awk -v k=$((k1 - k0)) -v s="$secs" 'BEGIN { printf "%.3f", k / s / 1e6 }')" \
		"$(awk -v k=$((k1 - k0)) -v s="$secs" -v b="${bytes% *}" -v f="${frames:-1}" 'BEGIN { printf "%.3f", k * (b / (f ? f : 1)) * 8 / s / 1e9 }')" \
		"" "" "" "" $(( ${frames:-0} - (k1 - k0) > 0 ? ${frames:-0} - (k1 - k0) : 0 )) \
		"$(awk -v p="${sent:-0}" 'BEGIN { printf "%.3f", p / 1e6 }')"
	cleanup
}

# path 1 with more than one queue: how the frames spread, by the queue
# that received them (rxq) and by the queue the port's RSS table gives
# their hash (reta_q: where RSS puts them)
spread_table() {
	/usr/bin/python3 - "$1" <<'PY'
import json, sys
cells = [c for c in json.load(open(sys.argv[1]))
         if c["path"] == 1 and (c.get("queues") or 1) > 1]
def spread(v):
    if not v or not sum(v):
        return "n/a"
    n = sum(v)
    return f"{sum(1 for x in v if x)} of {len(v)}, max {max(v) / n:.1%}, min {min(v) / n:.1%}"
if cells:
    print()
    print("### Path 1: spread over the rx queues")
    print()
    print("rx queue: where the frames arrived (without the kernel feature the tap's own "
          "steering picks it); RSS table: the queue the port's table gives each frame's "
          "hash, where RSS puts it. Queues used, largest and smallest share of the frames.")
    print()
    print("| trace | PMD | queues | rx queue: used, max, min | RSS table: used, max, min | result |")
    print("|---|---|---|---|---|---|")
    for c in cells:
        print(f"| {c['trace']} | {c['pmd']} | {c['queues']} | {spread(c.get('rxq'))} | "
              f"{spread(c.get('reta_q'))} | {c['status']} |")
PY
}

# ------------------------------------------------------------ run
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')
for p in 1 2 3; do : >"$work/path$p.md"; done
for trace in "${traces[@]}"; do
	for p in $paths; do
		case $p in
		1) for pmd in $pmds; do path1 "$trace" "$pmd"; done ;;
		2) for m in $modes; do path2 "$trace" "$m"; done ;;
		3) for m in $modes; do path3 "$trace" "$m"; done ;;
		esac
	done
done
echo "]" >>"$json"

{
	echo "# Replay benchmark"
	echo
	echo "Machine: $(nproc) cores, $cpu; kernel $(uname -r); $(date -u '+%Y-%m-%d %H:%M UTC'); ${secs} s a cell."
	grep -q hypervisor /proc/cpuinfo && [ "$(uname -r)" = 6.12.117 ] &&
		echo "**Guest under TCG emulation: compare the rows with each other, never quote the rates.**"
	echo
	echo "Traces:"
	for t in "${traces[@]}"; do
		echo "- $(basename "$t" .pcap): $(nframes "$t") frames, $(stat -c %s "$t") bytes of pcap"
	done
	for p in $paths; do
		echo
		case $p in
		1) echo "## Path 1: kernel -> tap -> PMD (inject from a namespace, replay-rx)" ;;
		2) echo "## Path 2: DPDK -> PMD -> kernel (testpmd io from net_pcap; the kernel counts)" ;;
		3) echo "## Path 3: VM tap -> hashtap-switch -> uplink (net_af_packet on a veth; its far end counts)" ;;
		esac
		echo
		echo "| trace | PMD / hash | Mpps | Gbit/s | PMD cycles/pkt | hashes: checked / wrong / missing | drops | injected Mpps | result |"
		echo "|---|---|---|---|---|---|---|---|---|"
		cat "$work/path$p.md"
		if [ "$p" = 1 ]; then
			# what hashing costs the PMD: software minus off (hashtap-sw,
			# else hashtap-uring: the datapath io=auto takes here); the
			# kernel's hash costs the PMD nothing (it is computed in the kernel)
			echo
			awk -F'|' '{ gsub(/ /, "", $2); gsub(/ /, "", $3); gsub(/ /, "", $6) }
				$3 == "hashtap-sw" { sw[$2] = $6 } $3 == "hashtap-uring" && !($2 in sw) { sw[$2] = $6 }
				$3 == "hashtap-off" { off[$2] = $6 }
				END { for (t in sw) if (t in off && sw[t] ~ /^[0-9.]+$/ && off[t] ~ /^[0-9.]+$/)
					printf "- %s: hash cycles/packet in the PMD: software %.0f (sw - off), kernel 0\n",
						t, sw[t] - off[t] }' "$work/path1.md" | sort
			spread_table "$json"
		fi
	done
} >"$out/results.md"

plot_dir "$out"

echo "replay: results in $out (results.md, results.json$(ls "$out"/*.png >/dev/null 2>&1 && echo ', PNG plots'))"
if [ $quick = 1 ]; then
	for f in results.md results.json; do [ -s "$out/$f" ] || fail "$f not written"; done
	for p in $paths; do
		command -v gnuplot >/dev/null && { [ -s "$out/path$p.png" ] || fail "path$p.png not written"; }
		[ -s "$work/path$p.md" ] || fail "path $p: no result"
	done
	"$(command -v python3)" -c 'import json,sys; json.load(open(sys.argv[1]))' "$json" || fail "results.json is not JSON"
fi
cat "$out/results.md"
if [ $print = 1 ]; then
	echo "--- results.json"
	cat "$json"
	echo "--- results.json"
fi
[ $failures = 0 ]
