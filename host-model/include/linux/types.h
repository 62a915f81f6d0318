/* SPDX-License-Identifier: MIT */
/*
 * Userspace stand-ins for the kernel headers that i915_pvinfo.h includes.
 * The include guards are the kernel's own, so a real kernel header can never
 * be pulled in beside these.
 */
#ifndef _LINUX_TYPES_H
#define _LINUX_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef unsigned long long u64;	/* as the kernel: %llx everywhere */
typedef int16_t s16;
typedef int32_t s32;
typedef long long s64;

#ifndef __packed
#define __packed __attribute__((__packed__))
#endif
#ifndef BIT
#define BIT(n) (1UL << (n))
#endif

#endif /* _LINUX_TYPES_H */
