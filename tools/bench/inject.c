/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 hashtap authors
 *
 * A traffic source for benchmarks: sends frames out of an interface
 * through AF_PACKET with sendmmsg() (qdisc bypassed), as fast as it can or
 * at a given rate, for a time or a count.  Frames come from a pcap (looped)
 * or are generated: UDP or TCP over IPv4 or IPv6, a given size, N flows
 * (source ports), deterministic.  Prints what it sent.  Exit status 1 when
 * the interface took no frame at all, or none for 2 s (every sendmmsg
 * failing with ENOBUFS: its reader is gone), so a dead cell never passes
 * for a slow one.
 *
 *   inject -i IFACE [-r PCAP | -s SIZE -f FLOWS [-6] [-t]] [-d SECONDS | -n COUNT]
 *          [-p PPS] [-b BATCH] [-S SRC_MAC] [-D DST_MAC]
 *   -S/-D rewrite the Ethernet source/destination of every frame (generated
 *   or from the pcap), e.g. to aim a replay at one port of a switch.
 */

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <pcap/pcap.h>

#include "pkt.h"

static int
parse_mac(const char *t, uint8_t m[6])
{
	unsigned int v[6];
	int i;

	if (sscanf(t, "%x:%x:%x:%x:%x:%x", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5]) != 6)
		return -1;
	for (i = 0; i < 6; i++) {
		if (v[i] > 255)
			return -1;
		m[i] = (uint8_t)v[i];
	}
	return 0;
}

#define MAX_FRAMES	(1u << 20)
#define STALL_SECONDS	2	/* no frame taken for this long: give up (exit 1) */
#define MAX_BATCH	256

struct frame {
	uint32_t len;
	uint8_t *data;
};

static struct frame *frames;
static unsigned int nframes;

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int
load_pcap(const char *path)
{
	char err[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *d;
	pcap_t *p = pcap_open_offline(path, err);

	if (p == NULL) {
		fprintf(stderr, "inject: %s\n", err);
		return -1;
	}
	while (nframes < MAX_FRAMES && pcap_next_ex(p, &h, &d) == 1) {
		if (h->caplen < 14)
			continue;
		frames[nframes].len = h->caplen;
		frames[nframes].data = malloc(h->caplen);
		memcpy(frames[nframes].data, d, h->caplen);
		nframes++;
	}
	pcap_close(p);
	if (nframes == 0) {
		fprintf(stderr, "inject: %s has no Ethernet frames\n", path);
		return -1;
	}
	return 0;
}

static void
gen(unsigned int size, unsigned int flows, bool v6, bool tcp)
{
	unsigned int i, hdr = 14 + (v6 ? 40 : 20) + (tcp ? 20 : 8);

	for (i = 0; i < flows; i++) {
		struct pkt_spec s = { .ipver = v6 ? 6 : 4, .l4 = tcp ? IPPROTO_TCP : IPPROTO_UDP };

		pkt_addr(v6 ? "2001:db8::1" : "198.18.0.1", s.src);
		pkt_addr(v6 ? "2001:db8::2" : "198.19.0.1", s.dst);
		s.src[v6 ? 14 : 2] = (uint8_t)(i >> 16);
		s.sport = (uint16_t)(1024 + (i & 0xffff) % 60000);
		s.dport = 5001;
		s.payload = (uint16_t)(size > hdr ? size - hdr : 0);
		frames[i].data = malloc(size < hdr ? hdr : size);
		frames[i].len = pkt_build(&s, frames[i].data, size < hdr ? hdr : size);
	}
	nframes = flows;
}

static void
usage(FILE *f)
{
	fprintf(f,
		"usage: inject -i IFACE [-r PCAP | -s SIZE -f FLOWS [-6] [-t]] [-d SECONDS | -n COUNT]\n"
		"              [-p PPS] [-b BATCH] [-S SRC_MAC] [-D DST_MAC]\n"
		"Sends frames out of IFACE through AF_PACKET sendmmsg() (qdisc bypassed) and\n"
		"prints what it sent: \"sent N frames, B bytes in S s: P pps, M Mbit/s, E busy\".\n"
		"  -i IFACE    the interface (needed)\n"
		"  -r PCAP     send this capture's Ethernet frames, looped\n"
		"  -s SIZE     else generate frames of SIZE bytes (14..9000, default 64) ...\n"
		"  -f FLOWS    ... over FLOWS flows (source ports; 1..%u, default 1) ...\n"
		"  -6          ... IPv6 (default IPv4) ...\n"
		"  -t          ... TCP (default UDP)\n"
		"  -d SECONDS  for SECONDS (default 5) ...\n"
		"  -n COUNT    ... or COUNT frames (then -d is not used)\n"
		"  -p PPS      at most PPS frames a second (default: as fast as it can)\n"
		"  -b BATCH    frames a sendmmsg() (1..%u, default 64)\n"
		"  -S SRC_MAC  rewrite every frame's Ethernet source ...\n"
		"  -D DST_MAC  ... and destination (aa:bb:cc:dd:ee:ff)\n"
		"  -h, --help  this text\n"
		"No environment variable.  Exit status: 0 sent; 1 the interface took no\n"
		"frame at all, or none for 2 s (every send failing with ENOBUFS: its reader\n"
		"is gone), or the pcap/interface/socket failed; 2 bad usage.\n",
		MAX_FRAMES, MAX_BATCH);
}

int
main(int argc, char **argv)
{
	const char *ifname = NULL, *pcap_path = NULL;
	unsigned int size = 64, flows = 1, batch = 64;
	double secs = 5, pps = 0;
	uint64_t count = 0, sent = 0, bytes = 0, errors = 0;
	bool v6 = false, tcp = false, set_src = false, set_dst = false;
	uint8_t smac[6], dmac[6];
	struct sockaddr_ll to = { .sll_family = AF_PACKET, .sll_halen = 6 };
	struct mmsghdr msg[MAX_BATCH];
	struct iovec iov[MAX_BATCH];
	unsigned int next = 0, i;
	double t0, t, last_sent;
	int fd, one = 1, opt, last_errno = 0;

	static const struct option lopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};

	while ((opt = getopt_long(argc, argv, "i:r:s:f:6td:n:p:b:S:D:h", lopts, NULL)) != -1) {
		switch (opt) {
		case 'i': ifname = optarg; break;
		case 'r': pcap_path = optarg; break;
		case 's': size = (unsigned int)atoi(optarg); break;
		case 'f': flows = (unsigned int)atoi(optarg); break;
		case '6': v6 = true; break;
		case 't': tcp = true; break;
		case 'd': secs = atof(optarg); break;
		case 'n': count = strtoull(optarg, NULL, 0); break;
		case 'p': pps = atof(optarg); break;
		case 'b': batch = (unsigned int)atoi(optarg); break;
		case 'S':
		case 'D':
			if (parse_mac(optarg, opt == 'S' ? smac : dmac) < 0) {
				fprintf(stderr, "inject: -%c %s: not a MAC address\n", opt, optarg);
				return 2;
			}
			*(opt == 'S' ? &set_src : &set_dst) = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (ifname == NULL || batch == 0 || batch > MAX_BATCH || flows == 0 || flows > MAX_FRAMES ||
	    size < 14 || size > 9000) {
		fprintf(stderr, "inject: -i IFACE is needed; -b 1..%u, -f 1..%u, -s 14..9000\n",
			MAX_BATCH, MAX_FRAMES);
		return 2;
	}
	frames = calloc(MAX_FRAMES, sizeof(*frames));
	if (pcap_path != NULL ? load_pcap(pcap_path) < 0 : (gen(size, flows, v6, tcp), false))
		return 1;
	for (i = 0; i < nframes; i++) {
		if (set_dst)
			memcpy(frames[i].data, dmac, 6);
		if (set_src)
			memcpy(frames[i].data + 6, smac, 6);
	}
	to.sll_ifindex = (int)if_nametoindex(ifname);
	if (to.sll_ifindex == 0) {
		fprintf(stderr, "inject: no interface %s\n", ifname);
		return 1;
	}
	{	/* frames the interface cannot send (longer than its MTU) are left out */
		struct ifreq ifr;
		unsigned int kept = 0, mtu = 1500;
		int s = socket(AF_INET, SOCK_DGRAM, 0);

		memset(&ifr, 0, sizeof(ifr));
		snprintf(ifr.ifr_name, IFNAMSIZ, "%s", ifname);
		if (s >= 0 && ioctl(s, SIOCGIFMTU, &ifr) == 0)
			mtu = (unsigned int)ifr.ifr_mtu;
		if (s >= 0)
			close(s);
		for (i = 0; i < nframes; i++) {
			const uint8_t *d = frames[i].data;
			unsigned int max = mtu + 14 + (d[12] == 0x81 && d[13] == 0 ? 4 : 0);

			if (frames[i].len <= max)
				frames[kept++] = frames[i];
			else
				free(frames[i].data);
		}
		if (kept < nframes)
			fprintf(stderr, "inject: left out %u frames longer than %s's MTU %u\n",
				nframes - kept, ifname, mtu);
		nframes = kept;
		if (nframes == 0)
			return 1;
	}
	fd = socket(AF_PACKET, SOCK_RAW, 0);
	if (fd < 0 || setsockopt(fd, SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof(one)) < 0) {
		perror("inject: AF_PACKET");
		return 1;
	}
	memset(msg, 0, sizeof(msg));
	for (i = 0; i < batch; i++) {
		msg[i].msg_hdr.msg_name = &to;
		msg[i].msg_hdr.msg_namelen = sizeof(to);
		msg[i].msg_hdr.msg_iov = &iov[i];
		msg[i].msg_hdr.msg_iovlen = 1;
	}
	t0 = t = last_sent = now();
	while (count ? sent < count : t - t0 < secs) {
		unsigned int n = batch;
		int r;

		if (count && count - sent < n)
			n = (unsigned int)(count - sent);
		if (pps > 0 && sent >= pps * (t - t0)) {
			t = now();
			continue;
		}
		if (t - last_sent >= STALL_SECONDS) {
			fprintf(stderr, "inject: %s took no frame for %d s (sendmmsg: %s, %" PRIu64 " times): is its reader gone?\n",
				ifname, STALL_SECONDS, strerror(last_errno), errors);
			return 1;
		}
		for (i = 0; i < n; i++) {
			iov[i].iov_base = frames[next].data;
			iov[i].iov_len = frames[next].len;
			next = next + 1 == nframes ? 0 : next + 1;
		}
		r = sendmmsg(fd, msg, n, 0);
		if (r < 0) {
			if (errno != ENOBUFS && errno != EAGAIN) {
				perror("inject: sendmmsg");
				return 1;
			}
			last_errno = errno;
			errors++;
			r = 0;
		}
		for (i = 0; i < (unsigned int)r; i++)
			bytes += iov[i].iov_len;
		sent += (unsigned int)r;
		/* the clock: every 1024 frames, and at every send that took none
		 * (else a device that takes nothing would keep us here forever) */
		if ((sent & 0x3ff) < (unsigned int)r || count || r == 0)
			t = now();
		if (r > 0)
			last_sent = t;
	}
	t = now() - t0;
	printf("sent %" PRIu64 " frames, %" PRIu64 " bytes in %.3f s: %.0f pps, %.1f Mbit/s, %" PRIu64 " busy\n",
	       sent, bytes, t, sent / t, bytes * 8 / t / 1e6, errors);
	if (sent == 0) {
		fprintf(stderr, "inject: %s took no frame (sendmmsg: %s, %" PRIu64 " times)\n", ifname,
			strerror(last_errno), errors);
		return 1;
	}
	return 0;
}
