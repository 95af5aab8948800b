# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 hashtap authors
#
# OVS-DPDK (Debian's openvswitch-switch-dpdk) started by hand, without
# systemd, in a private run directory; sourced by test/ovs/ovs.sh and
# tools/bench/ovs-bench.sh.  Needs run (a directory of its own, e.g. under
# /run/hashtap) and tp_so (tools/lib/testpmd.sh: tp_stage) for the driver
# of a build tree; with tp_so empty, OVS takes the installed driver.
#
#   start_ovs [other_config:K=V ...]   ovsdb-server + ovs-vswitchd-dpdk, bridge br0
#                                       (PMD_MASK: pmd-cpu-mask, default 0x2)
#   add_port NAME DEVARGS [OPTIONS...]  a type=dpdk port on br0
#   behind IFACE NS ADDRESS             the port's tap into a new namespace NS
#                                       with ADDRESS/24 (tools/lib/netns.sh)
#   stop_ovs                            also what docs/ovs.md's recipe started
#                                       (ovs_br: its bridge, default br0)
#   vsctl=(...) appctl=(...)            for the caller's own commands; the log
#                                       is $run/ovs-vswitchd-dpdk.log

# shellcheck source=netns.sh
. "$(dirname "${BASH_SOURCE[0]}")/netns.sh"
vswitchd=/usr/lib/openvswitch-switch-dpdk/ovs-vswitchd-dpdk
export OVS_RUNDIR=$run OVS_LOGDIR=$run OVS_DBDIR=$run
vsctl=(ovs-vsctl --db="unix:$run/db.sock" --timeout=30)
appctl=(ovs-appctl -t ovs-vswitchd-dpdk)

stop_ovs() {
	local f d br=${ovs_br:-br0}
	local pids=("$run"/ovs-vswitchd-dpdk.pid "$run"/ovsdb-server.pid)
	# the bridge first: the userspace datapath keeps $br and ovs-netdev as
	# persistent taps, left behind by a vswitchd that is only killed
	[ -f "$run"/ovs-vswitchd-dpdk.pid ] && timeout 20 "${vsctl[@]}" --if-exists del-br "$br" 2>/dev/null
	for f in "${pids[@]}"; do
		[ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null
	done
	sleep 1
	for f in "${pids[@]}"; do
		[ -f "$f" ] && kill -9 "$(cat "$f")" 2>/dev/null
		rm -f "$f"
	done
	for d in "$br" ovs-netdev; do
		ip -d link show "$d" 2>/dev/null | grep -q 'tun type tap .*persist on' &&
			ip link del "$d"
	done
	return 0
}

# start ovsdb-server and ovs-vswitchd-dpdk as docs/ovs.md does (files by
# their default names in $OVS_RUNDIR = $run); $1: extra other_config
start_ovs() {
	rm -f "$run"/conf.db "$run"/*.log
	{
		ovsdb-tool create "$run/conf.db" /usr/share/openvswitch/vswitch.ovsschema || return 1
		ovsdb-server --remote="punix:$run/db.sock" --pidfile --log-file --detach || return 1
		"${vsctl[@]}" --no-wait init
		# OVS 3.1 with --no-huge: --legacy-mem, else it adds --in-memory, which EAL refuses
		"${vsctl[@]}" --no-wait set Open_vSwitch . other_config:dpdk-init=true \
			other_config:dpdk-extra="--no-huge --legacy-mem -m 1024 --no-pci --file-prefix hto$$ ${tp_so:+-d $tp_so} --log-level=pmd.net.hashtap:info" \
			other_config:pmd-cpu-mask="${PMD_MASK:-0x2}" other_config:emc-insert-inv-prob=1 "$@"
		"$vswitchd" --pidfile --log-file --detach || return 1
	} >"$run/start.log" 2>&1
	"${vsctl[@]}" add-br br0 -- set bridge br0 datapath_type=netdev
}

# port NAME DEVARGS [OPTIONS...]
add_port() {
	local name=$1 dev=$2
	shift 2
	"${vsctl[@]}" add-port br0 "$name" -- set Interface "$name" type=dpdk \
		"options:dpdk-devargs=$dev" "$@"
}

# the tap a port created goes to a new namespace $2 with address $3
behind() {
	ns_add "$2" && ns_move "$1" "$2" "$3/24"
}

