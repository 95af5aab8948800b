/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 hashtap authors
 *
 * Network namespaces and AF_PACKET sockets for the tests: the one home of
 * "a socket on that interface, in that namespace".
 */

#ifndef HASHTAP_TEST_NETNS_H
#define HASHTAP_TEST_NETNS_H

#include <stdbool.h>
#include <linux/if_packet.h>
#include <net/if.h>

/**
 * A fresh namespace ns: one of that name removed first (a run that died
 * left it), lo up.  0, or -1 (said on stderr).
 */
int netns_fresh(const char *ns);
/** Enter the namespace "ip netns add NAME" made; 0 or -1 (said on stderr). */
int netns_enter(const char *ns);
/** Back to the namespace the process started in. */
void netns_back(void);

/**
 * A non-blocking AF_PACKET socket bound to ifname in namespace ns (NULL:
 * ours), and in *to the address to send to; PACKET_AUXDATA on (VLAN tags
 * the kernel took off come back as metadata); with fanout != 0 the socket
 * joins fanout group @p fanout by queue (PACKET_FANOUT_QM).
 * @return the socket, or -1.
 */
int netns_packet_socket(const char *ns, const char *ifname, struct sockaddr_ll *to, int fanout);

/**
 * A packet socket on ifname (in ns; NULL: ours) whose socket filter @p prog
 * (a BPF_PROG_TYPE_SOCKET_FILTER fd) is attached before the socket is
 * bound: no frame reaches it unfiltered (one bound first queues whatever
 * arrives before the filter, from any interface).  Our own frames are not
 * looped back to it (PACKET_IGNORE_OUTGOING).  -1 with a message.
 */
int netns_packet_socket_bpf(const char *ns, const char *ifname, struct sockaddr_ll *to, int prog);

/** An SIOCGIF* ioctl on ifname in ns (NULL: ours); 0 or -1. */
int netns_if_query(const char *ns, const char *ifname, unsigned long req, struct ifreq *ifr);
bool netns_if_exists(const char *ns, const char *ifname);

#endif
