/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 hashtap authors
 *
 * Transmit offloads: checksums and TSO through a router namespace to a
 * veth without offloads; requests the kernel would refuse are dropped
 * and counted.
 */

#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <rte_ethdev.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_tcp.h>
#include <rte_udp.h>

#include "netns.h"
#include "pkt.h"
#include "port.h"
#include "check.h"
#include "rig.h"

/*
 * The port's frames go into NS_R, which routes them out of a veth without
 * checksum offload or TSO to NS_S: the kernel finishes the checksums and
 * cuts TSO frames from what our vnet headers said, the router drops bad IP
 * headers, and NS_S sees what went on the wire.
 */
struct txrig {
	uint16_t port;
	int cap;			/* AF_PACKET in NS_S */
	struct rte_ether_addr tap_mac;
	struct rte_mempool *mp;
};

static int
txrig_up(struct txrig *r)
{
	struct rte_eth_conf conf = { 0 };
	struct sockaddr_ll to;
	struct ifreq ifr;

	ns_add(NS_R);
	ns_add(NS_S);
	if (port_open("net_hashtap7", "iface=" TAP_A, &r->port) != 0)
		return -1;
	conf.txmode.offloads = RTE_ETH_TX_OFFLOAD_IPV4_CKSUM | RTE_ETH_TX_OFFLOAD_TCP_CKSUM |
		RTE_ETH_TX_OFFLOAD_UDP_CKSUM | RTE_ETH_TX_OFFLOAD_TCP_TSO |
		RTE_ETH_TX_OFFLOAD_MULTI_SEGS;
	if (port_start(r->port, 1, 1, &conf, r->mp) != 0 || move_to_ns(TAP_A, NS_R) != 0)
		return -1;
	if (test_sh("ip link add htpv0 type veth peer name htpv1 && "
	       "ip link set htpv0 netns " NS_R " && ip link set htpv1 netns " NS_S " && "
	       "ip -n " NS_R " addr add 10.77.1.1/24 dev " TAP_A " && "
	       "ip -n " NS_R " addr add 10.77.2.1/24 dev htpv0 && ip -n " NS_R " link set htpv0 up && "
	       "ip netns exec " NS_R " sysctl -qw net.ipv4.ip_forward=1 && "
	       "ip netns exec " NS_R " ethtool -K htpv0 tx off tso off gso off >/dev/null && "
	       "ip -n " NS_S " addr add 10.77.2.2/24 dev htpv1 && ip -n " NS_S " link set htpv1 up && "
	       "ip netns exec " NS_S " sysctl -qw net.ipv6.conf.htpv1.disable_ipv6=1 && "
	       "ip netns exec " NS_R " ping -c1 -W2 10.77.2.2 >/dev/null") != 0)
		return -1;
	if (netns_if_query(NS_R, TAP_A, SIOCGIFHWADDR, &ifr) != 0)
		return -1;
	memcpy(r->tap_mac.addr_bytes, ifr.ifr_hwaddr.sa_data, 6);
	r->cap = netns_packet_socket(NS_S, "htpv1", &to, 0);
	return r->cap < 0 ? -1 : 0;
}

static void
txrig_down(struct txrig *r)
{
	if (r->cap >= 0)
		close(r->cap);
	port_close("net_hashtap7", r->port);
	test_sh("ip netns del " NS_R "; ip netns del " NS_S);
}

/* An IPv4 TCP/UDP frame 10.77.1.2 -> 10.77.2.2 in an mbuf, split in segs. */
static struct rte_mbuf *
tx_frame(struct txrig *r, uint8_t l4, uint16_t payload, uint16_t sport, unsigned int segs)
{
	struct pkt_spec s = { .ipver = 4, .l4 = l4, .payload = payload, .dport = 9 };
	static uint8_t b[16384];
	uint32_t len, i, sizes[8];
	struct rte_mbuf *head;

	s.sport = sport;
	pkt_addr("10.77.1.2", s.src);
	pkt_addr("10.77.2.2", s.dst);
	len = pkt_build(&s, b, sizeof(b));
	memcpy(b, r->tap_mac.addr_bytes, 6);
	/* headers and a little in the first segment, the rest spread */
	RTE_VERIFY(segs >= 1 && segs <= RTE_DIM(sizes));
	for (i = 0; i < segs; i++)
		sizes[i] = i == 0 ? 60u : (len - 60u) / (segs - 1);
	head = port_mbuf_chain(r->mp, b, len, segs, sizes);
	if (head == NULL)
		exit(2);
	return head;
}

/* Frames from 10.77.1.2 to port sport that reached NS_S: count, check checksums. */
static void
tx_capture(struct txrig *r, uint16_t sport, unsigned int *n, unsigned int *good,
	   unsigned int *payload_sum, uint16_t *max_payload)
{
	uint8_t b[16384];
	struct pollfd p = { .fd = r->cap, .events = POLLIN };

	*n = *good = *payload_sum = 0;
	*max_payload = 0;
	while (poll(&p, 1, 500) > 0) {
		ssize_t len = recv(r->cap, b, sizeof(b), 0);
		struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(b + 14);
		const uint8_t *l4;
		uint16_t ihl, pl, l4len;
		bool ok;

		if (len < 42 || b[12] != 0x08 || b[13] != 0 ||
		    ip->src_addr != inet_addr("10.77.1.2"))
			continue;
		ihl = (uint16_t)((ip->version_ihl & 0xf) * 4);
		l4 = b + 14 + ihl;
		if (((l4[0] << 8) | l4[1]) != sport)
			continue;
		(*n)++;
		l4len = (uint16_t)(rte_be_to_cpu_16(ip->total_length) - ihl);
		ok = rte_ipv4_cksum(ip) == 0 || rte_raw_cksum(ip, ihl) == 0xffff;
		ok = ok && rte_ipv4_udptcp_cksum_verify(ip, l4) == 0;
		pl = (uint16_t)(l4len - (ip->next_proto_id == IPPROTO_TCP ? (l4[12] >> 4) * 4 : 8));
		*payload_sum += pl;
		if (pl > *max_payload)
			*max_payload = pl;
		*good += ok;
	}
}

static void
t_tx_offload(void)
{
	struct txrig r = { .cap = -1 };
	unsigned int n, good, sum;
	uint16_t maxp;
	struct rte_mbuf *m;
	uint64_t before;

	r.mp = port_pool("tx", 2048, 0);
	if (txrig_up(&r) != 0) {
		check_ok(false, "tx offloads: rig up (%s)", port_log);
		txrig_down(&r);
		rte_mempool_free(r.mp);
		return;
	}

	/* control: a frame with a wrong IP checksum and no offload is dropped by the router */
	m = tx_frame(&r, IPPROTO_UDP, 100, 2000, 1);
	rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *, 14)->hdr_checksum = 0xdead;
	rte_eth_tx_burst(r.port, 0, &m, 1);
	tx_capture(&r, 2000, &n, &good, &sum, &maxp);
	check_ok(n == 0, "control: a bad IP checksum without offload never gets through the router (%u)", n);

	/* IPv4 + UDP checksum offload, 3 segments */
	m = tx_frame(&r, IPPROTO_UDP, 900, 2001, 3);
	{
		struct rte_ipv4_hdr *ip = rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *, 14);
		struct rte_udp_hdr *u = rte_pktmbuf_mtod_offset(m, struct rte_udp_hdr *, 34);

		m->l2_len = 14;
		m->l3_len = 20;
		m->ol_flags = RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_IP_CKSUM | RTE_MBUF_F_TX_UDP_CKSUM;
		ip->hdr_checksum = 0xbeef;	/* the PMD computes it */
		u->dgram_cksum = rte_ipv4_phdr_cksum(ip, m->ol_flags);
	}
	check_ok(rte_eth_tx_burst(r.port, 0, &m, 1) == 1, "UDP checksum + IP checksum offload, 3 segments: sent");
	tx_capture(&r, 2001, &n, &good, &sum, &maxp);
	check_ok(n == 1 && good == 1 && sum == 900, "... arrives with valid IP and UDP checksums (%u frames, %u good)",
	       n, good);

	/* TCP checksum offload */
	m = tx_frame(&r, IPPROTO_TCP, 500, 2002, 2);
	{
		struct rte_ipv4_hdr *ip = rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *, 14);
		struct rte_tcp_hdr *t = rte_pktmbuf_mtod_offset(m, struct rte_tcp_hdr *, 34);

		m->l2_len = 14;
		m->l3_len = 20;
		m->ol_flags = RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_IP_CKSUM | RTE_MBUF_F_TX_TCP_CKSUM;
		t->cksum = rte_ipv4_phdr_cksum(ip, m->ol_flags);
	}
	check_ok(rte_eth_tx_burst(r.port, 0, &m, 1) == 1, "TCP checksum offload, 2 segments: sent");
	tx_capture(&r, 2002, &n, &good, &sum, &maxp);
	check_ok(n == 1 && good == 1 && sum == 500, "... arrives with valid checksums (%u frames, %u good)", n, good);

	/* TSO: 4000 bytes in 1000-byte segments */
	m = tx_frame(&r, IPPROTO_TCP, 4000, 2003, 3);
	{
		struct rte_ipv4_hdr *ip = rte_pktmbuf_mtod_offset(m, struct rte_ipv4_hdr *, 14);
		struct rte_tcp_hdr *t = rte_pktmbuf_mtod_offset(m, struct rte_tcp_hdr *, 34);

		m->l2_len = 14;
		m->l3_len = 20;
		m->l4_len = 20;
		m->tso_segsz = 1000;
		m->ol_flags = RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_IP_CKSUM | RTE_MBUF_F_TX_TCP_SEG |
			RTE_MBUF_F_TX_TCP_CKSUM;
		t->cksum = rte_ipv4_phdr_cksum(ip, m->ol_flags);	/* DPDK: without the length */
	}
	check_ok(rte_eth_tx_burst(r.port, 0, &m, 1) == 1, "TSO 4000 bytes, tso_segsz 1000, 3 segments: sent");
	tx_capture(&r, 2003, &n, &good, &sum, &maxp);
	check_ok(n == 4 && good == 4 && sum == 4000 && maxp == 1000,
	       "... the kernel cuts 4 segments of <= 1000 bytes, all checksums valid (%u frames, %u good, %u bytes, max %u)",
	       n, good, sum, maxp);

	/* requests the kernel would refuse: dropped and counted, never sent */
	before = port_xstat(r.port, "tx_drop_bad_offload");
	m = tx_frame(&r, IPPROTO_TCP, 3000, 2004, 3);
	m->l2_len = 14;
	m->l3_len = 20;
	m->l4_len = 20;
	m->tso_segsz = 0;
	m->ol_flags = RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_TCP_SEG;
	check_ok(rte_eth_tx_burst(r.port, 0, &m, 1) == 1, "TSO with tso_segsz 0: consumed");
	tx_capture(&r, 2004, &n, &good, &sum, &maxp);
	check_ok(n == 0 && port_xstat(r.port, "tx_drop_bad_offload") == before + 1,
	       "... dropped and counted in tx_drop_bad_offload, nothing on the wire");
	m = tx_frame(&r, IPPROTO_UDP, 10, 2005, 1);
	m->ol_flags = RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_SCTP_CKSUM;
	m->l2_len = 14;
	m->l3_len = 20;
	rte_eth_tx_burst(r.port, 0, &m, 1);
	check_ok(port_xstat(r.port, "tx_drop_unsupported_offload") == 1, "SCTP checksum request: tx_drop_unsupported_offload");
	m = rte_pktmbuf_alloc(r.mp);
	memset(rte_pktmbuf_append(m, 10), 0, 10);
	rte_eth_tx_burst(r.port, 0, &m, 1);
	check_ok(port_xstat(r.port, "tx_drop_runt") == 1, "a 10-byte frame: tx_drop_runt");

	txrig_down(&r);
	check_ok(rte_mempool_in_use_count(r.mp) == 0, "tx offloads: mempool in use back to 0 (%u)",
	       rte_mempool_in_use_count(r.mp));
	rte_mempool_free(r.mp);
}

PMD_CASE(PMD_TX_OFFLOAD, "tx-offload", t_tx_offload, true, false)
