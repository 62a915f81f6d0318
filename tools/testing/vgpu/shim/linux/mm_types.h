/* SPDX-License-Identifier: MIT */
/* Userspace stand-in for <linux/mm_types.h>. */
#ifndef _LINUX_MM_TYPES_H
#define _LINUX_MM_TYPES_H

#include "vgpu_shim.h"

#endif /* _LINUX_MM_TYPES_H */
