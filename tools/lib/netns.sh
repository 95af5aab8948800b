# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 hashtap authors
#
# Network namespaces and veths for scripts (sourced by the demo, the
# benchmarks and the tests): the one home of "a namespace, a veth pair,
# an interface moved in and addressed, all of it gone at the end".
# Everything made here is removed by ns_cleanup, which ns_trap runs at EXIT
# (after the caller's own cleanup, given as an argument).
#
#   ns_add NAME...                 fresh namespaces (an old one of that name is
#                                  removed first), lo up, IPv6 off
#   ns_veth A NS_A B NS_B          a veth pair, A in NS_A and B in NS_B ("" =
#                                  this namespace), both up, IPv6 off
#   ns_move IF NS [ADDR/LEN]       IF (in this namespace) into NS, IPv6 off,
#                                  address, up; waits up to 5 s for IF to exist
#   ns_exec NS CMD...              ip netns exec, or CMD itself for NS ""
#   ns_cleanup                     remove what ns_* made (and the namespaces)
#   ns_trap [CMD]                  at EXIT (and on SIGTERM/SIGINT): CMD (the
#                                  caller's cleanup), then ns_cleanup

# sourced once a shell: what was made stays known
[ -n "${ns_sh_loaded:-}" ] && return 0
ns_sh_loaded=1
ns_made=()
ns_links=()

ns_exec() {
	local ns=$1
	shift
	if [ -n "$ns" ]; then ip netns exec "$ns" "$@"; else "$@"; fi
}

# IPv6 off on interface $2 of namespace $1 (no router solicitations, no
# MLD reports: the tests count every frame)
ns_quiet() {
	ns_exec "$1" sysctl -qw "net.ipv6.conf.$2.disable_ipv6=1" 2>/dev/null || true
}

ns_add() {
	local ns
	for ns in "$@"; do
		ip netns del "$ns" 2>/dev/null
		ip netns add "$ns" || return 1
		ns_made+=("$ns")
		ip -n "$ns" link set lo up || return 1
		ns_quiet "$ns" all
		ns_quiet "$ns" default
	done
}

ns_veth() {
	local a=$1 nsa=$2 b=$3 nsb=$4
	ns_exec "$nsa" ip link del "$a" 2>/dev/null
	ns_exec "$nsa" ip link add "$a" type veth peer name "$b" ${nsb:+netns "$nsb"} || return 1
	[ -n "$nsa" ] || ns_links+=("$a")
	ns_quiet "$nsa" "$a"
	ns_quiet "$nsb" "$b"
	ns_exec "$nsa" ip link set "$a" up && ns_exec "$nsb" ip link set "$b" up
}

ns_move() {
	local ifname=$1 ns=$2 addr=${3:-} i
	for i in $(seq 1 50); do ip link show "$ifname" >/dev/null 2>&1 && break; sleep 0.1; done
	ip link set "$ifname" netns "$ns" || return 1
	ns_quiet "$ns" "$ifname"
	[ -z "$addr" ] || ip -n "$ns" addr add "$addr" dev "$ifname" || return 1
	ip -n "$ns" link set "$ifname" up
}

ns_cleanup() {
	local x
	for x in "${ns_links[@]}"; do ip link del "$x" 2>/dev/null; done
	for x in "${ns_made[@]}"; do ip netns del "$x" 2>/dev/null; done
	ns_links=()
	ns_made=()
	return 0
}

ns_trap() {
	# shellcheck disable=SC2064
	trap "${1:+$1;} ns_cleanup" EXIT
	# a time-out's SIGTERM or a ^C: exit, so that the EXIT trap runs
	trap 'exit 143' TERM
	trap 'exit 130' INT
}
