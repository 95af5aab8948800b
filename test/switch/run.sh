#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 hashtap authors
#
# test-switch inside a network namespace of its own, so that its taps and
# traffic never touch the machine's: test/switch/run.sh BUILD_DIR [SOAK_SECONDS]
set -uo pipefail
build=${1:?usage: run.sh BUILD_DIR [SOAK_SECONDS]}
ns=htsw-test-$$
ip netns add "$ns" || exit 1
trap 'ip netns del "$ns"' EXIT
ip -n "$ns" link set lo up
ip netns exec "$ns" "$build/test/switch/test-switch" "$build/app/hashtap-switch/hashtap-switch" "${2:-60}"
