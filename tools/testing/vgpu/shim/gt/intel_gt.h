/* SPDX-License-Identifier: MIT */
/* Userspace stand-in for gt/intel_gt.h: its types live in the shim's i915_drv.h. */
#ifndef __INTEL_GT__
#define __INTEL_GT__

#include "i915_drv.h"

#endif /* __INTEL_GT__ */
