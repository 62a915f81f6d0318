/* SPDX-License-Identifier: MIT */
/* Userspace stand-in: the harness is single-writer per tree, no RCU. */
#ifndef __LINUX_RCUPDATE_H
#define __LINUX_RCUPDATE_H

#include <linux/compiler.h>

#define rcu_assign_pointer(p, v) WRITE_ONCE(p, v)

#endif /* __LINUX_RCUPDATE_H */
