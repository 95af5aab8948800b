/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 hashtap authors
 */

/*
 * net_hashtap: a poll-mode driver for Linux tap and macvtap interfaces
 * whose received frames carry the virtio-net hash: the kernel's
 * (kernel-patch/, probed through TUNGETVNETHASHCAP) or, on a kernel
 * without it, the same value computed by lib/vnet_hash.
 *
 *   --vdev net_hashtap0[,iface=NAME][,macvtap=NAME][,mac=XX:..][,persist=0|1]
 *          [,hash=auto|kernel|software|off][,io=auto|uring|syscall]
 *          [,tunnel_types=TYPE[:TYPE...]]
 */

#include <assert.h>
#include <ctype.h>
#include <dlfcn.h>
#include <limits.h>
#include <errno.h>
#include <inttypes.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <linux/if_tun.h>

#include <rte_alarm.h>
#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_interrupts.h>
#include <rte_kvargs.h>
#include <rte_malloc.h>
#include <ethdev_driver.h>
#include <ethdev_vdev.h>
#include <bus_vdev_driver.h>

#include "hashtap.h"
#include "rte_pmd_hashtap.h"

RTE_LOG_REGISTER(hashtap_logtype, pmd.net.hashtap, NOTICE);

#define ARG_IFACE	"iface"
#define ARG_MACVTAP	"macvtap"
#define ARG_MAC		"mac"
#define ARG_PERSIST	"persist"
#define ARG_HASH	"hash"
#define ARG_KEY		"key"
#define ARG_IO		"io"
#define ARG_SQPOLL	"sqpoll"
#define ARG_TUNNEL_TYPES "tunnel_types"
#define DEFAULT_IFACE	"hashtap%d"

static const char *const valid_args[] = {
	ARG_IFACE, ARG_MACVTAP, ARG_MAC, ARG_PERSIST, ARG_HASH, ARG_KEY, ARG_IO, ARG_SQPOLL,
	ARG_TUNNEL_TYPES, NULL
};

static const char *const io_names[] = {
	[HASHTAP_IO_SYSCALL] = "syscall",
	[HASHTAP_IO_URING] = "uring",
	[HASHTAP_IO_VHOST] = "vhost",
	[HASHTAP_IO_AUTO] = "auto",
};
static_assert((int)HASHTAP_IO_SYSCALL == RTE_PMD_HASHTAP_IO_SYSCALL &&
	      (int)HASHTAP_IO_URING == RTE_PMD_HASHTAP_IO_URING &&
	      (int)HASHTAP_IO_VHOST == RTE_PMD_HASHTAP_IO_VHOST,
	      "the public datapaths are the driver's");

static const char *const hash_mode_names[] = {
	[HASHTAP_HASH_AUTO] = "auto",
	[HASHTAP_HASH_KERNEL] = "kernel",
	[HASHTAP_HASH_SOFTWARE] = "software",
	[HASHTAP_HASH_OFF] = "off",
};

static const char *const hash_src_names[] = {
	[HASHTAP_SRC_NONE] = "none",
	[HASHTAP_SRC_KERNEL] = "kernel",
	[HASHTAP_SRC_SOFTWARE] = "software",
};
static_assert((int)HASHTAP_SRC_NONE == RTE_PMD_HASHTAP_HASH_SRC_NONE &&
	      (int)HASHTAP_SRC_KERNEL == RTE_PMD_HASHTAP_HASH_SRC_KERNEL &&
	      (int)HASHTAP_SRC_SOFTWARE == RTE_PMD_HASHTAP_HASH_SRC_SOFTWARE,
	      "the public hash sources are the driver's");

#define RX_OFFLOADS (RTE_ETH_RX_OFFLOAD_SCATTER | RTE_ETH_RX_OFFLOAD_TCP_LRO | \
		     RTE_ETH_RX_OFFLOAD_TCP_CKSUM | RTE_ETH_RX_OFFLOAD_UDP_CKSUM | \
		     RTE_ETH_RX_OFFLOAD_RSS_HASH)
#define TX_OFFLOADS (RTE_ETH_TX_OFFLOAD_MULTI_SEGS | RTE_ETH_TX_OFFLOAD_IPV4_CKSUM | \
		     RTE_ETH_TX_OFFLOAD_TCP_CKSUM | RTE_ETH_TX_OFFLOAD_UDP_CKSUM | \
		     RTE_ETH_TX_OFFLOAD_TCP_TSO)

struct devargs {
	const char *iface;
	const char *macvtap;
	struct rte_ether_addr mac;
	bool mac_set;
	bool persist;
	enum hashtap_hash_mode hash;
	bool key_set;
	uint8_t key[HASHTAP_KEY_SIZE];
	enum hashtap_io io;
	int sqpoll_cpu;
	uint32_t tunnel_types;	/**< what RSS level INNERMOST looks into */
};

/* 40 bytes in hex, ':' between bytes allowed */
static int
parse_key(const char *v, uint8_t *key)
{
	unsigned int n = 0;

	while (*v != '\0' && n < HASHTAP_KEY_SIZE) {
		unsigned int byte;

		if (*v == ':') {
			v++;
			continue;
		}
		if (!isxdigit((unsigned char)v[0]) || !isxdigit((unsigned char)v[1]) ||
		    sscanf(v, "%2x", &byte) != 1)
			return -1;
		key[n++] = (uint8_t)byte;
		v += 2;
	}
	return n == HASHTAP_KEY_SIZE && *v == '\0' ? 0 : -1;
}

/*
 * tunnel_types=vxlan:geneve:... (devargs separate their pairs with commas,
 * so the list takes ':'): vnet_hash_tunnels_parse()'s names.
 */
static int
parse_tunnel_types(const char *name, const char *v, uint32_t *types)
{
	char list[128], *c;
	const char *bad = NULL;

	if (strlen(v) >= sizeof(list) || strchr(v, ',') != NULL) {
		HT_LOG(ERR, "%s: %s=%s: expected a ':'-separated list of tunnel types", name,
		       ARG_TUNNEL_TYPES, v);
		return -EINVAL;
	}
	strlcpy(list, v, sizeof(list));
	for (c = list; *c != '\0'; c++)
		if (*c == ':')
			*c = ',';
	if (vnet_hash_tunnels_parse(list, types, &bad) < 0) {
		int len = 0;

		if (bad != NULL) {
			len = (int)strcspn(bad, ",");
			bad = v + (bad - list);
		}
		HT_LOG(ERR, "%s: %s=%s: unknown tunnel type \"%.*s\" (known: gre_2784, gre_2890, gre_7676, gre_udp, vxlan, vxlan_gpe, geneve, ipip, nvgre; gre, all, none; ':' between them)",
		       name, ARG_TUNNEL_TYPES, v, len, bad != NULL ? bad : "");
		return -EINVAL;
	}
	return 0;
}

/* Whether CPU cpu exists and is online (the kernel's SQPOLL thread needs it). */
static bool
cpu_online(long cpu)
{
	char path[64], c = '0';
	FILE *f;

	if (cpu < 0 || cpu >= sysconf(_SC_NPROCESSORS_CONF))
		return false;
	snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%ld/online", cpu);
	f = fopen(path, "r");
	if (f == NULL)
		return true;	/* no file: a CPU that cannot go offline (cpu0) */
	if (fread(&c, 1, 1, f) != 1)
		c = '0';
	fclose(f);
	return c == '1';
}

/* ------------------------------------------------------------ devargs */

static int
parse_devargs(const char *name, const char *args, struct rte_kvargs **kvl, struct devargs *da)
{
	struct rte_kvargs *kv;
	unsigned int i, j;

	*kvl = NULL;
	memset(da, 0, sizeof(*da));
	da->hash = HASHTAP_HASH_AUTO;
	da->io = HASHTAP_IO_AUTO;
	da->sqpoll_cpu = -1;
	da->tunnel_types = VNET_HASH_TUNNEL_ALL;
	if (args == NULL || args[0] == '\0')
		return 0;
	{
		unsigned int pairs = 1;
		const char *c;

		for (c = args; *c != '\0'; c++)
			pairs += *c == ',';
		if (strchr(args, '[') != NULL || strchr(args, ']') != NULL) {
			HT_LOG(ERR, "%s: devargs \"%s\": no key takes a list ([...])", name, args);
			return -EINVAL;
		}
		if (strstr(args, ",,") != NULL || args[0] == ',' || args[strlen(args) - 1] == ',') {
			HT_LOG(ERR, "%s: devargs \"%s\": an empty key=value pair", name, args);
			return -EINVAL;
		}
		if (pairs > RTE_KVARGS_MAX) {
			HT_LOG(ERR, "%s: devargs: %u key=value pairs, each key is taken once (%zu keys)",
			       name, pairs, RTE_DIM(valid_args) - 1);
			return -EINVAL;
		}
	}
	kv = rte_kvargs_parse(args, NULL);
	if (kv == NULL) {
		HT_LOG(ERR, "%s: cannot parse devargs \"%s\" (expected key=value,...)", name, args);
		return -EINVAL;
	}
	*kvl = kv;
	for (i = 0; i < kv->count; i++) {
		const char *key = kv->pairs[i].key, *val = kv->pairs[i].value;

		for (j = 0; valid_args[j] != NULL; j++)
			if (strcmp(key, valid_args[j]) == 0)
				break;
		if (valid_args[j] == NULL) {
			HT_LOG(ERR, "%s: unknown devargs key \"%s\" (valid: iface, macvtap, mac, persist, hash, key, io, sqpoll, tunnel_types)",
			       name, key);
			return -EINVAL;
		}
		if (rte_kvargs_count(kv, key) > 1) {
			HT_LOG(ERR, "%s: devargs key \"%s\" given %u times (once at most)", name, key,
			       rte_kvargs_count(kv, key));
			return -EINVAL;
		}
		if (val == NULL || val[0] == '\0') {
			HT_LOG(ERR, "%s: devargs key \"%s\" needs a value", name, key);
			return -EINVAL;
		}
		if (strcmp(key, ARG_IFACE) == 0 || strcmp(key, ARG_MACVTAP) == 0) {
			if (strlen(val) >= IFNAMSIZ || strpbrk(val, "/: \t\n=") != NULL ||
			    strcmp(val, ".") == 0 || strcmp(val, "..") == 0) {
				HT_LOG(ERR, "%s: %s=%s: not a valid interface name (at most %d characters, no '/', ':', '=' or space)",
				       name, key, val, IFNAMSIZ - 1);
				return -EINVAL;
			}
			if (key[0] == 'i')
				da->iface = val;
			else
				da->macvtap = val;
		} else if (strcmp(key, ARG_MAC) == 0) {
			if (rte_ether_unformat_addr(val, &da->mac) < 0 ||
			    !rte_is_unicast_ether_addr(&da->mac) || rte_is_zero_ether_addr(&da->mac)) {
				HT_LOG(ERR, "%s: mac=%s: not a unicast MAC address (XX:XX:XX:XX:XX:XX)",
				       name, val);
				return -EINVAL;
			}
			da->mac_set = true;
		} else if (strcmp(key, ARG_KEY) == 0) {
			if (parse_key(val, da->key) < 0) {
				HT_LOG(ERR, "%s: key=%s: expected %u bytes in hex", name, val,
				       HASHTAP_KEY_SIZE);
				return -EINVAL;
			}
			da->key_set = true;
		} else if (strcmp(key, ARG_PERSIST) == 0) {
			if (strcmp(val, "0") != 0 && strcmp(val, "1") != 0) {
				HT_LOG(ERR, "%s: persist=%s: expected 0 or 1", name, val);
				return -EINVAL;
			}
			da->persist = val[0] == '1';
		} else if (strcmp(key, ARG_IO) == 0) {
			for (j = 0; j < RTE_DIM(io_names); j++)
				if (strcmp(val, io_names[j]) == 0)
					break;
			if (j == RTE_DIM(io_names)) {
				HT_LOG(ERR, "%s: io=%s: expected auto, uring, vhost or syscall", name, val);
				return -EINVAL;
			}
			da->io = (enum hashtap_io)j;
		} else if (strcmp(key, ARG_SQPOLL) == 0) {
			char *end;
			long cpu = strtol(val, &end, 10);

			if (*end != '\0' || !isdigit((unsigned char)val[0]) || cpu >= CPU_SETSIZE) {
				HT_LOG(ERR, "%s: sqpoll=%s: expected a CPU number", name, val);
				return -EINVAL;
			}
			if (!cpu_online(cpu)) {
				HT_LOG(ERR, "%s: sqpoll=%s: no such CPU online (this machine has %ld)",
				       name, val, sysconf(_SC_NPROCESSORS_CONF));
				return -EINVAL;
			}
			da->sqpoll_cpu = (int)cpu;
		} else if (strcmp(key, ARG_TUNNEL_TYPES) == 0) {
			if (parse_tunnel_types(name, val, &da->tunnel_types) < 0)
				return -EINVAL;
		} else {
			for (j = 0; j < RTE_DIM(hash_mode_names); j++)
				if (strcmp(val, hash_mode_names[j]) == 0)
					break;
			if (j == RTE_DIM(hash_mode_names)) {
				HT_LOG(ERR, "%s: hash=%s: expected auto, kernel, software or off",
				       name, val);
				return -EINVAL;
			}
			da->hash = (enum hashtap_hash_mode)j;
		}
	}
	if (da->iface != NULL && da->macvtap != NULL) {
		HT_LOG(ERR, "%s: iface= and macvtap= exclude each other", name);
		return -EINVAL;
	}
	if (da->sqpoll_cpu >= 0 && (da->io == HASHTAP_IO_SYSCALL || da->io == HASHTAP_IO_VHOST)) {
		HT_LOG(ERR, "%s: sqpoll= is for io=uring", name);
		return -EINVAL;
	}
	if (da->macvtap != NULL && da->persist) {
		HT_LOG(ERR, "%s: persist= is for taps the port creates, not macvtap=", name);
		return -EINVAL;
	}
	return 0;
}

/* ------------------------------------------------------------ hash state */

/* The state in force; control path only, under pmd->lock. */
static inline struct hashtap_rss *
rss_cur(struct pmd_internals *pmd)
{
	return atomic_load_explicit(&pmd->rss, memory_order_relaxed);
}

/* A private copy of the state in force, for a control operation to edit. */
static struct hashtap_rss *
rss_clone(struct pmd_internals *pmd)
{
	struct hashtap_rss *n = rte_malloc("hashtap_rss", sizeof(*n), RTE_CACHE_LINE_SIZE);

	if (n == NULL)
		HT_LOG(ERR, "%s: no memory for the RSS state", pmd->devname);
	else
		*n = *rss_cur(pmd);
	return n;
}

/*
 * Make next the state rx bursts read, and free the one it replaces once
 * every rx queue has left the burst that might still read it.  Bursts are
 * short and never block, so this waits microseconds; a queue that is not
 * being polled is offline and is not waited for.
 */
static void
rss_publish(struct pmd_internals *pmd, struct hashtap_rss *next)
{
	struct hashtap_rss *old;

	next->gen = rss_cur(pmd)->gen + 1;
	old = atomic_exchange_explicit(&pmd->rss, next, memory_order_acq_rel);

	rte_rcu_qsbr_synchronize(pmd->qs, RTE_QSBR_THRID_INVALID);
	rte_free(old);
}

/* The first state (no hash, the devargs' key) and its readers' QSBR variable. */
static int
rss_init(struct pmd_internals *pmd, const uint8_t *key)
{
	size_t sz = rte_rcu_qsbr_get_memsize(HASHTAP_MAX_QUEUES);
	struct hashtap_rss *rs;

	pmd->qs = rte_zmalloc("hashtap_qsbr", sz, RTE_CACHE_LINE_SIZE);
	rs = rte_zmalloc("hashtap_rss", sizeof(*rs), RTE_CACHE_LINE_SIZE);
	if (pmd->qs == NULL || rs == NULL || rte_rcu_qsbr_init(pmd->qs, HASHTAP_MAX_QUEUES) != 0) {
		rte_free(rs);
		HT_LOG(ERR, "%s: no memory for the RSS state", pmd->devname);
		return -ENOMEM;
	}
	rs->src = HASHTAP_SRC_NONE;
	rs->rx_src = HASHTAP_SRC_NONE;
	rs->rss.reta_size = HASHTAP_RETA_SIZE;
	vnet_hash_key_set(&rs->rss.key, key, HASHTAP_KEY_SIZE);
	atomic_store_explicit(&pmd->rss, rs, memory_order_release);
	return 0;
}

/* After the queues are gone: nobody reads the state any more. */
static void
rss_fini(struct pmd_internals *pmd)
{
	rte_free(atomic_exchange_explicit(&pmd->rss, NULL, memory_order_acq_rel));
	rte_free(pmd->qs);
	pmd->qs = NULL;
}

/* Whether the kernel has TUNSETVNETHASHTUNNEL (its capability names types). */
static bool
kernel_has_tunnel(const struct pmd_internals *pmd)
{
	return pmd->kernel_cap && pmd->cap.supported_tunnel_types != 0;
}

/* Tell the kernel which tunnel types it looks into (when it can be told). */
static int
kernel_tunnel_apply(struct pmd_internals *pmd, const struct hashtap_rss *rs)
{
	uint32_t types = rs->kernel_tunnel ? rs->tunnel_types : 0;
	int err;

	if (!kernel_has_tunnel(pmd) || pmd->nb_fds == 0 || pmd->gone)
		return 0;
	err = vnet_hash_tun_set_tunnel(pmd->qfd[0], types);
	if (err < 0)
		HT_LOG(ERR, "%s: the kernel refused the tunnel types 0x%x (TUNSETVNETHASHTUNNEL): %s",
		       pmd->devname, types, strerror(-err));
	return err;
}

/* Tell the kernel what state rs says (kernel source only): hash or RSS,
 * then the tunnel types. */
static int
kernel_hash_apply(struct pmd_internals *pmd, const struct hashtap_rss *rs)
{
	struct vnet_hash_config c;
	int err;

	if (!pmd->kernel_cap || pmd->nb_fds == 0 || pmd->gone)
		return 0;
	memset(&c, 0, sizeof(c));
	if (rs->src != HASHTAP_SRC_KERNEL || rs->rss.hash_types == 0) {
		err = vnet_hash_tun_set_hash(pmd->qfd[0], &c);	/* off */
		return err < 0 ? err : kernel_tunnel_apply(pmd, rs);
	}
	if (rs->steer) {
		err = vnet_hash_tun_set_rss(pmd->qfd[0], &rs->rss);
	} else {
		c.hash_types = rs->rss.hash_types;
		c.key = rs->rss.key;
		err = vnet_hash_tun_set_hash(pmd->qfd[0], &c);
	}
	if (err < 0) {
		HT_LOG(ERR, "%s: the kernel refused the %s configuration: %s", pmd->devname,
		       rs->steer ? "RSS (TUNSETVNETRSS)" : "hash (TUNSETVNETHASH)", strerror(-err));
		return err;
	}
	return kernel_tunnel_apply(pmd, rs);
}

/*
 * Fill in what follows from next's source and tunnel types: whether the
 * kernel looks into them (its capability covers every one) and where rx
 * bursts take the hash from (software where it does not, and with
 * io=vhost, whose kernel thread reads frames behind the port's back: a
 * burst cannot tell which state a kernel hash in them was computed under).
 */
static void
rss_derive(const struct pmd_internals *pmd, struct hashtap_rss *next)
{
	next->kernel_tunnel = next->src == HASHTAP_SRC_KERNEL && next->tunnel_types != 0 &&
		kernel_has_tunnel(pmd) &&
		(next->tunnel_types & ~pmd->cap.supported_tunnel_types) == 0;
	next->rx_src = next->src;
	if (next->src == HASHTAP_SRC_KERNEL &&
	    ((next->tunnel_types != 0 && !next->kernel_tunnel) || pmd->io == HASHTAP_IO_VHOST))
		next->rx_src = HASHTAP_SRC_SOFTWARE;
}

/*
 * Give next to the kernel and publish it (pmd->lock held); on an error
 * nothing is published and the kernel is put back to the state in force.
 * The kernel takes the hash/RSS configuration and the tunnel types in two
 * calls, so between them it would hash with the new key/types/table and
 * the old tunnel types (or the reverse): a state neither configuration
 * has.  When both change under the kernel's hash, the bursts compute the
 * old state in software before the first call and the new one after the
 * second, so no burst passes on a hash of that mix.
 */
static int
rss_commit(struct pmd_internals *pmd, struct hashtap_rss *next)
{
	const struct hashtap_rss *cur = rss_cur(pmd);
	struct hashtap_rss *bridge = NULL, *mid = NULL;
	bool both;
	int err;

	rss_derive(pmd, next);
	both = cur->rx_src == HASHTAP_SRC_KERNEL && next->rx_src == HASHTAP_SRC_KERNEL &&
		(cur->kernel_tunnel ? cur->tunnel_types : 0) !=
		(next->kernel_tunnel ? next->tunnel_types : 0) &&
		(cur->steer != next->steer || cur->rss.hash_types != next->rss.hash_types ||
		 memcmp(cur->rss.key.raw, next->rss.key.raw, sizeof(cur->rss.key.raw)) != 0 ||
		 memcmp(cur->rss.reta, next->rss.reta, sizeof(cur->rss.reta)) != 0);
	if (both) {
		bridge = rss_clone(pmd);
		mid = rte_malloc("hashtap_rss", sizeof(*mid), RTE_CACHE_LINE_SIZE);
		if (bridge == NULL || mid == NULL) {
			rte_free(bridge);
			rte_free(mid);
			return -ENOMEM;
		}
		*mid = *next;
		bridge->rx_src = HASHTAP_SRC_SOFTWARE;
		mid->rx_src = HASHTAP_SRC_SOFTWARE;
		rss_publish(pmd, bridge);	/* the old state, in software */
	}
	err = kernel_hash_apply(pmd, next);
	if (err < 0) {
		kernel_hash_apply(pmd, rss_cur(pmd));	/* back to the state in force */
		if (both) {
			/* the old state again, the kernel's hash */
			*mid = *rss_cur(pmd);
			mid->rx_src = HASHTAP_SRC_KERNEL;
			rss_publish(pmd, mid);
		}
		return err;
	}
	if (both)
		rss_publish(pmd, mid);	/* the new state, in software */
	rss_publish(pmd, next);
	return 0;
}

/*
 * The tunnel types an rss_hf asks for by its RTE_ETH_RSS_LEVEL_* bits:
 * INNERMOST the devargs' (all by default), OUTERMOST and PMD_DEFAULT none.
 * -EINVAL, said, for level 3 or INNERMOST when tunnel_types=none.
 */
static int
rss_level_tunnels(const struct pmd_internals *pmd, uint64_t rss_hf, uint32_t *tunnels)
{
	switch (RTE_ETH_RSS_LEVEL(rss_hf)) {
	case 0:		/* RTE_ETH_RSS_LEVEL_PMD_DEFAULT */
	case 1:		/* RTE_ETH_RSS_LEVEL_OUTERMOST */
		*tunnels = 0;
		return 0;
	case 2:		/* RTE_ETH_RSS_LEVEL_INNERMOST */
		if (pmd->tunnel_avail == 0) {
			HT_LOG(ERR, "%s: RSS level INNERMOST, but devargs tunnel_types=none: no tunnel to look into",
			       pmd->devname);
			return -EINVAL;
		}
		*tunnels = pmd->tunnel_avail;
		return 0;
	default:
		HT_LOG(ERR, "%s: rss_hf 0x%" PRIx64 ": RSS level %" PRIu64 " (RTE_ETH_RSS_LEVEL_MASK): expected PMD_DEFAULT, OUTERMOST or INNERMOST",
		       pmd->devname, rss_hf, (uint64_t)RTE_ETH_RSS_LEVEL(rss_hf));
		return -EINVAL;
	}
}

/* What rss_hash_conf_get says: the types in force and the level asked. */
static uint64_t
rss_hf_in_force(const struct hashtap_rss *rs, uint64_t asked)
{
	if (rs->rss.hash_types == 0)
		return 0;
	return vnet_hash_types_to_rss(rs->rss.hash_types) | (asked & RTE_ETH_RSS_LEVEL_MASK);
}

/* The RTE_ETH_RSS_LEVEL_* bits the port takes (flow_type_rss_offloads). */
static uint64_t
rss_level_capa(const struct pmd_internals *pmd)
{
	return RTE_ETH_RSS_LEVEL_OUTERMOST |
		(pmd->tunnel_avail != 0 ? RTE_ETH_RSS_LEVEL_INNERMOST : 0);
}

static uint32_t
supported_types(const struct pmd_internals *pmd)
{
	return pmd->kernel_cap && pmd->hash_mode != HASHTAP_HASH_SOFTWARE ?
		pmd->cap.supported_hash_types & VNET_HASH_TYPE_ALL : VNET_HASH_TYPE_ALL;
}

static uint16_t
reta_size(const struct pmd_internals *pmd)
{
	if (pmd->kernel_cap && pmd->hash_mode != HASHTAP_HASH_SOFTWARE &&
	    pmd->cap.max_table_length < HASHTAP_RETA_SIZE)
		return (uint16_t)rte_align32prevpow2(pmd->cap.max_table_length);
	return HASHTAP_RETA_SIZE;
}

/* ------------------------------------------------------------ ops */

static int
hashtap_link_update(struct rte_eth_dev *dev, int wait __rte_unused)
{
	struct pmd_internals *pmd = dev->data->dev_private;
	struct rte_eth_link link = {
		.link_speed = RTE_ETH_SPEED_NUM_10G,
		.link_duplex = RTE_ETH_LINK_FULL_DUPLEX,
		.link_autoneg = RTE_ETH_LINK_FIXED,
		.link_status = RTE_ETH_LINK_DOWN,
	};
	short flags = 0;

	pthread_mutex_lock(&pmd->lock);
	if (!pmd->gone && !pmd->foreign && hashtap_netif_get_flags(pmd, &flags) == 0 &&
	    (flags & IFF_UP) && (flags & IFF_RUNNING) && dev->data->dev_started)
		link.link_status = RTE_ETH_LINK_UP;
	pthread_mutex_unlock(&pmd->lock);
	return rte_eth_linkstatus_set(dev, &link);
}

#define FOREIGN_CHECK_US	1000000

/* Every second while started: the checks a link notification may miss. */
static void
foreign_alarm(void *arg)
{
	struct rte_eth_dev *dev = arg;
	struct pmd_internals *pmd = dev->data->dev_private;
	bool was;

	pthread_mutex_lock(&pmd->lock);
	was = pmd->foreign;
	hashtap_netif_check_foreign(pmd);
	pthread_mutex_unlock(&pmd->lock);
	if (was != pmd->foreign && hashtap_link_update(dev, 0) == 0 &&
	    dev->data->dev_conf.intr_conf.lsc)
		rte_eth_dev_callback_process(dev, RTE_ETH_EVENT_INTR_LSC, NULL);
	if (pmd->started)
		rte_eal_alarm_set(FOREIGN_CHECK_US, foreign_alarm, dev);
}

static void
hashtap_lsc_handler(void *arg)
{
	struct rte_eth_dev *dev = arg;
	struct pmd_internals *pmd = dev->data->dev_private;
	bool changed;

	pthread_mutex_lock(&pmd->lock);
	changed = hashtap_netif_nl_drain(pmd);
	pthread_mutex_unlock(&pmd->lock);
	if (changed && hashtap_link_update(dev, 0) == 0 && dev->data->dev_conf.intr_conf.lsc)
		rte_eth_dev_callback_process(dev, RTE_ETH_EVENT_INTR_LSC, NULL);
}

static int
netif_op(struct rte_eth_dev *dev, short set, short clear, const char *what)
{
	struct pmd_internals *pmd = dev->data->dev_private;
	int err;

	pthread_mutex_lock(&pmd->lock);
	err = hashtap_netif_flags(pmd, set, clear);
	pthread_mutex_unlock(&pmd->lock);
	if (err < 0)
		HT_LOG(ERR, "%s: %s on %s: %s", pmd->devname, what, pmd->ifname, strerror(-err));
	return err;
}

/*
 * Every queue takes the fd it must use now: rx queue i and tx queue j use
 * fds i and j mod nb_fds.  A reconfigure closes and opens fds, and ethdev
 * keeps the queues below the new counts: without this they would keep fds
 * that are closed, or that the application has since got for something
 * else.
 */
static void
queues_bind(struct rte_eth_dev *dev)
{
	struct pmd_internals *pmd = dev->data->dev_private;
	uint16_t i;

	for (i = 0; i < dev->data->nb_rx_queues; i++) {
		struct hashtap_rxq *q = dev->data->rx_queues[i];

		if (q != NULL)
			q->fd = pmd->qfd[i % pmd->nb_fds];
	}
	for (i = 0; i < dev->data->nb_tx_queues; i++) {
		struct hashtap_txq *q = dev->data->tx_queues[i];

		if (q != NULL)
			q->fd = pmd->qfd[i % pmd->nb_fds];
	}
}

/* One line when the tunnel types in force change: which, and who hashes them. */
static void
tunnel_log(struct pmd_internals *pmd)
{
	const struct hashtap_rss *rs = rss_cur(pmd);
	char list[128];

	if (rs->tunnel_types == 0)
		return;
	vnet_hash_tunnels_format(rs->tunnel_types, list, sizeof(list));
	HT_LOG(INFO, "%s: RSS level INNERMOST: inner-header hash of %s, %s", pmd->devname, list,
	       rs->kernel_tunnel ? "by the kernel (TUNSETVNETHASHTUNNEL)" :
	       rs->src == HASHTAP_SRC_KERNEL ? "in software (the kernel cannot look into them all)" :
	       "in software");
}

/*
 * The port's steering program (hashtap_netif_steering()), where it helps:
 * not where the kernel's RSS steers by the RETA (a program would override
 * it), and not while inner hashing is asked for (RSS level
 * INNERMOST): the program folds the outer header, where tun's own
 * steering looks into GRE and IPIP and spreads a tunnel's inner flows.
 * Under pmd->lock.
 */
static void
steering_update(struct pmd_internals *pmd)
{
	const struct hashtap_rss *rs = rss_cur(pmd);
	bool kernel_steers = pmd->hash_src == HASHTAP_SRC_KERNEL && rs->steer &&
		rs->rss.hash_types != 0;

	hashtap_netif_steering(pmd, !kernel_steers && rs->tunnel_types == 0);
}

/*
 * Everything that can be refused is checked before anything changes; the
 * hash state is replaced only when the queues and the kernel took the new
 * one, so a failed configure leaves the hash source, types, key and table
 * as they were.
 */
static int
hashtap_dev_configure(struct rte_eth_dev *dev)
{
	struct pmd_internals *pmd = dev->data->dev_private;
	const struct rte_eth_conf *conf = &dev->data->dev_conf;
	const struct rte_eth_rss_conf *rc = &conf->rx_adv_conf.rss_conf;
	uint64_t rxo = conf->rxmode.offloads, unsupported = 0, tun_off = 0;
	uint16_t nb_rx = dev->data->nb_rx_queues;
	bool want = (conf->rxmode.mq_mode & RTE_ETH_MQ_RX_RSS_FLAG) ||
		(rxo & RTE_ETH_RX_OFFLOAD_RSS_HASH);
	enum hashtap_hash_src src;
	struct hashtap_rss *next;
	uint32_t types, tunnels;
	unsigned int i;
	int err;

	if (pmd->gone) {
		HT_LOG(ERR, "%s: the interface is gone", pmd->devname);
		return -ENODEV;
	}
	if (!want || pmd->hash_mode == HASHTAP_HASH_OFF) {
		src = HASHTAP_SRC_NONE;
	} else if (pmd->hash_mode == HASHTAP_HASH_SOFTWARE) {
		src = HASHTAP_SRC_SOFTWARE;
	} else if (pmd->kernel_cap) {
		src = HASHTAP_SRC_KERNEL;
	} else if (pmd->hash_mode == HASHTAP_HASH_KERNEL) {
		HT_LOG(ERR, "%s: hash=kernel, but this kernel has no virtio-net hash for taps (TUNGETVNETHASHCAP failed): use hash=auto or hash=software",
		       pmd->devname);
		return -ENOTSUP;
	} else {
		src = HASHTAP_SRC_SOFTWARE;
	}
	types = vnet_hash_types_from_rss(rc->rss_hf & ~RTE_ETH_RSS_LEVEL_MASK, &unsupported);
	if (unsupported != 0) {
		HT_LOG(ERR, "%s: rss_hf 0x%" PRIx64 " has types a virtio-net hash does not have (0x%" PRIx64 ")",
		       pmd->devname, rc->rss_hf, unsupported);
		return -EINVAL;
	}
	err = rss_level_tunnels(pmd, rc->rss_hf, &tunnels);
	if (err < 0)
		return err;
	if (rc->rss_key != NULL && rc->rss_key_len != HASHTAP_KEY_SIZE) {
		HT_LOG(ERR, "%s: RSS key of %u bytes, %u expected", pmd->devname,
		       rc->rss_key_len, HASHTAP_KEY_SIZE);
		return -EINVAL;
	}
	if (types == 0 && (rxo & RTE_ETH_RX_OFFLOAD_RSS_HASH))
		types = supported_types(pmd);	/* the offload alone: hash everything */
	types &= supported_types(pmd);
	if (rxo & (RTE_ETH_RX_OFFLOAD_TCP_CKSUM | RTE_ETH_RX_OFFLOAD_UDP_CKSUM |
		   RTE_ETH_RX_OFFLOAD_TCP_LRO))
		tun_off |= TUN_F_CSUM;	/* we take partial checksums */
	if (rxo & RTE_ETH_RX_OFFLOAD_TCP_LRO)
		tun_off |= TUN_F_TSO4 | TUN_F_TSO6 | TUN_F_TSO_ECN;

	pthread_mutex_lock(&pmd->lock);
	next = rss_clone(pmd);
	if (next == NULL) {
		pthread_mutex_unlock(&pmd->lock);
		return -ENOMEM;
	}
	next->src = src;
	next->steer = (conf->rxmode.mq_mode & RTE_ETH_MQ_RX_RSS_FLAG) != 0;
	next->rss.hash_types = src == HASHTAP_SRC_NONE ? 0 : types;
	next->tunnel_types = next->rss.hash_types != 0 ? tunnels : 0;
	if (rc->rss_key != NULL)
		vnet_hash_key_set(&next->rss.key, rc->rss_key, rc->rss_key_len);
	next->rss.reta_size = reta_size(pmd);
	next->rss.unclassified_queue = 0;
	next->rss.max_tx_vq = nb_rx;
	for (i = 0; i < next->rss.reta_size; i++)
		next->rss.reta[i] = (uint16_t)(nb_rx ? i % nb_rx : 0);
	err = hashtap_netif_queues(pmd, nb_rx, tun_off);
	if (err == 0)
		queues_bind(dev);
	if (err == 0 && dev->data->mtu != pmd->mtu)	/* rxmode.mtu */
		err = hashtap_netif_mtu(pmd, dev->data->mtu);
	if (err == 0)
		pmd->mtu = dev->data->mtu;
	if (err == 0)
		err = rss_commit(pmd, next);
	if (err == 0) {
		pmd->hash_src = src;
		pmd->rss_hf = rss_hf_in_force(next, rc->rss_hf);
		next = NULL;
	}
	/* also after a failure: the queue count may have changed */
	steering_update(pmd);
	pthread_mutex_unlock(&pmd->lock);
	rte_free(next);
	if (err < 0)
		return err;
	if (src == HASHTAP_SRC_SOFTWARE && (conf->rxmode.mq_mode & RTE_ETH_MQ_RX_RSS_FLAG) &&
	    nb_rx > 1)
		HT_LOG(NOTICE, "%s: hash values are exact (computed in software), but without the kernel feature %s picks the rx queue, not the RETA (xstat rx_reta_mismatch counts the frames)",
		       pmd->devname, pmd->steering ? "the port's flow steering program" :
		       "tun's flow steering");
	HT_LOG(INFO, "%s: %u rx / %u tx queues, hash source %s, types 0x%x", pmd->devname, nb_rx,
	       dev->data->nb_tx_queues, hash_src_names[src], src == HASHTAP_SRC_NONE ? 0 : types);
	tunnel_log(pmd);
	return 0;
}

/*
 * Mbufs one read needs on a queue for frames of this MTU (all of 64 KiB
 * with LRO); 0 after saying why it cannot take them.
 */
static uint32_t
rx_segs(struct rte_eth_dev *dev, uint16_t qid, struct rte_mempool *mp, uint16_t mtu)
{
	struct pmd_internals *pmd = dev->data->dev_private;
	uint64_t rxo = dev->data->dev_conf.rxmode.offloads;
	uint32_t room = rte_pktmbuf_data_room_size(mp);
	uint32_t frame = (uint32_t)mtu + RTE_ETHER_HDR_LEN + 2 * RTE_VLAN_HLEN;
	uint32_t segs;

	if (room <= RTE_PKTMBUF_HEADROOM) {
		HT_LOG(ERR, "%s: rx queue %u: mempool %s has no data room", pmd->devname, qid,
		       mp->name);
		return 0;
	}
	room -= RTE_PKTMBUF_HEADROOM;
	if (rxo & RTE_ETH_RX_OFFLOAD_TCP_LRO)
		frame = HASHTAP_MAX_RX_PKTLEN;
	segs = (frame + room - 1) / room;
	if (segs > 1 && !(rxo & (RTE_ETH_RX_OFFLOAD_SCATTER | RTE_ETH_RX_OFFLOAD_TCP_LRO))) {
		HT_LOG(ERR, "%s: rx queue %u: %u-byte frames (MTU %u) do not fit %u-byte mbufs: enable scatter or use larger mbufs",
		       pmd->devname, qid, frame, mtu, room);
		return 0;
	}
	if (segs > HASHTAP_MAX_SEGS) {
		HT_LOG(ERR, "%s: rx queue %u: %u-byte frames need %u mbufs of %u bytes, at most %u",
		       pmd->devname, qid, frame, segs, room, HASHTAP_MAX_SEGS);
		return 0;
	}
	return segs;
}

/* How many mbufs a read takes; the stash is empty (stopped, or never run). */
static void
rxq_size(struct hashtap_rxq *q, uint32_t segs)
{
	q->segs_per_pkt = (uint16_t)segs;
	q->stash_cap = (uint16_t)(RTE_MIN(RTE_MAX(q->nb_desc, 1), HASHTAP_BURST_MAX) + segs - 1);
}

/*
 * io=uring reads a queue's frames into single mbufs, and a read that fills
 * its buffer to the last byte may have been cut (a tap's read returns what
 * fit): so frames of the MTU must fit one mbuf with a byte to spare, and
 * frames that may span mbufs (scatter, LRO) are read with readv(), which
 * reads past the mbufs into the spill buffer.
 */
static bool
rxq_uring_fits(const struct hashtap_rxq *q, uint16_t mtu)
{
	uint32_t room = rte_pktmbuf_data_room_size(q->mp) - RTE_PKTMBUF_HEADROOM;
	uint32_t frame = (uint32_t)mtu + RTE_ETHER_HDR_LEN + 2 * RTE_VLAN_HLEN;

	return !q->scatter && frame < room;
}

static int
rxq_start(struct rte_eth_dev *dev, uint16_t qid)
{
	struct pmd_internals *pmd = dev->data->dev_private;
	struct hashtap_rxq *q = dev->data->rx_queues[qid];
	int err;

	if (pmd->io == HASHTAP_IO_VHOST) {
		char why[160];

		err = hashtap_vhost_rx_check(q, why, sizeof(why));
		if (err == 0 && !rxq_uring_fits(q, dev->data->mtu)) {
			snprintf(why, sizeof(why), "its frames may span mbufs (scatter, LRO, or the MTU fills an mbuf), which io=vhost does not read");
			err = -EINVAL;
		}
		if (err < 0) {
			HT_LOG(ERR, "%s: rx queue %u: %s", pmd->devname, qid, why);
			return err;
		}
		err = hashtap_vrx_create(q);
		if (err < 0)
			return err;
	} else if (pmd->io == HASHTAP_IO_URING && rxq_uring_fits(q, dev->data->mtu)) {
		err = hashtap_urx_create(q);
		if (err < 0)
			return err;
	} else if (pmd->io == HASHTAP_IO_URING) {
		HT_LOG(INFO, "%s: rx queue %u reads with readv(): its frames may span mbufs (scatter, LRO, or the MTU fills an mbuf)",
		       pmd->devname, qid);
	}
	q->stopped = false;
	dev->data->rx_queue_state[qid] = RTE_ETH_QUEUE_STATE_STARTED;
	return 0;
}

/* The application polls the queue no more: every mbuf it holds goes back. */
static int
rxq_stop(struct rte_eth_dev *dev, uint16_t qid)
{
	struct hashtap_rxq *q = dev->data->rx_queues[qid];

	if (q != NULL) {
		q->stopped = true;
		hashtap_rxq_drain(q);
	}
	dev->data->rx_queue_state[qid] = RTE_ETH_QUEUE_STATE_STOPPED;
	return 0;
}

static int
txq_start(struct rte_eth_dev *dev, uint16_t qid)
{
	struct pmd_internals *pmd = dev->data->dev_private;
	struct hashtap_txq *q = dev->data->tx_queues[qid];
	int err;

	if (pmd->io == HASHTAP_IO_URING) {
		err = hashtap_utx_create(q);
		if (err < 0)
			return err;
	} else if (pmd->io == HASHTAP_IO_VHOST) {
		err = hashtap_vtx_create(q);
		if (err < 0)
			return err;
	}
	q->stopped = false;
	dev->data->tx_queue_state[qid] = RTE_ETH_QUEUE_STATE_STARTED;
	return 0;
}

/* Writes in flight complete first: their mbufs are freed then, not before. */
static int
txq_stop(struct rte_eth_dev *dev, uint16_t qid)
{
	struct hashtap_txq *q = dev->data->tx_queues[qid];

	if (q != NULL) {
		q->stopped = true;
		hashtap_utx_destroy(q);
		hashtap_vtx_destroy(q);
	}
	dev->data->tx_queue_state[qid] = RTE_ETH_QUEUE_STATE_STOPPED;
	return 0;
}

static void
queues_stop(struct rte_eth_dev *dev)
{
	uint16_t i;

	for (i = 0; i < dev->data->nb_rx_queues; i++)
		rxq_stop(dev, i);
	for (i = 0; i < dev->data->nb_tx_queues; i++)
		txq_stop(dev, i);
}

static int
hashtap_dev_start(struct rte_eth_dev *dev)
{
	struct pmd_internals *pmd = dev->data->dev_private;
	uint16_t i;
	int err;

	if (pmd->gone) {
		HT_LOG(ERR, "%s: the interface is gone", pmd->devname);
		return -ENODEV;
	}
	pthread_mutex_lock(&pmd->lock);
	hashtap_netif_check_foreign(pmd);
	pthread_mutex_unlock(&pmd->lock);
	if (pmd->foreign) {
		HT_LOG(ERR, "%s: another process holds %s with another vnet header size",
		       pmd->devname, pmd->ifname);
		return -EBUSY;
	}
	pthread_mutex_lock(&pmd->lock);
	queues_bind(dev);
	err = kernel_hash_apply(pmd, rss_cur(pmd));
	pthread_mutex_unlock(&pmd->lock);
	if (err < 0)
		return err;
	for (i = 0; i < dev->data->nb_rx_queues; i++) {
		struct hashtap_rxq *q = dev->data->rx_queues[i];
		uint32_t segs = q != NULL ? rx_segs(dev, i, q->mp, dev->data->mtu) : 1;

		if (segs == 0)
			return -EINVAL;
		if (q != NULL)
			rxq_size(q, segs);	/* the MTU may have changed since setup */
	}
	/* rx_deferred_start/tx_deferred_start: rte_eth_dev_*_queue_start() later */
	for (i = 0; err == 0 && i < dev->data->nb_rx_queues; i++) {
		const struct hashtap_rxq *q = dev->data->rx_queues[i];

		if (q != NULL && !q->deferred)
			err = rxq_start(dev, i);
	}
	for (i = 0; err == 0 && i < dev->data->nb_tx_queues; i++) {
		const struct hashtap_txq *q = dev->data->tx_queues[i];

		if (q != NULL && !q->deferred)
			err = txq_start(dev, i);
	}
	if (err == 0)
		err = netif_op(dev, IFF_UP, 0, "setting the link up");
	if (err < 0) {
		queues_stop(dev);
		return err;
	}
	pmd->started = true;
	dev->data->dev_started = 1;
	hashtap_link_update(dev, 0);
	if (!pmd->macvtap)
		rte_eal_alarm_set(FOREIGN_CHECK_US, foreign_alarm, dev);
	return 0;
}

static int
hashtap_dev_stop(struct rte_eth_dev *dev)
{
	struct pmd_internals *pmd = dev->data->dev_private;
	struct rte_eth_link link = { .link_status = RTE_ETH_LINK_DOWN };

	pmd->started = false;
	dev->data->dev_started = 0;
	rte_eal_alarm_cancel(foreign_alarm, dev);
	queues_stop(dev);
	rte_eth_linkstatus_set(dev, &link);
	return 0;
}

static int
hashtap_set_link_up(struct rte_eth_dev *dev)
{
	int err = netif_op(dev, IFF_UP, 0, "setting the link up");

	hashtap_link_update(dev, 0);
	return err;
}

static int
hashtap_set_link_down(struct rte_eth_dev *dev)
{
	int err = netif_op(dev, 0, IFF_UP, "setting the link down");

	hashtap_link_update(dev, 0);
	return err;
}

static int
hashtap_promisc_enable(struct rte_eth_dev *dev)
{
	return netif_op(dev, IFF_PROMISC, 0, "promiscuous on");
}

static int
hashtap_promisc_disable(struct rte_eth_dev *dev)
{
	return netif_op(dev, 0, IFF_PROMISC, "promiscuous off");
}

static int
hashtap_allmulti_enable(struct rte_eth_dev *dev)
{
	return netif_op(dev, IFF_ALLMULTI, 0, "allmulticast on");
}

static int
hashtap_allmulti_disable(struct rte_eth_dev *dev)
{
	return netif_op(dev, 0, IFF_ALLMULTI, "allmulticast off");
}

static int
hashtap_mtu_set(struct rte_eth_dev *dev, uint16_t mtu)
{
	struct pmd_internals *pmd = dev->data->dev_private;
	bool copied = false;
	uint16_t i;
	int err;

	for (i = 0; i < dev->data->nb_rx_queues; i++) {
		const struct hashtap_rxq *q = dev->data->rx_queues[i];
		uint32_t segs;

		if (q == NULL)
			continue;
		segs = rx_segs(dev, i, q->mp, mtu);
		if (segs == 0)
			return -EINVAL;
		if (q->urx != NULL && !rxq_uring_fits(q, mtu)) {
			HT_LOG(ERR, "%s: MTU %u: rx queue %u reads frames into single mbufs (io=uring), which %u-byte frames would fill to the last byte or overflow: stop the port first (it then reads that queue with readv())",
			       pmd->devname, mtu, i, (unsigned int)mtu + RTE_ETHER_HDR_LEN + 2 * RTE_VLAN_HLEN);
			return -EINVAL;
		}
		if (pmd->io == HASHTAP_IO_VHOST && !rxq_uring_fits(q, mtu)) {
			HT_LOG(ERR, "%s: MTU %u: rx queue %u takes frames into single mbufs (io=vhost), which %u-byte frames would overflow",
			       pmd->devname, mtu, i, (unsigned int)mtu + RTE_ETHER_HDR_LEN + 2 * RTE_VLAN_HLEN);
			return -EINVAL;
		}
		copied |= segs > q->segs_per_pkt;
	}
	pthread_mutex_lock(&pmd->lock);
	err = hashtap_netif_mtu(pmd, mtu);
	if (err == 0)
		pmd->mtu = mtu;
	pthread_mutex_unlock(&pmd->lock);
	if (err == 0 && copied && dev->data->dev_started)
		HT_LOG(NOTICE, "%s: MTU %u: until the port restarts, frames longer than the rx queues were set up for are received whole but copied",
		       pmd->devname, mtu);
	return err;
}

/*
 * The port's MAC.  A macvtap interface receives by its MAC, so the port's
 * MAC is the interface's and setting one sets the other.  A tap's kernel
 * interface is the far end of the wire (the "host side" of a VM's NIC):
 * it keeps its own MAC.
 */
static int
hashtap_mac_set(struct rte_eth_dev *dev, struct rte_ether_addr *mac)
{
	struct pmd_internals *pmd = dev->data->dev_private;
	int err = 0;

	if (pmd->macvtap) {
		pthread_mutex_lock(&pmd->lock);
		err = hashtap_netif_set_mac(pmd, mac);
		pthread_mutex_unlock(&pmd->lock);
		if (err < 0) {
			HT_LOG(ERR, "%s: MAC on %s: %s", pmd->devname, pmd->ifname, strerror(-err));
			return err;
		}
	}
	pmd->mac = *mac;
	return 0;
}

static int
hashtap_dev_info(struct rte_eth_dev *dev, struct rte_eth_dev_info *info)
{
	struct pmd_internals *pmd = dev->data->dev_private;

	info->if_index = pmd->ctl.ns_fd < 0 ? (uint32_t)pmd->ifindex : 0;
	info->max_mac_addrs = 1;
	info->max_rx_pktlen = HASHTAP_MAX_RX_PKTLEN;
	info->max_lro_pkt_size = HASHTAP_MAX_RX_PKTLEN;	/* a GSO frame from the kernel */
	info->min_mtu = RTE_ETHER_MIN_MTU;
	info->max_mtu = UINT16_MAX - RTE_ETHER_HDR_LEN - RTE_VLAN_HLEN;
	{
		uint32_t max = hashtap_netif_max_mtu(pmd);

		if (max >= RTE_ETHER_MIN_MTU && max < info->max_mtu)
			info->max_mtu = (uint16_t)max;
	}
	info->max_rx_queues = pmd->multi_queue ? HASHTAP_MAX_QUEUES : 1;
	info->max_tx_queues = HASHTAP_MAX_QUEUES;
	info->min_rx_bufsize = 0;
	info->rx_offload_capa = RX_OFFLOADS;
	info->rx_queue_offload_capa = 0;
	info->tx_offload_capa = TX_OFFLOADS;
	info->tx_queue_offload_capa = 0;
	info->reta_size = reta_size(pmd);
	info->hash_key_size = HASHTAP_KEY_SIZE;
	info->flow_type_rss_offloads = vnet_hash_types_to_rss(supported_types(pmd)) |
		rss_level_capa(pmd);
	info->speed_capa = RTE_ETH_LINK_SPEED_10G;
	info->default_rxportconf.burst_size = 32;
	info->default_txportconf.burst_size = 32;
	info->default_rxportconf.ring_size = 512;
	info->default_txportconf.ring_size = 512;
	info->rx_desc_lim.nb_max = UINT16_MAX;
	info->rx_desc_lim.nb_min = 1;
	info->tx_desc_lim.nb_max = UINT16_MAX;
	info->tx_desc_lim.nb_min = 1;
	info->tx_desc_lim.nb_seg_max = HASHTAP_MAX_SEGS;
	info->tx_desc_lim.nb_mtu_seg_max = HASHTAP_MAX_SEGS;
	return 0;
}

static const uint32_t *
hashtap_ptypes(struct rte_eth_dev *dev)
{
	static const uint32_t ptypes[] = {
		RTE_PTYPE_L2_ETHER, RTE_PTYPE_L2_ETHER_VLAN, RTE_PTYPE_L2_ETHER_QINQ,
		RTE_PTYPE_L3_IPV4, RTE_PTYPE_L3_IPV4_EXT, RTE_PTYPE_L3_IPV4_EXT_UNKNOWN,
		RTE_PTYPE_L3_IPV6, RTE_PTYPE_L3_IPV6_EXT, RTE_PTYPE_L3_IPV6_EXT_UNKNOWN,
		RTE_PTYPE_L4_TCP, RTE_PTYPE_L4_UDP, RTE_PTYPE_L4_FRAG, RTE_PTYPE_L4_SCTP,
		RTE_PTYPE_UNKNOWN
	};
	/* RSS level INNERMOST: a tunnel hashed inside says so */
	static const uint32_t tnl_ptypes[] = {
		RTE_PTYPE_L2_ETHER, RTE_PTYPE_L2_ETHER_VLAN, RTE_PTYPE_L2_ETHER_QINQ,
		RTE_PTYPE_L3_IPV4, RTE_PTYPE_L3_IPV4_EXT, RTE_PTYPE_L3_IPV4_EXT_UNKNOWN,
		RTE_PTYPE_L3_IPV6, RTE_PTYPE_L3_IPV6_EXT, RTE_PTYPE_L3_IPV6_EXT_UNKNOWN,
		RTE_PTYPE_L4_TCP, RTE_PTYPE_L4_UDP, RTE_PTYPE_L4_FRAG, RTE_PTYPE_L4_SCTP,
		RTE_PTYPE_TUNNEL_IP, RTE_PTYPE_TUNNEL_GRE, RTE_PTYPE_TUNNEL_VXLAN,
		RTE_PTYPE_TUNNEL_NVGRE, RTE_PTYPE_TUNNEL_GENEVE, RTE_PTYPE_TUNNEL_VXLAN_GPE,
		RTE_PTYPE_INNER_L2_ETHER, RTE_PTYPE_INNER_L2_ETHER_VLAN,
		RTE_PTYPE_INNER_L2_ETHER_QINQ,
		RTE_PTYPE_INNER_L3_IPV4, RTE_PTYPE_INNER_L3_IPV4_EXT,
		RTE_PTYPE_INNER_L3_IPV4_EXT_UNKNOWN, RTE_PTYPE_INNER_L3_IPV6,
		RTE_PTYPE_INNER_L3_IPV6_EXT, RTE_PTYPE_INNER_L3_IPV6_EXT_UNKNOWN,
		RTE_PTYPE_INNER_L4_TCP, RTE_PTYPE_INNER_L4_UDP, RTE_PTYPE_INNER_L4_FRAG,
		RTE_PTYPE_INNER_L4_SCTP,
		RTE_PTYPE_UNKNOWN
	};
	struct pmd_internals *pmd = dev->data->dev_private;

	if (pmd->hash_src == HASHTAP_SRC_NONE)
		return NULL;
	return pmd->tunnel_avail != 0 ? tnl_ptypes : ptypes;
}

static void
hashtap_rxq_release(struct rte_eth_dev *dev, uint16_t qid)
{
	struct hashtap_rxq *q = dev->data->rx_queues[qid];

	if (q == NULL)
		return;
	hashtap_rxq_drain(q);
	rte_rcu_qsbr_thread_unregister(q->pmd->qs, q->queue_id);
	rte_free(q->spill);
	rte_free(q);
	dev->data->rx_queues[qid] = NULL;
}

static void
hashtap_txq_release(struct rte_eth_dev *dev, uint16_t qid)
{
	struct hashtap_txq *q = dev->data->tx_queues[qid];

	if (q == NULL)
		return;
	/* writes still in flight after a second keep their mbufs and slots
	 * (hashtap_utx_destroy() leaves them), never q: no write reads it */
	hashtap_utx_destroy(q);
	hashtap_vtx_destroy(q);
	rte_free(q);
	dev->data->tx_queues[qid] = NULL;
}

static int
hashtap_rxq_setup(struct rte_eth_dev *dev, uint16_t qid, uint16_t nb_desc,
		  unsigned int socket, const struct rte_eth_rxconf *conf,
		  struct rte_mempool *mp)
{
	struct pmd_internals *pmd = dev->data->dev_private;
	uint64_t rxo = dev->data->dev_conf.rxmode.offloads;
	uint32_t segs = rx_segs(dev, qid, mp, dev->data->mtu);
	struct hashtap_rxq *q;

	if (segs == 0)
		return -EINVAL;
	hashtap_rxq_release(dev, qid);
	q = rte_zmalloc_socket("hashtap_rxq", sizeof(*q), RTE_CACHE_LINE_SIZE, (int)socket);
	if (q != NULL)
		q->spill = rte_malloc_socket("hashtap_spill", HASHTAP_SPILL_LEN, 0, (int)socket);
	if (q == NULL || q->spill == NULL) {
		if (q != NULL)
			rte_free(q);
		return -ENOMEM;
	}
	q->pmd = pmd;
	q->mp = mp;
	q->fd = pmd->qfd[qid % pmd->nb_fds];
	q->queue_id = qid;
	q->port_id = dev->data->port_id;
	q->le = vnet_hdr_is_le(false, false);
	q->scatter = (rxo & (RTE_ETH_RX_OFFLOAD_SCATTER | RTE_ETH_RX_OFFLOAD_TCP_LRO)) != 0;
	q->nb_desc = nb_desc;
	q->stopped = true;
	q->deferred = conf->rx_deferred_start != 0;
	rxq_size(q, segs);
	rte_rcu_qsbr_thread_register(pmd->qs, qid);	/* offline until a burst */
	dev->data->rx_queues[qid] = q;
	return 0;
}

static int
hashtap_txq_setup(struct rte_eth_dev *dev, uint16_t qid, uint16_t nb_desc,
		  unsigned int socket, const struct rte_eth_txconf *conf)
{
	struct pmd_internals *pmd = dev->data->dev_private;
	struct hashtap_txq *q;

	hashtap_txq_release(dev, qid);
	q = rte_zmalloc_socket("hashtap_txq", sizeof(*q), RTE_CACHE_LINE_SIZE, (int)socket);
	if (q == NULL)
		return -ENOMEM;
	q->pmd = pmd;
	q->fd = pmd->qfd[qid % pmd->nb_fds];
	q->queue_id = qid;
	q->nb_desc = nb_desc;
	q->le = vnet_hdr_is_le(false, false);
	q->stopped = true;
	q->deferred = conf->tx_deferred_start != 0;
	q->offloads = dev->data->dev_conf.txmode.offloads | conf->offloads;
	dev->data->tx_queues[qid] = q;
	return 0;
}

static void
hashtap_rxq_info(struct rte_eth_dev *dev, uint16_t qid, struct rte_eth_rxq_info *qi)
{
	struct hashtap_rxq *q = dev->data->rx_queues[qid];

	qi->mp = q->mp;
	qi->nb_desc = q->nb_desc;
	qi->scattered_rx = q->scatter;
	qi->conf.offloads = dev->data->dev_conf.rxmode.offloads;
}

static void
hashtap_txq_info(struct rte_eth_dev *dev, uint16_t qid, struct rte_eth_txq_info *qi)
{
	struct hashtap_txq *q = dev->data->tx_queues[qid];

	qi->nb_desc = q->nb_desc;
	qi->conf.offloads = q->offloads;
}

static int
hashtap_stats_get(struct rte_eth_dev *dev, struct rte_eth_stats *s)
{
	uint16_t i;

	for (i = 0; i < dev->data->nb_rx_queues; i++) {
		const struct hashtap_rxq *q = dev->data->rx_queues[i];

		if (q == NULL)
			continue;
		s->ipackets += q->st.packets;
		s->ibytes += q->st.bytes;
		s->ierrors += q->st.truncated + q->st.bad_vnet_hdr + q->st.read_errors;
		s->rx_nombuf += q->st.nombuf;
		if (i < RTE_ETHDEV_QUEUE_STAT_CNTRS) {
			s->q_ipackets[i] = q->st.packets;
			s->q_ibytes[i] = q->st.bytes;
			s->q_errors[i] = q->st.truncated + q->st.bad_vnet_hdr + q->st.read_errors;
		}
	}
	for (i = 0; i < dev->data->nb_tx_queues; i++) {
		const struct hashtap_txq *q = dev->data->tx_queues[i];

		if (q == NULL)
			continue;
		s->opackets += q->st.packets;
		s->obytes += q->st.bytes;
		s->oerrors += q->st.errors;
		if (i < RTE_ETHDEV_QUEUE_STAT_CNTRS) {
			s->q_opackets[i] = q->st.packets;
			s->q_obytes[i] = q->st.bytes;
		}
	}
	return 0;
}

static int
hashtap_stats_reset(struct rte_eth_dev *dev)
{
	uint16_t i;

	for (i = 0; i < dev->data->nb_rx_queues; i++) {
		struct hashtap_rxq *q = dev->data->rx_queues[i];

		if (q != NULL)
			memset(&q->st, 0, sizeof(q->st));
	}
	for (i = 0; i < dev->data->nb_tx_queues; i++) {
		struct hashtap_txq *q = dev->data->tx_queues[i];

		if (q != NULL)
			memset(&q->st, 0, sizeof(q->st));
	}
	return 0;
}

struct xstat_def {
	const char *name;
	size_t off;
	bool rx;
};

#define RX_XSTAT(n, f) { n, offsetof(struct hashtap_rxq_stats, f), true }
#define TX_XSTAT(n, f) { n, offsetof(struct hashtap_txq_stats, f), false }
static const struct xstat_def xstat_defs[] = {
	RX_XSTAT(RTE_PMD_HASHTAP_XSTAT_RX_HASH_KERNEL, hash_kernel),
	RX_XSTAT(RTE_PMD_HASHTAP_XSTAT_RX_HASH_SOFTWARE, hash_software),
	RX_XSTAT(RTE_PMD_HASHTAP_XSTAT_RX_HASH_NONE, hash_none),
	RX_XSTAT(RTE_PMD_HASHTAP_XSTAT_RX_RETA_MISMATCH, reta_mismatch),
	RX_XSTAT(RTE_PMD_HASHTAP_XSTAT_RX_DROP_TRUNCATED, truncated),
	RX_XSTAT(RTE_PMD_HASHTAP_XSTAT_RX_DROP_BAD_VNET_HDR, bad_vnet_hdr),
	RX_XSTAT(RTE_PMD_HASHTAP_XSTAT_RX_READ_ERRORS, read_errors),
	RX_XSTAT(RTE_PMD_HASHTAP_XSTAT_RX_DROP_STOPPED, stopped),
	RX_XSTAT(RTE_PMD_HASHTAP_XSTAT_RX_SYSCALLS, syscalls),
	RX_XSTAT(RTE_PMD_HASHTAP_XSTAT_RX_HASH_INNER, hash_inner),
	TX_XSTAT(RTE_PMD_HASHTAP_XSTAT_TX_DROP_BAD_OFFLOAD, drop_offload),
	TX_XSTAT(RTE_PMD_HASHTAP_XSTAT_TX_DROP_UNSUPPORTED_OFFLOAD, drop_unsupported),
	TX_XSTAT(RTE_PMD_HASHTAP_XSTAT_TX_DROP_RUNT, drop_runt),
	TX_XSTAT(RTE_PMD_HASHTAP_XSTAT_TX_DROP_TOO_MANY_SEGS, drop_segs),
	TX_XSTAT(RTE_PMD_HASHTAP_XSTAT_TX_DROP_UNMAPPED, drop_unmapped),
	TX_XSTAT(RTE_PMD_HASHTAP_XSTAT_TX_WRITE_ERRORS, write_errors),
	TX_XSTAT(RTE_PMD_HASHTAP_XSTAT_TX_BUSY, busy),
	TX_XSTAT(RTE_PMD_HASHTAP_XSTAT_TX_SYSCALLS, syscalls),
};

static int
hashtap_xstats_names(struct rte_eth_dev *dev __rte_unused, struct rte_eth_xstat_name *names,
		     unsigned int size)
{
	unsigned int i;

	if (names != NULL)
		for (i = 0; i < RTE_MIN(size, (unsigned int)RTE_DIM(xstat_defs)); i++)
			strlcpy(names[i].name, xstat_defs[i].name, sizeof(names[i].name));
	return RTE_DIM(xstat_defs);
}

static int
hashtap_xstats_get(struct rte_eth_dev *dev, struct rte_eth_xstat *xs, unsigned int n)
{
	unsigned int i;
	uint16_t q;

	if (n < RTE_DIM(xstat_defs))
		return RTE_DIM(xstat_defs);
	for (i = 0; i < RTE_DIM(xstat_defs); i++) {
		const struct xstat_def *d = &xstat_defs[i];
		uint64_t v = 0;

		if (d->rx) {
			for (q = 0; q < dev->data->nb_rx_queues; q++) {
				const struct hashtap_rxq *rq = dev->data->rx_queues[q];

				if (rq != NULL)
					v += *(const uint64_t *)((const char *)&rq->st + d->off);
			}
		} else {
			for (q = 0; q < dev->data->nb_tx_queues; q++) {
				const struct hashtap_txq *tq = dev->data->tx_queues[q];

				if (tq != NULL)
					v += *(const uint64_t *)((const char *)&tq->st + d->off);
			}
		}
		xs[i].id = i;
		xs[i].value = v;
	}
	return RTE_DIM(xstat_defs);
}

static int
hashtap_rss_hash_update(struct rte_eth_dev *dev, struct rte_eth_rss_conf *rc)
{
	struct pmd_internals *pmd = dev->data->dev_private;
	uint64_t unsupported = 0;
	uint32_t types = vnet_hash_types_from_rss(rc->rss_hf & ~RTE_ETH_RSS_LEVEL_MASK,
						  &unsupported);
	struct hashtap_rss *next;
	uint32_t tunnels;
	int err;

	if (unsupported != 0 || (types & ~supported_types(pmd)) != 0) {
		HT_LOG(ERR, "%s: rss_hf 0x%" PRIx64 ": unsupported types", pmd->devname, rc->rss_hf);
		return -EINVAL;
	}
	err = rss_level_tunnels(pmd, rc->rss_hf, &tunnels);
	if (err < 0)
		return err;
	if (rc->rss_key != NULL && rc->rss_key_len != HASHTAP_KEY_SIZE) {
		HT_LOG(ERR, "%s: RSS key of %u bytes, %u expected", pmd->devname, rc->rss_key_len,
		       HASHTAP_KEY_SIZE);
		return -EINVAL;
	}
	pthread_mutex_lock(&pmd->lock);
	next = rss_clone(pmd);
	err = next == NULL ? -ENOMEM : 0;
	if (err == 0) {
		if (rc->rss_key != NULL)
			vnet_hash_key_set(&next->rss.key, rc->rss_key, rc->rss_key_len);
		next->rss.hash_types = next->src == HASHTAP_SRC_NONE ? 0 : types;
		next->tunnel_types = next->rss.hash_types != 0 ? tunnels : 0;
		err = rss_commit(pmd, next);
	}
	if (err == 0) {
		bool changed = rss_cur(pmd)->tunnel_types != 0 &&
			(pmd->rss_hf & RTE_ETH_RSS_LEVEL_MASK) != RTE_ETH_RSS_LEVEL_INNERMOST;

		pmd->rss_hf = rss_hf_in_force(next, rc->rss_hf);	/* in force */
		next = NULL;
		steering_update(pmd);
		if (changed)
			tunnel_log(pmd);
	}
	pthread_mutex_unlock(&pmd->lock);
	rte_free(next);
	return err;
}

static int
hashtap_rss_hash_conf_get(struct rte_eth_dev *dev, struct rte_eth_rss_conf *rc)
{
	struct pmd_internals *pmd = dev->data->dev_private;

	if (rc->rss_key != NULL && rc->rss_key_len < HASHTAP_KEY_SIZE)
		return -EINVAL;
	pthread_mutex_lock(&pmd->lock);
	if (rc->rss_key != NULL)
		memcpy(rc->rss_key, rss_cur(pmd)->rss.key.raw, HASHTAP_KEY_SIZE);
	rc->rss_key_len = HASHTAP_KEY_SIZE;
	rc->rss_hf = pmd->rss_hf;
	pthread_mutex_unlock(&pmd->lock);
	return 0;
}

static int
hashtap_reta_update(struct rte_eth_dev *dev, struct rte_eth_rss_reta_entry64 *reta,
		    uint16_t size)
{
	struct pmd_internals *pmd = dev->data->dev_private;
	struct hashtap_rss *next;
	uint16_t i;
	int err;

	if (size != reta_size(pmd)) {
		HT_LOG(ERR, "%s: RETA of %u entries, the port has %u", pmd->devname, size,
		       reta_size(pmd));
		return -EINVAL;
	}
	for (i = 0; i < size; i++) {
		const struct rte_eth_rss_reta_entry64 *e = &reta[i / RTE_ETH_RETA_GROUP_SIZE];
		unsigned int b = i % RTE_ETH_RETA_GROUP_SIZE;

		if ((e->mask >> b) & 1 && e->reta[b] >= RTE_MAX(dev->data->nb_rx_queues, 1)) {
			HT_LOG(ERR, "%s: RETA entry %u names rx queue %u, the port has %u",
			       pmd->devname, i, e->reta[b], dev->data->nb_rx_queues);
			return -EINVAL;
		}
	}
	pthread_mutex_lock(&pmd->lock);
	next = rss_clone(pmd);
	err = next == NULL ? -ENOMEM : 0;
	if (err == 0) {
		for (i = 0; i < size; i++) {
			const struct rte_eth_rss_reta_entry64 *e = &reta[i / RTE_ETH_RETA_GROUP_SIZE];
			unsigned int b = i % RTE_ETH_RETA_GROUP_SIZE;

			if ((e->mask >> b) & 1)
				next->rss.reta[i] = e->reta[b];
		}
		err = rss_commit(pmd, next);
	}
	if (err == 0)
		next = NULL;
	pthread_mutex_unlock(&pmd->lock);
	rte_free(next);
	return err;
}

static int
hashtap_reta_query(struct rte_eth_dev *dev, struct rte_eth_rss_reta_entry64 *reta,
		   uint16_t size)
{
	struct pmd_internals *pmd = dev->data->dev_private;
	const struct hashtap_rss *rs;
	uint16_t i;

	if (size != reta_size(pmd))
		return -EINVAL;
	pthread_mutex_lock(&pmd->lock);
	rs = rss_cur(pmd);
	for (i = 0; i < size; i++) {
		struct rte_eth_rss_reta_entry64 *e = &reta[i / RTE_ETH_RETA_GROUP_SIZE];
		unsigned int b = i % RTE_ETH_RETA_GROUP_SIZE;

		if ((e->mask >> b) & 1)
			e->reta[b] = rs->rss.reta[i];
	}
	pthread_mutex_unlock(&pmd->lock);
	return 0;
}

/* The interrupt thread, once our handler has returned: close the epoll
 * set (intr is EAL's own copy of our handle: EAL frees it) */
static void
intr_close_fd(struct rte_intr_handle *intr, void *arg __rte_unused)
{
	int ep = rte_intr_fd_get(intr);

	if (ep >= 0)
		close(ep);
}

static void
intr_teardown(struct pmd_internals *pmd, struct rte_eth_dev *dev)
{
	int ep, ret;

	if (pmd->intr == NULL)
		return;
	ep = rte_intr_fd_get(pmd->intr);
	if (ep >= 0 && rte_thread_is_intr()) {
		/* closed from an LSC callback, inside our own handler: it cannot be
		 * unregistered before it returns, so let the interrupt thread
		 * finish the job then */
		ret = rte_intr_callback_unregister_pending(pmd->intr, hashtap_lsc_handler, dev,
							   intr_close_fd);
		if (ret >= 0) {
			rte_intr_instance_free(pmd->intr);
			pmd->intr = NULL;
			return;
		}
	}
	if (ep >= 0) {
		do {
			ret = rte_intr_callback_unregister(pmd->intr, hashtap_lsc_handler, dev);
			if (ret == -EAGAIN)
				rte_delay_ms(10);
		} while (ret == -EAGAIN);
		close(ep);
	}
	rte_intr_instance_free(pmd->intr);
	pmd->intr = NULL;
}

static int
hashtap_dev_close(struct rte_eth_dev *dev)
{
	struct pmd_internals *pmd = dev->data->dev_private;
	uint16_t i;

	if (rte_eal_process_type() != RTE_PROC_PRIMARY)
		return 0;
	if (dev->data->dev_started)
		hashtap_dev_stop(dev);
	for (i = 0; i < dev->data->nb_rx_queues; i++)
		hashtap_rxq_release(dev, i);
	for (i = 0; i < dev->data->nb_tx_queues; i++)
		hashtap_txq_release(dev, i);
	intr_teardown(pmd, dev);
	pthread_mutex_lock(&pmd->lock);
	hashtap_netif_close(pmd);
	pthread_mutex_unlock(&pmd->lock);
	rss_fini(pmd);
	pthread_mutex_destroy(&pmd->lock);
	HT_LOG(INFO, "%s: closed%s", pmd->devname,
	       pmd->created && !pmd->persist ? " (the tap it created is gone)" : "");
	return 0;
}

static const struct eth_dev_ops hashtap_ops = {
	.dev_configure = hashtap_dev_configure,
	.dev_start = hashtap_dev_start,
	.dev_stop = hashtap_dev_stop,
	.dev_close = hashtap_dev_close,
	.dev_set_link_up = hashtap_set_link_up,
	.dev_set_link_down = hashtap_set_link_down,
	.link_update = hashtap_link_update,
	.promiscuous_enable = hashtap_promisc_enable,
	.promiscuous_disable = hashtap_promisc_disable,
	.allmulticast_enable = hashtap_allmulti_enable,
	.allmulticast_disable = hashtap_allmulti_disable,
	.mac_addr_set = hashtap_mac_set,
	.mtu_set = hashtap_mtu_set,
	.stats_get = hashtap_stats_get,
	.stats_reset = hashtap_stats_reset,
	.xstats_get = hashtap_xstats_get,
	.xstats_get_names = hashtap_xstats_names,
	.tx_done_cleanup = hashtap_tx_done_cleanup,
	.xstats_reset = hashtap_stats_reset,
	.dev_infos_get = hashtap_dev_info,
	.dev_supported_ptypes_get = hashtap_ptypes,
	.rx_queue_setup = hashtap_rxq_setup,
	.tx_queue_setup = hashtap_txq_setup,
	.rx_queue_release = hashtap_rxq_release,
	.tx_queue_release = hashtap_txq_release,
	.rx_queue_start = rxq_start,
	.rx_queue_stop = rxq_stop,
	.tx_queue_start = txq_start,
	.tx_queue_stop = txq_stop,
	.rxq_info_get = hashtap_rxq_info,
	.txq_info_get = hashtap_txq_info,
	.rss_hash_update = hashtap_rss_hash_update,
	.rss_hash_conf_get = hashtap_rss_hash_conf_get,
	.reta_update = hashtap_reta_update,
	.reta_query = hashtap_reta_query,
};

/* ------------------------------------------------------------ probe */

static int
intr_setup(struct pmd_internals *pmd, struct rte_eth_dev *dev)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.fd = pmd->ctl.nl };
	int ep, err;

	pmd->intr = rte_intr_instance_alloc(RTE_INTR_INSTANCE_F_PRIVATE);
	if (pmd->intr == NULL)
		return -ENOMEM;
	/* an epoll set around the netlink socket: it is swapped when the
	 * tap moves to another namespace, the interrupt source stays */
	ep = epoll_create1(EPOLL_CLOEXEC);
	if (ep < 0)
		return -errno;
	if (epoll_ctl(ep, EPOLL_CTL_ADD, pmd->ctl.nl, &ev) < 0) {
		err = -errno;
		close(ep);
		return err;
	}
	if (rte_intr_fd_set(pmd->intr, ep) || rte_intr_type_set(pmd->intr, RTE_INTR_HANDLE_EXT)) {
		close(ep);
		return -rte_errno;
	}
	err = rte_intr_callback_register(pmd->intr, hashtap_lsc_handler, dev);
	if (err < 0) {
		rte_intr_fd_set(pmd->intr, -1);
		close(ep);
	}
	return err;
}

/*
 * io=auto takes io_uring where the kernel has everything the datapath
 * uses (the faster one: see README, Benchmarks), else the syscalls; one
 * log line says which and why.  io=uring on a kernel without it fails.
 */
static int
io_choose(struct pmd_internals *pmd, enum hashtap_io want, int sqpoll_cpu)
{
	char why[192] = "";
	int err = 0;

	pmd->sqpoll_cpu = sqpoll_cpu;
	if (sqpoll_cpu >= 0)
		want = HASHTAP_IO_URING;	/* sqpoll= asks for it */
	if (want == HASHTAP_IO_VHOST) {
		/* asked for only: measured where vhost-net exists (the test
		 * kernel), not on every kernel io=auto meets */
		err = hashtap_vhost_probe(why, sizeof(why));
		if (err < 0) {
			HT_LOG(ERR, "%s: io=vhost, but %s: use io=auto, io=uring or io=syscall",
			       pmd->devname, why);
			return err;
		}
		pmd->io = HASHTAP_IO_VHOST;
		HT_LOG(NOTICE, "%s: datapath io=vhost (asked: a vhost-net kernel thread a queue reads and writes the tap, the bursts fill and empty its rings; hash in software)",
		       pmd->devname);
		return 0;
	}
	if (want != HASHTAP_IO_SYSCALL)
		err = hashtap_uring_probe(why, sizeof(why));
	if (want == HASHTAP_IO_URING && err < 0) {
		HT_LOG(ERR, "%s: io=uring, but %s: use io=auto or io=syscall", pmd->devname, why);
		return err;
	}
	pmd->io = want == HASHTAP_IO_SYSCALL || err < 0 ? HASHTAP_IO_SYSCALL : HASHTAP_IO_URING;
	if (sqpoll_cpu >= 0)
		HT_LOG(NOTICE, "%s: sqpoll=%d: a kernel thread on CPU %d does the writes (its CPU time is the port's too)",
		       pmd->devname, sqpoll_cpu, sqpoll_cpu);
	HT_LOG(NOTICE, "%s: datapath io=%s (%s: %s)", pmd->devname, io_names[pmd->io],
	       want == HASHTAP_IO_AUTO ? "io=auto" : "asked",
	       want == HASHTAP_IO_SYSCALL ? "one readv()/writev() a frame" :
	       err < 0 ? why : "io_uring has multishot reads and provided-buffer rings: reads kept armed, one submission a tx burst");
	return 0;
}

static int
hashtap_probe(struct rte_vdev_device *vdev)
{
	const char *name = rte_vdev_device_name(vdev);
	struct rte_kvargs *kvl = NULL;
	struct rte_eth_dev *dev;
	struct pmd_internals *pmd;
	struct devargs da;
	int err;

	if (rte_eal_process_type() != RTE_PROC_PRIMARY) {
		HT_LOG(ERR, "%s: secondary processes are not supported (queues are file descriptors of the primary)",
		       name);
		return -ENOTSUP;
	}
	err = parse_devargs(name, rte_vdev_device_args(vdev), &kvl, &da);
	if (err < 0)
		goto out;
	dev = rte_eth_vdev_allocate(vdev, sizeof(*pmd));
	if (dev == NULL) {
		err = -ENOMEM;
		goto out;
	}
	pmd = dev->data->dev_private;
	strlcpy(pmd->devname, name, sizeof(pmd->devname));
	memset(pmd->qfd, -1, sizeof(pmd->qfd));
	pmd->port_id = dev->data->port_id;
	pmd->persist = da.persist;
	pmd->hash_mode = da.hash;
	pmd->tunnel_avail = da.tunnel_types;
	pmd->ctl = (struct hashtap_ctl){ .ns_fd = -1, .sock = -1, .nl = -1 };
	pmd->steer_fd = -1;
	pthread_mutex_init(&pmd->lock, NULL);
	err = rss_init(pmd, da.key_set ? da.key : vnet_hash_default_key);
	if (err < 0)
		goto fail;

	dev->dev_ops = &hashtap_ops;
	dev->rx_pkt_burst = hashtap_rx_burst;
	dev->tx_pkt_burst = hashtap_tx_burst;
	dev->data->dev_flags |= RTE_ETH_DEV_INTR_LSC | RTE_ETH_DEV_AUTOFILL_QUEUE_XSTATS;
	dev->data->mac_addrs = rte_zmalloc(name, RTE_ETHER_ADDR_LEN, 0);
	if (dev->data->mac_addrs == NULL) {
		err = -ENOMEM;
		goto fail;
	}
	err = io_choose(pmd, da.io, da.sqpoll_cpu);
	if (err < 0)
		goto fail;
	err = hashtap_netif_open(pmd, da.iface != NULL ? da.iface : DEFAULT_IFACE, da.macvtap);
	if (err < 0)
		goto fail;
	/* the port's MTU is the interface's until the application sets one */
	pmd->mtu = (uint16_t)RTE_MIN(RTE_MAX(pmd->orig.mtu, RTE_ETHER_MIN_MTU), UINT16_MAX);
	dev->data->mtu = pmd->mtu;
	if (pmd->hash_mode == HASHTAP_HASH_KERNEL && !pmd->kernel_cap) {
		HT_LOG(ERR, "%s: hash=kernel, but this kernel has no virtio-net hash for taps (TUNGETVNETHASHCAP failed): use hash=auto or hash=software",
		       name);
		err = -ENOTSUP;
		goto fail;
	}
	if (pmd->hash_mode == HASHTAP_HASH_KERNEL && pmd->io == HASHTAP_IO_VHOST) {
		/* the kernel thread reads behind the port's back: a frame's hash
		 * cannot be tied to the RSS state a burst runs under */
		HT_LOG(ERR, "%s: hash=kernel with io=vhost: the driver hashes io=vhost's frames itself: use hash=auto or hash=software",
		       name);
		err = -ENOTSUP;
		goto fail;
	}
	if (pmd->macvtap) {
		err = hashtap_netif_get_mac(pmd, &pmd->mac);
		if (err == 0 && da.mac_set) {
			err = hashtap_netif_set_mac(pmd, &da.mac);
			pmd->mac = da.mac;
		}
		if (err < 0) {
			HT_LOG(ERR, "%s: MAC of %s: %s", name, pmd->ifname, strerror(-err));
			goto fail;
		}
	} else if (da.mac_set) {
		pmd->mac = da.mac;
	} else {
		rte_eth_random_addr(pmd->mac.addr_bytes);
	}
	rte_ether_addr_copy(&pmd->mac, dev->data->mac_addrs);
	err = intr_setup(pmd, dev);
	if (err < 0) {
		HT_LOG(ERR, "%s: link-state interrupt: %s", name, strerror(-err));
		goto fail;
	}
	/* last, so that a probe failing earlier never leaves the tap behind */
	if (pmd->created && pmd->persist) {
		err = hashtap_netif_persist(pmd);
		if (err < 0)
			goto fail;
	}
	rte_eth_dev_probing_finish(dev);
	HT_LOG(NOTICE, "%s: port %u on %s%s, hash=%s (kernel feature %s), io=%s", name,
	       dev->data->port_id, pmd->macvtap ? "macvtap " : "tap ", pmd->ifname,
	       hash_mode_names[pmd->hash_mode], pmd->kernel_cap ? "present" : "absent",
	       io_names[pmd->io]);
	rte_kvargs_free(kvl);
	return 0;
fail:
	intr_teardown(pmd, dev);
	hashtap_netif_close(pmd);
	rss_fini(pmd);
	pthread_mutex_destroy(&pmd->lock);
	rte_eth_dev_release_port(dev);
out:
	rte_kvargs_free(kvl);
	HT_LOG(ERR, "%s: probe failed: %s", name, strerror(-err));
	return err;
}

static int
hashtap_remove(struct rte_vdev_device *vdev)
{
	struct rte_eth_dev *dev = rte_eth_dev_allocated(rte_vdev_device_name(vdev));

	if (dev == NULL)
		return 0;	/* closed already */
	if (rte_eal_process_type() == RTE_PROC_PRIMARY)
		hashtap_dev_close(dev);
	return rte_eth_dev_release_port(dev);
}

static struct rte_vdev_driver pmd_hashtap_drv = {
	.probe = hashtap_probe,
	.remove = hashtap_remove,
};

/* ------------------------------------------------------------ rte_pmd_hashtap.h */

/* A net_hashtap port's device, or NULL with *err -ENODEV (no such port) or -ENOTSUP */
static struct rte_eth_dev *
api_dev(uint16_t port_id, int *err)
{
	struct rte_eth_dev *dev;

	*err = -ENODEV;
	if (!rte_eth_dev_is_valid_port(port_id))
		return NULL;
	dev = &rte_eth_devices[port_id];
	*err = -ENOTSUP;
	return dev->dev_ops == &hashtap_ops ? dev : NULL;
}

int
rte_pmd_hashtap_hash_source(uint16_t port_id)
{
	const struct rte_eth_dev *dev;
	int err;

	dev = api_dev(port_id, &err);
	return dev == NULL ? err :
		(int)((const struct pmd_internals *)dev->data->dev_private)->hash_src;
}

const char *
rte_pmd_hashtap_hash_source_name(int src)
{
	return src >= 0 && src < (int)RTE_DIM(hash_src_names) ? hash_src_names[src] : NULL;
}

int
rte_pmd_hashtap_io(uint16_t port_id)
{
	const struct rte_eth_dev *dev;
	int err;

	dev = api_dev(port_id, &err);
	return dev == NULL ? err : (int)((const struct pmd_internals *)dev->data->dev_private)->io;
}

int
rte_pmd_hashtap_steering(uint16_t port_id)
{
	const struct rte_eth_dev *dev;
	int err;

	dev = api_dev(port_id, &err);
	return dev == NULL ? err :
		(int)((const struct pmd_internals *)dev->data->dev_private)->steering;
}

int
rte_pmd_hashtap_rx_queue_io(uint16_t port_id, uint16_t queue_id)
{
	const struct rte_eth_dev *dev;
	const struct hashtap_rxq *q;
	int err;

	dev = api_dev(port_id, &err);
	if (dev == NULL)
		return err;
	if (queue_id >= dev->data->nb_rx_queues || dev->data->rx_queues[queue_id] == NULL)
		return -EINVAL;
	q = dev->data->rx_queues[queue_id];
	if (q->stopped)
		return -EAGAIN;
	if (q->vq != NULL)
		return RTE_PMD_HASHTAP_IO_VHOST;
	return q->urx != NULL ? RTE_PMD_HASHTAP_IO_URING : RTE_PMD_HASHTAP_IO_SYSCALL;
}

const char *
rte_pmd_hashtap_io_name(int io)
{
	return io == RTE_PMD_HASHTAP_IO_SYSCALL || io == RTE_PMD_HASHTAP_IO_URING ||
		io == RTE_PMD_HASHTAP_IO_VHOST ? io_names[io] : NULL;
}

int
rte_pmd_hashtap_tunnel_types(uint16_t port_id, bool avail)
{
	const struct rte_eth_dev *dev;
	struct pmd_internals *pmd;
	int types, err;

	dev = api_dev(port_id, &err);
	if (dev == NULL)
		return err;
	pmd = dev->data->dev_private;
	if (avail)
		return (int)pmd->tunnel_avail;
	pthread_mutex_lock(&pmd->lock);
	types = (int)rss_cur(pmd)->tunnel_types;
	pthread_mutex_unlock(&pmd->lock);
	return types;
}

const char *
rte_pmd_hashtap_hash_impl(void)
{
	return vnet_hash_toeplitz_impl();
}

/*
 * One registration a process.  The driver can be in a process twice: linked
 * into the application (the switch, the tests) and loaded by EAL from
 * DPDK's plugin directory after "./hashtap install" (the same file when the
 * application links the installed library, another file otherwise).  Two
 * "net_hashtap" drivers on the vdev bus would each take devices; the copy
 * whose constructor runs second stays out.  The mark names the process, so
 * a child it starts registers its own.
 */
#define REGISTERED_ENV	"HASHTAP_PMD_REGISTERED"

RTE_INIT(hashtap_register)
{
	const char *mark = getenv(REGISTERED_ENV);
	char me[32 + PATH_MAX];
	size_t pidlen;
	Dl_info where;

	snprintf(me, sizeof(me), "%ld ", (long)getpid());
	pidlen = strlen(me);
	if (dladdr((void *)(uintptr_t)hashtap_register, &where) != 0 && where.dli_fname != NULL)
		strlcat(me, where.dli_fname, sizeof(me));
	if (mark != NULL && strncmp(mark, me, pidlen) == 0) {
		HT_LOG(WARNING, "the driver from %s is registered in this process already: %s stays out",
		       mark + pidlen, me + pidlen);
		return;
	}
	setenv(REGISTERED_ENV, me, 1);
	pmd_hashtap_drv.driver.name = "net_hashtap";
	rte_vdev_register(&pmd_hashtap_drv);
}
RTE_PMD_EXPORT_NAME(net_hashtap, __COUNTER__);
#define PARAMS \
	ARG_IFACE "=<ifname> " \
	ARG_MACVTAP "=<macvtap ifname> " \
	ARG_MAC "=<xx:xx:xx:xx:xx:xx> " \
	ARG_PERSIST "=<0|1> " \
	ARG_HASH "=<auto|kernel|software|off> " \
	ARG_KEY "=<40 bytes in hex> " \
	ARG_IO "=<auto|uring|syscall> " \
	ARG_SQPOLL "=<cpu> " \
	ARG_TUNNEL_TYPES "=<type[:type...]>"
RTE_PMD_REGISTER_PARAM_STRING(net_hashtap, PARAMS);
/* What dpdk-pmdinfo.py reads: for in-tree drivers DPDK's build generates
 * this string from the two macros above (buildtools/pmdinfogen.py). */
static const char hashtap_pmd_info[] __rte_used =
	"PMD_INFO_STRING={\"name\": \"net_hashtap\", \"params\": \"" PARAMS "\", \"pci_ids\": []}";
