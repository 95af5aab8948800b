#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 hashtap authors
"""One TCP stream or a burst of UDP datagrams between two namespaces, for
tests, benchmarks and the demo (run each side with "ip netns exec").

  flow.py tcp-recv ADDR PORT [--gbps]    print the bytes received (or Gbit/s)
  flow.py tcp-send ADDR PORT (--bytes N | --seconds S)
  flow.py udp-recv ADDR PORT             print the datagrams received
  flow.py udp-send ADDR PORT COUNT [SIZE]  (paced: 10 ms every 100)
  flow.py flows-recv ADDR PORT N COUNT  N UDP flows, to ports PORT..PORT+N-1:
                                  per flow "PORT DATAGRAMS NAPI-IDS", the
                                  NAPI instances (rx queues) it came in on
  flow.py flows-send ADDR PORT N COUNT  N flows (a socket, so a source port,
                                  each), COUNT datagrams each, interleaved

Receivers stop when the sender closes (TCP) or after 2 s of silence (UDP);
every side gives up after 20 s without progress (--wait S: S seconds for
the first byte).  flows-recv stops when every flow has COUNT datagrams,
or after 10 s of silence.
"""

import select
import socket
import sys
import time

SO_INCOMING_NAPI_ID = 56
SO_RCVBUFFORCE = 33


def tcp_recv(addr, port, gbps, wait):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, port))
    s.listen(1)
    s.settimeout(wait)
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


def udp_socket():
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    # room for every datagram of a burst while this process waits for a
    # core: a small datagram costs ~1 KiB of the receive buffer, and the
    # default (rmem_default, ~208 KiB) holds ~200 of them; as root, more
    # than rmem_max
    try:
        s.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, 8 << 20)
    except OSError:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
    return s


def udp_recv(addr, port, wait):
    s = udp_socket()
    s.bind((addr, port))
    s.settimeout(wait)
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


def flows_recv(addr, port, nflows, count, wait):
    socks = {}
    for i in range(nflows):
        s = udp_socket()
        s.bind((addr, port + i))
        s.setblocking(False)
        socks[s] = port + i
    got = {p: 0 for p in socks.values()}
    napi = {p: set() for p in socks.values()}
    timeout = wait
    while min(got.values()) < count:
        ready, _, _ = select.select(list(socks), [], [], timeout)
        if not ready:
            break
        timeout = 10
        for s in ready:
            while True:
                try:
                    s.recv(65536)
                except BlockingIOError:
                    break
                p = socks[s]
                got[p] += 1
                # the NAPI instance of the datagram just queued: the
                # rx queue it came in on (0 when the device has none)
                napi[p].add(s.getsockopt(socket.SOL_SOCKET, SO_INCOMING_NAPI_ID))
    for p in sorted(got):
        print(p, got[p], ",".join(str(n) for n in sorted(napi[p])) or "-")


def flows_send(addr, port, nflows, count):
    socks = [socket.socket(socket.AF_INET, socket.SOCK_DGRAM) for _ in range(nflows)]
    for i in range(count):
        for k, s in enumerate(socks):
            s.sendto(b"f" * 256, (addr, port + k))
        if i % 25 == 24:
            time.sleep(0.01)


def main(argv):
    if len(argv) < 4:
        sys.exit(__doc__)
    mode, addr, port = argv[1], argv[2], int(argv[3])
    rest = argv[4:]
    wait = 20
    if "--wait" in rest:
        i = rest.index("--wait")
        wait = float(rest[i + 1])
        del rest[i:i + 2]
    if mode == "tcp-recv":
        tcp_recv(addr, port, "--gbps" in rest, wait)
    elif mode == "tcp-send" and len(rest) == 2 and rest[0] in ("--bytes", "--seconds"):
        tcp_send(addr, port, int(rest[1]) if rest[0] == "--bytes" else None,
                 float(rest[1]) if rest[0] == "--seconds" else None)
    elif mode == "udp-recv":
        udp_recv(addr, port, wait)
    elif mode == "flows-recv" and len(rest) == 2:
        flows_recv(addr, port, int(rest[0]), int(rest[1]), wait)
    elif mode == "flows-send" and len(rest) == 2:
        flows_send(addr, port, int(rest[0]), int(rest[1]))
    elif mode == "udp-send" and rest:
        udp_send(addr, port, int(rest[0]), int(rest[1]) if len(rest) > 1 else 512)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
