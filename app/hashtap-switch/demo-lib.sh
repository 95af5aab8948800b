# SPDX-License-Identifier: BSD-3-Clause
# shellcheck shell=bash
# Copyright(c) 2026 hashtap authors
#
# What the switch demos share (sourced by demo.sh and demo-vms.sh, with
# $build and $top set): steps said and counted, the switch started and
# stopped, the verdict.
#
#   step WHAT CMD...             run CMD: "demo: ok     WHAT" or "demo: FAILED WHAT"
#   demo_need BUILD_DIR          the switch is built (else says how)
#   demo_switch_start CONF LOG   start hashtap-switch -c CONF, wait until it runs
#   demo_switch_stop             SIGINT, wait; its exit status in demo_switch_rc
#   demo_end                     "all steps passed" or how many failed; the status

# shellcheck source=../../tools/lib/netns.sh
. "$top/tools/lib/netns.sh"
demo_failed=0
demo_switch_pid=
demo_switch_rc=
switch=$build/app/hashtap-switch/hashtap-switch

step() {
	local what=$1
	shift
	if "$@"; then
		echo "demo: ok     $what"
	else
		echo "demo: FAILED $what"
		demo_failed=$((demo_failed + 1))
	fi
}

demo_need() {
	[ -x "$switch" ] || { echo "demo: $switch is missing: ./hashtap build" >&2; return 1; }
}

demo_switch_start() {
	local conf=$1 log=$2
	"$switch" -c "$conf" --status 2 >"$log" 2>&1 &
	demo_switch_pid=$!
	for _ in $(seq 1 100); do
		grep -q 'running' "$log" && break
		kill -0 "$demo_switch_pid" 2>/dev/null || break
		sleep 0.1
	done
	if ! grep -q running "$log"; then
		echo "demo: FAILED hashtap-switch did not start:"
		grep -v '^EAL: \(Detected\|Selected\|Physical\)' "$log" | tail -5 | sed 's/^/  /'
		return 1
	fi
	sed -n 's/^hashtap-switch: port /  port /p' "$log"
}

demo_switch_stop() {
	[ -n "$demo_switch_pid" ] || return 0
	kill -INT "$demo_switch_pid" 2>/dev/null
	wait "$demo_switch_pid"
	demo_switch_rc=$?
	demo_switch_pid=
}

demo_end() {
	if [ $demo_failed = 0 ]; then echo "demo: all steps passed"; else echo "demo: $demo_failed step(s) failed"; fi
	[ $demo_failed = 0 ]
}
