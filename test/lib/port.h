/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 hashtap authors
 *
 * Ports for the ethdev-level tests: probe with the driver's log captured,
 * configure and start, close, xstats by name, a shell command.  One home
 * for what every net_hashtap test program does around its checks.
 */

#ifndef HASHTAP_TEST_PORT_H
#define HASHTAP_TEST_PORT_H

#include <stdbool.h>
#include <stdint.h>

struct rte_eth_conf;
struct rte_mbuf;
struct rte_mempool;

/** What the driver logged during the last port_open(). */
extern char port_log[16384];

/** system() a formatted command; a failure is said as a TAP diagnostic. */
int test_sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/**
 * rte_vdev_init(name, args), the log kept in port_log; 0 and *port, or < 0.
 * With HASHTAP_TEST_IO=uring|syscall|auto in the environment, a net_hashtap
 * port whose args name no io= gets io=THAT (a suite runs every test on
 * one datapath).
 */
int port_open(const char *name, const char *args, uint16_t *port);
/** Stop, close, uninit. */
void port_close(const char *name, uint16_t port);
/** The same, with what the close logged in port_log; 0 or < 0. */
int port_close_log(const char *name, uint16_t port);
/** A pktmbuf pool of n mbufs, room bytes of data room (0: the default). */
struct rte_mempool *port_pool(const char *name, unsigned int n, uint16_t room);
/** Configure, set up nrx/ntx queues of 64 descriptors, start. */
int port_start(uint16_t port, uint16_t nrx, uint16_t ntx, const struct rte_eth_conf *conf,
	       struct rte_mempool *mp);
/** The same, with what it logged in port_log. */
int port_start_log(uint16_t port, uint16_t nrx, uint16_t ntx, const struct rte_eth_conf *conf,
		   struct rte_mempool *mp);
/** An xstat by name; UINT64_MAX if the port has none of that name. */
uint64_t port_xstat(uint16_t port, const char *name);
/** Poll the link until it is up (want 1) or down (want 0); false after ms. */
bool port_wait_link(uint16_t port, int want, unsigned int ms);
/**
 * Another holder of tap name, as a VMM holds it: /dev/net/tun with flags
 * (TUNSETIFF) and, if hdrsz is not 0, that vnet header size.  The fd, or
 * -1 (said as a diagnostic).
 */
int port_tun_hold(const char *name, short flags, int hdrsz);
/**
 * The frame b of len bytes as a chain of n mbufs from mp: segment i holds
 * sizes[i] bytes for i < n - 1, the last one the rest.  NULL if the pool
 * is empty (nothing is leaked).
 */
struct rte_mbuf *port_mbuf_chain(struct rte_mempool *mp, const uint8_t *b, uint32_t len,
				 unsigned int n, const uint32_t *sizes);
/**
 * Poll rx queues 0..nq-1 of port until a frame equal to want[] (len bytes)
 * arrives; every other frame (the kernel's own chatter, a frame queued
 * before the test began) is freed and counted in *others when given.
 * Returns the frame, its queue in *qid, or NULL after ms milliseconds.
 */
struct rte_mbuf *port_rx_match(uint16_t port, uint16_t nq, const uint8_t *want, uint32_t len,
			       unsigned int ms, uint16_t *qid, unsigned int *others);
/** Open file descriptors of this process. */
int test_nfds(void);

#endif
