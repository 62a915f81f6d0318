/* SPDX-License-Identifier: MIT */
/* Userspace stand-in for <linux/gfp.h> (vgpu_shim.h). */
#ifndef __LINUX_GFP_H
#define __LINUX_GFP_H

#include "vgpu_shim.h"

#endif /* __LINUX_GFP_H */
