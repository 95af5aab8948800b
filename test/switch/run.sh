#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 hashtap authors
#
# test-switch inside a network namespace of its own, so that its taps and
# traffic never touch the machine's: test/switch/run.sh BUILD_DIR [SOAK_SECONDS (SOAK_SECONDS, 120)]
set -uo pipefail
build=${1:?usage: run.sh BUILD_DIR [SOAK_SECONDS]}
ns=htsw-test-$$
# shellcheck source=../../tools/lib/netns.sh
. "$(dirname "${BASH_SOURCE[0]}")/../../tools/lib/netns.sh"
ns_trap
ns_add "$ns" || exit 1
ip netns exec "$ns" "$build/test/switch/test-switch" "$build/app/hashtap-switch/hashtap-switch" \
	"${2:-${SOAK_SECONDS:-120}}"
