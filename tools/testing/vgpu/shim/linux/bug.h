/* SPDX-License-Identifier: MIT */
/* Userspace stand-in for <linux/bug.h>. */
#ifndef _LINUX_BUG_H
#define _LINUX_BUG_H

#include "vgpu_shim.h"

#endif /* _LINUX_BUG_H */
