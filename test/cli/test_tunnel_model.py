#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 hashtap authors
"""vnet-hash --tunnels against a second, independent model of
docs/tunnel-hash.md and of the ordinary virtio hash rules it builds on.

The model below parses raw bytes itself and hashes with its own bitwise
Toeplitz; it shares no code with lib/vnet_hash.  A seeded generator writes
a few thousand frames (every encapsulation, outer IPv4 with options and
IPv6 with extension headers, VLAN tags, inner Ethernet/IP, GRE flag
combinations, GENEVE options, and hostile variants: truncated anywhere,
lying lengths, reserved bits, wrong versions, unknown payloads, outer
fragments, nested tunnels, ports swapped) to a pcap, vnet-hash reads it
with --tunnels all, none, each type alone and random subsets, with
several --types and keys, and every line must be the model's.  A
disagreement prints the frame in hex and both answers.  TAP output.

usage: test_tunnel_model.py VNET_HASH_BINARY [--seed N] [--frames N]
"""

import os
import random
import struct
import subprocess
import sys
import tempfile
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from tap import done, ok  # noqa: E402  (test/lib/tap.py)

# ------------------------------------------------------------------ model

MS_KEY = bytes.fromhex("6d5a56da255b0ec24167253d43a38fb0d0ca2bcb"
                       "ae7b30b477cb2da38030f20c6a42b73bbeac01fa")

# hash type bits and report values (virtio 1.2 5.1.6.4)
T_IPV4, T_TCPV4, T_UDPV4 = 1 << 0, 1 << 1, 1 << 2
T_IPV6, T_TCPV6, T_UDPV6 = 1 << 3, 1 << 4, 1 << 5
T_IP_EX, T_TCP_EX, T_UDP_EX = 1 << 6, 1 << 7, 1 << 8
T_ALL = 0x1ff
TYPE_NAMES = ["ipv4", "tcpv4", "udpv4", "ipv6", "tcpv6", "udpv6", "ip_ex", "tcp_ex", "udp_ex"]
REPORTS = ["NONE", "IPv4", "TCPv4", "UDPv4", "IPv6", "TCPv6", "UDPv6",
           "IPv6_EX", "TCPv6_EX", "UDPv6_EX"]

# tunnel type bits (docs/tunnel-hash.md, the table)
GRE_2784, GRE_2890, GRE_7676, GRE_UDP = 1 << 0, 1 << 1, 1 << 2, 1 << 3
VXLAN, VXLAN_GPE, GENEVE, IPIP, NVGRE = 1 << 4, 1 << 5, 1 << 6, 1 << 7, 1 << 8
TUN_ALL = 0x1ff
TUN_NAMES = ["gre_2784", "gre_2890", "gre_7676", "gre_udp", "vxlan", "vxlan_gpe",
             "geneve", "ipip", "nvgre"]

VLAN_TPIDS = (0x8100, 0x88A8)
# IPv6 extension headers walked: Hop-by-Hop, Routing, Fragment,
# Destination Options, Authentication, Mobility (its first byte, Payload
# Proto, taken as the next header, as QEMU's walk does)
V6_EXT = (0, 43, 44, 60, 51, 135)
V6_EXT_MAX = 8


def be16(b, o):
    return (b[o] << 8) | b[o + 1]


def toeplitz(key, data):
    """Bit by bit: for each set bit i of the input (MSB first), XOR in the
    32-bit window of the key starting at bit i."""
    k = int.from_bytes(key, "big")
    kbits = len(key) * 8
    res = 0
    for i in range(len(data) * 8):
        if data[i >> 3] & (0x80 >> (i & 7)):
            res ^= (k >> (kbits - 32 - i)) & 0xFFFFFFFF
    return res


# Where a packet ends.  The tunnel doc says "inside the frame"; the ordinary
# rules as hashtap applies them (lib/vnet_hash, the kernel, the PMD) also
# stop at the end that the IP header gives: IPv4 Total Length, IPv6 Payload
# Length, 0 meaning "up to the frame's end" (GSO, jumbograms).  A header or
# port number past that end is not there.  docs/tunnel-hash.md, "Where a
# packet ends", says the same for the outer and the inner packet.  Set it
# False to model the doc's former literal reading (the frame only).
IP_LENGTH_BOUND = True


def parse_l2(b, off, end):
    """Ethernet with 0-2 VLAN tags: (ethertype, offset of what follows), or None."""
    if end < off + 14:
        return None
    et, p = be16(b, off + 12), off + 14
    for _ in range(2):
        if et not in VLAN_TPIDS:
            break
        if end < p + 4:
            return None
        et, p = be16(b, p + 2), p + 4
    return et, p


class IPInfo:
    __slots__ = ("v", "src", "dst", "proto", "l4", "end", "frag", "ext", "hsrc", "hdst",
                 "walked")


def parse_ip4(b, off, end):
    if end < off + 20 or b[off] >> 4 != 4:
        return None
    ihl = (b[off] & 15) * 4
    tl = be16(b, off + 2)
    if IP_LENGTH_BOUND and tl:
        if tl < ihl:
            return None
        end = min(end, off + tl)
    if ihl < 20 or end < off + ihl:
        return None
    i = IPInfo()
    i.v, i.src, i.dst, i.proto = 4, b[off + 12:off + 16], b[off + 16:off + 20], b[off + 9]
    i.l4, i.end = off + ihl, end
    i.frag = (be16(b, off + 6) & 0x3FFF) != 0
    i.ext, i.hsrc, i.hdst, i.walked = False, None, None, True
    return i


def parse_ip6(b, off, end):
    """IPv6 and its extension headers (at most V6_EXT_MAX).  ext: an
    extension header follows, even one cut short; hsrc: the first Home
    Address option of a Destination Options header; hdst: the address of
    the first type-2 Routing Header (RFC 6275: Hdr Ext Len 2, Segments
    Left 1).  A Fragment header ends the walk (what follows it is not
    headers to trust).  walked: the walk reached the upper-layer header."""
    if end < off + 40 or b[off] >> 4 != 6:
        return None
    pl = be16(b, off + 4)
    if IP_LENGTH_BOUND and pl:
        end = min(end, off + 40 + pl)
    i = IPInfo()
    i.v, i.src, i.dst, i.end = 6, b[off + 8:off + 24], b[off + 24:off + 40], end
    i.frag, i.ext, i.hsrc, i.hdst, i.walked = False, False, None, None, True
    nh, p, n = b[off + 6], off + 40, 0
    while nh in V6_EXT:
        i.ext = True
        if n == V6_EXT_MAX or end < p + 2:
            i.walked = False
            break
        hl = 8 if nh == 44 else (b[p + 1] + 2) * 4 if nh == 51 else (b[p + 1] + 1) * 8
        if end < p + hl:
            i.walked = False
            break
        if nh == 44:
            i.frag = True
            nh, p = b[p], p + hl
            break
        if nh == 60:
            q = p + 2
            while q < p + hl:
                if b[q] == 0:          # Pad1
                    q += 1
                    continue
                if q + 2 > p + hl:
                    break
                ol = b[q + 1]
                if b[q] == 0xC9 and ol == 16 and q + 18 <= p + hl and i.hsrc is None:
                    i.hsrc = b[q + 2:q + 18]
                q += 2 + ol
        elif nh == 43 and b[p + 1] == 2 and b[p + 2] == 2 and b[p + 3] == 1 and i.hdst is None:
            i.hdst = b[p + 8:p + 24]
        nh, p, n = b[p], p + hl, n + 1
    i.proto, i.l4 = nh, p
    return i


def hash_ip(b, i, types, key):
    """The ordinary ladder for a parsed IP header: (report, hash)."""
    if i is None:
        return 0, 0
    tcp = not i.frag and i.walked and i.proto == 6 and i.end >= i.l4 + 20
    udp = not i.frag and i.walked and i.proto == 17 and i.end >= i.l4 + 8
    ports = b[i.l4:i.l4 + 4]
    if i.v == 4:
        if tcp and types & T_TCPV4:
            return 2, toeplitz(key, i.src + i.dst + ports)
        if udp and types & T_UDPV4:
            return 3, toeplitz(key, i.src + i.dst + ports)
        if types & T_IPV4:
            return 1, toeplitz(key, i.src + i.dst)
        return 0, 0
    if i.ext:
        s = i.hsrc or i.src
        d = i.hdst or i.dst
        if tcp and types & T_TCP_EX:
            return 8, toeplitz(key, s + d + ports)
        if udp and types & T_UDP_EX:
            return 9, toeplitz(key, s + d + ports)
        if types & T_IP_EX:
            return 7, toeplitz(key, s + d)
    if tcp and types & T_TCPV6:
        return 5, toeplitz(key, i.src + i.dst + ports)
    if udp and types & T_UDPV6:
        return 6, toeplitz(key, i.src + i.dst + ports)
    if types & T_IPV6:
        return 4, toeplitz(key, i.src + i.dst)
    return 0, 0


def parse_l3(b, et, off, end):
    if et == 0x0800:
        return parse_ip4(b, off, end)
    if et == 0x86DD:
        return parse_ip6(b, off, end)
    return None


def classify_plain(b, types, key, off, end):
    """The ordinary rules on an Ethernet frame at b[off:end]."""
    l2 = parse_l2(b, off, end)
    if l2 is None:
        return 0, 0
    return hash_ip(b, parse_l3(b, l2[0], l2[1], end), types, key)


def gre_match(b, p, end):
    """A GRE header at p: (inner kind, inner offset, C, K, S) or None."""
    if end < p + 4:
        return None
    w = be16(b, p)
    if w & 0x4C07:      # RFC 2784 2.3: bits 1-5 (less RFC 2890's K, S), version
        return None
    c, k, s = bool(w & 0x8000), bool(w & 0x2000), bool(w & 0x1000)
    hl = 4 + 4 * (c + k + s)
    if end < p + hl:
        return None
    kind = {0x0800: "ip4", 0x86DD: "ip6", 0x6558: "eth"}.get(be16(b, p + 2))
    if kind is None:
        return None
    return kind, p + hl, c, k, s


def tunnel_match(b):
    """(mask of tunnel types the frame is, inner kind, inner offset, end of
    the outer packet)."""
    none = 0, None, 0, 0
    l2 = parse_l2(b, 0, len(b))
    if l2 is None:
        return none
    o = parse_l3(b, l2[0], l2[1], len(b))
    if o is None or o.frag or not o.walked:
        return none
    p, end = o.l4, o.end
    if o.proto == 47:
        g = gre_match(b, p, end)
        if g is None:
            return none
        kind, inner, c, k, s = g
        m = (GRE_2784 if not (k or s) else GRE_2890) if o.v == 4 else GRE_7676
        if not c and k and not s and kind == "eth":
            m |= NVGRE
        return m, kind, inner, end
    if o.proto in (4, 41):
        return IPIP, "ip4" if o.proto == 4 else "ip6", p, end
    if o.proto != 17 or end < p + 8:
        return none
    dport, t = be16(b, p + 2), p + 8
    if dport == 4754:
        g = gre_match(b, t, end)
        return (GRE_UDP, g[0], g[1], end) if g else none
    if dport == 4789:
        if end >= t + 8 and b[t] & 0x08:
            return VXLAN, "eth", t + 8, end
        return none
    if dport == 4790:
        if end < t + 8:
            return none
        f, np_ = b[t], b[t + 3]
        kind = {1: "ip4", 2: "ip6", 3: "eth"}.get(np_)
        if f & 0x30 or not f & 0x08 or not f & 0x04 or kind is None:
            return none
        return VXLAN_GPE, kind, t + 8, end
    if dport == 6081:
        if end < t + 8 or b[t] & 0xC0:
            return none
        hl = 8 + 4 * (b[t] & 0x3F)
        kind = {0x0800: "ip4", 0x86DD: "ip6", 0x6558: "eth"}.get(be16(b, t + 2))
        if end < t + hl or kind is None:
            return none
        return GENEVE, kind, t + hl, end
    return none


def classify(b, types, tunnels, key):
    """(report, hash, tunnel name or None) as vnet-hash prints them."""
    m, kind, inner, end = tunnel_match(b)
    if m & tunnels:
        if kind == "eth":
            rep, h = classify_plain(b, types, key, inner, end)
        else:
            i = parse_ip4(b, inner, end) if kind == "ip4" else parse_ip6(b, inner, end)
            rep, h = hash_ip(b, i, types, key)
        hit = m & tunnels
        # vnet-hash prints one name: nvgre if it is one of them, else the lowest bit
        name = TUN_NAMES[8] if hit & NVGRE else TUN_NAMES[(hit & -hit).bit_length() - 1]
        return rep, h, name
    rep, h = classify_plain(b, types, key, 0, len(b))
    return rep, h, None


# -------------------------------------------------------------- generator

class Gen:
    """Frames built byte by byte (not by the code under test, nor by the model)."""

    def __init__(self, seed):
        self.r = random.Random(seed)

    def chance(self, p):
        return self.r.random() < p

    def rb(self, n):
        return bytes(self.r.getrandbits(8) for _ in range(n))

    def lie(self, n):
        """A length field for n bytes: mostly true, sometimes 0 (GSO,
        jumbograms), a little short or long, or anything."""
        r = self.r
        if not self.chance(0.12):
            return n & 0xFFFF
        return r.choice([0, max(0, n - r.randint(1, 48)), n + r.randint(1, 8),
                         r.getrandbits(16)]) & 0xFFFF

    def eth(self, et, tags=None):
        r = self.r
        if tags is None:
            tags = r.choice([0, 0, 0, 1, 1, 2, 3]) if self.chance(0.3) else 0
        h = b"\x02" + self.rb(5) + b"\x02" + self.rb(5)
        tp = [r.choice([0x8100, 0x88A8, 0x9100] if self.chance(0.1) else [0x8100, 0x88A8])
              for _ in range(tags)]
        chain = tp + [et]
        h += struct.pack("!H", chain[0])
        for t in chain[1:]:
            h += struct.pack("!HH", r.getrandbits(16), t)
        return h

    def ipv4(self, proto, payload, frag=None):
        r = self.r
        opt = b""
        if self.chance(0.25):
            n = r.randint(1, 10) * 4
            opt = (bytes([r.choice([1, 1, 0x94, 0x07, 0x44])]) + self.rb(n))[:n]
        ihl = 5 + len(opt) // 4
        if frag is None:
            frag = self.chance(0.08)
        ff = 0x4000 if self.chance(0.5) else 0
        if frag:
            ff = r.choice([0x2000, 0x2000 | r.randint(1, 0x1FFF), r.randint(1, 0x1FFF)])
        elif self.chance(0.03):
            ff |= 0x8000        # the reserved flag
        tl = self.lie(20 + len(opt) + len(payload))
        ver = 4
        if self.chance(0.02):
            ver = r.choice([0, 5, 6, 15])
        if self.chance(0.02):
            ihl = r.randint(0, 4)
        h = struct.pack("!BBHHHBBH4s4s", (ver << 4) | ihl, r.getrandbits(8), tl & 0xFFFF,
                        r.getrandbits(16), ff, r.randint(1, 255), proto, 0,
                        self.rb(4), self.rb(4))
        return h + opt + payload

    def v6_ext(self, nh):
        """One extension header with next header nh: (type, bytes)."""
        r = self.r
        t = r.choice([0, 60, 60, 43, 43, 44, 51, 135])
        if t == 44:
            fo = r.choice([0, 0, r.getrandbits(13)])
            return t, struct.pack("!BBHI", nh, 0, (fo << 3) | r.getrandbits(1),
                                  r.getrandbits(32))
        if t == 51:
            n = r.randint(1, 4)  # (len + 2) * 4 bytes
            return t, bytes([nh, n]) + self.rb((n + 2) * 4 - 2)
        if t == 43:
            if self.chance(0.6):
                # type 2 (one home address)
                segs = r.choice([1, 1, 0, 2])
                ln = 2 if self.chance(0.9) else r.choice([0, 4])
                body = bytes([nh, ln, 2, segs]) + b"\0" * 4 + self.rb(16)
                body = (body + self.rb(ln * 8 + 8))[:ln * 8 + 8]
                return t, body
            n = r.randint(0, 3)
            body = bytes([nh, n * 2, r.choice([0, 3, 4]), n]) + b"\0" * 4 + self.rb(16 * n)
            return t, body
        if t == 135:
            n = r.randint(0, 2)
            return t, bytes([nh, n, r.getrandbits(8), 0]) + self.rb(n * 8 + 4)
        # Hop-by-Hop / Destination Options: padding, unknown options, a HAO
        opts = b""
        if t == 60 and self.chance(0.5):
            opts += b"\x01\x02\0\0" + bytes([0xC9, 16]) + self.rb(16)
        for _ in range(r.randint(0, 2)):
            if self.chance(0.5):
                opts += b"\0"
            else:
                ln = r.randint(0, 6)
                opts += bytes([r.choice([0x1E, 0x05, 0x3E, 0xC9]), ln]) + self.rb(ln)
        total = -(-(len(opts) + 2) // 8) * 8
        pad = total - 2 - len(opts)
        if pad == 1:
            opts += b"\0"
        elif pad >= 2:
            opts += bytes([1, pad - 2]) + b"\0" * (pad - 2)
        return t, bytes([nh, total // 8 - 1]) + opts

    def ipv6(self, proto, payload, frag=None, nexts=None):
        r = self.r
        if nexts is None:
            nexts = r.choice([0, 0, 0, 1, 1, 2, 3, 7, 8, 9]) if self.chance(0.35) else 0
        exts = []
        nh = proto
        body = payload
        for _ in range(nexts):
            t, e = self.v6_ext(nh)
            exts.append(t)
            body = e + body
            nh = t
        if frag is None:
            frag = self.chance(0.05)
        if frag:
            body = struct.pack("!BBHI", nh, 0, r.choice([1, 8, 9, 0x10]), 7) + body
            nh = 44
        pl = self.lie(len(body))
        ver = 6 if not self.chance(0.02) else r.choice([4, 0, 7])
        h = struct.pack("!IHBB16s16s", (ver << 28) | r.getrandbits(20), pl, nh,
                        r.randint(1, 255), self.rb(16), self.rb(16))
        return h + body

    def ip(self, v, proto, payload, frag=None):
        return self.ipv4(proto, payload, frag) if v == 4 else self.ipv6(proto, payload, frag)

    def tcp(self, sport=None, dport=None):
        r = self.r
        sport = r.getrandbits(16) if sport is None else sport
        dport = r.getrandbits(16) if dport is None else dport
        return struct.pack("!HHIIBBHHH", sport, dport, r.getrandbits(32), 0, 0x50,
                           0x18, 512, 0, 0) + self.rb(r.randint(0, 12))

    def udp(self, payload, sport=None, dport=None):
        r = self.r
        sport = r.getrandbits(16) if sport is None else sport
        dport = r.getrandbits(16) if dport is None else dport
        ln = self.lie(8 + len(payload))
        return struct.pack("!HHHH", sport, dport, ln, 0) + payload

    def l4(self):
        """(protocol, bytes) of something IP carries."""
        r = self.r
        k = r.choice(["tcp", "tcp", "udp", "udp", "icmp", "other"])
        if k == "tcp":
            return 6, self.tcp()
        if k == "udp":
            return 17, self.udp(self.rb(r.randint(0, 16)))
        if k == "icmp":
            return 1, b"\x08\0\0\0" + self.rb(8)
        return r.choice([50, 132, 2, 103, 59]), self.rb(r.randint(0, 24))

    def inner_ip(self, v, depth):
        """An inner IP packet of version v (or a nested tunnel)."""
        if depth < 1 and self.chance(0.1):
            return self.tunnelled_ip(v, depth + 1)
        proto, l4 = self.l4()
        return self.ip(v, proto, l4)

    def inner_eth(self, depth):
        r = self.r
        k = r.random()
        if k < 0.07:
            return self.eth(0x0806) + self.rb(28)             # ARP
        if k < 0.1:
            return self.eth(r.getrandbits(16)) + self.rb(30)
        v = r.choice([4, 6])
        return self.eth(0x0800 if v == 4 else 0x86DD) + self.inner_ip(v, depth)

    def inner(self, kind, depth):
        """Payload for a tunnel that says kind; sometimes the wrong thing."""
        r = self.r
        if self.chance(0.06):
            alt = r.choice(["ip4", "ip6", "eth", "junk"])
            if alt == "junk":
                return self.rb(r.randint(0, 60))
            kind = alt
        if kind == "eth":
            return self.inner_eth(depth)
        return self.inner_ip(4 if kind == "ip4" else 6, depth)

    def gre(self, depth):
        r = self.r
        kind = r.choice(["ip4", "ip6", "eth", "eth"])
        pt = {"ip4": 0x0800, "ip6": 0x86DD, "eth": 0x6558}[kind]
        if self.chance(0.08):
            pt = r.choice([0x880B, 0x8847, 0x88BE, r.getrandbits(16)])
        c, k, s = self.chance(0.3), self.chance(0.5), self.chance(0.3)
        w = (c << 15) | (k << 13) | (s << 12)
        if self.chance(0.12):
            w |= 1 << r.choice(range(12)) if self.chance(0.8) else 0x4000
        if self.chance(0.04):
            w |= 1       # version 1 (PPTP)
        h = struct.pack("!HH", w, pt)
        if c:
            h += self.rb(2) + b"\0\0"
        if k:
            h += self.rb(4)
        if s:
            h += self.rb(4)
        return h + self.inner(kind, depth)

    def vxlan(self, depth):
        r = self.r
        f = 0x08
        if self.chance(0.15):
            f = r.choice([0x00, 0x0C, 0x88, 0xF7, r.getrandbits(8)])
        rsv = b"\0\0\0" if not self.chance(0.1) else self.rb(3)
        return bytes([f]) + rsv + self.rb(3) + b"\0" + self.inner("eth", depth)

    def gpe(self, depth):
        r = self.r
        np_ = r.choice([1, 2, 3, 3])
        f = 0x0C
        if self.chance(0.2):
            f = r.choice([0x08, 0x04, 0x1C, 0x2C, 0x3C, 0x0D, 0xCC, r.getrandbits(8)])
        if self.chance(0.08):
            np_ = r.choice([0, 4, 5, 0x81, 255])
        kind = {1: "ip4", 2: "ip6", 3: "eth"}.get(np_, "eth")
        return bytes([f, 0, 0, np_]) + self.rb(3) + b"\0" + self.inner(kind, depth)

    def geneve(self, depth):
        r = self.r
        ol = r.choice([0, 0, 1, 2, r.randint(0, 63)])
        ver = 0 if not self.chance(0.06) else r.randint(1, 3)
        kind = r.choice(["ip4", "ip6", "eth"])
        pt = {"ip4": 0x0800, "ip6": 0x86DD, "eth": 0x6558}[kind]
        if self.chance(0.08):
            pt = r.choice([0x8847, 0x894F, r.getrandbits(16)])
        opts = b""
        while len(opts) < ol * 4:
            n = min(r.randint(0, 5), ol - len(opts) // 4 - 1)
            opts += struct.pack("!HBB", r.getrandbits(16), r.getrandbits(8), n) + self.rb(4 * n)
        return (bytes([(ver << 6) | ol, r.getrandbits(8) & 0xC0]) + struct.pack("!H", pt) +
                self.rb(3) + b"\0" + opts + self.inner(kind, depth))

    def tunnelled_ip(self, v, depth=0):
        """An IP packet of version v carrying some encapsulation (or not)."""
        r = self.r
        enc = r.choice(["gre", "gre", "gre_udp", "vxlan", "vxlan", "gpe", "geneve", "geneve",
                        "ipip", "ipip", "swapped", "udp_other", "tcp_port", "plain"])
        tport = {"gre_udp": 4754, "vxlan": 4789, "gpe": 4790, "geneve": 6081}
        if enc == "gre":
            return self.ip(v, 47, self.gre(depth))
        if enc in tport:
            body = {"gre_udp": self.gre, "vxlan": self.vxlan, "gpe": self.gpe,
                    "geneve": self.geneve}[enc](depth)
            return self.ip(v, 17, self.udp(body, dport=tport[enc]))
        if enc == "ipip":
            iv = r.choice([4, 6])
            proto = 4 if iv == 4 else 41
            if self.chance(0.05):
                proto = 41 if iv == 4 else 4  # the other version inside
            return self.ip(v, proto, self.inner_ip(iv, depth))
        if enc == "swapped":
            # a tunnel port as the source, something else as destination
            p = r.choice(list(tport.values()))
            body = self.vxlan(depth) if p != 4754 else self.gre(depth)
            return self.ip(v, 17, self.udp(body, sport=p, dport=r.choice([53, 4788, 4791, 6080,
                                                                          r.getrandbits(16)])))
        if enc == "udp_other":
            return self.ip(v, 17, self.udp(self.rb(r.randint(0, 40))))
        if enc == "tcp_port":
            return self.ip(v, 6, self.tcp(dport=r.choice(list(tport.values()))))
        proto, l4 = self.l4()
        return self.ip(v, proto, l4)

    def frame(self):
        r = self.r
        if self.chance(0.03):
            return self.eth(r.choice([0x0806, 0x88CC, r.getrandbits(16)])) + self.rb(40)
        v = r.choice([4, 6])
        f = self.eth(0x0800 if v == 4 else 0x86DD) + self.tunnelled_ip(v)
        f = bytearray(f)
        if self.chance(0.05):
            f[r.randrange(len(f))] ^= 1 << r.randrange(8)
        if self.chance(0.25):
            f = f[:r.randint(0, len(f))]
        return bytes(f)


def base_frames():
    """Well-formed frames of every encapsulation, built field by field, for
    the sweeps: inner TCP/UDP over IPv4/IPv6, outer IPv4 with options and
    IPv6 with extension headers, VLAN tags inside and out."""
    def eth(et, tags=()):
        h = bytes.fromhex("020000000002020000000001")
        for t in tags:
            h += struct.pack("!HH", t, 5)
        return h + struct.pack("!H", et)

    def v4(proto, pay, opts=b""):
        return struct.pack("!BBHHHBBH4s4s", 0x45 + len(opts) // 4, 0, 20 + len(opts) + len(pay),
                           1, 0x4000, 64, proto, 0, bytes([66, 9, 149, 187]),
                           bytes([161, 142, 100, 80])) + opts + pay

    def v6(proto, pay, ext=b"", ext_nh=None):
        return struct.pack("!IHBB16s16s", 0x60000000, len(ext) + len(pay),
                           proto if ext_nh is None else ext_nh, 64,
                           bytes.fromhex("3ffe250102001fff0000000000000007"),
                           bytes.fromhex("3ffe2501020000030000000000000001")) + ext + pay

    tcp = struct.pack("!HHIIBBHHH", 2794, 1766, 1, 0, 0x50, 0x10, 512, 0, 0)
    udp = struct.pack("!HHHH", 14230, 4739, 12, 0) + b"abcd"
    in4t, in6u = v4(6, tcp), v6(17, udp)
    # Destination Options with a Home Address option, Routing type 2
    dst = bytes([17, 2]) + b"\x01\x02\0\0" + bytes([0xC9, 16]) + bytes(range(16))
    in6x = v6(17, udp, dst, 60)
    hbh = bytes([47, 0, 1, 4, 0, 0, 0, 0])
    out = []

    def udpt(port, pay):
        return struct.pack("!HHHH", 50001, port, 8 + len(pay), 0) + pay

    for ov in (4, 6):
        def o(proto, pay):
            return (eth(0x0800) + v4(proto, pay) if ov == 4 else
                    eth(0x86DD) + v6(proto, pay))
        ie = eth(0x0800, (0x8100,)) + in4t
        out += [
            o(47, struct.pack("!HH", 0, 0x0800) + in4t),
            o(47, struct.pack("!HH", 0xB000, 0x86DD) + b"\0" * 12 + in6u),
            o(47, struct.pack("!HHI", 0x2000, 0x6558, 0x1234500) + ie),
            o(17, udpt(4754, struct.pack("!HHI", 0x2000, 0x0800, 7) + in4t)),
            o(17, udpt(4789, bytes([8, 0, 0, 0, 0, 0, 7, 0]) + eth(0x86DD) + in6x)),
            o(17, udpt(4790, bytes([0x0C, 0, 0, 1, 0, 0, 7, 0]) + in4t)),
            o(17, udpt(4790, bytes([0x0C, 0, 0, 3, 0, 0, 7, 0]) + eth(0x86DD) + in6u)),
            o(17, udpt(6081, bytes([2, 0, 0x65, 0x58, 0, 0, 9, 0]) + b"\1\2\3\1\0\0\0\0" +
                       eth(0x0800, (0x88A8, 0x8100)) + in4t)),
            o(17, udpt(6081, bytes([0, 0, 0x86, 0xDD, 0, 0, 9, 0]) + in6x)),
            o(4, in4t),
            o(41, in6x),
            o(17, udpt(4789, bytes([8, 0, 0, 0, 0, 0, 7, 0]) + eth(0x0800) +
                       v4(17, udpt(4789, bytes([8, 0, 0, 0, 0, 0, 8, 0]) + ie)))),
        ]
    # outer IPv4 with options, outer IPv6 with an extension header, VLAN tags
    out += [eth(0x0800, (0x8100,)) + v4(47, struct.pack("!HH", 0x1000, 0x0800) + b"\0" * 4 +
                                        in4t, b"\x94\x04\0\0\x01\x01\x01\x00"),
            eth(0x86DD, (0x88A8, 0x8100)) + v6(47, struct.pack("!HH", 0, 0x0800) + in4t, hbh, 0)]
    return out


def big_frames():
    """The largest headers the rules allow: outer and inner IPv6 with eight
    2048-byte extension headers each, GENEVE with 252 bytes of options, and
    GRE over IPv6 behind two VLAN tags; each whole and cut short near its
    end (the inner TCP header) and at fixed points."""
    def opts(nh, size, t):
        # Hop-by-Hop or Destination Options of size bytes, PadN only
        body, pad = bytes([nh, size // 8 - 1]), size - 2
        while pad:
            n = min(pad - 2, 255)
            body, pad = body + bytes([1, n]) + b"\0" * n, pad - 2 - n
        return body

    def v6(proto, pay):
        chain, nh = b"", proto
        for t in [60] * 7 + [0]:
            chain, nh = opts(nh, 2048, t) + chain, t
        return struct.pack("!IHBB16s16s", 0x60000000, (len(chain) + len(pay)) & 0xFFFF, nh,
                           64, bytes(range(16)), bytes(range(16, 32))) + chain + pay

    eth = bytes.fromhex("020000000002020000000001")
    tcp = struct.pack("!HHIIBBHHH", 2794, 1766, 0, 0, 0x50, 0x10, 0, 0, 0)
    inner = eth + b"\x86\xdd" + v6(6, tcp)
    geneve = bytes([63, 0, 0x65, 0x58, 0, 0, 1, 0]) + bytes([1, 2, 0x80, 62]) + b"\0" * 248
    out = [eth + b"\x86\xdd" + v6(17, struct.pack("!HHHH", 50000, 6081, 0, 0) + geneve + inner),
           eth + b"\x81\x00\x00\x05\x88\xa8\x00\x06\x86\xdd" +
           v6(47, b"\xb0\x00\x65\x58" + b"\0" * 12 + inner)]
    cuts = []
    for b in out:
        cuts += [b[:n] for n in (54, 2048, 4000, 16466, len(b) - 40)]
        cuts += [b[:n] for n in range(len(b) - 24, len(b))]
    return out + cuts


def sweeps(bases):
    """Every prefix of each base frame, and its outer length field (IPv4
    Total Length or IPv6 Payload Length) set to every value from 0 to the
    frame's length."""
    out = []
    for b in bases:
        out += [b[:n] for n in range(len(b) + 1)]
        l2 = parse_l2(b, 0, len(b))
        at = l2[1] + (2 if l2[0] == 0x0800 else 4)
        for v in range(len(b) + 1):
            out.append(b[:at] + struct.pack("!H", v) + b[at + 2:])
    return out


def write_pcap(path, frames):
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        for i, b in enumerate(frames):
            f.write(struct.pack("<IIII", i, 0, len(b), len(b)))
            f.write(b)


# ----------------------------------------------------------------- runner



def fmt(n, rep, h, name):
    return f"{n} {REPORTS[rep]} 0x{h:08x}" + (f" {name}" if name else "")


def types_arg(t):
    return ",".join(n for i, n in enumerate(TYPE_NAMES) if t >> i & 1) or "none"


def tunnels_arg(t):
    return ",".join(n for i, n in enumerate(TUN_NAMES) if t >> i & 1) or "none"


def check(binary, pcap, frames, types, tunnels, key, label, show=5, env=None):
    args = [binary, "--types", types_arg(types), "--tunnels", tunnels_arg(tunnels)]
    if key != MS_KEY:
        args += ["--key", key.hex()]
    res = subprocess.run(args + [pcap], capture_output=True, text=True,
                         env=dict(os.environ, **(env or {})))
    got = res.stdout.splitlines()
    bad = []
    for n, b in enumerate(frames, 1):
        want = fmt(n, *classify(b, types, tunnels, key))
        line = got[n - 1] if n <= len(got) else "(no line)"
        if line != want:
            bad.append((n, b, line, want))
    good = res.returncode == 0 and len(got) == len(frames) and not bad
    if not good:
        print(f"# {' '.join(args[1:])}: exit {res.returncode}, {len(got)} lines for "
              f"{len(frames)} frames, {len(bad)} disagree {res.stderr.strip()}")
        for n, b, line, want in bad[:show]:
            print(f"#   frame {n}: {b.hex()}")
            print(f"#     vnet-hash: {line}")
            print(f"#     model:     {want}")
    ok(good, f"{label}: {len(frames)} frames, --types {types_arg(types)} "
             f"--tunnels {tunnels_arg(tunnels)}: vnet-hash = model "
             f"({len(bad)} disagree)")
    return bad


def self_test():
    """The model's own anchors, from outside it: the Microsoft vectors."""
    ok(toeplitz(MS_KEY, bytes([66, 9, 149, 187, 161, 142, 100, 80, 0x0a, 0xea, 0x06, 0xe6]))
       == 0x51CCC178, "model Toeplitz: the Microsoft TCPv4 vector 66.9.149.187:2794 > "
       "161.142.100.80:1766 = 0x51ccc178")
    src = bytes.fromhex("3ffe250102001fff0000000000000007")
    dst = bytes.fromhex("3ffe2501020000030000000000000001")
    ok(toeplitz(MS_KEY, src + dst) == 0x2CC18CD5,
       "model Toeplitz: the Microsoft IPv6 vector 3ffe:2501:200:1fff::7 > "
       "3ffe:2501:200:3::1 = 0x2cc18cd5")


def main():
    args = sys.argv[1:]
    if not args or args[0].startswith("-"):
        print(__doc__, file=sys.stderr)
        return 2
    binary = args[0]
    if not os.access(binary, os.X_OK):
        print(f"not ok 1 - {binary}: no such program\n1..1")
        return 1
    seed, nframes = 20261202, 3000
    i = 1
    while i < len(args):
        if args[i] == "--seed":
            seed = int(args[i + 1])
        elif args[i] == "--frames":
            nframes = int(args[i + 1])
        else:
            print(f"unknown argument {args[i]}", file=sys.stderr)
            return 2
        i += 2
    print(f"# seed {seed}, {nframes} frames")
    self_test()
    g = Gen(seed)
    frames = [g.frame() for _ in range(nframes)]
    # the generator must reach what it means to: count the model's classes
    cover = {}
    for b in frames:
        m = tunnel_match(b)[0]
        for bit in range(9):
            if m >> bit & 1:
                cover[TUN_NAMES[bit]] = cover.get(TUN_NAMES[bit], 0) + 1
        if m == 0:
            cover["outer"] = cover.get("outer", 0) + 1
    print("# frames per matching type (model): " +
          " ".join(f"{k}={v}" for k, v in sorted(cover.items())))
    ok(all(cover.get(n, 0) >= nframes // 200 for n in TUN_NAMES + ["outer"]),
       "the frames cover every encapsulation type and frames that match none")
    tmp = tempfile.mkdtemp(prefix="tunnel-model.")
    try:
        pcap = os.path.join(tmp, "frames.pcap")
        write_pcap(pcap, frames)
        r = random.Random(seed + 1)
        check(binary, pcap, frames, T_ALL, 0, MS_KEY, "no tunnels")
        check(binary, pcap, frames, T_ALL, TUN_ALL, MS_KEY, "all tunnels")
        for bit in range(9):
            check(binary, pcap, frames, T_ALL, 1 << bit, MS_KEY, f"{TUN_NAMES[bit]} alone")
        for _ in range(3):
            check(binary, pcap, frames, T_ALL, r.getrandbits(9), MS_KEY, "a subset")
        for _ in range(4):
            check(binary, pcap, frames, r.getrandbits(9), TUN_ALL, MS_KEY, "some hash types")
        key = bytes(r.getrandbits(8) for _ in range(r.choice([40, 52])))
        check(binary, pcap, frames, T_ALL, TUN_ALL, key, f"a random {len(key)}-byte key")
        bases = base_frames()
        masks = [tunnel_match(b)[0] for b in bases]
        union = 0
        for m in masks:
            union |= m
        ok(all(masks) and union == TUN_ALL,
           f"{len(bases)} well-formed frames: each matches, every type among them (model)")
        swept = sweeps(bases)
        write_pcap(pcap, swept)
        check(binary, pcap, swept, T_ALL, TUN_ALL, MS_KEY,
              "sweeps (every prefix, every outer length)")
        check(binary, pcap, swept, T_ALL, 0, MS_KEY, "sweeps")
        check(binary, pcap, swept, T_UDPV4 | T_TCPV6 | T_IP_EX | T_UDP_EX, TUN_ALL, MS_KEY,
              "sweeps")
        big = big_frames()
        write_pcap(pcap, big)
        ok(all(tunnel_match(b)[0] for b in big[:2]) and len(big[0]) > 33000,
           f"{len(big[0])}- and {len(big[1])}-byte frames: headers as large as the rules "
           "allow, each matches (model)")
        check(binary, pcap, big, T_ALL, TUN_ALL, MS_KEY, "largest headers")
        check(binary, pcap, big, T_ALL, GENEVE | GRE_7676, MS_KEY, "largest headers")
        check(binary, pcap, big, T_ALL, 0, MS_KEY, "largest headers")
        # the portable Toeplitz as well as the one this CPU picks
        write_pcap(pcap, frames)
        check(binary, pcap, frames, T_ALL, TUN_ALL, MS_KEY, "VNET_HASH_TOEPLITZ=softrss",
              env={"VNET_HASH_TOEPLITZ": "softrss"})
    finally:
        for f in os.listdir(tmp):
            os.unlink(os.path.join(tmp, f))
        os.rmdir(tmp)
    return done()


if __name__ == "__main__":
    sys.exit(main())
