/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 hashtap authors
 *
 * The kernel series against lib/vnet_hash, run inside the test kernel:
 * frames of every kind are sent into a multi-queue tap from the kernel side
 * (AF_PACKET), and for each one read from the tap the header's
 * (hash_report, hash_value) must be lib/vnet_hash's answer for the frame
 * read, with the key and types configured; under RSS the frame must come
 * out of the queue the indirection table names (queue numbers are the
 * order in which the queues were attached).  Keys are of random length
 * (1 to 40 bytes): the kernel takes a shorter key as zero-extended to 40,
 * and lib/vnet_hash is given that extended key.  TAP output.
 *
 *   tun-hash-check probe            exit 0: feature present, 3: absent
 *   tun-hash-check report  [-n FRAMES] [-s SEED] [-q QUEUES] [-m] [-H HDR]
 *   tun-hash-check rss     [-n FRAMES] [-s SEED] [-q QUEUES] [-m] [-H HDR]
 *        -m: a macvtap on a veth, fed from the veth's peer, instead of a tap
 *        -H: the vnet header size (20, or 24: the hash at the same offsets)
 *   tun-hash-check off     [-n FRAMES] [-s SEED]   prints digests of every
 *        frame with the 10 header bytes every kernel writes, and of the
 *        whole 20-byte headers, to compare between kernels (read into a
 *        buffer filled with 0xaa: untouched bytes show)
 *   tun-hash-check errors           every invalid ioctl argument, the
 *        tunnel ioctls' too (TUNSETVNETHASHTUNNEL, TUNGETVNETHASHTUNNEL)
 *   tun-hash-check report|rss -T ...  the same with tunnelled frames
 *        (docs/tunnel-hash.md): every encapsulation type, malformed and
 *        nested ones, random enabled tunnel types for each key and type
 *        set; lib/vnet_hash's answer is vnet_hash_frame_tunnel()'s
 *   tun-hash-check spread  [-s SEED] [-q QUEUES] [-m]   RSS by the inner
 *        hash: the inner flows of one VXLAN flow land on several queues
 *        with VXLAN enabled, on one without, each on lib's queue
 *   tun-hash-check paths   [-n FRAMES] [-s SEED]   frames whose queue TC
 *        chose (skbedit queue_mapping) and frames an XDP program on a veth
 *        redirected into the tap (ndo_xdp_xmit) are reported correctly and,
 *        under RSS, steered by it; a queue attached after the configuration
 *        gets it; a steering eBPF program takes precedence over RSS
 */

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <linux/bpf.h>
#include <linux/if_link.h>
#include <linux/if_packet.h>
#include <linux/if_tun.h>
#include <linux/virtio_net.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>

#include "pkt.h"
#include "rnd.h"
#include "check.h"
#include "kbpf.h"
#include "tun_vnet_hash_uapi.h"
#include "vnet_hash.h"
#include "vnet_hash_tun.h"
#include "vnet_hdr.h"

#define IFNAME		"hth0"
#define MAX_QUEUES	8
#define ROUND		250	/* frames per key/type set */

static int hdr_len = VNET_HDR_LEN_HASH;	/* the vnet header size read */
static bool tunnels;			/* -T: tunnelled frames */

/* A key of @len bytes (1 to 40) as the kernel takes it and as lib/vnet_hash
 * models it: zero-extended to 40 bytes */
struct test_key {
	uint8_t raw[VNET_HASH_KEY_MIN];
	unsigned int len;
	struct vnet_hash_key model;
};

static void
rnd_key(struct test_key *k)
{
	unsigned int j;

	memset(k->raw, 0, sizeof(k->raw));
	k->len = rnd() % 4 ? VNET_HASH_KEY_MIN : 1 + rnd() % VNET_HASH_KEY_MIN;
	for (j = 0; j < k->len; j++)
		k->raw[j] = (uint8_t)rnd();
	vnet_hash_key_set(&k->model, k->raw, VNET_HASH_KEY_MIN);
}

/* TUNSETVNETHASH with a key of any length (the lib's codec wants 40+) */
static int
set_hash_raw(int fd, uint32_t types, const struct test_key *k)
{
	uint8_t buf[VNET_WIRE_HASH_CONFIG_KEY_OFF + VNET_HASH_KEY_MIN] = { 0 };

	buf[0] = (uint8_t)types;
	buf[1] = (uint8_t)(types >> 8);
	buf[12] = (uint8_t)k->len;
	memcpy(buf + VNET_WIRE_HASH_CONFIG_KEY_OFF, k->raw, k->len);
	return ioctl(fd, VNET_HASH_TUNSETVNETHASH, buf) == 0 ? 0 : -errno;
}

/* TUNSETVNETRSS with a key of any length */
static int
set_rss_raw(int fd, const struct vnet_hash_rss *r, const struct test_key *k)
{
	static uint8_t buf[8 + 2 * VNET_HASH_RETA_MAX + 3 + VNET_HASH_KEY_MIN];
	uint32_t i, t = 8 + 2u * r->reta_size;

	memset(buf, 0, sizeof(buf));
	buf[0] = (uint8_t)r->hash_types;
	buf[1] = (uint8_t)(r->hash_types >> 8);
	buf[4] = (uint8_t)(r->reta_size - 1);
	buf[5] = (uint8_t)((r->reta_size - 1) >> 8);
	buf[6] = (uint8_t)r->unclassified_queue;
	buf[7] = (uint8_t)(r->unclassified_queue >> 8);
	for (i = 0; i < r->reta_size; i++) {
		buf[8 + 2 * i] = (uint8_t)r->reta[i];
		buf[9 + 2 * i] = (uint8_t)(r->reta[i] >> 8);
	}
	buf[t] = (uint8_t)r->max_tx_vq;
	buf[t + 1] = (uint8_t)(r->max_tx_vq >> 8);
	buf[t + 2] = (uint8_t)k->len;
	memcpy(buf + t + 3, k->raw, k->len);
	return ioctl(fd, VNET_HASH_TUNSETVNETRSS, buf) == 0 ? 0 : -errno;
}

/* TUNSETVNETHASHTUNNEL: le32 enabled_tunnel_types, any bits */
static int
set_tunnel_raw(int fd, uint32_t types)
{
	uint8_t buf[4] = { (uint8_t)types, (uint8_t)(types >> 8), (uint8_t)(types >> 16),
			   (uint8_t)(types >> 24) };

	return ioctl(fd, VNET_HASH_TUNSETVNETHASHTUNNEL, buf) == 0 ? 0 : -errno;
}

/* TUNGETVNETHASHTUNNEL, or -errno */
static int64_t
get_tunnel_raw(int fd)
{
	uint8_t buf[4] = { 0xde, 0xad, 0xbe, 0xef };

	if (ioctl(fd, VNET_HASH_TUNGETVNETHASHTUNNEL, buf) != 0)
		return -errno;
	return (int64_t)((uint32_t)buf[0] | (uint32_t)buf[1] << 8 | (uint32_t)buf[2] << 16 |
			 (uint32_t)buf[3] << 24);
}

/* Enabled tunnel types for a round: all, none, one, or any subset */
static uint32_t
rnd_tunnel_types(void)
{
	switch (rnd() % 6) {
	case 0:
	case 1:
		return VNET_HASH_TUNNEL_ALL;
	case 2:
		return 0;
	case 3:
		return 1u << (rnd() % VNET_HASH_TUNNEL_MAX_BIT);
	default:
		return rnd() & VNET_HASH_TUNNEL_ALL;
	}
}

static void
die(const char *what)
{
	perror(what);
	exit(2);
}

/* ------------------------------------------------------------------ */
/* The tap and the injector */

static int
tap_open(const char *name, int flags)
{
	struct ifreq ifr;
	int fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK);

	if (fd < 0)
		die("/dev/net/tun");
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, IFNAMSIZ, "%s", name);
	ifr.ifr_flags = (short)flags;
	if (ioctl(fd, TUNSETIFF, &ifr) != 0)
		die("TUNSETIFF");
	return fd;
}

static void
sysctl_write(const char *path, const char *val)
{
	FILE *f = fopen(path, "w");

	if (f == NULL || fputs(val, f) < 0 || fclose(f) != 0)
		die(path);
}

static int
link_up(const char *name)
{
	struct ifreq ifr;
	char path[128];
	int s = socket(AF_INET, SOCK_DGRAM, 0);

	/* no IPv6 of the kernel's own (router solicitations, MLD) on the tap */
	snprintf(path, sizeof(path), "/proc/sys/net/ipv6/conf/%s/disable_ipv6", name);
	sysctl_write(path, "1");
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, IFNAMSIZ, "%s", name);
	if (s < 0 || ioctl(s, SIOCGIFFLAGS, &ifr) != 0)
		die("SIOCGIFFLAGS");
	ifr.ifr_flags |= IFF_UP;
	if (ioctl(s, SIOCSIFFLAGS, &ifr) != 0)
		die("SIOCSIFFLAGS");
	if (ioctl(s, SIOCGIFINDEX, &ifr) != 0)
		die("SIOCGIFINDEX");
	close(s);
	return ifr.ifr_ifindex;
}

struct rig {
	int q;			/* queues */
	int fd[MAX_QUEUES];
	int pkt;		/* AF_PACKET socket */
	struct sockaddr_ll to;
};

static void
run(const char *cmd)
{
	if (system(cmd) != 0) {
		fprintf(stderr, "failed: %s\n", cmd);
		exit(2);
	}
}

/* A macvtap on veth hthv0 with the frames' destination MAC; frames are
 * sent into hthv1, the peer, and arrive on the macvtap's queues. */
static void
rig_up_macvtap(struct rig *r, int queues)
{
	char path[64];
	int i, sz = hdr_len, ifindex;

	run("ip link add hthv0 type veth peer name hthv1");
	run("ip link add link hthv0 name " IFNAME " address 02:00:00:00:00:02 "
	    "type macvtap mode bridge");
	sysctl_write("/proc/sys/net/ipv6/conf/hthv0/disable_ipv6", "1");
	ifindex = link_up(IFNAME);
	link_up("hthv0");
	r->q = queues;
	snprintf(path, sizeof(path), "/dev/tap%d", ifindex);
	for (i = 0; i < queues; i++) {
		r->fd[i] = open(path, O_RDWR | O_NONBLOCK);
		if (r->fd[i] < 0)
			die(path);
		if (ioctl(r->fd[i], TUNSETVNETHDRSZ, &sz) != 0)
			die("TUNSETVNETHDRSZ");
	}
	memset(&r->to, 0, sizeof(r->to));
	r->to.sll_family = AF_PACKET;
	r->to.sll_ifindex = link_up("hthv1");
	r->to.sll_halen = 6;
	r->pkt = socket(AF_PACKET, SOCK_RAW, 0);
	if (r->pkt < 0)
		die("AF_PACKET socket");
}

static void
rig_up(struct rig *r, int queues)
{
	int i, sz = hdr_len;

	r->q = queues;
	for (i = 0; i < queues; i++) {
		r->fd[i] = tap_open(IFNAME, IFF_TAP | IFF_NO_PI | IFF_VNET_HDR |
				    IFF_MULTI_QUEUE);
		if (ioctl(r->fd[i], TUNSETVNETHDRSZ, &sz) != 0)
			die("TUNSETVNETHDRSZ");
	}
	memset(&r->to, 0, sizeof(r->to));
	r->to.sll_family = AF_PACKET;
	r->to.sll_ifindex = link_up(IFNAME);
	r->to.sll_halen = 6;
	r->pkt = socket(AF_PACKET, SOCK_RAW, 0);
	if (r->pkt < 0)
		die("AF_PACKET socket");
}

/*
 * Send one frame and read it back from whichever queue it reaches;
 * returns the queue, or -1 if it never came.  Other frames are skipped.
 */
static int
roundtrip(struct rig *r, const uint8_t *frame, uint32_t len, uint8_t *buf, size_t cap,
	  unsigned int *skipped)
{
	struct pollfd pfd[MAX_QUEUES];
	int i, tries;

	if (sendto(r->pkt, frame, len, 0, (struct sockaddr *)&r->to, sizeof(r->to)) !=
	    (ssize_t)len)
		return -2;
	for (tries = 0; tries < 50; tries++) {
		for (i = 0; i < r->q; i++) {
			pfd[i].fd = r->fd[i];
			pfd[i].events = POLLIN;
		}
		if (poll(pfd, (nfds_t)r->q, 1000) <= 0)
			return -1;
		for (i = 0; i < r->q; i++) {
			ssize_t n;

			if (!(pfd[i].revents & POLLIN))
				continue;
			memset(buf, 0xaa, cap);	/* untouched bytes stay visible */
			n = read(r->fd[i], buf, cap);
			if (n == (ssize_t)(len + hdr_len) &&
			    memcmp(buf + hdr_len, frame, len) == 0)
				return i;
			if (n > 0)
				(*skipped)++;
		}
	}
	return -1;
}

/* ------------------------------------------------------------------ */
/* A frame for the cross-check: with -T a tunnelled one (tools/lib/rnd.c:
 * every kind, well-formed and hostile), any kind otherwise */
static uint32_t
test_frame(uint8_t *f, uint32_t cap, bool macvtap)
{
	if (tunnels)
		return rnd_tunnel_frame(f, cap, macvtap);
	return rnd_frame(f, cap, macvtap);
}

/* ------------------------------------------------------------------ */

static int
check_traffic(unsigned int frames, int queues, bool rss, bool macvtap)
{
	static struct vnet_hash_rss rc;
	static uint8_t buf[4096];
	struct test_key key;
	uint32_t types = 0, ttypes = 0;
	unsigned int i, bad_hash = 0, bad_queue = 0, bad_tail = 0, lost = 0, skipped = 0;
	unsigned int per_report[VNET_HASH_REPORT_MAX + 1] = { 0 };
	unsigned int per_tunnel[VNET_HASH_TUNNEL_MAX_BIT] = { 0 }, inner = 0, nested = 0;
	struct rig r;
	char tbuf[128];

	if (macvtap)
		rig_up_macvtap(&r, queues);
	else
		rig_up(&r, queues);
	for (i = 0; i < frames; i++) {
		uint8_t frame[1600];
		struct vnet_hdr h;
		uint32_t len, hash;
		unsigned int report, j;
		int q, ret;

		if (i % ROUND == 0) {	/* a new key and type set */
			types = rnd_types();
			rnd_key(&key);
			if (rss) {
				memset(&rc, 0, sizeof(rc));
				rc.hash_types = types;
				rc.reta_size = (uint16_t)(1u << (rnd() % 8));
				/* queue numbers: every queue attached, in order */
				rc.max_tx_vq = (uint16_t)queues;
				rc.unclassified_queue = (uint16_t)(rnd() % queues);
				for (j = 0; j < rc.reta_size; j++)
					rc.reta[j] = (uint16_t)(rnd() % queues);
				ret = set_rss_raw(r.fd[rnd() % queues], &rc, &key);
			} else {
				ret = set_hash_raw(r.fd[rnd() % queues], types, &key);
			}
			vnet_hash_types_format(types, tbuf, sizeof(tbuf));
			if (!check_ok(ret == 0, "%s config: types %s, %u-byte key (%d)",
				    rss ? "rss" : "hash", tbuf, key.len, ret))
				return 1;
			if (tunnels) {
				ttypes = rnd_tunnel_types();
				ret = set_tunnel_raw(r.fd[rnd() % queues], ttypes);
				if (!check_ok(ret == 0 && get_tunnel_raw(r.fd[0]) == ttypes,
					    "tunnel types 0x%03x set and read back (%d)", ttypes,
					    ret))
					return 1;
			}
		}
		len = test_frame(frame, sizeof(frame), macvtap);
		q = roundtrip(&r, frame, len, buf, sizeof(buf), &skipped);
		if (q < 0) {
			if (lost++ < 10)
				check_diag("frame %u (%u bytes) lost: %02x%02x %02x%02x %02x%02x", i,
					 len, frame[12], frame[13], frame[14], frame[15],
					 frame[16], frame[17]);
			continue;
		}
		vnet_hdr_decode(&h, buf, VNET_HDR_LEN_HASH, true);
		if (tunnels) {
			struct vnet_hash_tuple t;
			uint16_t ioff = 0;

			vnet_hash_tunnel_match(buf + hdr_len, len, &ioff);

			report = vnet_hash_frame_tunnel(&key.model, types, ttypes, buf + hdr_len,
							len, &hash);
			vnet_hash_classify_tunnel(buf + hdr_len, len, types, ttypes, &t);
			if (t.tunnel) {
				inner++;
				for (j = 0; j < VNET_HASH_TUNNEL_MAX_BIT; j++)
					per_tunnel[j] += !!(t.tunnel & (1u << j));
				/* the inner packet is a tunnel too */
				nested += ioff < len &&
					  vnet_hash_tunnel_match(buf + hdr_len + ioff, len - ioff,
								 NULL) != 0;
			}
		} else {
			report = vnet_hash_frame(&key.model, types, buf + hdr_len, len, &hash);
		}
		per_report[report]++;
		for (j = VNET_HDR_LEN_HASH; j < (unsigned int)hdr_len; j++)
			if (buf[j] != 0 && bad_tail++ < 5)
				check_diag("frame %u: header byte %u is 0x%02x", i, j, buf[j]);
		if (h.hash_report != report || h.hash_value != hash || h.padding_reserved) {
			if (bad_hash++ < 10) {
				char hex[3 * 600 + 1];

				for (j = 0; j < len && j < 600; j++)
					snprintf(hex + 3 * j, 4, "%02x ", frame[j]);
				check_diag("frame %u (%u bytes): kernel %s 0x%08x, lib %s 0x%08x "
					 "(types 0x%x, tunnel types 0x%x): %s",
					 i, len, vnet_hash_report_name(h.hash_report), h.hash_value,
					 vnet_hash_report_name(report), hash, types, ttypes, hex);
			}
		}
		if (rss && q != vnet_hash_rss_queue(&rc, hash, report)) {
			if (bad_queue++ < 10)
				check_diag("frame %u: queue %d, table says %u", i, q,
					 vnet_hash_rss_queue(&rc, hash, report));
		}
	}
	check_ok(lost == 0, "%u frames sent, %u did not come back (%u others skipped)", frames,
	       lost, skipped);
	check_ok(bad_hash == 0, "%s: (report, hash) = lib/vnet_hash for all %u frames (%u differ)",
	       rss ? "rss" : "report-only", frames - lost, bad_hash);
	if (hdr_len > (int)VNET_HDR_LEN_HASH)
		check_ok(bad_tail == 0, "%d-byte headers: bytes 20 to %d are zero (%u not)",
		       hdr_len, hdr_len - 1, bad_tail);
	for (i = 0; i <= VNET_HASH_REPORT_MAX; i++)
		check_diag("  %-8s %u frames", vnet_hash_report_name(i), per_report[i]);
	for (i = 0; i <= VNET_HASH_REPORT_MAX; i++)
		if (per_report[i] == 0)
			break;
	check_ok(i > VNET_HASH_REPORT_MAX, "every report value was seen");
	if (tunnels) {
		check_diag("  %u frames hashed on their inner packet, %u of them a tunnel "
			   "again", inner, nested);
		for (i = 0; i < VNET_HASH_TUNNEL_MAX_BIT; i++)
			check_diag("  tunnel type bit %u: %u frames hashed inner", i,
				   per_tunnel[i]);
		for (i = 0; i < VNET_HASH_TUNNEL_MAX_BIT; i++)
			if (per_tunnel[i] == 0)
				break;
		check_ok(i == VNET_HASH_TUNNEL_MAX_BIT && nested > 0,
		       "every tunnel type was hashed on its inner packet, nested ones too");
	}
	if (rss)
		check_ok(bad_queue == 0, "rss: every frame on the queue the table names (%u not)",
		       bad_queue);
	return 0;
}

/*
 * RSS by the inner hash: one VXLAN flow (outer addresses and ports fixed)
 * carrying 64 inner TCP flows; on the queue lib/vnet_hash names, and
 * spread over the queues only when VXLAN is enabled.
 */
static int
check_spread(int queues, bool macvtap)
{
	static struct vnet_hash_rss rc;
	static uint8_t buf[4096];
	struct test_key key;
	unsigned int on, i, j, nq;
	struct rig r;

	if (macvtap)
		rig_up_macvtap(&r, queues);
	else
		rig_up(&r, queues);
	rnd_key(&key);
	memset(&rc, 0, sizeof(rc));
	rc.hash_types = VNET_HASH_TYPE_ALL;
	rc.reta_size = 128;
	rc.max_tx_vq = (uint16_t)queues;
	for (j = 0; j < rc.reta_size; j++)
		rc.reta[j] = (uint16_t)(j % (unsigned int)queues);
	if (!check_ok(set_rss_raw(r.fd[0], &rc, &key) == 0, "RSS: all types, table of 128"))
		return 1;
	for (on = 0; on < 2; on++) {
		unsigned int lost = 0, bad = 0, skipped = 0, mask = 0;
		uint32_t tt = on ? VNET_HASH_TUNNEL_VXLAN : 0;

		if (!check_ok(set_tunnel_raw(r.fd[queues - 1], tt) == 0, "tunnel types 0x%x", tt))
			return 1;
		for (i = 0; i < 64; i++) {
			struct pkt_tnl vx = { .kind = PKT_TNL_VXLAN, .ipver = 4, .sport = 40000,
					      .src = { 10, 0, 0, 1 }, .dst = { 10, 0, 0, 2 } };
			uint8_t f[256], inner[160];
			struct pkt_spec in;
			uint32_t len, hash;
			unsigned int report;
			int q;

			/* one outer flow (10.0.0.1:40000 > 10.0.0.2:4789), random inner ones */
			memset(&in, 0, sizeof(in));
			in.ipver = 4;
			in.l4 = IPPROTO_TCP;
			rnd_addr(in.src);
			rnd_addr(in.dst);
			in.sport = (uint16_t)rnd();
			in.dport = (uint16_t)rnd();
			len = pkt_encap(&vx, inner, pkt_build(&in, inner, sizeof(inner)), f, sizeof(f));
			q = roundtrip(&r, f, len, buf, sizeof(buf), &skipped);
			if (q < 0) {
				lost++;
				continue;
			}
			report = vnet_hash_frame_tunnel(&key.model, rc.hash_types, tt,
							buf + hdr_len, len, &hash);
			if (q != (int)vnet_hash_rss_queue(&rc, hash, report) && bad++ < 5)
				check_diag("inner flow %u: queue %d, lib %u (%s)", i, q,
					   vnet_hash_rss_queue(&rc, hash, report),
					   vnet_hash_report_name(report));
			mask |= 1u << q;
		}
		nq = (unsigned int)__builtin_popcount(mask);
		check_ok(lost == 0 && bad == 0,
			 "VXLAN %s: 64 inner flows of one outer flow, each on lib's queue "
			 "(%u lost, %u not)", on ? "enabled" : "not enabled", lost, bad);
		if (on)
			check_ok(nq == (unsigned int)queues,
				 "VXLAN enabled: the inner flows on all %d queues (%u)", queues, nq);
		else
			check_ok(nq == 1, "VXLAN not enabled: the inner flows on one queue (%u)",
				 nq);
	}
	return 0;
}

/* Send frames into r, each must come back with lib's answer (on queue
 * want_q unless it is negative).  Returns the number of failures. */
static unsigned int
check_frames(struct rig *r, const char *what, unsigned int frames, int want_q,
	     const struct vnet_hash_config *hc)
{
	static uint8_t buf[4096];
	unsigned int i, bad = 0, lost = 0, skipped = 0;

	for (i = 0; i < frames; i++) {
		uint8_t frame[1600];
		uint32_t len = rnd_frame(frame, sizeof(frame), true), hash;
		unsigned int report;
		struct vnet_hdr h;
		int q = roundtrip(r, frame, len, buf, sizeof(buf), &skipped);

		if (q < 0) {
			lost++;
			continue;
		}
		vnet_hdr_decode(&h, buf, VNET_HDR_LEN_HASH, true);
		report = vnet_hash_frame(&hc->key, hc->hash_types, buf + hdr_len, len,
					 &hash);
		if (h.hash_report != report || h.hash_value != hash ||
		    (want_q >= 0 && q != want_q)) {
			if (bad++ < 5)
				check_diag("%s frame %u: queue %d kernel %s 0x%08x, lib %s 0x%08x", what,
					 i, q, vnet_hash_report_name(h.hash_report), h.hash_value,
					 vnet_hash_report_name(report), hash);
		}
	}
	check_ok(lost == 0 && bad == 0, "%s: %u frames, %u lost, %u wrong", what, frames, lost,
	       bad);
	return lost + bad;
}

/* kbpf_xdp_redirect(), or the verifier's log and exit */
static int
xdp_redirect(const char *dev, int ifindex)
{
	static char log[4096];
	int link = kbpf_xdp_redirect(dev, ifindex, log, sizeof(log));

	if (link < 0) {
		fprintf(stderr, "%s\n", log);
		die("XDP redirect program (BPF_PROG_LOAD, BPF_LINK_CREATE in driver mode)");
	}
	return link;
}

/* kbpf_steering(), or exit */
static int
steering_prog(int queue)
{
	int fd = kbpf_steering(queue);

	if (fd < 0)
		die("BPF_PROG_LOAD (socket filter)");
	return fd;
}

static int
check_paths(unsigned int frames)
{
	static struct vnet_hash_rss rc;
	struct vnet_hash_config hc;
	uint8_t raw[VNET_HASH_KEY_MIN];
	struct rig r, x;
	unsigned int j;
	int link, prog, none = -1;

	rig_up(&r, 4);
	for (j = 0; j < sizeof(raw); j++)
		raw[j] = (uint8_t)rnd();
	hc.hash_types = VNET_HASH_TYPE_ALL;
	vnet_hash_key_set(&hc.key, raw, sizeof(raw));
	if (!check_ok(vnet_hash_tun_set_hash(r.fd[0], &hc) == 0, "report-only config"))
		return 1;

	/* TC picks the queue: skbedit queue_mapping on egress */
	run("tc qdisc add dev " IFNAME " clsact");
	run("tc filter add dev " IFNAME " egress protocol all flower "
	    "action skbedit queue_mapping 2");
	check_frames(&r, "TC skbedit queue_mapping 2", frames, 2, &hc);

	/* XDP on a veth redirects into the tap: ndo_xdp_xmit, xdp_frame path */
	run("ip link add hthx0 type veth peer name hthx1");
	sysctl_write("/proc/sys/net/ipv6/conf/hthx0/disable_ipv6", "1");
	sysctl_write("/proc/sys/net/ipv6/conf/hthx1/disable_ipv6", "1");
	link = xdp_redirect("hthx1", r.to.sll_ifindex);
	link_up("hthx1");
	x = r;
	x.to.sll_ifindex = link_up("hthx0");
	check_frames(&x, "XDP redirect into the tap", frames, -1, &hc);

	/* RSS names queue 3: over TC's choice, and for XDP frames too */
	memset(&rc, 0, sizeof(rc));
	rc.hash_types = VNET_HASH_TYPE_ALL;
	rc.reta_size = 4;
	rc.max_tx_vq = 5;
	rc.reta[0] = rc.reta[1] = rc.reta[2] = rc.reta[3] = 3;
	rc.unclassified_queue = 3;
	rc.key = hc.key;
	check_ok(vnet_hash_tun_set_rss(r.fd[0], &rc) == 0, "RSS: every entry names queue 3");
	check_frames(&r, "RSS over TC's queue_mapping 2: queue 3", frames / 2, 3, &hc);
	check_frames(&x, "RSS steers XDP frames: queue 3", frames / 2, 3, &hc);
	run("tc qdisc del dev " IFNAME " clsact");
	close(link);

	/* a fifth queue attached after the configuration gets its number, 4 */
	rc.reta[0] = rc.reta[1] = rc.reta[2] = rc.reta[3] = 4;
	rc.unclassified_queue = 4;
	check_ok(vnet_hash_tun_set_rss(r.fd[0], &rc) == 0, "RSS: every entry names queue 4");
	r.fd[4] = tap_open(IFNAME, IFF_TAP | IFF_NO_PI | IFF_VNET_HDR | IFF_MULTI_QUEUE);
	{
		int sz = hdr_len;

		if (ioctl(r.fd[4], TUNSETVNETHDRSZ, &sz) != 0)
			die("TUNSETVNETHDRSZ");
	}
	r.q = 5;
	check_frames(&r, "queue 4 attached after the configuration", frames / 2, 4, &hc);

	/* a steering program wins over RSS; the report stays */
	prog = steering_prog(1);
	if (!check_ok(ioctl(r.fd[0], TUNSETSTEERINGEBPF, &prog) == 0,
		    "TUNSETSTEERINGEBPF: a program answering queue 1"))
		return 1;
	check_frames(&r, "steering eBPF over RSS: queue 1", frames / 2, 1, &hc);
	check_ok(ioctl(r.fd[0], TUNSETSTEERINGEBPF, &none) == 0, "steering program detached");
	check_frames(&r, "RSS again: queue 4", frames / 2, 4, &hc);
	return 0;
}

/*
 * Reporting never configured: digests of what the reader gets, read into
 * a buffer filled with 0xaa.  "digest" covers every frame and the 10 header
 * bytes every kernel writes; "header" the whole 20-byte headers, whose
 * bytes 10 to 19 an unpatched 6.12 leaves as the reader's buffer had them.
 */
static int
digest_off(unsigned int frames)
{
	static uint8_t buf[4096];
	uint64_t d = 1469598103934665603ull, h = d;
	unsigned int i, lost = 0, skipped = 0, zero = 0;
	struct rig r;

	rig_up(&r, 1);
	for (i = 0; i < frames; i++) {
		uint8_t frame[1600];
		uint32_t len = rnd_frame(frame, sizeof(frame), false), j;
		bool z = true;

		if (roundtrip(&r, frame, len, buf, sizeof(buf), &skipped) < 0) {
			lost++;
			continue;
		}
		for (j = 0; j < len + VNET_HDR_LEN_HASH; j++) {
			if (j < sizeof(struct virtio_net_hdr) || j >= VNET_HDR_LEN_HASH)
				d = (d ^ buf[j]) * 1099511628211ull;
			if (j < VNET_HDR_LEN_HASH)
				h = (h ^ buf[j]) * 1099511628211ull;
			if (j >= 12 && j < VNET_HDR_LEN_HASH && buf[j])
				z = false;
		}
		zero += z;
	}
	printf("digest %016" PRIx64 " frames %u lost %u\n", d, frames, lost);
	printf("header %016" PRIx64 "\n", h);
	printf("zero-hash %u of %u\n", zero, frames - lost);
	return lost != 0;
}

/* TUNSETVNETRSS on the wire: table of @n entries @q, max_tx_vq @m, key @k */
static unsigned int
rss_buf(uint8_t *b, uint32_t types, unsigned int n, uint16_t q, uint16_t uq, uint16_t m,
	unsigned int k)
{
	unsigned int i, t = 8 + 2 * n;

	memset(b, 0, t + 3 + k);
	b[0] = (uint8_t)types, b[1] = (uint8_t)(types >> 8);
	b[4] = (uint8_t)(n - 1), b[5] = (uint8_t)((n - 1) >> 8);
	b[6] = (uint8_t)uq;
	for (i = 0; i < n; i++)
		b[8 + 2 * i] = (uint8_t)q, b[9 + 2 * i] = (uint8_t)(q >> 8);
	b[t] = (uint8_t)m, b[t + 1] = (uint8_t)(m >> 8);
	b[t + 2] = (uint8_t)k;
	memset(b + t + 3, 0x5a, k);
	return t + 3 + k;
}

static void
expect_errno(int fd, unsigned long req, void *arg, int err, const char *what)
{
	int ret = ioctl(fd, req, arg);

	check_ok(ret == -1 && errno == err, "%s: %s (got %d, %s)", what, strerror(err), ret,
	       ret ? strerror(errno) : "success");
}

/* TUNSETVNETHASHTUNNEL and TUNGETVNETHASHTUNNEL on a queue @fd */
static void
check_tunnel_ioctls(int fd, const char *what)
{
	static const uint32_t bad[] = { 1u << 9, 0x3ff, 1u << 31, 0xffffffffu, 0x1000 };
	uint8_t cfg[13 + 40] = { 0xff, 0x01 };
	uint8_t rss[8 + 2 + 3] = { 0 };
	unsigned int i;
	int64_t got;
	int ret, other;

	got = get_tunnel_raw(fd);
	check_ok(got == 0, "%s: TUNGETVNETHASHTUNNEL: 0 at first (%" PRId64 ")", what, got);
	check_ok(set_tunnel_raw(fd, VNET_HASH_TUNNEL_ALL) == 0 &&
		 get_tunnel_raw(fd) == VNET_HASH_TUNNEL_ALL,
		 "%s: TUNSETVNETHASHTUNNEL 0x1ff, read back", what);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ret = set_tunnel_raw(fd, bad[i]);
		got = get_tunnel_raw(fd);
		check_ok(ret == -EINVAL && got == VNET_HASH_TUNNEL_ALL,
			 "%s: TUNSETVNETHASHTUNNEL 0x%x: EINVAL, nothing changed (%d, 0x%" PRIx64 ")",
			 what, bad[i], ret, got);
	}
	expect_errno(fd, VNET_HASH_TUNSETVNETHASHTUNNEL, NULL, EFAULT,
		     "TUNSETVNETHASHTUNNEL: NULL");
	expect_errno(fd, VNET_HASH_TUNGETVNETHASHTUNNEL, NULL, EFAULT,
		     "TUNGETVNETHASHTUNNEL: NULL");
	check_ok(set_tunnel_raw(fd, VNET_HASH_TUNNEL_VXLAN | VNET_HASH_TUNNEL_NVGRE) == 0 &&
		 get_tunnel_raw(fd) == (VNET_HASH_TUNNEL_VXLAN | VNET_HASH_TUNNEL_NVGRE),
		 "%s: TUNSETVNETHASHTUNNEL VXLAN|NVGRE, read back", what);
	/* the hash and RSS configurations leave it as it is */
	cfg[12] = 40;
	check_ok(ioctl(fd, VNET_HASH_TUNSETVNETHASH, cfg) == 0, "%s: TUNSETVNETHASH", what);
	/* RSS off: types 0, a table of one entry, no key */
	check_ok(ioctl(fd, VNET_HASH_TUNSETVNETRSS, rss) == 0, "%s: TUNSETVNETRSS off", what);
	memset(cfg, 0, sizeof(cfg));
	check_ok(ioctl(fd, VNET_HASH_TUNSETVNETHASH, cfg) == 0, "%s: TUNSETVNETHASH off", what);
	got = get_tunnel_raw(fd);
	check_ok(got == (VNET_HASH_TUNNEL_VXLAN | VNET_HASH_TUNNEL_NVGRE),
		 "%s: the tunnel types outlive hash and RSS going off (0x%" PRIx64 ")", what, got);
	check_ok(set_tunnel_raw(fd, 0) == 0 && get_tunnel_raw(fd) == 0,
		 "%s: TUNSETVNETHASHTUNNEL 0: off, read back", what);
	/* other file types do not take them */
	other = open("/dev/null", O_RDWR);
	ret = set_tunnel_raw(other, VNET_HASH_TUNNEL_VXLAN);
	check_ok(ret == -ENOTTY, "%s: TUNSETVNETHASHTUNNEL on /dev/null: ENOTTY (%d)", what, ret);
	close(other);
	other = socket(AF_INET, SOCK_DGRAM, 0);
	ret = set_tunnel_raw(other, VNET_HASH_TUNNEL_VXLAN);
	got = get_tunnel_raw(other);
	check_ok(ret == -ENOTTY && got == -ENOTTY,
		 "%s: the tunnel ioctls on a UDP socket: ENOTTY (%d, %" PRId64 ")", what, ret, got);
	close(other);
}

static int
check_errors(void)
{
	static uint8_t rss[8 + 2 * 2048 + 3 + 64], back[8 + 2 * 2048 + 3 + 64];
	uint8_t cfg[13 + 64] = { 0xff, 0x01 };
	struct vnet_hash_cap cap = { 0 };
	int fd, tap, sz = VNET_HDR_LEN_HASH, ret;
	unsigned int n;
	char path[64];

	fd = open("/dev/net/tun", O_RDWR);
	if (fd < 0)
		die("/dev/net/tun");
	ret = vnet_hash_tun_probe(fd, &cap);
	check_ok(ret == 0 && cap.supported_hash_types == 0x1ff &&
	       cap.max_key_size == 40 && cap.max_table_length == 1024,
	       "TUNGETVNETHASHCAP on an unattached fd: types 0x%x key %u table %u",
	       cap.supported_hash_types, cap.max_key_size, cap.max_table_length);
	expect_errno(fd, VNET_HASH_TUNGETVNETHASHCAP, NULL, EFAULT, "TUNGETVNETHASHCAP to NULL");
	check_ok(ret == 0 && cap.supported_tunnel_types == VNET_HASH_TUNNEL_ALL,
	       "TUNGETVNETHASHCAP: supported_tunnel_types 0x%x", cap.supported_tunnel_types);
	ret = set_tunnel_raw(fd, 1);
	check_ok(ret == -EBADFD, "TUNSETVNETHASHTUNNEL without a device: EBADFD (%d)", ret);
	check_ok(get_tunnel_raw(fd) == -EBADFD, "TUNGETVNETHASHTUNNEL without a device: EBADFD");
	cfg[12] = 40;
	rss_buf(rss, 0x1ff, 4, 0, 0, 1, 40);
	expect_errno(fd, VNET_HASH_TUNSETVNETHASH, cfg, EBADFD, "TUNSETVNETHASH without a device");
	expect_errno(fd, VNET_HASH_TUNSETVNETRSS, rss, EBADFD, "TUNSETVNETRSS without a device");
	expect_errno(fd, VNET_HASH_TUNGETVNETHASH, back, EBADFD, "TUNGETVNETHASH without a device");
	expect_errno(fd, VNET_HASH_TUNGETVNETRSS, back, EBADFD, "TUNGETVNETRSS without a device");
	close(fd);

	tap = tap_open("hterr0", IFF_TAP | IFF_NO_PI | IFF_VNET_HDR);
	if (ioctl(tap, TUNSETVNETHDRSZ, &sz) != 0)
		die("TUNSETVNETHDRSZ");
	check_ok(ioctl(tap, VNET_HASH_TUNSETVNETHASH, cfg) == 0, "TUNSETVNETHASH: all types, key 40");
	cfg[12] = 1;
	check_ok(ioctl(tap, VNET_HASH_TUNSETVNETHASH, cfg) == 0, "TUNSETVNETHASH: key 1 (accepted)");
	cfg[12] = 39;
	check_ok(ioctl(tap, VNET_HASH_TUNSETVNETHASH, cfg) == 0, "TUNSETVNETHASH: key 39 (accepted)");
	cfg[1] = 0x03;
	expect_errno(tap, VNET_HASH_TUNSETVNETHASH, cfg, EINVAL, "TUNSETVNETHASH: type bit 9");
	cfg[1] = 0x01;
	cfg[12] = 41;
	expect_errno(tap, VNET_HASH_TUNSETVNETHASH, cfg, EINVAL,
		     "TUNSETVNETHASH: 41-byte key (above rss_max_key_size)");
	cfg[12] = 0;
	expect_errno(tap, VNET_HASH_TUNSETVNETHASH, cfg, EINVAL, "TUNSETVNETHASH: types, no key");
	expect_errno(tap, VNET_HASH_TUNSETVNETHASH, NULL, EFAULT, "TUNSETVNETHASH: NULL");
	expect_errno(tap, VNET_HASH_TUNGETVNETHASH, NULL, EFAULT, "TUNGETVNETHASH: NULL");
	/* the last good configuration is still there */
	memset(back, 0, sizeof(back));
	check_ok(ioctl(tap, VNET_HASH_TUNGETVNETHASH, back) == 0 && back[0] == 0xff &&
	       back[1] == 1 && back[12] == 39, "TUNGETVNETHASH: the last accepted one (key %u)",
	       back[12]);
	memset(cfg, 0, sizeof(cfg));
	check_ok(ioctl(tap, VNET_HASH_TUNSETVNETHASH, cfg) == 0, "TUNSETVNETHASH: types 0, no key");

	n = rss_buf(rss, 0x1ff, 4, 0, 0, 1, 40);
	check_ok(ioctl(tap, VNET_HASH_TUNSETVNETRSS, rss) == 0, "TUNSETVNETRSS: table 4, key 40");
	memset(back, 0, sizeof(back));
	check_ok(ioctl(tap, VNET_HASH_TUNGETVNETRSS, back) == 0 && !memcmp(back, rss, n),
	       "TUNGETVNETRSS: what was set");
	rss_buf(rss, 0x1ff, 4, 0, 0, 1, 20);
	check_ok(ioctl(tap, VNET_HASH_TUNSETVNETRSS, rss) == 0, "TUNSETVNETRSS: key 20 (accepted)");
	rss_buf(rss, 0x1ff, 4, 0, 0, 1, 41);
	expect_errno(tap, VNET_HASH_TUNSETVNETRSS, rss, EINVAL, "TUNSETVNETRSS: 41-byte key");
	rss_buf(rss, 0x1ff, 4, 0, 0, 1, 0);
	expect_errno(tap, VNET_HASH_TUNSETVNETRSS, rss, EINVAL, "TUNSETVNETRSS: types, no key");
	rss_buf(rss, 0x1ff, 3, 0, 0, 1, 40);
	rss[4] = 2;
	expect_errno(tap, VNET_HASH_TUNSETVNETRSS, rss, EINVAL, "TUNSETVNETRSS: table of 3");
	rss_buf(rss, 0x1ff, 2048, 0, 0, 1, 40);
	expect_errno(tap, VNET_HASH_TUNSETVNETRSS, rss, EINVAL, "TUNSETVNETRSS: table of 2048");
	rss_buf(rss, 0x3ff, 4, 0, 0, 1, 40);
	expect_errno(tap, VNET_HASH_TUNSETVNETRSS, rss, EINVAL, "TUNSETVNETRSS: type bit 9");
	rss_buf(rss, 0x1ff, 4, 0, 0, 0, 40);
	expect_errno(tap, VNET_HASH_TUNSETVNETRSS, rss, EINVAL, "TUNSETVNETRSS: max_tx_vq 0");
	rss_buf(rss, 0x1ff, 4, 0, 0, 257, 40);
	expect_errno(tap, VNET_HASH_TUNSETVNETRSS, rss, EINVAL, "TUNSETVNETRSS: max_tx_vq 257");
	rss_buf(rss, 0x1ff, 4, 2, 0, 2, 40);
	expect_errno(tap, VNET_HASH_TUNSETVNETRSS, rss, EINVAL,
		     "TUNSETVNETRSS: table entry 2, max_tx_vq 2");
	rss_buf(rss, 0x1ff, 4, 1, 2, 2, 40);
	expect_errno(tap, VNET_HASH_TUNSETVNETRSS, rss, EINVAL,
		     "TUNSETVNETRSS: unclassified_queue 2, max_tx_vq 2");
	expect_errno(tap, VNET_HASH_TUNSETVNETRSS, NULL, EFAULT, "TUNSETVNETRSS: NULL");
	expect_errno(tap, VNET_HASH_TUNGETVNETRSS, NULL, EFAULT, "TUNGETVNETRSS: NULL");
	rss_buf(rss, 0, 1, 0, 0, 0, 0);
	check_ok(ioctl(tap, VNET_HASH_TUNSETVNETRSS, rss) == 0,
	       "TUNSETVNETRSS: types 0, no key: off (queues not checked)");

	/* the tunnel types: off at first, bits outside 0x1ff refused */
	check_tunnel_ioctls(tap, "tun");

	/* the device deleted under the fd */
	run("ip link del hterr0");
	cfg[12] = 40, cfg[0] = 1;
	expect_errno(tap, VNET_HASH_TUNSETVNETHASH, cfg, EBADFD,
		     "TUNSETVNETHASH after the device was deleted");
	close(tap);

	/* the same on a macvtap queue */
	run("ip link add hthe0 type veth peer name hthe1");
	run("ip link add link hthe0 name htherr1 type macvtap");
	snprintf(path, sizeof(path), "/dev/tap%u", if_nametoindex("htherr1"));
	tap = open(path, O_RDWR);
	if (tap < 0)
		die(path);
	check_ok(ioctl(tap, VNET_HASH_TUNSETVNETHASH, cfg) == 0, "macvtap: TUNSETVNETHASH");
	cfg[1] = 0x03;
	expect_errno(tap, VNET_HASH_TUNSETVNETHASH, cfg, EINVAL, "macvtap: TUNSETVNETHASH type bit 9");
	cfg[1] = 0x01;
	rss_buf(rss, 0x1ff, 4, 0, 0, 1, 40);
	check_ok(ioctl(tap, VNET_HASH_TUNSETVNETRSS, rss) == 0, "macvtap: TUNSETVNETRSS");
	rss[4] = 2;
	expect_errno(tap, VNET_HASH_TUNSETVNETRSS, rss, EINVAL, "macvtap: TUNSETVNETRSS table of 3");
	check_ok(ioctl(tap, VNET_HASH_TUNGETVNETHASHCAP, &cap) == 0, "macvtap: TUNGETVNETHASHCAP");
	check_tunnel_ioctls(tap, "macvtap");
	run("ip link del htherr1");
	ret = set_tunnel_raw(tap, 1);
	check_ok(ret == -EBADFD, "macvtap: TUNSETVNETHASHTUNNEL after the device was deleted (%d)",
		 ret);
	expect_errno(tap, VNET_HASH_TUNSETVNETHASH, cfg, EBADFD,
		     "macvtap: TUNSETVNETHASH after the device was deleted");
	close(tap);
	return 0;
}

int
main(int argc, char **argv)
{
	unsigned int frames = 2000;
	int queues = 4, c, fd;
	bool macvtap = false;
	const char *mode;
	struct vnet_hash_cap cap;

	if (argc < 2) {
		fprintf(stderr, "usage: %s probe|report|rss|off|errors|paths|spread [-n N] [-s SEED] [-q Q] "
			"[-m] [-H HDR] [-T]\n",
			argv[0]);
		return 2;
	}
	mode = argv[1];
	optind = 2;
	while ((c = getopt(argc, argv, "n:s:q:mH:T")) != -1) {
		switch (c) {
		case 'T':
			tunnels = true;
			break;
		case 'H':
			hdr_len = atoi(optarg);
			if (hdr_len < (int)VNET_HDR_LEN_HASH || hdr_len > 64)
				return 2;
			break;
		case 'm':
			macvtap = true;
			break;
		case 'n':
			frames = (unsigned int)strtoul(optarg, NULL, 0);
			break;
		case 's':
			rnd_seed(strtoull(optarg, NULL, 0));
			break;
		case 'q':
			queues = atoi(optarg);
			if (queues < 1 || queues > MAX_QUEUES)
				return 2;
			break;
		default:
			return 2;
		}
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (strcmp(mode, "probe") == 0) {
		fd = open("/dev/net/tun", O_RDWR);
		if (fd < 0)
			die("/dev/net/tun");
		c = vnet_hash_tun_probe(fd, &cap);
		if (c != 0) {
			printf("absent (%s)\n", strerror(-c));
			return 3;
		}
		printf("present: types 0x%x key %u table %u\n", cap.supported_hash_types,
		       cap.max_key_size, cap.max_table_length);
		return 0;
	}
	if (strcmp(mode, "off") == 0)
		return digest_off(frames);
	if (strcmp(mode, "errors") == 0)
		check_errors();
	else if (strcmp(mode, "paths") == 0)
		check_paths(frames);
	else if (strcmp(mode, "spread") == 0)
		check_spread(queues, macvtap);
	else if (strcmp(mode, "report") == 0 || strcmp(mode, "rss") == 0)
		check_traffic(frames, queues, strcmp(mode, "rss") == 0, macvtap);
	else
		return 2;
	return check_done();
}
