/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 hashtap authors
 *
 * vhost_net with VIRTIO_NET_F_HASH_REPORT, run inside the test kernel: a
 * minimal vhost driver (identity memory map, one split rx ring) over a tap
 * with hashing on; frames sent into the tap through AF_PACKET must land in
 * the ring behind a 20-byte header carrying lib/vnet_hash's report.
 * TAP output.
 *
 *   vhost-hash-check [-n FRAMES] [-s SEED]
 *   vhost-hash-check offered     exit 0 if vhost_net offers the feature, 3 if not
 */

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <net/if.h>
#include <linux/if_packet.h>
#include <linux/if_tun.h>
#include <linux/vhost.h>
#include <linux/virtio_ring.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>

#include "pkt.h"
#include "check.h"
#include "vnet_hash.h"
#include "vnet_hash_tun.h"
#include "vnet_hdr.h"

#define DEV		"hthvh0"
#define QSZ		256
#define BUFSZ		2048
#define F_MRG_RXBUF	15
#define F_VERSION_1	32
#define F_HASH_REPORT	57

static void
die(const char *what)
{
	perror(what);
	exit(2);
}

static void
xioctl(int fd, unsigned long req, void *arg, const char *what)
{
	if (ioctl(fd, req, arg) != 0)
		die(what);
}

struct ring {
	struct vring_desc *desc;
	struct vring_avail *avail;
	struct vring_used *used;
	uint8_t *bufs;
	uint16_t last_used;
};

static int
open_vhost(uint64_t *features)
{
	int fd = open("/dev/vhost-net", O_RDWR);

	if (fd < 0)
		die("/dev/vhost-net");
	xioctl(fd, VHOST_SET_OWNER, NULL, "VHOST_SET_OWNER");
	xioctl(fd, VHOST_GET_FEATURES, features, "VHOST_GET_FEATURES");
	return fd;
}

int
main(int argc, char **argv)
{
	unsigned int frames = 500, i, bad = 0, lost = 0, seed = 1;
	uint64_t features, want;
	struct vhost_memory *mem;
	struct vhost_vring_state st;
	struct vhost_vring_addr addr;
	struct vhost_vring_file vf;
	struct vnet_hash_config hc;
	struct sockaddr_ll to;
	struct ifreq ifr;
	struct ring r;
	uint8_t *area;
	size_t area_len = 4u << 20;
	int vfd, tap, pkt, kick, call, sz = VNET_HDR_LEN_HASH, c;

	if (argc > 1 && strcmp(argv[1], "offered") == 0) {
		vfd = open_vhost(&features);
		printf("vhost_net features 0x%llx: VIRTIO_NET_F_HASH_REPORT %s\n",
		       (unsigned long long)features,
		       features >> F_HASH_REPORT & 1 ? "offered" : "not offered");
		return features >> F_HASH_REPORT & 1 ? 0 : 3;
	}
	while ((c = getopt(argc, argv, "n:s:")) != -1) {
		if (c == 'n')
			frames = (unsigned int)strtoul(optarg, NULL, 0);
		else if (c == 's')
			seed = (unsigned int)strtoul(optarg, NULL, 0);
		else
			return 2;
	}
	srand(seed);
	setvbuf(stdout, NULL, _IOLBF, 0);

	/* the tap: 20-byte header, hashing on with a random key */
	tap = open("/dev/net/tun", O_RDWR);
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, IFNAMSIZ, DEV);
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI | IFF_VNET_HDR;
	if (tap < 0 || ioctl(tap, TUNSETIFF, &ifr) != 0)
		die("tap");
	xioctl(tap, TUNSETVNETHDRSZ, &sz, "TUNSETVNETHDRSZ");
	{
		uint8_t raw[VNET_HASH_KEY_MIN];

		for (i = 0; i < sizeof(raw); i++)
			raw[i] = (uint8_t)rand();
		hc.hash_types = VNET_HASH_TYPE_ALL;
		vnet_hash_key_set(&hc.key, raw, sizeof(raw));
		if (vnet_hash_tun_set_hash(tap, &hc) != 0)
			die("TUNSETVNETHASH");
	}
	if (system("echo 1 >/proc/sys/net/ipv6/conf/" DEV "/disable_ipv6 && "
		   "ip link set " DEV " up") != 0)
		return 2;

	/* vhost: the feature, and the combination it refuses */
	vfd = open_vhost(&features);
	if (!check_ok(features >> F_HASH_REPORT & 1, "vhost_net offers VIRTIO_NET_F_HASH_REPORT"))
		return check_done();
	want = 1ull << F_VERSION_1 | 1ull << F_HASH_REPORT | 1ull << VHOST_NET_F_VIRTIO_NET_HDR;
	check_ok(ioctl(vfd, VHOST_SET_FEATURES, &want) == -1 && errno == EOPNOTSUPP,
	       "HASH_REPORT with VHOST_NET_F_VIRTIO_NET_HDR refused: EOPNOTSUPP");
	want = 1ull << F_VERSION_1 | 1ull << F_HASH_REPORT | 1ull << F_MRG_RXBUF;
	xioctl(vfd, VHOST_SET_FEATURES, &want, "VHOST_SET_FEATURES");

	/* memory: one region, guest physical == our virtual addresses */
	area = mmap(NULL, area_len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (area == MAP_FAILED)
		die("mmap");
	memset(area, 0, area_len);
	mem = calloc(1, sizeof(*mem) + sizeof(mem->regions[0]));
	mem->nregions = 1;
	mem->regions[0].guest_phys_addr = (uintptr_t)area;
	mem->regions[0].memory_size = area_len;
	mem->regions[0].userspace_addr = (uintptr_t)area;
	xioctl(vfd, VHOST_SET_MEM_TABLE, mem, "VHOST_SET_MEM_TABLE");

	/* the rx ring (queue 0) */
	r.desc = (void *)area;
	r.avail = (void *)(area + 16 * QSZ);
	r.used = (void *)(area + 16384);
	r.bufs = area + 65536;
	r.last_used = 0;
	for (i = 0; i < QSZ; i++) {
		r.desc[i].addr = (uintptr_t)(r.bufs + (size_t)i * BUFSZ);
		r.desc[i].len = BUFSZ;
		r.desc[i].flags = VRING_DESC_F_WRITE;
		r.avail->ring[i] = (uint16_t)i;
	}
	st.index = 0;
	st.num = QSZ;
	xioctl(vfd, VHOST_SET_VRING_NUM, &st, "VHOST_SET_VRING_NUM");
	st.num = 0;
	xioctl(vfd, VHOST_SET_VRING_BASE, &st, "VHOST_SET_VRING_BASE");
	memset(&addr, 0, sizeof(addr));
	addr.index = 0;
	addr.desc_user_addr = (uintptr_t)r.desc;
	addr.avail_user_addr = (uintptr_t)r.avail;
	addr.used_user_addr = (uintptr_t)r.used;
	xioctl(vfd, VHOST_SET_VRING_ADDR, &addr, "VHOST_SET_VRING_ADDR");
	kick = eventfd(0, 0);
	call = eventfd(0, EFD_NONBLOCK);
	vf.index = 0;
	vf.fd = kick;
	xioctl(vfd, VHOST_SET_VRING_KICK, &vf, "VHOST_SET_VRING_KICK");
	vf.fd = call;
	xioctl(vfd, VHOST_SET_VRING_CALL, &vf, "VHOST_SET_VRING_CALL");
	vf.fd = tap;
	xioctl(vfd, VHOST_NET_SET_BACKEND, &vf, "VHOST_NET_SET_BACKEND");
	__atomic_store_n(&r.avail->idx, (uint16_t)QSZ, __ATOMIC_RELEASE);
	if (eventfd_write(kick, 1) != 0)
		die("kick");

	pkt = socket(AF_PACKET, SOCK_RAW, 0);
	memset(&to, 0, sizeof(to));
	to.sll_family = AF_PACKET;
	to.sll_ifindex = (int)if_nametoindex(DEV);
	to.sll_halen = 6;
	for (i = 0; i < frames; i++) {
		struct pkt_spec s;
		uint8_t frame[512];
		uint32_t len, hash, id, used_len;
		unsigned int report, tries;
		struct vnet_hdr h;
		uint8_t *b;

		memset(&s, 0, sizeof(s));
		s.ipver = rand() % 2 ? 4 : 6;
		s.l4 = rand() % 2 ? IPPROTO_TCP : IPPROTO_UDP;
		for (c = 0; c < 16; c++) {
			s.src[c] = (uint8_t)rand();
			s.dst[c] = (uint8_t)rand();
		}
		s.sport = (uint16_t)rand();
		s.dport = (uint16_t)rand();
		s.nvlan = rand() % 4 == 0;
		s.tpid[0] = 0x8100;
		s.payload = (uint16_t)(rand() % 64);
		len = pkt_build(&s, frame, sizeof(frame));
		if (sendto(pkt, frame, len, 0, (struct sockaddr *)&to, sizeof(to)) != (ssize_t)len)
			die("sendto");
		for (tries = 0; tries < 1000; tries++) {
			if (__atomic_load_n(&r.used->idx, __ATOMIC_ACQUIRE) != r.last_used)
				break;
			usleep(1000);
		}
		if (tries == 1000) {
			lost++;
			continue;
		}
		id = r.used->ring[r.last_used % QSZ].id;
		used_len = r.used->ring[r.last_used % QSZ].len;
		r.last_used++;
		b = r.bufs + (size_t)id * BUFSZ;
		vnet_hdr_decode(&h, b, VNET_HDR_LEN_HASH, true);
		report = vnet_hash_frame(&hc.key, hc.hash_types, b + VNET_HDR_LEN_HASH, len, &hash);
		if (used_len != len + VNET_HDR_LEN_HASH || memcmp(b + VNET_HDR_LEN_HASH, frame, len) ||
		    h.hash_report != report || h.hash_value != hash || h.num_buffers != 1) {
			if (bad++ < 5)
				check_diag("frame %u: used len %u, ring %s 0x%08x nb %u, lib %s 0x%08x",
					 i, used_len, vnet_hash_report_name(h.hash_report),
					 h.hash_value, h.num_buffers, vnet_hash_report_name(report),
					 hash);
		}
		/* give the buffer back */
		r.avail->ring[(QSZ + i) % QSZ] = (uint16_t)id;
		__atomic_store_n(&r.avail->idx, (uint16_t)(QSZ + i + 1), __ATOMIC_RELEASE);
		if (eventfd_write(kick, 1) != 0)
			die("kick");
	}
	check_ok(lost == 0, "%u frames through vhost_net, %u never reached the ring", frames, lost);
	check_ok(bad == 0, "the ring's 20-byte headers carry lib/vnet_hash's report (%u wrong)", bad);
	return check_done();
}
