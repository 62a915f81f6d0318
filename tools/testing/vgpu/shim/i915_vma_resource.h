/* SPDX-License-Identifier: MIT */
/* Userspace stand-in for i915_vma_resource.h: its types live in the shim's i915_drv.h. */
#ifndef __I915_VMA_RESOURCE_H__
#define __I915_VMA_RESOURCE_H__

#include "i915_drv.h"

#endif /* __I915_VMA_RESOURCE_H__ */
