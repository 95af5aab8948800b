# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 hashtap authors
#
# Driving Debian's dpdk-testpmd from bash (sourced by tests and benchmarks):
# the PMD staged where EAL takes "-d" from, one interactive testpmd fed
# through a FIFO, and waiting for its output.
#
#   tp_stage BUILD_DIR          sets tp_so: librte_net_hashtap.so in a
#                               root-owned 0700 directory under /run/hashtap
#                               (EAL refuses -d below a world-writable one)
#   tp_start OUT EAL-ARGS... -- TESTPMD-ARGS...
#   tp_cmd "command"            one testpmd command
#   tp_mark; tp_expect REGEX    wait (15 s) for REGEX in the output since the mark
#   tp_since                    the output since the mark
#   tp_quit                     quit and wait; returns testpmd's exit status
#   tp_cleanup                  kill it if still running, remove the stage

tp_pid=
tp_out=
tp_fifo=
tp_stage_dir=
tp_line=1

tp_stage() {
	install -d -m 0700 -o root -g root /run/hashtap || return 1
	tp_stage_dir=$(mktemp -d /run/hashtap/stage.XXXXXX) || return 1
	cp "$1/drivers/librte_net_hashtap.so.0" "$tp_stage_dir/librte_net_hashtap.so" || return 1
	tp_so=$tp_stage_dir/librte_net_hashtap.so
}

tp_start() {
	tp_out=$1
	shift
	tp_fifo=$(mktemp -u /run/hashtap/fifo.XXXXXX)
	mkfifo -m 0600 "$tp_fifo" || return 1
	timeout 900 stdbuf -oL dpdk-testpmd "$@" -i <"$tp_fifo" >"$tp_out" 2>&1 &
	tp_pid=$!
	exec 7>"$tp_fifo"
	tp_line=1
	tp_expect 'testpmd>'
}

tp_cmd() { echo "$*" >&7; }
tp_mark() { tp_line=$(($(wc -l <"$tp_out") + 1)); }
tp_since() { tail -n +"$tp_line" "$tp_out"; }

tp_expect() {
	local i
	for i in $(seq 1 150); do
		tp_since | grep -q -- "$1" && return 0
		kill -0 "$tp_pid" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}

tp_quit() {
	local rc
	tp_cmd quit
	exec 7>&-
	wait "$tp_pid"
	rc=$?
	tp_pid=
	rm -f "$tp_fifo"
	return $rc
}

tp_cleanup() {
	if [ -n "$tp_pid" ]; then
		kill "$tp_pid" 2>/dev/null
		wait "$tp_pid" 2>/dev/null
		tp_pid=
	fi
	exec 7>&- 2>/dev/null
	rm -f "$tp_fifo"
	[ -n "$tp_stage_dir" ] && rm -rf "$tp_stage_dir"
	tp_stage_dir=
}
