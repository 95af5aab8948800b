/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 hashtap authors
 *
 * Deterministic random input for tests and benchmarks: a xorshift
 * generator, random frames of every kind the classifier knows (built with
 * pkt.h), tunnelled ones, random hash-type and tunnel-type sets.
 */

#ifndef HASHTAP_TEST_RND_H
#define HASHTAP_TEST_RND_H

#include <stdbool.h>
#include <stdint.h>

/** Seed the generator (any value; 0 is made odd). */
void rnd_seed(uint64_t seed);
uint32_t rnd(void);
/** 16 random bytes. */
void rnd_addr(uint8_t *a);
/**
 * A random frame: IPv4 (options, fragments), IPv6 (extension-header chains),
 * TCP/UDP/ICMP/SCTP/other, non-IP, 0-2 VLAN tags, sometimes cut short.
 * With whole_tags, never cut inside the VLAN tags or the type after them
 * (macvtap's receive path drops such frames before any tap sees them).
 * A frame that would not fit in cap bytes is never returned: another is
 * drawn (cap must hold the shortest, 64 bytes).
 * @return the length, at least 14.
 */
uint32_t rnd_frame(uint8_t *buf, uint32_t cap, bool whole_tags);
/** A non-empty set of VNET_HASH_TYPE_* bits, "all" a third of the time. */
uint32_t rnd_types(void);
/**
 * A random encapsulated frame, every kind of docs/tunnel-hash.md, half
 * of them pkt_encap() around a rnd_frame() (over IPv4 or IPv6, 0-1 outer
 * VLAN tags, inner Ethernet or IP, GRE flag sets, GENEVE options; now and
 * then a malformed one: reserved bits, another port or payload, an outer
 * fragment, a flipped header byte), half laid out byte by byte (0-3 outer
 * tags, IPv4 options and fragments, IPv6 extension headers, lying IP and
 * GENEVE option lengths, inner packets of the wrong IP version or not IP,
 * nested tunnels); either now and then cut short.  whole_tags as
 * rnd_frame().  cap must hold 400 bytes; frames are at most 1514 bytes
 * when cap allows the byte-by-byte kind (700).
 * @return the length, at least 14.
 */
uint32_t rnd_tunnel_frame(uint8_t *buf, uint32_t cap, bool whole_tags);
/** A non-empty set of VNET_HASH_TUNNEL_* bits, "all" a third of the time. */
uint32_t rnd_tunnels(void);

#endif
