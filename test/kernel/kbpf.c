/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 hashtap authors
 */
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
