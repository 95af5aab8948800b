/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 hashtap authors
 *
 * The link: status and LSC events both ways, MAC, promiscuous,
 * allmulticast and MTU on the kernel interface, the tap followed into
 * a namespace.
 */

#include <net/if.h>
#include <sys/ioctl.h>

#include <rte_ethdev.h>
#include <rte_ether.h>

#include "netns.h"
#include "port.h"
#include "check.h"
#include "rig.h"

static unsigned int lsc_events;

static int
lsc_cb(uint16_t port __rte_unused, enum rte_eth_event_type ev __rte_unused, void *arg __rte_unused,
       void *ret __rte_unused)
{
	__atomic_add_fetch(&lsc_events, 1, __ATOMIC_RELAXED);
	return 0;
}

static void
t_link(void)
{
	struct rte_mempool *mp = port_pool("link", 1024, 0);
	struct rte_eth_conf conf = { .intr_conf.lsc = 1 };
	struct ifreq ifr;
	uint16_t port;
	unsigned int ev;
	bool down;

	ns_add(NS_A);
	if (port_open("net_hashtap8", "iface=" TAP_A ",mac=02:11:22:33:44:55", &port) != 0) {
		check_ok(false, "link: probe");
		return;
	}
	rte_eth_dev_callback_register(port, RTE_ETH_EVENT_INTR_LSC, lsc_cb, NULL);
	check_ok(port_start(port, 1, 1, &conf, mp) == 0, "link: start with LSC interrupts");
	{
		struct rte_ether_addr a;

		rte_eth_macaddr_get(port, &a);
		check_ok(a.addr_bytes[0] == 0x02 && a.addr_bytes[5] == 0x55, "mac= is the port's MAC");
	}
	check_ok(port_wait_link(port, RTE_ETH_LINK_UP, 2000), "started: link up");
	{
		struct rte_ether_addr nm = { { 0x02, 0x11, 0x22, 0x33, 0x44, 0x66 } }, got;
		struct ifreq ifr;

		check_ok(netns_if_query(NULL, TAP_A, SIOCGIFHWADDR, &ifr) == 0 &&
		       rte_eth_dev_default_mac_addr_set(port, &nm) == 0 &&
		       rte_eth_macaddr_get(port, &got) == 0 && got.addr_bytes[5] == 0x66 &&
		       netns_if_query(NULL, TAP_A, SIOCGIFHWADDR, &ifr) == 0 &&
		       (uint8_t)ifr.ifr_hwaddr.sa_data[5] != 0x66,
		       "tap: a new port MAC is the port's; the kernel interface (the far end) keeps its own");
	}
	check_ok(move_to_ns(TAP_A, NS_A) == 0, "the tap moves into a namespace");
	check_ok(port_wait_link(port, RTE_ETH_LINK_UP, 2000), "... link still up there");
	ev = lsc_events;
	test_sh("ip -n " NS_A " link set " TAP_A " down");
	down = port_wait_link(port, RTE_ETH_LINK_DOWN, 3000);
	check_ok(down && lsc_events > ev, "'ip link set down' in the namespace: link down, %u LSC event(s)",
	       lsc_events - ev);
	ev = lsc_events;
	test_sh("ip -n " NS_A " link set " TAP_A " up");
	down = !port_wait_link(port, RTE_ETH_LINK_UP, 3000);
	check_ok(!down && lsc_events > ev, "... and up again, %u LSC event(s)", lsc_events - ev);
	check_ok(rte_eth_dev_set_link_down(port) == 0 && netns_if_query(NS_A, TAP_A, SIOCGIFFLAGS, &ifr) == 0 &&
	       !(ifr.ifr_flags & IFF_UP), "set_link_down: the kernel interface goes down");
	check_ok(rte_eth_dev_set_link_up(port) == 0 && netns_if_query(NS_A, TAP_A, SIOCGIFFLAGS, &ifr) == 0 &&
	       (ifr.ifr_flags & IFF_UP), "set_link_up: up again");
	check_ok(rte_eth_promiscuous_enable(port) == 0 && netns_if_query(NS_A, TAP_A, SIOCGIFFLAGS, &ifr) == 0 &&
	       (ifr.ifr_flags & IFF_PROMISC), "promiscuous on: IFF_PROMISC");
	check_ok(rte_eth_promiscuous_disable(port) == 0 && netns_if_query(NS_A, TAP_A, SIOCGIFFLAGS, &ifr) == 0 &&
	       !(ifr.ifr_flags & IFF_PROMISC), "promiscuous off");
	check_ok(rte_eth_allmulticast_enable(port) == 0 && netns_if_query(NS_A, TAP_A, SIOCGIFFLAGS, &ifr) == 0 &&
	       (ifr.ifr_flags & IFF_ALLMULTI), "allmulticast on: IFF_ALLMULTI");
	check_ok(rte_eth_dev_set_mtu(port, 1400) == 0 && netns_if_query(NS_A, TAP_A, SIOCGIFMTU, &ifr) == 0 &&
	       ifr.ifr_mtu == 1400, "MTU 1400 on the kernel interface");
	check_ok(rte_eth_dev_set_mtu(port, 9000) != 0 && netns_if_query(NS_A, TAP_A, SIOCGIFMTU, &ifr) == 0 &&
	       ifr.ifr_mtu == 1400, "MTU 9000 without scatter on 2 KiB mbufs: refused, kernel MTU unchanged");
	rte_eth_dev_callback_unregister(port, RTE_ETH_EVENT_INTR_LSC, lsc_cb, NULL);
	port_close("net_hashtap8", port);
	check_ok(!netns_if_exists(NS_A, TAP_A), "close removes the tap, in its namespace too");
	test_sh("ip netns del " NS_A);
	rte_mempool_free(mp);
}

PMD_CASE(PMD_LINK, "link", t_link, true, false)
