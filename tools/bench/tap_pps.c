/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 hashtap authors
 *
 * Benchmark (not a test), run inside a test kernel: the kernel's pktgen
 * sends 64-byte UDP frames (random source ports) into a multi-queue tun
 * tap (xmit_mode queue_xmit, so that the stack picks the queue) or into a
 * veth whose peer carries a macvtap; one reader reads every queue with a
 * vnet header.  It calls sync() right before it tells pktgen to start and
 * right after the last frame is read: the instruction-counting TCG plugin
 * (insn_count.c) takes its snapshots there.  Prints the packets read (of
 * those sent) and the guest clock's nanoseconds a packet between the two
 * marks: under QEMU -icount shift=0 the clock advances one nanosecond per
 * instruction while the CPU is busy, and jumps to the next timer when it
 * idles, so this figure is not an instruction count (the plugin's is).
 * The clock is read twice, not per packet: the reader's own syscalls stay
 * out of what is counted.
 *
 *   tap-pps [-d tun|macvtap] [-q QUEUES] [-m off|report|rss] [-n PACKETS] [-H HDRSZ]
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

#define DEV	"hthb0"
#define LOWER	"hthbv0"
#define PEER	"hthbv1"
#define QMAX	8

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

static void
run(const char *cmd)
{
	if (system(cmd) != 0) {
		fprintf(stderr, "failed: %s\n", cmd);
		exit(2);
	}
}

static int
open_queues(const char *kind, int q, int *fd, int sz)
{
	char path[64];
	int i;

	if (strcmp(kind, "macvtap") == 0) {
		run("ip link add " LOWER " type veth peer name " PEER);
		run("ip link add link " LOWER " name " DEV " address 02:00:00:00:00:02 "
		    "type macvtap mode bridge");
		snprintf(path, sizeof(path), "/dev/tap%u", if_nametoindex(DEV));
	}
	for (i = 0; i < q; i++) {
		struct ifreq ifr;

		memset(&ifr, 0, sizeof(ifr));
		snprintf(ifr.ifr_name, IFNAMSIZ, DEV);
		ifr.ifr_flags = IFF_TAP | IFF_NO_PI | IFF_VNET_HDR | IFF_MULTI_QUEUE;
		if (strcmp(kind, "macvtap") == 0) {
			fd[i] = open(path, O_RDWR | O_NONBLOCK);
		} else {
			fd[i] = open("/dev/net/tun", O_RDWR | O_NONBLOCK);
			if (fd[i] >= 0 && ioctl(fd[i], TUNSETIFF, &ifr) != 0)
				fd[i] = -1;
		}
		if (fd[i] < 0 || ioctl(fd[i], TUNSETVNETHDRSZ, &sz) != 0) {
			perror("queue");
			return -1;
		}
	}
	return 0;
}

int
main(int argc, char **argv)
{
	const char *mode = "off", *kind = "tun", *pgdev;
	unsigned long want = 50000, got = 0;
	int fd[QMAX], q = 4, sz = VNET_HDR_LEN_HASH, ret = 0, c, i, done[2], go[2];
	char buf[2048], cmd[160];
	double t0 = 0, t1 = 0;
	pid_t pid;

	while ((c = getopt(argc, argv, "d:q:m:n:H:")) != -1) {
		switch (c) {
		case 'd':
			kind = optarg;
			break;
		case 'q':
			q = atoi(optarg);
			break;
		case 'm':
			mode = optarg;
			break;
		case 'n':
			want = strtoul(optarg, NULL, 0);
			break;
		case 'H':
			sz = atoi(optarg);
			break;
		default:
			goto usage;
		}
	}
	if (q < 1 || q > QMAX || (strcmp(kind, "tun") != 0 && strcmp(kind, "macvtap") != 0))
		goto usage;
	if (open_queues(kind, q, fd, sz) != 0)
		return 2;
	if (strcmp(mode, "report") == 0) {
		struct vnet_hash_config cfg = { .hash_types = VNET_HASH_TYPE_ALL };

		vnet_hash_key_set(&cfg.key, vnet_hash_default_key, VNET_HASH_KEY_MIN);
		ret = vnet_hash_tun_set_hash(fd[0], &cfg);
	} else if (strcmp(mode, "rss") == 0) {
		static struct vnet_hash_rss r = { .hash_types = VNET_HASH_TYPE_ALL,
						  .reta_size = 128 };

		r.max_tx_vq = (uint16_t)q;
		for (i = 0; i < r.reta_size; i++)
			r.reta[i] = (uint16_t)(i % q);
		vnet_hash_key_set(&r.key, vnet_hash_default_key, VNET_HASH_KEY_MIN);
		ret = vnet_hash_tun_set_rss(fd[0], &r);
	} else if (strcmp(mode, "off") != 0) {
		goto usage;
	}
	if (ret != 0) {
		fprintf(stderr, "%s: %s\n", mode, strerror(-ret));
		return 2;
	}
	run("echo 1 >/proc/sys/net/ipv6/conf/all/disable_ipv6");
	run("ip link set " DEV " up txqueuelen 1000");
	pgdev = DEV;
	if (strcmp(kind, "macvtap") == 0) {
		run("ip link set " LOWER " up && ip link set " PEER " up");
		pgdev = PEER;
	}

	pg("/proc/net/pktgen/kpktgend_0", "rem_device_all");
	snprintf(cmd, sizeof(cmd), "add_device %s", pgdev);
	pg("/proc/net/pktgen/kpktgend_0", cmd);
	snprintf(buf, sizeof(buf), "/proc/net/pktgen/%s", pgdev);
	snprintf(cmd, sizeof(cmd), "count %lu", want);
	pg(buf, cmd);
	pg(buf, "pkt_size 64");
	pg(buf, "delay 0");
	/* through the stack's queue selection (tun); a veth takes it directly */
	if (strcmp(kind, "tun") == 0)
		pg(buf, "xmit_mode queue_xmit");
	/* addresses are bytes in frames that never leave this machine */
	pg(buf, "dst 127.0.0.2");
	pg(buf, "dst_mac 02:00:00:00:00:02");
	pg(buf, "udp_src_min 1024");
	pg(buf, "udp_src_max 65000");
	pg(buf, "flag UDPSRC_RND");

	if (pipe(done) != 0 || pipe(go) != 0)
		return 2;
	pid = fork();
	if (pid == 0) {
		close(go[1]);
		if (read(go[0], buf, 1) != 1)	/* the parent's go */
			_exit(1);
		pg("/proc/net/pktgen/pgctrl", "start");	/* returns when done */
		_exit(0);
	}
	close(done[1]);
	close(go[0]);
	sync();		/* mark: the measured part starts */
	t0 = now();
	if (write(go[1], "g", 1) != 1)
		return 2;
	for (;;) {
		struct pollfd p[QMAX + 1];
		bool finished = false;
		ssize_t n;

		for (i = 0; i < q; i++) {
			p[i].fd = fd[i];
			p[i].events = POLLIN;
		}
		p[q].fd = done[0];	/* EOF when pktgen is done */
		p[q].events = POLLIN;
		if (poll(p, (nfds_t)q + 1, 10000) <= 0)
			break;
		finished = p[q].revents != 0;
		for (i = 0; i < q; i++)
			while ((p[i].revents & POLLIN) && (n = read(fd[i], buf, sizeof(buf))) > 0)
				got++;
		if (finished) {
			/* drain what is left, then stop */
			for (i = 0; i < q; i++)
				while (read(fd[i], buf, sizeof(buf)) > 0)
					got++;
			break;
		}
	}
	t1 = now();
	sync();		/* mark: the measured part ends */
	waitpid(pid, NULL, 0);
	printf("dev %s queues %d mode %s packets %lu of %lu pps %.0f ns/packet %.1f\n", kind, q,
	       mode, got, want, got ? got / (t1 - t0) : 0.0, got ? (t1 - t0) * 1e9 / got : 0.0);
	return got > 1 ? 0 : 1;
usage:
	fprintf(stderr, "usage: %s [-d tun|macvtap] [-q QUEUES] [-m off|report|rss] [-n PACKETS] [-H HDRSZ]\n",
		argv[0]);
	return 2;
}
