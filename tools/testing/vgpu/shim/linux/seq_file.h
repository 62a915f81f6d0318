/* SPDX-License-Identifier: MIT */
/* Userspace stand-in for <linux/seq_file.h>. */
#ifndef _LINUX_SEQ_FILE_H
#define _LINUX_SEQ_FILE_H

#include "vgpu_shim.h"

#endif /* _LINUX_SEQ_FILE_H */
