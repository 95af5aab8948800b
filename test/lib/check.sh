# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 hashtap authors
#
# The checks of the shell test scripts, in the Test Anything Protocol (TAP;
# nothing to do with tap devices), as test/lib/check.h for the C ones:
#
#   check STATUS NAME     one check: passes when STATUS is 0
#   check_diag TEXT...    a diagnostic line ("# ...")
#   check_done            the plan line; returns non-zero if a check failed
#   check_relay           a sub-program's TAP (stdin) as checks of this script

check_n=0
check_failed=0

check() {
	check_n=$((check_n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $check_n - $2"
	else
		echo "not ok $check_n - $2"
		check_failed=$((check_failed + 1))
	fi
}

check_diag() {
	echo "# $*"
}

check_done() {
	echo "1..$check_n"
	[ "$check_failed" = 0 ]
}

# check_relay: the TAP a sub-program printed (on stdin, e.g. a program run
# in the VM) as checks of this script, numbered in its sequence; its plan
# line becomes a diagnostic, anything else passes through.  Run it in this
# shell (check_relay <<<"$out"), not at the end of a pipe.
check_relay() {
	local line text
	while IFS= read -r line; do
		if [[ $line =~ ^(not\ )?ok([[:space:]]+[0-9]+)?([[:space:]]+-)?[[:space:]]*(.*)$ ]]; then
			text=${BASH_REMATCH[4]}
			if [ -n "${BASH_REMATCH[1]}" ]; then check 1 "$text"; else check 0 "$text"; fi
		elif [[ $line =~ ^1\.\.[0-9]+ ]]; then
			echo "# $line"
		else
			printf '%s\n' "$line"
		fi
	done
}
