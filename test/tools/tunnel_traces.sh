#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 hashtap authors
#
# tracegen's encapsulated traces are what their names say, seen two ways
# that share no code with tracegen's builder:
# - tshark's dissectors: every frame of every type (over IPv4 and IPv6)
#   decodes down to the inner TCP/UDP through that tunnel's dissector, with
#   -f inner flows in -F outer flows;
# - lib/vnet_hash (tunnel-spread -m, vnet_hash_tunnel_match()): every frame
#   is the docs/tunnel-hash.md type, the mask written out by hand here from
#   its table (NVGRE is GRE_2890 or GRE_7676 too, GRE with a key over IPv4
#   GRE_2890, any GRE over IPv6 GRE_7676).
# And the benchmark's premise on the model: one outer flow puts every frame
# on one queue with the outer hash, the inner hash uses all four; a bad
# option is refused (exit 2, named) and writes nothing.  No timing.  TAP.
#   test/tools/tunnel_traces.sh BUILD_DIR
set -uo pipefail
build=$(cd "${1:?usage: tunnel_traces.sh BUILD_DIR}" && pwd)
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source=../lib/check.sh
. "$top/test/lib/check.sh"
tracegen=$build/tools/bench/tracegen
spread=$build/tools/bench/tunnel-spread
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

missing=
for b in "$tracegen" "$spread"; do [ -x "$b" ] || missing="$missing $b"; done
command -v tshark >/dev/null || missing="$missing tshark"
[ -z "$missing" ]
check $? "tracegen, tunnel-spread and tshark are there (missing:${missing:- none})"
[ -z "$missing" ] || { check_done; exit 1; }

tsh() {	# PCAP ARGS...: tshark's fields, one line a frame
	local f=$1
	shift
	tshark -n -r "$f" -T fields "$@" 2>/dev/null
}

# name outer-version: the mask (docs/tunnel-hash.md's bits: GRE_2784 0x1,
# GRE_2890 0x2, GRE_7676 0x4, GRE_UDP 0x8, VXLAN 0x10, VXLAN_GPE 0x20,
# GENEVE 0x40, IPIP 0x80, NVGRE 0x100) and tshark's protocol chain after
# the outer IP header
declare -A mask=(
	[vxlan-4]=0x10 [vxlan-6]=0x10 [geneve-4]=0x40 [geneve-6]=0x40
	[gre-4]=0x1 [gre-6]=0x4 [gre-key-4]=0x2 [gre-key-6]=0x4
	[nvgre-4]=0x102 [nvgre-6]=0x104 [gre-udp-4]=0x8 [gre-udp-6]=0x8
	[vxlan-gpe-4]=0x20 [vxlan-gpe-6]=0x20 [ipip-4]=0x80 [ipip-6]=0x80
)
declare -A chain=(
	[vxlan]='udp:vxlan:eth:ethertype:' [geneve]='udp:geneve:eth:ethertype:'
	[gre]='gre:' [gre-key]='gre:' [nvgre]='gre:eth:ethertype:' [gre-udp]='udp:gre:'
	[vxlan-gpe]='udp:' [ipip]=''
)
n=400 f=16
for e in vxlan geneve gre gre-key nvgre gre-udp vxlan-gpe ipip; do
	for v in 4 6; do
		pcap=$work/$e-$v.pcap
		out=$("$tracegen" -o "$pcap" -e "$e" -O "ipv$v" -n $n -f $f -m mixed -S 5 2>&1)
		rc=$?
		oip=$([ $v = 4 ] && echo ip || echo ipv6)
		re="^eth:ethertype:$oip:${chain[$e]}(ip|ipv6):(tcp|udp)(:data)?\$"
		bad=$(tsh "$pcap" -e frame.protocols | grep -cvE "$re")
		got=$(tsh "$pcap" -e frame.protocols | wc -l)
		# inner flows: the last IP addresses and ports of each frame (the
		# outer ones are the same in every frame here); outer: the first
		inner=$(tsh "$pcap" -E occurrence=l -e ip.src -e ipv6.src -e ip.dst -e ipv6.dst \
			-e tcp.srcport -e udp.srcport -e tcp.dstport -e udp.dstport | sort -u | wc -l)
		outer=$(tsh "$pcap" -E occurrence=f -e "$oip.src" | sort -u | wc -l)
		extra=0 what=
		case $e in
		gre|gre-udp) what="no GRE key"
			[ -z "$(tsh "$pcap" -e gre.key | sort -u)" ] || extra=1 ;;
		gre-key|nvgre) what="a GRE key in every frame"
			[ "$(tsh "$pcap" -e gre.key | grep -c .)" = $n ] || extra=1 ;;
		vxlan-gpe) what="GPE next protocol IPv4 or IPv6 in every frame"
			[ "$(tsh "$pcap" -e vxlan.next_proto | grep -cE '^(1|2)$')" = $n ] || extra=1 ;;
		esac
		[ $rc = 0 ] && [ "$got" = $n ] && [ "$bad" = 0 ] && [ "$inner" = $f ] && [ "$outer" = 1 ] &&
			[ $extra = 0 ]
		check $? "tracegen -e $e -O ipv$v: tshark decodes $got/$n frames as ...:$oip:${chain[$e]}ip|ipv6:tcp|udp ($bad not), $inner inner flows of $f, $outer outer${what:+, $what}"
		[ $rc = 0 ] || echo "$out" | sed 's/^/# /'
		m=$("$spread" -m "$pcap" 2>&1)
		[ "$m" = "$pcap ${mask[$e-$v]}:$n" ]
		check $? "tracegen -e $e -O ipv$v: vnet_hash_tunnel_match() says ${mask[$e-$v]} for all $n frames (${m#"$pcap" })"
	done
done

# -i: GRE carrying Ethernet (0x6558) and GENEVE/GPE/GRE-in-UDP carrying IP;
# GRE over IPv4 with K and 0x6558 is NVGRE too
for c in "gre ipv4 eth 0x1 gre:eth:ethertype:" "gre-key ipv4 eth 0x102 gre:eth:ethertype:" \
	"geneve ipv6 ip 0x40 udp:geneve:" "gre-udp ipv4 eth 0x8 udp:gre:eth:ethertype:" \
	"vxlan-gpe ipv4 eth 0x20 udp:eth:ethertype:"; do
	set -- $c
	pcap=$work/i-$1-$3.pcap
	"$tracegen" -o "$pcap" -e "$1" -O "$2" -i "$3" -n 100 -f 8 -m ipv4-tcp >/dev/null 2>&1
	rc=$?
	oip=$([ "$2" = ipv4 ] && echo ip || echo ipv6)
	bad=$(tsh "$pcap" -e frame.protocols | grep -cvE "^eth:ethertype:$oip:$5ip:tcp\$")
	m=$("$spread" -m "$pcap" 2>&1)
	[ $rc = 0 ] && [ "$bad" = 0 ] && [ "$m" = "$pcap $4:100" ]
	check $? "tracegen -e $1 -O $2 -i $3: tshark ...:$oip:${5}ip:tcp in every frame ($bad not), match $4 (${m#"$pcap" })"
done

# -F outer flows, -E: the outer source port per inner flow
"$tracegen" -o "$work/F3.pcap" -e vxlan -F 3 -n 300 -f 12 >/dev/null 2>&1
outer=$(tsh "$work/F3.pcap" -E occurrence=f -e ip.src | sort -u | wc -l)
ports=$(tsh "$work/F3.pcap" -E occurrence=f -e udp.srcport | sort -u | wc -l)
[ "$outer" = 3 ] && [ "$ports" = 3 ]
check $? "tracegen -e vxlan -F 3 -f 12: 3 outer source addresses ($outer), 3 outer source ports ($ports)"
"$tracegen" -o "$work/E.pcap" -e geneve -E -n 300 -f 12 >/dev/null 2>&1
ports=$(tsh "$work/E.pcap" -E occurrence=f -e udp.srcport | sort -u | wc -l)
outer=$(tsh "$work/E.pcap" -E occurrence=f -e ip.src | sort -u | wc -l)
[ "$ports" -ge 10 ] && [ "$outer" = 1 ]
check $? "tracegen -e geneve -E -f 12: one outer address, a source port per inner flow ($ports ports, 12 flows)"

# the model: one outer flow, 1000 inner ones, 4 queues
"$tracegen" -o "$work/s.pcap" -e vxlan -n 8000 -f 1000 -m ipv4-tcp >/dev/null 2>&1
out=$("$spread" -q 4 "$work/s.pcap" 2>&1)
/usr/bin/python3 -c 'import json, sys
r = {c["mode"]: c for c in map(json.loads, sys.stdin.read().splitlines())}
o, i = r["outer"], r["inner"]
ok = (o["used"] == 1 and o["max_share"] == 1 and o["inner_hashed"] == 0 and
      i["used"] == 4 and i["inner_hashed"] == 8000 and sum(i["per_queue"]) == 8000 and
      i["min_share"] > 0.2)
sys.exit(0 if ok else 1)' <<<"$out"
check $? "tunnel-spread, VXLAN, 1 outer and 1000 inner flows, 4 queues: outer hash 1 queue, inner hash all 4 (each > 20 %)"
echo "$out" | sed 's/^/# /'

# the benchmark's model-only run (tunnel-spread.sh -M): every tunnel a row,
# named by lib's match; one outer flow: the outer hash 1 queue of 4 except
# where tracegen -E gave each inner flow its own source port, the inner all 4
sp=$top/tools/bench/tunnel-spread.sh
"$sp" -M -n 4000 -f 500 -q 4 -o "$work/sp" "$build" >"$work/sp.log" 2>&1
rc=$?
/usr/bin/python3 -c 'import json, sys
rows = {r["trace"]: r for r in json.load(open(sys.argv[1]))}
want = {"vxlan": "0x10", "vxlan-E": "0x10", "geneve": "0x40", "gre": "0x1", "gre-key": "0x2", "gre6": "0x4",
        "nvgre": "0x102", "gre-udp": "0x8", "vxlan-gpe": "0x20", "ipip": "0x80"}
ok = set(rows) == set(want) and all(
    list(rows[t]["match"]) == [m] and rows[t]["model_inner"]["used"] == 4 and
    rows[t]["model_outer"]["used"] == (4 if t == "vxlan-E" else 1) and rows[t]["pmd"] == {}
    for t, m in want.items())
sys.exit(0 if ok else 1)' "$work/sp/spread.json" 2>/dev/null &&
	[ $rc = 0 ] && grep -q '^| NVGRE | gre_2890+nvgre | 1/4, 100%/0% | 4/4, ' "$work/sp/spread.md" &&
	{ ! command -v gnuplot >/dev/null || [ -s "$work/sp/spread.png" ]; }
check $? "tunnel-spread.sh -M: 10 tunnels, each named by lib's match; outer hash 1 queue of 4 (vxlan -E: 4), inner 4; table and plot written ($rc)"
[ $rc = 0 ] || tail -3 "$work/sp.log" | sed 's/^/# /'
help=$("$sp" --help); rc=$?
opts=$(sed -n '/^while \[ \$# -gt 0 \]/,/^done/p' "$sp" | grep -o '^	-[^)]*)' | tr -d '\t)' | tr '|' ' ')
miss=
for o in $opts BUILD_DIR 'Exit status' Environment gnuplot RTE_ETH_RSS_LEVEL_INNERMOST; do
	[ "$o" = '-*' ] && continue
	grep -qF -- "$o" <<<"$help" || miss="$miss '$o'"
done
[ $rc = 0 ] && [ -n "$opts" ] && [ -z "$miss" ]
check $? "tunnel-spread.sh --help: every option ($(echo $opts)), exit status, environment (missing:${miss:- none})"
for a in "-q 0" "-q 4,8" "-x" "-f 0"; do
	out=$("$sp" -M $a -o "$work/spbad" "$build" 2>&1); rc=$?
	[ $rc = 2 ] && [ ! -e "$work/spbad/spread.json" ]
	check $? "tunnel-spread.sh -M $a: refused, exit 2 ($rc), no results: $(tail -1 <<<"$out")"
	rm -rf "$work/spbad"
done

# refusals: exit 2, the option named, no file
for a in "-e vxlan2" "-e vxlan -i ip" "-e ipip -i eth" "-e nvgre -i ip" "-O ipv6" "-F 2" "-i eth" "-E" \
	"-e gre -E" "-e gre -v" "-e vxlan -O ipv5" "-e vxlan -F 0" "-e vxlan -F 65537" "-e vxlan -i mac" \
	"-f 12x" "-n 0" "-s 63" "-m ipv5-udp" "stray"; do
	rm -f "$work/bad.pcap"
	out=$("$tracegen" -o "$work/bad.pcap" $a 2>&1); rc=$?
	word=${a%% *}
	[ "$word" = "-e" ] && word=${a##* }
	[ $rc = 2 ] && grep -qF -- "$word" <<<"$out" && [ ! -e "$work/bad.pcap" ]
	check $? "tracegen $a: refused, exit 2 ($rc), names \"$word\", writes nothing: $(head -1 <<<"$out")"
done
for a in "-q 0" "-q 4,,8" "-q 65" "-t vxlan3" "-t none" "-T tcp9" "-r 100" "-r 0"; do
	out=$("$spread" $a "$work/s.pcap" 2>&1); rc=$?
	[ $rc = 2 ] && grep -qF -- "${a%% *}" <<<"$out"
	check $? "tunnel-spread $a: refused, exit 2 ($rc): $(head -1 <<<"$out")"
done
"$spread" "$work/nothing.pcap" >/dev/null 2>&1
check "$([ $? = 1 ]; echo $?)" "tunnel-spread on a missing pcap: exit 1"
check_done
