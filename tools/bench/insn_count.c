/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 hashtap authors
 *
 * A QEMU TCG plugin (benchmark, not a test): counts the instructions the
 * guest executes, in all, in the kernel, and in named address ranges (the
 * functions of a System.map), and takes a snapshot of the counts each time
 * the guest executes a mark address (the kernel's sync(2) entry: the
 * benchmark calls sync() around the part it measures).  Built by meson
 * against the qemu-plugin.h of the installed QEMU, which "./hashtap setup"
 * takes from its Debian source package.
 *
 *   qemu-system-x86_64 ... -plugin PATH/libinsn-count.so,out=FILE,mark=0xADDR[,ranges=FILE]
 *     ranges: lines "NAME START END" (hex addresses, END exclusive)
 *     out:    one line per mark: "mark N total T kernel K" then
 *             "range NAME COUNT" for every range that ran; and "end" with
 *             the counts at exit
 *
 * The counts are inline additions in the translated code, so they cost no
 * call per instruction; instructions of a block that faults midway count
 * as executed (never seen in the benchmark's paths).  One vCPU: the
 * counters are not per vCPU.
 */

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <qemu-plugin.h>

QEMU_PLUGIN_EXPORT int qemu_plugin_version = QEMU_PLUGIN_VERSION;

#define MAX_RANGES	131072
#define KERNEL_BASE	0xffff800000000000ull

struct range {
	char name[64];
	uint64_t start, end;
	uint64_t count;
};

static struct range ranges[MAX_RANGES];
static unsigned int nranges;
static uint64_t total, kernel;
static uint64_t mark_addr;
static unsigned int marks;
static FILE *out;

static int
cmp_range(const void *a, const void *b)
{
	const struct range *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

static struct range *
find_range(uint64_t addr)
{
	unsigned int lo = 0, hi = nranges;

	while (lo < hi) {
		unsigned int mid = (lo + hi) / 2;

		if (addr < ranges[mid].start)
			hi = mid;
		else if (addr >= ranges[mid].end)
			lo = mid + 1;
		else
			return &ranges[mid];
	}
	return NULL;
}

static void
dump(const char *what)
{
	unsigned int i;

	fprintf(out, "%s %u total %" PRIu64 " kernel %" PRIu64 "\n", what, marks, total,
		kernel);
	for (i = 0; i < nranges; i++)
		if (ranges[i].count)
			fprintf(out, "range %s %" PRIu64 "\n", ranges[i].name, ranges[i].count);
	fflush(out);
}

static void
on_mark(unsigned int vcpu, void *udata)
{
	(void)vcpu;
	(void)udata;
	marks++;
	dump("mark");
}

static void
on_tb(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
	size_t n = qemu_plugin_tb_n_insns(tb), i;

	(void)id;
	for (i = 0; i < n; i++) {
		struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);
		uint64_t va = qemu_plugin_insn_vaddr(insn);
		struct range *r;

		qemu_plugin_register_vcpu_insn_exec_inline(insn, QEMU_PLUGIN_INLINE_ADD_U64,
							   &total, 1);
		if (va < KERNEL_BASE)
			continue;
		qemu_plugin_register_vcpu_insn_exec_inline(insn, QEMU_PLUGIN_INLINE_ADD_U64,
							   &kernel, 1);
		r = find_range(va);
		if (r != NULL)
			qemu_plugin_register_vcpu_insn_exec_inline(insn,
								   QEMU_PLUGIN_INLINE_ADD_U64,
								   &r->count, 1);
		if (va == mark_addr)
			qemu_plugin_register_vcpu_insn_exec_cb(insn, on_mark,
							       QEMU_PLUGIN_CB_NO_REGS, NULL);
	}
}

static void
on_atexit(qemu_plugin_id_t id, void *p)
{
	(void)id;
	(void)p;
	dump("end");
	fclose(out);
}

static int
load_ranges(const char *path)
{
	FILE *f = fopen(path, "r");
	char line[256];

	if (f == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL) {
		struct range *r = &ranges[nranges];

		if (nranges == MAX_RANGES) {
			fprintf(stderr, "insn-count: more than %d ranges in %s\n", MAX_RANGES, path);
			fclose(f);
			return -1;
		}
		if (sscanf(line, "%63s %" SCNx64 " %" SCNx64, r->name, &r->start, &r->end) == 3 &&
		    r->end > r->start)
			nranges++;
	}
	fclose(f);
	qsort(ranges, nranges, sizeof(ranges[0]), cmp_range);
	return 0;
}

QEMU_PLUGIN_EXPORT int
qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info, int argc, char **argv)
{
	const char *out_path = NULL;
	int i;

	(void)info;
	for (i = 0; i < argc; i++) {
		if (strncmp(argv[i], "out=", 4) == 0) {
			out_path = argv[i] + 4;
		} else if (strncmp(argv[i], "mark=", 5) == 0) {
			mark_addr = strtoull(argv[i] + 5, NULL, 16);
		} else if (strncmp(argv[i], "ranges=", 7) == 0) {
			if (load_ranges(argv[i] + 7) != 0) {
				fprintf(stderr, "insn-count: cannot read %s\n", argv[i] + 7);
				return -1;
			}
		} else {
			fprintf(stderr, "insn-count: unknown argument %s\n", argv[i]);
			return -1;
		}
	}
	if (out_path == NULL) {
		fprintf(stderr, "insn-count: out=FILE is required\n");
		return -1;
	}
	out = fopen(out_path, "w");
	if (out == NULL) {
		fprintf(stderr, "insn-count: cannot write %s\n", out_path);
		return -1;
	}
	qemu_plugin_register_vcpu_tb_trans_cb(id, on_tb);
	qemu_plugin_register_atexit_cb(id, on_atexit, NULL);
	return 0;
}
