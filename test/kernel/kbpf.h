/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 hashtap authors
 *
 * The two BPF programs the kernel tests load (tun-hash-check, tun-stress),
 * written as raw instructions so that the tests need no libbpf or clang.
 */
#ifndef HASHTAP_TEST_KBPF_H
#define HASHTAP_TEST_KBPF_H

#include <stddef.h>

/*
 * An XDP program redirecting every frame to @ifindex, attached to @dev in
 * driver mode.  Returns the link's fd, or -1 with errno set; the verifier's
 * log, if @log is not NULL, goes to @log.
 */
int kbpf_xdp_redirect(const char *dev, int ifindex, char *log, size_t log_size);

/* A TUNSETSTEERINGEBPF program that always answers @queue: its fd, or -1. */
int kbpf_steering(int queue);

/*
 * A socket filter that records skb->hash of each frame it sees, in order,
 * into an array map of @n + 1 u32 (entry 0 counts the frames, entry i + 1
 * is the i-th frame's hash; frames past @n are counted, not recorded), and
 * accepts every frame whole.  Returns the program's fd (*map_fd the map's),
 * or -1 with errno set; the verifier's log goes to @log.
 */
int kbpf_hash_recorder(unsigned int n, int *map_fd, char *log, size_t log_size);

#endif
