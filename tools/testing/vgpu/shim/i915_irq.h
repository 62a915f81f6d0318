/* SPDX-License-Identifier: MIT */
/* Userspace stand-in for i915_irq.h: its types live in the shim's i915_drv.h. */
#ifndef __I915_IRQ_H__
#define __I915_IRQ_H__

#include "i915_drv.h"

#endif /* __I915_IRQ_H__ */
