#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 hashtap authors
#
# The pcap-replay benchmark harness end to end on a tiny trace (every path,
# every PMD; hashes checked, outputs written; no timing judged).
#   test/tools/replay_quick.sh BUILD_DIR
set -uo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$top/tools/bench/replay.sh" --quick -o "$dir" "${1:?usage: replay_quick.sh BUILD_DIR}"
rc=$?
ls -l "$dir"
exit $rc
