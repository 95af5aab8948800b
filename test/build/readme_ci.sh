#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 hashtap authors
#
# .ci/run is the README's test command, nothing else; the run command is
# the demo, and the entry script has it.
set -uo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cmd=$(sed -n '/^<!-- test-command -->/,/^```$/{/^[^<`]/p}' "$top/README.md")
ci=$(grep -v '^#\|^set \|^$\|^cd ' "$top/.ci/run")
echo "README test command: $cmd"
echo ".ci/run: $ci"
[ -n "$cmd" ] && [ "$ci" = "$cmd" ] || exit 1
run=$(sed -n '/^<!-- run-command -->/,/^```$/{/^[^<`]/p}' "$top/README.md")
echo "README run command: $run"
[ "$run" = "./hashtap demo" ] && grep -q '^demo)' "$top/hashtap"
