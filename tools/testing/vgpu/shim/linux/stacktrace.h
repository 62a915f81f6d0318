/* SPDX-License-Identifier: MIT */
/* Userspace stand-in for <linux/stacktrace.h>. */
#ifndef __LINUX_STACKTRACE_H
#define __LINUX_STACKTRACE_H

#include "vgpu_shim.h"

#endif /* __LINUX_STACKTRACE_H */
