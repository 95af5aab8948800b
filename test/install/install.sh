#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 hashtap authors
#
# hashtap installed the way a DPDK driver is, and used the way users will:
# "meson install" of BUILD_DIR, then Debian's dpdk-testpmd and OVS-DPDK take
# a net_hashtap port with no -d (EAL's plugin directory), dpdk-pmdinfo.py
# lists its devargs, an application builds against it with pkg-config and
# calls rte_pmd_hashtap.h, hashtap-switch and vnet-hash are on PATH with
# --version; then uninstalled, nothing is left and no DPDK program finds
# the driver.  What was installed before the test (another build) is put
# back afterwards.  TAP output.
#   test/install/install.sh BUILD_DIR
set -uo pipefail
build=$(cd "${1:?usage: install.sh BUILD_DIR}" && pwd)
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source=../lib/check.sh
. "$top/test/lib/check.sh"
# shellcheck source=../../tools/lib/netns.sh
. "$top/tools/lib/netns.sh"
work=$(mktemp -d)
saved=$work/saved
prefix=htins$$
run=
cleanup() {
	[ -n "$run" ] && stop_ovs && rm -rf "$run"
	ip link del htins0 2>/dev/null
	ip link del htins1 2>/dev/null
	ip link del htins2 2>/dev/null
	# anything left of ours goes, what was there before comes back
	ninja -C "$build" uninstall >/dev/null 2>&1
	if [ -d "$saved" ]; then
		cp -a "$saved/." / && ldconfig
	fi
	rm -rf "$work"
}
ns_trap cleanup

# what this build installs (meson's list), and what is there already
mapfile -t files < <(meson introspect --installed "$build" |
	python3 -c 'import json, sys; print("\n".join(json.load(sys.stdin).values()))')
check $(( ${#files[@]} >= 6 ? 0 : 1 )) "the build installs ${#files[@]} files"
for f in "${files[@]}"; do
	if [ -e "$f" ] || [ -L "$f" ]; then
		mkdir -p "$saved$(dirname "$f")" && cp -a "$f" "$saved$f"
	fi
done
[ -d "$saved" ] && check_diag "installed before the test (put back after): $(cd "$saved" && find . ! -type d | tr '\n' ' ')"

meson install -C "$build" --no-rebuild >"$work/install.log" 2>&1 && ldconfig
check $? "meson install"
missing=0
for f in "${files[@]}"; do [ -e "$f" ] || { missing=1; check_diag "missing: $f"; }; done
check $missing "every file is where meson says ($(printf '%s ' "${files[@]}" | grep -o '[^ ]*pmds[^ ]*'))"

out=$(dpdk-pmdinfo.py "$(printf '%s\n' "${files[@]}" | grep 'librte_net_hashtap.so.[0-9]*\.[0-9]*\.[0-9]*$')" 2>&1)
echo "$out" | python3 -c 'import json, sys
d = [x for x in json.load(sys.stdin) if x["name"] == "net_hashtap"]
sys.exit(0 if d and all(k in d[0]["params"] for k in ("iface=", "macvtap=", "hash=", "key=", "tunnel_types=")) else 1)'
check $? "dpdk-pmdinfo.py lists net_hashtap and its devargs"

# testpmd with no -d
out=$(printf 'show port info 0\nquit\n' | timeout 120 dpdk-testpmd -l 0-1 --no-huge -m 512 --no-pci \
	--no-shconf --file-prefix "$prefix" --vdev net_hashtap0,iface=htins0 -- -i \
	--total-num-mbufs=2048 2>&1)
echo "$out" | grep -q 'Driver name: net_hashtap'
check $? "dpdk-testpmd --vdev net_hashtap0,iface=htins0 with no -d: the port is net_hashtap's"
echo "$out" | grep -q 'stays out'
check $((1 - $?)) "... the driver registers once (no copy stays out)"

# an application, built as a user builds one
if cc -o "$work/app" "$top/test/install/app.c" $(pkg-config --cflags --libs libhashtap) \
	2>"$work/cc.log"; then
	check 0 "cc \$(pkg-config --cflags --libs libhashtap): an application builds against the installed header and library"
	out=$(timeout 60 "$work/app" -l 0 --no-huge -m 256 --no-pci --no-shconf --file-prefix "$prefix" \
		--vdev net_hashtap0,iface=htins1 2>&1)
	rc=$?
	echo "$out" | grep -v '^EAL' | sed 's/^/# /'
	[ $rc = 0 ] && ! echo "$out" | grep -q 'stays out'
	check $? "... it finds the port and asks rte_pmd_hashtap_hash_source(): none (exit $rc), one registration"
else
	sed 's/^/# /' "$work/cc.log"
	check 1 "cc \$(pkg-config --cflags --libs libhashtap)"
	check 1 "... the application runs"
fi

# OVS-DPDK with no dpdk-extra -d
install -d -m 0700 /run/hashtap
run=$(mktemp -d /run/hashtap/ovs.XXXXXX)
tp_so=
# shellcheck source=../../tools/lib/ovs.sh
. "$top/tools/lib/ovs.sh"
start_ovs && add_port p0 "net_hashtap0,iface=htins2"
sleep 1
drv=$("${vsctl[@]}" get Interface p0 status:driver_name 2>/dev/null | tr -d '"')
err=$("${vsctl[@]}" get Interface p0 error 2>/dev/null)
[ "$drv" = net_hashtap ]
check $? "OVS-DPDK takes a net_hashtap port with no -d in dpdk-extra (driver_name $drv, error ${err:-none})"
stop_ovs
rm -rf "$run"
run=

for b in hashtap-switch vnet-hash; do
	out=$(PATH=/usr/local/bin:$PATH command -v $b)
	v=$("$out" --version 2>&1 | head -1)
	[ "$out" = "/usr/local/bin/$b" ] && [[ $v == "$b (hashtap) "* ]]
	check $? "$b on PATH ($out): $v"
done

ninja -C "$build" uninstall >"$work/uninstall.log" 2>&1 && ldconfig
check $? "ninja uninstall"
left=0
for f in "${files[@]}"; do if [ -e "$f" ] || [ -L "$f" ]; then left=1; check_diag "left: $f"; fi; done
check $left "nothing of it is left"
out=$(printf 'quit\n' | timeout 60 dpdk-testpmd -l 0-1 --no-huge -m 512 --no-pci --no-shconf \
	--file-prefix "$prefix" --vdev net_hashtap0,iface=htins0 -- -i --total-num-mbufs=2048 2>&1)
echo "$out" | grep -q 'Driver name: net_hashtap\|net_hashtap0: port'
check $((1 - $?)) "dpdk-testpmd finds no net_hashtap any more"
check_done
