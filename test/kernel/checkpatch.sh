#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 hashtap authors
#
# scripts/checkpatch.pl --strict on every patch of kernel-patch/series:
# no error, no warning or check but those kernel-patch/checkpatch.allow
# names with a reason; every patch applies in order.  TAP output.
set -uo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
kp=$top/kernel-patch
src=$("$kp/build" source) || exit 1
n=0 bad=0 work=
trap 'rm -rf "$work"' EXIT

ok() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; bad=$((bad + 1)); fi
}

[ -s "$kp/series" ]; ok $? "kernel-patch/series names the patches"
[ -f "$kp/0000-cover-letter.patch" ] && ! grep -q '\*\*\* \(SUBJECT\|BLURB\) HERE' "$kp/0000-cover-letter.patch"
ok $? "the cover letter is written"

work=$(mktemp -d)
cp -al "$src" "$work/tree"
while read -r p; do
	case "$p" in ''|'#'*) continue ;; esac
	out=$(perl "$src/scripts/checkpatch.pl" --strict --no-tree --show-types -q "$kp/$p" 2>&1)
	left=$(echo "$out" | grep -E '^(ERROR|WARNING|CHECK):' | while read -r line; do
		type=$(echo "$line" | cut -d: -f2)
		allowed=0
		while read -r glob t _; do
			case "$glob" in ''|'#'*) continue ;; esac
			# shellcheck disable=SC2254
			case "$p" in $glob) [ "$t" = "$type" ] && allowed=1 ;; esac
		done <"$kp/checkpatch.allow"
		[ $allowed = 1 ] || echo "$line"
	done)
	[ -z "$left" ]; ok $? "checkpatch --strict: $p${left:+: $left}"
	patch -d "$work/tree" -p1 -s --dry-run <"$kp/$p" >/dev/null &&
		patch -d "$work/tree" -p1 -s <"$kp/$p" >/dev/null
	ok $? "applies in order: $p"
done <"$kp/series"
echo "1..$n"
[ $bad = 0 ]
