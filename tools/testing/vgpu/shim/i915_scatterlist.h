/* SPDX-License-Identifier: MIT */
/* Userspace stand-in for i915_scatterlist.h: its types live in the shim's i915_drv.h. */
#ifndef I915_SCATTERLIST_H
#define I915_SCATTERLIST_H

#include "i915_drv.h"

#endif /* I915_SCATTERLIST_H */
