/* SPDX-License-Identifier: MIT */
/* Userspace stand-in for gt/intel_gtt.h: its types live in the shim's i915_drv.h. */
#ifndef __INTEL_GTT_H__
#define __INTEL_GTT_H__

#include "i915_drv.h"

#endif /* __INTEL_GTT_H__ */
