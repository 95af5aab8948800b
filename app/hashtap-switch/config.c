/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 hashtap authors
 *
 * The switch's INI file, read with rte_cfgfile:
 *
 *   [switch]   aging, status, duration, mac_entries, flow_entries, mbufs
 *   [eal]      args
 *   [port NAME] devargs, mode (access|trunk), vlan (access VLAN), vlans
 *              (trunk: list, ranges a-b), native (trunk: untagged VLAN),
 *              rxq, guest_queues, lcores (one per rx queue)
 *
 * Unknown sections and keys are errors, so a typo never passes silently.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cfgfile.h>

#include "switch.h"

static const char *const switch_keys[] = {
	"aging", "status", "duration", "mac_entries", "flow_entries", "mbufs", NULL
};
static const char *const eal_keys[] = { "args", NULL };
static const char *const port_keys[] = {
	"devargs", "mode", "vlan", "vlans", "native", "rxq", "guest_queues", "lcores", NULL
};

static bool
known(const char *const *keys, const char *k)
{
	for (; *keys != NULL; keys++)
		if (strcmp(*keys, k) == 0)
			return true;
	return false;
}

static int
num(const char *where, const char *key, const char *v, unsigned long lo, unsigned long hi,
    unsigned long *out)
{
	char *end;
	unsigned long x;

	errno = 0;
	x = strtoul(v, &end, 0);
	if (errno || end == v || *end != '\0' || x < lo || x > hi) {
		fprintf(stderr, "hashtap-switch: [%s] %s = %s: expected a number from %lu to %lu\n",
			where, key, v, lo, hi);
		return -1;
	}
	*out = x;
	return 0;
}

/* "10,20,30-40" into a VID bitmap */
static int
vlan_list(const char *where, const char *v, uint64_t *bits)
{
	char buf[512], *save = NULL, *tok;

	snprintf(buf, sizeof(buf), "%s", v);
	for (tok = strtok_r(buf, ",", &save); tok != NULL; tok = strtok_r(NULL, ",", &save)) {
		unsigned long a, b;
		char *dash = strchr(tok, '-');

		if (dash != NULL)
			*dash = '\0';
		if (num(where, "vlans", tok, 1, 4094, &a) < 0 ||
		    num(where, "vlans", dash ? dash + 1 : tok, a, 4094, &b) < 0)
			return -1;
		for (; a <= b; a++)
			bits[a / 64] |= 1ull << (a % 64);
	}
	return 0;
}

static int
apply_override(struct rte_cfgfile *f, const char *o)
{
	char sec[128], key[64];
	const char *dot = strrchr(o, '.'), *eq = strchr(o, '=');

	if (dot == NULL || eq == NULL || dot > eq || (size_t)(dot - o) >= sizeof(sec) ||
	    (size_t)(eq - dot - 1) >= sizeof(key)) {
		fprintf(stderr, "hashtap-switch: --set %s: expected SECTION.KEY=VALUE\n", o);
		return -1;
	}
	snprintf(sec, sizeof(sec), "%.*s", (int)(dot - o), o);
	snprintf(key, sizeof(key), "%.*s", (int)(eq - dot - 1), dot + 1);
	if (!rte_cfgfile_has_section(f, sec) && rte_cfgfile_add_section(f, sec) < 0)
		return -1;
	if (rte_cfgfile_has_entry(f, sec, key))
		return rte_cfgfile_set_entry(f, sec, key, eq + 1);
	return rte_cfgfile_add_entry(f, sec, key, eq + 1);
}

static int
load_port(struct rte_cfgfile *f, const char *sec, struct sw_port_cfg *p)
{
	struct rte_cfgfile_entry e[16];
	unsigned long x;
	int n, i;
	bool have_vlan = false;

	memset(p, 0, sizeof(*p));
	snprintf(p->name, sizeof(p->name), "%s", sec + 5);
	p->rxq = 1;
	n = rte_cfgfile_section_entries(f, sec, e, 16);
	for (i = 0; i < n; i++) {
		const char *k = e[i].name, *v = e[i].value;

		if (!known(port_keys, k)) {
			fprintf(stderr, "hashtap-switch: [%s] unknown key %s (valid: devargs, mode, vlan, vlans, native, rxq, guest_queues, lcores)\n",
				sec, k);
			return -1;
		}
		if (strcmp(k, "devargs") == 0) {
			snprintf(p->devargs, sizeof(p->devargs), "%s", v);
		} else if (strcmp(k, "mode") == 0) {
			if (strcmp(v, "access") != 0 && strcmp(v, "trunk") != 0) {
				fprintf(stderr, "hashtap-switch: [%s] mode = %s: access or trunk\n", sec, v);
				return -1;
			}
			p->trunk = v[0] == 't';
		} else if (strcmp(k, "vlan") == 0 || strcmp(k, "native") == 0) {
			if (num(sec, k, v, 1, 4094, &x) < 0)
				return -1;
			p->vlan = (uint16_t)x;
			have_vlan = true;
		} else if (strcmp(k, "vlans") == 0) {
			if (vlan_list(sec, v, p->allowed) < 0)
				return -1;
		} else if (strcmp(k, "rxq") == 0) {
			if (num(sec, k, v, 1, SW_MAX_RXQ, &x) < 0)
				return -1;
			p->rxq = (uint16_t)x;
		} else if (strcmp(k, "guest_queues") == 0) {
			if (num(sec, k, v, 0, SW_MAX_RXQ, &x) < 0)
				return -1;
			p->guest_queues = (uint16_t)x;
		}
	}
	if (p->devargs[0] == '\0') {
		fprintf(stderr, "hashtap-switch: [%s] needs devargs = ...\n", sec);
		return -1;
	}
	if (!p->trunk && !have_vlan)
		p->vlan = 1;
	if (p->trunk && p->vlan)
		p->allowed[p->vlan / 64] |= 1ull << (p->vlan % 64);
	/* lcores: one per rx queue; default: lcore 1 for all */
	for (i = 0; i < p->rxq; i++)
		p->lcore[i] = 1;
	if (rte_cfgfile_has_entry(f, sec, "lcores")) {
		char buf[128], *save = NULL, *tok;

		snprintf(buf, sizeof(buf), "%s", rte_cfgfile_get_entry(f, sec, "lcores"));
		for (i = 0, tok = strtok_r(buf, ",", &save); tok != NULL;
		     tok = strtok_r(NULL, ",", &save), i++) {
			if (i >= p->rxq || num(sec, "lcores", tok, 1, RTE_MAX_LCORE - 1, &x) < 0) {
				if (i >= p->rxq)
					fprintf(stderr, "hashtap-switch: [%s] lcores: one per rx queue (%u)\n",
						sec, p->rxq);
				return -1;
			}
			p->lcore[i] = (uint16_t)x;
		}
	}
	return 0;
}

int
sw_config_load(struct sw_config *c, const char *path, char *const *overrides,
	       unsigned int n_overrides)
{
	struct rte_cfgfile *f = rte_cfgfile_load(path, 0);
	char names[SW_MAX_PORTS + 4][CFG_NAME_LEN];
	char *ptrs[SW_MAX_PORTS + 4];
	struct rte_cfgfile_entry e[16];
	unsigned long x;
	unsigned int i;
	int ns, n, j, rc = -1;

	memset(c, 0, sizeof(*c));
	snprintf(c->path, sizeof(c->path), "%s", path);
	c->aging = 300;
	c->status = 5;
	c->mac_entries = 65536;
	c->flow_entries = 65536;
	c->mbufs = 16384;
	if (f == NULL) {
		fprintf(stderr, "hashtap-switch: cannot read %s\n", path);
		return -1;
	}
	for (i = 0; i < n_overrides; i++)
		if (apply_override(f, overrides[i]) < 0)
			goto out;
	for (i = 0; i < RTE_DIM(ptrs); i++)
		ptrs[i] = names[i];
	ns = rte_cfgfile_sections(f, ptrs, (int)RTE_DIM(ptrs));
	for (j = 0; j < ns; j++) {
		const char *sec = names[j];

		if (strcmp(sec, "switch") == 0 || strcmp(sec, "eal") == 0) {
			const char *const *keys = sec[0] == 's' ? switch_keys : eal_keys;
			int k;

			n = rte_cfgfile_section_entries(f, sec, e, 16);
			for (k = 0; k < n; k++) {
				const char *key = e[k].name, *v = e[k].value;

				if (!known(keys, key)) {
					fprintf(stderr, "hashtap-switch: [%s] unknown key %s\n", sec, key);
					goto out;
				}
				if (sec[0] == 'e') {
					snprintf(c->eal, sizeof(c->eal), "%s", v);
					continue;
				}
				if (num(sec, key, v, 0, 1u << 24, &x) < 0)
					goto out;
				if (strcmp(key, "aging") == 0)
					c->aging = (unsigned int)x;
				else if (strcmp(key, "status") == 0)
					c->status = (unsigned int)x;
				else if (strcmp(key, "duration") == 0)
					c->duration = (unsigned int)x;
				else if (strcmp(key, "mac_entries") == 0)
					c->mac_entries = (unsigned int)RTE_MAX(x, 64ul);
				else if (strcmp(key, "flow_entries") == 0)
					c->flow_entries = (unsigned int)RTE_MAX(x, 64ul);
				else
					c->mbufs = (unsigned int)RTE_MAX(x, 1024ul);
			}
		} else if (strncmp(sec, "port ", 5) == 0 && sec[5] != '\0') {
			if (c->nports == SW_MAX_PORTS) {
				fprintf(stderr, "hashtap-switch: more than %d ports\n", SW_MAX_PORTS);
				goto out;
			}
			if (load_port(f, sec, &c->port[c->nports]) < 0)
				goto out;
			c->nports++;
		} else {
			fprintf(stderr, "hashtap-switch: %s: unknown section [%s] (valid: [switch], [eal], [port NAME])\n",
				path, sec);
			goto out;
		}
	}
	if (c->nports < 2) {
		fprintf(stderr, "hashtap-switch: %s: a switch needs at least 2 [port NAME] sections\n", path);
		goto out;
	}
	rc = 0;
out:
	rte_cfgfile_close(f);
	return rc;
}
