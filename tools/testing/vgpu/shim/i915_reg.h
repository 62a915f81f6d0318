/* SPDX-License-Identifier: MIT */
/* Userspace stand-in for i915_reg.h: its types live in the shim's i915_drv.h. */
#ifndef _I915_REG_H_
#define _I915_REG_H_

#include "i915_drv.h"

#endif /* _I915_REG_H_ */
