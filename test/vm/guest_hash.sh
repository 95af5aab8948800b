#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 hashtap authors
#
# The kernel's hash inside a guest, end to end.  In the patched test kernel
# (L1, tools/vm-run), test/kernel/guest-hash launch plays the VMM: it
# creates a tap, configures hash reporting on it with the series' ioctl
# (QEMU 7.2 does not), and runs QEMU on the tap with vhost=on and
# virtio-net's hash=on; QEMU negotiates VIRTIO_NET_F_HASH_REPORT with
# vhost_net, which offers it on the patched kernel.  The guest (L2, the
# same kernel, nested under TCG) runs guest-hash recv: every frame L1
# sends into the tap must reach the guest's stack with the hash
# lib/vnet_hash computes for its bytes.  TAP output.
#
#   test/vm/guest_hash.sh BUILD_DIR [FRAMES]
#
# ~4 minutes here: L2 boots in about 70 s of emulation inside emulation.
set -uo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=${1:?usage: guest_hash.sh BUILD_DIR [FRAMES]}
frames=${2:-300}
# shellcheck source=../lib/check.sh
. "$top/test/lib/check.sh"
gh=$(cd "$build" && pwd)/test/kernel/guest-hash
kernel=$("$top/kernel-patch/build" --flavour test patched | awk '{ print $2 }')
if [ ! -x "$gh" ] || [ ! -f "$kernel" ]; then
	check 1 "guest-hash ($gh) and the patched test kernel (${kernel:-none}) are built"
	check_done
	exit 1
fi

# L1's /var/cache is the host's, read-only: L2's run directory goes on a
# tmpfs L1 mounts on /mnt (vm-run covers /tmp and /run with its own)
out=$("$top/tools/vm-run" --smp 2 --mem 2048 --timeout 1200 -- \
	bash -c 'mount -t tmpfs tmpfs /mnt && HASHTAP_CACHE=/mnt exec "$0" launch -n "$1" gh0 -- \
		"$2" --kernel "$3" --smp 1 --mem 256 --timeout 1000 \
		--qemu -netdev --qemu tap,id=n0,fd=3,vhost=on \
		--qemu -device --qemu virtio-net-pci,netdev=n0,hash=on,mac=52:54:00:12:34:56 \
		-- "$0" recv -n "$1" eth0' "$gh" "$frames" "$top/tools/vm-run" "$kernel" 2>&1)
rc=$?
check_relay <<<"$out"
check $rc "the nested run ended cleanly, no kernel warning in either (vm-run exit $rc)"
check_done
