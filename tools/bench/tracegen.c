/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 hashtap authors
 *
 * Trace generator for the replay benchmarks: writes a pcap of N frames
 * over F flows, deterministic from a seed.
 *
 *   tracegen -o FILE [-n FRAMES] [-f FLOWS] [-s 64|imix|SIZE] [-m MIX]
 *            [-v] [-x] [-S SEED] [-e TUNNEL [-O ipv4|ipv6] [-F OUTER] [-i eth|ip] [-E]]
 *     -m MIX   ipv4-udp (default), ipv4-tcp, ipv6-udp, ipv6-tcp, or "mixed"
 *              (the four, 40/30/20/10 %)
 *     -s       frame size: a number (64..9000), or imix: 64/594/1514 bytes
 *              in 7:4:1 (the simple IMIX; 1514 is 1518 on the wire with
 *              the FCS, the largest frame a 1500-byte MTU carries)
 *     -v       every frame carries a VLAN tag (VID 100 + flow % 8)
 *     -x       IPv6 frames carry a destination-options header (HAO) and a
 *              type-2 routing header (the _EX hash types)
 *     -f       1 .. 1000000 flows (distinct 5-tuples); frames walk the
 *              flows in a seeded random order
 *     -e       encapsulate every frame (vxlan, geneve, gre, gre-key, nvgre,
 *              gre-udp, vxlan-gpe, ipip; docs/tunnel-hash.md): the -f flows
 *              are the inner ones, carried by -F outer flows (default 1)
 * Prints what it wrote.
 */

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>

#include "pkt.h"
#include "rnd.h"

#define MAX_FLOWS 1000000u
#define MAX_OUTER 65536u

/* the -e names: a pkt_tnl, GRE's K flag, the inner header it carries by default */
static const struct encap_name {
	const char *name;
	uint8_t tnl;
	uint16_t gre_flags;	/* GRE's first word: K 0x2000 */
	bool eth;		/* inner Ethernet by default (else inner IP) */
	const char *what;
} encaps[] = {
	{ "vxlan", PKT_TNL_VXLAN, 0, true, "VXLAN, UDP 4789, inner Ethernet (only)" },
	{ "geneve", PKT_TNL_GENEVE, 0, true, "GENEVE, UDP 6081, no options" },
	{ "gre", PKT_TNL_GRE, 0, false, "GRE without key (GRE_2784 over IPv4, GRE_7676 over IPv6)" },
	{ "gre-key", PKT_TNL_GRE, 0x2000, false, "GRE with a key (GRE_2890 over IPv4, GRE_7676 over IPv6)" },
	{ "nvgre", PKT_TNL_NVGRE, 0x2000, true, "NVGRE: GRE, key VSID/FlowID, 0x6558, inner Ethernet (only)" },
	{ "gre-udp", PKT_TNL_GRE_UDP, 0, false, "GRE-in-UDP, UDP 4754" },
	{ "vxlan-gpe", PKT_TNL_VXLAN_GPE, 0, false, "VXLAN-GPE, UDP 4790" },
	{ "ipip", PKT_TNL_IPIP, 0, false, "IP in IP, protocol 4 or 41, inner IP (only)" },
};

static uint32_t
flow_frame(uint32_t flow, const char *mix, bool vlan, bool ext, uint32_t size, uint8_t *b)
{
	static const char *const kinds[] = { "ipv4-udp", "ipv4-tcp", "ipv6-udp", "ipv6-tcp" };
	struct pkt_spec s;
	unsigned int kind, hdr;

	memset(&s, 0, sizeof(s));
	if (strcmp(mix, "mixed") == 0) {
		unsigned int r = (flow * 2654435761u) % 10;	/* fixed per flow */

		kind = r < 4 ? 0 : r < 7 ? 1 : r < 9 ? 2 : 3;
	} else {
		for (kind = 0; kind < 4; kind++)
			if (strcmp(mix, kinds[kind]) == 0)
				break;
	}
	s.ipver = kind < 2 ? 4 : 6;
	s.l4 = kind % 2 ? IPPROTO_TCP : IPPROTO_UDP;
	if (vlan) {
		s.nvlan = 1;
		s.tpid[0] = 0x8100;
	}
	if (s.ipver == 4) {
		pkt_addr("198.18.0.0", s.src);
		pkt_addr("198.19.0.1", s.dst);
		s.src[2] = (uint8_t)(flow >> 8);
		s.src[3] = (uint8_t)flow;
		s.src[1] = (uint8_t)(18 + ((flow >> 16) & 1));
	} else {
		pkt_addr("2001:db8::", s.src);
		pkt_addr("2001:db8:1::1", s.dst);
		s.src[13] = (uint8_t)(flow >> 16);
		s.src[14] = (uint8_t)(flow >> 8);
		s.src[15] = (uint8_t)flow;
		if (ext) {
			s.next = 2;
			s.ext[0].proto = IPPROTO_DSTOPTS;
			s.ext[0].hao = true;
			pkt_addr("2001:db8:2::7", s.ext[0].addr);
			s.ext[1].proto = IPPROTO_ROUTING;
			s.ext[1].rt_type = 2;
			pkt_addr("2001:db8:3::9", s.ext[1].addr);
		}
	}
	s.sport = (uint16_t)(1024 + flow % 50000);
	s.dport = (uint16_t)(5000 + flow / 50000);
	hdr = 14 + (vlan ? 4 : 0) + (s.ipver == 4 ? 20 : 40 + (ext ? 48 : 0)) +
		(s.l4 == IPPROTO_TCP ? 20 : 8);
	s.payload = (uint16_t)(size > hdr ? size - hdr : 0);
	return pkt_build(&s, b, 9100);
}

static void
usage_encaps(FILE *f)
{
	size_t i;

	for (i = 0; i < sizeof(encaps) / sizeof(encaps[0]); i++)
		fprintf(f, "               %-10s %s\n", encaps[i].name, encaps[i].what);
}

static void
usage(FILE *f)
{
	fprintf(f,
		"usage: tracegen -o FILE [-n FRAMES] [-f FLOWS] [-s 64|imix|SIZE]\n"
		"                [-m ipv4-udp|ipv4-tcp|ipv6-udp|ipv6-tcp|mixed] [-v] [-x] [-S SEED]\n"
		"Writes a pcap of FRAMES frames over FLOWS flows, the same for the same\n"
		"arguments, and prints what it wrote.\n"
		"  -o FILE    the pcap to write (needed)\n"
		"  -n FRAMES  how many (default 100000)\n"
		"  -f FLOWS   distinct 5-tuples, 1..%u (default 1), walked in a seeded random order\n"
		"  -s SIZE    frame size 64..9000 (default 64), or imix: 64/594/1514 bytes in 7:4:1\n"
		"  -m MIX     ipv4-udp (default), ipv4-tcp, ipv6-udp, ipv6-tcp, or mixed (the\n"
		"             four, 40/30/20/10 %%)\n"
		"  -v         every frame carries a VLAN tag (VID 100 + flow %% 8)\n"
		"  -x         IPv6 frames carry a destination-options (HAO) and a type-2\n"
		"             routing header (the _EX hash types)\n"
		"  -S SEED    the seed (default 1)\n"
		"Encapsulation (docs/tunnel-hash.md): the -f flows are then the inner ones,\n"
		"and -s the size of the whole frame (at least its headers):\n"
		"  -e TUNNEL  wrap every frame in one of:\n",
		MAX_FLOWS);
	usage_encaps(f);
	fprintf(f,
		"  -O VER     the outer IP: ipv4 (default) or ipv6\n"
		"  -F OUTER   outer flows, 1..%u (default 1): inner flow i rides outer flow\n"
		"             i %% OUTER (outer source address; UDP tunnels: also the source port)\n"
		"  -i INNER   what the tunnel carries: eth (an Ethernet frame) or ip (the IP\n"
		"             packet); default eth for vxlan, geneve, nvgre, ip for the others\n"
		"  -E         UDP tunnels: the outer source port from the inner flow (RFC 7348\n"
		"             5, as Linux's vxlan and geneve do): outer entropy per inner flow\n"
		"  -h, --help this text\n"
		"No environment variable.  Exit status: 0 written; 1 FILE could not be\n"
		"written; 2 bad usage (an unknown option or value, a number out of range,\n"
		"an encapsulation option without -e, an inner header the tunnel cannot carry).\n",
		MAX_OUTER);
}

/* a whole decimal (or 0x) number in [lo, hi], or an error naming the option */
static int
number(char opt, const char *arg, unsigned long lo, unsigned long hi, unsigned long *v)
{
	char *end;

	errno = 0;
	*v = strtoul(arg, &end, 0);
	if (errno != 0 || end == arg || *end != '\0' || arg[0] == '-' || *v < lo || *v > hi) {
		fprintf(stderr, "tracegen: -%c: \"%s\" is not a number in %lu..%lu\n", opt, arg, lo, hi);
		return -1;
	}
	return 0;
}

/* the outer headers of inner flow @p flow */
static void
outer_of(const struct encap_name *en, unsigned int ver, unsigned long outer, bool entropy,
	 bool inner_eth, uint32_t flow, struct pkt_tnl *e)
{
	uint32_t o = flow % (uint32_t)outer;

	memset(e, 0, sizeof(*e));
	e->kind = en->tnl;
	e->gre_flags = en->gre_flags;
	e->inner_eth = inner_eth;
	e->ipver = (uint8_t)ver;
	if (ver == 4) {
		pkt_addr("100.64.0.1", e->src);
		pkt_addr("100.127.255.254", e->dst);
		e->src[2] = (uint8_t)(o >> 8);
		e->src[3] = (uint8_t)(o + 1);
		e->src[1] = (uint8_t)(64 + (((o + 1) >> 16) & 1));
	} else {
		pkt_addr("2001:db8:f::", e->src);
		pkt_addr("2001:db8:f:1::fffe", e->dst);
		e->src[13] = (uint8_t)((o + 1) >> 16);
		e->src[14] = (uint8_t)((o + 1) >> 8);
		e->src[15] = (uint8_t)(o + 1);
	}
	/* RFC 7348 §5: a hash of the inner headers, in the dynamic range */
	e->sport = entropy ? (uint16_t)(49152 + (flow * 2654435761u >> 18) % 16384) :
		(uint16_t)(49152 + o % 16384);
}

/* bytes before the inner packet */
static uint32_t
overhead(const struct encap_name *en, unsigned int ver)
{
	uint32_t n = 14 + (ver == 4 ? 20 : 40);

	switch (en->tnl) {
	case PKT_TNL_VXLAN:
	case PKT_TNL_GENEVE:
	case PKT_TNL_VXLAN_GPE:
		return n + 8 + 8;
	case PKT_TNL_GRE_UDP:
		return n + 8 + 4 + (en->gre_flags ? 4 : 0);
	case PKT_TNL_GRE:
	case PKT_TNL_NVGRE:
		return n + 4 + (en->gre_flags ? 4 : 0);
	default:
		return n;
	}
}

int
main(int argc, char **argv)
{
	const char *out = NULL, *mix = "ipv4-udp", *size_arg = "64", *inner_arg = NULL;
	const struct encap_name *en = NULL;
	unsigned long frames = 100000, flows = 1, outer = 1, i, size_n = 64;
	unsigned int over = 4;
	uint64_t seed = 1, bytes = 0;
	bool vlan = false, ext = false, entropy = false, inner_eth = false, outer_set = false;
	static uint8_t b[9100], in[9100];
	pcap_t *p;
	pcap_dumper_t *d;
	char *end;
	int opt;

	static const struct option lopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};

	while ((opt = getopt_long(argc, argv, "o:n:f:s:m:vxS:e:O:F:i:Eh", lopts, NULL)) != -1) {
		switch (opt) {
		case 'o': out = optarg; break;
		case 'n':
			if (number('n', optarg, 1, ULONG_MAX, &frames) < 0)
				return 2;
			break;
		case 'f':
			if (number('f', optarg, 1, MAX_FLOWS, &flows) < 0)
				return 2;
			break;
		case 's':
			if (strcmp(optarg, "imix") != 0 && number('s', optarg, 64, 9000, &size_n) < 0)
				return 2;
			size_arg = optarg;
			break;
		case 'm': mix = optarg; break;
		case 'v': vlan = true; break;
		case 'x': ext = true; break;
		case 'S':
			errno = 0;
			seed = strtoull(optarg, &end, 0);
			if (errno != 0 || end == optarg || *end != '\0' || optarg[0] == '-') {
				fprintf(stderr, "tracegen: -S: \"%s\" is not a number\n", optarg);
				return 2;
			}
			break;
		case 'e':
			for (en = encaps; en < encaps + sizeof(encaps) / sizeof(encaps[0]); en++)
				if (strcmp(optarg, en->name) == 0)
					break;
			if (en == encaps + sizeof(encaps) / sizeof(encaps[0])) {
				fprintf(stderr, "tracegen: -e: unknown tunnel \"%s\"; one of:\n", optarg);
				usage_encaps(stderr);
				return 2;
			}
			break;
		case 'O':
			if (strcmp(optarg, "ipv4") != 0 && strcmp(optarg, "ipv6") != 0) {
				fprintf(stderr, "tracegen: -O: \"%s\": ipv4 or ipv6\n", optarg);
				return 2;
			}
			over = optarg[3] == '4' ? 4 : 6;
			outer_set = true;
			break;
		case 'F':
			if (number('F', optarg, 1, MAX_OUTER, &outer) < 0)
				return 2;
			outer_set = true;
			break;
		case 'i':
			if (strcmp(optarg, "eth") != 0 && strcmp(optarg, "ip") != 0) {
				fprintf(stderr, "tracegen: -i: \"%s\": eth or ip\n", optarg);
				return 2;
			}
			inner_arg = optarg;
			break;
		case 'E': entropy = true; break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "tracegen: unexpected argument \"%s\" (--help)\n", argv[optind]);
		return 2;
	}
	if (out == NULL) {
		fprintf(stderr, "tracegen: -o FILE needed (--help)\n");
		return 2;
	}
	if (strcmp(mix, "mixed") != 0 && strcmp(mix, "ipv4-udp") != 0 && strcmp(mix, "ipv4-tcp") != 0 &&
	    strcmp(mix, "ipv6-udp") != 0 && strcmp(mix, "ipv6-tcp") != 0) {
		fprintf(stderr, "tracegen: -m: \"%s\": one of ipv4-udp ipv4-tcp ipv6-udp ipv6-tcp mixed\n", mix);
		return 2;
	}
	if (en == NULL && (outer_set || inner_arg != NULL || entropy)) {
		fprintf(stderr, "tracegen: -O, -F, -i and -E describe an encapsulation: they need -e\n");
		return 2;
	}
	if (en != NULL) {
		inner_eth = inner_arg != NULL ? strcmp(inner_arg, "eth") == 0 : en->eth;
		if (inner_eth != en->eth && (en->tnl == PKT_TNL_VXLAN || en->tnl == PKT_TNL_NVGRE ||
					     en->tnl == PKT_TNL_IPIP)) {
			fprintf(stderr, "tracegen: -e %s carries %s only, not -i %s\n", en->name,
				en->eth ? "Ethernet (-i eth)" : "IP (-i ip)", inner_arg);
			return 2;
		}
		if (vlan && !inner_eth) {
			fprintf(stderr, "tracegen: -v tags the inner Ethernet header: -e %s -i ip has none\n",
				en->name);
			return 2;
		}
		if (entropy && en->tnl != PKT_TNL_VXLAN && en->tnl != PKT_TNL_GENEVE &&
		    en->tnl != PKT_TNL_GRE_UDP && en->tnl != PKT_TNL_VXLAN_GPE) {
			fprintf(stderr, "tracegen: -E: -e %s has no UDP source port\n", en->name);
			return 2;
		}
	}
	rnd_seed(seed);
	p = pcap_open_dead(DLT_EN10MB, 65535);
	d = pcap_dump_open(p, out);
	if (d == NULL) {
		fprintf(stderr, "tracegen: %s: %s\n", out, pcap_geterr(p));
		pcap_close(p);
		return 1;
	}
	for (i = 0; i < frames; i++) {
		static const uint32_t imix[12] = { 64, 64, 64, 64, 64, 64, 64, 594, 594, 594, 594, 1514 };
		uint32_t size = strcmp(size_arg, "imix") == 0 ? imix[rnd() % 12] : (uint32_t)size_n;
		uint32_t flow = flows == 1 ? 0 : rnd() % (uint32_t)flows;
		uint32_t len, l2 = 14 + (vlan ? 4 : 0);
		struct pcap_pkthdr h;

		if (en == NULL) {
			len = flow_frame(flow, mix, vlan, ext, size, b);
		} else {
			struct pkt_tnl e;
			uint32_t oh = overhead(en, over) - (inner_eth ? 0 : l2);

			outer_of(en, over, outer, entropy, inner_eth, flow, &e);
			len = flow_frame(flow, mix, vlan, ext, size > oh ? size - oh : 0, in);
			if (vlan) {
				in[14] = 0;
				in[15] = (uint8_t)(100 + flow % 8);
			}
			/* the inner Ethernet header kept or dropped as the tunnel carries it */
			len = pkt_encap(&e, in, len, b, sizeof(b));
		}
		if (len == 0) {		/* a frame the builder refused: a bug here */
			fprintf(stderr, "tracegen: frame %lu could not be built\n", i);
			pcap_dump_close(d);
			pcap_close(p);
			return 1;
		}
		if (vlan && en == NULL) {	/* VID per flow */
			b[14] = 0;
			b[15] = (uint8_t)(100 + flow % 8);
		}
		memset(&h, 0, sizeof(h));
		h.caplen = len;
		h.len = len;
		h.ts.tv_sec = (long)(i / 1000000);
		h.ts.tv_usec = (long)(i % 1000000);
		pcap_dump((u_char *)d, &h, b);
		bytes += len;
	}
	if (pcap_dump_flush(d) != 0) {
		fprintf(stderr, "tracegen: %s: write failed\n", out);
		pcap_dump_close(d);
		pcap_close(p);
		return 1;
	}
	pcap_dump_close(d);
	pcap_close(p);
	printf("tracegen: %s: %lu frames, %lu flows, %s, size %s%s%s", out, frames, flows, mix,
	       size_arg, vlan ? ", VLAN" : "", ext ? ", IPv6 ext headers" : "");
	if (en != NULL)
		printf(", in %s over IPv%u (inner %s), %lu outer flow%s%s", en->name, over,
		       inner_eth ? "Ethernet" : "IP", outer, outer > 1 ? "s" : "",
		       entropy ? ", UDP source port per inner flow" : "");
	printf(", %lu bytes, seed %lu\n", (unsigned long)bytes, (unsigned long)seed);
	return 0;
}
