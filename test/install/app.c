/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 hashtap authors
 *
 * An application built against the installed driver the way a user builds
 * one (pkg-config libhashtap): EAL finds net_hashtap in its plugin
 * directory, the application calls rte_pmd_hashtap.h.  Prints the port's
 * driver and hash source.   app [EAL options]  (exit 0: both as expected)
 */

#include <stdio.h>
#include <string.h>

#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_pmd_hashtap.h>

int
main(int argc, char **argv)
{
	struct rte_eth_dev_info info;
	int src;

	if (rte_eal_init(argc, argv) < 0 || rte_eth_dev_count_avail() != 1 ||
	    rte_eth_dev_info_get(0, &info) != 0) {
		printf("no port\n");
		return 1;
	}
	src = rte_pmd_hashtap_hash_source(0);
	printf("driver %s, hash source %s (%d)\n", info.driver_name,
	       rte_pmd_hashtap_hash_source_name(src) ? rte_pmd_hashtap_hash_source_name(src) : "?",
	       src);
	rte_eth_dev_close(0);
	rte_eal_cleanup();
	return strcmp(info.driver_name, RTE_PMD_HASHTAP_DRIVER_NAME) == 0 &&
		src == RTE_PMD_HASHTAP_HASH_SRC_NONE ? 0 : 1;
}
