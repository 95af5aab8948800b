#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 hashtap authors
#
# test/run lists the tests from test/meson.build without a build
# (test/lib/suites.py); here that list is held against what meson says of a
# configured build (meson introspect --tests): the same names, suites and
# protocols.  Only the fuzz targets (built with -Dfuzz=true) and their smoke
# drivers (built otherwise) may be missing.  TAP output.
#   test/lib/suites_check.sh BUILD_DIR
set -uo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=${1:?usage: suites_check.sh BUILD_DIR}
python3 - "$top/test/lib/suites.py" "$top/test/meson.build" "$build" <<'PY'
import json, subprocess, sys

static = {}
for line in subprocess.run([sys.executable, sys.argv[1], sys.argv[2]], check=True,
                           capture_output=True, text=True).stdout.splitlines():
    shown, flavour, name, proto, suites = line.split()
    static[name] = (proto, sorted(suites.split(",")))
intro = json.loads(subprocess.run(["meson", "introspect", "--tests", sys.argv[3]], check=True,
                                  capture_output=True, text=True).stdout)
meson = {t["name"]: (t["protocol"], sorted(s.split(":")[-1] for s in t["suite"])) for t in intro}
fuzz_build = any("fuzz" in v[1] for v in meson.values())
n = 0
bad = 0
def ok(cond, what):
    global n, bad
    n += 1
    bad += not cond
    print(("ok" if cond else "not ok") + f" {n} - {what}")
for name, want in sorted(static.items()):
    if name in meson:
        ok(meson[name] == want, f"{name}: {want} in test/meson.build, meson says {meson[name]}")
    else:
        may_miss = ("fuzz" in want[1]) != fuzz_build and (
            "fuzz" in want[1] or name.startswith("fuzz-smoke-"))
        ok(may_miss, f"{name}: not in this build ({'expected' if may_miss else 'missing'})")
for name in sorted(set(meson) - set(static)):
    ok(False, f"{name}: meson has it, test/run's list does not")
print(f"1..{n}")
sys.exit(1 if bad else 0)
PY
