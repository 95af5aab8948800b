#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 hashtap authors
#
# Every patch of each series builds on its own: kernel-patch/bisect applies
# the mainline series and the 6.12 backport patch by patch to their bases
# and builds after each one (passes are cached by their inputs); a compiler
# warning in a file the series touches that the unpatched base does not give
# fails the patch it appears at.  TAP: one check a patch, and a failed one
# for a series that stops building or warns.
set -uo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
n=0
for base in 7.2 6.12; do
	out=$("$top/kernel-patch/bisect" --base "$base" 2>&1)
	rc=$?
	while IFS= read -r line; do
		case $line in
		"ok "[0-9]*)
			n=$((n + 1))
			set -- $line
			echo "ok $n - $base: the series cut after patch $2 builds ($3)"
			;;
		*) echo "# $line" ;;
		esac
	done <<<"$out"
	if [ $rc != 0 ]; then
		n=$((n + 1))
		echo "not ok $n - $base: kernel-patch/bisect failed (exit $rc)"
	fi
done
echo "1..$n"
