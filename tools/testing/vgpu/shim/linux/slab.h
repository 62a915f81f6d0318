/* SPDX-License-Identifier: MIT */
/* Userspace stand-in for <linux/slab.h>. */
#ifndef _LINUX_SLAB_H
#define _LINUX_SLAB_H

#include "vgpu_shim.h"

#endif /* _LINUX_SLAB_H */
