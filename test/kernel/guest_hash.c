/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 hashtap authors
 *
 * The kernel's hash inside a guest: a VMM-side launcher and the guest's
 * receiver (test/vm/guest_hash.sh runs both, nested).  TAP output.
 *
 *   guest-hash launch [-n FRAMES] [-s SEED] IFNAME -- VMM...
 *       in the patched kernel: create tap IFNAME with a virtio-net header,
 *       configure hash reporting on it (TUNSETVNETHASH: every type, the
 *       Microsoft key) as a VMM would, run VMM with the tap's fd as fd 3
 *       (QEMU: -netdev tap,fd=3,vhost=on), and once the guest says it is
 *       ready (a frame of EtherType 0x88b5 out of its interface) send it
 *       FRAMES random frames (frames of every kind, tools/lib/rnd.c), each
 *       numbered in its source MAC (kbpf_stamp()), from the kernel side of
 *       the tap.  Exits with the VMM's status.
 *   guest-hash recv [-n FRAMES] IFNAME
 *       in the guest: record skb->hash of every frame its virtio-net
 *       driver hands to the stack (a socket filter on a packet socket),
 *       say "ready", take FRAMES frames, and check each one's hash (found
 *       by the frame's number, so a lost frame shifts nothing) against
 *       lib/vnet_hash on its bytes: the hash value the device reported
 *       (virtio-net sets skb->hash from the header's hash_value; 0 for
 *       VIRTIO_NET_HASH_REPORT_NONE).
 */

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <linux/bpf.h>
#include <linux/if_packet.h>
#include <linux/if_tun.h>
#include <linux/virtio_net.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "check.h"
#include "kbpf.h"
#include "netns.h"
#include "rnd.h"
#include "vnet_hash.h"
#include "vnet_hash_tun.h"

#define READY_TYPE	0x88b5	/* IEEE 802 local experimental */
#define PACE_US		10000	/* between frames: a nested guest is slow */

static unsigned int frames = 300;
static uint64_t seed = 7;

static void
key_config(struct vnet_hash_config *c)
{
	memset(c, 0, sizeof(*c));
	c->hash_types = VNET_HASH_TYPE_ALL;
	vnet_hash_key_set(&c->key, vnet_hash_default_key, VNET_HASH_KEY_MIN);
}

/* A packet socket on ifname (tools/lib/netns.c), frames we send not looped back. */
static int
packet_socket(const char *ifname, struct sockaddr_ll *sll)
{
	int one = 1, fd = netns_packet_socket(NULL, ifname, sll, 0);

	if (fd >= 0 && setsockopt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof(one)) < 0) {
		check_diag("PACKET_IGNORE_OUTGOING on %s: %s", ifname, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

static int
sh(const char *cmd)
{
	int rc = system(cmd);

	if (rc != 0)
		check_diag("'%s' failed (%d)", cmd, rc);
	return rc;
}

static int
launch(const char *ifname, char **vmm)
{
	struct vnet_hash_config hc;
	struct vnet_hash_cap cap;
	struct sockaddr_ll sll;
	struct ifreq ifr;
	char cmd[256];
	unsigned int sent = 0, i;
	int tap, pkt, status = 0;
	bool ready = false;
	pid_t child;

	tap = open("/dev/net/tun", O_RDWR);
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI | IFF_VNET_HDR;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	if (!check_ok(tap >= 0 && ioctl(tap, TUNSETIFF, &ifr) == 0, "tap %s created", ifname))
		return 1;
	if (!check_ok(vnet_hash_tun_probe(tap, &cap) == 0, "the kernel has the hash ioctls"))
		return 1;
	key_config(&hc);
	if (!check_ok(vnet_hash_tun_set_hash(tap, &hc) == 0,
		      "hash reporting configured on the tap as a VMM would (every type, Microsoft key)"))
		return 1;
	snprintf(cmd, sizeof(cmd), "sysctl -qw net.ipv6.conf.%s.disable_ipv6=1 && ip link set %s up",
		 ifname, ifname);
	if (sh(cmd) != 0)
		return 1;
	pkt = packet_socket(ifname, &sll);
	if (pkt < 0)
		return 1;
	fflush(stdout);
	child = fork();
	if (child == 0) {
		close(pkt);	/* not the VMM's */
		if (dup2(tap, 3) < 0)
			_exit(127);
		execvp(vmm[0], vmm);
		fprintf(stderr, "guest-hash: %s: %s\n", vmm[0], strerror(errno));
		_exit(127);
	}
	close(tap);	/* the VMM holds it now */
	/* the guest's "ready": its driver is up and the filter attached */
	while (!ready) {
		struct pollfd p = { .fd = pkt, .events = POLLIN };
		uint8_t b[64];

		if (waitpid(child, &status, WNOHANG) == child) {
			child = -1;
			break;
		}
		if (poll(&p, 1, 1000) > 0) {
			ssize_t n = recv(pkt, b, sizeof(b), 0);

			ready = n >= 14 && b[12] == (READY_TYPE >> 8) && b[13] == (READY_TYPE & 0xff);
		}
	}
	if (check_ok(ready, "the guest said it is ready")) {
		rnd_seed(seed);
		for (i = 0; i < frames; i++) {
			uint8_t f[1514];
			uint32_t len = rnd_frame(f, sizeof(f), true);

			kbpf_stamp(f, i);	/* the source MAC: no hash reads it */

			sent += sendto(pkt, f, len, 0, (struct sockaddr *)&sll, sizeof(sll)) == (ssize_t)len;
			usleep(PACE_US);
		}
		check_ok(sent == frames, "%u of %u frames sent into the tap", sent, frames);
	}
	close(pkt);
	if (child > 0 && waitpid(child, &status, 0) != child)
		status = -1;
	check_ok(WIFEXITED(status) && WEXITSTATUS(status) == 0, "the VMM (the guest) exited 0 (status 0x%x)",
		 status);
	return check_done();
}

/* a frame's number from its stamp (kbpf_stamp()), or -1 */
static int64_t
stamp_of(const uint8_t *f, ssize_t n)
{
	const uint8_t *p = f + KBPF_STAMP_OFF;

	if (n < KBPF_STAMP_OFF + 6 || (p[0] << 8 | p[1]) != KBPF_STAMP)
		return -1;
	return (int64_t)((uint32_t)p[2] << 24 | (uint32_t)p[3] << 16 | (uint32_t)p[4] << 8 | p[5]);
}

static int
recv_frames(const char *ifname)
{
	static uint8_t f[65536];
	struct vnet_hash_config hc;
	struct tpacket_stats st = { 0 };
	struct sockaddr_ll sll;
	unsigned int got = 0, bad = 0, odd = 0, per_report[VNET_HASH_REPORT_MAX + 1] = { 0 }, i;
	socklen_t sl = sizeof(st);
	uint32_t *want;
	bool *seen;
	char log[4096], cmd[128];
	int map, prog, pkt, rcvbuf = 64 << 20;
	uint32_t count = 0;
	time_t end;

	snprintf(cmd, sizeof(cmd), "ip link set %s up promisc on", ifname);
	if (sh(cmd) != 0)
		return 1;
	{
		/* the driver's negotiated features, one character a bit */
		char path[128], feat[130] = "";
		FILE *fp;

		snprintf(path, sizeof(path), "/sys/class/net/%s/device/features", ifname);
		fp = fopen(path, "r");
		if (fp != NULL) {
			if (fgets(feat, sizeof(feat), fp) == NULL)
				feat[0] = '\0';
			fclose(fp);
		}
		check_ok(strlen(feat) > VIRTIO_NET_F_HASH_REPORT && feat[VIRTIO_NET_F_HASH_REPORT] == '1',
			 "guest: virtio-net negotiated VIRTIO_NET_F_HASH_REPORT (features %.64s)", feat);
		/* virtio-net keeps NETIF_F_RXHASH off until asked */
		snprintf(cmd, sizeof(cmd), "ethtool -K %s rxhash on && ethtool -k %s | grep -q 'receive-hashing: on'",
			 ifname, ifname);
		check_ok(sh(cmd) == 0, "guest: receive hashing on (ethtool -K %s rxhash on)", ifname);
	}
	prog = kbpf_hash_recorder(frames, &map, log, sizeof(log));
	if (!check_ok(prog >= 0, "guest: a socket filter recording skb->hash loads (%s)",
		      prog < 0 ? strerror(errno) : "ok")) {
		check_diag("%s", log);
		return 1;
	}
	/*
	 * The filter attached before the socket is bound, so that it sees
	 * every frame the socket queues.  The queue is made deep enough for
	 * all of them: a guest starved of CPU (a loaded host, TCG inside
	 * TCG) drains it late, and the default 208 KiB dropped 31 of 300
	 * frames after the filter had recorded them.
	 */
	pkt = netns_packet_socket_bpf(NULL, ifname, &sll, prog);
	if (pkt < 0) {
		check_ok(false, "guest: filter attached to a packet socket on %s", ifname);
		return 1;
	}
	if (setsockopt(pkt, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf)) < 0)
		check_diag("guest: SO_RCVBUFFORCE %d: %s", rcvbuf, strerror(errno));
	{
		uint8_t r[60] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0, 0, 0, 0, 0x01,
				  READY_TYPE >> 8, READY_TYPE & 0xff };
		int s = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETH_P_ALL));

		if (s < 0 || sendto(s, r, sizeof(r), 0, (struct sockaddr *)&sll, sizeof(sll)) < 0)
			check_diag("guest: ready frame: %s", strerror(errno));
		if (s >= 0)
			close(s);
	}
	want = calloc(frames, sizeof(*want));
	seen = calloc(frames, sizeof(*seen));
	if (want == NULL || seen == NULL) {
		check_ok(false, "guest: memory for %u frames", frames);
		return 1;
	}
	key_config(&hc);
	end = time(NULL) + 300;
	while (got < frames && time(NULL) < end) {
		struct pollfd p = { .fd = pkt, .events = POLLIN };
		ssize_t n;
		int64_t k;
		unsigned int rep;

		if (poll(&p, 1, 5000) <= 0)
			continue;
		n = recv(pkt, f, sizeof(f), 0);
		if (n < 0)
			continue;
		k = stamp_of(f, n);
		if (k < 0 || k >= frames || seen[k]) {
			if (odd++ < 5)
				check_diag("guest: a frame not ours or seen twice (%zd bytes, number %lld)",
					   n, (long long)k);
			continue;
		}
		seen[k] = true;
		rep = vnet_hash_frame(&hc.key, hc.hash_types, f, (uint32_t)n, &want[k]);
		per_report[rep]++;
		got++;
	}
	{
		uint32_t k = 0;

		syscall(__NR_bpf, BPF_MAP_LOOKUP_ELEM,
			&(union bpf_attr){ .map_fd = (uint32_t)map, .key = (uintptr_t)&k,
					   .value = (uintptr_t)&count }, sizeof(union bpf_attr));
	}
	if (getsockopt(pkt, SOL_PACKET, PACKET_STATISTICS, &st, &sl) < 0)
		check_diag("guest: PACKET_STATISTICS: %s", strerror(errno));
	check_ok(got == frames && count == frames && odd == 0,
		 "guest: %u of %u frames received (the filter saw %u, the socket dropped %u, %u not ours or twice)",
		 got, frames, count, st.tp_drops, odd);
	for (i = 0; i < frames; i++) {
		uint32_t k = i + 1, h = 0;

		if (!seen[i])
			continue;
		syscall(__NR_bpf, BPF_MAP_LOOKUP_ELEM,
			&(union bpf_attr){ .map_fd = (uint32_t)map, .key = (uintptr_t)&k,
					   .value = (uintptr_t)&h }, sizeof(union bpf_attr));
		if (h != want[i] && bad++ < 10)
			check_diag("guest: frame %u: skb->hash 0x%08x, lib/vnet_hash 0x%08x", i, h,
				   want[i]);
	}
	for (i = 0; i <= VNET_HASH_REPORT_MAX; i++)
		check_diag("guest:   %-8s %u frames", vnet_hash_report_name(i), per_report[i]);
	check_ok(got > 0 && bad == 0,
		 "guest: every frame's hash is lib/vnet_hash's for its bytes (%u of %u differ)", bad,
		 got);
	for (i = 0; i <= VNET_HASH_REPORT_MAX; i++)
		if (per_report[i] == 0)
			break;
	check_ok(i > VNET_HASH_REPORT_MAX, "guest: frames of every report type were among them");
	free(seen);
	free(want);
	return check_done();
}

int
main(int argc, char **argv)
{
	int c;

	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGPIPE, SIG_IGN);
	if (argc < 2)
		goto usage;
	optind = 2;
	while ((c = getopt(argc, argv, "+n:s:")) != -1) {
		switch (c) {
		case 'n':
			frames = (unsigned int)strtoul(optarg, NULL, 0);
			break;
		case 's':
			seed = strtoull(optarg, NULL, 0);
			break;
		default:
			goto usage;
		}
	}
	if (frames == 0 || frames > 100000)
		goto usage;
	if (strcmp(argv[1], "launch") == 0 && optind + 2 < argc && strcmp(argv[optind + 1], "--") == 0)
		return launch(argv[optind], argv + optind + 2);
	if (strcmp(argv[1], "recv") == 0 && optind + 1 == argc)
		return recv_frames(argv[optind]);
usage:
	fprintf(stderr, "usage: guest-hash launch [-n FRAMES] [-s SEED] IFNAME -- VMM...\n"
		"       guest-hash recv [-n FRAMES] IFNAME\n");
	return 2;
}
