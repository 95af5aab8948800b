/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 hashtap authors
 *
 * Benchmark (not a test): what a tap syscall costs before any packet work,
 * to judge whether batching the PMD's read()/write() (io_uring) would pay.
 * Times, in TSC cycles, a readv() that finds the queue empty (EAGAIN), a
 * getppid() (the bare syscall round trip), and a readv() that returns a
 * 64-byte frame (sent into the tap beforehand with AF_PACKET).
 *
 *   tap-syscall [ROUNDS]
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>

#include <linux/if_packet.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <netinet/in.h>

#include <rte_cycles.h>

#include "pkt.h"

#define DEV "htsys0"

int
main(int argc, char **argv)
{
	unsigned int rounds = argc > 1 ? (unsigned int)atoi(argv[1]) : 200000, i;
	struct ifreq ifr = { .ifr_flags = IFF_TAP | IFF_NO_PI | IFF_VNET_HDR };
	struct sockaddr_ll to = { .sll_family = AF_PACKET, .sll_halen = 6 };
	struct pkt_spec s = { .ipver = 4, .l4 = IPPROTO_UDP, .payload = 22 };
	uint8_t hdr[20], buf[2048], frame[128];
	struct iovec iov[2] = { { hdr, sizeof(hdr) }, { buf, sizeof(buf) } };
	int fd, sk, sz = 20, got = 0;
	uint64_t t, empty, bare, full;
	uint32_t len;

	fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK);
	snprintf(ifr.ifr_name, IFNAMSIZ, DEV);
	if (fd < 0 || ioctl(fd, TUNSETIFF, &ifr) < 0 || ioctl(fd, TUNSETVNETHDRSZ, &sz) < 0) {
		perror("tap");
		return 1;
	}
	t = rte_rdtsc();
	for (i = 0; i < rounds; i++)
		if (readv(fd, iov, 2) >= 0) {
			fprintf(stderr, "tap-syscall: a frame in a tap that is down\n");
			return 1;
		}
	empty = rte_rdtsc() - t;
	t = rte_rdtsc();
	for (i = 0; i < rounds; i++)
		syscall(SYS_getppid);
	bare = rte_rdtsc() - t;

	/* frames queued first, then read back to back */
	pkt_addr("10.0.0.1", s.src);
	pkt_addr("10.0.0.2", s.dst);
	s.sport = 1;
	s.dport = 2;
	len = pkt_build(&s, frame, sizeof(frame));
	/* up, without IPv6 chatter, with room for every frame */
	sk = open("/proc/sys/net/ipv6/conf/" DEV "/disable_ipv6", O_WRONLY);
	if (sk < 0 || write(sk, "1", 1) != 1)
		return 1;
	close(sk);
	sk = socket(AF_INET, SOCK_DGRAM, 0);
	ioctl(sk, SIOCGIFFLAGS, &ifr);
	ifr.ifr_flags |= IFF_UP;
	ioctl(sk, SIOCSIFFLAGS, &ifr);
	ifr.ifr_qlen = (int)rounds;
	ioctl(sk, SIOCSIFTXQLEN, &ifr);
	close(sk);
	to.sll_ifindex = (int)if_nametoindex(DEV);
	sk = socket(AF_PACKET, SOCK_RAW, 0);
	for (i = 0; i < rounds / 4; i++)
		if (sendto(sk, frame, len, 0, (struct sockaddr *)&to, sizeof(to)) != (ssize_t)len)
			break;
	t = rte_rdtsc();
	while (readv(fd, iov, 2) > 0)
		got++;
	full = rte_rdtsc() - t;
	printf("tap syscall costs, TSC cycles per call (%u rounds, %d frames read):\n", rounds, got);
	printf("  getppid (bare round trip)      %8.0f\n", (double)bare / rounds);
	printf("  readv on an empty queue        %8.0f\n", (double)empty / rounds);
	printf("  readv of a 64-byte frame       %8.0f\n", got ? (double)full / got : 0.0);
	return 0;
}
