/* SPDX-License-Identifier: MIT */
/* Userspace stand-in for <linux/list.h>. */
#ifndef _LINUX_LIST_H
#define _LINUX_LIST_H

#include "vgpu_shim.h"

#endif /* _LINUX_LIST_H */
