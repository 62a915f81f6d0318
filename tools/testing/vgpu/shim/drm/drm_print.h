/* SPDX-License-Identifier: MIT */
/* Userspace stand-in for <drm/drm_print.h>. */
#ifndef DRM_PRINT_H_
#define DRM_PRINT_H_

#include "vgpu_shim.h"

#endif /* DRM_PRINT_H_ */
