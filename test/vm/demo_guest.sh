#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 hashtap authors
#
# The README's demo in the patched test kernel: every step passes, and the
# switch's telemetry (JSON, as demo.sh --telemetry writes it) says the VM
# ports' hash came from the kernel.   test/vm/demo_guest.sh BUILD_DIR
set -uo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=${1:?usage: demo_guest.sh BUILD_DIR}
out=$("$top/tools/vm-run" --smp 2 --mem 2048 --timeout 600 -- \
	"$top/app/hashtap-switch/demo.sh" --telemetry - "$build" 2>&1)
rc=$?
echo "$out"
[ $rc = 0 ] || exit 1
echo "$out" | sed -n 's/^demo-telemetry: //p' | python3 -c '
import json, sys
ports = json.loads(sys.stdin.read())["/hashtap/ports"]
src = {name: p["hash_source"] for name, p in ports.items()}
print("hash sources:", src)
sys.exit(0 if src.get("vm1") == "kernel" and src.get("vm2") == "kernel" else 1)'
