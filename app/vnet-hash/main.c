/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 hashtap authors
 *
 * vnet-hash: what virtio-net hash would a device (our kernel, our PMD)
 * report for each frame of a capture?
 */

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>

#include "vnet_hash.h"

static void
usage(FILE *f, const char *prog)
{
	fprintf(f,
		"Usage: %s [--key HEX] [--types LIST] [--tunnels LIST] [--format plain|testpmd] FILE\n"
		"       %s --version\n"
		"\n"
		"Print, for each frame of the pcap/pcapng FILE (\"-\" for stdin), the\n"
		"virtio-net hash that a device computing it (virtio 1.2 5.1.6.4) reports:\n"
		"  INDEX REPORT HASH      e.g.  1 TCPv4 0x51ccc178\n"
		"INDEX counts from 1 as in tshark; HASH is 0x00000000 with report NONE.\n"
		"Frames cut short by the capture (snaplen) are classified on what was\n"
		"captured.\n"
		"\n"
		"  -k, --key HEX     Toeplitz key, %u to %u bytes in hex (\":\" allowed);\n"
		"                    default: the 40-byte Microsoft verification key\n"
		"  -t, --types LIST  enabled hash types, comma-separated (any case, spaces\n"
		"                    allowed), or \"all\" (default) or \"none\": ipv4,tcpv4,\n"
		"                    udpv4,ipv6,tcpv6,udpv6,ip_ex,tcp_ex,udp_ex; or the names\n"
		"                    this program prints (TCPv4, UDPv6_EX, ...); or DPDK's as\n"
		"                    testpmd takes them (ip, tcp, udp, ipv4-udp, ipv6-tcp-ex,\n"
		"                    ipv4-frag, ipv4-other, ...)\n"
		"  -T, --tunnels LIST  hash the inner headers of these encapsulations\n"
		"                    (VIRTIO_NET_F_HASH_TUNNEL, docs/tunnel-hash.md):\n"
		"                    gre_2784,gre_2890,gre_7676,gre_udp,vxlan,vxlan_gpe,\n"
		"                    geneve,ipip,nvgre, \"gre\" (the first three), \"all\",\n"
		"                    or \"none\" (default); plain output then ends with\n"
		"                    the type a frame was hashed through, if any (one\n"
		"                    name: nvgre where a frame is both that and GRE)\n"
		"  -f, --format F    plain (default): INDEX REPORT 0x%%08x; testpmd:\n"
		"                    INDEX REPORT RSS hash=0x%%x, as testpmd's verbose mode\n"
		"                    prints it (no leading zeros; nothing for NONE, where\n"
		"                    a port sets no RTE_MBUF_F_RX_RSS_HASH), so that\n"
		"                    grep can compare the two\n"
		"  -V, --version     the version, and the Toeplitz implementation it runs\n"
		"  -h, --help        this text\n"
		"\n"
		"Toeplitz runs as \"gfni\" (DPDK's rte_thash_gfni()) where the CPU has GFNI\n"
		"and AVX-512, else as \"softrss\" (rte_softrss_be()): the same hashes either\n"
		"way.  The environment variable %s=softrss forces softrss.\n"
		"Here: %s.\n"
		"\n"
		"Comparing with dpdk-testpmd: its default RSS types are IP only; give the\n"
		"port the types used here (\"port config all rss all\") and the same key\n"
		"(\"port config 0 rss-hash-key ipv4 KEY\").\n"
		"\n"
		"Exit status: 0 ok, 1 the file could not be read, 2 bad usage.\n",
		prog, prog, VNET_HASH_KEY_MIN, VNET_HASH_KEY_MAX, VNET_HASH_TOEPLITZ_ENV,
		vnet_hash_toeplitz_impl());
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Parse hex (optionally ':'-separated) into key; returns its length or -1. */
static int
parse_key(const char *s, uint8_t *key, size_t cap)
{
	size_t n = 0;

	while (*s != '\0') {
		int hi, lo;

		if (*s == ':') {
			s++;
			continue;
		}
		hi = hexval((unsigned char)s[0]);
		lo = hi < 0 ? -1 : hexval((unsigned char)s[1]);
		if (lo < 0 || n == cap)
			return -1;
		key[n++] = (uint8_t)(hi << 4 | lo);
		s += 2;
	}
	return (int)n;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "key", required_argument, NULL, 'k' },
		{ "types", required_argument, NULL, 't' },
		{ "tunnels", required_argument, NULL, 'T' },
		{ "format", required_argument, NULL, 'f' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	uint8_t keybuf[VNET_HASH_KEY_MAX];
	const uint8_t *key = vnet_hash_default_key;
	size_t key_len = sizeof(vnet_hash_default_key);
	uint32_t types = VNET_HASH_TYPE_ALL, tunnels = 0;
	char errbuf[PCAP_ERRBUF_SIZE];
	struct vnet_hash_key k;
	struct pcap_pkthdr *ph;
	const u_char *data;
	unsigned long idx = 0;
	const char *bad;
	pcap_t *pc;
	bool testpmd = false;
	int c, n, rc;

	while ((c = getopt_long(argc, argv, "k:t:T:f:Vh", opts, NULL)) != -1) {
		switch (c) {
		case 'k':
			n = parse_key(optarg, keybuf, sizeof(keybuf));
			if (n < (int)VNET_HASH_KEY_MIN) {
				fprintf(stderr, "%s: --key: want %u to %u bytes of hex, got \"%s\"\n",
					argv[0], VNET_HASH_KEY_MIN, VNET_HASH_KEY_MAX, optarg);
				return 2;
			}
			key = keybuf;
			key_len = (size_t)n;
			break;
		case 't':
			if (vnet_hash_types_parse(optarg, &types, &bad) != 0) {
				fprintf(stderr, "%s: --types: unknown hash type at \"%s\" (try --help)\n",
					argv[0], bad);
				return 2;
			}
			break;
		case 'T':
			if (vnet_hash_tunnels_parse(optarg, &tunnels, &bad) != 0) {
				fprintf(stderr, "%s: --tunnels: unknown tunnel type at \"%s\" (try --help)\n",
					argv[0], bad);
				return 2;
			}
			break;
		case 'f':
			if (strcmp(optarg, "plain") != 0 && strcmp(optarg, "testpmd") != 0) {
				fprintf(stderr, "%s: --format: plain or testpmd, not \"%s\"\n",
					argv[0], optarg);
				return 2;
			}
			testpmd = optarg[0] == 't';
			break;
		case 'V':
			printf("vnet-hash (hashtap) %s\nToeplitz: %s (GFNI/AVX-512 path %savailable here)\n",
			       HASHTAP_VERSION, vnet_hash_toeplitz_impl(),
			       vnet_hash_toeplitz_gfni_supported() ? "" : "not ");
			return 0;
		case 'h':
			usage(stdout, argv[0]);
			return 0;
		default:
			usage(stderr, argv[0]);
			return 2;
		}
	}
	if (optind != argc - 1) {
		usage(stderr, argv[0]);
		return 2;
	}
	if (vnet_hash_key_set(&k, key, key_len) != 0)
		return 2;	/* parse_key() already bounded the length */

	pc = pcap_open_offline(argv[optind], errbuf);
	if (pc == NULL) {
		/* libpcap names the file in some messages, not in others */
		if (strncmp(errbuf, argv[optind], strlen(argv[optind])) == 0)
			fprintf(stderr, "%s: %s\n", argv[0], errbuf);
		else
			fprintf(stderr, "%s: %s: %s\n", argv[0], argv[optind], errbuf);
		return 1;
	}
	if (pcap_datalink(pc) != DLT_EN10MB) {
		fprintf(stderr, "%s: %s: link type %s, only Ethernet (EN10MB) is supported\n",
			argv[0], argv[optind], pcap_datalink_val_to_name(pcap_datalink(pc)));
		pcap_close(pc);
		return 1;
	}
	while ((rc = pcap_next_ex(pc, &ph, &data)) == 1) {
		struct vnet_hash_tuple t;
		unsigned int report = vnet_hash_classify_tunnel(data, ph->caplen, types,
								tunnels, &t);
		uint32_t hash = vnet_hash_toeplitz(&k, &t);

		if (!testpmd && t.tunnel != 0)
			printf("%lu %s 0x%08x %s\n", ++idx, vnet_hash_report_name(report), hash,
			       vnet_hash_tunnel_name(t.tunnel & VNET_HASH_TUNNEL_NVGRE ?
						     VNET_HASH_TUNNEL_NVGRE : t.tunnel & -t.tunnel));
		else if (!testpmd)
			printf("%lu %s 0x%08x\n", ++idx, vnet_hash_report_name(report), hash);
		else if (report != VNET_HASH_REPORT_NONE)
			printf("%lu %s RSS hash=0x%x\n", ++idx, vnet_hash_report_name(report), hash);
		else
			printf("%lu NONE\n", ++idx);
	}
	if (rc == PCAP_ERROR) {
		fprintf(stderr, "%s: %s: frame %lu: %s\n", argv[0], argv[optind], idx + 1,
			pcap_geterr(pc));
		pcap_close(pc);
		return 1;
	}
	pcap_close(pc);
	if (fflush(stdout) != 0) {
		perror(argv[0]);
		return 1;
	}
	return 0;
}
