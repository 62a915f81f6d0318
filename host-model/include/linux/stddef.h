/* SPDX-License-Identifier: MIT */
/* Userspace stand-in for offsetof(). */
#ifndef _LINUX_STDDEF_H
#define _LINUX_STDDEF_H

#include <stdbool.h>
#include <stddef.h>

#endif /* _LINUX_STDDEF_H */
