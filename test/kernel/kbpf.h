/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 hashtap authors
 *
 * The BPF programs the kernel tests load (tun-hash-check, tun-stress, guest-hash),
 * written as raw instructions so that the tests need no libbpf or clang.
 */
#ifndef HASHTAP_TEST_KBPF_H
#define HASHTAP_TEST_KBPF_H

#include <stddef.h>
#include <stdint.h>

/*
 * An XDP program redirecting every frame to @ifindex, attached to @dev in
 * driver mode.  Returns the link's fd, or -1 with errno set; the verifier's
 * log, if @log is not NULL, goes to @log.
 */
int kbpf_xdp_redirect(const char *dev, int ifindex, char *log, size_t log_size);

/* A TUNSETSTEERINGEBPF program that always answers @queue: its fd, or -1. */
int kbpf_steering(int queue);

/*
 * Frames for the hash recorder carry a stamp where no hash looks: the
 * source MAC is 02:a5 (locally administered, unicast) followed by the
 * frame's number, big-endian.
 */
#define KBPF_STAMP_OFF	6
#define KBPF_STAMP	0x02a5

static inline void
kbpf_stamp(uint8_t *frame, uint32_t number)
{
	frame[KBPF_STAMP_OFF] = KBPF_STAMP >> 8;
	frame[KBPF_STAMP_OFF + 1] = KBPF_STAMP & 0xff;
	frame[KBPF_STAMP_OFF + 2] = (uint8_t)(number >> 24);
	frame[KBPF_STAMP_OFF + 3] = (uint8_t)(number >> 16);
	frame[KBPF_STAMP_OFF + 4] = (uint8_t)(number >> 8);
	frame[KBPF_STAMP_OFF + 5] = (uint8_t)number;
}

/*
 * A socket filter that records skb->hash of each stamped frame it sees
 * into an array map of @n + 1 u32: entry 0 counts the stamped frames,
 * entry i + 1 is the hash of frame number i (numbers from @n up are
 * counted, not recorded).  Keyed by the number, not by arrival order: a
 * frame the socket drops after the filter ran (a full receive queue)
 * cannot shift the others.  Accepts every frame whole.  Returns the
 * program's fd (*map_fd the map's), or -1 with errno set; the verifier's
 * log goes to @log.
 */
int kbpf_hash_recorder(unsigned int n, int *map_fd, char *log, size_t log_size);

#endif
