# Real guests on the host model (vm/run.sh, scenarios in vm/scenarios/):
#
#   make vm-check    Linux 6.1 guests with our patch series on vgt-hostd's
#                    vGPUs under QEMU (vfio-user-pci): single, pair,
#                    reslice (live re-ballooning), the two malformed-PVINFO
#                    scenarios, hsw (a guest on a Haswell vGPU), then single
#                    again with the unmodified upstream i915 (on the same
#                    PVINFO 1.1 host it must work as 1.0)
#   make igt-check   upstream IGT (Debian sid's 2.5-1) and vgpu_balloon
#                    under igt_runner in such a guest, against
#                    vm/igt/expectations; results in build/vm/igt/; beside
#                    it the tiling tests on a type "4" vGPU and the basic
#                    GEM tests on a Haswell one (igt-type4, igt-hsw)
#   make vm-interop  the unmodified upstream 6.1 i915 on the same host: the
#                    single scenario, and the IGT list compared with the
#                    enlightened guest's results
#   make vm-report-check   vm-report's own tests (no VM)
#   make igt-blits   by hand (not in make check: about 14 minutes under
#                    TCG): gem_tiled_blits in a 5 GiB guest
#   make vm-mesa     by hand: Mesa's hardware drivers in Skylake and
#                    Haswell guests (vm/scenarios/mesa-*.scn)
#   make vm-aperture by hand: userspace's aperture assumptions tried on
#                    Skylake and Haswell vGPUs (vgpu_aperture's table)
#   make vm-aperture-before  by hand: the same table with the series up
#                    to patch 0010 (before 0011 and 0012)
#   make vm-bench    (in make bench) MB/s through a GTT mmap and the cost
#                    of a trapped register read, from vgpu_bench in a guest
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
VM_BINS := $(VM_HOSTD) $(VM_HOSTD_TSAN) $(BUILD)/vm-report $(BUILD)/vgt-hostctl \
	$(BUILD)/guest/vgpu_init \
	$(VGPU_GUEST_TESTS)
VM_RUN := VGT_HOSTD=$(VM_HOSTD) VGT_HOSTD_TSAN=$(VM_HOSTD_TSAN) vm/run.sh

.PHONY: vm-check vm-interop igt-check igt-blits vm-mesa vm-aperture vm-aperture-before vm-report-check vm-bench
vm-report-check: $(BUILD)/host/asan/vm-report
	vm/tests/vm_report_test.sh $<

vm-check: $(VM_BINS) vm-report-check igt-protocol-check
	host-model/tests/hostd_test.sh $(VM_HOSTD)
	$(VM_RUN) single pair reslice malformed-fences malformed-slice hsw
	$(VM_RUN) --pristine single

# The type "8" guest's list runs beside the type "4" and Haswell guests'
# shorter ones, which follow each other: traps are answered no slower on a
# busy machine than on an idle one (an idle host's wake-up dominates their
# latency), so the two lines cost little more than the longer one.
igt-check: $(VM_BINS) vm-report-check igt-protocol-check
	$(VM_RUN) igt-type4 igt-hsw & t4=$$!; $(VM_RUN) igt; s=$$?; wait $$t4 || s=1; exit $$s

igt-blits: $(VM_BINS)
	$(VM_RUN) igt-blits

# By hand (about 5 minutes): Mesa's iris and anv on a Skylake vGPU, crocus
# and hasvk on a Haswell one, eglinfo, vulkaninfo and our Mesa clients
# (vm/lists/mesa.run), 2 GiB guests.
vm-mesa: $(VM_BINS) $(VGPU_MESA_TESTS)
	$(VM_RUN) mesa-skl mesa-hsw

# By hand (about 20 minutes): the aperture-assumption validator's table
# (vgpu_aperture) on type 8 and type 4 vGPUs of both platforms.
APERTURE_SCENARIOS = aperture-skl8 aperture-skl4 aperture-hsw8 aperture-hsw4
vm-aperture: $(VM_BINS)
	$(VM_RUN) $(APERTURE_SCENARIOS)

# By hand: the same table before the series' userspace-facing patches
# (0011, the mappable-pin heuristics; 0012, GET_APERTURE's size): the
# series up to 0010, its own kernel (scripts/guest-kernel.sh).
vm-aperture-before: $(VM_BINS)
	VGPU_SERIES_UPTO=0010 $(VM_RUN) $(APERTURE_SCENARIOS)

# The enlightened guest's IGT results are what the upstream one is
# compared with: igt-check runs first if they are not there.
vm-interop: $(VM_BINS)
	@[ -f $(BUILD)/vm/igt/g1/results/results.json ] || $(VM_RUN) igt
	$(VM_RUN) --pristine single igt

# Figures, not a test: the optimised daemon, once sleeping for every
# message (bench, as the daemon does by default) and once polling 50 us
# before it sleeps (bench-spin, as igt-check's scenarios do). Measured
# here, 2 cores: 1 MiB through a GTT mmap 0.09-0.10 MB/s (78-90 us per
# 8-byte access) sleeping, 0.19-0.23 MB/s (35-45 us) polling, with the
# machine otherwise idle; on a loaded machine both are near 17-25 us and
# polling loses (28-42 us): it takes a core from the guests.
vm-bench: $(VM_BINS) $(BUILD)/vgt-hostd
	$(VM_RUN) bench bench-spin
	@for s in bench bench-spin; do \
		sed -n "s/^.*BENCH /vm-bench: $$s: /p" $(BUILD)/vm/$$s/g1-results.log; \
	done

CHECK_TARGETS += vm-check igt-check
BENCH_TARGETS += vm-bench
