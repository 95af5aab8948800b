#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 hashtap authors
"""An interface's per-queue counters and NAPI ids, from the kernel's
netdev generic-netlink family (what "ynl --family netdev --dump qstats-get"
shows; Debian 12 has no ynl).  The test kernel's (7.2) virtio-net reports
its per-queue packet counts there; its "ethtool -S" has none.

  qstats.py IFNAME     one line per rx queue: "rx-Q PACKETS NAPI-ID"

Exit status 1 when the kernel has no netdev family or no per-queue
counters for IFNAME (the message says which).
"""

import os
import socket
import struct
import sys

NETLINK_GENERIC = 16
GENL_ID_CTRL = 0x10
CTRL_CMD_GETFAMILY = 3
CTRL_ATTR_FAMILY_ID = 1
CTRL_ATTR_FAMILY_NAME = 2
NLM_F_REQUEST, NLM_F_DUMP = 0x1, 0x300
NLMSG_ERROR, NLMSG_DONE = 2, 3
# include/uapi/linux/netdev.h
NETDEV_CMD_QUEUE_GET, NETDEV_CMD_QSTATS_GET = 10, 12
NETDEV_A_QUEUE_ID, NETDEV_A_QUEUE_IFINDEX, NETDEV_A_QUEUE_TYPE, NETDEV_A_QUEUE_NAPI_ID = 1, 2, 3, 4
NETDEV_A_QSTATS_IFINDEX, NETDEV_A_QSTATS_QUEUE_TYPE, NETDEV_A_QSTATS_QUEUE_ID = 1, 2, 3
NETDEV_A_QSTATS_SCOPE, NETDEV_A_QSTATS_RX_PACKETS = 4, 8
NETDEV_QUEUE_TYPE_RX = 0
NETDEV_QSTATS_SCOPE_QUEUE = 1


def attr(kind, payload):
    n = 4 + len(payload)
    return struct.pack("=HH", n, kind) + payload + b"\0" * ((4 - n % 4) % 4)


def attrs(buf):
    out, off = {}, 0
    while off + 4 <= len(buf):
        n, kind = struct.unpack_from("=HH", buf, off)
        if n < 4:
            break
        out[kind & 0x3fff] = buf[off + 4:off + n]
        off += (n + 3) & ~3
    return out


def uint(b):
    return int.from_bytes(b, sys.byteorder)


def request(sock, family, cmd, payload, dump):
    flags = NLM_F_REQUEST | (NLM_F_DUMP if dump else 0)
    msg = struct.pack("=BBH", cmd, 1, 0) + payload
    sock.send(struct.pack("=IHHII", 16 + len(msg), family, flags, 1, 0) + msg)
    replies = []
    while True:
        data = sock.recv(1 << 16)
        off = 0
        while off + 16 <= len(data):
            n, kind, _, _, _ = struct.unpack_from("=IHHII", data, off)
            if kind == NLMSG_DONE:
                return replies
            if kind == NLMSG_ERROR:
                err = struct.unpack_from("=i", data, off + 16)[0]
                if err != 0:
                    raise OSError(-err, os.strerror(-err))
                return replies
            replies.append(attrs(data[off + 20:off + n]))
            off += (n + 3) & ~3
        if not dump:
            return replies


def main(argv):
    if len(argv) != 2 or argv[1].startswith("-"):
        sys.exit(__doc__)
    try:
        ifindex = socket.if_nametoindex(argv[1])
    except OSError:
        sys.exit("qstats.py: no interface %s" % argv[1])
    sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_GENERIC)
    try:
        fam = request(sock, GENL_ID_CTRL, CTRL_CMD_GETFAMILY,
                      attr(CTRL_ATTR_FAMILY_NAME, b"netdev\0"), False)
        family = struct.unpack("=H", fam[0][CTRL_ATTR_FAMILY_ID][:2])[0]
    except (OSError, IndexError, KeyError):
        sys.exit("qstats.py: this kernel has no netdev netlink family (Linux >= 6.8)")
    idx = attr(NETDEV_A_QSTATS_IFINDEX, struct.pack("=I", ifindex))
    napi = {}
    for q in request(sock, family, NETDEV_CMD_QUEUE_GET,
                     attr(NETDEV_A_QUEUE_IFINDEX, struct.pack("=I", ifindex)), True):
        if uint(q.get(NETDEV_A_QUEUE_IFINDEX, b"\0")) == ifindex and \
                uint(q.get(NETDEV_A_QUEUE_TYPE, b"\1")) == NETDEV_QUEUE_TYPE_RX:
            napi[uint(q[NETDEV_A_QUEUE_ID])] = uint(q.get(NETDEV_A_QUEUE_NAPI_ID, b"\0"))
    rx = {}
    try:
        stats = request(sock, family, NETDEV_CMD_QSTATS_GET,
                        idx + attr(NETDEV_A_QSTATS_SCOPE, struct.pack("=I", NETDEV_QSTATS_SCOPE_QUEUE)),
                        True)
    except OSError as e:
        sys.exit("qstats.py: %s: no per-queue counters (%s)" % (argv[1], e.strerror))
    for s in stats:
        if uint(s.get(NETDEV_A_QSTATS_QUEUE_TYPE, b"\1")) == NETDEV_QUEUE_TYPE_RX and \
                NETDEV_A_QSTATS_RX_PACKETS in s:
            rx[uint(s[NETDEV_A_QSTATS_QUEUE_ID])] = uint(s[NETDEV_A_QSTATS_RX_PACKETS])
    if not rx:
        sys.exit("qstats.py: %s reports no per-queue rx counters" % argv[1])
    for q in sorted(rx):
        print("rx-%d %d %d" % (q, rx[q], napi.get(q, 0)))


if __name__ == "__main__":
    main(sys.argv)
