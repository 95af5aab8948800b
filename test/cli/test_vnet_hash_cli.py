#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 hashtap authors
"""The vnet-hash CLI end to end: scapy writes a pcap from the Toeplitz
reference vectors (frames laid out by scapy, not by our code), vnet-hash
reads it, and every line must carry the vectors' hash and the report type
the spec gives, with each Toeplitz implementation this CPU runs (GFNI and
rte_softrss_be, chosen by VNET_HASH_TOEPLITZ).  Also its options, its
errors, and what --version and --help say.  TAP output.

usage: test_vnet_hash_cli.py VNET_HASH_BINARY VECTORS.tsv
"""

import logging
import os
import subprocess
import sys
import tempfile
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from tap import done, ok  # noqa: E402  (test/lib/tap.py)

from scapy.layers.inet import ICMP, IP, TCP, UDP
from scapy.layers.inet6 import (HAO, IPv6, IPv6ExtHdrDestOpt, IPv6ExtHdrFragment,
                                IPv6ExtHdrHopByHop, IPv6ExtHdrRouting, ICMPv6EchoRequest)
from scapy.contrib.geneve import GENEVE
from scapy.layers.l2 import GRE, Dot1AD, Dot1Q, Ether
from scapy.layers.vxlan import VXLAN
from scapy.utils import wrpcap

logging.getLogger("scapy.runtime").setLevel(logging.ERROR)
ETH = Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02")


def load_vectors(path):
    key, rows = None, []
    with open(path) as f:
        for line in f:
            if line.startswith("# key: "):
                key = line[7:].strip()
            elif line.startswith("#") or line.startswith("family") or not line.strip():
                continue
            else:
                fam, src, sp, dst, dp, l3, l4 = line.split()
                rows.append(dict(fam=fam, src=src, sport=int(sp), dst=dst, dport=int(dp),
                                 l3=int(l3, 16), l4=int(l4, 16)))
    return key, rows


def frames_for(r):
    """(frame, types, expected report, expected hash, name) for one vector."""
    eth = ETH
    s, d, sp, dp = r["src"], r["dst"], r["sport"], r["dport"]
    name = f"{s}:{sp} > {d}:{dp}"
    out = []
    if r["fam"] == "ipv4":
        out += [
            (eth / IP(src=s, dst=d) / TCP(sport=sp, dport=dp), "all", "TCPv4", r["l4"], "tcp"),
            (eth / IP(src=s, dst=d) / UDP(sport=sp, dport=dp), "all", "UDPv4", r["l4"], "udp"),
            (eth / IP(src=s, dst=d) / ICMP(), "all", "IPv4", r["l3"], "icmp"),
            (eth / IP(src=s, dst=d) / TCP(sport=sp, dport=dp), "ipv4,udpv4", "IPv4", r["l3"],
             "tcp, types ipv4,udpv4"),
            (eth / IP(src=s, dst=d, flags="MF") / UDP(sport=sp, dport=dp), "all", "IPv4",
             r["l3"], "udp fragment"),
            (eth / IP(src=s, dst=d, options=b"\x01\x01\x01\x00") / TCP(sport=sp, dport=dp),
             "all", "TCPv4", r["l4"], "tcp with IP options"),
            (eth / Dot1Q(vlan=5) / IP(src=s, dst=d) / TCP(sport=sp, dport=dp), "all",
             "TCPv4", r["l4"], "802.1Q tcp"),
            (eth / Dot1AD(vlan=6) / Dot1Q(vlan=7) / IP(src=s, dst=d) / UDP(sport=sp, dport=dp),
             "all", "UDPv4", r["l4"], "QinQ udp"),
        ]
    else:
        o1, o2 = "2001:db8::1", "2001:db8::2"
        sub = (IPv6ExtHdrRouting(type=2, segleft=1, addresses=[d]) /
               IPv6ExtHdrDestOpt(options=[HAO(hoa=s)]))
        out += [
            (eth / IPv6(src=s, dst=d) / TCP(sport=sp, dport=dp), "all", "TCPv6", r["l4"], "tcp"),
            (eth / IPv6(src=s, dst=d) / UDP(sport=sp, dport=dp), "all", "UDPv6", r["l4"], "udp"),
            (eth / IPv6(src=s, dst=d) / ICMPv6EchoRequest(), "all", "IPv6", r["l3"], "icmpv6"),
            (eth / IPv6(src=s, dst=d) / IPv6ExtHdrHopByHop() / TCP(sport=sp, dport=dp), "all",
             "TCPv6_EX", r["l4"], "hop-by-hop tcp"),
            (eth / IPv6(src=o1, dst=o2) / sub / TCP(sport=sp, dport=dp), "all", "TCPv6_EX",
             r["l4"], "RT2 + HAO tcp"),
            (eth / IPv6(src=o1, dst=o2) / sub / UDP(sport=sp, dport=dp), "all", "UDPv6_EX",
             r["l4"], "RT2 + HAO udp"),
            (eth / IPv6(src=o1, dst=o2) / sub / ICMPv6EchoRequest(), "all", "IPv6_EX",
             r["l3"], "RT2 + HAO icmpv6"),
            (eth / IPv6(src=s, dst=d) /
             IPv6ExtHdrRouting(type=2, segleft=1, addresses=[o2]) /
             IPv6ExtHdrDestOpt(options=[HAO(hoa=o1)]) / TCP(sport=sp, dport=dp),
             "ipv4,tcpv4,udpv4,ipv6,tcpv6,udpv6", "TCPv6", r["l4"], "RT2 + HAO, no _EX types"),
            (eth / IPv6(src=s, dst=d) / IPv6ExtHdrFragment(m=1) / TCP(sport=sp, dport=dp),
             "all", "IPv6_EX", r["l3"], "fragment"),
            (eth / Dot1Q(vlan=5) / IPv6(src=s, dst=d) / TCP(sport=sp, dport=dp), "all",
             "TCPv6", r["l4"], "802.1Q tcp"),
        ]
    return [(f, t, rep, h, f"{name} {n}") for f, t, rep, h, n in out]


def tunnel_frames(rows):
    """(frame, expected report, hash, tunnel name, outer report, name): each
    vector row inside each encapsulation, built by scapy; the outer header
    is another row's addresses, so an IP-only outer hash is its l3 value."""
    out = []
    v4 = [r for r in rows if r["fam"] == "ipv4"]
    v6 = [r for r in rows if r["fam"] == "ipv6"]
    for i, r in enumerate(rows):
        o4, o6 = v4[(i + 1) % len(v4)], v6[(i + 1) % len(v6)]
        s, d, sp, dp = r["src"], r["dst"], r["sport"], r["dport"]
        ip = IP if r["fam"] == "ipv4" else IPv6
        tcp = ip(src=s, dst=d) / TCP(sport=sp, dport=dp)
        udp = ip(src=s, dst=d) / UDP(sport=sp, dport=dp)
        rt, ru = ("TCPv4", "UDPv4") if r["fam"] == "ipv4" else ("TCPv6", "UDPv6")
        et = 0x0800 if r["fam"] == "ipv4" else 0x86DD
        O4 = ETH / IP(src=o4["src"], dst=o4["dst"])
        O6 = ETH / IPv6(src=o6["src"], dst=o6["dst"])
        n = f"{s}:{sp} > {d}:{dp}"
        out += [
            (O4 / UDP(sport=50000 + i, dport=4789) / VXLAN(flags=0x08, vni=7) / ETH / tcp,
             rt, r["l4"], "vxlan", "UDPv4", f"VXLAN/IPv4 {n}"),
            (O6 / UDP(sport=50000 + i, dport=4789) / VXLAN(flags=0x08, vni=7) / ETH / udp,
             ru, r["l4"], "vxlan", "UDPv6", f"VXLAN/IPv6 {n}"),
            (O4 / UDP(sport=50000 + i, dport=4790) /
             VXLAN(flags=0x0c, NextProtocol=1 if r["fam"] == "ipv4" else 2) / tcp,
             rt, r["l4"], "vxlan_gpe", "UDPv4", f"VXLAN-GPE {n}"),
            (O6 / UDP(sport=50000 + i, dport=6081) / GENEVE(proto=0x6558, vni=9) / ETH / tcp,
             rt, r["l4"], "geneve", "UDPv6", f"GENEVE, inner Ethernet {n}"),
            (O4 / UDP(sport=50000 + i, dport=6081) / GENEVE(proto=et, optionlen=2,
                                                            options=b"\x01\x01\x01\x01" * 2) /
             udp, ru, r["l4"], "geneve", "UDPv4", f"GENEVE with options, inner IP {n}"),
            (O4 / GRE(proto=et) / tcp, rt, r["l4"], "gre_2784", "IPv4", f"GRE {n}"),
            (O4 / GRE(key_present=1, key=3, seqnum_present=1, proto=et) / udp, ru, r["l4"],
             "gre_2890", "IPv4", f"GRE with key and sequence {n}"),
            (O6 / GRE(proto=et) / tcp, rt, r["l4"], "gre_7676", "IPv6", f"GRE over IPv6 {n}"),
            (O4 / GRE(key_present=1, key=0x12345600, proto=0x6558) / ETH / tcp, rt, r["l4"],
             "nvgre", "IPv4", f"NVGRE {n}"),
            (O6 / UDP(sport=50000 + i, dport=4754) / GRE(proto=et) / udp, ru, r["l4"],
             "gre_udp", "UDPv6", f"GRE-in-UDP {n}"),
            (O4 / tcp, rt, r["l4"], "ipip", "IPv4", f"IP in IPv4 {n}"),
            (O6 / udp, ru, r["l4"], "ipip", "IPv6", f"IP in IPv6 {n}"),
        ]
    return out


def check_tunnels(binary, rows, tmp):
    frames = tunnel_frames(rows)
    pcap = os.path.join(tmp, "tunnels.pcap")
    wrpcap(pcap, [f[0] for f in frames])
    res = run(binary, "--tunnels", "all", pcap)
    lines = res.stdout.splitlines()
    ok(res.returncode == 0 and len(lines) == len(frames),
       f"--tunnels all: {len(lines)} lines for {len(frames)} frames ({res.stderr.strip()})")
    for i, (f, rep, h, tn, orep, name) in enumerate(frames):
        want = f"{i + 1} {rep} 0x{h:08x} {tn}"
        ok(i < len(lines) and lines[i] == want,
           f"--tunnels all: {name}: '{lines[i] if i < len(lines) else ''}', want '{want}'")
    res = run(binary, pcap)
    lines = res.stdout.splitlines()
    bad = [name for (f, rep, h, tn, orep, name), line in zip(frames, lines)
           if len(line.split()) != 3 or line.split()[1] != orep]
    ok(res.returncode == 0 and len(lines) == len(frames) and not bad,
       f"no --tunnels: every frame hashed on its outer header ({bad[:3]})")
    res = run(binary, "--tunnels", "none", pcap)
    ok(res.returncode == 0 and res.stdout == run(binary, pcap).stdout, "--tunnels none = default")
    # one type enabled: only its frames inside
    res = run(binary, "--tunnels", "GENEVE", pcap)
    lines = res.stdout.splitlines()
    bad = [name for (f, rep, h, tn, orep, name), line in zip(frames, lines)
           if (tn == "geneve") != line.endswith(" geneve")]
    ok(res.returncode == 0 and len(lines) == len(frames) and not bad,
       f"--tunnels GENEVE: the GENEVE frames inside, the others outside ({bad[:3]})")
    res = run(binary, "--tunnels", "gre", pcap)
    lines = res.stdout.splitlines()
    bad = [name for (f, rep, h, tn, orep, name), line in zip(frames, lines)
           if (tn in ("gre_2784", "gre_2890", "gre_7676", "nvgre")) != (len(line.split()) == 4)]
    ok(res.returncode == 0 and not bad,
       f"--tunnels gre: GRE over IPv4/IPv6 and NVGRE (GRE with a key) inside ({bad[:3]})")
    res = run(binary, "--tunnels", "vxlan,mpls", pcap)
    ok(res.returncode == 2 and "mpls" in res.stderr and "--tunnels" in res.stderr,
       f"--tunnels vxlan,mpls: exit 2, names the word ({res.stderr.strip()!r})")
    res = run(binary, "--help")
    ok("--tunnels" in res.stdout and "vxlan_gpe" in res.stdout, "--help: --tunnels and its names")


def run(binary, *args, impl=None):
    """Run with VNET_HASH_TOEPLITZ=impl, or without it (None)."""
    env = {k: v for k, v in os.environ.items() if k != "VNET_HASH_TOEPLITZ"}
    if impl is not None:
        env["VNET_HASH_TOEPLITZ"] = impl
    return subprocess.run([binary, *args], capture_output=True, text=True, env=env)


def cpu_has_gfni():
    """/proc/cpuinfo lists GFNI and the AVX-512 subsets the GFNI path needs."""
    need = {"gfni", "avx512f", "avx512bw", "avx512vl", "avx512dq", "avx512vbmi"}
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("flags"):
                return need <= set(line.split(":", 1)[1].split())
    raise RuntimeError("/proc/cpuinfo has no flags line")


def check_impl(binary, gfni):
    """--version and --help name the Toeplitz implementation; the variable picks it."""
    auto = "gfni" if gfni else "softrss"
    avail = "available" if gfni else "not available"
    res = run(binary, "--version")
    ok(res.returncode == 0 and "vnet-hash (hashtap) " in res.stdout and
       f"Toeplitz: {auto} (GFNI/AVX-512 path {avail} here)" in res.stdout,
       f"--version: exit 0, version, Toeplitz {auto} ({res.stdout.strip()!r})")
    res = run(binary, "--help")
    ok(res.returncode == 0 and f"Here: {auto}." in res.stdout and
       "VNET_HASH_TOEPLITZ=softrss" in res.stdout,
       f"--help: says Toeplitz {auto} here and how to force softrss")
    res = run(binary, "-V", impl="softrss")
    ok(res.returncode == 0 and "Toeplitz: softrss" in res.stdout and res.stderr == "",
       "VNET_HASH_TOEPLITZ=softrss: --version says softrss")
    res = run(binary, "-V", impl="gfni")
    if gfni:
        ok(res.returncode == 0 and "Toeplitz: gfni" in res.stdout and res.stderr == "",
           "VNET_HASH_TOEPLITZ=gfni: --version says gfni")
    else:
        ok(res.returncode == 0 and "Toeplitz: softrss" in res.stdout and
           "VNET_HASH_TOEPLITZ=gfni" in res.stderr,
           "VNET_HASH_TOEPLITZ=gfni without GFNI/AVX-512: says so, runs softrss")
    res = run(binary, "-V", impl="avx")
    ok(res.returncode == 0 and f"Toeplitz: {auto}" in res.stdout and
       'VNET_HASH_TOEPLITZ="avx"' in res.stderr,
       f"VNET_HASH_TOEPLITZ=avx: names the bad value, runs {auto} ({res.stderr.strip()!r})")


def main():
    binary, vectors = sys.argv[1], sys.argv[2]
    key, rows = load_vectors(vectors)
    cases = [c for r in rows for c in frames_for(r)]
    cases.append((ETH / Dot1Q(type=0x88b5) / (b"\x00" * 40), "all", "NONE", 0,
                  "non-IP after a tag"))
    gfni = cpu_has_gfni()
    print(f"# /proc/cpuinfo: {'has' if gfni else 'no'} GFNI/AVX-512")
    tmp = tempfile.mkdtemp(prefix="vnet-hash-cli.")
    try:
        check_impl(binary, gfni)
        check_tunnels(binary, rows, tmp)
        # one pcap per types setting, frames in order; with the implementation
        # the CPU picks, and with rte_softrss_be() forced
        for impl in (None, "softrss"):
            tag = f"VNET_HASH_TOEPLITZ={impl}: " if impl else ""
            for types in sorted({c[1] for c in cases}):
                sel = [c for c in cases if c[1] == types]
                pcap = os.path.join(tmp, "frames.pcap")
                wrpcap(pcap, [c[0] for c in sel])
                res = run(binary, "--types", types, pcap, impl=impl)
                ok(res.returncode == 0, f"{tag}--types {types}: exit 0 ({res.stderr.strip()})")
                lines = res.stdout.splitlines()
                ok(len(lines) == len(sel),
                   f"{tag}--types {types}: {len(lines)} lines for {len(sel)} frames")
                for i, (c, line) in enumerate(zip(sel, lines)):
                    want = f"{i + 1} {c[2]} 0x{c[3]:08x}"
                    ok(line == want, f"{tag}{c[4]}: '{line}', want '{want}'")

        pcap = os.path.join(tmp, "one.pcap")
        r0 = rows[0]
        wrpcap(pcap, [ETH / IP(src=r0["src"], dst=r0["dst"]) /
                      TCP(sport=r0["sport"], dport=r0["dport"])])
        want = f"1 TCPv4 0x{r0['l4']:08x}\n"
        res = run(binary, "--key", key, pcap)
        ok(res.returncode == 0 and res.stdout == want, "--key HEX (the vectors' key)")
        colons = ":".join(key[i:i + 2] for i in range(0, len(key), 2))
        res = run(binary, "-k", colons, pcap)
        ok(res.returncode == 0 and res.stdout == want, "--key with colons")
        res = run(binary, "--key", key + "00" * 12, pcap)
        ok(res.returncode == 0 and res.stdout == want,
           "52-byte key: the bytes past 40 do not change a hash")
        other = "".join(f"{(i * 37 + 11) & 0xff:02x}" for i in range(40))
        res = run(binary, "--key", other, pcap)
        ok(res.returncode == 0 and res.stdout != want and "TCPv4" in res.stdout,
           "another key, another hash")
        with open(pcap, "rb") as f:
            res = subprocess.run([binary, "-"], stdin=f, capture_output=True, text=True)
        ok(res.returncode == 0 and res.stdout == want, "reads stdin with '-'")
        res = run(binary, "--types", "none", pcap)
        ok(res.returncode == 0 and res.stdout == "1 NONE 0x00000000\n", "--types none")

        # --types takes back every name it prints, and DPDK's (testpmd's);
        # the expected equivalences are the spec's table and DPDK's flag
        # names, written out here
        allp = os.path.join(tmp, "all.pcap")
        wrpcap(allp, [c[0] for c in cases])
        ref = {}
        ours = ["ipv4", "tcpv4", "udpv4", "ipv6", "tcpv6", "udpv6", "ip_ex", "tcp_ex", "udp_ex"]
        for t in ours:
            ref[t] = run(binary, "--types", t, allp).stdout
        ok(len(set(ref.values())) == len(ours), "each type name selects something of its own")
        reports = ["IPv4", "TCPv4", "UDPv4", "IPv6", "TCPv6", "UDPv6", "IPv6_EX", "TCPv6_EX",
                   "UDPv6_EX"]
        printed = {line.split()[1] for line in run(binary, allp).stdout.splitlines()}
        ok(printed == set(reports) | {"NONE"},
           f"the names it prints, every one of them: {sorted(printed)}")
        # round trip: every name it printed goes back into --types as it is
        for rep in sorted(printed):
            res = run(binary, "--types", rep, allp)
            ok(res.returncode == 0 and res.stdout.splitlines() and
               all(line.split()[1] in (rep, "NONE") for line in res.stdout.splitlines()) and
               (rep == "NONE" or f" {rep} " in res.stdout),
               f"--types {rep} (printed): taken back, reports {rep} or NONE only")
        for rep, t in zip(reports, ours):
            res = run(binary, "--types", rep, allp)
            ok(res.returncode == 0 and res.stdout == ref[t], f"--types {rep} (as printed) = {t}")
        dpdk = {"ipv4-tcp": "tcpv4", "ipv4-udp": "udpv4", "ipv4-frag": "ipv4",
                "ipv4-other": "ipv4", "ipv6-tcp": "tcpv6", "ipv6-udp": "udpv6",
                "ipv6-frag": "ipv6", "ipv6-other": "ipv6", "ipv6-ex": "ip_ex",
                "ipv6-tcp-ex": "tcp_ex", "ipv6-udp-ex": "udp_ex", "ip": "ipv4,ipv6,ip_ex",
                "tcp": "tcpv4,tcpv6,tcp_ex", "udp": "udpv4,udpv6,udp_ex"}
        for name, t in dpdk.items():
            res = run(binary, "--types", name, allp)
            want = run(binary, "--types", t, allp).stdout
            ok(res.returncode == 0 and res.stdout == want, f"--types {name} (DPDK's) = {t}")
        res = run(binary, "--types", " TCPV4 , udpv4 ", allp)
        ok(res.returncode == 0 and res.stdout == run(binary, "--types", "tcpv4,udpv4", allp).stdout,
           "--types ' TCPV4 , udpv4 ': case and spaces do not matter")
        # spaces after commas, with the printed names and DPDK's, mixed
        for spaced, plain in (("TCPv4, UDPv6_EX", "tcpv4,udp_ex"),
                              ("ipv4-udp, ipv6-tcp", "udpv4,tcpv6"),
                              ("IPv6_EX,  tcp, ipv4-udp", "ip_ex,tcpv4,tcpv6,tcp_ex,udpv4")):
            res = run(binary, "--types", spaced, allp)
            ok(res.returncode == 0 and res.stdout == run(binary, "--types", plain, allp).stdout,
               f"--types '{spaced}' = {plain}")
        res = run(binary, "--types", "ipv4-sctp", allp)
        ok(res.returncode == 2 and "ipv4-sctp" in res.stderr,
           "--types ipv4-sctp (no virtio-net type): exit 2, names it")

        # the format testpmd prints
        res = run(binary, "--format", "testpmd", pcap)
        ok(res.returncode == 0 and res.stdout == f"1 TCPv4 RSS hash=0x{r0['l4']:x}\n",
           f"--format testpmd: {res.stdout.strip()!r}")
        res = run(binary, "-f", "testpmd", "--types", "none", pcap)
        ok(res.returncode == 0 and res.stdout == "1 NONE\n", "--format testpmd: NONE has no hash")
        res = run(binary, "--format", "csv", pcap)
        ok(res.returncode == 2 and "--format" in res.stderr, "--format csv: exit 2")

        # errors
        junk = os.path.join(tmp, "notes.txt")
        with open(junk, "w") as f:
            f.write("not a capture\n")
        res = run(binary, junk)
        ok(res.returncode == 1 and "notes.txt" in res.stderr,
           f"a file that is no capture: exit 1, names it ({res.stderr.strip()!r})")
        res = run(binary, "--key", key[:78], pcap)
        ok(res.returncode == 2 and "--key" in res.stderr, "39-byte key: exit 2, says --key")
        res = run(binary, "--key", "zz" * 40, pcap)
        ok(res.returncode == 2 and "--key" in res.stderr, "non-hex key: exit 2")
        res = run(binary, "--types", "ipv4,tcp4", pcap)
        ok(res.returncode == 2 and "tcp4" in res.stderr, "unknown type: exit 2, names it")
        res = run(binary, os.path.join(tmp, "missing.pcap"))
        ok(res.returncode == 1 and "missing.pcap" in res.stderr, "missing file: exit 1")
        # every error names the file: a folder, an empty file, a file it
        # may not read, a capture cut inside its second frame (the first
        # one still printed: nothing read is lost)
        res = run(binary, tmp)
        ok(res.returncode == 1 and tmp in res.stderr,
           f"a folder: exit 1, names it ({res.stderr.strip()!r})")
        empty = os.path.join(tmp, "empty.pcap")
        open(empty, "wb").close()
        res = run(binary, empty)
        ok(res.returncode == 1 and "empty.pcap" in res.stderr,
           f"an empty file: exit 1, names it ({res.stderr.strip()!r})")
        cut = os.path.join(tmp, "cut.pcap")
        wrpcap(cut, [ETH / IP(src=r0["src"], dst=r0["dst"]) / TCP(sport=r0["sport"],
                                                                     dport=r0["dport"])] * 2)
        with open(cut, "rb") as f:
            data = f.read()
        with open(cut, "wb") as f:
            f.write(data[:-10])
        res = run(binary, cut)
        ok(res.returncode == 1 and res.stdout == f"1 TCPv4 0x{r0['l4']:08x}\n" and
           "cut.pcap: frame 2: " in res.stderr,
           f"a capture cut in frame 2: frame 1 printed, exit 1, names the file and frame "
           f"({res.stderr.strip()!r})")
        locked = os.path.join(tmp, "locked.pcap")
        wrpcap(locked, [ETH / IP() / TCP()])
        os.chmod(locked, 0)
        # root reads anything: then as nobody (whom the folder keeps out too)
        nobody = {"user": 65534, "group": 65534, "extra_groups": []} if os.geteuid() == 0 else {}
        res = subprocess.run([binary, locked], capture_output=True, text=True, **nobody)
        ok(res.returncode == 1 and "locked.pcap" in res.stderr and "ermission" in res.stderr,
           f"a file it may not read: exit 1, names it ({res.stderr.strip()!r})")
        raw = os.path.join(tmp, "raw.pcap")
        wrpcap(raw, [IP(src=r0["src"], dst=r0["dst"]) / TCP()], linktype=101)
        res = run(binary, raw)
        ok(res.returncode == 1 and "Ethernet" in res.stderr, "raw-IP capture: exit 1")
        res = run(binary)
        ok(res.returncode == 2 and "Usage" in res.stderr, "no file: usage, exit 2")
        res = run(binary, "--help")
        ok(res.returncode == 0 and "--types" in res.stdout, "--help: exit 0")
    finally:
        for n in os.listdir(tmp):
            os.unlink(os.path.join(tmp, n))
        os.rmdir(tmp)
    return done()


if __name__ == "__main__":
    sys.exit(main())
