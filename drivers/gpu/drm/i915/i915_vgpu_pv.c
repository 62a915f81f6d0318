// SPDX-License-Identifier: MIT
/*
 * Guest side of PVINFO 1.1: the shared area and its command channel,
 * batched GGTT updates, live re-ballooning over scattered slices.
 */

#include <linux/delay.h>
#include <linux/dma-mapping.h>
#include <linux/ktime.h>
#include <linux/workqueue.h>

#include "gt/intel_gt.h"
#include "gt/intel_gt_pm_irq.h"
#include "gt/intel_gtt.h"
#include "i915_drv.h"
#include "i915_gem_evict.h"
#include "i915_gem_gtt.h"
#include "i915_irq.h"
#include "i915_pvinfo.h"
#include "i915_reg.h"
#include "i915_scatterlist.h"
#include "i915_vgpu.h"
#include "i915_vma_resource.h"

/**
 * DOC: PVINFO 1.1 in the guest
 *
 * A 1.1 host (spec/pvinfo-1.1.md) lets the guest register a *shared area*
 * of its own memory: a control page with a ring of requests and a ring of
 * host messages, and data pages the requests point at. Three things use it:
 *
 * - Batched GGTT updates: the gen8 GGTT insert and clear paths of
 *   gt/intel_ggtt.c call in here first; a range of PTEs becomes one
 *   request per area-full and one doorbell trap instead of one trap per
 *   PTE. Anything the channel cannot do (a refused request, a lost
 *   acknowledgment) falls back to the trapped 1.0 writes, which the host
 *   validates the same way.
 * - Live re-ballooning: the host posts a RESLICE message and raises bit 31
 *   of GEN8_GT_IIR(2); a worker evicts what is bound in the ranges given
 *   up, balloons them, removes the balloons over ranges gained and
 *   answers. A pinned node in a range to give up makes it answer -EBUSY
 *   and keep its slices.
 * - Scattered slices: each class may be several ranges, published in the
 *   slice table of the control page; the guest balloons every hole.
 *
 * Negotiation happens once the 1.0 slices are validated (intel_vgt_balloon);
 * every failure leaves the guest a plain 1.0 guest. A 1.0 host never sees
 * a 1.1 word written (the 1.1 words are read only from a device that
 * announces VGT_CAPS_PV11 and minor 1).
 *
 * Locking: @intel_vgpu_pv.lock (a spinlock: GGTT updates may come from
 * atomic context) serialises the request ring; a request is acknowledged
 * within the doorbell trap, so the wait under it is bounded by
 * VGT_PV11_ACK_TIMEOUT_MS and normally never spins. Re-ballooning runs in
 * a worker under the GGTT's vm->mutex, as every drm_mm change of the GGTT.
 */

/* 16 pages: 15 of payload, 7680 PTEs (30 MiB) per request. */
#define VGPU_PV_AREA_ORDER	4
#define VGPU_PV_FEATURES	(VGT_PV11_F_GGTT_BATCH | VGT_PV11_F_RESLICE | \
				 VGT_PV11_F_SCATTER)
#define VGPU_PV_MAX_BALLOONS	(VGT_PV11_MAX_RANGES + 1)
#define VGPU_PV_MAX_PIECES	(2 * VGT_PV11_MAX_RANGES)

struct vgpu_pv_range {
	u64 start;
	u64 end;
};

/**
 * struct intel_vgpu_pv - a registered PVINFO 1.1 shared area
 */
struct intel_vgpu_pv {
	/** @ggtt: the GGTT whose slices the area describes. */
	struct i915_ggtt *ggtt;
	/** @lock: the request ring, @seq and @req_prod. */
	spinlock_t lock;
	/** @dma: the area's bus address: what the host reads and writes. */
	dma_addr_t dma;
	/** @ctl: page 0 of the area. */
	struct vgt_pv11_ctl *ctl;
	/** @payload: the data pages, (pages - 1) * 512 PTEs. */
	u64 *payload;
	/** @pages: size of the area in pages. */
	unsigned int pages;
	/** @enabled: VGT_PV11_F_* the host enabled. */
	u32 enabled;
	/** @seq: seq of the last request posted. */
	u32 seq;
	/** @req_prod: requests posted. */
	u32 req_prod;
	/** @msg_cons: messages handled. */
	u32 msg_cons;
	/** @dead: an acknowledgment was lost: 1.1 is over. */
	bool dead;
	/** @stopping: intel_vgpu_pv_stop() runs: the worker must not wait. */
	bool stopping;
	/** @irq: bit 31 of GEN8_GT_IMR(2) is unmasked. */
	bool irq;
	/** @guc_events: gt->pm_guc_events before bit 31 became ours. */
	u32 guc_events;
	/** @msg_work: handles the host's messages. */
	struct delayed_work msg_work;
	/** @nr_owned: ranges in @owned. */
	unsigned int nr_owned;
	/** @owned: the slices, sorted (aperture ranges first). */
	struct vgpu_pv_range owned[VGT_PV11_MAX_RANGES];
	/** @balloon: the holes around @owned, reserved. */
	struct drm_mm_node balloon[VGPU_PV_MAX_BALLOONS];
	/** @evict: ranges given up, reserved while a re-balloon runs. */
	struct drm_mm_node evict[VGPU_PV_MAX_PIECES];
};

static struct drm_i915_private *pv_i915(const struct intel_vgpu_pv *pv)
{
	return pv->ggtt->vm.i915;
}

static u32 pv_max_ptes(const struct intel_vgpu_pv *pv)
{
	return (pv->pages - 1) * (PAGE_SIZE / sizeof(u64));
}

/*
 * The end of 1.1: the host forgets the area, the guest writes PTEs again.
 * One word, no pdp[] payload: it needs no vgpu->lock (atomic callers).
 */
static void pv_unregister(struct intel_vgpu_pv *pv)
{
	struct drm_i915_private *i915 = pv_i915(pv);

	WRITE_ONCE(pv->dead, true);
	intel_uncore_write(&i915->uncore, vgtif_reg(g2v_notify),
			   VGT_G2V_PV11_UNREGISTER);
}

/* Fill the next slot and publish it (G-21). Caller holds pv->lock. */
static u32 pv_post(struct intel_vgpu_pv *pv, u16 op, u32 first, u32 count,
		   u32 data, u64 arg)
{
	struct vgt_pv11_req *req = &pv->ctl->req[pv->req_prod % VGT_PV11_REQS];

	req->seq = ++pv->seq;
	req->op = op;
	req->status = 0;
	req->first = first;
	req->count = count;
	req->data = data;
	req->rsv = 0;
	req->arg = arg;
	/* The slot and its payload are complete before req_prod moves. */
	dma_wmb();
	WRITE_ONCE(pv->ctl->req_prod, ++pv->req_prod);
	return pv->seq;
}

/*
 * Ring the doorbell and wait (bounded) for the host to acknowledge seq,
 * then return the status of the @nr requests ending with it: 0 or the
 * first refusal. A lost acknowledgment ends 1.1 (-ETIMEDOUT).
 */
static int pv_kick(struct intel_vgpu_pv *pv, u32 seq, unsigned int nr)
{
	struct drm_i915_private *i915 = pv_i915(pv);
	ktime_t end;
	int status;

	/* g2v_notify is not shared with pdp[] notifications: one word. */
	intel_uncore_write(&i915->uncore, vgtif_reg(g2v_notify),
			   VGT_G2V_PV11_DOORBELL);
	end = ktime_add_ms(ktime_get(), VGT_PV11_ACK_TIMEOUT_MS);
	while ((s32)(READ_ONCE(pv->ctl->ack_seq) - seq) < 0) {
		if (ktime_after(ktime_get(), end)) {
			drm_err(&i915->drm,
				"vGPU: PVINFO 1.1 request %u not acknowledged in %u ms (ack_seq %u, %d): back to 1.0\n",
				seq, VGT_PV11_ACK_TIMEOUT_MS,
				READ_ONCE(pv->ctl->ack_seq), -ETIMEDOUT);
			pv_unregister(pv);
			return -ETIMEDOUT;
		}
		/* Atomic context (the ring's spinlock): poll, do not sleep. */
		udelay(1);
	}
	/* The statuses were written before ack_seq. */
	dma_rmb();
	for (; nr; nr--) {
		struct vgt_pv11_req req;

		memcpy(&req, &pv->ctl->req[(pv->req_prod - nr) % VGT_PV11_REQS],
		       sizeof(req));
		status = req.status;
		if (status) {
			drm_err(&i915->drm,
				"vGPU: PVINFO 1.1 request %u (op %u, pages %u+%u) refused by the host (%d)\n",
				req.seq, req.op, req.first, req.count, status);
			return status;
		}
	}
	return 0;
}

/*
 * Every PTE of [first, first + count) set to pte, in requests of max PTEs,
 * after the posted requests (up to seq) not rung for yet; then the
 * doorbell for all of them.
 */
static int pv_clear_locked(struct intel_vgpu_pv *pv, u32 first, u32 count,
			   u64 pte, unsigned int posted, u32 seq)
{
	u32 max = pv_max_ptes(pv);
	int ret;

	while (count) {
		u32 n = min(count, max);

		seq = pv_post(pv, VGT_PV11_OP_GGTT_CLEAR, first, n, 0, pte);
		first += n;
		count -= n;
		/* A slot is reused only after the host consumed it (G-21). */
		if (++posted == VGT_PV11_REQS && count) {
			ret = pv_kick(pv, seq, posted);
			if (ret)
				return ret;
			posted = 0;
		}
	}
	return posted ? pv_kick(pv, seq, posted) : 0;
}

static int pv_insert_locked(struct intel_vgpu_pv *pv, u32 first, u32 count)
{
	if (!count)
		return 0;
	return pv_kick(pv, pv_post(pv, VGT_PV11_OP_GGTT_INSERT, first, count,
				   PAGE_SIZE, 0), 1);
}

/* The area, if GGTT updates go through it. */
static struct intel_vgpu_pv *pv_batching(struct i915_address_space *vm)
{
	struct intel_vgpu_pv *pv = READ_ONCE(vm->i915->vgpu.pv);

	if (!pv || READ_ONCE(pv->dead) ||
	    !(pv->enabled & VGT_PV11_F_GGTT_BATCH))
		return NULL;
	return pv;
}

/**
 * intel_vgpu_pv_insert_page - one GGTT PTE through the channel
 * @vm: the GGTT
 * @offset: GGTT address of the page
 * @pte: the encoded PTE
 *
 * Return: true if the host took it; false: write it the 1.0 way.
 */
bool intel_vgpu_pv_insert_page(struct i915_address_space *vm, u64 offset,
			       u64 pte)
{
	struct intel_vgpu_pv *pv = pv_batching(vm);
	unsigned long flags;
	int ret;

	if (!pv)
		return false;
	spin_lock_irqsave(&pv->lock, flags);
	pv->payload[0] = pte;
	ret = pv_insert_locked(pv, offset / I915_GTT_PAGE_SIZE, 1);
	spin_unlock_irqrestore(&pv->lock, flags);
	return !ret;
}

/**
 * intel_vgpu_pv_insert_entries - a VMA's GGTT PTEs through the channel
 * @vm: the GGTT
 * @vma_res: the VMA's pages and node
 * @pte_encode: the PTE bits of every page (gen8_ggtt_pte_encode(0, ...))
 *
 * What gen8_ggtt_insert_entries() writes, in one request per area-full of
 * PTEs and one doorbell each: the pages, then scratch up to the end of the
 * node (spec G-22).
 *
 * Return: true if the host took all of it; false (nothing was lost: the
 * caller writes every PTE the 1.0 way).
 */
bool intel_vgpu_pv_insert_entries(struct i915_address_space *vm,
				  struct i915_vma_resource *vma_res,
				  u64 pte_encode)
{
	struct intel_vgpu_pv *pv = pv_batching(vm);
	u32 first = vma_res->start / I915_GTT_PAGE_SIZE;
	u32 total = vma_res->node_size / I915_GTT_PAGE_SIZE;
	u32 max, n = 0, done = 0, seq;
	struct sgt_iter iter;
	unsigned long flags;
	dma_addr_t addr;
	int ret = 0;

	if (!pv)
		return false;
	max = pv_max_ptes(pv);
	spin_lock_irqsave(&pv->lock, flags);
	for_each_sgt_daddr(addr, iter, vma_res->bi.pages) {
		if (drm_WARN_ON(&vm->i915->drm, done + n == total)) {
			ret = -E2BIG;
			goto out;
		}
		pv->payload[n++] = pte_encode | addr;
		if (n == max) {
			ret = pv_insert_locked(pv, first + done, n);
			if (ret)
				goto out;
			done += n;
			n = 0;
		}
	}
	/* The last pages and the scratch tail share one doorbell (G-22). */
	seq = n ? pv_post(pv, VGT_PV11_OP_GGTT_INSERT, first + done, n,
			  PAGE_SIZE, 0) : 0;
	ret = pv_clear_locked(pv, first + done + n, total - done - n,
			      vm->scratch[0]->encode, !!n, seq);
out:
	spin_unlock_irqrestore(&pv->lock, flags);
	return !ret;
}

/**
 * intel_vgpu_pv_clear_range - scratch PTEs over a GGTT range, batched
 * @vm: the GGTT
 * @start: GGTT address
 * @length: bytes
 *
 * Return: true if the host took all of it; false: clear it the 1.0 way.
 */
bool intel_vgpu_pv_clear_range(struct i915_address_space *vm, u64 start,
			       u64 length)
{
	struct intel_vgpu_pv *pv = pv_batching(vm);
	unsigned long flags;
	int ret;

	if (!pv)
		return false;
	spin_lock_irqsave(&pv->lock, flags);
	ret = pv_clear_locked(pv, start / I915_GTT_PAGE_SIZE,
			      length / I915_GTT_PAGE_SIZE,
			      vm->scratch[0]->encode, 0, 0);
	spin_unlock_irqrestore(&pv->lock, flags);
	return !ret;
}

/*
 * The host's slice table, validated (G-24): both classes present, one
 * range each unless scattered slices were accepted, every range S1-S5 for
 * its class, sorted and disjoint, the first of each class the one 1.0's
 * avail_rs publishes, and the generation gen (any if gen is 0). Checked
 * and used from one copy: the host writes the area whenever it likes.
 */
static int pv_read_table(struct intel_vgpu_pv *pv, u32 gen,
			 struct vgpu_pv_range *out, unsigned int *nr_out)
{
	struct drm_i915_private *i915 = pv_i915(pv);
	const struct intel_vgpu_resources *res = &i915->vgpu.res;
	struct i915_ggtt *ggtt = pv->ggtt;
	typeof(pv->ctl->slices) table;
	u32 table_gen, nr_ap, nr_hid, base, size;
	unsigned int i, nr;
	char field[40];
	u64 prev_end = 0;
	int ret;

	memcpy(&table, &pv->ctl->slices, sizeof(table));
	table_gen = table.gen;
	nr_ap = table.nr_aperture;
	nr_hid = table.nr_hidden;
	if (gen && table_gen != gen) {
		drm_err(&i915->drm,
			"vGPU: PVINFO 1.1 slices.gen %u rejected: the message announced %u (%d)\n",
			table_gen, gen, -EPROTO);
		return -EPROTO;
	}
	if (!nr_ap || !nr_hid || nr_ap > VGT_PV11_MAX_RANGES ||
	    nr_hid > VGT_PV11_MAX_RANGES - nr_ap ||
	    (!(pv->enabled & VGT_PV11_F_SCATTER) && (nr_ap > 1 || nr_hid > 1))) {
		drm_err(&i915->drm,
			"vGPU: PVINFO 1.1 slices.nr_aperture %u + nr_hidden %u rejected: %s (%d)\n",
			nr_ap, nr_hid,
			pv->enabled & VGT_PV11_F_SCATTER ?
			"1 to 32 ranges, each class at least one" :
			"one range per class without scattered slices",
			-EPROTO);
		return -EPROTO;
	}

	nr = nr_ap + nr_hid;
	for (i = 0; i < nr; i++) {
		bool ap = i < nr_ap;

		base = table.range[i].base;
		size = table.range[i].size;
		snprintf(field, sizeof(field), "pv11 slices.range[%u]", i);
		ret = intel_vgpu_check_slice(i915, field, base, size,
					     ap ? 0 : ggtt->mappable_end,
					     ap ? ggtt->mappable_end :
						  ggtt->vm.total,
					     ap ? "aperture" : "hidden GGTT");
		if (ret)
			return ret;
		if (base < prev_end) {
			drm_err(&i915->drm,
				"vGPU: PVINFO %s.base %#x rejected: before the end %#llx of the range below (%d)\n",
				field, base, prev_end, -EPROTO);
			return -EPROTO;
		}
		out[i].start = base;
		out[i].end = (u64)base + size;
		prev_end = out[i].end;
	}
	if (!gen && (out[0].start != res->mappable_base ||
		     out[0].end - out[0].start != res->mappable_size ||
		     out[nr_ap].start != res->hidden_base ||
		     out[nr_ap].end - out[nr_ap].start != res->hidden_size)) {
		drm_err(&i915->drm,
			"vGPU: PVINFO 1.1 slice table [%#llx, %#llx) [%#llx, %#llx) rejected: not avail_rs's first ranges (%d)\n",
			out[0].start, out[0].end, out[nr_ap].start,
			out[nr_ap].end, -EPROTO);
		return -EPROTO;
	}
	*nr_out = nr;
	return 0;
}

static void pv_release_all(struct i915_ggtt *ggtt, struct drm_mm_node *nodes,
			   unsigned int nr)
{
	while (nr--)
		intel_vgpu_deballoon_range(ggtt, &nodes[nr]);
}

/* Reserve every hole of the GGTT around the nr ranges of set. */
static int pv_balloon_set(struct intel_vgpu_pv *pv,
			  const struct vgpu_pv_range *set, unsigned int nr)
{
	struct i915_ggtt *ggtt = pv->ggtt;
	unsigned int i, b = 0;
	u64 start = 0;
	int ret;

	for (i = 0; i <= nr; i++) {
		u64 end = i < nr ? set[i].start : ggtt->vm.total;

		if (start < end) {
			ret = intel_vgpu_balloon_range(ggtt, &pv->balloon[b++],
						       start, end, PIN_NOEVICT);
			if (ret) {
				pv_release_all(ggtt, pv->balloon, b);
				return ret;
			}
		}
		if (i < nr)
			start = set[i].end;
	}
	return 0;
}

/* The pieces of a not covered by b (both sorted, disjoint). */
static unsigned int pv_subtract(const struct vgpu_pv_range *a, unsigned int na,
				const struct vgpu_pv_range *b, unsigned int nb,
				struct vgpu_pv_range *out)
{
	unsigned int i, j, n = 0;

	for (i = 0; i < na; i++) {
		u64 start = a[i].start;

		for (j = 0; j < nb && start < a[i].end; j++) {
			if (b[j].end <= start || b[j].start >= a[i].end)
				continue;
			if (b[j].start > start)
				out[n++] = (struct vgpu_pv_range){ start, b[j].start };
			start = b[j].end;
		}
		if (start < a[i].end)
			out[n++] = (struct vgpu_pv_range){ start, a[i].end };
	}
	return n;
}

/* Keep what 1.0 callers read (avail_rs's words) in step with the table. */
static void pv_set_owned(struct intel_vgpu_pv *pv,
			 const struct vgpu_pv_range *set, unsigned int nr)
{
	struct intel_vgpu_resources *res = &pv_i915(pv)->vgpu.res;
	unsigned int i;
	u64 limit = 0;

	memcpy(pv->owned, set, nr * sizeof(*set));
	pv->nr_owned = nr;
	res->mappable_base = set[0].start;
	res->mappable_size = set[0].end - set[0].start;
	for (i = 0; i < nr && set[i].end <= pv->ggtt->mappable_end; i++)
		limit = max(limit, set[i].end - set[i].start);
	WRITE_ONCE(pv_i915(pv)->vgpu.mappable_limit, limit);
	for (i = 0; i < nr; i++) {
		if (set[i].start >= pv->ggtt->mappable_end) {
			res->hidden_base = set[i].start;
			res->hidden_size = set[i].end - set[i].start;
			break;
		}
	}
}

/*
 * Unbind everything bound in [start, end), one node at a time. Evicting the
 * whole range in one i915_gem_evict_for_node() would lock each node's object
 * in turn and give up (-ENOSPC) at the second partial view of an object it
 * already holds, which is what a large GTT-mmapped object leaves there.
 * Return: 0, or -ENOSPC when something there cannot go (pinned, a balloon:
 * i915_gem_evict_for_node() refuses those).
 */
static int pv_evict_range(struct i915_ggtt *ggtt, u64 start, u64 end)
{
	struct drm_mm_node *node, target;
	u64 last = U64_MAX;
	int ret;

	for (;;) {
		/* The first node in the range; past its end when there is none. */
		drm_mm_for_each_node_in_range(node, &ggtt->vm.mm, start, end)
			break;
		if (node->start >= end)
			return 0;
		/* Still there after its eviction: it will not go. */
		if (node->start == last)
			return -ENOSPC;
		last = node->start;
		target = (struct drm_mm_node){ .start = node->start,
					       .size = node->size };
		ret = i915_gem_evict_for_node(&ggtt->vm, NULL, &target, 0);
		if (ret)
			return ret;
	}
}

/*
 * Section 16's steps 1-3 for generation gen: evict and balloon what is
 * given up, clear its PTEs, then balloon the holes of the new set.
 * Return: 0, or the reply's error (-EBUSY: something there is pinned).
 */
static int pv_reslice(struct intel_vgpu_pv *pv, u32 gen)
{
	struct drm_i915_private *i915 = pv_i915(pv);
	struct vgpu_pv_range set[VGT_PV11_MAX_RANGES];
	struct vgpu_pv_range gone[VGPU_PV_MAX_PIECES];
	struct i915_ggtt *ggtt = pv->ggtt;
	unsigned int nr, nr_gone, i;
	unsigned long flags;
	int ret;

	lockdep_assert_held(&ggtt->vm.mutex);
	ret = pv_read_table(pv, gen, set, &nr);
	if (ret)
		return ret;

	nr_gone = pv_subtract(pv->owned, pv->nr_owned, set, nr, gone);
	for (i = 0; i < nr_gone; i++) {
		/* What is bound there is evicted: the range is given up. */
		ret = pv_evict_range(ggtt, gone[i].start, gone[i].end);
		if (!ret)
			ret = intel_vgpu_balloon_range(ggtt, &pv->evict[i],
						       gone[i].start,
						       gone[i].end, PIN_NOEVICT);
		if (ret) {
			drm_err(&i915->drm,
				"vGPU: re-balloon to generation %u refused: GGTT [%#llx, %#llx) cannot be evicted (%d)\n",
				gen, gone[i].start, gone[i].end, ret);
			pv_release_all(ggtt, pv->evict, i);
			return -EBUSY;
		}
	}

	/* Nothing of ours may point into a range once it is given back. */
	if (pv->enabled & VGT_PV11_F_GGTT_BATCH) {
		spin_lock_irqsave(&pv->lock, flags);
		for (i = 0; i < nr_gone && !pv->dead; i++)
			pv_clear_locked(pv, gone[i].start / I915_GTT_PAGE_SIZE,
					(gone[i].end - gone[i].start) /
					I915_GTT_PAGE_SIZE,
					ggtt->vm.scratch[0]->encode, 0, 0);
		spin_unlock_irqrestore(&pv->lock, flags);
	}

	pv_release_all(ggtt, pv->balloon, VGPU_PV_MAX_BALLOONS);
	pv_release_all(ggtt, pv->evict, nr_gone);
	ret = pv_balloon_set(pv, set, nr);
	if (ret) {
		/* The old holes are free: they were reserved a moment ago. */
		drm_WARN_ON(&i915->drm,
			    pv_balloon_set(pv, pv->owned, pv->nr_owned));
		return ret;
	}
	pv_set_owned(pv, set, nr);
	drm_info(&i915->drm,
		 "vGPU: re-ballooned to generation %u: %u ranges, %u given up\n",
		 gen, nr, nr_gone);
	return 0;
}

static void pv_reply(struct intel_vgpu_pv *pv, u32 msg_seq, int result)
{
	unsigned long flags;

	spin_lock_irqsave(&pv->lock, flags);
	if (!pv->dead)
		pv_kick(pv, pv_post(pv, VGT_PV11_OP_MSG_REPLY, 0, 0, 0,
				    (u64)(u32)result << 32 | msg_seq), 1);
	spin_unlock_irqrestore(&pv->lock, flags);
}

/* Every message the host posted, each answered (G-23). */
static void pv_msg_work(struct work_struct *work)
{
	struct intel_vgpu_pv *pv =
		container_of(to_delayed_work(work), struct intel_vgpu_pv,
			     msg_work);
	struct drm_i915_private *i915 = pv_i915(pv);
	struct i915_ggtt *ggtt = pv->ggtt;
	struct vgt_pv11_msg msg;
	u32 prod;

	/* intel_vgpu_pv_stop() may hold vm->mutex while it cancels us. */
	if (!mutex_trylock(&ggtt->vm.mutex)) {
		if (!READ_ONCE(pv->stopping))
			schedule_delayed_work(&pv->msg_work, 1);
		return;
	}
	while (!READ_ONCE(pv->dead)) {
		prod = READ_ONCE(pv->ctl->msg_prod);
		if (prod == pv->msg_cons)
			break;
		if (prod - pv->msg_cons > VGT_PV11_MSGS) {
			drm_err(&i915->drm,
				"vGPU: PVINFO 1.1 msg_prod %u rejected: more than %u ahead of msg_cons %u (%d)\n",
				prod, VGT_PV11_MSGS, pv->msg_cons, -EPROTO);
			pv->msg_cons = prod;
			WRITE_ONCE(pv->ctl->msg_cons, prod);
			break;
		}
		dma_rmb();
		memcpy(&msg, &pv->ctl->msg[pv->msg_cons % VGT_PV11_MSGS],
		       sizeof(msg));
		WRITE_ONCE(pv->ctl->msg_cons, ++pv->msg_cons);
		if (msg.op != VGT_PV11_MSG_RESLICE) {
			drm_err(&i915->drm,
				"vGPU: PVINFO 1.1 message %u op %u ignored: unknown (%d)\n",
				msg.seq, msg.op, -EINVAL);
			continue;
		}
		pv_reply(pv, msg.seq, pv_reslice(pv, (u32)msg.arg));
	}
	mutex_unlock(&ggtt->vm.mutex);
}

/**
 * intel_vgpu_pv_gt_irq - take the 1.1 message bit out of GT bank 2
 * @gt: the GT whose GEN8_GT_IIR(2) was read
 * @iir: what was read
 *
 * Called by gen8_gt_irq_handler() before it hands bits 31:16 to the GuC
 * handler, where bit 31 would be an unexpected GuC event (spec G-25).
 * Acks the bit and schedules the message worker.
 *
 * Return: @iir without the bit when it is ours.
 */
u32 intel_vgpu_pv_gt_irq(struct intel_gt *gt, u32 iir)
{
	struct intel_vgpu_pv *pv = READ_ONCE(gt->i915->vgpu.pv);

	if (!(iir & VGT_PV11_IRQ_BIT) || !pv || !READ_ONCE(pv->irq))
		return iir;
	intel_uncore_write_fw(gt->uncore, GEN8_GT_IIR(2), VGT_PV11_IRQ_BIT);
	schedule_delayed_work(&pv->msg_work, 0);
	return iir & ~VGT_PV11_IRQ_BIT;
}

static void pv_irq_enable(struct intel_vgpu_pv *pv, bool on)
{
	struct intel_gt *gt = pv->ggtt->vm.gt;

	if (on)
		WRITE_ONCE(pv->irq, true);
	spin_lock_irq(gt->irq_lock);
	if (on) {
		/*
		 * Before gen11 i915 counts bit 31 as the GuC's
		 * (gt->pm_guc_events), and the GuC sanitize that every GT
		 * reset runs masks and acks it, GuC in use or not. A vGPU has
		 * no GuC: while the bit is the host's, the GuC code leaves it.
		 */
		pv->guc_events = gt->pm_guc_events;
		gt->pm_guc_events &= ~VGT_PV11_IRQ_BIT;
		gen6_gt_pm_enable_irq(gt, VGT_PV11_IRQ_BIT);
	} else {
		gen6_gt_pm_disable_irq(gt, VGT_PV11_IRQ_BIT);
		gt->pm_guc_events = pv->guc_events;
	}
	spin_unlock_irq(gt->irq_lock);
	if (!on)
		WRITE_ONCE(pv->irq, false);
}

static void pv_free(struct intel_vgpu_pv *pv)
{
	dma_free_coherent(pv_i915(pv)->drm.dev, pv->pages * PAGE_SIZE, pv->ctl,
			  pv->dma);
	kfree(pv);
}

/* Handshake steps 2 and 4. Return: 0 (1.1 active) or why not. */
static int pv_register(struct intel_vgpu_pv *pv, u32 accept)
{
	struct drm_i915_private *i915 = pv_i915(pv);
	struct intel_uncore *uncore = &i915->uncore;
	dma_addr_t gpa = pv->dma;
	u32 enabled;
	int err;

	pv->ctl->magic = VGT_PV11_MAGIC;
	pv->ctl->version = VGT_PV11_VERSION;
	dma_wmb();

	mutex_lock(&i915->vgpu.lock);
	intel_uncore_write(uncore, vgtif_reg(pv11g.area_lo), lower_32_bits(gpa));
	intel_uncore_write(uncore, vgtif_reg(pv11g.area_hi), upper_32_bits(gpa));
	intel_uncore_write(uncore, vgtif_reg(pv11g.area_pages), pv->pages);
	intel_uncore_write(uncore, vgtif_reg(pv11g.accept), accept);
	intel_uncore_write(uncore, vgtif_reg(g2v_notify),
			   VGT_G2V_PV11_REGISTER);
	enabled = intel_uncore_read(uncore, vgtif_reg(pv11.enabled));
	err = (s32)intel_uncore_read(uncore, vgtif_reg(pv11.error));
	mutex_unlock(&i915->vgpu.lock);

	if (enabled != accept) {
		if (err >= 0)
			err = -EPROTO;
		drm_err(&i915->drm,
			"vGPU: PVINFO 1.1 refused by the host: %d (pv11.enabled %#x, accepted %#x)\n",
			err, enabled, accept);
		/* A stray partial enable must not survive: forget the area. */
		if (enabled)
			intel_uncore_write(uncore, vgtif_reg(g2v_notify),
					   VGT_G2V_PV11_UNREGISTER);
		return err;
	}
	pv->enabled = enabled;
	return 0;
}

/**
 * intel_vgpu_pv_start - negotiate PVINFO 1.1 and balloon by its slice table
 * @ggtt: the GGTT, its 1.0 slices validated, nothing reserved yet
 *
 * Handshake 13.2 steps 2 and 4 of spec/pvinfo-1.1.md: accepts what the
 * host offers of what this driver knows, registers a zeroed area, and on
 * success balloons every hole of the host's slice table. Every failure
 * leaves no trace: the area is freed and the guest stays 1.0 (G-20).
 *
 * Return: true if 1.1 is active and the GGTT ballooned; false: 1.0.
 */
bool intel_vgpu_pv_start(struct i915_ggtt *ggtt)
{
	struct drm_i915_private *i915 = ggtt->vm.i915;
	const struct intel_vgpu_resources *res = &i915->vgpu.res;
	struct vgpu_pv_range set[VGT_PV11_MAX_RANGES];
	u32 accept = res->pv11_features & VGPU_PV_FEATURES;
	unsigned int order, nr;
	struct intel_vgpu_pv *pv;

	if (!accept || !res->pv11_max_pages)
		return false;
	order = min_t(unsigned int, VGPU_PV_AREA_ORDER,
		      ilog2(min_t(u32, res->pv11_max_pages,
				  VGT_PV11_MAX_PAGES)));
	if (!order)
		accept &= ~VGT_PV11_F_GGTT_BATCH;	/* no room for a payload */
	if (!accept)
		return false;

	pv = kzalloc(sizeof(*pv), GFP_KERNEL);
	if (!pv)
		goto nomem;
	pv->ggtt = ggtt;
	pv->pages = 1U << order;
	/* Zeroed, contiguous for the device, coherent: the host's DMA. */
	pv->ctl = dma_alloc_coherent(i915->drm.dev, pv->pages * PAGE_SIZE,
				     &pv->dma, GFP_KERNEL);
	if (!pv->ctl) {
		kfree(pv);
		goto nomem;
	}
	pv->payload = (u64 *)((u8 *)pv->ctl + PAGE_SIZE);
	spin_lock_init(&pv->lock);
	INIT_DELAYED_WORK(&pv->msg_work, pv_msg_work);

	if (pv_register(pv, accept))
		goto free;
	if (pv_read_table(pv, 0, set, &nr) || pv_balloon_set(pv, set, nr)) {
		drm_err(&i915->drm,
			"vGPU: PVINFO 1.1 slice table unusable: back to 1.0\n");
		pv_unregister(pv);
		goto free;
	}
	pv_set_owned(pv, set, nr);
	i915->vgpu.pv = pv;
	if (pv->enabled & VGT_PV11_F_RESLICE) {
		pv_irq_enable(pv, true);
		/* A message posted before the unmask raised nothing. */
		schedule_delayed_work(&pv->msg_work, 0);
	}
	drm_info(&i915->drm,
		 "vGPU: PVINFO 1.1 active: features %#x, %u-page area, %u slice ranges\n",
		 pv->enabled, pv->pages, nr);
	return true;

free:
	pv_free(pv);
	return false;
nomem:
	drm_err(&i915->drm, "vGPU: no memory for the PVINFO 1.1 area (%d): staying 1.0\n",
		-ENOMEM);
	return false;
}

/**
 * intel_vgpu_pv_stop - end PVINFO 1.1 and give back its balloons
 * @ggtt: the GGTT passed to intel_vgpu_pv_start()
 *
 * Called from intel_vgt_deballoon(), possibly with vm->mutex held. A no-op
 * when 1.1 never started.
 */
void intel_vgpu_pv_stop(struct i915_ggtt *ggtt)
{
	struct drm_i915_private *i915 = ggtt->vm.i915;
	struct intel_vgpu_pv *pv = i915->vgpu.pv;

	if (!pv)
		return;
	WRITE_ONCE(pv->stopping, true);
	if (pv->irq)
		pv_irq_enable(pv, false);
	/* No interrupt handler or GGTT path finds the area from here on. */
	WRITE_ONCE(i915->vgpu.pv, NULL);
	intel_synchronize_irq(i915);
	cancel_delayed_work_sync(&pv->msg_work);
	if (!pv->dead)
		pv_unregister(pv);
	pv_release_all(ggtt, pv->balloon, VGPU_PV_MAX_BALLOONS);
	pv_free(pv);
}

/**
 * intel_vgpu_pv_enabled - the PVINFO 1.1 features in use
 * @i915: the device
 *
 * Return: VGT_PV11_F_* the host enabled, 0 when the device is 1.0 (or 1.1
 * ended).
 */
u32 intel_vgpu_pv_enabled(struct drm_i915_private *i915)
{
	struct intel_vgpu_pv *pv = i915->vgpu.pv;

	return pv && !READ_ONCE(pv->dead) ? pv->enabled : 0;
}
