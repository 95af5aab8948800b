# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 hashtap authors
"""TAP output for the Python tests, as test/lib/check.c and check.sh
print it: "ok N - name" / "not ok N - name", then "1..N"; done() is the
exit status (1 on any failure or when nothing was checked)."""

count = 0
failed = 0


def ok(cond, name):
    global count, failed
    count += 1
    if not cond:
        failed += 1
    print(("ok" if cond else "not ok") + f" {count} - {name}", flush=True)
    return cond


def done():
    print(f"1..{count}")
    return 1 if failed or count == 0 else 0
