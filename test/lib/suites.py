#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 hashtap authors
"""The tests test/run runs, read from test/meson.build without a build (so
that "test/run --list" works on a fresh clone): one line each, in the
order of the file,

    NAME FLAVOUR MESON_NAME PROTOCOL SUITE,SUITE...

FLAVOUR is the build directory under build/ it runs from: release, asan
(a second entry, NAME-asan, for a test in suite "asan") or fuzz (a test in
suite "fuzz").  test/lib/suites_check.sh compares this with what meson
itself says of a configured build.

usage: suites.py test/meson.build
"""

import re
import sys


def statements(text):
    """Each "test(...)" call: its text, parentheses matched, comments cut."""
    text = re.sub(r"#[^\n]*", "", text)
    for m in re.finditer(r"^\s*test\(", text, re.M):
        depth, i = 0, m.end() - 1
        while True:
            c = text[i]
            if c == "(":
                depth += 1
            elif c == ")":
                depth -= 1
                if depth == 0:
                    break
            elif c == "'":
                i = text.index("'", i + 1)
            i += 1
        yield text[m.end():i]


def tests(path):
    with open(path) as f:
        text = f.read()
    for s in statements(text):
        name = re.match(r"\s*'([^']+)'", s)
        suites = re.search(r"suite:\s*\[([^\]]*)\]", s)
        proto = re.search(r"protocol:\s*'([^']+)'", s)
        if not name or not suites:
            sys.exit(f"suites.py: {path}: a test() without a literal name and suite list: {s[:60]!r}")
        yield (name.group(1), re.findall(r"'([^']+)'", suites.group(1)),
               proto.group(1) if proto else "exitcode")


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    seen = set()
    for name, suites, proto in tests(sys.argv[1]):
        flavours = [("fuzz", name)] if "fuzz" in suites else [("release", name)]
        if "asan" in suites:
            flavours.append(("asan", name + "-asan"))
        for flavour, shown in flavours:
            if shown in seen:
                sys.exit(f"suites.py: two tests called {shown}")
            seen.add(shown)
            print(shown, flavour, name, proto, ",".join(suites))
    return 0


if __name__ == "__main__":
    sys.exit(main())
