/* SPDX-License-Identifier: MIT */
/* Userspace stand-in for gt/intel_gt_pm_irq.h: its types live in the shim's i915_drv.h. */
#ifndef INTEL_GT_PM_IRQ_H
#define INTEL_GT_PM_IRQ_H

#include "i915_drv.h"

#endif /* INTEL_GT_PM_IRQ_H */
