# Real guests on the host model (vm/run.sh, scenarios in vm/scenarios/):
#
#   make vm-check    Linux 6.1 guests with our patch series on vgt-hostd's
#                    vGPUs under QEMU (vfio-user-pci): single, pair and the
#                    two malformed-PVINFO scenarios, and hsw (a guest on a
#                    Haswell vGPU)
#   make igt-check   upstream IGT (Debian sid's 2.5-1) and vgpu_balloon
#                    under igt_runner in such a guest, against
#                    vm/igt/expectations; results in build/vm/igt/
#   make vm-interop  the unmodified upstream 6.1 i915 on the same host: the
#                    single scenario, and the IGT list compared with the
#                    enlightened guest's results
#   make vm-report-check   vm-report's own tests (no VM)
#
# The VM root, the guest root, libvfio-user and the guest kernels are built
# once into the cache by scripts/ (see README.md).

VM_REPORT_SRC := vm/vm_report.c vm/vm_report_igt.c vm/vm_report.h
VM_REPORT_CFLAGS := -std=c11 -Wall -Wextra -Werror -D_GNU_SOURCE

$(BUILD)/vm-report: $(VM_REPORT_SRC)
	@mkdir -p $(@D)
	$(CC) $(VM_REPORT_CFLAGS) -O2 $(filter %.c,$^) -ljson-c -o $@

$(BUILD)/host/asan/vm-report: $(VM_REPORT_SRC)
	@mkdir -p $(@D)
	$(CC) $(VM_REPORT_CFLAGS) $(HOST_SAN) $(filter %.c,$^) -ljson-c -o $@

# PID 1 of every guest; built in the guest root like the tests.
$(BUILD)/guest/vgpu_init: vm/vgpu_init.c $(VGPU_GUEST_DEPS)
	scripts/vm-guest-cc.sh $@ "" -- vm/vgpu_init.c

# The guests drive the ASan+UBSan build of the daemon, and the two-guest
# scenario its TSan build.
VM_HOSTD := $(HOST_OUT)/asan/vgt-hostd
VM_HOSTD_TSAN := $(HOST_OUT)/tsan/vgt-hostd
VM_BINS := $(VM_HOSTD) $(VM_HOSTD_TSAN) $(BUILD)/vm-report $(BUILD)/guest/vgpu_init \
	$(VGPU_GUEST_TESTS)
VM_RUN := VGT_HOSTD=$(VM_HOSTD) VGT_HOSTD_TSAN=$(VM_HOSTD_TSAN) vm/run.sh

.PHONY: vm-check vm-interop igt-check vm-report-check
vm-report-check: $(BUILD)/host/asan/vm-report
	vm/tests/vm_report_test.sh $<

vm-check: $(VM_BINS) vm-report-check igt-protocol-check
	host-model/tests/hostd_test.sh $(VM_HOSTD)
	$(VM_RUN) single pair malformed-fences malformed-slice hsw

igt-check: $(VM_BINS) vm-report-check igt-protocol-check
	$(VM_RUN) igt igt-type4

# The enlightened guest's IGT results are what the upstream one is
# compared with: igt-check runs first if they are not there.
vm-interop: $(VM_BINS)
	@[ -f $(BUILD)/vm/igt/g1/results/results.json ] || $(VM_RUN) igt
	$(VM_RUN) --pristine single igt

CHECK_TARGETS += vm-check igt-check
