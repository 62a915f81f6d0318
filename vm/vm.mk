# Real guests on the host model: make vm-check boots Linux 6.1 guests with
# our patch series on vgt-hostd's vGPUs under QEMU (vfio-user-pci) and runs
# the in-guest checker; make vm-interop boots the unmodified upstream 6.1
# i915 on the same host. scripts/vm-check.sh does the work and caches the
# VM root, libvfio-user and the guest kernels (see README.md).

$(BUILD)/vgpu_init: vm/vgpu_init.c
	@mkdir -p $(@D)
	$(CC) -std=gnu11 -Wall -Wextra -Werror -O2 -static -o $@ $<

# vm-check drives guests against the ASan+UBSan build of the daemon, and
# its two-guest scenario against the TSan build.
VM_HOSTD := $(HOST_OUT)/asan/vgt-hostd
VM_HOSTD_TSAN := $(HOST_OUT)/tsan/vgt-hostd
VM_BINS := $(VM_HOSTD) $(VM_HOSTD_TSAN) $(BUILD)/vgt-hostd $(BUILD)/vgpu_check \
	$(BUILD)/vgpu_init

.PHONY: vm-check vm-interop
vm-check: $(VM_BINS)
	host-model/tests/hostd_test.sh $(VM_HOSTD)
	VGT_HOSTD=$(VM_HOSTD) VGT_HOSTD_TSAN=$(VM_HOSTD_TSAN) scripts/vm-check.sh

vm-interop: $(VM_BINS)
	VGT_HOSTD=$(VM_HOSTD) scripts/vm-check.sh --pristine single

CHECK_TARGETS += vm-check
