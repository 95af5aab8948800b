/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 hashtap authors
 */

/*
 * The kernel side of a port: the tap or macvtap interface, its queue file
 * descriptors, and control through SIOC* ioctls and rtnetlink.
 *
 * A tap may be moved to another network namespace while the port holds it
 * (that is how a "VM" namespace gets one).  Its queue fds keep working;
 * names, ioctls and netlink must then be used in the namespace the device
 * is in now, which TUNGETDEVNETNS tells.  Control sockets are therefore
 * created inside that namespace (setns on the calling thread, and back),
 * and re-created when the device moves.  A macvtap interface stays where
 * it was found.
 */

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <netinet/in.h>
#include <net/if_arp.h>
#include <linux/bpf.h>
#include <linux/if_link.h>
#include <linux/if_tun.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sockios.h>

#include "hashtap.h"

#define TUN_DEV	"/dev/net/tun"

/* Run the following socket()/open() in namespace ns_fd (-1: stay). */
static int
ns_enter(int ns_fd, int *orig)
{
	*orig = -1;
	if (ns_fd < 0)
		return 0;
	*orig = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (*orig < 0)
		return -errno;
	if (setns(ns_fd, CLONE_NEWNET) < 0) {
		int err = -errno;

		close(*orig);
		*orig = -1;
		return err;
	}
	return 0;
}

static void
ns_leave(int orig)
{
	if (orig < 0)
		return;
	if (setns(orig, CLONE_NEWNET) < 0)
		HT_LOG(ERR, "cannot return to the original network namespace: %s",
		       strerror(errno));
	close(orig);
}

static ino_t
own_ns_ino(void)
{
	struct stat st;

	return stat("/proc/self/ns/net", &st) == 0 ? st.st_ino : 0;
}

static void
ctl_close(struct hashtap_ctl *ctl)
{
	if (ctl->sock >= 0)
		close(ctl->sock);
	if (ctl->nl >= 0)
		close(ctl->nl);
	if (ctl->ns_fd >= 0)
		close(ctl->ns_fd);
	ctl->sock = ctl->nl = ctl->ns_fd = -1;
	ctl->ns_ino = 0;
}

/* Control sockets in namespace ns_fd (taken over; -1: ours). */
static int
ctl_open(struct hashtap_ctl *ctl, int ns_fd, ino_t ino)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK, .nl_groups = RTMGRP_LINK };
	int orig, err;

	ctl->ns_fd = ns_fd;
	ctl->ns_ino = ino;
	ctl->sock = ctl->nl = -1;
	err = ns_enter(ns_fd, &orig);
	if (err < 0)
		return err;
	ctl->sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (ctl->sock < 0)
		err = -errno;
	ctl->nl = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, NETLINK_ROUTE);
	if (ctl->nl < 0 || bind(ctl->nl, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		err = -errno;
	ns_leave(orig);
	return err;
}

/* An SIOC* ioctl on the name we last knew. */
static int
ctl_ioctl_raw(struct pmd_internals *pmd, unsigned long req, struct ifreq *ifr)
{
	if (pmd->gone)
		return -ENODEV;
	strlcpy(ifr->ifr_name, pmd->ifname, IFNAMSIZ);
	return ioctl(pmd->ctl.sock, req, ifr) < 0 ? -errno : 0;
}

/*
 * An SIOC* ioctl on our interface: its name and namespace are asked again
 * first (from the tap's fd, or the macvtap's index), so that an interface
 * that took the old name after a rename or a move is never the one changed,
 * even before the link notification has been read.
 */
static int
ctl_ioctl(struct pmd_internals *pmd, unsigned long req, struct ifreq *ifr)
{
	int err = hashtap_netif_refresh(pmd);

	return err < 0 ? err : ctl_ioctl_raw(pmd, req, ifr);
}

static int
epoll_swap(struct pmd_internals *pmd, int old_fd, int new_fd)
{
	struct epoll_event ev = { .events = EPOLLIN };
	int ep = rte_intr_fd_get(pmd->intr);

	if (ep < 0)
		return 0;
	if (old_fd >= 0)
		epoll_ctl(ep, EPOLL_CTL_DEL, old_fd, NULL);
	ev.data.fd = new_fd;
	if (new_fd >= 0 && epoll_ctl(ep, EPOLL_CTL_ADD, new_fd, &ev) < 0)
		return -errno;
	return 0;
}

/*
 * Find the device again after a move or a rename: name and namespace from
 * the tun fd, index in that namespace.  Marks the port gone when the
 * interface no longer exists.
 */
int
hashtap_netif_refresh(struct pmd_internals *pmd)
{
	struct ifreq ifr;
	struct stat st;
	int ns, err;

	if (pmd->gone)
		return -ENODEV;
	memset(&ifr, 0, sizeof(ifr));
	if (pmd->macvtap) {
		ifr.ifr_ifindex = pmd->ifindex;
		if (ioctl(pmd->ctl.sock, SIOCGIFNAME, &ifr) < 0) {
			pmd->gone = true;
			HT_LOG(WARNING, "%s: macvtap interface %d is gone", pmd->devname,
			       pmd->ifindex);
			return -ENODEV;
		}
		strlcpy(pmd->ifname, ifr.ifr_name, sizeof(pmd->ifname));
		return 0;
	}
	if (ioctl(pmd->qfd[0], TUNGETIFF, &ifr) < 0) {
		err = -errno;
		if (err == -EBADFD || err == -ENODEV) {
			pmd->gone = true;
			HT_LOG(WARNING, "%s: tap %s was deleted", pmd->devname, pmd->ifname);
		}
		return err;
	}
	strlcpy(pmd->ifname, ifr.ifr_name, sizeof(pmd->ifname));
	ns = ioctl(pmd->qfd[0], TUNGETDEVNETNS);
	if (ns >= 0) {
		if (fstat(ns, &st) == 0 && st.st_ino != pmd->ctl.ns_ino) {
			struct hashtap_ctl nctl;
			int old_nl = pmd->ctl.nl;

			if (st.st_ino == own_ns_ino()) {
				close(ns);
				ns = -1;
			}
			err = ctl_open(&nctl, ns, st.st_ino);
			if (err < 0) {
				ctl_close(&nctl);
				return err;
			}
			epoll_swap(pmd, old_nl, nctl.nl);
			ctl_close(&pmd->ctl);
			pmd->ctl = nctl;
			HT_LOG(INFO, "%s: %s is now in network namespace %lu", pmd->devname,
			       pmd->ifname, (unsigned long)st.st_ino);
		} else {
			close(ns);
		}
	}
	memset(&ifr, 0, sizeof(ifr));
	err = ctl_ioctl_raw(pmd, SIOCGIFINDEX, &ifr);
	if (err == 0)
		pmd->ifindex = ifr.ifr_ifindex;
	return err;
}

/* What rtnetlink says of a link, of a tun/tap (IFLA_INFO_DATA of kind "tun") more. */
struct tun_link {
	bool is_tun;
	bool multi_queue;
	bool carrier;		/**< a tap has carrier while a queue is attached */
	uint32_t queues;	/**< attached queues (multi-queue only) */
	uint32_t disabled;	/**< detached queues (multi-queue only) */
	uint32_t mtu;		/**< IFLA_MTU */
	uint32_t max_mtu;	/**< IFLA_MAX_MTU (0: not said) */
	int lower;		/**< IFLA_LINK in the same namespace (a macvtap's lower device), or 0 */
};

/* The payload of attribute type `type` among the attributes at p..p+len. */
static const void *
nla_find(const uint8_t *p, size_t len, uint16_t type, uint16_t *plen)
{
	while (len >= sizeof(struct rtattr)) {
		const struct rtattr *a = (const struct rtattr *)p;
		size_t alen = a->rta_len, step = RTA_ALIGN(alen);

		if (alen < sizeof(*a) || alen > len)
			break;
		if ((a->rta_type & NLA_TYPE_MASK) == type) {
			*plen = (uint16_t)(alen - RTA_LENGTH(0));
			return p + RTA_LENGTH(0);
		}
		if (step >= len)
			break;
		p += step;
		len -= step;
	}
	return NULL;
}

static uint32_t
nla_u32(const uint8_t *p, size_t len, uint16_t type)
{
	uint16_t n;
	const void *v = nla_find(p, len, type, &n);
	uint32_t x = 0;

	if (v != NULL && n >= sizeof(x))
		memcpy(&x, v, sizeof(x));
	return x;
}

/* RTM_GETLINK for ifindex in the control namespace. */
static int
tun_link_get(struct pmd_internals *pmd, int ifindex, struct tun_link *tl)
{
	struct {
		struct nlmsghdr nh;
		struct ifinfomsg ifi;
	} req = {
		.nh = { .nlmsg_len = sizeof(req), .nlmsg_type = RTM_GETLINK,
			.nlmsg_flags = NLM_F_REQUEST, .nlmsg_seq = 1 },
		.ifi = { .ifi_family = AF_UNSPEC, .ifi_index = ifindex },
	};
	char buf[16384] __rte_aligned(sizeof(struct nlmsghdr));
	const struct nlmsghdr *nh = (const struct nlmsghdr *)buf;
	const uint8_t *li, *data, *kind;
	uint16_t li_len, data_len, kind_len;
	int sk, orig, err;
	ssize_t n;

	memset(tl, 0, sizeof(*tl));
	err = ns_enter(pmd->ctl.ns_fd, &orig);
	if (err < 0)
		return err;
	sk = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	err = sk < 0 ? -errno : 0;
	ns_leave(orig);
	if (sk < 0)
		return err;
	if (send(sk, &req, sizeof(req), 0) < 0)
		err = -errno;
	else if ((n = recv(sk, buf, sizeof(buf), 0)) < 0)
		err = -errno;
	else if ((size_t)n < sizeof(*nh) || nh->nlmsg_len > (size_t)n || nh->nlmsg_len < sizeof(*nh))
		err = -EIO;
	else if (nh->nlmsg_type == NLMSG_ERROR)
		err = nh->nlmsg_len >= NLMSG_LENGTH(sizeof(struct nlmsgerr)) ?
			((const struct nlmsgerr *)NLMSG_DATA(nh))->error : -EIO;
	else if (nh->nlmsg_type != RTM_NEWLINK || nh->nlmsg_len < NLMSG_LENGTH(sizeof(req.ifi)))
		err = -EIO;
	close(sk);
	if (err < 0)
		return err;
	{
		const uint8_t *a = (const uint8_t *)NLMSG_DATA(nh) + NLMSG_ALIGN(sizeof(req.ifi));
		size_t alen = nh->nlmsg_len - NLMSG_LENGTH(NLMSG_ALIGN(sizeof(req.ifi)));
		uint16_t clen;
		const uint8_t *c = nla_find(a, alen, IFLA_CARRIER, &clen);

		tl->carrier = c != NULL && clen >= 1 && c[0] != 0;
		tl->mtu = nla_u32(a, alen, IFLA_MTU);
		tl->max_mtu = nla_u32(a, alen, IFLA_MAX_MTU);
		if (nla_find(a, alen, IFLA_LINK_NETNSID, &clen) == NULL)
			tl->lower = (int)nla_u32(a, alen, IFLA_LINK);
		if (tl->lower == ifindex)
			tl->lower = 0;
	}
	li = nla_find((const uint8_t *)NLMSG_DATA(nh) + NLMSG_ALIGN(sizeof(req.ifi)),
		      nh->nlmsg_len - NLMSG_LENGTH(NLMSG_ALIGN(sizeof(req.ifi))), IFLA_LINKINFO,
		      &li_len);
	if (li == NULL)
		return 0;
	kind = nla_find(li, li_len, IFLA_INFO_KIND, &kind_len);
	if (kind == NULL || kind_len < 3 || memcmp(kind, "tun", 3) != 0 ||
	    (kind_len > 3 && kind[3] != '\0'))
		return 0;
	tl->is_tun = true;
	data = nla_find(li, li_len, IFLA_INFO_DATA, &data_len);
	if (data == NULL)
		return 0;
	{
		uint16_t mlen;
		const uint8_t *mq = nla_find(data, data_len, IFLA_TUN_MULTI_QUEUE, &mlen);

		tl->multi_queue = mq != NULL && mlen >= 1 && mq[0] != 0;
	}
	tl->queues = nla_u32(data, data_len, IFLA_TUN_NUM_QUEUES);
	tl->disabled = nla_u32(data, data_len, IFLA_TUN_NUM_DISABLED_QUEUES);
	return 0;
}

/*
 * A tap the port attaches to must be one nobody else reads: the vnet
 * header size and the offloads are the device's, not a queue's, and the
 * kernel ignores a new queue's flags once one is attached.  Asked before
 * attaching, so a refused tap is left exactly as it was.
 */
static int
tun_check_free(struct pmd_internals *pmd, const char *name)
{
	struct tun_link tl;
	int ifindex = (int)if_nametoindex(name), err;

	if (ifindex == 0)
		return 0;	/* gone meanwhile: TUNSETIFF creates it */
	err = tun_link_get(pmd, ifindex, &tl);
	if (err < 0) {
		HT_LOG(ERR, "%s: iface=%s: cannot ask rtnetlink whether the tap is in use: %s",
		       pmd->devname, name, strerror(-err));
		return err;
	}
	if (tl.is_tun && tl.multi_queue && tl.queues + tl.disabled > 0) {
		HT_LOG(ERR, "%s: iface=%s: the tap is in use (%u queue(s) attached, %u detached) by another process or port; net_hashtap needs a tap nobody else reads (it sets the tap's vnet header size and offloads)",
		       pmd->devname, name, tl.queues, tl.disabled);
		return -EBUSY;
	}
	return 0;
}

/* After TUNSETIFF on an existing tap: ours alone, in our format. */
static int
tun_check_owned(struct pmd_internals *pmd, int fd, const char *name)
{
	const short need = IFF_TAP | IFF_NO_PI | IFF_VNET_HDR;
	struct tun_link tl;
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	if (ioctl(fd, TUNGETIFF, &ifr) < 0)
		return -errno;
	if ((ifr.ifr_flags & need) != need) {
		HT_LOG(ERR, "%s: iface=%s: the tap keeps flags 0x%x set by another user (no vnet header or with packet information): refused",
		       pmd->devname, name, (unsigned int)(uint16_t)ifr.ifr_flags);
		return -EBUSY;
	}
	if ((ifr.ifr_flags & IFF_MULTI_QUEUE) &&
	    tun_link_get(pmd, (int)if_nametoindex(name), &tl) == 0 && tl.is_tun &&
	    tl.queues + tl.disabled > 1) {
		HT_LOG(ERR, "%s: iface=%s: another process attached to the tap meanwhile (%u queues): refused",
		       pmd->devname, name, tl.queues + tl.disabled);
		return -EBUSY;
	}
	return 0;
}

static int
tun_attach(struct pmd_internals *pmd, const char *name, short flags, char *actual)
{
	struct ifreq ifr;
	int fd, orig, err;

	err = ns_enter(pmd->ctl.ns_fd, &orig);
	if (err < 0)
		return err;
	fd = open(TUN_DEV, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	err = fd < 0 ? -errno : 0;
	ns_leave(orig);
	if (fd < 0)
		return err;
	memset(&ifr, 0, sizeof(ifr));
	strlcpy(ifr.ifr_name, name, IFNAMSIZ);
	ifr.ifr_flags = flags;
	if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
		err = -errno;
		close(fd);
		return err;
	}
	if (actual != NULL)
		strlcpy(actual, ifr.ifr_name, IFNAMSIZ);
	return fd;
}

static int
macvtap_attach(struct pmd_internals *pmd)
{
	int fd = open(pmd->devpath, O_RDWR | O_NONBLOCK | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

/* Per queue fd: the 20-byte header and the offloads this reader takes. */
static int
queue_fd_setup(struct pmd_internals *pmd, int fd)
{
	int sz = HASHTAP_HDR_LEN;
	unsigned int off = (unsigned int)pmd->tun_offload;

	if (ioctl(fd, TUNSETVNETHDRSZ, &sz) < 0) {
		HT_LOG(ERR, "%s: TUNSETVNETHDRSZ %d: %s", pmd->devname, sz, strerror(errno));
		return -errno;
	}
	if (ioctl(fd, TUNSETOFFLOAD, off) < 0) {
		HT_LOG(ERR, "%s: TUNSETOFFLOAD 0x%x: %s", pmd->devname, off, strerror(errno));
		return -errno;
	}
	return 0;
}

/*
 * What the port may change on an interface it attached to (and does not
 * remove at close): saved at open, put back at close, so that the next
 * user finds it as it was.
 */
static int
orig_save(struct pmd_internals *pmd)
{
	struct hashtap_orig *o = &pmd->orig;
	struct ifreq ifr;
	int err;

	memset(o, 0, sizeof(*o));
	memset(&ifr, 0, sizeof(ifr));
	err = ctl_ioctl_raw(pmd, SIOCGIFFLAGS, &ifr);
	if (err == 0)
		o->flags = ifr.ifr_flags;
	memset(&ifr, 0, sizeof(ifr));
	if (err == 0)
		err = ctl_ioctl_raw(pmd, SIOCGIFMTU, &ifr);
	if (err == 0)
		o->mtu = ifr.ifr_mtu;
	memset(&ifr, 0, sizeof(ifr));
	if (err == 0)
		err = ctl_ioctl_raw(pmd, SIOCGIFHWADDR, &ifr);
	if (err == 0)
		memcpy(o->mac.addr_bytes, ifr.ifr_hwaddr.sa_data, RTE_ETHER_ADDR_LEN);
	if (err == 0 && ioctl(pmd->qfd[0], TUNGETVNETHDRSZ, &o->hdrsz) < 0)
		err = -errno;
	if (err < 0)
		HT_LOG(ERR, "%s: reading the state of %s: %s", pmd->devname, pmd->ifname,
		       strerror(-err));
	o->saved = err == 0;
	return err;
}

static void
orig_restore(struct pmd_internals *pmd)
{
	const short mask = IFF_UP | IFF_PROMISC | IFF_ALLMULTI;
	const struct hashtap_orig *o = &pmd->orig;
	struct rte_ether_addr mac;
	struct ifreq ifr;
	short flags;

	if (!o->saved || pmd->gone || (pmd->created && !pmd->persist))
		return;
	if (pmd->created)
		return;		/* persist=1: the tap is the port's own, left as configured */
	if (!pmd->macvtap) {	/* device-wide for a tap; a macvtap's die with its queues */
		unsigned int off = 0;

		if (ioctl(pmd->qfd[0], TUNSETVNETHDRSZ, &o->hdrsz) < 0 ||
		    ioctl(pmd->qfd[0], TUNSETOFFLOAD, off) < 0)
			HT_LOG(WARNING, "%s: restoring the vnet header/offloads of %s: %s",
			       pmd->devname, pmd->ifname, strerror(errno));
	}
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_mtu = o->mtu;
	ctl_ioctl(pmd, SIOCSIFMTU, &ifr);
	if (pmd->macvtap && hashtap_netif_get_mac(pmd, &mac) == 0 &&
	    !rte_is_same_ether_addr(&mac, &o->mac))
		hashtap_netif_set_mac(pmd, &o->mac);
	if (hashtap_netif_get_flags(pmd, &flags) == 0 && (flags & mask) != (o->flags & mask)) {
		memset(&ifr, 0, sizeof(ifr));
		ifr.ifr_flags = (short)((flags & ~mask) | (o->flags & mask));
		ctl_ioctl(pmd, SIOCSIFFLAGS, &ifr);
	}
}

/*
 * io=uring: a ring that read from or wrote to a queue holds the queue's
 * file until the kernel's teardown of the ring has run (in a worker, a few
 * ms after the driver closed it, at times seconds).  Until then, closing
 * the queue's fd does not release the queue.
 *
 * A macvtap queue is therefore disabled before its fd is closed
 * (TUNSETQUEUE IFF_DETACH_QUEUE, synchronous): it takes no frame and no
 * queue number from then on (a queue opened next is numbered as if it
 * were gone), and fd 0 drops its lock (flock), so that the next port may
 * open the macvtap at once.  (Counting inotify's close events on
 * /dev/tapN instead was wrong: inotify merges identical events that are
 * not read yet, so two closes could show as one and the port waited 2 s.)
 *
 * A tap has no such lock and its queue numbers matter the same way, but a
 * tap the port created is removed only when its last queue goes: where
 * queue fds are closed, the driver waits (2 s at most) until rtnetlink
 * shows the queues gone (a tap's queue count, or carrier, single-queue),
 * or the tap itself.
 */
#define DETACH_WAIT_MS	2000

/* Close queue fd i; returns 1 if there was one to close. */
static int
queue_fd_close(struct pmd_internals *pmd, int i)
{
	int fd = pmd->qfd[i];

	if (fd < 0)
		return 0;
	pmd->qfd[i] = -1;
	if (pmd->macvtap && !pmd->gone) {
		struct ifreq ifr = { .ifr_flags = IFF_DETACH_QUEUE };

		/* fails only for a macvtap already deleted: nothing to keep */
		(void)ioctl(fd, TUNSETQUEUE, &ifr);
		if (i == 0)
			(void)flock(fd, LOCK_UN);
	}
	close(fd);
	return 1;
}

/* want: the queues of the tap the port still holds (others' on top) */
static void
detach_wait(struct pmd_internals *pmd, unsigned int closing, uint32_t want)
{
	struct tun_link tl;
	unsigned int ms;

	if (pmd->io != HASHTAP_IO_URING || pmd->macvtap || pmd->gone || closing == 0)
		return;
	for (ms = 0; ms < DETACH_WAIT_MS; ms++) {
		if (tun_link_get(pmd, pmd->ifindex, &tl) < 0 || !tl.is_tun)
			return;	/* the tap is gone (the port created it) */
		if (tl.multi_queue ? tl.queues + tl.disabled <= want + pmd->others : !tl.carrier)
			return;
		usleep(1000);
	}
	HT_LOG(WARNING, "%s: the kernel still holds closed queues of %s after %u ms (io_uring teardown)",
	       pmd->devname, pmd->ifname, DETACH_WAIT_MS);
}

int
hashtap_netif_open(struct pmd_internals *pmd, const char *iface, const char *macvtap)
{
	struct ifreq ifr;
	int fd, err;
	short flags = IFF_TAP | IFF_NO_PI | IFF_VNET_HDR | IFF_MULTI_QUEUE;
	bool exists;

	pmd->ctl = (struct hashtap_ctl){ .ns_fd = -1, .sock = -1, .nl = -1 };
	err = ctl_open(&pmd->ctl, -1, own_ns_ino());
	if (err < 0) {
		HT_LOG(ERR, "%s: control sockets: %s", pmd->devname, strerror(-err));
		return err;
	}
	if (macvtap != NULL) {
		char sys[64 + IFNAMSIZ];
		struct stat st;

		pmd->macvtap = true;
		pmd->multi_queue = true;
		strlcpy(pmd->ifname, macvtap, sizeof(pmd->ifname));
		pmd->ifindex = (int)if_nametoindex(macvtap);
		if (pmd->ifindex == 0) {
			HT_LOG(ERR, "%s: macvtap=%s: no such interface", pmd->devname, macvtap);
			return -ENODEV;
		}
		/* /dev/tapN belongs to a macvtap or an ipvtap interface */
		snprintf(sys, sizeof(sys), "/sys/class/net/%s/macvtap", macvtap);
		if (stat(sys, &st) < 0)
			snprintf(sys, sizeof(sys), "/sys/class/net/%s/ipvtap", macvtap);
		if (stat(sys, &st) < 0) {
			HT_LOG(ERR, "%s: macvtap=%s: not a macvtap/ipvtap interface", pmd->devname,
			       macvtap);
			return -EINVAL;
		}
		snprintf(pmd->devpath, sizeof(pmd->devpath), "/dev/tap%d", pmd->ifindex);
		fd = macvtap_attach(pmd);
		if (fd < 0) {
			HT_LOG(ERR, "%s: macvtap=%s: open %s: %s", pmd->devname, macvtap,
			       pmd->devpath, strerror(-fd));
			return fd;
		}
		/* every open of /dev/tapN is a queue: two ports would split the
		 * traffic; the lock keeps a second net_hashtap port off (another
		 * program's queues are not visible to us; see README) */
		if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
			err = -errno;
			HT_LOG(ERR, "%s: macvtap=%s: %s is in use by another net_hashtap port: %s",
			       pmd->devname, macvtap, pmd->devpath, strerror(errno));
			close(fd);
			return err == -EWOULDBLOCK ? -EBUSY : err;
		}
	} else {
		char actual[IFNAMSIZ];

		strlcpy(pmd->devpath, TUN_DEV, sizeof(pmd->devpath));
		exists = strchr(iface, '%') == NULL && if_nametoindex(iface) != 0;
		if (exists) {
			err = tun_check_free(pmd, iface);
			if (err < 0)
				return err;
		}
		fd = tun_attach(pmd, iface, flags, actual);
		if (fd == -EINVAL && exists) {
			/* an existing single-queue tap: one queue then */
			flags &= ~IFF_MULTI_QUEUE;
			fd = tun_attach(pmd, iface, flags, actual);
		}
		if (fd < 0) {
			const char *why = fd == -EBUSY ? " (a single-queue tap another process holds)" :
				fd == -EINVAL && exists ? " (not a tap device, or flags it cannot take)" :
				fd == -EPERM ? " (needs CAP_NET_ADMIN)" : "";

			HT_LOG(ERR, "%s: iface=%s: cannot %s the tap: %s%s", pmd->devname, iface,
			       exists ? "attach to" : "create", strerror(-fd), why);
			return fd;
		}
		if (exists) {
			err = tun_check_owned(pmd, fd, iface);
			if (err < 0) {
				close(fd);
				return err;
			}
		}
		pmd->multi_queue = (flags & IFF_MULTI_QUEUE) != 0;
		pmd->created = !exists;
		strlcpy(pmd->ifname, actual, sizeof(pmd->ifname));
	}
	pmd->qfd[0] = fd;
	pmd->nb_fds = 1;
	if (!pmd->macvtap) {
		err = hashtap_netif_refresh(pmd);
		if (err < 0)
			return err;
	} else {
		memset(&ifr, 0, sizeof(ifr));
		err = ctl_ioctl_raw(pmd, SIOCGIFINDEX, &ifr);
		if (err < 0)
			return err;
	}
	err = orig_save(pmd);
	if (err < 0)
		return err;
	err = queue_fd_setup(pmd, fd);
	if (err < 0)
		return err;
	pmd->kernel_cap = vnet_hash_tun_probe(fd, &pmd->cap) == 0;
	HT_LOG(INFO, "%s: %s %s%s (%s), kernel hash %s", pmd->devname,
	       pmd->created ? "created" : "attached to", pmd->macvtap ? "macvtap " : "tap ",
	       pmd->ifname, pmd->devpath, pmd->kernel_cap ? "available" : "not available");
	return 0;
}

/*
 * The tap's own queue choice (frames the kernel hands to the port's rx
 * queues).  Without a steering program tun picks a queue by its automatic
 * flow steering: a flow goes to the queue the port last *sent* it on, and
 * to learn that, every frame the port writes is hashed again (flow
 * dissector, siphash) and looked up in tun's flow table, a cost on each
 * transmit (~20 % of a 64-byte write here, `perf` in the PMD README).
 * With a TUNSETSTEERINGEBPF program both go away: tun runs the program
 * for each frame it queues to us and takes its answer modulo the number of
 * queues, and writes skip the flow table.  The program folds what names a
 * flow, symmetric in the two directions: IPv4 or IPv6 addresses, the
 * protocol, the ports of TCP, UDP and SCTP (an IPv4 fragment: the
 * addresses only; after IPv6 extension headers: no ports), after at most
 * one 802.1Q/802.1ad tag; the MAC addresses of anything else; then folds
 * the high half in, multiplies (Fibonacci hashing) and answers the high 16
 * bits.  A load past the frame ends the program with 0: queue 0.  It is
 * not the RETA (the kernel feature steers by that): rx_reta_mismatch still
 * counts.  Unkeyed, as a known Toeplitz key is: a sender that knows it can
 * aim its flows at one queue.  Written as instructions, so
 * that the driver needs no BPF compiler; ST_* name the program's jumps.
 */
#define SI(c, d, s_, o, i) \
	{ .code = (c), .dst_reg = (d), .src_reg = (s_), .off = (o), .imm = (i) }
#define S_ABS(sz, off)		SI(BPF_LD | BPF_ABS | (sz), 0, 0, 0, off)
#define S_IND(sz, off)		SI(BPF_LD | BPF_IND | (sz), 0, BPF_REG_8, 0, off)
#define S_XOR0			SI(BPF_ALU | BPF_XOR | BPF_X, BPF_REG_7, BPF_REG_0, 0, 0)
#define S_JK(op, r, k, to, at)	SI(BPF_JMP | (op) | BPF_K, r, 0, (to) - (at) - 1, k)
enum { ST_L3 = 8, ST_V4 = 19, ST_V6 = 34, ST_L4 = 54, ST_PORTS = 57, ST_MIX = 63 };

static int
steering_prog_load(char *log, size_t log_size)
{
	const struct bpf_insn prog[] = {
		/* 0: r6 = skb (LD_ABS/IND read it), r7 = 0 (the fold), r8 = 14 (L3) */
		SI(BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_6, BPF_REG_1, 0, 0),
		SI(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_7, 0, 0, 0),
		SI(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_8, 0, 0, 14),
		S_ABS(BPF_H, 12),
		S_JK(BPF_JEQ, BPF_REG_0, 0x8100, 6, 4),
		S_JK(BPF_JNE, BPF_REG_0, 0x88a8, ST_L3, 5),
		S_ABS(BPF_H, 16),					/* 6: one tag */
		SI(BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_8, 0, 0, 18),
		S_JK(BPF_JEQ, BPF_REG_0, 0x0800, ST_V4, ST_L3),		/* 8 */
		S_JK(BPF_JEQ, BPF_REG_0, 0x86dd, ST_V6, 9),
		/* 10: not IP: the MAC addresses */
		S_ABS(BPF_W, 0), S_XOR0, S_ABS(BPF_H, 4), S_XOR0,
		S_ABS(BPF_W, 6), S_XOR0, S_ABS(BPF_H, 10), S_XOR0,
		SI(BPF_JMP | BPF_JA, 0, 0, ST_MIX - 18 - 1, 0),		/* 18 */
		/* 19 IPv4: the addresses; a fragment: nothing more */
		S_IND(BPF_W, 12), S_XOR0, S_IND(BPF_W, 16), S_XOR0,
		S_IND(BPF_H, 6),
		SI(BPF_ALU | BPF_AND | BPF_K, BPF_REG_0, 0, 0, 0x3fff),
		S_JK(BPF_JNE, BPF_REG_0, 0, ST_MIX, 25),
		/* 26: the protocol (r9), r8 past the header */
		S_IND(BPF_B, 9), S_XOR0,
		SI(BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_9, BPF_REG_0, 0, 0),
		S_IND(BPF_B, 0),
		SI(BPF_ALU | BPF_AND | BPF_K, BPF_REG_0, 0, 0, 0xf),
		SI(BPF_ALU | BPF_LSH | BPF_K, BPF_REG_0, 0, 0, 2),
		SI(BPF_ALU64 | BPF_ADD | BPF_X, BPF_REG_8, BPF_REG_0, 0, 0),
		SI(BPF_JMP | BPF_JA, 0, 0, ST_L4 - 33 - 1, 0),		/* 33 */
		/* 34 IPv6: the addresses, the next header (r9), r8 past the header */
		S_IND(BPF_W, 8), S_XOR0, S_IND(BPF_W, 12), S_XOR0,
		S_IND(BPF_W, 16), S_XOR0, S_IND(BPF_W, 20), S_XOR0,
		S_IND(BPF_W, 24), S_XOR0, S_IND(BPF_W, 28), S_XOR0,
		S_IND(BPF_W, 32), S_XOR0, S_IND(BPF_W, 36), S_XOR0,
		S_IND(BPF_B, 6),
		SI(BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_9, BPF_REG_0, 0, 0),
		S_XOR0,
		SI(BPF_ALU64 | BPF_ADD | BPF_K, BPF_REG_8, 0, 0, 40),
		/* 54 L4: TCP, UDP, SCTP: source ^ destination port */
		S_JK(BPF_JEQ, BPF_REG_9, IPPROTO_TCP, ST_PORTS, ST_L4),
		S_JK(BPF_JEQ, BPF_REG_9, IPPROTO_UDP, ST_PORTS, 55),
		S_JK(BPF_JNE, BPF_REG_9, IPPROTO_SCTP, ST_MIX, 56),
		S_IND(BPF_W, 0),					/* 57 */
		SI(BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_1, BPF_REG_0, 0, 0),
		SI(BPF_ALU | BPF_RSH | BPF_K, BPF_REG_1, 0, 0, 16),
		SI(BPF_ALU | BPF_XOR | BPF_X, BPF_REG_0, BPF_REG_1, 0, 0),
		SI(BPF_ALU | BPF_AND | BPF_K, BPF_REG_0, 0, 0, 0xffff),
		S_XOR0,
		/* 63 mix: the high half in first (a power-of-two queue count
		 * takes low bits of the product), then tun takes (u16)answer % queues */
		SI(BPF_ALU | BPF_MOV | BPF_X, BPF_REG_0, BPF_REG_7, 0, 0),
		SI(BPF_ALU | BPF_RSH | BPF_K, BPF_REG_0, 0, 0, 16),
		SI(BPF_ALU | BPF_XOR | BPF_X, BPF_REG_7, BPF_REG_0, 0, 0),
		SI(BPF_ALU | BPF_MUL | BPF_K, BPF_REG_7, 0, 0, (int32_t)0x9e3779b1),
		SI(BPF_ALU | BPF_MOV | BPF_X, BPF_REG_0, BPF_REG_7, 0, 0),
		SI(BPF_ALU | BPF_RSH | BPF_K, BPF_REG_0, 0, 0, 16),
		SI(BPF_JMP | BPF_EXIT, 0, 0, 0, 0),
	};
	union bpf_attr a;
	int fd, tries;

	RTE_BUILD_BUG_ON(RTE_DIM(prog) != ST_MIX + 7);
	memset(&a, 0, sizeof(a));
	a.prog_type = BPF_PROG_TYPE_SOCKET_FILTER;
	a.insns = (uintptr_t)prog;
	a.insn_cnt = RTE_DIM(prog);
	a.license = (uintptr_t)"Dual BSD/GPL";
	/* the verifier gives up with EAGAIN when a signal is pending (seen under TCG) */
	for (tries = 0; tries < 10; tries++) {
		fd = (int)syscall(__NR_bpf, BPF_PROG_LOAD, &a, sizeof(a));
		if (fd >= 0 || (errno != EAGAIN && errno != EINTR))
			break;
	}
	if (fd < 0 && errno != EPERM) {
		/* again for the verifier's reasons (its log, once short enough) */
		int err = errno;

		log[0] = '\0';
		a.log_buf = (uintptr_t)log;
		a.log_size = (uint32_t)log_size;
		a.log_level = 1;
		fd = (int)syscall(__NR_bpf, BPF_PROG_LOAD, &a, sizeof(a));
		if (fd < 0)
			errno = err;
	}
	return fd;
}

/*
 * Our program steers the tap (on) or tun's own steering does (off).  Only
 * a multi-queue tap the port created: a tap it attached to may carry
 * another user's program (QEMU's eBPF RSS), which TUNSETSTEERINGEBPF would
 * replace without a word, and a macvtap has no such ioctl.  Where the
 * program cannot be loaded (no CAP_BPF) tun's steering stays, said once.
 */
void
hashtap_netif_steering(struct pmd_internals *pmd, bool on)
{
	int fd = -1;

	on = on && pmd->created && !pmd->macvtap && pmd->nb_fds > 1 && !pmd->gone;
	if (on == pmd->steering)
		return;
	if (pmd->gone) {	/* the program went with the device */
		pmd->steering = false;
		return;
	}
	if (on && pmd->steer_fd < 0) {
		char log[4096] = "";

		pmd->steer_fd = steering_prog_load(log, sizeof(log));
		if (pmd->steer_fd < 0) {
			if (!pmd->steer_failed)
				HT_LOG(NOTICE, "%s: no steering program (%s), tun's flow steering stays%s%.300s",
				       pmd->devname, strerror(errno), log[0] ? ": " : "", log);
			pmd->steer_failed = true;
			return;
		}
	}
	if (on)
		fd = pmd->steer_fd;
	if (ioctl(pmd->qfd[0], TUNSETSTEERINGEBPF, &fd) < 0) {
		HT_LOG(WARNING, "%s: TUNSETSTEERINGEBPF %d: %s", pmd->devname, fd,
		       strerror(errno));
		return;
	}
	pmd->steering = on;
	HT_LOG(DEBUG, "%s: %s steers the rx queues", pmd->devname,
	       on ? "the port's flow program" : "tun's automatic flow steering");
}

int
hashtap_netif_persist(struct pmd_internals *pmd)
{
	if (ioctl(pmd->qfd[0], TUNSETPERSIST, 1) < 0) {
		int err = -errno;

		HT_LOG(ERR, "%s: TUNSETPERSIST: %s", pmd->devname, strerror(errno));
		return err;
	}
	return 0;
}

/* Reset what we set on an interface that outlives us. */
static void
kernel_hash_reset(struct pmd_internals *pmd)
{
	struct vnet_hash_config off;

	if (!pmd->kernel_cap || pmd->hash_src != HASHTAP_SRC_KERNEL || pmd->gone)
		return;
	memset(&off, 0, sizeof(off));
	vnet_hash_tun_set_hash(pmd->qfd[0], &off);
	if (pmd->cap.supported_tunnel_types != 0)
		vnet_hash_tun_set_tunnel(pmd->qfd[0], 0);	/* RSS level INNERMOST */
}

void
hashtap_netif_close(struct pmd_internals *pmd)
{
	unsigned int closing = 0;
	int i;

	if (pmd->nb_fds > 0 && !(pmd->created && !pmd->persist)) {
		kernel_hash_reset(pmd);
		hashtap_netif_steering(pmd, false);
		orig_restore(pmd);
	}
	if (pmd->steer_fd >= 0)
		close(pmd->steer_fd);	/* the tap holds it while attached */
	pmd->steer_fd = -1;
	pmd->steering = false;
	/* the last first, so that the kernel never renumbers a queue */
	for (i = pmd->nb_fds - 1; i >= 0; i--)
		closing += (unsigned int)queue_fd_close(pmd, i);
	pmd->nb_fds = 0;
	detach_wait(pmd, closing, 0);
	/* a tap we created without persist went with its last fd */
	ctl_close(&pmd->ctl);
}

/*
 * Have exactly nb queue fds, fd i being the kernel's queue i: the ones
 * past nb are closed from the last (so the kernel never renumbers a queue),
 * the ones kept keep their numbers, new ones are opened in order.  Queues
 * take their fds again at configure and start (hashtap_queues_bind).
 */
int
hashtap_netif_queues(struct pmd_internals *pmd, uint16_t nb, uint64_t tun_offload)
{
	unsigned int closing = 0;
	int i, fd, err;

	if (nb == 0)
		nb = 1;
	if (nb > 1 && !pmd->multi_queue) {
		HT_LOG(ERR, "%s: %s is a single-queue tap: %u queues asked", pmd->devname,
		       pmd->ifname, nb);
		return -EINVAL;
	}
	if (!pmd->macvtap) {
		err = hashtap_netif_refresh(pmd);
		if (err < 0)
			return err;
	}
	for (i = pmd->nb_fds - 1; i >= nb; i--) {
		closing += (unsigned int)queue_fd_close(pmd, i);
		pmd->nb_fds = (uint16_t)i;
	}
	/* before any queue is opened: it must take the next number */
	detach_wait(pmd, closing, pmd->nb_fds);
	pmd->tun_offload = tun_offload;
	for (i = 0; i < pmd->nb_fds; i++) {
		err = queue_fd_setup(pmd, pmd->qfd[i]);
		if (err < 0)
			return err;
	}
	for (i = pmd->nb_fds; i < nb; i++) {
		short flags = IFF_TAP | IFF_NO_PI | IFF_VNET_HDR | IFF_MULTI_QUEUE;

		fd = pmd->macvtap ? macvtap_attach(pmd) : tun_attach(pmd, pmd->ifname, flags, NULL);
		if (fd < 0) {
			HT_LOG(ERR, "%s: opening queue %d of %s: %s", pmd->devname, i, pmd->ifname,
			       strerror(-fd));
			return fd;
		}
		pmd->qfd[i] = fd;
		pmd->nb_fds = (uint16_t)(i + 1);
		err = queue_fd_setup(pmd, fd);
		if (err < 0)
			return err;
	}
	return 0;
}

/*
 * Does anybody else hold the tap now?  Asked at each link notification, at
 * start, and every second while the port runs (a reader that attaches
 * sends a notification, but may change the header size after it).
 * - Another reader's queues (a process that attached, or a child that
 *   inherited a queue fd across fork()) only take the frames the kernel
 *   steers to them: said once in the log, the port goes on.
 * - A vnet header size that is not ours while somebody else holds the tap
 *   (QEMU sets 12) would make the port misread every frame: the port stops
 *   (bursts return nothing, link down, start refused) until that changes.
 *   With nobody else attached it is simply put back.
 */
void
hashtap_netif_check_foreign(struct pmd_internals *pmd)
{
	struct tun_link tl;
	uint32_t others;
	bool foreign = false;
	int sz = 0;

	if (pmd->macvtap || pmd->gone || pmd->nb_fds == 0 ||
	    tun_link_get(pmd, pmd->ifindex, &tl) != 0 || !tl.is_tun)
		return;
	others = tl.multi_queue && tl.queues + tl.disabled > pmd->nb_fds ?
		tl.queues + tl.disabled - pmd->nb_fds : 0;
	if (ioctl(pmd->qfd[0], TUNGETVNETHDRSZ, &sz) == 0 && sz != HASHTAP_HDR_LEN) {
		if (others > 0) {
			foreign = true;
		} else {
			HT_LOG(WARNING, "%s: the vnet header size of %s was changed to %d: set back to %d",
			       pmd->devname, pmd->ifname, sz, HASHTAP_HDR_LEN);
			foreign = queue_fd_setup(pmd, pmd->qfd[0]) < 0;
		}
	}
	if (others != pmd->others) {
		if (others > 0)
			HT_LOG(WARNING, "%s: %u queue(s) of %s are held by another process (the port has %u): the frames the kernel steers to them are not the port's",
			       pmd->devname, others, pmd->ifname, pmd->nb_fds);
		pmd->others = others;
	}
	if (foreign != atomic_load(&pmd->foreign)) {
		if (foreign)
			HT_LOG(ERR, "%s: another process holds %s and set its vnet header size to %d: the port stops receiving and sending until it lets go",
			       pmd->devname, pmd->ifname, sz);
		else
			HT_LOG(NOTICE, "%s: %s has the port's vnet header again", pmd->devname,
			       pmd->ifname);
		atomic_store(&pmd->foreign, foreign);
	}
}

int
hashtap_netif_get_flags(struct pmd_internals *pmd, short *flags)
{
	struct ifreq ifr;
	int err;

	memset(&ifr, 0, sizeof(ifr));
	err = ctl_ioctl(pmd, SIOCGIFFLAGS, &ifr);
	if (err == -ENODEV && hashtap_netif_refresh(pmd) == 0)
		err = ctl_ioctl(pmd, SIOCGIFFLAGS, &ifr);
	if (err == 0)
		*flags = ifr.ifr_flags;
	return err;
}

int
hashtap_netif_flags(struct pmd_internals *pmd, short set, short clear)
{
	struct ifreq ifr;
	short flags;
	int err;

	err = hashtap_netif_get_flags(pmd, &flags);
	if (err < 0)
		return err;
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = (short)((flags | set) & ~clear);
	if (ifr.ifr_flags == flags)
		return 0;
	return ctl_ioctl(pmd, SIOCSIFFLAGS, &ifr);
}

uint32_t
hashtap_netif_max_mtu(struct pmd_internals *pmd)
{
	struct tun_link tl, lower;
	uint32_t max;

	if (pmd->ifindex <= 0 || tun_link_get(pmd, pmd->ifindex, &tl) < 0)
		return 0;
	max = tl.max_mtu;
	/* macvlan takes no MTU above its lower device's current one */
	if (tl.lower > 0 && tun_link_get(pmd, tl.lower, &lower) == 0 && lower.mtu > 0)
		max = max > 0 ? RTE_MIN(max, lower.mtu) : lower.mtu;
	return max;
}

int
hashtap_netif_mtu(struct pmd_internals *pmd, uint16_t mtu)
{
	struct ifreq ifr;
	uint32_t max;
	int err;

	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_mtu = mtu;
	err = ctl_ioctl(pmd, SIOCSIFMTU, &ifr);
	if (err == -EINVAL && (max = hashtap_netif_max_mtu(pmd)) > 0 && mtu > max)
		HT_LOG(ERR, "%s: MTU %u: %s takes at most %u%s", pmd->devname, mtu, pmd->ifname, max,
		       pmd->macvtap ? " (a macvtap's MTU is at most its lower device's: raise that one's first)" : "");
	else if (err < 0)
		HT_LOG(ERR, "%s: MTU %u on %s: %s", pmd->devname, mtu, pmd->ifname, strerror(-err));
	return err;
}

int
hashtap_netif_get_mac(struct pmd_internals *pmd, struct rte_ether_addr *mac)
{
	struct ifreq ifr;
	int err;

	memset(&ifr, 0, sizeof(ifr));
	err = ctl_ioctl(pmd, SIOCGIFHWADDR, &ifr);
	if (err == 0)
		memcpy(mac->addr_bytes, ifr.ifr_hwaddr.sa_data, RTE_ETHER_ADDR_LEN);
	return err;
}

int
hashtap_netif_set_mac(struct pmd_internals *pmd, const struct rte_ether_addr *mac)
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_hwaddr.sa_family = ARPHRD_ETHER;
	memcpy(ifr.ifr_hwaddr.sa_data, mac->addr_bytes, RTE_ETHER_ADDR_LEN);
	return ctl_ioctl(pmd, SIOCSIFHWADDR, &ifr);
}

bool
hashtap_netif_nl_drain(struct pmd_internals *pmd)
{
	char buf[8192] __rte_aligned(sizeof(struct nlmsghdr));
	bool changed = false;
	ssize_t n;

	if (pmd->ctl.nl < 0)
		return false;
	while ((n = recv(pmd->ctl.nl, buf, sizeof(buf), MSG_DONTWAIT)) > 0) {
		size_t off = 0;

		while (off + sizeof(struct nlmsghdr) <= (size_t)n) {
			struct nlmsghdr *nh = (struct nlmsghdr *)(buf + off);
			struct ifinfomsg *ifi = NLMSG_DATA(nh);

			if (nh->nlmsg_len < sizeof(*nh) || nh->nlmsg_len > (size_t)n - off)
				break;
			off += NLMSG_ALIGN(nh->nlmsg_len);
			if (nh->nlmsg_type != RTM_NEWLINK && nh->nlmsg_type != RTM_DELLINK)
				continue;
			if (nh->nlmsg_len < NLMSG_LENGTH(sizeof(*ifi)) ||
			    ifi->ifi_index != pmd->ifindex)
				continue;
			changed = true;
			if (nh->nlmsg_type == RTM_DELLINK && pmd->macvtap) {
				pmd->gone = true;
				HT_LOG(WARNING, "%s: macvtap %s was deleted", pmd->devname,
				       pmd->ifname);
			}
		}
	}
	if (n < 0 && errno == ENOBUFS)	/* overrun: we may have missed ours */
		changed = true;
	if (changed && !pmd->macvtap) {
		hashtap_netif_refresh(pmd);	/* moved, renamed, or deleted */
		hashtap_netif_check_foreign(pmd);
	}
	return changed;
}
