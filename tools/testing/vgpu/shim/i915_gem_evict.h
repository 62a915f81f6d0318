/* SPDX-License-Identifier: MIT */
/* Userspace stand-in for i915_gem_evict.h: i915_gem_evict_for_node() is the shim's (shim.c). */
#ifndef __I915_GEM_EVICT_H__
#define __I915_GEM_EVICT_H__

#include "i915_drv.h"

#endif /* __I915_GEM_EVICT_H__ */
