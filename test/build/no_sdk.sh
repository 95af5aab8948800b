#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 hashtap authors
#
# meson refuses to configure without the DPDK driver SDK headers, and says how.
set -uo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
out=$(meson setup "$dir/b" "$top" -Ddpdk_sdk="$dir/none" 2>&1)
rc=$?
echo "$out" | tail -3
[ $rc != 0 ] && echo "$out" | grep -q 'ethdev_driver.h not found' && echo "$out" | grep -q 'hashtap setup'
