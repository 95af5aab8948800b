/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 hashtap authors
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include <linux/bpf.h>
#include <linux/if_link.h>
#include <net/if.h>
#include <sys/syscall.h>

#include "kbpf.h"

static int
prog_load(unsigned int type, const struct bpf_insn *insns, unsigned int n, char *log,
	  size_t log_size)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.prog_type = type;
	a.insns = (uintptr_t)insns;
	a.insn_cnt = n;
	a.license = (uintptr_t)"GPL";
	if (log != NULL && log_size > 0) {
		log[0] = '\0';
		a.log_buf = (uintptr_t)log;
		a.log_size = (unsigned int)log_size;
		a.log_level = 1;
	}
	return (int)syscall(__NR_bpf, BPF_PROG_LOAD, &a, sizeof(a));
}

int
kbpf_xdp_redirect(const char *dev, int ifindex, char *log, size_t log_size)
{
	const struct bpf_insn prog[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_1, .imm = ifindex },
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_2, .imm = 0 },
		{ .code = BPF_JMP | BPF_CALL, .imm = BPF_FUNC_redirect },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	union bpf_attr a;
	int fd, link;

	fd = prog_load(BPF_PROG_TYPE_XDP, prog, sizeof(prog) / sizeof(prog[0]), log, log_size);
	if (fd < 0)
		return -1;
	memset(&a, 0, sizeof(a));
	a.link_create.prog_fd = (uint32_t)fd;
	a.link_create.target_ifindex = if_nametoindex(dev);
	a.link_create.attach_type = BPF_XDP;
	a.link_create.flags = XDP_FLAGS_DRV_MODE;
	link = (int)syscall(__NR_bpf, BPF_LINK_CREATE, &a, sizeof(a));
	close(fd);	/* the link holds the program */
	return link;
}

int
kbpf_steering(int queue)
{
	const struct bpf_insn prog[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = queue },
		{ .code = BPF_JMP | BPF_EXIT },
	};

	return prog_load(BPF_PROG_TYPE_SOCKET_FILTER, prog, sizeof(prog) / sizeof(prog[0]),
			 NULL, 0);
}

#define INSN(c, d, s_, o, i) \
	{ .code = (c), .dst_reg = (d), .src_reg = (s_), .off = (o), .imm = (i) }
/* the two halves of "r = map fd" (BPF_LD | BPF_IMM | BPF_DW, pseudo map fd) */
#define LD_MAP(r, fd) \
	INSN(BPF_LD | BPF_DW | BPF_IMM, r, BPF_PSEUDO_MAP_FD, 0, fd), INSN(0, 0, 0, 0, 0)
/* r0 = &map[key], the key being the u32 at r10 + off; 5 instructions */
#define LOOKUP(fd, off) \
	LD_MAP(BPF_REG_1, fd), \
	INSN(BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_2, BPF_REG_10, 0, 0), \
	INSN(BPF_ALU64 | BPF_ADD | BPF_K, BPF_REG_2, 0, 0, off), \
	INSN(BPF_JMP | BPF_CALL, 0, 0, 0, BPF_FUNC_map_lookup_elem)

int
kbpf_hash_recorder(unsigned int n, int *map_fd, char *log, size_t log_size)
{
	union bpf_attr a;
	int map, fd;

	memset(&a, 0, sizeof(a));
	a.map_type = BPF_MAP_TYPE_ARRAY;
	a.key_size = 4;
	a.value_size = 4;
	a.max_entries = n + 1;
	map = (int)syscall(__NR_bpf, BPF_MAP_CREATE, &a, sizeof(a));
	if (map < 0)
		return -1;
	{
		const struct bpf_insn prog[] = {
			/* 0: r6 = ctx (what LD_ABS reads), r7 = skb->hash */
			INSN(BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_6, BPF_REG_1, 0, 0),
			INSN(BPF_LDX | BPF_W | BPF_MEM, BPF_REG_7, BPF_REG_6,
			     offsetof(struct __sk_buff, hash), 0),
			/* 2: not stamped: accept, record nothing */
			INSN(BPF_LD | BPF_H | BPF_ABS, 0, 0, 0, KBPF_STAMP_OFF),
			INSN(BPF_JMP | BPF_JNE | BPF_K, BPF_REG_0, 0, 23, KBPF_STAMP),	/* -> out */
			/* 4: r8 = its number; past n: counted only */
			INSN(BPF_LD | BPF_W | BPF_ABS, 0, 0, 0, KBPF_STAMP_OFF + 2),
			INSN(BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_8, BPF_REG_0, 0, 0),
			INSN(BPF_JMP | BPF_JGE | BPF_K, BPF_REG_8, 0, 10, (int32_t)n),	/* -> count */
			/* 7: map[number + 1] = hash */
			INSN(BPF_ALU64 | BPF_MOV | BPF_X, BPF_REG_1, BPF_REG_8, 0, 0),
			INSN(BPF_ALU64 | BPF_ADD | BPF_K, BPF_REG_1, 0, 0, 1),
			INSN(BPF_STX | BPF_W | BPF_MEM, BPF_REG_10, BPF_REG_1, -8, 0),
			LOOKUP(map, -8),
			INSN(BPF_JMP | BPF_JEQ | BPF_K, BPF_REG_0, 0, 1, 0),		/* -> count */
			INSN(BPF_STX | BPF_W | BPF_MEM, BPF_REG_0, BPF_REG_7, 0, 0),
			/* 17 count: map[0]++ */
			INSN(BPF_ST | BPF_W | BPF_MEM, BPF_REG_10, 0, -4, 0),
			LOOKUP(map, -4),
			INSN(BPF_JMP | BPF_JEQ | BPF_K, BPF_REG_0, 0, 3, 0),		/* -> out */
			INSN(BPF_LDX | BPF_W | BPF_MEM, BPF_REG_1, BPF_REG_0, 0, 0),
			INSN(BPF_ALU64 | BPF_ADD | BPF_K, BPF_REG_1, 0, 0, 1),
			INSN(BPF_STX | BPF_W | BPF_MEM, BPF_REG_0, BPF_REG_1, 0, 0),
			/* 27 out: accept the frame whole */
			INSN(BPF_LDX | BPF_W | BPF_MEM, BPF_REG_0, BPF_REG_6,
			     offsetof(struct __sk_buff, len), 0),
			INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0),
		};

		fd = prog_load(BPF_PROG_TYPE_SOCKET_FILTER, prog, sizeof(prog) / sizeof(prog[0]),
			       log, log_size);
	}
	if (fd < 0) {
		close(map);
		return -1;
	}
	*map_fd = map;
	return fd;
}
