/* SPDX-License-Identifier: MIT */
/* Userspace stand-in for <linux/limits.h>. */
#ifndef _LINUX_LIMITS_H
#define _LINUX_LIMITS_H

#include "vgpu_shim.h"

#endif /* _LINUX_LIMITS_H */
