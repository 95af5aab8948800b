/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 hashtap authors
 *
 * hashtap-switch end to end: the switch runs as a child with five
 * net_hashtap ports (taps); frames go in and come out through AF_PACKET
 * sockets on the taps' kernel side; counters come from the switch's
 * telemetry socket.  Run it inside a network namespace of its own
 * (test/switch/run.sh does).  TAP output.
 *
 *   test-switch SWITCH_BINARY [SOAK_SECONDS]
 *
 * Ports: a, b (access VLAN 10; b has 2 rx queues and 2 guest queues),
 * c (access VLAN 20, hash=off: the switch hashes), d (access VLAN 10,
 * hash=off), t (trunk: VLANs 10 and 20 tagged, no native VLAN).  Then
 * switches of their own: small tables; telemetry at shutdown; a VXLAN
 * tunnel's inner flows over a guest's queues (tunnel_types).
 */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
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
#include <sys/un.h>
#include <sys/wait.h>

#include <rte_common.h>

#include "netns.h"
#include "pkt.h"
#include "rnd.h"
#include "check.h"
#include "vnet_hash.h"
#include "vnet_hdr.h"

enum { A, B, C, D, T, NPORT };
static const char *const ifn[NPORT] = { "htsa", "htsb", "htsc", "htsd", "htst" };
static int sk[NPORT];
static int sk_b2;		/* second fanout socket on b: frames by kernel rx queue */
static struct sockaddr_ll to[NPORT];
static pid_t sw_pid;
static char prefix[64], logpath[128];

static const uint8_t mA[6] = { 0x02, 0xaa, 0, 0, 0, 0x0a };
static const uint8_t mB[6] = { 0x02, 0xaa, 0, 0, 0, 0x0b };
static const uint8_t mC[6] = { 0x02, 0xaa, 0, 0, 0, 0x0c };
static const uint8_t mT[6] = { 0x02, 0xaa, 0, 0, 0, 0x1f };
static const uint8_t mX[6] = { 0x02, 0xaa, 0, 0, 0, 0x99 };	/* never seen */
static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

/* ------------------------------------------------------------ the switch */

static void
stop_switch(void)
{
	if (sw_pid > 0) {
		kill(sw_pid, SIGKILL);
		waitpid(sw_pid, NULL, 0);
		sw_pid = 0;
	}
}

/*
 * The trunk's VLANs: 10 and 20, then enough others for a value of more than
 * 255 characters whose 254th and 255th are the "30" of a last "3000" (what
 * rte_cfgfile used to cut it to: VLAN 30 carried, 3000 not).
 */
static void
long_vlan_list(char *buf, size_t cap)
{
	size_t len = (size_t)snprintf(buf, cap, "10,20");
	unsigned int v = 100;

	while (252 - len > 5)
		len += (size_t)snprintf(buf + len, cap - len, ",%u", v++);	/* 4 characters */
	/* 2 to 5 characters left: ",7", ",77", ",777" or ",1777" */
	len += (size_t)snprintf(buf + len, cap - len, ",%.*s", (int)(252 - len - 1),
				&"1777"[4 - (252 - len - 1)]);
	snprintf(buf + len, cap - len, ",3000");
}

/* One telemetry command; the reply's JSON in buf. */
static int
tel(const char *cmd, char *buf, size_t cap)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int s = socket(AF_UNIX, SOCK_SEQPACKET, 0);
	ssize_t n;

	snprintf(sa.sun_path, sizeof(sa.sun_path), "/var/run/dpdk/%s/dpdk_telemetry.v2", prefix);
	if (s < 0 || connect(s, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    read(s, buf, cap - 1) < 0 || write(s, cmd, strlen(cmd)) < 0 ||
	    (n = read(s, buf, cap - 1)) < 0) {
		if (s >= 0)
			close(s);
		buf[0] = '\0';
		return -1;
	}
	buf[n] = '\0';
	close(s);
	return 0;
}

/* Run the switch with config INI (a printf format: %s is the EAL file prefix). */
static int
start_switch_ini(const char *bin, const char *ini_fmt)
{
	char ini[] = "/tmp/htsw-XXXXXX";
	FILE *f;
	int fd = mkstemp(ini), i;

	snprintf(prefix, sizeof(prefix), "htsw%d", (int)getpid());
	snprintf(logpath, sizeof(logpath), "/tmp/%s.log", prefix);
	f = fd < 0 ? NULL : fdopen(fd, "w");
	if (f == NULL)
		return -1;
	unlink(logpath);
	fprintf(f, ini_fmt, prefix);
	fclose(f);
	sw_pid = fork();
	if (sw_pid == 0) {
		int out = open(logpath, O_WRONLY | O_CREAT | O_TRUNC, 0600);

		dup2(out, 1);
		dup2(out, 2);
		execl(bin, bin, "-c", ini, (char *)NULL);
		_exit(127);
	}
	/* up when its telemetry answers with the ports (machine-readable, not
	 * its status lines); a busy machine may take its time: 30 s */
	for (i = 0; i < 300; i++) {
		static char buf[65536];

		const char *v = tel("/hashtap/ports", buf, sizeof(buf)) == 0 ?
			strstr(buf, "\"/hashtap/ports\":") : NULL;

		/* '"/hashtap/ports":' is 17 characters; then an object, not null */
		if (v != NULL && v[17 + strspn(v + 17, " ")] == '{') {
			unlink(ini);
			return 0;
		}
		if (waitpid(sw_pid, NULL, WNOHANG) == sw_pid) {
			FILE *l = fopen(logpath, "r");
			size_t n = l != NULL ? fread(buf, 1, sizeof(buf) - 1, l) : 0;

			buf[n] = '\0';
			if (l != NULL)
				fclose(l);
			sw_pid = 0;
			check_diag("switch exited: %s", buf);
			break;
		}
		usleep(100000);
	}
	unlink(ini);
	return -1;
}

static char vlans_t[512];

static int
start_switch(const char *bin)
{
	char fmt[2048];

	long_vlan_list(vlans_t, sizeof(vlans_t));
	snprintf(fmt, sizeof(fmt), "[switch]\naging = 3\nstatus = 0\nmbufs = 8192\n"
		"[eal]\nargs = -l 0-1 --no-huge -m 512 --no-pci --no-shconf --file-prefix %%s\n"
		"[port a]\ndevargs = net_hashtap0,iface=htsa\nvlan = 10\n"
		"[port b]\ndevargs = net_hashtap1,iface=htsb\nvlan = 10\nrxq = 2\nguest_queues = 2\nlcores = 1,1\n"
		"[port c]\ndevargs = net_hashtap2,iface=htsc,hash=off\nvlan = 20\n"
		"[port d]\ndevargs = net_hashtap3,iface=htsd,hash=off\nvlan = 10\n"
		"[port t]\ndevargs = net_hashtap4,iface=htst\nmode = trunk\nvlans = %s\n", vlans_t);
	return start_switch_ini(bin, fmt);
}

/* "name": NUMBER inside a telemetry reply (first occurrence after within) */
static long long
tel_num(const char *cmd, const char *within, const char *name)
{
	static char buf[65536];
	char key[96];
	const char *p;

	if (tel(cmd, buf, sizeof(buf)) < 0)
		return -1;
	p = within ? strstr(buf, within) : buf;
	snprintf(key, sizeof(key), "\"%s\":", name);
	p = p ? strstr(p, key) : NULL;
	return p ? atoll(p + strlen(key)) : -1;
}

/*
 * The object that follows "key": in [p, end), as [*obj, *obj_end) (braces
 * matched; the switch's strings never have braces); false if none.
 */
static bool
json_obj(const char *p, const char *end, const char *key, const char **obj, const char **obj_end)
{
	char k[128];
	int depth = 0;
	const char *q;

	snprintf(k, sizeof(k), "\"%s\":{", key);
	q = p ? strstr(p, k) : NULL;
	if (q == NULL || (end != NULL && q >= end))
		return false;
	*obj = q + strlen(k) - 1;
	for (q = *obj; *q != '\0' && (end == NULL || q < end); q++) {
		depth += *q == '{';
		depth -= *q == '}';
		if (depth == 0) {
			*obj_end = q + 1;
			return true;
		}
	}
	return false;
}

/* "field":"VALUE" in [p, end) into out ("" if none) */
static const char *
json_str(const char *p, const char *end, const char *field, char *out, size_t cap)
{
	char k[96];
	const char *q, *e;

	snprintf(k, sizeof(k), "\"%s\":\"", field);
	out[0] = '\0';
	q = strstr(p, k);
	if (q == NULL || q >= end)
		return out;
	q += strlen(k);
	e = strchr(q, '"');
	if (e != NULL && e < end)
		snprintf(out, cap, "%.*s", (int)(e - q), q);
	return out;
}

/* "field":NUMBER in [p, end); -1 if none */
static long long
json_num(const char *p, const char *end, const char *field)
{
	char k[96];
	const char *q;

	snprintf(k, sizeof(k), "\"%s\":", field);
	q = strstr(p, k);
	return q == NULL || q >= end ? -1 : atoll(q + strlen(k));
}

static unsigned int
count_str(const char *p, const char *needle)
{
	unsigned int n = 0;

	while ((p = strstr(p, needle)) != NULL) {
		n++;
		p += strlen(needle);
	}
	return n;
}

/* ------------------------------------------------------------ frames */

static int
if_up(const char *name, int mtu)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd),
		 "sysctl -qw net.ipv6.conf.%s.disable_ipv6=1 && ip link set %s up mtu %d", name,
		 name, mtu);
	return system(cmd);
}

/* An IPv4/UDP frame dst <- src, optionally tagged, UDP ports as given. */
static uint32_t
frame(uint8_t *b, const uint8_t *dst, const uint8_t *src, int vid, uint16_t sport)
{
	struct pkt_spec s = { .ipver = 4, .l4 = IPPROTO_UDP, .payload = 40, .dport = 7 };
	uint32_t len;

	if (vid >= 0) {
		s.nvlan = 1;
		s.tpid[0] = 0x8100;
	}
	s.sport = sport;
	pkt_addr("10.20.0.1", s.src);
	pkt_addr("10.20.0.2", s.dst);
	len = pkt_build(&s, b, 2048);
	memcpy(b, dst, 6);
	memcpy(b + 6, src, 6);
	if (vid >= 0) {		/* pkt_build tags with VID 100: ours instead */
		b[14] = (uint8_t)(vid >> 8);
		b[15] = (uint8_t)vid;
	}
	return len;
}

static void
drain_all(void)
{
	uint8_t b[16384];
	int i;

	usleep(100000);
	for (i = 0; i < NPORT; i++)
		while (recv(sk[i], b, sizeof(b), 0) > 0)
			;
	while (recv(sk_b2, b, sizeof(b), 0) > 0)
		;
}

static int
send_on(int port, const uint8_t *b, uint32_t len)
{
	return sendto(sk[port], b, len, 0, (struct sockaddr *)&to[port], sizeof(to[port])) ==
		(ssize_t)len ? 0 : -1;
}

/*
 * The next frame on packet socket fd sent by src (not one this host sent):
 * its length (with MSG_TRUNC in flags, its whole length), and in *vid the
 * VLAN the kernel took off into metadata, or -1.  -1 when none is queued.
 */
static ssize_t
recv_from(int fd, uint8_t *b, size_t cap, int flags, const uint8_t src[6], int *vid)
{
	for (;;) {
		struct sockaddr_ll from;
		union {
			struct cmsghdr h;
			char buf[CMSG_SPACE(sizeof(struct tpacket_auxdata))];
		} cm;
		struct iovec iov = { b, cap };
		struct msghdr msg = {
			.msg_name = &from, .msg_namelen = sizeof(from), .msg_iov = &iov,
			.msg_iovlen = 1, .msg_control = &cm, .msg_controllen = sizeof(cm),
		};
		ssize_t n = recvmsg(fd, &msg, flags);
		struct cmsghdr *c;

		if (n <= 0)
			return -1;
		if (from.sll_pkttype == PACKET_OUTGOING || n < 12 || memcmp(b + 6, src, 6) != 0)
			continue;
		*vid = -1;
		/* the kernel takes the tag off into metadata on receive */
		c = CMSG_FIRSTHDR(&msg);
		if (c != NULL && c->cmsg_level == SOL_PACKET && c->cmsg_type == PACKET_AUXDATA) {
			struct tpacket_auxdata ad;

			memcpy(&ad, CMSG_DATA(c), sizeof(ad));
			if (ad.tp_status & TP_STATUS_VLAN_VALID)
				*vid = ad.tp_vlan_tci & 0xfff;
		}
		return n;
	}
}

/*
 * Frames seen on each port since the send that match: same source MAC and
 * UDP source port (the tag may differ).  got[] counts, vid[] the tag seen
 * (-1 untagged).  Only frames coming *out* of the switch (PACKET_HOST /
 * OTHERHOST / BROADCAST ...), not what we sent ourselves (OUTGOING).
 */
static void
collect(const uint8_t *src, uint16_t sport, int got[NPORT], int vid[NPORT], unsigned int ms)
{
	struct pollfd p[NPORT + 1];
	uint8_t b[16384];
	int i;

	for (i = 0; i < NPORT + 1; i++) {
		if (i < NPORT) {
			got[i] = 0;
			vid[i] = -2;
		}
		p[i].fd = i < NPORT ? sk[i] : sk_b2;	/* b's second fanout socket */
		p[i].events = POLLIN;
	}
	while (poll(p, NPORT + 1, (int)ms) > 0) {
		for (i = 0; i < NPORT + 1; i++) {
			const int port = i < NPORT ? i : B;
			ssize_t n;
			int v;

			while ((n = recv_from(p[i].fd, b, sizeof(b), 0, src, &v)) >= 0) {
				int off = 14;

				if (b[12] == 0x81 && b[13] == 0x00) {
					v = (b[14] & 0xf) << 8 | b[15];
					off = 18;
				}
				if (n < off + 28 || ((b[off + 20] << 8) | b[off + 21]) != sport)
					continue;
				got[port]++;
				vid[port] = v;
			}
		}
		ms = 200;
	}
}

static bool
only(const int got[NPORT], unsigned int mask, int n)
{
	for (int i = 0; i < NPORT; i++)
		if (got[i] != ((mask >> i) & 1 ? n : 0))
			return false;
	return true;
}
#define P(x) (1u << (x))

/* ------------------------------------------------------------ checks */

static void
t_forwarding(void)
{
	uint8_t b[2048];
	int got[NPORT], vid[NPORT];
	uint32_t len;

	drain_all();
	len = frame(b, mX, mA, -1, 1001);
	send_on(A, b, len);
	collect(mA, 1001, got, vid, 1000);
	check_ok(only(got, P(B) | P(D) | P(T), 1) && vid[T] == 10 && vid[B] == -1,
	       "unknown unicast from a (VLAN 10) floods to b, d and t (tagged 10), not c or back to a "
	       "(a%d b%d c%d d%d t%d, t vid %d)", got[A], got[B], got[C], got[D], got[T], vid[T]);
	len = frame(b, mA, mB, -1, 1002);
	send_on(B, b, len);
	collect(mB, 1002, got, vid, 1000);
	check_ok(only(got, P(A), 1), "b -> a's learned MAC: only a gets it (a%d b%d c%d d%d t%d)",
	       got[A], got[B], got[C], got[D], got[T]);
	len = frame(b, mB, mA, -1, 1003);
	send_on(A, b, len);
	collect(mA, 1003, got, vid, 1000);
	check_ok(only(got, P(B), 1), "a -> b's learned MAC: only b");
	len = frame(b, mA, mT, 10, 1004);
	send_on(T, b, len);
	collect(mT, 1004, got, vid, 1000);
	check_ok(only(got, P(A), 1) && vid[A] == -1, "trunk, tagged 10 -> a: a gets it untagged");
	len = frame(b, bcast, mC, -1, 1005);
	send_on(C, b, len);
	collect(mC, 1005, got, vid, 1000);
	check_ok(only(got, P(T), 1) && vid[T] == 20,
	       "broadcast from c (VLAN 20) reaches only the trunk, tagged 20 (a%d b%d d%d t%d)",
	       got[A], got[B], got[D], got[T]);
	len = frame(b, mA, mT, 20, 1006);
	send_on(T, b, len);
	collect(mT, 1006, got, vid, 1000);
	check_ok(only(got, P(C), 1), "trunk VLAN 20 to a's MAC (learned in VLAN 10): flooded in 20 only, a never sees it");
	/* no hairpin: a frame from a to a MAC learned on a */
	len = frame(b, mA, (const uint8_t *)"\x02\xaa\x00\x00\x00\x2a", -1, 1007);
	send_on(A, b, len);
	collect((const uint8_t *)"\x02\xaa\x00\x00\x00\x2a", 1007, got, vid, 800);
	check_ok(only(got, 0, 0) && tel_num("/hashtap/drops", NULL, "hairpin") >= 1,
	       "a -> a MAC learned on a: sent nowhere, counted as hairpin");
	len = frame(b, mA, mT, -1, 1008);
	send_on(T, b, len);
	collect(mT, 1008, got, vid, 800);
	check_ok(only(got, 0, 0) && tel_num("/hashtap/drops", NULL, "vlan_not_allowed") >= 1,
	       "untagged on a trunk without a native VLAN: dropped (vlan_not_allowed)");
}

static void
t_aging(void)
{
	uint8_t b[2048];
	int got[NPORT], vid[NPORT];
	uint32_t len;

	drain_all();
	len = frame(b, mX, mC, -1, 1100);	/* c learns in VLAN 20 */
	send_on(C, b, len);
	collect(mC, 1100, got, vid, 500);
	len = frame(b, mC, mT, 20, 1101);
	send_on(T, b, len);
	collect(mT, 1101, got, vid, 800);
	check_ok(only(got, P(C), 1), "before aging: t -> c's MAC goes to c only (a%d b%d c%d d%d t%d)",
	       got[A], got[B], got[C], got[D], got[T]);
	sleep(6);		/* aging = 3 s, checked every second */
	len = frame(b, mC, mT, 20, 1102);
	send_on(T, b, len);
	collect(mT, 1102, got, vid, 800);
	check_ok(only(got, P(C), 1) && tel_num("/hashtap/flows", NULL, "flooded") > 0,
	       "after aging (3 s): c's MAC forgotten, the frame is flooded again (VLAN 20: c only)");
	{
		static char buf[65536];

		tel("/hashtap/macs", buf, sizeof(buf));
		check_ok(strstr(buf, "\"total\":") != NULL && strstr(buf, "02:aa:00:00:00:0c") == NULL &&
		       strstr(buf, "02:aa:00:00:00:1f") != NULL,
		       "/hashtap/macs no longer lists 02:aa:00:00:00:0c (t's 02:aa:00:00:00:1f, just seen, it does)");
	}
}

/* a -> b: each flow always on one guest queue of b, flows on both */
static void
t_guest_queues(void)
{
	uint8_t b[2048], r[2048];
	unsigned int flows_on[2] = { 0, 0 }, split = 0, f, k;
	uint32_t len;

	drain_all();
	len = frame(b, mA, mB, -1, 9);		/* b is known again */
	send_on(B, b, len);
	usleep(200000);
	drain_all();
	for (f = 0; f < 32; f++) {
		unsigned int seen[2] = { 0, 0 };

		for (k = 0; k < 4; k++) {
			len = frame(b, mB, mA, -1, (uint16_t)(2000 + f));
			send_on(A, b, len);
		}
		/* this flow's 4 frames (by source port: a late frame of an
		 * earlier flow is not this one's), waiting up to 2 s for them */
		for (unsigned int t = 0; t < 200 && seen[0] + seen[1] < 4; t++) {
			usleep(10000);
			for (int s = 0; s < 2; s++) {
				int fd = s ? sk_b2 : sk[B];
				struct sockaddr_ll from;
				socklen_t fl = sizeof(from);
				ssize_t n;

				while ((n = recvfrom(fd, r, sizeof(r), 0, (struct sockaddr *)&from,
						     &fl)) > 0)
					if (from.sll_pkttype != PACKET_OUTGOING && n >= 42 &&
					    memcmp(r + 6, mA, 6) == 0 &&
					    (r[34] << 8 | r[35]) == 2000 + (int)f)
						seen[s]++;
			}
		}
		if (seen[0] && seen[1])
			split++;
		else if (seen[0] + seen[1] == 4)
			flows_on[seen[1] ? 1 : 0]++;
	}
	check_ok(split == 0 && flows_on[0] + flows_on[1] == 32 && flows_on[0] > 0 && flows_on[1] > 0,
	       "32 flows a -> b (2 guest queues), 4 frames each: every flow on one queue, flows on both (%u / %u, %u split)",
	       flows_on[0], flows_on[1], split);
}

static void
t_hash_reuse(void)
{
	long long r0 = tel_num("/hashtap/hash", NULL, "reused");
	long long c0 = tel_num("/hashtap/hash", NULL, "computed");
	long long n0 = tel_num("/hashtap/hash", NULL, "none");
	uint8_t b[2048];
	uint32_t len;
	int i;

	for (i = 0; i < 10; i++) {
		len = frame(b, mB, mA, -1, (uint16_t)(3000 + i));
		send_on(A, b, len);		/* hashed by the PMD */
	}
	for (i = 0; i < 7; i++) {
		len = frame(b, mB, (const uint8_t *)"\x02\xaa\x00\x00\x00\x0d", -1, (uint16_t)(3100 + i));
		send_on(D, b, len);		/* hash=off: the switch hashes */
	}
	{	/* ARP: nothing to hash */
		struct pkt_spec s = { .ethertype = 0x0806, .payload = 28 };

		len = pkt_build(&s, b, sizeof(b));
		memcpy(b, bcast, 6);
		memcpy(b + 6, mA, 6);
		for (i = 0; i < 5; i++)
			send_on(A, b, len);
	}
	usleep(500000);
	check_ok(tel_num("/hashtap/hash", NULL, "reused") - r0 == 10,
	       "10 IPv4 frames from a hashing port: 10 hashes reused, none recomputed");
	check_ok(tel_num("/hashtap/hash", NULL, "computed") - c0 == 7,
	       "7 IPv4 frames from a hash=off port: hashed once each by the switch");
	check_ok(tel_num("/hashtap/hash", NULL, "none") - n0 == 5, "5 ARP frames: nothing to hash");
	check_ok(tel_num("/hashtap/ports", "\"a\"", "rx") > 0 &&
	       tel_num("/hashtap/flows", NULL, "hit_rate_pct") >= 0,
	       "telemetry: /hashtap/ports and /hashtap/flows answer");
}

static void
t_hostile(void)
{
	uint8_t b[16384];
	int got[NPORT], vid[NPORT], i, fd, on = 1;
	uint32_t len;
	long long before[3];

	drain_all();
	before[0] = tel_num("/hashtap/drops", NULL, "bad_vlan");
	/* tagged frames on an access port; stacked tags on the trunk; VID 4095 */
	len = frame(b, bcast, mA, 10, 4001);
	send_on(A, b, len);
	len = frame(b, bcast, mT, 10, 4002);
	memmove(b + 16, b + 12, len - 12);	/* a second tag inside */
	b[12] = 0x81, b[13] = 0x00, b[14] = 0, b[15] = 20;
	send_on(T, b, len + 4);
	len = frame(b, bcast, mT, 4095, 4003);
	send_on(T, b, len);
	collect(mA, 4001, got, vid, 500);
	check_ok(only(got, 0, 0), "a tagged frame on access port a goes nowhere");
	collect(mT, 4002, got, vid, 300);
	check_ok(only(got, 0, 0), "a double-tagged frame on the trunk goes nowhere");
	check_ok(tel_num("/hashtap/drops", NULL, "bad_vlan") - before[0] == 3,
	       "... those and VID 4095: 3 bad_vlan drops");
	/* a frame shorter than its headers claim, garbage ethertypes, a cut VLAN tag */
	len = frame(b, mX, mA, -1, 4004);
	b[16] = 0x40;			/* IPv4 total length 16 KiB */
	send_on(A, b, 30);
	for (i = 0; i < 20; i++) {
		b[12] = (uint8_t)rnd();
		b[13] = (uint8_t)rnd();
		send_on(A, b, 14 + rnd() % 60);
	}
	b[12] = 0x81, b[13] = 0x00;
	send_on(T, b, 15);		/* tag cut short */
	/* random frames of every kind, random lengths, from every port */
	rnd_seed(77);
	for (i = 0; i < 2000; i++) {
		int port = (int)(rnd() % NPORT);

		len = rnd_frame(b, sizeof(b), false);
		memcpy(b + 6, mA, 6);
		b[11] = (uint8_t)(0x40 + port);
		send_on(port, b, len);
	}
	/* GSO: a bogus header is refused by the kernel, a good one segmented before us */
	fd = socket(AF_PACKET, SOCK_RAW, 0);
	if (fd >= 0 && setsockopt(fd, SOL_PACKET, PACKET_VNET_HDR, &on, sizeof(on)) == 0) {
		struct vnet_hdr h = { .gso_type = VNET_HDR_GSO_TCPV4, .gso_size = 0,
				      .flags = VNET_HDR_F_NEEDS_CSUM, .csum_start = 9000,
				      .csum_offset = 16, .hdr_len = 54 };
		struct pkt_spec s = { .ipver = 4, .l4 = IPPROTO_TCP, .payload = 3000,
				      .sport = 4005, .dport = 80 };
		uint8_t g[4096 + 10];
		ssize_t w;

		pkt_addr("10.20.0.1", s.src);
		pkt_addr("10.20.0.2", s.dst);
		len = pkt_build(&s, g + 10, 4096);
		memcpy(g + 10, mX, 6);
		memcpy(g + 16, mA, 6);
		vnet_hdr_encode(&h, g, 10, vnet_hdr_is_le(false, false));
		w = sendto(fd, g, len + 10, 0, (struct sockaddr *)&to[A], sizeof(to[A]));
		check_ok(w < 0, "a bogus vnet GSO header (gso_size 0, csum_start past the frame) is refused by the kernel (%s)",
		       w < 0 ? strerror(errno) : "sent");
		h = (struct vnet_hdr){ .gso_type = VNET_HDR_GSO_TCPV4, .gso_size = 1000,
				       .flags = VNET_HDR_F_NEEDS_CSUM, .csum_start = 34,
				       .csum_offset = 16, .hdr_len = 54 };
		vnet_hdr_encode(&h, g, 10, vnet_hdr_is_le(false, false));
		w = sendto(fd, g, len + 10, 0, (struct sockaddr *)&to[A], sizeof(to[A]));
		collect(mA, 4005, got, vid, 800);
		check_ok(w > 0 && got[B] == 3 && got[D] == 3,
		       "a valid 3000-byte GSO frame from a's side arrives as 3 frames at b and d (%d, %d)",
		       got[B], got[D]);
		close(fd);
	} else {
		check_ok(false, "PACKET_VNET_HDR socket: %s", strerror(errno));
	}
	/* still forwarding */
	drain_all();
	len = frame(b, mB, mA, -1, 4006);
	send_on(A, b, len);
	collect(mA, 4006, got, vid, 1000);
	check_ok(waitpid(sw_pid, NULL, WNOHANG) == 0 && got[B] == 1,
	       "after 2000 random and hostile frames the switch is alive and forwards a -> b");
	check_ok(tel_num("/hashtap/drops", NULL, "malformed_vlan") >= 1, "the cut VLAN tag: malformed_vlan");
}


/*
 * Frames from a port's side: the frames with source src seen on port p
 * since the last drain; the first one in f (len, VLAN from the tag or the
 * kernel's metadata, -1 untagged).  Returns how many.
 */
static int
grab(int p, const uint8_t *src, uint8_t *f, size_t cap, ssize_t *len, int *vid, unsigned int ms)
{
	/* b has two sockets (fanout by hash): both */
	struct pollfd pf[2] = { { .fd = sk[p], .events = POLLIN }, { .fd = sk_b2, .events = POLLIN } };
	int n = 0, s, nfd = p == B ? 2 : 1;

	*len = -1;
	*vid = -2;
	while (poll(pf, (nfds_t)nfd, (int)ms) > 0) {
		for (s = 0; s < nfd; s++) {
			static uint8_t b[16384];
			ssize_t r;
			int v;

			while ((r = recv_from(pf[s].fd, b, sizeof(b), MSG_TRUNC, src, &v)) >= 0) {
				if (n++ == 0) {
					*len = r;
					*vid = v;
					memcpy(f, b, RTE_MIN((size_t)r, cap));
				}
			}
		}
		ms = 100;
	}
	return n;
}

/* an untagged frame dst <- src of len bytes: ethertype 0x88b5, a pattern */
static void
pattern(uint8_t *f, const uint8_t *dst, const uint8_t *src, size_t len)
{
	size_t i;

	memcpy(f, dst, 6);
	memcpy(f + 6, src, 6);
	f[12] = 0x88;
	f[13] = 0xb5;
	for (i = 14; i < len; i++)
		f[i] = (uint8_t)(i * 7 + len);
}

/*
 * Frames at every size boundary, from 14 bytes to 9216 (the switch's
 * limit; the taps' MTU is 9300) go through whole: a -> b, a -> the trunk
 * (tagged 10), the trunk -> a, flooded from a; 9217 bytes is dropped.
 */
static void
t_sizes(void)
{
	static const size_t sizes[] = { 14, 15, 59, 60, 64, 1514, 1515, 2047, 2048, 2049, 4096,
					9000, 9216 };
	static const uint8_t mS[6] = { 0x02, 0xaa, 0, 0, 0, 0x55 };
	static uint8_t f[9400], g[9400], g2[64];
	char bad[512] = "";
	unsigned int i, ok = 0;
	ssize_t len, l2;
	int n, v, v2, p, elsewhere;
	long long over0;
	uint32_t l;

#define BAD(...) snprintf(bad + strlen(bad), sizeof(bad) - strlen(bad), __VA_ARGS__)
	drain_all();
	pattern(f, bcast, mB, 60);		/* b and t (VLAN 10) speak */
	send_on(B, f, 60);
	l = frame(f, bcast, mT, 10, 6200);
	send_on(T, f, l);
	usleep(200000);
	drain_all();
	for (i = 0; i < RTE_DIM(sizes); i++) {
		pattern(f, bcast, mB, 60);	/* b speaks: its MAC stays learned */
		send_on(B, f, 60);
		usleep(20000);
		pattern(f, mB, mS, sizes[i]);
		if (send_on(A, f, (uint32_t)sizes[i]) < 0) {
			BAD(" %zu: not sent (%s)", sizes[i], strerror(errno));
			continue;
		}
		n = grab(B, mS, g, sizeof(g), &len, &v, 300);
		for (elsewhere = 0, p = 0; p < NPORT; p++)
			if (p != A && p != B)
				elsewhere += grab(p, mS, g2, sizeof(g2), &l2, &v2, 0);
		if (n == 1 && elsewhere == 0 && (size_t)len == sizes[i] && memcmp(f, g, sizes[i]) == 0)
			ok++;
		else
			BAD(" %zu: %d at b (%zd bytes%s), %d elsewhere", sizes[i], n, len,
			    n && (size_t)len == sizes[i] && memcmp(f, g, sizes[i]) ? ", other bytes" : "",
			    elsewhere);
	}
	check_ok(ok == RTE_DIM(sizes), "a -> b, %zu sizes from 14 to 9216 bytes: each arrives once, whole, at b only%s",
	       RTE_DIM(sizes), bad);
	/* a -> the trunk: tagged 10, whole (t speaks first: aging is 3 s) */
	l = frame(f, bcast, mT, 10, 6200);
	send_on(T, f, l);
	usleep(100000);
	drain_all();
	pattern(f, mT, mS, 9014);
	send_on(A, f, 9014);
	n = grab(T, mS, g, sizeof(g), &len, &v, 300);
	check_ok(n == 1 && len == 9014 && v == 10 && memcmp(f, g, 9014) == 0,
	       "a -> the trunk, 9014 bytes: arrives tagged 10, whole (%d, %zd bytes, VLAN %d)", n, len, v);
	/* the trunk -> a: 9018 bytes tagged 10 in, 9014 untagged out */
	pattern(g, mS, mT, 9014);
	memcpy(f, g, 12);
	f[12] = 0x81, f[13] = 0x00, f[14] = 0, f[15] = 10;
	memcpy(f + 16, g + 12, 9014 - 12);
	send_on(T, f, 9018);
	n = grab(A, mT, f, sizeof(f), &len, &v, 300);
	check_ok(n == 1 && len == 9014 && v == -1 && memcmp(f, g, 9014) == 0,
	       "the trunk -> a, 9018 bytes tagged 10: arrives untagged, whole (%d, %zd bytes, VLAN %d)", n,
	       len, v);
	/* flooded from a: b and d whole, the trunk tagged */
	drain_all();
	pattern(f, bcast, mS, 9014);
	send_on(A, f, 9014);
	bad[0] = '\0';
	for (p = 0; p < NPORT; p++) {
		if (p == A)
			continue;
		n = grab(p, mS, g, sizeof(g), &len, &v, 300);
		if (p == C ? n != 0 : n != 1 || len != 9014 || memcmp(f, g, 9014) != 0 ||
		    v != (p == T ? 10 : -1))
			BAD(" port %d: %d frames, %zd bytes, VLAN %d", p, n, len, v);
	}
	check_ok(bad[0] == '\0', "a 9014-byte broadcast from a: b, d whole, the trunk whole tagged 10, c nothing%s", bad);
	over0 = tel_num("/hashtap/drops", NULL, "oversize");
	pattern(f, mB, mS, 9217);
	send_on(A, f, 9217);
	n = 0;
	for (p = 0; p < NPORT; p++)
		n += p == A ? 0 : grab(p, mS, g, sizeof(g), &len, &v, p == B ? 300 : 0);
	check_ok(n == 0 && tel_num("/hashtap/drops", NULL, "oversize") - over0 == 1,
	       "a 9217-byte frame (over the switch's 9216): goes nowhere, oversize +1");
#undef BAD
}

/* ------------------------------------------------------------ issue 11 */

/* unknown unicast floods; once the destination is learned, the same flow
 * goes to its port only (a cached flood decision must not outlive it) */
static void
t_learned_stops_flood(void)
{
	static const uint8_t mY[6] = { 0x02, 0xaa, 0, 0, 0, 0x77 };
	uint8_t b[2048];
	int got[NPORT], vid[NPORT], k, flood_ok = 0;
	uint32_t len;

	/* first thing after the start, and quick: no MAC ages out meanwhile
	 * (that would refresh the flow cache and hide the bug) */
	for (k = 0; k < 3; k++) {
		len = frame(b, mY, mA, -1, 5001);
		send_on(A, b, len);
	}
	collect(mA, 5001, got, vid, 300);
	flood_ok = only(got, P(B) | P(D) | P(T), 3);
	check_ok(flood_ok, "a -> unknown 02:aa::77, 3 frames of one flow: each floods to b, d, t");
	len = frame(b, bcast, mY, -1, 5002);	/* 02:aa::77 speaks, from d */
	send_on(D, b, len);
	collect(mY, 5002, got, vid, 200);
	for (k = 0; k < 3; k++) {
		len = frame(b, mY, mA, -1, 5001);
		send_on(A, b, len);
	}
	collect(mA, 5001, got, vid, 300);
	check_ok(only(got, P(D), 3),
	       "... once it is learned on d, the same flow goes to d only (a%d b%d c%d d%d t%d)",
	       got[A], got[B], got[C], got[D], got[T]);
}

/* a MAC that moves takes its cached flows with it */
static void
t_mac_moves(void)
{
	static const uint8_t mM[6] = { 0x02, 0xaa, 0, 0, 0, 0x78 };
	uint8_t b[2048];
	int got[NPORT], vid[NPORT];
	uint32_t len;
	bool ok1, ok2, ok3;

	drain_all();
	len = frame(b, bcast, mM, -1, 5101);	/* on a */
	send_on(A, b, len);
	usleep(200000);
	drain_all();
	len = frame(b, mM, mB, -1, 5102);
	send_on(B, b, len);
	send_on(B, b, len);
	collect(mB, 5102, got, vid, 600);
	ok1 = only(got, P(A), 2);
	len = frame(b, bcast, mM, -1, 5103);	/* it moves to d */
	send_on(D, b, len);
	usleep(200000);
	drain_all();
	len = frame(b, mM, mB, -1, 5102);
	send_on(B, b, len);
	collect(mB, 5102, got, vid, 600);
	ok2 = only(got, P(D), 1);
	len = frame(b, bcast, mM, -1, 5104);	/* and back to a */
	send_on(A, b, len);
	usleep(200000);
	drain_all();
	len = frame(b, mM, mB, -1, 5102);
	send_on(B, b, len);
	collect(mB, 5102, got, vid, 600);
	ok3 = only(got, P(A), 1);
	check_ok(ok1 && ok2 && ok3 && tel_num("/hashtap/flows", NULL, "moved") >= 2,
	       "one flow b -> a MAC that moves a -> d -> a follows it each time (%d %d %d)", ok1, ok2,
	       ok3);
}

/* /hashtap/macs lists the table: MAC, VLAN, port; pages add up to the count */
static void
t_macs_table(void)
{
	static char buf[65536];
	uint8_t b[2048], src[6] = { 0x02, 0xcc, 0, 0, 0, 0 };
	const char *o, *oe;
	char port[32], mac[32];
	long long total, macs, next = 0;
	unsigned int listed = 0, pages = 0, i;
	bool found_a = false, found_c = false;
	uint32_t len;

	drain_all();
	len = frame(b, bcast, mA, -1, 5201);
	send_on(A, b, len);
	len = frame(b, bcast, mC, -1, 5202);
	send_on(C, b, len);
	for (i = 0; i < 300; i++) {		/* 300 more, from d */
		src[4] = (uint8_t)(i >> 8);
		src[5] = (uint8_t)i;
		len = frame(b, bcast, src, -1, 5203);
		send_on(D, b, len);
		if (i % 32 == 31)
			usleep(20000);
	}
	usleep(300000);
	drain_all();
	macs = tel_num("/hashtap/flows", NULL, "macs");
	total = tel_num("/hashtap/macs", NULL, "total");
	do {
		char cmd[64];

		snprintf(cmd, sizeof(cmd), "/hashtap/macs,%lld", next);
		if (tel(cmd, buf, sizeof(buf)) < 0)
			break;
		listed += count_str(buf, "\"mac\":");
		next = json_num(buf, buf + strlen(buf), "next");
		pages++;
		if (json_obj(buf, NULL, "10/02aa0000000a", &o, &oe))
			found_a = strcmp(json_str(o, oe, "port", port, sizeof(port)), "a") == 0 &&
				json_num(o, oe, "vlan") == 10 &&
				strcmp(json_str(o, oe, "mac", mac, sizeof(mac)), "02:aa:00:00:00:0a") == 0 &&
				json_num(o, oe, "age_ms") >= 0;
		if (json_obj(buf, NULL, "20/02aa0000000c", &o, &oe))
			found_c = strcmp(json_str(o, oe, "port", port, sizeof(port)), "c") == 0 &&
				json_num(o, oe, "vlan") == 20 &&
				strcmp(json_str(o, oe, "mac", mac, sizeof(mac)), "02:aa:00:00:00:0c") == 0;
	} while (next > 0 && pages < 100);
	check_ok(found_a && found_c,
	       "/hashtap/macs lists 02:aa:00:00:00:0a (VLAN 10, port a) and 02:aa:00:00:00:0c (VLAN 20, port c)");
	check_ok(total >= 302 && total == macs && listed == total && pages > 1,
	       "/hashtap/macs,START pages: %u entries in %u pages = total %lld = macs %lld (>= 302, aged ones not counted)",
	       listed, pages, total, macs);
	tel("/hashtap/macs,x", buf, sizeof(buf));
	check_ok(strstr(buf, "\"/hashtap/macs\":null") != NULL,
	       "/hashtap/macs,x (not a number): refused (%.60s)", buf);
	{
		static const char *const bad[] = { "-1", "4294967296", "99999999999999999999999",
						   "1x", " 1", "" };
		unsigned int refused = 0;

		for (i = 0; i < 5; i++) {
			char cmd[64];

			snprintf(cmd, sizeof(cmd), "/hashtap/macs,%s", bad[i]);
			tel(cmd, buf, sizeof(buf));
			refused += strstr(buf, "\"/hashtap/macs\":null") != NULL;
		}
		tel("/hashtap/macs,4294967295", buf, sizeof(buf));
		check_ok(refused == 5 && strstr(buf, "\"total\":") != NULL &&
		       count_str(buf, "\"mac\":") == 0 && strstr(buf, "\"next\"") == NULL,
		       "/hashtap/macs with START -1, 2^32, 10^23, 1x, \" 1\": refused (%u of 5); 2^32-1: an empty page (%.60s)",
		       refused, buf);
	}
}

/* the hash source: the PMD's for hashing ports, "switch" for hash=off ones */
static void
t_hash_source(void)
{
	static char buf[65536];
	const char *o, *oe;
	char src[5][32];
	int i;
	bool ok = true;

	tel("/hashtap/ports", buf, sizeof(buf));
	for (i = 0; i < NPORT; i++) {
		const char name[2] = { "abcdt"[i], 0 };

		src[i][0] = '\0';
		if (json_obj(buf, NULL, name, &o, &oe))
			json_str(o, oe, "hash_source", src[i], sizeof(src[i]));
	}
	for (i = 0; i < NPORT; i++) {
		bool want_switch = i == C || i == D;

		ok &= want_switch ? strcmp(src[i], "switch") == 0 :
			strcmp(src[i], "software") == 0 || strcmp(src[i], "kernel") == 0;
	}
	check_ok(ok, "/hashtap/ports hash_source: a %s, b %s, c (hash=off) %s, d (hash=off) %s, t %s",
	       src[A], src[B], src[C], src[D], src[T]);
}

/* a trunk VLAN list of more than 255 characters is read whole */
static void
t_long_vlan_list(void)
{
	uint8_t b[2048];
	long long na0 = tel_num("/hashtap/drops", NULL, "vlan_not_allowed");
	long long np0 = tel_num("/hashtap/drops", NULL, "no_port_in_vlan");
	long long na1, np1, na2, np2;
	uint32_t len;

	len = frame(b, bcast, mT, 30, 5301);
	send_on(T, b, len);
	usleep(300000);
	na1 = tel_num("/hashtap/drops", NULL, "vlan_not_allowed");
	np1 = tel_num("/hashtap/drops", NULL, "no_port_in_vlan");
	len = frame(b, bcast, mT, 3000, 5302);
	send_on(T, b, len);
	usleep(300000);
	na2 = tel_num("/hashtap/drops", NULL, "vlan_not_allowed");
	np2 = tel_num("/hashtap/drops", NULL, "no_port_in_vlan");
	check_ok(na1 - na0 == 1 && np1 == np0 && na2 == na1 && np2 - np1 == 1,
	       "trunk vlans of %zu characters ending in 3000: VLAN 30 is not carried (vlan_not_allowed +%lld), 3000 is (no_port_in_vlan +%lld)",
	       strlen(vlans_t), na1 - na0, np2 - np1);
}

/* the drop counter NAME once it reaches want or stops moving (30 ms) */
static long long
wait_drops(const char *name, long long want)
{
	long long v = -1, last = -2;
	int i, still = 0;

	for (i = 0; i < 400 && still < 3; i++) {
		v = tel_num("/hashtap/drops", NULL, name);
		if (v >= want)
			break;
		still = v == last ? still + 1 : 0;
		last = v;
		usleep(10000);
	}
	return v;
}

/*
 * One VM must not empty another VM's flow cache: d sprays frames of the
 * victim's own 5-tuple (so the same flow hash) between 256 MACs it owns
 * (each a cache entry, dropped as hairpin); between its bursts, one victim frame
 * b -> a.  The victim's hit rate, from the telemetry counters around each
 * of its frames, stays >= 90 %.
 */
static void
t_cache_dos(void)
{
	enum { K = 256, ROUNDS = 60 };
	uint8_t b[2048], m[6] = { 0x02, 0xbb, 0, 0, 0, 0 };
	int got[NPORT], vid[NPORT], r, i, hits = 0, seen = 0;
	long long hair, hair0;
	uint32_t len;

	drain_all();
	for (i = 0; i < K; i++) {		/* d's MACs */
		m[4] = (uint8_t)(i >> 8);
		m[5] = (uint8_t)i;
		len = frame(b, bcast, m, -1, 5400);
		send_on(D, b, len);
		if (i % 32 == 31)
			usleep(20000);
	}
	len = frame(b, bcast, mA, -1, 5401);	/* the victim's peer, on a */
	send_on(A, b, len);
	usleep(300000);
	drain_all();
	len = frame(b, mA, mB, -1, 6000);	/* the victim flow, cached once */
	send_on(B, b, len);
	collect(mB, 6000, got, vid, 500);
	hair = hair0 = tel_num("/hashtap/drops", NULL, "hairpin");
	for (r = 0; r < ROUNDS; r++) {
		long long h0, m0, h1, m1;

		len = frame(b, mB, mA, -1, 6001);	/* a speaks: its MAC stays learned */
		send_on(A, b, len);
		for (i = 0; i < K; i++) {
			uint8_t from[6];

			/* from MAC i (it stays learned: aging is 3 s) to MAC i + 1 */
			m[4] = (uint8_t)(i >> 8);
			m[5] = (uint8_t)i;
			memcpy(from, m, 6);
			m[4] = (uint8_t)(((i + 1) % K) >> 8);
			m[5] = (uint8_t)((i + 1) % K);
			len = frame(b, m, from, -1, 6000);	/* the victim's 5-tuple */
			send_on(D, b, len);
			if (i % 64 == 63)
				usleep(1000);	/* the tap's queue holds 1000 */
		}
		/* all of it through the switch before the victim's frame */
		hair = wait_drops("hairpin", hair + K);
		h0 = tel_num("/hashtap/flows", NULL, "hits");
		m0 = tel_num("/hashtap/flows", NULL, "misses");
		len = frame(b, mA, mB, -1, 6000);
		send_on(B, b, len);
		/* up to 2 s for it (a loaded machine); then 200 ms for copies */
		collect(mB, 6000, got, vid, 2000);
		h1 = tel_num("/hashtap/flows", NULL, "hits");
		m1 = tel_num("/hashtap/flows", NULL, "misses");
		seen += only(got, P(A), 1);
		hits += h1 - h0 == 1 && m1 == m0;
	}
	check_ok(seen == ROUNDS && hits * 100 >= ROUNDS * 90 && (hair - hair0) * 2 >= ROUNDS * K,
	       "a VM spraying its own %d MACs with the victim's 5-tuple (%lld frames through): the victim flow b -> a hits the cache in %d of %d rounds (>= 90 %%), delivered to a alone %d times",
	       K, hair - hair0, hits, ROUNDS, seen);
	drain_all();
}

/*
 * A VM with two ports (here b and d) flaps one MAC between them: each move
 * must cost only the flows to that MAC, not every flow of every worker.
 * The victim flow c -> t (VLAN 20) between the flaps: >= 90 % hits.
 */
static void
t_flap_dos(void)
{
	enum { ROUNDS = 60, FLAPS = 16 };
	static const uint8_t mF[6] = { 0x02, 0xbb, 0xfe, 0, 0, 1 };
	uint8_t b[2048];
	int got[NPORT], vid[NPORT], r, i, hits = 0, seen = 0;
	long long moved0, moved;
	uint32_t len;

	drain_all();
	len = frame(b, bcast, mT, 20, 6100);	/* the victim's peer, on t */
	send_on(T, b, len);
	usleep(200000);
	drain_all();
	len = frame(b, mT, mC, -1, 6101);	/* the victim flow, cached once */
	send_on(C, b, len);
	collect(mC, 6101, got, vid, 400);
	moved0 = tel_num("/hashtap/flows", NULL, "moved");
	for (r = 0; r < ROUNDS; r++) {
		long long h0, m0, h1, m1;

		len = frame(b, bcast, mT, 20, 6100);	/* t speaks: its MAC stays learned */
		send_on(T, b, len);
		for (i = 0; i < FLAPS; i++) {
			len = frame(b, bcast, mF, -1, 6102);
			send_on(i % 2 ? D : B, b, len);
			usleep(500);
		}
		usleep(20000);
		h0 = tel_num("/hashtap/flows", NULL, "hits");
		m0 = tel_num("/hashtap/flows", NULL, "misses");
		len = frame(b, mT, mC, -1, 6101);
		send_on(C, b, len);
		collect(mC, 6101, got, vid, 2000);	/* up to 2 s on a loaded machine */
		h1 = tel_num("/hashtap/flows", NULL, "hits");
		m1 = tel_num("/hashtap/flows", NULL, "misses");
		seen += only(got, P(T), 1);
		hits += h1 - h0 == 1 && m1 == m0;
	}
	moved = tel_num("/hashtap/flows", NULL, "moved") - moved0;
	check_ok(seen == ROUNDS && hits * 100 >= ROUNDS * 90 && moved >= ROUNDS * FLAPS / 2,
	       "a MAC flapping between b and d (%lld moves): the victim flow c -> t hits the cache in %d of %d rounds (>= 90 %%), delivered %d",
	       moved, hits, ROUNDS, seen);
	drain_all();
}

/* d's tap deleted under the running switch: the others go on */
static void
t_port_deleted(void)
{
	uint8_t b[2048];
	int got[NPORT], vid[NPORT];
	uint32_t len;
	bool up;

	drain_all();
	up = system("ip link del htsd") == 0;
	usleep(300000);
	len = frame(b, bcast, mB, -1, 6300);	/* b speaks */
	send_on(B, b, len);
	usleep(100000);
	drain_all();
	len = frame(b, mB, mA, -1, 6301);
	send_on(A, b, len);
	collect(mA, 6301, got, vid, 500);
	check_ok(up && waitpid(sw_pid, NULL, WNOHANG) == 0 && got[B] == 1 && got[T] == 0,
	       "d's tap deleted under the running switch: it runs on, a -> b still reaches b alone");
	len = frame(b, bcast, mA, -1, 6302);
	send_on(A, b, len);
	collect(mA, 6302, got, vid, 500);
	check_ok(got[B] == 1 && got[T] == 1 && vid[T] == 10 && tel_num("/hashtap/ports", "\"d\"", "rx") >= 0,
	       "... a broadcast from a reaches b and the trunk; /hashtap/ports still answers");
}

/* frames from source src that came out on socket fd (ms for the first) */
static int
sgrab(int fd, const uint8_t *src, int ms)
{
	static uint8_t g[16384];
	struct pollfd pf = { .fd = fd, .events = POLLIN };
	struct sockaddr_ll fr;
	socklen_t fl;
	int k = 0;
	ssize_t r;

	while (poll(&pf, 1, ms) > 0) {
		fl = sizeof(fr);
		while ((r = recvfrom(fd, g, sizeof(g), MSG_TRUNC, (struct sockaddr *)&fr, &fl)) > 0) {
			fl = sizeof(fr);
			if (fr.sll_pkttype != PACKET_OUTGOING && r >= 12 && memcmp(g + 6, src, 6) == 0)
				k++;
		}
		ms = 100;
	}
	return k;
}

/*
 * A second switch with tables too small for what comes: 64 MACs, 64 flow
 * cache entries (8 sets), 2048 mbufs, 3 ports.  Known MACs keep working
 * when the MAC table is full, new ones flood; 1000 flows through 8 sets
 * all go right; after a flood of jumbo broadcasts it still forwards;
 * SIGINT in the middle of traffic: every mbuf back.
 */
static void
t_small_tables(const char *bin)
{
	enum { SA, SB, ST, NS };
	static const char *const sn[NS] = { "htsfa", "htsfb", "htsft" };
	static uint8_t f[9100];
	int ssk[NS], i, n, status;
	struct sockaddr_ll sto[NS];
	long long macs, nomem;
	pid_t child;
	unsigned int flows_ok = 0, stray = 0;
	uint8_t src[6] = { 0x02, 0xdd, 0, 0, 0, 0 };
	static const uint8_t mSB[6] = { 0x02, 0xdd, 0xff, 0, 0, 0x0b };
	static const uint8_t mST[6] = { 0x02, 0xdd, 0xff, 0, 0, 0x1f };
	static const uint8_t mSA[6] = { 0x02, 0xdd, 0xff, 0, 0, 0x0a };

	if (!check_ok(start_switch_ini(bin, "[switch]\naging = 300\nstatus = 0\nmac_entries = 64\n"
				      "flow_entries = 64\nmbufs = 2048\n"
				      "[eal]\nargs = -l 0-1 --no-huge -m 256 --no-pci --no-shconf --file-prefix %s\n"
				      "[port fa]\ndevargs = net_hashtap0,iface=htsfa\nvlan = 10\n"
				      "[port fb]\ndevargs = net_hashtap1,iface=htsfb\nvlan = 10\n"
				      "[port ft]\ndevargs = net_hashtap2,iface=htsft\nmode = trunk\nvlans = 10\n") == 0,
		    "a switch with 64 MACs, 64 flow cache entries, 2048 mbufs starts"))
		return;
	for (i = 0; i < NS; i++) {
		if_up(sn[i], 9300);
		ssk[i] = netns_packet_socket(NULL, sn[i], &sto[i], 0);
	}
#define SEND(p, buf, l) sendto(ssk[p], buf, l, 0, (struct sockaddr *)&sto[p], sizeof(sto[p]))
#define GRAB(p, s, ms) sgrab(ssk[p], (s), (ms))
	pattern(f, bcast, mSB, 60);
	SEND(SB, f, 60);
	pattern(f, bcast, mST, 60);		/* untagged on a trunk without native: dropped... */
	{
		uint32_t l = frame(f, bcast, mST, 10, 7000);	/* ... so tagged 10 */

		SEND(ST, f, l);
	}
	usleep(200000);
	for (i = 0; i < 1000; i++) {		/* 1000 more MACs from fa */
		src[4] = (uint8_t)(i >> 8);
		src[5] = (uint8_t)i;
		pattern(f, bcast, src, 60);
		SEND(SA, f, 60);
		if (i % 64 == 63)
			usleep(5000);
	}
	usleep(300000);
	for (i = 0; i < NS; i++)
		while (GRAB(i, src, 0) > 0)
			;
	macs = tel_num("/hashtap/flows", NULL, "macs");
	pattern(f, mSB, mSA, 100);		/* known: fb alone */
	SEND(SA, f, 100);
	n = GRAB(SB, mSA, 300);
	i = GRAB(ST, mSA, 0);
	check_ok(macs >= 2 && macs <= 64 && n == 1 && i == 0,
	       "1002 MACs into a table of 64: %lld learned, a MAC known before still goes to its port alone",
	       macs);
	pattern(f, (const uint8_t *)"\x02\xdd\xee\0\0\1", mSA, 100);	/* unknown: floods */
	SEND(SA, f, 100);
	n = GRAB(SB, mSA, 300);
	i = GRAB(ST, mSA, 0);
	check_ok(n == 1 && i == 1, "... a MAC it could not learn is flooded (fb %d, ft %d)", n, i);
	for (i = 0; i < 1000; i++) {		/* 1000 flows through 8 sets of 8 */
		uint32_t l = frame(f, mSB, mSA, -1, (uint16_t)(10000 + i));

		SEND(SA, f, l);
		if (i % 64 == 63) {
			flows_ok += (unsigned int)GRAB(SB, mSA, 20);
			stray += (unsigned int)GRAB(ST, mSA, 0);
		}
	}
	flows_ok += (unsigned int)GRAB(SB, mSA, 300);
	stray += (unsigned int)GRAB(ST, mSA, 0);
	check_ok(flows_ok == 1000 && stray == 0 && tel_num("/hashtap/flows", NULL, "hits") >= 0,
	       "1000 flows through a flow cache of 8 sets: all 1000 at fb, %u elsewhere", stray);
	/* a storm: 3000 jumbo broadcasts (5-mbuf chains, a copy each for the trunk) */
	nomem = tel_num("/hashtap/drops", NULL, "no_mbuf");
	for (i = 0; i < 3000; i++) {
		pattern(f, bcast, mSA, 9014);
		SEND(SA, f, 9014);
	}
	usleep(500000);
	for (i = 0; i < NS; i++)
		while (GRAB(i, mSA, 50) > 0)
			;
	pattern(f, mSB, mSA, 100);
	SEND(SA, f, 100);
	n = GRAB(SB, mSA, 500);
	check_ok(waitpid(sw_pid, NULL, WNOHANG) == 0 && n == 1,
	       "3000 jumbo broadcasts (chains, a copy each for the trunk) as fast as the tap takes them, 2048 mbufs: the switch forwards after (no_mbuf +%lld)",
	       tel_num("/hashtap/drops", NULL, "no_mbuf") - nomem);
	/* SIGINT while a sender floods */
	child = fork();
	if (child == 0) {
		for (i = 0;; i++) {
			pattern(f, i % 2 ? bcast : mSB, mSA, i % 3 ? 9014 : 60);
			SEND(SA, f, i % 3 ? 9014 : 60);
		}
	}
	usleep(300000);
	kill(sw_pid, SIGINT);
	waitpid(sw_pid, &status, 0);
	sw_pid = 0;
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	check_ok(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	       "SIGINT in the middle of a flood of jumbo frames: stops clean, every mbuf back (exit %d)",
	       WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	for (i = 0; i < NS; i++)
		close(ssk[i]);
	unlink(logpath);
#undef SEND
#undef GRAB
}

/* "port":{..."guest_queue_tx":[a,b,...]} into q[]; how many, -1 if none */
static int
guest_queue_tx(const char *port, uint64_t *q, int cap)
{
	static char buf[65536];
	const char *o, *oe, *p;
	int n = 0;

	if (tel("/hashtap/ports", buf, sizeof(buf)) < 0 || !json_obj(buf, NULL, port, &o, &oe))
		return -1;
	p = strstr(o, "\"guest_queue_tx\":[");
	if (p == NULL || p >= oe)
		return -1;
	p += strlen("\"guest_queue_tx\":[");
	while (n < cap && *p != ']' && *p != '\0') {
		char *end;

		q[n++] = strtoull(p, &end, 10);
		p = *end == ',' ? end + 1 : end;
	}
	return n;
}

/*
 * A VXLAN tunnel (one outer 5-tuple) carrying 64 TCP flows from an uplink
 * to a guest port with 4 guest queues.  Port o hashes the outer header: all
 * 64 on one queue.  Port u (tunnel_types = vxlan: net_hashtap, RSS level
 * INNERMOST) and port v (the same with hash=off: the switch looks inside)
 * spread them: each flow on the queue its inner frame's hash names, by
 * lib/vnet_hash's ordinary hash of the inner frame alone (Microsoft key),
 * through g's round-robin RETA (entry i: queue i % 4).
 */
#define TQ	4
static void
t_tunnel_spread(const char *bin)
{
	enum { SU, SV, SO, SG, NS };
	static const char *const sn[NS] = { "htstu", "htstv", "htsto", "htstg" };
	static const char *const pn[NS] = { "u", "v", "o", "g" };
	static const uint8_t mac[NS][6] = {
		{ 0x02, 0xee, 0, 0, 0, 0x01 }, { 0x02, 0xee, 0, 0, 0, 0x02 },
		{ 0x02, 0xee, 0, 0, 0, 0x03 }, { 0x02, 0xee, 0, 0, 0, 0x0f },
	};
	static uint8_t f[2048], in[1024];
	struct sockaddr_ll sto[NS];
	struct vnet_hash_key key;
	int ssk[NS], i, up, status;

	if (!check_ok(start_switch_ini(bin, "[switch]\naging = 300\nstatus = 0\nmbufs = 4096\n"
				      "[eal]\nargs = -l 0-1 --no-huge -m 256 --no-pci --no-shconf --file-prefix %s\n"
				      "[port u]\ndevargs = net_hashtap0,iface=htstu\nvlan = 10\ntunnel_types = vxlan\n"
				      "[port v]\ndevargs = net_hashtap1,iface=htstv,hash=off\nvlan = 10\ntunnel_types = vxlan\n"
				      "[port o]\ndevargs = net_hashtap2,iface=htsto\nvlan = 10\n"
				      "[port g]\ndevargs = net_hashtap3,iface=htstg\nvlan = 10\nrxq = 4\nguest_queues = 4\nlcores = 1,1,1,1\n") == 0,
		      "a switch with uplinks u (tunnel_types = vxlan), v (the same, hash=off), o (none) and a guest g with 4 queues starts"))
		return;
	for (i = 0; i < NS; i++) {
		if_up(sn[i], 1500);
		ssk[i] = netns_packet_socket(NULL, sn[i], &sto[i], 0);
	}
	vnet_hash_key_set(&key, vnet_hash_default_key, sizeof(vnet_hash_default_key));
	pattern(f, bcast, mac[SG], 60);		/* the switch learns g */
	sendto(ssk[SG], f, 60, 0, (struct sockaddr *)&sto[SG], sizeof(sto[SG]));
	usleep(200000);
	for (up = SU; up <= SO; up++) {
		uint64_t q0[TQ], q1[TQ], want[TQ] = { 0 };
		unsigned int fl, used = 0, t;
		bool same = true;
		int n0 = guest_queue_tx("g", q0, TQ), n1 = -1;

		for (fl = 0; fl < 64; fl++) {
			struct pkt_spec s = { .ipver = 4, .l4 = IPPROTO_TCP, .payload = 20, .dport = 80 };
			struct pkt_tnl tn = { .kind = PKT_TNL_VXLAN, .ipver = 4, .sport = 40000 };
			uint32_t il, len, h = 0;

			s.sport = (uint16_t)(1024 + fl);
			pkt_addr("172.16.0.10", s.src);
			pkt_addr("172.16.9.20", s.dst);
			pkt_addr("198.51.100.1", tn.src);
			pkt_addr("198.51.100.2", tn.dst);
			il = pkt_build(&s, in, sizeof(in));
			len = pkt_encap(&tn, in, il, f, sizeof(f));
			memcpy(f, mac[SG], 6);
			memcpy(f + 6, mac[up], 6);
			if (up == SO)
				vnet_hash_frame(&key, VNET_HASH_TYPE_ALL, f, len, &h);
			else
				vnet_hash_frame(&key, VNET_HASH_TYPE_ALL, in, il, &h);
			want[(h & 127) % TQ]++;
			sendto(ssk[up], f, len, 0, (struct sockaddr *)&sto[up], sizeof(sto[up]));
		}
		for (t = 0; t < 300; t++) {	/* the 64 frames out of g (3 s at most) */
			uint64_t sum = 0;

			usleep(10000);
			n1 = guest_queue_tx("g", q1, TQ);
			for (i = 0; n1 == TQ && i < TQ; i++)
				sum += q1[i] - q0[i];
			if (sum >= 64)
				break;
		}
		for (i = 0; n0 == TQ && n1 == TQ && i < TQ; i++) {
			used += q1[i] != q0[i];
			same &= q1[i] - q0[i] == want[i];
		}
		check_diag("from %s: guest queues %" PRIu64 "/%" PRIu64 "/%" PRIu64 "/%" PRIu64 ", lib/vnet_hash says %" PRIu64 "/%" PRIu64 "/%" PRIu64 "/%" PRIu64,
			   pn[up], q1[0] - q0[0], q1[1] - q0[1], q1[2] - q0[2], q1[3] - q0[3],
			   want[0], want[1], want[2], want[3]);
		if (up == SO)
			check_ok(n0 == TQ && n1 == TQ && same && used == 1,
				 "64 inner flows of one VXLAN tunnel from o (outer hash): all on one guest queue, the outer hash's");
		else
			check_ok(n0 == TQ && n1 == TQ && same && used == TQ,
				 "64 inner flows of one VXLAN tunnel from %s (tunnel_types = vxlan, %s): over all %d guest queues, as many on each as lib/vnet_hash's inner hashes name",
				 pn[up], up == SU ? "the port hashes" : "hash=off: the switch hashes", TQ);
	}
	{
		static char buf[65536];
		const char *o, *oe;
		char by[16];

		tel("/hashtap/ports", buf, sizeof(buf));
		check_ok(json_obj(buf, NULL, "u", &o, &oe) &&
			 strcmp(json_str(o, oe, "inner_hash_by", by, sizeof(by)), "port") == 0 &&
			 json_obj(buf, NULL, "v", &o, &oe) &&
			 strcmp(json_str(o, oe, "inner_hash_by", by, sizeof(by)), "switch") == 0 &&
			 json_obj(buf, NULL, "o", &o, &oe) &&
			 strcmp(json_str(o, oe, "tunnel_types", by, sizeof(by)), "none") == 0,
			 "/hashtap/ports: u's inner hash by the port, v's by the switch, o has no tunnel types");
	}
	kill(sw_pid, SIGINT);
	waitpid(sw_pid, &status, 0);
	sw_pid = 0;
	check_ok(WIFEXITED(status) && WEXITSTATUS(status) == 0, "tunnel switch: clean stop (exit %d)",
		 WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	for (i = 0; i < NS; i++)
		close(ssk[i]);
	unlink(logpath);
}

/*
 * Telemetry clients hammering every /hashtap/ command while the switch
 * stops on SIGTERM (ITER times): it never crashes, exit 0.
 */
static void
hammer(void)
{
	static const char *const cmds[] = {
		"/hashtap/ports", "/hashtap/macs", "/hashtap/flows", "/hashtap/hash",
		"/hashtap/drops", "/hashtap/macs,0",
	};
	char buf[65536];
	unsigned int i = 0;

	for (;;)
		tel(cmds[i++ % (sizeof(cmds) / sizeof(cmds[0]))], buf, sizeof(buf));
}

static void
t_telemetry_at_shutdown(const char *bin)
{
	enum { ITER = 10, CLIENTS = 3 };
	int it, clean = 0, started = 0;
	char why[128] = "";

	for (it = 0; it < ITER; it++) {
		pid_t cl[CLIENTS];
		int c, status;

		if (start_switch_ini(bin, "[switch]\nstatus = 0\n"
				     "[eal]\nargs = -l 0-1 --no-huge -m 256 --no-pci --no-shconf --file-prefix %s\n"
				     "[port a]\ndevargs = net_ring0\n[port b]\ndevargs = net_ring1\n") < 0)
			break;
		started++;
		for (c = 0; c < CLIENTS; c++) {
			cl[c] = fork();
			if (cl[c] == 0) {
				signal(SIGPIPE, SIG_IGN);
				hammer();
				_exit(0);
			}
		}
		usleep(100000 + (useconds_t)(rnd() % 200000));
		kill(sw_pid, SIGTERM);
		waitpid(sw_pid, &status, 0);
		sw_pid = 0;
		for (c = 0; c < CLIENTS; c++) {
			kill(cl[c], SIGKILL);
			waitpid(cl[c], NULL, 0);
		}
		if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
			clean++;
		} else if (why[0] == '\0') {
			char cmd[256];

			snprintf(why, sizeof(why), "; iteration %d: %s %d", it,
				 WIFSIGNALED(status) ? "signal" : "exit",
				 WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
			snprintf(cmd, sizeof(cmd), "grep -v '^EAL: ' %s | tail -5 | sed 's/^/# /'",
				 logpath);
			if (system(cmd) != 0)
				check_diag("no log");
		}
	}
	check_ok(started == ITER && clean == ITER,
	       "SIGTERM with %d telemetry clients hammering every /hashtap/ command: %d of %d stops clean (exit 0)%s",
	       CLIENTS, clean, ITER, why);
	unlink(logpath);
}

static long
rss_kb(void)
{
	char path[64], line[256];
	long kb = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)sw_pid);
	f = fopen(path, "r");
	while (f != NULL && fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, "VmRSS: %ld", &kb) == 1)
			break;
	if (f != NULL)
		fclose(f);
	return kb;
}

static void
t_soak(unsigned int secs)
{
	uint8_t b[4096];
	time_t end;
	long rss0, rss1;
	unsigned long sent = 0;

	sleep(1);
	rss0 = rss_kb();
	end = time(NULL) + secs;
	rnd_seed(4242);
	while (time(NULL) < end) {
		int port = (int)(rnd() % NPORT), k;

		for (k = 0; k < 32; k++) {
			uint32_t len = rnd_frame(b, sizeof(b), false);

			/* 64 hosts, unicast mostly to each other, some broadcast */
			b[0] = 0x02, b[5] = (uint8_t)(rnd() % 64);
			if (rnd() % 10 == 0)
				memset(b, 0xff, 6);
			b[6] = 0x02, b[11] = (uint8_t)(rnd() % 64);
			if (port == T)
				continue;	/* untagged on the trunk: dropped, fine, but dull */
			sent += send_on(port, b, len) == 0;
		}
		drain_all();
	}
	rss1 = rss_kb();
	check_ok(waitpid(sw_pid, NULL, WNOHANG) == 0, "soak: %u s of mixed traffic (%lu frames), the switch is alive",
	       secs, sent);
	check_ok(rss0 > 0 && rss1 - rss0 < 4096, "soak: resident memory %ld -> %ld kB (< 4 MB growth)",
	       rss0, rss1);
}

int
main(int argc, char **argv)
{
	unsigned int soak = argc > 2 ? (unsigned int)atoi(argv[2]) : 60;
	int i, status;

	if (argc < 2) {
		fprintf(stderr, "usage: test-switch SWITCH_BINARY [SOAK_SECONDS]\n");
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	if (!check_ok(start_switch(argv[1]) == 0, "the switch starts with 5 net_hashtap ports")) {
		stop_switch();
		return check_done();
	}
	for (i = 0; i < NPORT; i++) {
		if_up(ifn[i], 9300);	/* jumbo frames: t_sizes */
		sk[i] = netns_packet_socket(NULL, ifn[i], &to[i], i == B ? 0x4242 : 0);
	}
	sk_b2 = netns_packet_socket(NULL, ifn[B], &to[B], 0x4242);
	check_ok(sk[A] >= 0 && sk[B] >= 0 && sk[T] >= 0 && sk_b2 >= 0, "AF_PACKET sockets on the taps");
	t_learned_stops_flood();
	t_forwarding();
	t_mac_moves();
	t_guest_queues();
	t_hash_reuse();
	t_hash_source();
	t_sizes();
	t_long_vlan_list();
	t_aging();
	t_macs_table();
	t_cache_dos();
	t_flap_dos();
	t_hostile();
	t_soak(soak);
	t_port_deleted();
	kill(sw_pid, SIGINT);
	waitpid(sw_pid, &status, 0);
	sw_pid = 0;
	check_ok(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	       "SIGINT: the switch stops, every mbuf back in the pool (exit %d)",
	       WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	for (i = 0; i < NPORT; i++)
		check_ok(if_nametoindex(ifn[i]) == 0, "tap %s removed with its port", ifn[i]);
	unlink(logpath);
	t_small_tables(argv[1]);
	t_telemetry_at_shutdown(argv[1]);
	t_tunnel_spread(argv[1]);
	return check_done();
}
