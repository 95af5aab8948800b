/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 hashtap authors
 */

#ifndef HASHTAP_URING_COMPAT_H
#define HASHTAP_URING_COMPAT_H

/*
 * What io_uring has that liburing 2.3 and Debian 12's kernel headers do not
 * name yet; the values are the kernel's ABI.  The one home of these (the
 * driver and tools/bench/tap-uring include it).
 */

#include <liburing.h>

/* A read kept armed on the fd, a provided buffer each completion (Linux 6.7) */
#ifndef IORING_OP_READ_MULTISHOT
#define IORING_OP_READ_MULTISHOT	49
#endif

#endif /* HASHTAP_URING_COMPAT_H */
