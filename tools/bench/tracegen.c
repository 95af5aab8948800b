/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 hashtap authors
 *
 * Trace generator for the replay benchmarks: writes a pcap of N frames
 * over F flows, deterministic from a seed.
 *
 *   tracegen -o FILE [-n FRAMES] [-f FLOWS] [-s 64|imix|SIZE] [-m MIX]
 *            [-v] [-x] [-S SEED]
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
 * Prints what it wrote.
 */

#include <getopt.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>

#include "pkt.h"
#include "rnd.h"

#define MAX_FLOWS 1000000u

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
		"  -h, --help this text\n"
		"No environment variable.  Exit status: 0 written; 1 FILE could not be\n"
		"written; 2 bad usage.\n",
		MAX_FLOWS);
}

int
main(int argc, char **argv)
{
	const char *out = NULL, *mix = "ipv4-udp", *size_arg = "64";
	unsigned long frames = 100000, flows = 1, i;
	uint64_t seed = 1, bytes = 0;
	bool vlan = false, ext = false;
	static uint8_t b[9100];
	pcap_t *p;
	pcap_dumper_t *d;
	int opt;

	static const struct option lopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};

	while ((opt = getopt_long(argc, argv, "o:n:f:s:m:vxS:h", lopts, NULL)) != -1) {
		switch (opt) {
		case 'o': out = optarg; break;
		case 'n': frames = strtoul(optarg, NULL, 0); break;
		case 'f': flows = strtoul(optarg, NULL, 0); break;
		case 's': size_arg = optarg; break;
		case 'm': mix = optarg; break;
		case 'v': vlan = true; break;
		case 'x': ext = true; break;
		case 'S': seed = strtoull(optarg, NULL, 0); break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (out == NULL || frames == 0 || flows == 0 || flows > MAX_FLOWS ||
	    (strcmp(size_arg, "imix") != 0 && (atoi(size_arg) < 64 || atoi(size_arg) > 9000)) ||
	    (strcmp(mix, "mixed") != 0 && strcmp(mix, "ipv4-udp") != 0 && strcmp(mix, "ipv4-tcp") != 0 &&
	     strcmp(mix, "ipv6-udp") != 0 && strcmp(mix, "ipv6-tcp") != 0)) {
		fprintf(stderr, "tracegen: -o FILE needed; -f 1..%u; -s 64..9000 or imix; -m one of ipv4-udp ipv4-tcp ipv6-udp ipv6-tcp mixed\n",
			MAX_FLOWS);
		return 2;
	}
	rnd_seed(seed);
	p = pcap_open_dead(DLT_EN10MB, 65535);
	d = pcap_dump_open(p, out);
	if (d == NULL) {
		fprintf(stderr, "tracegen: %s: %s\n", out, pcap_geterr(p));
		return 1;
	}
	for (i = 0; i < frames; i++) {
		static const uint32_t imix[12] = { 64, 64, 64, 64, 64, 64, 64, 594, 594, 594, 594, 1514 };
		uint32_t size = strcmp(size_arg, "imix") == 0 ? imix[rnd() % 12] : (uint32_t)atoi(size_arg);
		uint32_t flow = flows == 1 ? 0 : rnd() % (uint32_t)flows;
		uint32_t len = flow_frame(flow, mix, vlan, ext, size, b);
		struct pcap_pkthdr h = { .caplen = len, .len = len };

		if (vlan) {		/* VID per flow */
			b[14] = 0;
			b[15] = (uint8_t)(100 + flow % 8);
		}
		h.ts.tv_sec = (long)(i / 1000000);
		h.ts.tv_usec = (long)(i % 1000000);
		pcap_dump((u_char *)d, &h, b);
		bytes += len;
	}
	pcap_dump_close(d);
	pcap_close(p);
	printf("tracegen: %s: %lu frames, %lu flows, %s, size %s%s%s, %lu bytes, seed %lu\n", out,
	       frames, flows, mix, size_arg, vlan ? ", VLAN" : "", ext ? ", IPv6 ext headers" : "",
	       (unsigned long)bytes, (unsigned long)seed);
	return 0;
}
