/* SPDX-License-Identifier: MIT */
/* Userspace stand-in for <linux/delay.h> (vgpu_shim.h). */
#ifndef _LINUX_DELAY_H
#define _LINUX_DELAY_H

#include "vgpu_shim.h"

#endif /* _LINUX_DELAY_H */
