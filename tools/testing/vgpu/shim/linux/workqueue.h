/* SPDX-License-Identifier: MIT */
/* Userspace stand-in for <linux/workqueue.h> (vgpu_shim.h). */
#ifndef _LINUX_WORKQUEUE_H
#define _LINUX_WORKQUEUE_H

#include "vgpu_shim.h"

#endif /* _LINUX_WORKQUEUE_H */
