// SPDX-License-Identifier: MIT
/**
 * TEST: vgpu mesa vk
 * Category: Core
 * Sub-category: Virtualization
 * Functionality: Mesa's Vulkan driver on the vGPU
 * Feature: vgpu
 * Description: Mesa's Intel Vulkan driver (anv on Skylake, hasvk on
 *   Haswell) as an application sees it on the vGPU, without a surface:
 *   which driver and device it names, the memory it says it has, and
 *   whether that memory can be allocated, mapped, read back and used in
 *   one submission. The 3D engine executes as counted no-ops on this host,
 *   so what a transfer command writes is reported, never judged; where the
 *   driver's figure and the vGPU's partition disagree (a working set the
 *   guest's slice of the GGTT cannot hold) it is reported as a finding.
 *
 * SUBTEST: device
 * Description: The Intel driver (not a software fallback) enumerates the
 *   vGPU under the name of its PCI device, and a device with a queue can be
 *   created and idled (the driver submits its initial state then).
 *
 * SUBTEST: memory
 * Description: Host-visible memory allocated in 32 MiB blocks up to what
 *   the heap says (at most half the guest's free RAM), each mapped, filled
 *   and read back through its mapping.
 *
 * SUBTEST: submit
 * Description: Command buffers filling 1, 2, 4, ... of those blocks are
 *   submitted and waited for; a working set of up to 256 MiB must complete,
 *   the first larger one that does not is reported with the driver's
 *   result (out of memory, lost device).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <vulkan/vulkan.h>

#include "vgpu_guest.h"
#include "vgpu_igt.h"

#define BLOCK		(32 * MiB)
#define MAX_BLOCKS	128
#define MUST_SUBMIT	(256 * MiB)
#define WAIT_NS		(120ull * 1000 * 1000 * 1000)
#define FILL		0x5a5a5a5au

/* What the vGPU's PCI device ID makes Mesa load, and name it. */
static const struct {
	uint32_t id;
	const char *name, *library, *driver;
} devices[] = {
	{ 0x1912, "HD Graphics 530 (SKL GT2)", "libvulkan_intel.so", "anv" },
	{ 0x0412, "HD Graphics 4600 (HSW GT2)", "libvulkan_intel_hasvk.so", "hasvk" },
};

static struct {
	VkInstance inst;
	VkPhysicalDevice pdev;
	VkPhysicalDeviceProperties props;
	VkPhysicalDeviceMemoryProperties mem;
	VkDevice dev;
	VkQueue queue;
	uint32_t family, type, heap;
	unsigned int expect;
	VkBuffer buf[MAX_BLOCKS];
	VkDeviceMemory mem_of[MAX_BLOCKS];
	uint32_t *map[MAX_BLOCKS];
	unsigned int nblocks;
	bool allocated;
} vk;

static const char *vk_result(VkResult r)
{
	switch (r) {
	case VK_SUCCESS: return "VK_SUCCESS";
	case VK_TIMEOUT: return "VK_TIMEOUT";
	case VK_ERROR_OUT_OF_HOST_MEMORY: return "VK_ERROR_OUT_OF_HOST_MEMORY";
	case VK_ERROR_OUT_OF_DEVICE_MEMORY: return "VK_ERROR_OUT_OF_DEVICE_MEMORY";
	case VK_ERROR_INITIALIZATION_FAILED: return "VK_ERROR_INITIALIZATION_FAILED";
	case VK_ERROR_DEVICE_LOST: return "VK_ERROR_DEVICE_LOST";
	case VK_ERROR_MEMORY_MAP_FAILED: return "VK_ERROR_MEMORY_MAP_FAILED";
	case VK_ERROR_INCOMPATIBLE_DRIVER: return "VK_ERROR_INCOMPATIBLE_DRIVER";
	default: return "another VkResult";
	}
}

static void fixture(void)
{
	VkApplicationInfo app = { .sType = VK_STRUCTURE_TYPE_APPLICATION_INFO,
				  .pApplicationName = "vgpu_mesa_vk",
				  .apiVersion = VK_API_VERSION_1_1 };
	VkInstanceCreateInfo ici = { .sType = VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO,
				     .pApplicationInfo = &app };
	unsigned long long id = vgpu_pci_device_id();
	VkPhysicalDevice pd[8];
	uint32_t n = ARRAY_SIZE(pd), i;
	VkResult r;

	vk.expect = ARRAY_SIZE(devices);
	for (i = 0; i < ARRAY_SIZE(devices); i++)
		if (devices[i].id == id)
			vk.expect = i;
	vgpu_require(vk.expect < ARRAY_SIZE(devices), "00:02.0 is %#llx, not a modelled vGPU", id);
	/* Only Intel's drivers: a software device must not stand in for the vGPU. */
	setenv("VK_LOADER_DRIVERS_SELECT", "*intel*", 0);
	setenv("MESA_SHADER_CACHE_DISABLE", "true", 0);
	r = vkCreateInstance(&ici, NULL, &vk.inst);
	vgpu_assert(r == VK_SUCCESS, "vkCreateInstance: %s (%d)", vk_result(r), r);
	r = vkEnumeratePhysicalDevices(vk.inst, &n, pd);
	vgpu_assert(r == VK_SUCCESS || r == VK_INCOMPLETE, "vkEnumeratePhysicalDevices: %s",
		    vk_result(r));
	vgpu_assert(n > 0, "no Vulkan physical device: the Intel driver did not take the vGPU");
	vk.pdev = pd[0];
	vkGetPhysicalDeviceProperties(vk.pdev, &vk.props);
	vkGetPhysicalDeviceMemoryProperties(vk.pdev, &vk.mem);
}

static void t_device(void)
{
	float prio = 1.0f;
	VkDeviceQueueCreateInfo qci = { .sType = VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO,
					.queueCount = 1, .pQueuePriorities = &prio };
	VkDeviceCreateInfo dci = { .sType = VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO,
				   .queueCreateInfoCount = 1, .pQueueCreateInfos = &qci };
	VkQueueFamilyProperties fam[8];
	uint32_t nf = ARRAY_SIZE(fam), i;
	PFN_vkVoidFunction fn;
	const char *lib = "?";
	Dl_info info;
	VkResult r;

	vgpu_info("deviceName %s, vendor %#x device %#x, API %u.%u.%u, driver version %#x",
		  vk.props.deviceName, vk.props.vendorID, vk.props.deviceID,
		  VK_API_VERSION_MAJOR(vk.props.apiVersion),
		  VK_API_VERSION_MINOR(vk.props.apiVersion),
		  VK_API_VERSION_PATCH(vk.props.apiVersion), vk.props.driverVersion);
	for (i = 0; i < vk.mem.memoryHeapCount; i++)
		vgpu_info("memory heap %u: %" PRIu64 " MiB%s", i,
			  (uint64_t)vk.mem.memoryHeaps[i].size / MiB,
			  vk.mem.memoryHeaps[i].flags & VK_MEMORY_HEAP_DEVICE_LOCAL_BIT ?
			  " (device local)" : "");
	vgpu_check(vk.props.deviceType == VK_PHYSICAL_DEVICE_TYPE_INTEGRATED_GPU,
		   "device type %d, not an integrated GPU", vk.props.deviceType);
	vgpu_check(strstr(vk.props.deviceName, devices[vk.expect].name),
		   "deviceName '%s', want '%s'", vk.props.deviceName, devices[vk.expect].name);

	vkGetPhysicalDeviceQueueFamilyProperties(vk.pdev, &nf, fam);
	for (i = 0; i < nf && !(fam[i].queueFlags & VK_QUEUE_GRAPHICS_BIT); i++)
		;
	vgpu_assert(i < nf, "no graphics queue family among %u", nf);
	vk.family = qci.queueFamilyIndex = i;
	r = vkCreateDevice(vk.pdev, &dci, NULL, &vk.dev);
	vgpu_assert(r == VK_SUCCESS, "vkCreateDevice: %s (%d)", vk_result(r), r);
	vkGetDeviceQueue(vk.dev, vk.family, 0, &vk.queue);
	/* A device-level entry point is the driver's own: its library names it. */
	fn = vkGetDeviceProcAddr(vk.dev, "vkQueueSubmit");
	if (fn && dladdr((void *)fn, &info) && info.dli_fname)
		lib = strrchr(info.dli_fname, '/') ? strrchr(info.dli_fname, '/') + 1 :
		      info.dli_fname;
	vgpu_info("driver %s (%s)", devices[vk.expect].driver, lib);
	vgpu_check(!strcmp(lib, devices[vk.expect].library), "the driver is %s, want %s (%s)",
		   lib, devices[vk.expect].library, devices[vk.expect].driver);
	r = vkDeviceWaitIdle(vk.dev);
	vgpu_check(r == VK_SUCCESS, "vkDeviceWaitIdle: %s", vk_result(r));
}

/* The first memory type that is host visible and coherent. */
static bool pick_type(uint32_t bits)
{
	const VkMemoryPropertyFlags want = VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT |
					   VK_MEMORY_PROPERTY_HOST_COHERENT_BIT;
	uint32_t i;

	for (i = 0; i < vk.mem.memoryTypeCount; i++) {
		if ((bits & (1u << i)) && (vk.mem.memoryTypes[i].propertyFlags & want) == want) {
			vk.type = i;
			vk.heap = vk.mem.memoryTypes[i].heapIndex;
			return true;
		}
	}
	return false;
}

/* One block: buffer, memory, mapping. VK_SUCCESS or why not. */
static VkResult alloc_block(unsigned int b)
{
	VkBufferCreateInfo bci = { .sType = VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO,
				   .size = BLOCK,
				   .usage = VK_BUFFER_USAGE_TRANSFER_DST_BIT |
					    VK_BUFFER_USAGE_TRANSFER_SRC_BIT |
					    VK_BUFFER_USAGE_STORAGE_BUFFER_BIT };
	VkMemoryAllocateInfo mai = { .sType = VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO };
	VkMemoryRequirements req;
	void *p;
	VkResult r;

	r = vkCreateBuffer(vk.dev, &bci, NULL, &vk.buf[b]);
	if (r)
		return r;
	vkGetBufferMemoryRequirements(vk.dev, vk.buf[b], &req);
	if (!b && !pick_type(req.memoryTypeBits))
		return VK_ERROR_FEATURE_NOT_PRESENT;
	mai.allocationSize = req.size;
	mai.memoryTypeIndex = vk.type;
	r = vkAllocateMemory(vk.dev, &mai, NULL, &vk.mem_of[b]);
	if (r)
		goto no_mem;
	r = vkBindBufferMemory(vk.dev, vk.buf[b], vk.mem_of[b], 0);
	if (!r)
		r = vkMapMemory(vk.dev, vk.mem_of[b], 0, BLOCK, 0, &p);
	if (r) {
		vkFreeMemory(vk.dev, vk.mem_of[b], NULL);
		goto no_mem;
	}
	vk.map[b] = p;
	return VK_SUCCESS;
no_mem:
	vkDestroyBuffer(vk.dev, vk.buf[b], NULL);
	return r;
}

static void t_memory(void)
{
	uint64_t heap, avail = vgpu_mem_available(), target, bad = 0;
	unsigned int b, want;
	VkResult r = VK_SUCCESS;

	vgpu_require(vk.dev, "no device (subtest device did not create one)");
	/* The heap is known once the first block says which type it takes. */
	r = alloc_block(0);
	vgpu_assert(r == VK_SUCCESS, "the first %" PRIu64 " MiB block: %s", BLOCK / MiB,
		    vk_result(r));
	vk.nblocks = 1;
	heap = vk.mem.memoryHeaps[vk.heap].size;
	target = heap;
	if (target > avail / 2)
		target = avail / 2;	/* the rest is the guest's: no swap, a 9p root */
	want = (unsigned int)(target / BLOCK);
	if (want > MAX_BLOCKS)
		want = MAX_BLOCKS;
	vgpu_info("memory type %u, heap %u: %" PRIu64 " MiB; guest RAM available %" PRIu64
		  " MiB; allocating %u blocks of %" PRIu64 " MiB", vk.type, vk.heap, heap / MiB,
		  avail / MiB, want, BLOCK / MiB);
	for (b = 1; b < want; b++) {
		r = alloc_block(b);
		if (r)
			break;
		vk.nblocks++;
	}
	if (r)
		vgpu_info("block %u (%" PRIu64 " MiB allocated): %s", b,
			  (uint64_t)b * BLOCK / MiB, vk_result(r));
	vgpu_check(vk.nblocks == want, "%u of %u blocks allocated (heap %" PRIu64 " MiB): %s",
		   vk.nblocks, want, heap / MiB, vk_result(r));
	for (b = 0; b < vk.nblocks; b++)
		for (size_t i = 0; i < BLOCK / 4; i++)
			vk.map[b][i] = (uint32_t)(b << 24) ^ (uint32_t)i;
	for (b = 0; b < vk.nblocks; b++)
		for (size_t i = 0; i < BLOCK / 4; i++)
			bad += vk.map[b][i] != ((uint32_t)(b << 24) ^ (uint32_t)i);
	vgpu_info("%u blocks (%" PRIu64 " MiB) filled and read back through their maps, %" PRIu64
		  " wrong dwords", vk.nblocks, (uint64_t)vk.nblocks * BLOCK / MiB, bad);
	vgpu_check(!bad, "%" PRIu64 " dwords read back wrong through the maps", bad);
	vk.allocated = true;
}

/* Fill blocks [0, n) in one command buffer, submit, wait: the result. */
static VkResult submit_fill(unsigned int n)
{
	VkCommandPoolCreateInfo pci = { .sType = VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO,
					.queueFamilyIndex = vk.family };
	VkCommandBufferAllocateInfo cai = { .sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO,
					    .level = VK_COMMAND_BUFFER_LEVEL_PRIMARY,
					    .commandBufferCount = 1 };
	VkCommandBufferBeginInfo bi = { .sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO,
					.flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT };
	VkFenceCreateInfo fci = { .sType = VK_STRUCTURE_TYPE_FENCE_CREATE_INFO };
	VkSubmitInfo si = { .sType = VK_STRUCTURE_TYPE_SUBMIT_INFO, .commandBufferCount = 1 };
	VkCommandPool pool;
	VkCommandBuffer cb;
	VkFence fence;
	VkResult r;

	r = vkCreateCommandPool(vk.dev, &pci, NULL, &pool);
	if (r)
		return r;
	cai.commandPool = pool;
	r = vkAllocateCommandBuffers(vk.dev, &cai, &cb);
	if (!r)
		r = vkBeginCommandBuffer(cb, &bi);
	if (!r) {
		for (unsigned int b = 0; b < n; b++)
			vkCmdFillBuffer(cb, vk.buf[b], 0, VK_WHOLE_SIZE, FILL);
		r = vkEndCommandBuffer(cb);
	}
	if (!r)
		r = vkCreateFence(vk.dev, &fci, NULL, &fence);
	if (!r) {
		si.pCommandBuffers = &cb;
		r = vkQueueSubmit(vk.queue, 1, &si, fence);
		if (!r)
			r = vkWaitForFences(vk.dev, 1, &fence, VK_TRUE, WAIT_NS);
		vkDestroyFence(vk.dev, fence, NULL);
	}
	vkDestroyCommandPool(vk.dev, pool, NULL);
	return r;
}

static void t_submit(void)
{
	unsigned int n, done = 0, landed = 0;
	VkResult r = VK_SUCCESS;

	vgpu_require(vk.allocated, "no memory (subtest memory did not allocate it)");
	for (n = 1; ; n = n * 2 < vk.nblocks ? n * 2 : vk.nblocks) {
		r = submit_fill(n);
		vgpu_info("fill of %u block(s) (%" PRIu64 " MiB) in one submission: %s", n,
			  (uint64_t)n * BLOCK / MiB, vk_result(r));
		if (r)
			break;
		done = n;
		if (n == vk.nblocks)
			break;
	}
	for (unsigned int b = 0; b < done; b++)
		landed += vk.map[b][0] == FILL && vk.map[b][BLOCK / 4 - 1] == FILL;
	vgpu_info("the fill landed in %u of %u blocks (the 3D engine runs as no-ops here)",
		  landed, done);
	if (r)
		vgpu_info("FINDING: the driver offers %" PRIu64 " MiB; a working set of %" PRIu64
			  " MiB fails in submission (%s), one of %" PRIu64 " MiB completes",
			  (uint64_t)vk.mem.memoryHeaps[vk.heap].size / MiB,
			  (uint64_t)n * BLOCK / MiB, vk_result(r), (uint64_t)done * BLOCK / MiB);
	vgpu_check(!r || (uint64_t)n * BLOCK > MUST_SUBMIT,
		   "a working set of %" PRIu64 " MiB failed: %s", (uint64_t)n * BLOCK / MiB,
		   vk_result(r));
}

static const struct vgpu_subtest tests[] = {
	{ "device", "", t_device },
	{ "memory", "", t_memory },
	{ "submit", "", t_submit },
};

int main(int argc, char **argv)
{
	return vgpu_igt_main(argc, argv, tests, ARRAY_SIZE(tests), fixture);
}
