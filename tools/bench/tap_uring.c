/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 hashtap authors
 *
 * Benchmark (not a test): where the CPU goes when frames cross a tap, each
 * way net_hashtap could move them, per frame, in TSC cycles of thread CPU
 * time (other load on the machine slows the run, not the numbers).
 *
 * Receive: rounds of B frames sent into the tap (AF_PACKET, qdisc bypassed)
 * and then read back; the sending is the "producer" cost (the kernel's
 * side of a peer: a VM, the injector), the reading the "consumer" cost
 * (the PMD's core).  Ways to read:
 *   readv    one readv() a frame (net_hashtap io=syscall)
 *   mshot    a multishot read kept armed, provided buffers, DEFER_TASKRUN,
 *            one io_uring_enter() when the kernel flags reads (io=uring)
 *   batch    K reads with provided buffers submitted together, not armed
 *            (RWF_NOWAIT: an empty queue answers EAGAIN), one enter
 * Transmit: rounds of B 64-byte (-s) frames written into the tap:
 *   writev   one writev() a frame (io=syscall)
 *   uring    one io_uring_enter() for B WRITEs, header in the headroom (io=uring)
 *   uringv   the same with WRITEV (header apart: the path for shared mbufs)
 *   sqpoll   WRITEs picked up by a kernel SQ-polling thread on the other
 *            core: the writer's cost and the SQ thread's, apart
 * Baselines: a bare syscall (getppid), readv() of an empty queue.
 *
 *   tap-uring [-r ROUNDS] [-b B] [-s SIZE] [-q QUEUES]
 *   QUEUES > 1 makes the tap multi-queue with that many queues open (the
 *   kernel then hashes each written frame for its flow steering).
 */

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>

#include <linux/if_packet.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <netinet/in.h>

#include <liburing.h>
#include <rte_cycles.h>

#include "hashtap_uring_compat.h"	/* IORING_OP_READ_MULTISHOT, one home */
#include "pkt.h"

#define DEV	"htur0"
#define HDR	20
#define BUFSZ	2048
#define NBUF	512	/* provided buffers (> B) */
#define MAXB	256

static unsigned int rounds = 400, B = 128, size = 64, nq = 1;
static int fd[8], sk;
static struct sockaddr_ll to = { .sll_family = AF_PACKET, .sll_halen = 6 };
static uint8_t frame[BUFSZ];
static uint32_t flen;
static double tsc_ghz;

static uint64_t
cpu_now(void)	/* this thread's CPU time, ns */
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static double
cyc(uint64_t ns, uint64_t n)
{
	return n ? (double)ns * tsc_ghz / (double)n : 0.0;
}

/* Send n frames into the tap (the producer); its CPU time in *ns. */
static void
fill(unsigned int n, uint64_t *ns)
{
	struct mmsghdr mm[MAXB];
	struct iovec iov = { frame, 0 };
	uint64_t t = cpu_now();
	unsigned int i, done = 0;

	iov.iov_len = flen;
	for (i = 0; i < n; i++)
		mm[i] = (struct mmsghdr){ .msg_hdr = { .msg_name = &to, .msg_namelen = sizeof(to),
				.msg_iov = &iov, .msg_iovlen = 1 } };
	while (done < n) {
		int k = sendmmsg(sk, mm + done, n - done, 0);

		if (k <= 0) {
			perror("tap-uring: sendmmsg");
			exit(1);
		}
		done += (unsigned int)k;
	}
	*ns += cpu_now() - t;
}

/* ------------------------------------------------------------ receive */

static uint8_t hdr[HDR], buf[BUFSZ], spill[65600];

static unsigned int
drain_readv(uint64_t *sys)
{
	struct iovec iov[3] = { { hdr, HDR }, { buf, BUFSZ }, { spill, sizeof(spill) } };
	unsigned int got = 0;

	for (;;) {
		(*sys)++;
		if (readv(fd[0], iov, 3) <= 0)
			return got;
		got++;
	}
}

static struct io_uring ring;
static struct io_uring_buf_ring *br;
static uint8_t *pool;

static void
rx_ring(unsigned int flags)
{
	struct io_uring_params p = { .flags = flags | IORING_SETUP_CQSIZE, .cq_entries = 4 * NBUF };
	struct io_uring_buf_reg reg = { .ring_entries = NBUF, .bgid = 0 };
	unsigned int i;

	if (io_uring_queue_init_params(MAXB, &ring, &p) < 0 ||
	    io_uring_register_files(&ring, fd, 1) < 0) {
		perror("tap-uring: io_uring");
		exit(1);
	}
	br = mmap(NULL, NBUF * sizeof(struct io_uring_buf), PROT_READ | PROT_WRITE,
		  MAP_ANONYMOUS | MAP_PRIVATE, -1, 0);
	reg.ring_addr = (uintptr_t)br;
	io_uring_buf_ring_init(br);
	if (io_uring_register_buf_ring(&ring, &reg, 0) < 0) {
		perror("tap-uring: buffer ring");
		exit(1);
	}
	for (i = 0; i < NBUF; i++)
		io_uring_buf_ring_add(br, pool + (size_t)i * BUFSZ, BUFSZ, (unsigned short)i,
				      io_uring_buf_ring_mask(NBUF), (int)i);
	io_uring_buf_ring_advance(br, NBUF);
}

static void
rx_ring_done(void)
{
	io_uring_queue_exit(&ring);
	munmap(br, NBUF * sizeof(struct io_uring_buf));
}

/* Completions there are: frames counted, buffers back; *more: still armed */
static unsigned int
harvest(bool *armed, unsigned int *eagain)
{
	struct io_uring_cqe *c;
	unsigned int head, k = 0, got = 0, nb = 0;

	io_uring_for_each_cqe(&ring, head, c) {
		k++;
		if (armed != NULL && !(c->flags & IORING_CQE_F_MORE))
			*armed = false;
		if (c->flags & IORING_CQE_F_BUFFER) {
			unsigned int bid = c->flags >> IORING_CQE_BUFFER_SHIFT;

			io_uring_buf_ring_add(br, pool + (size_t)bid * BUFSZ, BUFSZ,
					      (unsigned short)bid, io_uring_buf_ring_mask(NBUF),
					      (int)nb++);
		}
		if (c->res > 0)
			got++;
		else if (eagain != NULL && c->res == -EAGAIN)
			(*eagain)++;
	}
	io_uring_cq_advance(&ring, k);
	io_uring_buf_ring_advance(br, (int)nb);
	return got;
}

static void
arm(void)
{
	struct io_uring_sqe *s = io_uring_get_sqe(&ring);

	io_uring_prep_rw(IORING_OP_READ_MULTISHOT, s, 0, NULL, 0, 0);
	s->flags |= IOSQE_FIXED_FILE | IOSQE_BUFFER_SELECT;
	s->buf_group = 0;
}

static bool armed;

static unsigned int
drain_mshot(uint64_t *sys)
{
	unsigned int got = 0;

	for (;;) {
		unsigned int k = harvest(&armed, NULL);

		got += k;
		if (k > 0)
			continue;
		if (armed && !(IO_URING_READ_ONCE(*ring.sq.kflags) & IORING_SQ_TASKRUN))
			return got;	/* nothing flagged: the queue is empty */
		if (!armed) {
			arm();
			armed = true;
			(*sys)++;
			io_uring_submit(&ring);
		} else {
			(*sys)++;
			io_uring_get_events(&ring);
		}
		got += harvest(&armed, NULL);
		if (armed && !(IO_URING_READ_ONCE(*ring.sq.kflags) & IORING_SQ_TASKRUN) &&
		    io_uring_cq_ready(&ring) == 0)
			return got;
	}
}

static unsigned int
drain_batch(uint64_t *sys, unsigned int *kp)
{
	unsigned int got = 0, k = *kp;

	for (;;) {
		unsigned int i, e = 0, n;

		for (i = 0; i < k; i++) {
			struct io_uring_sqe *s = io_uring_get_sqe(&ring);

			io_uring_prep_read(s, 0, NULL, BUFSZ, 0);
			s->rw_flags = RWF_NOWAIT;	/* else a read of an empty queue waits */
			s->flags |= IOSQE_FIXED_FILE | IOSQE_BUFFER_SELECT;
			s->buf_group = 0;
		}
		(*sys)++;
		io_uring_submit_and_wait(&ring, k);
		n = harvest(NULL, &e);
		got += n;
		/* next time as many as came, and one more */
		k = RTE_MIN(RTE_MAX(n + 1, 1u), (unsigned int)MAXB / 2);
		if (e > 0) {
			*kp = k;
			return got;
		}
	}
}

static void
rx(const char *mode)
{
	uint64_t prod = 0, cons = 0, sys = 0, sent = 0, got = 0;
	unsigned int r, k = 32;

	if (strcmp(mode, "mshot") == 0)
		rx_ring(IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN |
			IORING_SETUP_TASKRUN_FLAG);
	else if (strcmp(mode, "batch") == 0)
		rx_ring(IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN);
	armed = false;
	for (r = 0; r < rounds; r++) {
		uint64_t t;

		fill(B, &prod);
		sent += B;
		t = cpu_now();
		if (strcmp(mode, "readv") == 0)
			got += drain_readv(&sys);
		else if (strcmp(mode, "mshot") == 0)
			got += drain_mshot(&sys);
		else
			got += drain_batch(&sys, &k);
		cons += cpu_now() - t;
	}
	if (strcmp(mode, "readv") != 0)
		rx_ring_done();
	printf("| rx | %-7s | %5u B | %8.0f | %8.0f | %6.3f | %" PRIu64 " of %" PRIu64 " |\n",
	       mode, size, cyc(prod, sent), cyc(cons, got), (double)sys / (double)(got ? got : 1),
	       got, sent);
}

/* ------------------------------------------------------------ transmit */

static uint8_t wbuf[MAXB][HDR + BUFSZ];

/* CPU time (ns) of this process's SQ-polling kernel threads */
static uint64_t
sqpoll_ns(void)
{
	DIR *d = opendir("/proc/self/task");
	struct dirent *e;
	uint64_t ns = 0;

	while (d != NULL && (e = readdir(d)) != NULL) {
		char p[300], s[1024], *c;
		unsigned long ut, st;
		FILE *f;

		snprintf(p, sizeof(p), "/proc/self/task/%s/stat", e->d_name);
		f = fopen(p, "r");
		if (f == NULL)
			continue;
		if (fgets(s, sizeof(s), f) != NULL && strstr(s, "(iou-sqp") != NULL &&
		    (c = strrchr(s, ')')) != NULL &&
		    sscanf(c + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &st) == 2)
			ns += (uint64_t)(ut + st) * (1000000000u / (uint64_t)sysconf(_SC_CLK_TCK));
		fclose(f);
	}
	if (d != NULL)
		closedir(d);
	return ns;
}

static void
tx(const char *mode)
{
	struct iovec wv[MAXB][2];
	uint64_t w = 0, sys = 0, n = 0, sq0 = 0, sq1 = 0, wall;
	struct timespec a, b;
	unsigned int r, i;
	bool uring = strcmp(mode, "writev") != 0, sqpoll = strcmp(mode, "sqpoll") == 0;

	for (i = 0; i < B; i++) {
		memset(wbuf[i], 0, HDR);
		memcpy(wbuf[i] + HDR, frame, flen);
		wv[i][0] = (struct iovec){ wbuf[i], HDR };
		wv[i][1] = (struct iovec){ wbuf[i] + HDR, flen };
	}
	if (uring) {
		struct io_uring_params p = { .flags = IORING_SETUP_SUBMIT_ALL };

		if (sqpoll) {
			p.flags |= IORING_SETUP_SQPOLL | IORING_SETUP_SQ_AFF;
			p.sq_thread_cpu = 0;
			p.sq_thread_idle = 1000;
		}
		if (io_uring_queue_init_params(MAXB, &ring, &p) < 0 ||
		    io_uring_register_files(&ring, fd, 1) < 0) {
			perror("tap-uring: io_uring");
			exit(1);
		}
		sq0 = sqpoll_ns();
	}
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (r = 0; r < rounds; r++) {
		uint64_t t = cpu_now();

		if (!uring) {
			for (i = 0; i < B; i++, sys++)
				if (writev(fd[0], wv[i], 2) < 0) {
					perror("tap-uring: writev");
					exit(1);
				}
		} else {
			unsigned int done = 0;

			for (i = 0; i < B; i++) {
				struct io_uring_sqe *s = io_uring_get_sqe(&ring);

				if (strcmp(mode, "uringv") == 0)
					io_uring_prep_writev(s, 0, wv[i], 2, 0);
				else
					io_uring_prep_write(s, 0, wbuf[i], HDR + flen, 0);
				s->flags |= IOSQE_FIXED_FILE;
			}
			if (!sqpoll || (IO_URING_READ_ONCE(*ring.sq.kflags) & IORING_SQ_NEED_WAKEUP))
				sys++;
			io_uring_submit(&ring);
			while (done < B) {	/* the buffers are used again next round */
				unsigned int k = io_uring_cq_ready(&ring);

				if (k == 0 && sqpoll)
					continue;
				if (k == 0) {
					sys++;
					io_uring_get_events(&ring);
					continue;
				}
				io_uring_cq_advance(&ring, k);
				done += k;
			}
		}
		w += cpu_now() - t;
		n += B;
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	wall = (uint64_t)(b.tv_sec - a.tv_sec) * 1000000000u + (uint64_t)(b.tv_nsec - a.tv_nsec);
	if (uring) {
		sq1 = sqpoll_ns();
		io_uring_queue_exit(&ring);
	}
	printf("| tx | %-7s | %5u B | %8.0f | %8.0f | %6.3f | %.2f Mpps%s |\n", mode, size,
	       cyc(sq1 - sq0, n), cyc(w, n), (double)sys / (double)n, (double)n * 1e3 / (double)wall,
	       sqpoll ? " (SQ thread: 2nd column; it spins while idle too)" : "");
}

/* ------------------------------------------------------------ main */

static void
baselines(void)
{
	struct iovec iov[2] = { { hdr, HDR }, { buf, BUFSZ } };
	unsigned int i, n = 200000;
	uint64_t t;

	t = cpu_now();
	for (i = 0; i < n; i++)
		syscall(SYS_getppid);
	printf("| - | getppid | - | - | %8.0f | 1 | bare syscall |\n", cyc(cpu_now() - t, n));
	t = cpu_now();
	for (i = 0; i < n; i++)
		if (readv(fd[0], iov, 2) >= 0)
			break;
	printf("| - | readv | - | - | %8.0f | 1 | empty queue |\n", cyc(cpu_now() - t, n));
}

int
main(int argc, char **argv)
{
	struct ifreq ifr = { .ifr_flags = IFF_TAP | IFF_NO_PI | IFF_VNET_HDR };
	struct pkt_spec s = { .ipver = 4, .l4 = IPPROTO_UDP, .sport = 1, .dport = 2 };
	static const char *const all[] = { "readv", "mshot", "batch", "writev", "uring", "uringv",
					   "sqpoll" };
	int sz = HDR, opt, one = 1;
	unsigned int q, i;
	char cmd[256];

	setvbuf(stdout, NULL, _IOLBF, 0);
	while ((opt = getopt(argc, argv, "r:b:s:q:")) != -1) {
		switch (opt) {
		case 'r': rounds = (unsigned int)atoi(optarg); break;
		case 'b': B = (unsigned int)atoi(optarg); break;
		case 's': size = (unsigned int)atoi(optarg); break;
		case 'q': nq = (unsigned int)atoi(optarg); break;
		default:
			fprintf(stderr, "usage: tap-uring [-r ROUNDS] [-b B] [-s SIZE] [-q QUEUES] [MODE...]\n");
			return 2;
		}
	}
	if (B == 0 || B > MAXB || B >= NBUF || nq == 0 || nq > 8 || size < 60 || size > 1514) {
		fprintf(stderr, "tap-uring: B 1..%d, QUEUES 1..8, SIZE 60..1514\n", MAXB);
		return 2;
	}
	{
		struct timespec a, b;
		uint64_t c0, c1;

		clock_gettime(CLOCK_MONOTONIC, &a);
		c0 = rte_rdtsc();
		usleep(200000);
		c1 = rte_rdtsc();
		clock_gettime(CLOCK_MONOTONIC, &b);
		tsc_ghz = (double)(c1 - c0) / ((double)(b.tv_sec - a.tv_sec) * 1e9 +
					      (double)(b.tv_nsec - a.tv_nsec));
	}
	if (nq > 1)
		ifr.ifr_flags |= IFF_MULTI_QUEUE;
	for (q = 0; q < nq; q++) {
		fd[q] = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
		snprintf(ifr.ifr_name, IFNAMSIZ, DEV);
		if (fd[q] < 0 || ioctl(fd[q], TUNSETIFF, &ifr) < 0 ||
		    ioctl(fd[q], TUNSETVNETHDRSZ, &sz) < 0) {
			perror("tap-uring: tap");
			return 1;
		}
	}
	snprintf(cmd, sizeof(cmd), "sysctl -qw net.ipv6.conf.%s.disable_ipv6=1 && "
		 "ip link set %s up txqueuelen 10000", DEV, DEV);
	if (system(cmd) != 0)
		return 1;
	pkt_addr("10.0.0.1", s.src);
	pkt_addr("10.0.0.2", s.dst);
	s.payload = (uint16_t)(size - 42);
	flen = pkt_build(&s, frame, sizeof(frame));
	frame[0] = 0x02;	/* unicast, not the tap's: the kernel drops what we write */
	to.sll_ifindex = (int)if_nametoindex(DEV);
	sk = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
	if (sk < 0 || setsockopt(sk, SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof(one)) < 0) {
		perror("tap-uring: AF_PACKET");
		return 1;
	}
	pool = aligned_alloc(4096, (size_t)NBUF * BUFSZ);
	printf("# tap-uring: %u rounds of %u frames of %u bytes, %u tap queue(s) open; TSC %.3f GHz; cycles = thread CPU time at the TSC rate\n",
	       rounds, B, flen, nq, tsc_ghz);
	printf("| dir | way | size | producer cycles/frame (tx: SQ thread) | consumer cycles/frame (tx: writer) | syscalls/frame | frames |\n");
	printf("|---|---|---|---|---|---|---|\n");
	baselines();
	for (i = 0; i < (unsigned int)(optind < argc ? argc - optind : (int)RTE_DIM(all)); i++) {
		const char *m = optind < argc ? argv[optind + i] : all[i];

		if (strcmp(m, "readv") == 0 || strcmp(m, "mshot") == 0 || strcmp(m, "batch") == 0)
			rx(m);
		else if (strcmp(m, "writev") == 0 || strcmp(m, "uring") == 0 ||
			 strcmp(m, "uringv") == 0 || strcmp(m, "sqpoll") == 0)
			tx(m);
		else
			fprintf(stderr, "tap-uring: no way called %s\n", m);
	}
	return 0;
}
