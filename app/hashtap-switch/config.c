/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 hashtap authors
 *
 * The switch's INI file:
 *
 *   [switch]   aging, status, duration, mac_entries, flow_entries, mbufs
 *   [eal]      args
 *   [port NAME] devargs, mode (access|trunk), vlan (access VLAN), vlans
 *              (trunk: list, ranges a-b), native (trunk: untagged VLAN),
 *              rxq, guest_queues, lcores (one per rx queue), tunnel_types
 *              (inner-header hash of those encapsulations)
 *
 * Read by the small parser below rather than rte_cfgfile, which (DPDK
 * 22.11) cuts names at 63 and values at 255 characters without a word (a
 * trunk's "vlans = ...,3000" read as "...,30"), keeps duplicate sections
 * and keys, and cannot say on which line something is.  Here nothing is
 * cut or ignored: an unknown section or key, a repeated section or key, a
 * line that is not "[SECTION]" or "KEY = VALUE", a value too long for
 * where it goes, a bad number: the switch refuses to start and says the
 * file, the line and the key ("--set ..." for the command line).
 *
 * Syntax: one "[SECTION]" or "KEY = VALUE" a line; blanks around names and
 * values are ignored; ';' starts a comment anywhere, '#' at the start of a
 * line.  Numbers are decimal.
 */

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "switch.h"

#define MAX_FILE	(1 << 20)	/* a config is a few hundred bytes */

enum sec_type { SEC_SWITCH, SEC_EAL, SEC_PORT };

static const char *const switch_keys[] = {
	"aging", "status", "duration", "mac_entries", "flow_entries", "mbufs", NULL
};
static const char *const eal_keys[] = { "args", NULL };
static const char *const port_keys[] = {
	"devargs", "mode", "vlan", "vlans", "native", "rxq", "guest_queues", "lcores",
	"tunnel_types", NULL
};
static const char *const *const keys_of[] = { switch_keys, eal_keys, port_keys };
static const char *const valid_keys[] = {
	"aging, status, duration, mac_entries, flow_entries, mbufs",
	"args",
	"devargs, mode, vlan, vlans, native, rxq, guest_queues, lcores, tunnel_types",
};

/* the longest value a key may have (what the config structure holds) */
static size_t
max_len(const char *key)
{
	if (strcmp(key, "devargs") == 0)
		return sizeof(((struct sw_port_cfg *)NULL)->devargs) - 1;
	if (strcmp(key, "args") == 0)
		return sizeof(((struct sw_config *)NULL)->eal) - 1;
	return SIZE_MAX;
}

struct ini_sec {
	const char *name;	/* "switch", "eal", "port NAME" */
	enum sec_type type;
	int at;			/* where it was named first */
};

struct ini_ent {
	unsigned int sec;
	const char *key, *value;
	int at;
};

struct ini {
	char *buf;		/* the file, cut into names and values in place */
	struct ini_sec *sec;
	struct ini_ent *ent;
	char **mem;		/* names and values from the command line */
	unsigned int nsec, nent, nmem, cap_sec, cap_ent, cap_mem;
};

static const struct sw_config *cur;	/* whose "at" the messages decode */

void
sw_config_at(const struct sw_config *c, int at, char *buf, size_t cap)
{
	if (at > 0)
		snprintf(buf, cap, "%s:%d", c->path, at);
	else if (at < 0 && (unsigned int)-at <= c->n_overrides)
		snprintf(buf, cap, "%s %s", c->overrides[-at - 1].opt, c->overrides[-at - 1].arg);
	else
		snprintf(buf, cap, "%s (default)", c->path);
}

void
sw_config_error(const struct sw_config *c, int at, const char *fmt, ...)
{
	char where[512];
	va_list ap;

	sw_config_at(c, at, where, sizeof(where));
	fprintf(stderr, "hashtap-switch: %s: ", where);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

#define err(at, ...)	sw_config_error(cur, (at), __VA_ARGS__)

static char *
trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

static bool
known(enum sec_type t, const char *k)
{
	const char *const *keys;

	for (keys = keys_of[t]; *keys != NULL; keys++)
		if (strcmp(*keys, k) == 0)
			return true;
	return false;
}

/*
 * A section name: "switch", "eal" or "port NAME", NAME of letters, digits
 * and '_' (it names the port in telemetry, whose names allow no more), at
 * most SW_NAME - 1 long.  Writes the canonical name ("port NAME") to out.
 */
static int
section_name(int at, const char *s, enum sec_type *t, char *out, size_t cap)
{
	const char *n;
	size_t len;

	if (strcmp(s, "switch") == 0 || strcmp(s, "eal") == 0) {
		*t = s[0] == 's' ? SEC_SWITCH : SEC_EAL;
		snprintf(out, cap, "%s", s);
		return 0;
	}
	if (strcmp(s, "port") == 0) {
		err(at, "[port]: a port needs a name: [port NAME]");
		return -1;
	}
	if (strncmp(s, "port", 4) != 0 || !isspace((unsigned char)s[4])) {
		err(at, "unknown section [%s] (valid: [switch], [eal], [port NAME])", s);
		return -1;
	}
	for (n = s + 4; isspace((unsigned char)*n); n++)
		;
	len = strlen(n);
	if (len >= SW_NAME) {
		err(at, "[%s]: a port name has at most %d characters", s, SW_NAME - 1);
		return -1;
	}
	if (len == 0 || strspn(n, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") !=
	    len) {
		err(at, "[%s]: a port name is letters, digits and _ (telemetry names allow no more)",
		    s);
		return -1;
	}
	*t = SEC_PORT;
	snprintf(out, cap, "port %s", n);
	return 0;
}

static int
find_sec(const struct ini *ini, const char *name)
{
	unsigned int i;

	for (i = 0; i < ini->nsec; i++)
		if (strcmp(ini->sec[i].name, name) == 0)
			return (int)i;
	return -1;
}

static int
find_ent(const struct ini *ini, unsigned int sec, const char *key)
{
	unsigned int i;

	for (i = 0; i < ini->nent; i++)
		if (ini->ent[i].sec == sec && strcmp(ini->ent[i].key, key) == 0)
			return (int)i;
	return -1;
}

/* room for one more element in *arr (of *cap, n used) */
static int
grow(void *arr, size_t size, unsigned int n, unsigned int *cap, int at)
{
	void *p;

	if (n < *cap)
		return 0;
	p = realloc(*(void **)arr, (n ? n * 2 : 8) * size);
	if (p == NULL) {
		err(at, "out of memory");
		return -1;
	}
	*(void **)arr = p;
	*cap = n ? n * 2 : 8;
	return 0;
}

/* a copy of s[0..len) that lives as long as the ini */
static char *
keep(struct ini *ini, const char *s, size_t len, int at)
{
	char *c;

	if (grow(&ini->mem, sizeof(*ini->mem), ini->nmem, &ini->cap_mem, at) < 0)
		return NULL;
	c = strndup(s, len);
	if (c == NULL)
		err(at, "out of memory");
	else
		ini->mem[ini->nmem++] = c;
	return c;
}

static int
add_sec(struct ini *ini, const char *name, enum sec_type t, int at)
{
	if (grow(&ini->sec, sizeof(*ini->sec), ini->nsec, &ini->cap_sec, at) < 0)
		return -1;
	ini->sec[ini->nsec++] = (struct ini_sec){ name, t, at };
	return 0;
}

/* a new entry, or (from the command line) a new value for an existing one */
static int
set_ent(struct ini *ini, unsigned int sec, const char *key, const char *value, int at)
{
	const struct ini_sec *s = &ini->sec[sec];
	size_t len = strlen(value);
	int i;

	if (!known(s->type, key)) {
		err(at, "[%s] unknown key %s (valid: %s)", s->name, key, valid_keys[s->type]);
		return -1;
	}
	if (len == 0) {
		err(at, "[%s] %s: no value", s->name, key);
		return -1;
	}
	if (len > max_len(key)) {
		err(at, "[%s] %s: %zu characters, at most %zu", s->name, key, len, max_len(key));
		return -1;
	}
	i = find_ent(ini, sec, key);
	if (i >= 0 && at > 0) {
		err(at, "[%s] %s given twice (first at line %d)", s->name, key, ini->ent[i].at);
		return -1;
	}
	if (i >= 0) {			/* the command line: the last one wins */
		ini->ent[i].value = value;
		ini->ent[i].at = at;
		return 0;
	}
	if (grow(&ini->ent, sizeof(*ini->ent), ini->nent, &ini->cap_ent, at) < 0)
		return -1;
	ini->ent[ini->nent++] = (struct ini_ent){ sec, key, value, at };
	return 0;
}

static int
read_file(const char *path, char **out)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t len = 0;
	char *buf;
	ssize_t n;

	if (fd < 0) {
		fprintf(stderr, "hashtap-switch: cannot read %s: %s\n", path, strerror(errno));
		return -1;
	}
	buf = malloc(MAX_FILE + 1);
	if (buf == NULL) {
		close(fd);
		fprintf(stderr, "hashtap-switch: cannot read %s: out of memory\n", path);
		return -1;
	}
	while (len <= MAX_FILE && (n = read(fd, buf + len, MAX_FILE + 1 - len)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			fprintf(stderr, "hashtap-switch: cannot read %s: %s\n", path, strerror(errno));
			close(fd);
			free(buf);
			return -1;
		}
		len += (size_t)n;
	}
	close(fd);
	if (memchr(buf, '\0', len) != NULL) {
		const char *nul = memchr(buf, '\0', len), *p;
		int line = 1;

		for (p = buf; p < nul; p++)
			line += *p == '\n';
		fprintf(stderr, "hashtap-switch: %s:%d: a NUL byte: not a text file\n", path, line);
		free(buf);
		return -1;
	}
	if (len > MAX_FILE) {
		fprintf(stderr, "hashtap-switch: %s: longer than %d bytes: not a config file\n", path,
			MAX_FILE);
		free(buf);
		return -1;
	}
	buf[len] = '\0';
	*out = buf;
	return 0;
}

static int
parse_file(struct ini *ini, const char *path)
{
	char *line, *next;
	int at = 0, sec = -1;

	if (read_file(path, &ini->buf) < 0)
		return -1;
	for (line = ini->buf; line != NULL; line = next) {
		char *s, *eq, *c;

		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		at++;
		c = strchr(line, ';');
		if (c != NULL)
			*c = '\0';
		s = trim(line);
		if (*s == '\0' || *s == '#')
			continue;
		if (*s == '[') {
			char name[SW_NAME + 8];
			enum sec_type t;
			int i;

			if (s[strlen(s) - 1] != ']') {
				err(at, "\"%s\": expected [SECTION]", s);
				return -1;
			}
			s[strlen(s) - 1] = '\0';
			s = trim(s + 1);
			if (section_name(at, s, &t, name, sizeof(name)) < 0)
				return -1;
			i = find_sec(ini, name);
			if (i >= 0) {
				err(at, "[%s] repeated (first at line %d)", name, ini->sec[i].at);
				return -1;
			}
			/* the canonical name is never longer than what it came from */
			strcpy(s, name);
			if (add_sec(ini, s, t, at) < 0)
				return -1;
			sec = (int)ini->nsec - 1;
			continue;
		}
		eq = strchr(s, '=');
		if (sec < 0) {
			err(at, "%s: outside any section (a [SECTION] line comes first)", s);
			return -1;
		}
		if (eq == NULL || eq == s) {
			err(at, "[%s] \"%s\": expected KEY = VALUE", ini->sec[sec].name, s);
			return -1;
		}
		*eq = '\0';
		if (set_ent(ini, (unsigned int)sec, trim(s), trim(eq + 1), at) < 0)
			return -1;
	}
	return 0;
}

/* a section by name, added (from the command line) if missing */
static int
sec_of(struct ini *ini, const char *name, enum sec_type t, int at)
{
	int i = find_sec(ini, name);
	const char *n;

	if (i >= 0)
		return i;
	n = keep(ini, name, strlen(name), at);
	if (n == NULL || add_sec(ini, n, t, at) < 0)
		return -1;
	return (int)ini->nsec - 1;
}

/*
 * "--set SECTION.KEY=VALUE": SECTION is up to the first '.', KEY up to the
 * first '=' after it, VALUE the rest (it may have dots and '='s: section
 * names and keys have neither).  "--aging V" and the like: [switch].
 */
static int
apply_override(struct ini *ini, const struct sw_override *o, int at)
{
	const char *dot, *eq, *v, *e;
	char *sec_raw, *key, name[SW_NAME + 8];
	enum sec_type t;
	int sec;

	if (strcmp(o->opt, "--set") != 0) {
		sec = sec_of(ini, "switch", SEC_SWITCH, at);
		return sec < 0 ? -1 : set_ent(ini, (unsigned int)sec, o->opt + 2, o->arg, at);
	}
	eq = strchr(o->arg, '=');
	dot = eq ? memchr(o->arg, '.', (size_t)(eq - o->arg)) : NULL;
	if (dot == NULL || dot == o->arg || eq == dot + 1) {
		fprintf(stderr, "hashtap-switch: --set %s: expected SECTION.KEY=VALUE (SECTION and KEY without '.' or '=')\n",
			o->arg);
		return -1;
	}
	sec_raw = keep(ini, o->arg, (size_t)(dot - o->arg), at);
	if (sec_raw == NULL || section_name(at, trim(sec_raw), &t, name, sizeof(name)) < 0)
		return -1;
	sec = sec_of(ini, name, t, at);
	key = keep(ini, dot + 1, (size_t)(eq - dot - 1), at);
	/* blanks around the key and the value are ignored, as in the file */
	for (v = eq + 1; isspace((unsigned char)*v); v++)
		;
	for (e = v + strlen(v); e > v && isspace((unsigned char)e[-1]); e--)
		;
	v = keep(ini, v, (size_t)(e - v), at);
	if (sec < 0 || key == NULL || v == NULL)
		return -1;
	return set_ent(ini, (unsigned int)sec, trim(key), v, at);
}

static void
ini_free(struct ini *ini)
{
	unsigned int i;

	for (i = 0; i < ini->nmem; i++)
		free(ini->mem[i]);
	free(ini->mem);
	free(ini->sec);
	free(ini->ent);
	free(ini->buf);
}

/* ------------------------------------------------------------ values */

/* a decimal number from lo to hi: digits only (no sign, no octal, no hex) */
static int
num(const struct ini *ini, const struct ini_ent *e, const char *v, unsigned long lo,
    unsigned long hi, unsigned long *out)
{
	unsigned long x = 0;
	const char *p;

	for (p = v; *p >= '0' && *p <= '9' && x <= hi; p++)
		x = x * 10 + (unsigned long)(*p - '0');
	if (p == v || *p != '\0' || x < lo || x > hi) {
		err(e->at, "[%s] %s = %s: expected a number from %lu to %lu",
		    ini->sec[e->sec].name, e->key, e->value, lo, hi);
		return -1;
	}
	*out = x;
	return 0;
}

/* the elements of a list "a, b, c": each trimmed, none empty */
static int
list_next(const struct ini *ini, const struct ini_ent *e, const char **pos, char *tok, size_t cap)
{
	const char *s = *pos, *comma = strchr(s, ',');
	size_t len = comma ? (size_t)(comma - s) : strlen(s);
	char *t;

	if (len >= cap) {
		err(e->at, "[%s] %s = %s: an element is too long", ini->sec[e->sec].name, e->key,
		    e->value);
		return -1;
	}
	memcpy(tok, s, len);
	tok[len] = '\0';
	t = trim(tok);
	memmove(tok, t, strlen(t) + 1);
	if (tok[0] == '\0') {
		err(e->at, "[%s] %s = %s: an empty element", ini->sec[e->sec].name, e->key, e->value);
		return -1;
	}
	*pos = comma ? comma + 1 : NULL;
	return 0;
}

/* "10,20,30-40" into a VID bitmap */
static int
vlan_list(const struct ini *ini, const struct ini_ent *e, uint64_t *bits)
{
	const char *pos = e->value;
	char tok[32];

	while (pos != NULL) {
		unsigned long a, b;
		char *dash;

		if (list_next(ini, e, &pos, tok, sizeof(tok)) < 0)
			return -1;
		dash = strchr(tok, '-');
		if (dash != NULL) {
			char *hi = trim(dash + 1);

			*dash = '\0';
			trim(tok);
			if (num(ini, e, tok, 1, 4094, &a) < 0 || num(ini, e, hi, 1, 4094, &b) < 0)
				return -1;
			if (a > b) {
				err(e->at, "[%s] vlans = %s: %lu-%lu is reversed",
				    ini->sec[e->sec].name, e->value, a, b);
				return -1;
			}
		} else if (num(ini, e, tok, 1, 4094, &a) < 0) {
			return -1;
		} else {
			b = a;
		}
		for (; a <= b; a++)
			bits[a / 64] |= 1ull << (a % 64);
	}
	return 0;
}

static const struct ini_ent *
get(const struct ini *ini, unsigned int sec, const char *key)
{
	int i = find_ent(ini, sec, key);

	return i < 0 ? NULL : &ini->ent[i];
}

static int
load_port(const struct ini *ini, unsigned int sec, struct sw_port_cfg *p)
{
	const struct ini_sec *s = &ini->sec[sec];
	const struct ini_ent *e;
	unsigned long x;
	unsigned int i;

	memset(p, 0, sizeof(*p));
	snprintf(p->name, sizeof(p->name), "%s", s->name + 5);
	p->at = s->at;
	p->rxq = 1;
	e = get(ini, sec, "devargs");
	if (e == NULL) {
		err(s->at, "[%s] needs devargs = ...", s->name);
		return -1;
	}
	snprintf(p->devargs, sizeof(p->devargs), "%s", e->value);
	p->at_devargs = e->at;
	e = get(ini, sec, "mode");
	if (e != NULL) {
		if (strcmp(e->value, "access") != 0 && strcmp(e->value, "trunk") != 0) {
			err(e->at, "[%s] mode = %s: access or trunk", s->name, e->value);
			return -1;
		}
		p->trunk = e->value[0] == 't';
	}
	if (!p->trunk) {
		p->vlan = 1;
		if ((e = get(ini, sec, "vlans")) != NULL || (e = get(ini, sec, "native")) != NULL) {
			err(e->at, "[%s] %s: only for mode = trunk (an access port has vlan)", s->name,
			    e->key);
			return -1;
		}
		e = get(ini, sec, "vlan");
		if (e != NULL && num(ini, e, e->value, 1, 4094, &x) < 0)
			return -1;
		if (e != NULL)
			p->vlan = (uint16_t)x;
	} else {
		e = get(ini, sec, "vlan");
		if (e != NULL) {
			err(e->at, "[%s] vlan: only for mode = access (a trunk has vlans and native)",
			    s->name);
			return -1;
		}
		e = get(ini, sec, "vlans");
		if (e != NULL && vlan_list(ini, e, p->allowed) < 0)
			return -1;
		e = get(ini, sec, "native");
		if (e != NULL && num(ini, e, e->value, 1, 4094, &x) < 0)
			return -1;
		if (e != NULL) {
			p->vlan = (uint16_t)x;
			p->allowed[p->vlan / 64] |= 1ull << (p->vlan % 64);
		}
		if (get(ini, sec, "vlans") == NULL && e == NULL) {
			err(s->at, "[%s] a trunk needs vlans or native", s->name);
			return -1;
		}
	}
	e = get(ini, sec, "rxq");
	if (e != NULL && num(ini, e, e->value, 1, SW_MAX_RXQ, &x) < 0)
		return -1;
	if (e != NULL)
		p->rxq = (uint16_t)x;
	e = get(ini, sec, "guest_queues");
	if (e != NULL && num(ini, e, e->value, 0, SW_MAX_RXQ, &x) < 0)
		return -1;
	if (e != NULL)
		p->guest_queues = (uint16_t)x;
	e = get(ini, sec, "tunnel_types");
	if (e != NULL) {
		const char *bad = NULL;

		if (vnet_hash_tunnels_parse(e->value, &p->tunnel_types, &bad) < 0) {
			err(e->at, "[%s] tunnel_types = %s: unknown tunnel type \"%.*s\" (known: gre_2784, gre_2890, gre_7676, gre_udp, vxlan, vxlan_gpe, geneve, ipip, nvgre; gre, all, none)",
			    s->name, e->value, bad != NULL ? (int)strcspn(bad, ",") : 0,
			    bad != NULL ? bad : "");
			return -1;
		}
		p->at_tunnel_types = e->at;
	}
	/* lcores: one per rx queue; default: lcore 1 for all */
	for (i = 0; i < p->rxq; i++)
		p->lcore[i] = 1;
	e = get(ini, sec, "lcores");
	p->at_lcores = e ? e->at : s->at;
	if (e != NULL) {
		const char *pos = e->value;
		char tok[32];

		for (i = 0; pos != NULL; i++) {
			if (list_next(ini, e, &pos, tok, sizeof(tok)) < 0 ||
			    num(ini, e, tok, 1, RTE_MAX_LCORE - 1, &x) < 0)
				return -1;
			if (i < SW_MAX_RXQ)
				p->lcore[i] = (uint16_t)x;
		}
		if (i != p->rxq) {
			err(e->at, "[%s] lcores = %s: one per rx queue (%u)", s->name, e->value, p->rxq);
			return -1;
		}
	}
	return 0;
}

static int
load_switch(const struct ini *ini, unsigned int sec, struct sw_config *c)
{
	static const struct {
		const char *key;
		unsigned long lo;
	} lim[] = {
		{ "aging", 1 }, { "status", 0 }, { "duration", 0 },
		{ "mac_entries", 64 }, { "flow_entries", 64 }, { "mbufs", 1024 },
	};
	unsigned int *dst[] = {
		&c->aging, &c->status, &c->duration, &c->mac_entries, &c->flow_entries, &c->mbufs,
	};
	int *at[] = { NULL, NULL, NULL, &c->at_mac_entries, &c->at_flow_entries, &c->at_mbufs };
	unsigned int i;

	for (i = 0; i < RTE_DIM(lim); i++) {
		const struct ini_ent *e = get(ini, sec, lim[i].key);
		unsigned long x;

		if (e == NULL)
			continue;
		if (num(ini, e, e->value, lim[i].lo, 1ul << 24, &x) < 0)
			return -1;
		*dst[i] = (unsigned int)x;
		if (at[i] != NULL)
			*at[i] = e->at;
	}
	return 0;
}

static int
load_eal(const struct ini *ini, unsigned int sec, struct sw_config *c)
{
	const struct ini_ent *e = get(ini, sec, "args");
	const char *p;
	unsigned int words = 0;

	if (e == NULL)
		return 0;
	for (p = e->value; *p != '\0';) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0')
			break;
		words++;
		while (*p != '\0' && *p != ' ' && *p != '\t')
			p++;
	}
	if (words > SW_MAX_EAL_WORDS) {
		err(e->at, "[eal] args: %u words, at most %d", words, SW_MAX_EAL_WORDS);
		return -1;
	}
	snprintf(c->eal, sizeof(c->eal), "%s", e->value);
	c->at_eal = e->at;
	return 0;
}

int
sw_config_load(struct sw_config *c, const char *path, const struct sw_override *overrides,
	       unsigned int n_overrides)
{
	struct ini ini = { 0 };
	unsigned int i;
	int rc = -1;

	memset(c, 0, sizeof(*c));
	c->path = path;
	c->overrides = overrides;
	c->n_overrides = n_overrides;
	c->aging = 300;
	c->status = 5;
	c->mac_entries = 65536;
	c->flow_entries = 65536;
	c->mbufs = 16384;
	cur = c;
	if (parse_file(&ini, path) < 0)
		goto out;
	for (i = 0; i < n_overrides; i++)
		if (apply_override(&ini, &overrides[i], -(int)i - 1) < 0)
			goto out;
	for (i = 0; i < ini.nsec; i++) {
		const struct ini_sec *s = &ini.sec[i];

		switch (s->type) {
		case SEC_SWITCH:
			if (load_switch(&ini, i, c) < 0)
				goto out;
			break;
		case SEC_EAL:
			if (load_eal(&ini, i, c) < 0)
				goto out;
			break;
		case SEC_PORT:
			if (c->nports == SW_MAX_PORTS) {
				err(s->at, "[%s]: more than %d ports", s->name, SW_MAX_PORTS);
				goto out;
			}
			if (load_port(&ini, i, &c->port[c->nports]) < 0)
				goto out;
			c->nports++;
			break;
		}
	}
	if (c->nports < 2) {
		fprintf(stderr, "hashtap-switch: %s: a switch needs at least 2 [port NAME] sections\n",
			path);
		goto out;
	}
	rc = 0;
out:
	ini_free(&ini);
	return rc;
}

/* "2-5,10,3000": the VLANs of a bitmap, "..." at the end when cut to fit */
void
sw_vlan_list_str(const uint64_t *bits, char *buf, size_t cap)
{
	size_t len = 0;
	unsigned int v = 1;

	buf[0] = '\0';
	while (v < 4095) {
		unsigned int a, b;
		int n;

		if (!((bits[v / 64] >> (v % 64)) & 1)) {
			v++;
			continue;
		}
		for (a = b = v; b + 1 < 4095 && ((bits[(b + 1) / 64] >> ((b + 1) % 64)) & 1); b++)
			;
		n = a == b ? snprintf(buf + len, cap - len, "%s%u", len ? "," : "", a) :
			snprintf(buf + len, cap - len, "%s%u-%u", len ? "," : "", a, b);
		if (n < 0 || (size_t)n >= cap - len) {
			snprintf(buf + (len + 4 < cap ? len : cap - 4), 4, "...");
			return;
		}
		len += (size_t)n;
		v = b + 1;
	}
}
