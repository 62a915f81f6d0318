/* SPDX-License-Identifier: MIT */
/* Userspace stand-in for <linux/spinlock.h>. */
#ifndef __LINUX_SPINLOCK_H
#define __LINUX_SPINLOCK_H

#include "vgpu_shim.h"

#endif /* __LINUX_SPINLOCK_H */
