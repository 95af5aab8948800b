#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 hashtap authors
#
# Both series, the mainline one (kernel-patch/, against linux-source-7.2)
# and the 6.12 backport (kernel-patch/6.12/): scripts/checkpatch.pl
# --strict of the tree each is for on every patch, no error, no warning or
# check but those the series' checkpatch.allow names with a reason; the
# cover letter is written; every patch applies in order; the kernel-doc of
# the uAPI header and of the new files has no warning.  TAP output.
set -uo pipefail

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
work=
trap 'rm -rf "$work"' EXIT

# shellcheck source=../lib/check.sh
. "$top/test/lib/check.sh"

work=$(mktemp -d)
for base in 7.2 6.12; do
	kp=$top/kernel-patch
	[ "$base" = 6.12 ] && kp=$kp/6.12
	src=$("$top/kernel-patch/build" --base "$base" source) || exit 1
	[ -s "$kp/series" ]; check $? "$base: the series file names the patches"
	[ -f "$kp/0000-cover-letter.patch" ] &&
		! grep -q '\*\*\* \(SUBJECT\|BLURB\) HERE' "$kp/0000-cover-letter.patch"
	check $? "$base: the cover letter is written"
	rm -rf "$work/tree"
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
		[ -z "$left" ]; check $? "$base: checkpatch --strict: $p${left:+: $left}"
		patch -d "$work/tree" -p1 -s --dry-run <"$kp/$p" >/dev/null &&
			patch -d "$work/tree" -p1 -s --no-backup-if-mismatch <"$kp/$p" >/dev/null
		check $? "$base: applies in order: $p"
	done <"$kp/series"
	for f in include/uapi/linux/if_tun.h drivers/net/tun_vnet_hash.c drivers/net/tun_vnet_hash.h; do
		out=$(cd "$work/tree" && PYTHONPATH=tools/lib/python scripts/kernel-doc -Wall -none "$f" 2>&1)
		[ -f "$work/tree/$f" ] && [ -z "$out" ]
		check $? "$base: kernel-doc -Wall: $f${out:+: $out}"
	done
done
check_done
