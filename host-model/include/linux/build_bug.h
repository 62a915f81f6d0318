/* SPDX-License-Identifier: MIT */
/*
 * Userspace stand-in: the kernel's static_assert() takes an optional
 * message; C11's _Static_assert needs one, so supply the expression text.
 */
#ifndef _LINUX_BUILD_BUG_H
#define _LINUX_BUILD_BUG_H

#undef static_assert
#define __vgt_static_assert(expr, msg, ...) _Static_assert(expr, msg)
#define static_assert(expr, ...) __vgt_static_assert(expr, ##__VA_ARGS__, #expr)

#endif /* _LINUX_BUILD_BUG_H */
