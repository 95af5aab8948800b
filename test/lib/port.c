/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 hashtap authors
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/if_tun.h>
#include <net/if.h>
#include <sys/ioctl.h>

#include <rte_bus_vdev.h>
#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_log.h>
#include <rte_mbuf.h>

#include "port.h"
#include "check.h"

char port_log[16384];

int
test_sh(const char *fmt, ...)
{
	char cmd[2048];
	va_list ap;
	int rc;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	rc = system(cmd);
	if (rc != 0)
		check_diag("command failed (%d): %s", rc, cmd);
	return rc;
}

/* EAL's log into a memory stream from here on (NULL: it stays where it was) */
static FILE *
log_capture(char **text, size_t *size)
{
	FILE *f = open_memstream(text, size);

	if (f != NULL)
		rte_openlog_stream(f);
	return f;
}

/* ... up to here: what it logged into port_log.  *text is read after
 * fclose(), which may have moved the buffer (open_memstream updates it). */
static void
log_keep(FILE *f, char **text)
{
	if (f != NULL) {
		rte_openlog_stream(NULL);
		fclose(f);
	}
	snprintf(port_log, sizeof(port_log), "%s",
		 f == NULL ? "(no log: open_memstream failed)" : *text ? *text : "");
	free(*text);
	*text = NULL;
}

int
port_open(const char *name, const char *args, uint16_t *port)
{
	const char *io = getenv("HASHTAP_TEST_IO");
	char *text = NULL, all[8192];
	size_t size = 0;
	FILE *f;
	int rc;

	/* every net_hashtap port takes the datapath the run asks for */
	if (io != NULL && io[0] != '\0' && strncmp(name, "net_hashtap", 11) == 0 &&
	    strstr(args, "io=") == NULL && strlen(args) + strlen(io) + 5 < sizeof(all)) {
		size_t n = strlen(args);

		memcpy(all, args, n);
		snprintf(all + n, sizeof(all) - n, "%sio=%s", n > 0 ? "," : "", io);
		args = all;
	}
	f = log_capture(&text, &size);
	rc = rte_vdev_init(name, args);
	log_keep(f, &text);
	if (rc == 0 && rte_eth_dev_get_port_by_name(name, port) != 0)
		rc = -ENODEV;
	return rc;
}

void
port_close(const char *name, uint16_t port)
{
	rte_eth_dev_stop(port);
	rte_eth_dev_close(port);
	rte_vdev_uninit(name);
}

int
port_close_log(const char *name, uint16_t port)
{
	char *text = NULL;
	size_t size = 0;
	FILE *f = log_capture(&text, &size);
	int rc;

	rte_eth_dev_stop(port);
	rc = rte_eth_dev_close(port);
	if (rte_vdev_uninit(name) != 0 && rc == 0)
		rc = -ENODEV;
	log_keep(f, &text);
	return rc;
}

struct rte_mempool *
port_pool(const char *name, unsigned int n, uint16_t room)
{
	struct rte_mempool *mp = rte_pktmbuf_pool_create(name, n, 0, 0,
		room ? room : RTE_MBUF_DEFAULT_BUF_SIZE, 0);

	if (mp == NULL)
		check_diag("mempool %s: %s", name, rte_strerror(rte_errno));
	return mp;
}

int
port_start(uint16_t port, uint16_t nrx, uint16_t ntx, const struct rte_eth_conf *conf,
	   struct rte_mempool *mp)
{
	uint16_t q;
	int rc;

	rc = rte_eth_dev_configure(port, nrx, ntx, conf);
	if (rc != 0) {
		check_diag("configure: %s", strerror(-rc));
		return rc;
	}
	for (q = 0; q < nrx; q++)
		if ((rc = rte_eth_rx_queue_setup(port, q, 64, 0, NULL, mp)) != 0)
			return rc;
	for (q = 0; q < ntx; q++)
		if ((rc = rte_eth_tx_queue_setup(port, q, 64, 0, NULL)) != 0)
			return rc;
	return rte_eth_dev_start(port);
}

int
port_start_log(uint16_t port, uint16_t nrx, uint16_t ntx, const struct rte_eth_conf *conf,
	       struct rte_mempool *mp)
{
	char *text = NULL;
	size_t size = 0;
	FILE *f = log_capture(&text, &size);
	int rc = port_start(port, nrx, ntx, conf, mp);

	log_keep(f, &text);
	return rc;
}

uint64_t
port_xstat(uint16_t port, const char *name)
{
	uint64_t id, v = UINT64_MAX;

	if (rte_eth_xstats_get_id_by_name(port, name, &id) == 0)
		rte_eth_xstats_get_by_id(port, &id, &v, 1);
	return v;
}

int
test_nfds(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	while (d != NULL && readdir(d) != NULL)
		n++;
	if (d != NULL)
		closedir(d);
	return n - 3;	/* ., .., the DIR's own */
}

bool
port_wait_link(uint16_t port, int want, unsigned int ms)
{
	struct rte_eth_link l;

	for (unsigned int t = 0; t < ms; t += 10) {
		if (rte_eth_link_get_nowait(port, &l) == 0 && l.link_status == want)
			return true;
		rte_delay_us_sleep(10000);
	}
	return false;
}

int
port_tun_hold(const char *name, short flags, int hdrsz)
{
	struct ifreq ifr;
	int fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0) {
		check_diag("holding %s: /dev/net/tun: %s", name, strerror(errno));
		return -1;
	}
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	ifr.ifr_flags = flags;
	if (ioctl(fd, TUNSETIFF, &ifr) < 0 || (hdrsz && ioctl(fd, TUNSETVNETHDRSZ, &hdrsz) < 0)) {
		check_diag("holding %s: %s", name, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

struct rte_mbuf *
port_mbuf_chain(struct rte_mempool *mp, const uint8_t *b, uint32_t len, unsigned int n,
		const uint32_t *sizes)
{
	struct rte_mbuf *head = NULL, *prev = NULL;
	uint32_t off = 0;

	for (unsigned int i = 0; i < n; i++) {
		uint32_t chunk = i + 1 == n ? len - off : sizes[i];
		struct rte_mbuf *m = rte_pktmbuf_alloc(mp);
		char *d = m != NULL ? rte_pktmbuf_append(m, (uint16_t)chunk) : NULL;

		if (d == NULL) {
			check_diag("port_mbuf_chain: no mbuf for %u bytes", chunk);
			rte_pktmbuf_free(m);
			rte_pktmbuf_free(head);
			return NULL;
		}
		memcpy(d, b + off, chunk);
		off += chunk;
		if (prev == NULL) {
			head = m;
		} else {
			prev->next = m;
			head->nb_segs++;
			head->pkt_len += chunk;
		}
		prev = m;
	}
	return head;
}

struct rte_mbuf *
port_rx_match(uint16_t port, uint16_t nq, const uint8_t *want, uint32_t len, unsigned int ms,
	      uint16_t *qid, unsigned int *others)
{
	uint64_t end = rte_get_timer_cycles() + rte_get_timer_hz() * ms / 1000;
	static uint8_t flat[65536];

	do {
		for (uint16_t q = 0; q < nq; q++) {
			struct rte_mbuf *m[32], *hit = NULL;
			uint16_t n = rte_eth_rx_burst(port, q, m, 32), i;

			for (i = 0; i < n; i++) {
				const uint8_t *d = rte_pktmbuf_read(m[i], 0, RTE_MIN(m[i]->pkt_len, 65536u), flat);

				if (hit == NULL && m[i]->pkt_len == len && d != NULL &&
				    memcmp(d, want, len) == 0) {
					hit = m[i];
					continue;
				}
				if (others != NULL)
					(*others)++;
				rte_pktmbuf_free(m[i]);
			}
			if (hit != NULL) {
				*qid = q;
				return hit;
			}
		}
		rte_delay_us_sleep(200);
	} while (rte_get_timer_cycles() < end);
	return NULL;
}
