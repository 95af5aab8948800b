/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 hashtap authors
 *
 * A bounded stress of the kernel series, for the KASAN + lockdep test
 * kernel (test/kernel/run.sh): threads race configuration changes (hash,
 * RSS, tunnel types valid and not, off, read back, a steering eBPF program
 * attached and detached) with traffic (plain and tunnelled frames,
 * AF_PACKET into a 4-queue tun tap and through a macvtap, XDP frames
 * redirected into the tun tap), with queues detached, attached, closed and
 * opened, and with the devices deleted under all of it and created again.
 * The checks are the kernel's: any KASAN report, lockdep splat, RCU
 * warning or BUG fails the run (tools/vm-run).  Here only that everything
 * ran.  TAP output.
 *
 *   tun-stress [-t SECONDS] [-s SEED]
 */

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <linux/bpf.h>
#include <linux/if_link.h>
#include <linux/if_packet.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>

#include "rnd.h"
#include "check.h"
#include "kbpf.h"
#include "tun_vnet_hash_uapi.h"
#include "vnet_hash.h"

#define TUN	"hts0"
#define MVT	"htsm0"
#define NQ	4
#define NMQ	2

static struct {
	pthread_rwlock_t lock;	/* write: devices deleted and created again */
	pthread_mutex_t qlock;	/* the queue fds */
	int q[NQ], mq[NMQ];	/* -1 when closed */
	int ctl, mctl;		/* control queues: closed only with the device */
	int prog;
	atomic_bool stop;
	atomic_ulong frames, configs, queue_ops, deletions, progs, xdp_links;
} st;

static unsigned int seed_base;

/* each thread its own generator; rnd() (rnd_frame) is the traffic thread's */
static __thread uint64_t trs;

static uint32_t
trnd(void)
{
	if (trs == 0)
		trs = 0x9e3779b97f4a7c15ull ^ (uint64_t)seed_base ^ (uintptr_t)&trs;
	trs ^= trs << 13;
	trs ^= trs >> 7;
	trs ^= trs << 17;
	return (uint32_t)(trs >> 16);
}

static int
tun_queue(void)
{
	struct ifreq ifr;
	int fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK), sz = 20;

	if (fd < 0)
		return -1;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, IFNAMSIZ, TUN);
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI | IFF_VNET_HDR | IFF_MULTI_QUEUE;
	if (ioctl(fd, TUNSETIFF, &ifr) != 0 || ioctl(fd, TUNSETVNETHDRSZ, &sz) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static int
mvt_queue(void)
{
	char path[64];
	unsigned int idx = if_nametoindex(MVT);
	int fd, sz = 24;

	if (idx == 0)
		return -1;
	snprintf(path, sizeof(path), "/dev/tap%u", idx);
	fd = open(path, O_RDWR | O_NONBLOCK);
	if (fd >= 0 && ioctl(fd, TUNSETVNETHDRSZ, &sz) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static int
sh(const char *cmd)
{
	return system(cmd);
}

/* The devices and their queues; under the write lock (or before threads) */
static int
build(void)
{
	int i;

	if (sh("ip link add htsv0 type veth peer name htsv1 2>/dev/null;"
	       "ip link add link htsv0 name " MVT " address 02:00:00:00:00:02 "
	       "type macvtap mode bridge && ip link set htsv0 up && ip link set htsv1 up && "
	       "ip link set " MVT " up") != 0)
		return -1;
	for (i = 0; i < NQ; i++)
		st.q[i] = tun_queue();
	st.ctl = tun_queue();
	for (i = 0; i < NMQ; i++)
		st.mq[i] = mvt_queue();
	st.mctl = mvt_queue();
	if (st.ctl < 0 || st.mctl < 0 || sh("ip link set " TUN " up txqueuelen 1000") != 0)
		return -1;
	return 0;
}

static void
teardown(void)
{
	int i;

	for (i = 0; i < NQ; i++)
		if (st.q[i] >= 0)
			close(st.q[i]), st.q[i] = -1;
	for (i = 0; i < NMQ; i++)
		if (st.mq[i] >= 0)
			close(st.mq[i]), st.mq[i] = -1;
	close(st.ctl);
	close(st.mctl);
	st.ctl = st.mctl = -1;
	sh("ip link del " TUN " 2>/dev/null; ip link del " MVT " 2>/dev/null");
}

/* A random configuration, valid or not, on the wire */
static unsigned int
rnd_rss(uint8_t *b)
{
	unsigned int n = 1u << (trnd() % 8), t = 8 + 2 * n, k = trnd() % 42, i;
	uint32_t types = trnd() % 8 ? (trnd() & 0x1ff) : trnd() & 0x3ff;
	unsigned int m = 1 + trnd() % (NQ + 2);

	memset(b, 0, t + 3 + k);
	b[0] = (uint8_t)types, b[1] = (uint8_t)(types >> 8);
	b[4] = (uint8_t)(n - 1), b[5] = (uint8_t)((n - 1) >> 8);
	b[6] = (uint8_t)(trnd() % m);
	for (i = 0; i < n; i++)
		b[8 + 2 * i] = (uint8_t)(trnd() % (m + (trnd() % 16 == 0)));
	b[t] = (uint8_t)m;
	b[t + 2] = (uint8_t)k;
	for (i = 0; i < k; i++)
		b[t + 3 + i] = (uint8_t)trnd();
	return t + 3 + k;
}

static void *
config_thread(void *arg)
{
	static uint8_t b[8 + 2 * 1024 + 3 + 64];

	(void)arg;
	while (!st.stop) {
		int fd, r = trnd() % 8;

		pthread_rwlock_rdlock(&st.lock);
		fd = trnd() % 3 ? st.ctl : st.mctl;
		if (r == 0) {
			memset(b, 0, 13 + 41);
			b[0] = (uint8_t)(trnd() & 0x1ff);
			b[1] = (uint8_t)(trnd() % 2);
			b[12] = (uint8_t)(trnd() % 42);
			ioctl(fd, VNET_HASH_TUNSETVNETHASH, b);
		} else if (r == 1) {
			memset(b, 0, 13);	/* hash off */
			ioctl(fd, VNET_HASH_TUNSETVNETHASH, b);
		} else if (r == 2) {
			rnd_rss(b);
			ioctl(fd, VNET_HASH_TUNSETVNETRSS, b);
		} else if (r == 3) {
			memset(b, 0, 13);	/* RSS off */
			ioctl(fd, VNET_HASH_TUNSETVNETRSS, b);
		} else if (r == 4) {
			ioctl(fd, VNET_HASH_TUNGETVNETRSS, b);
		} else if (r == 5) {	/* tunnel types, now and then invalid ones */
			uint32_t t = trnd() % 8 ? trnd() & 0x1ff : trnd();

			b[0] = (uint8_t)t, b[1] = (uint8_t)(t >> 8);
			b[2] = (uint8_t)(t >> 16), b[3] = (uint8_t)(t >> 24);
			ioctl(fd, VNET_HASH_TUNSETVNETHASHTUNNEL, b);
		} else if (r == 6) {
			ioctl(fd, VNET_HASH_TUNGETVNETHASHTUNNEL, b);
		} else {
			ioctl(fd, VNET_HASH_TUNGETVNETHASH, b);
		}
		pthread_rwlock_unlock(&st.lock);
		st.configs++;
	}
	return NULL;
}

static void *
prog_thread(void *arg)
{
	int none = -1;

	(void)arg;
	while (!st.stop) {
		pthread_rwlock_rdlock(&st.lock);
		ioctl(st.ctl, TUNSETSTEERINGEBPF, trnd() % 2 ? &st.prog : &none);
		pthread_rwlock_unlock(&st.lock);
		st.progs++;
		usleep(2000);
	}
	return NULL;
}

static void *
queue_thread(void *arg)
{
	(void)arg;
	while (!st.stop) {
		int i = trnd() % NQ, r = trnd() % 4;
		struct ifreq ifr;

		pthread_rwlock_rdlock(&st.lock);
		pthread_mutex_lock(&st.qlock);
		memset(&ifr, 0, sizeof(ifr));
		if (r < 2 && st.q[i] >= 0) {
			ifr.ifr_flags = r ? IFF_ATTACH_QUEUE : IFF_DETACH_QUEUE;
			ioctl(st.q[i], TUNSETQUEUE, &ifr);
		} else if (r == 2) {
			if (st.q[i] >= 0)
				close(st.q[i]);
			st.q[i] = tun_queue();
		} else {
			i %= NMQ;
			if (st.mq[i] >= 0)
				close(st.mq[i]);
			st.mq[i] = mvt_queue();
		}
		pthread_mutex_unlock(&st.qlock);
		pthread_rwlock_unlock(&st.lock);
		st.queue_ops++;
		usleep(1000);
	}
	return NULL;
}

static void *
reader_thread(void *arg)
{
	static char buf[4096];

	(void)arg;
	while (!st.stop) {
		int i;

		pthread_rwlock_rdlock(&st.lock);
		pthread_mutex_lock(&st.qlock);
		for (i = 0; i < NQ; i++)
			while (st.q[i] >= 0 && read(st.q[i], buf, sizeof(buf)) > 0)
				;
		for (i = 0; i < NMQ; i++)
			while (st.mq[i] >= 0 && read(st.mq[i], buf, sizeof(buf)) > 0)
				;
		while (read(st.ctl, buf, sizeof(buf)) > 0 || read(st.mctl, buf, sizeof(buf)) > 0)
			;
		pthread_mutex_unlock(&st.qlock);
		pthread_rwlock_unlock(&st.lock);
		usleep(500);
	}
	return NULL;
}

static void *
traffic_thread(void *arg)
{
	const char *devs[] = { TUN, "htsv1", "htsx0" };
	int s = socket(AF_PACKET, SOCK_RAW, 0);

	(void)arg;
	while (!st.stop) {
		struct sockaddr_ll to;
		uint8_t frame[1600];
		uint32_t len = rnd() % 2 ? rnd_frame(frame, sizeof(frame), true) :
					   rnd_tunnel_frame(frame, sizeof(frame), true);

		memset(&to, 0, sizeof(to));
		to.sll_family = AF_PACKET;
		to.sll_ifindex = (int)if_nametoindex(devs[rnd() % 3]);
		to.sll_halen = 6;
		frame[0] = 0x02, frame[5] = 0x02;	/* the macvtap's address */
		if (to.sll_ifindex > 0 && len > 14 &&
		    sendto(s, frame, len, MSG_DONTWAIT, (struct sockaddr *)&to, sizeof(to)) > 0)
			st.frames++;
	}
	close(s);
	return NULL;
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
	pthread_t th[5];
	double secs = 30, t0;
	int c, i, link = -1;

	while ((c = getopt(argc, argv, "t:s:")) != -1) {
		if (c == 't')
			secs = atof(optarg);
		else if (c == 's')
			seed_base = (unsigned int)strtoul(optarg, NULL, 0);
		else
			return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	rnd_seed(seed_base);
	pthread_rwlock_init(&st.lock, NULL);
	pthread_mutex_init(&st.qlock, NULL);
	sh("echo 1 >/proc/sys/net/ipv6/conf/default/disable_ipv6");
	sh("ip link add htsx0 type veth peer name htsx1 && ip link set htsx0 up && "
	   "ip link set htsx1 up");
	if (!check_ok(build() == 0, "tun tap %s (%d queues), macvtap %s (%d queues)", TUN, NQ,
		    MVT, NMQ))
		return check_done();
	st.prog = kbpf_steering(2);
	check_ok(st.prog >= 0, "a steering eBPF program");

	pthread_create(&th[0], NULL, config_thread, NULL);
	pthread_create(&th[1], NULL, prog_thread, NULL);
	pthread_create(&th[2], NULL, queue_thread, NULL);
	pthread_create(&th[3], NULL, reader_thread, NULL);
	pthread_create(&th[4], NULL, traffic_thread, NULL);
	t0 = now();
	while (now() - t0 < secs) {
		/* XDP into the tun tap, attached and detached */
		if (link < 0) {
			link = kbpf_xdp_redirect("htsx1", (int)if_nametoindex(TUN), NULL, 0);
			if (link >= 0)
				st.xdp_links++;
		}
		usleep(300000 + trnd() % 700000);
		if (trnd() % 2 && link >= 0) {
			close(link);
			link = -1;
		}
		/* delete the devices under everything, then build them again */
		if (trnd() % 3 == 0) {
			sh("ip link del " TUN " 2>/dev/null; ip link del " MVT " 2>/dev/null");
			usleep(trnd() % 100000);
			pthread_rwlock_wrlock(&st.lock);
			pthread_mutex_lock(&st.qlock);
			if (link >= 0)
				close(link), link = -1;
			teardown();
			build();
			pthread_mutex_unlock(&st.qlock);
			pthread_rwlock_unlock(&st.lock);
			st.deletions++;
		}
	}
	st.stop = true;
	for (i = 0; i < 5; i++)
		pthread_join(th[i], NULL);
	if (link >= 0)
		close(link);
	teardown();
	sh("ip link del htsx0; ip link del htsv0 2>/dev/null");
	check_ok(st.frames > 0 && st.configs > 0 && st.queue_ops > 0 && st.progs > 0,
	       "%.0f s: %lu frames, %lu configuration calls, %lu queue operations, "
	       "%lu eBPF attach/detach, %lu XDP attachments, %lu deletions",
	       secs, (unsigned long)st.frames, (unsigned long)st.configs,
	       (unsigned long)st.queue_ops, (unsigned long)st.progs,
	       (unsigned long)st.xdp_links, (unsigned long)st.deletions);
	check_ok(st.deletions > 0, "the devices were deleted under traffic (%lu times)",
	       (unsigned long)st.deletions);
	return check_done();
}
