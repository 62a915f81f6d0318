/* SPDX-License-Identifier: MIT */
/* Userspace stand-in for <linux/mutex.h>. */
#ifndef __LINUX_MUTEX_H
#define __LINUX_MUTEX_H

#include "vgpu_shim.h"

#endif /* __LINUX_MUTEX_H */
