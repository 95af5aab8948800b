/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 hashtap authors
 *
 * devargs: every bad one fails the probe saying which and why, and
 * leaves no interface behind.
 */

#include <stdbool.h>
#include <string.h>

#include <rte_common.h>

#include "netns.h"
#include "port.h"
#include "check.h"
#include "rig.h"

static void
t_devargs(void)
{
	static const struct {
		const char *args, *says;
	} bad[] = {
		{ "iface=htpx0,colour=blue", "unknown devargs key \"colour\"" },
		{ "hash=fast", "hash=fast" },
		{ "mac=01:00:5e:00:00:01", "mac=01:00:5e:00:00:01" },
		{ "mac=nonsense", "mac=nonsense" },
		{ "persist=yes", "persist=yes" },
		{ "iface=abcdefghijklmnopq", "not a valid interface name" },
		{ "iface=a/b", "not a valid interface name" },
		{ "iface=htpx0,macvtap=htpx1", "exclude each other" },
		{ "macvtap=htp-none0", "macvtap=htp-none0: no such interface" },
		{ "macvtap=lo", "macvtap=lo: not a macvtap" },
		{ "iface=lo", "iface=lo: cannot attach" },
		{ "iface=", "needs a value" },
		{ "key=00112233", "key=00112233: expected 40 bytes in hex" },
		{ "key=zz", "expected 40 bytes in hex" },
		{ "iface=htpx0,iface=htpx1", "\"iface\" given 2 times" },
		{ "hash=off,persist=0,hash=software", "\"hash\" given 2 times" },
		{ "tunnel_types=vxlan:bogus", "tunnel_types=vxlan:bogus: unknown tunnel type \"bogus\"" },
		{ "tunnel_types=", "needs a value" },
		{ "tunnel_types=vxlan,geneve", "unknown devargs key \"geneve\"" },
		{ "tunnel_types=vxlan::ipip", "unknown tunnel type" },
		{ "tunnel_types=vxlan,tunnel_types=ipip", "\"tunnel_types\" given 2 times" },
	};
	uint16_t port;
	unsigned int i;

	for (i = 0; i < RTE_DIM(bad); i++) {
		int rc = port_open("net_hashtap9", bad[i].args, &port);

		check_ok(rc != 0 && strstr(port_log, bad[i].says) != NULL,
		       "devargs \"%s\": probe fails saying \"%s\"", bad[i].args, bad[i].says);
		if (rc == 0)
			port_close("net_hashtap9", port);
		else if (strstr(port_log, bad[i].says) == NULL)
			check_diag("log was: %s", port_log);
	}
	check_ok(!netns_if_exists(NULL, "htpx0") && !netns_if_exists(NULL, "htpx1"),
	       "failed probes leave no interface behind");
	if (!guest) {
		int rc = port_open("net_hashtap9", "iface=htpx0,hash=kernel", &port);

		check_ok(rc != 0 && strstr(port_log, "hash=kernel, but this kernel has no virtio-net hash") != NULL,
		       "hash=kernel on a kernel without the feature: probe fails and says why");
		if (rc == 0)
			port_close("net_hashtap9", port);
		rc = port_open("net_hashtap9", "iface=htpx2,persist=1,hash=kernel", &port);
		check_ok(rc != 0 && !netns_if_exists(NULL, "htpx2"),
		       "persist=1 and a probe that fails late: the tap it created is not left behind");
		if (rc == 0)
			port_close("net_hashtap9", port);
		test_sh("ip link del htpx2 2>/dev/null; true");
	}
}

PMD_CASE(PMD_DEVARGS, "devargs", t_devargs, true, false)
