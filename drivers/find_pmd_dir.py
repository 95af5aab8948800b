#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 hashtap authors
"""Print the plugin directory EAL loads drivers from: the DPDK_PLUGIN_PATH
compiled into librte_eal (the path given as the one argument)."""

import re
import sys

DATA = open(sys.argv[1], "rb").read()
MATCH = re.search(rb"DPDK_PLUGIN_PATH=([^\x00]+)", DATA)
if not MATCH:
    sys.exit(f"{sys.argv[1]}: no DPDK_PLUGIN_PATH: give meson -Dpmd_dir=DIR")
print(MATCH.group(1).decode())
