// SPDX-License-Identifier: MIT
/*
 * Guest side of a mediated Intel vGPU: PVINFO, GGTT ballooning, fences.
 */

#include "i915_drv.h"
#include "i915_pvinfo.h"
#include "i915_vgpu.h"

/**
 * DOC: Intel vGPU guest enlightenment
 *
 * A mediated vGPU (GVT-g style) shares one GPU among virtual machines. Each
 * vGPU owns one range of the CPU-visible aperture, one range of the hidden
 * GGTT above it and a few fence registers. The host publishes this
 * assignment in the PVINFO page, 4 KiB of MMIO at BAR0 + 0x78000, laid out
 * in i915_pvinfo.h and specified in spec/pvinfo.md.
 *
 * The guest keeps the host's GGTT addresses: rather than asking the host to
 * translate every graphics address, it reserves ("balloons out") each GGTT
 * range it does not own, so its allocator can only hand out addresses inside
 * its own slices and the host merely validates them. The trade-off is that a
 * guest sees a GGTT with holes instead of a small contiguous one, and that
 * the assignment cannot change while the driver is bound (PVINFO 1.0; 1.1
 * lifts that, see i915_vgpu_pv.c).
 *
 * The page comes from a host the guest does not control, so it is read once
 * (intel_vgpu_detect()) into &i915_virtual_gpu.res and validated before any
 * of it is used: the version before anything else is read, the fence quota
 * before fences are set up (intel_vgpu_fence_count()) and the slices before
 * anything is reserved (intel_vgt_balloon()). Every violation names the
 * field and its value, returns its own errno (-EPROTO unknown major version,
 * -ENODATA empty resource, -EINVAL misalignment, -EOVERFLOW a range wrapping
 * the 32-bit field, -ERANGE a resource outside what the hardware has) and
 * leaves nothing reserved. All state is per device, so two vGPU devices in
 * one guest balloon independently.
 *
 * On a vGPU the rest of i915 also skips what the host would only emulate:
 * forcewake, RC6, FBC and stolen memory.
 */

static void __iomem *vgpu_map_pvinfo(struct drm_i915_private *i915)
{
	struct pci_dev *pdev = to_pci_dev(i915->drm.dev);

	return pci_iomap_range(pdev, 0, VGT_PVINFO_PAGE, VGT_PVINFO_SIZE);
}

static void vgpu_unmap_pvinfo(struct drm_i915_private *i915,
			      void __iomem *pvinfo)
{
	pci_iounmap(to_pci_dev(i915->drm.dev), pvinfo);
}

static void vgpu_read_resources(void __iomem *pvinfo,
				struct intel_vgpu_resources *res)
{
	res->id = readl(pvinfo + vgtif_offset(vgt_id));
	res->mappable_base =
		readl(pvinfo + vgtif_offset(avail_rs.mappable_gmadr.base));
	res->mappable_size =
		readl(pvinfo + vgtif_offset(avail_rs.mappable_gmadr.size));
	res->hidden_base =
		readl(pvinfo + vgtif_offset(avail_rs.nonmappable_gmadr.base));
	res->hidden_size =
		readl(pvinfo + vgtif_offset(avail_rs.nonmappable_gmadr.size));
	res->fence_num = readl(pvinfo + vgtif_offset(avail_rs.fence_num));
}

/* 1.0 reserves the 1.1 words: read them only from a 1.1 device (G-20). */
static void vgpu_read_pv11(void __iomem *pvinfo, u32 caps, u16 minor,
			   struct intel_vgpu_resources *res)
{
	if (minor < 1 || !(caps & VGT_CAPS_PV11))
		return;
	res->pv11_features = readl(pvinfo + vgtif_offset(pv11.features));
	res->pv11_max_pages = readl(pvinfo + vgtif_offset(pv11.max_pages));
}

/**
 * intel_vgpu_detect - find a PVINFO page and take a validated copy of it
 * @i915: the device, early in probe, before uncore is set up
 *
 * Reads the magic of the PVINFO page with one 64-bit access. Without the
 * magic the device is a physical GPU and nothing changes. With it, the
 * version must have the major this driver speaks (a newer minor only adds
 * fields in reserved space and is accepted), and the capabilities, the
 * host's id of the vGPU and its assignment are copied into @i915 once.
 * The assignment is validated later, when the GGTT geometry is known.
 *
 * Return: 0 for a physical GPU or an accepted vGPU; -ENOMEM if the page
 * cannot be mapped; -EPROTO if the host speaks an unknown major version,
 * in which case the vGPU stays inactive and probe must fail.
 */
int intel_vgpu_detect(struct drm_i915_private *i915)
{
	struct i915_virtual_gpu *vgpu = &i915->vgpu;
	void __iomem *pvinfo;
	u16 major, minor;
	int ret = 0;

	/* The PVINFO page only exists on the gen6+ MMIO BAR layout. */
	if (GRAPHICS_VER(i915) < 6)
		return 0;

	pvinfo = vgpu_map_pvinfo(i915);
	if (!pvinfo) {
		drm_err(&i915->drm, "vGPU: cannot map the PVINFO page\n");
		return -ENOMEM;
	}

	if (readq(pvinfo + vgtif_offset(magic)) != VGT_MAGIC)
		goto out;

	major = readw(pvinfo + vgtif_offset(version_major));
	minor = readw(pvinfo + vgtif_offset(version_minor));
	if (major != VGT_VERSION_MAJOR) {
		/* Another major may have moved every field: read nothing more. */
		drm_err(&i915->drm,
			"vGPU: unsupported PVINFO version %u.%u (driver speaks %u.x)\n",
			major, minor, VGT_VERSION_MAJOR);
		ret = -EPROTO;
		goto out;
	}

	vgpu->caps = readl(pvinfo + vgtif_offset(vgt_caps));
	vgpu_read_resources(pvinfo, &vgpu->res);
	vgpu_read_pv11(pvinfo, vgpu->caps, minor, &vgpu->res);
	vgpu->res.version_major = major;
	vgpu->res.version_minor = minor;

	mutex_init(&vgpu->lock);
	vgpu->active = true;
	drm_info(&i915->drm,
		 "Virtual GPU for Intel GVT-g detected: vGPU %u, PVINFO %u.%u, caps %#x\n",
		 vgpu->res.id, major, minor, vgpu->caps);
out:
	vgpu_unmap_pvinfo(i915, pvinfo);
	return ret;
}

/**
 * intel_vgpu_active - is this device a vGPU whose PVINFO was accepted?
 * @i915: the device
 *
 * Return: true once intel_vgpu_detect() accepted a PVINFO page.
 */
bool intel_vgpu_active(struct drm_i915_private *i915)
{
	return i915->vgpu.active;
}

static bool vgpu_has_cap(struct drm_i915_private *i915, u32 cap)
{
	return intel_vgpu_active(i915) && (i915->vgpu.caps & cap);
}

/**
 * intel_vgpu_has_full_ppgtt - does the host shadow full per-process GTTs?
 * @i915: the device
 *
 * Return: true on a vGPU whose host announced VGT_CAPS_FULL_PPGTT.
 */
bool intel_vgpu_has_full_ppgtt(struct drm_i915_private *i915)
{
	return vgpu_has_cap(i915, VGT_CAPS_FULL_PPGTT);
}

/**
 * intel_vgpu_has_hwsp_emulation - does the host keep the HWSP context status?
 * @i915: the device
 *
 * Return: true on a vGPU whose host announced VGT_CAPS_HWSP_EMULATION.
 */
bool intel_vgpu_has_hwsp_emulation(struct drm_i915_private *i915)
{
	return vgpu_has_cap(i915, VGT_CAPS_HWSP_EMULATION);
}

/**
 * intel_vgpu_has_huge_gtt - may the guest use 64K and 2M GTT pages?
 * @i915: the device
 *
 * Return: true on a vGPU whose host announced VGT_CAPS_HUGE_GTT.
 */
bool intel_vgpu_has_huge_gtt(struct drm_i915_private *i915)
{
	return vgpu_has_cap(i915, VGT_CAPS_HUGE_GTT);
}

/**
 * intel_vgpu_register - tell the host the driver is ready
 * @i915: the device, after its interfaces were registered
 *
 * The host may hand the display over once the guest reports ready.
 */
void intel_vgpu_register(struct drm_i915_private *i915)
{
	if (!intel_vgpu_active(i915))
		return;

	intel_uncore_write(&i915->uncore, vgtif_reg(display_ready),
			   VGT_DRV_DISPLAY_READY);
}

/**
 * intel_vgpu_fence_count - the validated fence quota of a vGPU
 * @i915: the device, with an active vGPU
 * @hw_fences: how many fence registers the hardware has
 *
 * The guest may use fences 0 to fence_num - 1; the host maps them onto the
 * physical fences it reserved for this vGPU.
 *
 * Return: the number of fences the host assigned, from 1 to @hw_fences;
 * -ENODATA if it assigned none; -ERANGE if it assigned more than exist.
 */
int intel_vgpu_fence_count(struct drm_i915_private *i915,
			   unsigned int hw_fences)
{
	u32 fence_num = i915->vgpu.res.fence_num;

	if (!fence_num) {
		drm_err(&i915->drm,
			"vGPU: PVINFO avail_rs.fence_num %#x rejected: no fence assigned (%d)\n",
			fence_num, -ENODATA);
		return -ENODATA;
	}
	if (fence_num > hw_fences) {
		drm_err(&i915->drm,
			"vGPU: PVINFO avail_rs.fence_num %#x rejected: hardware has %u fences (%d)\n",
			fence_num, hw_fences, -ERANGE);
		return -ERANGE;
	}

	return fence_num;
}

/**
 * intel_vgpu_check_slice - validate one published GGTT range
 * @i915: the device
 * @field: the PVINFO field, for the log line
 * @base: the range's GGTT address
 * @size: its size in bytes
 * @range_start: start of the part of the GGTT it must lie in
 * @range_end: end of that part
 * @range: its name, for the log line
 *
 * Non-empty, page aligned, not wrapping the 32-bit field, and inside the
 * part of the GGTT it belongs to (spec S1-S5).
 *
 * Return: 0, or -ENODATA, -EINVAL, -EOVERFLOW, -ERANGE (logged).
 */
int intel_vgpu_check_slice(struct drm_i915_private *i915, const char *field,
			   u32 base, u32 size, u64 range_start, u64 range_end,
			   const char *range)
{
	u64 end = (u64)base + size;

	if (!size) {
		drm_err(&i915->drm,
			"vGPU: PVINFO %s.size %#x rejected: empty slice (%d)\n",
			field, size, -ENODATA);
		return -ENODATA;
	}
	if (!IS_ALIGNED(base, VGT_GM_ALIGN)) {
		drm_err(&i915->drm,
			"vGPU: PVINFO %s.base %#x rejected: not 4 KiB aligned (%d)\n",
			field, base, -EINVAL);
		return -EINVAL;
	}
	if (!IS_ALIGNED(size, VGT_GM_ALIGN)) {
		drm_err(&i915->drm,
			"vGPU: PVINFO %s.size %#x rejected: not 4 KiB aligned (%d)\n",
			field, size, -EINVAL);
		return -EINVAL;
	}
	if (end > BIT_ULL(32)) {
		drm_err(&i915->drm,
			"vGPU: PVINFO %s.base %#x + size %#x rejected: wraps 32 bits (%d)\n",
			field, base, size, -EOVERFLOW);
		return -EOVERFLOW;
	}
	if (base < range_start || end > range_end) {
		drm_err(&i915->drm,
			"vGPU: PVINFO %s.base %#x + size %#x rejected: outside the %s [%#llx, %#llx) (%d)\n",
			field, base, size, range, range_start, range_end,
			-ERANGE);
		return -ERANGE;
	}

	return 0;
}

static int vgpu_check_slices(struct i915_ggtt *ggtt)
{
	struct drm_i915_private *i915 = ggtt->vm.i915;
	const struct intel_vgpu_resources *res = &i915->vgpu.res;
	int ret;

	ret = intel_vgpu_check_slice(i915, "avail_rs.mappable_gmadr",
				     res->mappable_base, res->mappable_size,
				     0, ggtt->mappable_end, "aperture");
	if (ret)
		return ret;

	return intel_vgpu_check_slice(i915, "avail_rs.nonmappable_gmadr",
				      res->hidden_base, res->hidden_size,
				      ggtt->mappable_end, ggtt->vm.total,
				      "hidden GGTT");
}

/**
 * intel_vgpu_balloon_range - reserve a GGTT range the vGPU does not own
 * @ggtt: the vGPU's GGTT
 * @node: the balloon node to insert
 * @start: first GGTT address of the range
 * @end: GGTT address after the range
 * @flags: i915_gem_gtt_reserve() flags (PIN_NOEVICT: fail rather than
 *	evict what is bound there)
 *
 * Each balloon is logged with its range, so that the layout can be
 * checked from the kernel log against what the host published.
 *
 * Return: 0, or the error of the reservation.
 */
int intel_vgpu_balloon_range(struct i915_ggtt *ggtt, struct drm_mm_node *node,
			     u64 start, u64 end, unsigned int flags)
{
	struct drm_i915_private *i915 = ggtt->vm.i915;
	int ret;

	/* The slices were validated: a bad range here is a bug of ours. */
	if (drm_WARN_ON(&i915->drm, start >= end ||
			!IS_ALIGNED(start | end, I915_GTT_PAGE_SIZE)))
		return -EINVAL;

	ret = i915_gem_gtt_reserve(&ggtt->vm, NULL, node, end - start, start,
				   I915_COLOR_UNEVICTABLE, flags);
	if (ret) {
		drm_err(&i915->drm,
			"vGPU: cannot balloon GGTT [%#llx, %#llx) (%d)\n",
			start, end, ret);
		return ret;
	}

	ggtt->vm.reserved += end - start;
	i915->vgpu.ballooned += end - start;
	drm_info(&i915->drm, "vGPU: ballooned GGTT [%#llx, %#llx) %llu KiB\n",
		 start, end, (end - start) / SZ_1K);
	return 0;
}

/**
 * intel_vgpu_deballoon_range - give back one balloon
 * @ggtt: the vGPU's GGTT
 * @node: a node of intel_vgpu_balloon_range(); one never inserted is a no-op
 */
void intel_vgpu_deballoon_range(struct i915_ggtt *ggtt, struct drm_mm_node *node)
{
	if (!drm_mm_node_allocated(node))
		return;

	ggtt->vm.reserved -= node->size;
	ggtt->vm.i915->vgpu.ballooned -= node->size;
	drm_mm_remove_node(node);
}

/**
 * intel_vgt_deballoon - give back the GGTT ranges ballooned out
 * @ggtt: the GGTT passed to intel_vgt_balloon()
 *
 * Safe to call when ballooning never happened or only partly happened.
 */
void intel_vgt_deballoon(struct i915_ggtt *ggtt)
{
	struct i915_virtual_gpu *vgpu = &ggtt->vm.i915->vgpu;
	int i;

	if (!intel_vgpu_active(ggtt->vm.i915))
		return;

	intel_vgpu_pv_stop(ggtt);
	for (i = INTEL_VGPU_MAX_BALLOONS - 1; i >= 0; i--)
		intel_vgpu_deballoon_range(ggtt, &vgpu->balloon[i]);
}

/**
 * intel_vgpu_mappable_limit - the largest mappable bind that can succeed
 * @ggtt: the device's GGTT
 *
 * Every byte of the aperture outside the vGPU's own slice is ballooned out,
 * so evicting can never make room for a normal view larger than the slice.
 * The mappable-pin heuristics (too big for the aperture, more than half of
 * it) size objects against this rather than against ggtt->mappable_end,
 * the host's whole BAR, and so give up before evicting in vain.
 *
 * Return: the size of the largest aperture range the vGPU owns, or
 * ggtt->mappable_end when the device is not a vGPU or has not ballooned.
 */
u64 intel_vgpu_mappable_limit(struct i915_ggtt *ggtt)
{
	/* PVINFO 1.1 re-slicing may change it: a heuristic can read it stale. */
	u64 limit = READ_ONCE(ggtt->vm.i915->vgpu.mappable_limit);

	if (!intel_vgpu_active(ggtt->vm.i915) || !limit)
		return ggtt->mappable_end;
	return limit;
}

/**
 * intel_vgpu_ggtt_owned - the GGTT a vGPU can place objects in
 * @ggtt: the device's GGTT
 *
 * I915_GEM_GET_APERTURE's aper_size is the space execbuf places objects
 * in. On a vGPU that is the GGTT less the balloons, not the host's whole
 * GGTT: userspace sizes its working sets by it (Mesa's crocus reports 3/4
 * of it as video memory and refuses staging surfaces over 3/8 of it), and
 * a working set sized from the host's GGTT fails execbuf with -ENOSPC.
 *
 * Callers hold ggtt->vm.mutex, which serialises the balloon updates.
 *
 * Return: ggtt->vm.total less the bytes ballooned out; ggtt->vm.total when
 * the device is not a vGPU.
 */
u64 intel_vgpu_ggtt_owned(struct i915_ggtt *ggtt)
{
	lockdep_assert_held(&ggtt->vm.mutex);

	if (!intel_vgpu_active(ggtt->vm.i915))
		return ggtt->vm.total;
	return ggtt->vm.total - ggtt->vm.i915->vgpu.ballooned;
}

/**
 * intel_vgt_balloon - reserve every GGTT range this vGPU does not own
 * @ggtt: the device's GGTT, initialised but still empty
 *
 * The aperture is [0, mappable_end) and the hidden GGTT [mappable_end,
 * total). The vGPU owns one slice of each; the up to four ranges around them
 * are reserved as unevictable nodes, so every later allocation in @ggtt
 * lands inside the vGPU's slices at the address the host uses too.
 *
 * The slices are validated first; on any error nothing stays reserved.
 * On a PVINFO 1.1 host the shared area is negotiated next; when that
 * succeeds the ranges around the host's slice table are reserved instead
 * (i915_vgpu_pv.c), and when it fails the guest stays 1.0.
 *
 * Return: 0 on success or when not running on a vGPU; -ENODATA, -EINVAL,
 * -EOVERFLOW or -ERANGE when a published slice is empty, misaligned,
 * wrapping or outside its range; the allocator's error (e.g. -ENOSPC) when
 * a range cannot be reserved.
 */
int intel_vgt_balloon(struct i915_ggtt *ggtt)
{
	struct drm_i915_private *i915 = ggtt->vm.i915;
	struct i915_virtual_gpu *vgpu = &i915->vgpu;
	const struct intel_vgpu_resources *res = &vgpu->res;
	u64 mappable_end = (u64)res->mappable_base + res->mappable_size;
	u64 hidden_end = (u64)res->hidden_base + res->hidden_size;
	const struct {
		u64 start;
		u64 end;
	} holes[INTEL_VGPU_MAX_BALLOONS] = {
		{ ggtt->mappable_end, res->hidden_base },
		{ hidden_end, ggtt->vm.total },
		{ 0, res->mappable_base },
		{ mappable_end, ggtt->mappable_end },
	};
	int i, ret;

	if (!intel_vgpu_active(i915))
		return 0;

	ret = vgpu_check_slices(ggtt);
	if (ret)
		return ret;

	drm_info(&i915->drm,
		 "vGPU: aperture slice [%#x, %#llx), hidden slice [%#x, %#llx), %u fences\n",
		 res->mappable_base, mappable_end, res->hidden_base, hidden_end,
		 res->fence_num);

	WRITE_ONCE(vgpu->mappable_limit, res->mappable_size);
	if (intel_vgpu_pv_start(ggtt))
		return 0;

	for (i = 0; i < INTEL_VGPU_MAX_BALLOONS; i++) {
		if (holes[i].start >= holes[i].end)
			continue;

		ret = intel_vgpu_balloon_range(ggtt, &vgpu->balloon[i],
					       holes[i].start, holes[i].end, 0);
		if (ret) {
			intel_vgt_deballoon(ggtt);
			return ret;
		}
	}

	return 0;
}
