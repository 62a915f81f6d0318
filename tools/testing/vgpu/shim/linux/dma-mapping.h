/* SPDX-License-Identifier: MIT */
/* Userspace stand-in for <linux/dma-mapping.h> (vgpu_shim.h). */
#ifndef _LINUX_DMA_MAPPING_H
#define _LINUX_DMA_MAPPING_H

#include "vgpu_shim.h"

#endif /* _LINUX_DMA_MAPPING_H */
