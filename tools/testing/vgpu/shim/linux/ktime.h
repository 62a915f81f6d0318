/* SPDX-License-Identifier: MIT */
/* Userspace stand-in for <linux/ktime.h> (vgpu_shim.h). */
#ifndef _LINUX_KTIME_H
#define _LINUX_KTIME_H

#include "vgpu_shim.h"

#endif /* _LINUX_KTIME_H */
