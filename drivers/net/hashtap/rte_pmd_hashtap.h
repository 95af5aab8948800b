/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 hashtap authors
 */

#ifndef RTE_PMD_HASHTAP_H
#define RTE_PMD_HASHTAP_H

/**
 * @file
 * What an application may ask a net_hashtap port beyond ethdev: where the
 * hash of its received frames comes from, and the names of its xstats.
 * Applications that load the driver with "-d" and do not link it can still
 * use the xstat names; rte_pmd_hashtap_hash_source() needs the driver
 * linked (static library, or the installed shared library).
 */

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** The driver's name, as rte_eth_dev_info.driver_name gives it. */
#define RTE_PMD_HASHTAP_DRIVER_NAME	"net_hashtap"

/** Where the hash of a port's received frames comes from (fixed at configure). */
enum rte_pmd_hashtap_hash_source {
	/** No hash: hash=off, or RSS not configured (mq_mode without RSS). */
	RTE_PMD_HASHTAP_HASH_SRC_NONE = 0,
	/** The kernel's virtio-net hash report (kernel-patch/). */
	RTE_PMD_HASHTAP_HASH_SRC_KERNEL = 1,
	/** The same value, computed by the driver with lib/vnet_hash. */
	RTE_PMD_HASHTAP_HASH_SRC_SOFTWARE = 2,
};

/**
 * Where the hash of the port's received frames comes from.
 *
 * @return an enum rte_pmd_hashtap_hash_source value; -ENODEV if port_id is
 *   not a valid port; -ENOTSUP if the port is not a net_hashtap port.
 */
int rte_pmd_hashtap_hash_source(uint16_t port_id);

/** Name of a hash source ("none", "kernel", "software"); NULL if out of range. */
const char *rte_pmd_hashtap_hash_source_name(int src);

/**
 * The Toeplitz implementation of the driver's software hash: "gfni"
 * (DPDK's rte_thash_gfni(), where the CPU has GFNI and AVX-512) or
 * "softrss" (rte_softrss_be()); the values are the same.  Chosen when the
 * driver is loaded; the environment variable VNET_HASH_TOEPLITZ=softrss
 * forces the portable one (lib/vnet_hash).  A driver loaded with "-d"
 * carries its own copy of lib/vnet_hash: ask it here, not the application's.
 */
const char *rte_pmd_hashtap_hash_impl(void);

/** How a port's frames cross into and out of the kernel (devargs io=, fixed at probe). */
enum rte_pmd_hashtap_io {
	/** One readv() a received frame, one writev() a sent one. */
	RTE_PMD_HASHTAP_IO_SYSCALL = 0,
	/** io_uring: reads kept armed into mbufs, one submission a tx burst. */
	RTE_PMD_HASHTAP_IO_URING = 1,
	/**
	 * vhost-net rings: a kernel thread of the port's does the tap's reads
	 * and writes, the bursts fill and empty rings in shared memory.
	 */
	RTE_PMD_HASHTAP_IO_VHOST = 2,
};

/**
 * The port's datapath.
 *
 * @return an enum rte_pmd_hashtap_io value; -ENODEV if port_id is not a
 *   valid port; -ENOTSUP if the port is not a net_hashtap port.
 */
int rte_pmd_hashtap_io(uint16_t port_id);

/**
 * How a started rx queue reads: with io=uring, a queue whose frames may
 * span mbufs (scatter, LRO, an MTU that fills an mbuf) reads with readv().
 *
 * @return an enum rte_pmd_hashtap_io value; -ENODEV, -ENOTSUP as above;
 *   -EINVAL for a queue the port does not have; -EAGAIN if it is stopped.
 */
int rte_pmd_hashtap_rx_queue_io(uint16_t port_id, uint16_t queue_id);

/** Name of a datapath ("syscall", "uring", "vhost"); NULL if out of range. */
const char *rte_pmd_hashtap_io_name(int io);

/**
 * Who picks the rx queue of a frame on the port's tap: 1, the port's
 * steering program (TUNSETSTEERINGEBPF: a symmetric flow hash of the
 * addresses, protocol and ports; drivers/net/hashtap/README.md,
 * "Steering"); 0, somebody else: the kernel's RSS by the RETA (hash source
 * kernel with mq_mode RSS), tun's automatic flow steering (a flow follows
 * the queue it was last sent on: a tap the port attached to, RSS level
 * INNERMOST, a program that could not be loaded), a macvtap's own choice,
 * or nobody (one queue).
 *
 * @return 1 or 0; -ENODEV, -ENOTSUP as above.
 */
int rte_pmd_hashtap_steering(uint16_t port_id);

/**
 * The tunnel types (lib/vnet_hash's VNET_HASH_TUNNEL_* bits, the virtio
 * 1.3 enabled_tunnel_types) whose inner header the port hashes.
 *
 * @param avail
 *   false: those in force now (0 unless RSS level INNERMOST is configured);
 *   true: those level INNERMOST would enable (devargs tunnel_types=, all by default).
 * @return the bits (>= 0); -ENODEV, -ENOTSUP as above.
 */
int rte_pmd_hashtap_tunnel_types(uint16_t port_id, bool avail);

/* xstats (rte_eth_xstats_get_id_by_name()), summed over the port's queues. */
#define RTE_PMD_HASHTAP_XSTAT_RX_HASH_KERNEL	"rx_hash_kernel"	/**< frames with the kernel's hash */
#define RTE_PMD_HASHTAP_XSTAT_RX_HASH_SOFTWARE	"rx_hash_software"	/**< frames hashed by the driver */
#define RTE_PMD_HASHTAP_XSTAT_RX_HASH_NONE	"rx_hash_none"		/**< frames without a hash */
#define RTE_PMD_HASHTAP_XSTAT_RX_RETA_MISMATCH	"rx_reta_mismatch"	/**< RSS on, queue not the RETA's */
#define RTE_PMD_HASHTAP_XSTAT_RX_DROP_TRUNCATED	"rx_drop_truncated"	/**< longer than the rx buffers */
#define RTE_PMD_HASHTAP_XSTAT_RX_DROP_BAD_VNET_HDR "rx_drop_bad_vnet_hdr" /**< header no kernel writes */
#define RTE_PMD_HASHTAP_XSTAT_RX_READ_ERRORS	"rx_read_errors"
#define RTE_PMD_HASHTAP_XSTAT_TX_DROP_BAD_OFFLOAD "tx_drop_bad_offload"
#define RTE_PMD_HASHTAP_XSTAT_TX_DROP_UNSUPPORTED_OFFLOAD "tx_drop_unsupported_offload"
#define RTE_PMD_HASHTAP_XSTAT_TX_DROP_RUNT	"tx_drop_runt"
#define RTE_PMD_HASHTAP_XSTAT_TX_DROP_TOO_MANY_SEGS "tx_drop_too_many_segs"
#define RTE_PMD_HASHTAP_XSTAT_TX_WRITE_ERRORS	"tx_write_errors"
#define RTE_PMD_HASHTAP_XSTAT_TX_BUSY		"tx_busy"
/** io=uring, io=vhost: frames the kernel had read into a queue's buffers that no burst took when it stopped */
#define RTE_PMD_HASHTAP_XSTAT_RX_DROP_STOPPED	"rx_drop_stopped"
/** System calls the rx bursts made: readv()s, io_uring_enter()s (arming the read, running it), or io=vhost kicks */
#define RTE_PMD_HASHTAP_XSTAT_RX_SYSCALLS	"rx_syscalls"
/** System calls the tx bursts made: writev()s, io_uring_enter()s (one a burst at most), or io=vhost kicks */
#define RTE_PMD_HASHTAP_XSTAT_TX_SYSCALLS	"tx_syscalls"
/** Frames hashed on a tunnel's inner header (RSS level INNERMOST), of those with a hash */
#define RTE_PMD_HASHTAP_XSTAT_RX_HASH_INNER	"rx_hash_inner"
/** io=vhost: frames in memory the vhost-net device does not map (not DPDK memory) */
#define RTE_PMD_HASHTAP_XSTAT_TX_DROP_UNMAPPED	"tx_drop_unmapped"

#ifdef __cplusplus
}
#endif

#endif /* RTE_PMD_HASHTAP_H */
