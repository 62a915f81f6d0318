/* SPDX-License-Identifier: MIT */
/* Userspace stand-in for <linux/export.h>. */
#ifndef _LINUX_EXPORT_H
#define _LINUX_EXPORT_H

#include "vgpu_shim.h"

#endif /* _LINUX_EXPORT_H */
