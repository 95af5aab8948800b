#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 hashtap authors
"""One TCP stream or a burst of UDP datagrams between two namespaces, for
tests, benchmarks and the demo (run each side with "ip netns exec").

  flow.py tcp-recv ADDR PORT [--gbps]    print the bytes received (or Gbit/s)
  flow.py tcp-send ADDR PORT (--bytes N | --seconds S)
  flow.py udp-recv ADDR PORT             print the datagrams received
  flow.py udp-send ADDR PORT COUNT [SIZE]  (paced: 10 ms every 100)

Receivers stop when the sender closes (TCP) or after 2 s of silence (UDP);
every side gives up after 20 s without progress.
"""

import socket
import sys
import time


def tcp_recv(addr, port, gbps):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, port))
    s.listen(1)
    s.settimeout(20)
    c, _ = s.accept()
    c.settimeout(20)
    n, t = 0, time.time()
    while True:
        b = c.recv(1 << 20)
        if not b:
            break
        n += len(b)
    print("%.2f" % (n * 8 / (time.time() - t) / 1e9) if gbps else n)


def tcp_send(addr, port, nbytes, seconds):
    s = socket.create_connection((addr, port), timeout=20)
    if nbytes is not None:
        s.sendall(b"h" * nbytes)
    else:
        b, t = b"x" * (1 << 20), time.time()
        while time.time() - t < seconds:
            s.sendall(b)
    s.close()


def udp_recv(addr, port):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    # room for every datagram of a burst while this process waits for a
    # core: a small datagram costs ~1 KiB of the receive buffer, and the
    # default (rmem_default, ~208 KiB) holds ~200 of them; as root, more
    # than rmem_max
    try:
        s.setsockopt(socket.SOL_SOCKET, 33, 8 << 20)  # SO_RCVBUFFORCE
    except OSError:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
    s.bind((addr, port))
    s.settimeout(20)
    n = 0
    try:
        while True:
            s.recv(65536)
            n += 1
            s.settimeout(2)
    except socket.timeout:
        pass
    print(n)


def udp_send(addr, port, count, size):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    for i in range(count):
        s.sendto(b"u" * size, (addr, port))
        if i % 100 == 99:
            time.sleep(0.01)


def main(argv):
    if len(argv) < 4:
        sys.exit(__doc__)
    mode, addr, port = argv[1], argv[2], int(argv[3])
    rest = argv[4:]
    if mode == "tcp-recv":
        tcp_recv(addr, port, "--gbps" in rest)
    elif mode == "tcp-send" and len(rest) == 2 and rest[0] in ("--bytes", "--seconds"):
        tcp_send(addr, port, int(rest[1]) if rest[0] == "--bytes" else None,
                 float(rest[1]) if rest[0] == "--seconds" else None)
    elif mode == "udp-recv":
        udp_recv(addr, port)
    elif mode == "udp-send" and rest:
        udp_send(addr, port, int(rest[0]), int(rest[1]) if len(rest) > 1 else 512)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
