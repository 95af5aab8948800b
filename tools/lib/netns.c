/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 hashtap authors
 */

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <net/ethernet.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include "netns.h"

int
netns_fresh(const char *ns)
{
	char cmd[512];
	int rc;

	snprintf(cmd, sizeof(cmd), "ip netns del '%s' 2>/dev/null; ip netns add '%s' && ip -n '%s' link set lo up",
		 ns, ns, ns);
	rc = system(cmd);
	if (rc != 0)
		fprintf(stderr, "netns_fresh %s: %s: status %d\n", ns, cmd, rc);
	return rc == 0 ? 0 : -1;
}

static int orig = -1;

int
netns_enter(const char *ns)
{
	char path[128];
	int fd;

	if (orig < 0)
		orig = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	snprintf(path, sizeof(path), "/run/netns/%s", ns);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (orig < 0 || fd < 0 || setns(fd, CLONE_NEWNET) < 0) {
		fprintf(stderr, "# setns %s: %s\n", ns, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

void
netns_back(void)
{
	if (orig >= 0 && setns(orig, CLONE_NEWNET) < 0) {
		perror("setns back");
		exit(2);
	}
}

/*
 * The packet socket of both below: bound to ifname in ns, PACKET_AUXDATA;
 * with a filter (prog >= 0) made with protocol 0, the filter attached and
 * our own frames ignored before bind() (nothing queued unfiltered); else
 * made for ETH_P_ALL and, with fanout, in that fanout group.
 */
static int
packet_socket(const char *ns, const char *ifname, struct sockaddr_ll *to, int fanout, int prog)
{
	int fd, on = 1, err = 0;

	if (ns != NULL && netns_enter(ns) < 0)
		return -1;
	memset(to, 0, sizeof(*to));
	to->sll_family = AF_PACKET;
	to->sll_protocol = htons(ETH_P_ALL);
	to->sll_ifindex = (int)if_nametoindex(ifname);
	to->sll_halen = 6;
	fd = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK, prog >= 0 ? 0 : htons(ETH_P_ALL));
	if (fd < 0 || to->sll_ifindex == 0)
		err = errno ? errno : ENODEV;
	if (!err && prog >= 0 &&
	    (setsockopt(fd, SOL_SOCKET, SO_ATTACH_BPF, &prog, sizeof(prog)) < 0 ||
	     setsockopt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &on, sizeof(on)) < 0))
		err = errno;
	if (!err && (bind(fd, (struct sockaddr *)to, sizeof(*to)) < 0 ||
		     setsockopt(fd, SOL_PACKET, PACKET_AUXDATA, &on, sizeof(on)) < 0))
		err = errno;
	if (!err && fanout) {
		int arg = (fanout & 0xffff) | (PACKET_FANOUT_QM << 16);

		if (setsockopt(fd, SOL_PACKET, PACKET_FANOUT, &arg, sizeof(arg)) < 0)
			err = errno;
	}
	if (ns != NULL)
		netns_back();
	if (err) {
		fprintf(stderr, "# AF_PACKET%s on %s%s%s: %s\n", prog >= 0 ? " with a filter" : "",
			ifname, ns ? " in " : "", ns ? ns : "", strerror(err));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

int
netns_packet_socket(const char *ns, const char *ifname, struct sockaddr_ll *to, int fanout)
{
	return packet_socket(ns, ifname, to, fanout, -1);
}

int
netns_packet_socket_bpf(const char *ns, const char *ifname, struct sockaddr_ll *to, int prog)
{
	return packet_socket(ns, ifname, to, 0, prog);
}

int
netns_if_query(const char *ns, const char *ifname, unsigned long req, struct ifreq *ifr)
{
	int s, rc;

	if (ns != NULL && netns_enter(ns) < 0)
		return -1;
	s = socket(AF_INET, SOCK_DGRAM, 0);
	memset(ifr, 0, sizeof(*ifr));
	snprintf(ifr->ifr_name, IFNAMSIZ, "%s", ifname);
	rc = s < 0 ? -1 : ioctl(s, req, ifr);
	if (s >= 0)
		close(s);
	if (ns != NULL)
		netns_back();
	return rc;
}

bool
netns_if_exists(const char *ns, const char *ifname)
{
	struct ifreq ifr;

	return netns_if_query(ns, ifname, SIOCGIFINDEX, &ifr) == 0;
}
