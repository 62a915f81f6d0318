/* SPDX-License-Identifier: MIT */
/* Userspace stand-in: the compiler helpers the real rbtree/drm_mm use. */
#ifndef __LINUX_COMPILER_H
#define __LINUX_COMPILER_H

#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#define READ_ONCE(x) (*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, val) (*(volatile __typeof__(x) *)&(x) = (val))
#ifndef __always_inline
#define __always_inline inline __attribute__((__always_inline__))
#endif
#define __maybe_unused __attribute__((__unused__))
#define __iomem
#define __must_check __attribute__((__warn_unused_result__))
#define __printf(a, b) __attribute__((__format__(printf, a, b)))

/*
 * The harness's own files are strict C11, which has no typeof keyword; the
 * kernel headers' iterator macros (drm_mm_for_each_hole) use it.
 */
#ifdef __STRICT_ANSI__
#define typeof __typeof__
#endif

#endif /* __LINUX_COMPILER_H */
