/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 hashtap authors
 *
 * Benchmark (not a test), run inside a test kernel: the kernel's pktgen
 * sends 64-byte UDP frames (random source ports) into a tap, one reader
 * reads them with a 20-byte vnet header; prints packets per second at the
 * reader.  Under TCG the rates are emulated: compare kernels and modes of
 * one run with each other, never quote them as absolute rates.
 *
 *   tap-pps off|report|rss [PACKETS]
 */

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/if_tun.h>
#include <net/if.h>

#include "vnet_hash.h"
#include "vnet_hash_tun.h"
#include "virtio_net_hash_wire.h"

#define DEV "hthb0"

static void
pg(const char *file, const char *cmd)
{
	FILE *f = fopen(file, "w");

	if (f == NULL || fprintf(f, "%s\n", cmd) < 0 || fclose(f) != 0) {
		fprintf(stderr, "%s: %s: %s\n", file, cmd, strerror(errno));
		exit(2);
	}
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int
main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "off";
	unsigned long want = argc > 2 ? strtoul(argv[2], NULL, 0) : 200000, got = 0;
	int fd, sz = VNET_HDR_LEN_HASH, ret = 0;
	struct ifreq ifr;
	char buf[2048], cmd[128];
	double t0 = 0, t1 = 0;
	pid_t pid;

	fd = open("/dev/net/tun", O_RDWR);
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, IFNAMSIZ, DEV);
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI | IFF_VNET_HDR;
	if (fd < 0 || ioctl(fd, TUNSETIFF, &ifr) != 0 || ioctl(fd, TUNSETVNETHDRSZ, &sz) != 0) {
		perror("tap");
		return 2;
	}
	if (strcmp(mode, "report") == 0) {
		struct vnet_hash_config c = { .hash_types = VNET_HASH_TYPE_ALL };

		vnet_hash_key_set(&c.key, vnet_hash_default_key, VNET_HASH_KEY_MIN);
		ret = vnet_hash_tun_set_hash(fd, &c);
	} else if (strcmp(mode, "rss") == 0) {
		static struct vnet_hash_rss r = { .hash_types = VNET_HASH_TYPE_ALL,
						  .reta_size = 128 };

		vnet_hash_key_set(&r.key, vnet_hash_default_key, VNET_HASH_KEY_MIN);
		ret = vnet_hash_tun_set_rss(fd, &r);
	} else if (strcmp(mode, "off") != 0) {
		fprintf(stderr, "usage: %s off|report|rss [PACKETS]\n", argv[0]);
		return 2;
	}
	if (ret != 0) {
		fprintf(stderr, "%s: %s\n", mode, strerror(-ret));
		return 2;
	}
	if (system("echo 1 >/proc/sys/net/ipv6/conf/" DEV "/disable_ipv6 && "
		   "ip link set " DEV " up txqueuelen 10000") != 0)
		return 2;

	pg("/proc/net/pktgen/kpktgend_0", "rem_device_all");
	pg("/proc/net/pktgen/kpktgend_0", "add_device " DEV);
	snprintf(cmd, sizeof(cmd), "count %lu", want);
	pg("/proc/net/pktgen/" DEV, cmd);
	pg("/proc/net/pktgen/" DEV, "pkt_size 64");
	pg("/proc/net/pktgen/" DEV, "delay 0");
	/* addresses are bytes in frames that never leave this tap */
	pg("/proc/net/pktgen/" DEV, "dst 127.0.0.2");
	pg("/proc/net/pktgen/" DEV, "dst_mac 02:00:00:00:00:02");
	pg("/proc/net/pktgen/" DEV, "udp_src_min 1024");
	pg("/proc/net/pktgen/" DEV, "udp_src_max 65000");
	pg("/proc/net/pktgen/" DEV, "flag UDPSRC_RND");

	pid = fork();
	if (pid == 0) {
		pg("/proc/net/pktgen/pgctrl", "start");	/* returns when done */
		_exit(0);
	}
	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };

		if (poll(&p, 1, 2000) <= 0)
			break;	/* pktgen is done and the queue is empty */
		if (read(fd, buf, sizeof(buf)) > 0) {
			if (got++ == 0)
				t0 = now();
			t1 = now();
		}
	}
	waitpid(pid, NULL, 0);
	printf("mode %s packets %lu of %lu pps %.0f\n", mode, got, want,
	       got > 1 ? (got - 1) / (t1 - t0) : 0.0);
	return got > 1 ? 0 : 1;
}
