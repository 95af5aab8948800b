# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 hashtap authors
#
# The checks of the shell test scripts, in the Test Anything Protocol (TAP;
# nothing to do with tap devices), as test/lib/check.h for the C ones:
#
#   check STATUS NAME     one check: passes when STATUS is 0
#   check_diag TEXT...    a diagnostic line ("# ...")
#   check_done            the plan line; returns non-zero if a check failed

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
