#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 hashtap authors
"""Ask a running DPDK process's telemetry socket, print the answers as one
JSON object {command: reply, ...}: for scripts and tests that read what a
process says about itself (never its human status lines).

usage: telemetry.py FILE_PREFIX COMMAND [COMMAND...]
       (FILE_PREFIX: the process's EAL --file-prefix; exit 1 if it does not answer)
"""

import json
import os
import socket
import sys


def ask(prefix, commands):
    run = os.environ.get("RUNTIME_DIRECTORY", "/var/run/dpdk")
    path = os.path.join(run, prefix, "dpdk_telemetry.v2")
    with socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET) as s:
        s.connect(path)
        hello = json.loads(s.recv(1024).decode())
        size = hello.get("max_output_len", 16384)
        out = {}
        for cmd in commands:
            s.send(cmd.encode())
            out.update(json.loads(s.recv(size).decode()))
        return out


def main():
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        print(json.dumps(ask(sys.argv[1], sys.argv[2:])))
    except (OSError, ValueError) as e:
        print(f"telemetry.py: {sys.argv[1]}: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
