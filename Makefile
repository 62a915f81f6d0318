# Paravirtual GPU partitioning for Intel graphics: guest enlightenment for
# Linux 6.1, PVINFO spec, host model. See README.md.
#
#   make run           main job
#   make check         every test the repository has
#   make bench         benchmarks (figures, not tests)
#   make kernel-check  the patch series inside a real linux-source-6.1 tree
#   make vm-check      boot 6.1 guests with the series on vgt-hostd (QEMU)
#   make igt-check     upstream IGT and vgpu_balloon in such a guest (igt_runner)
#   make vm-interop    the same with the unmodified upstream 6.1 i915
#   make patches       replay the patch stack and write it back (cover letter
#                      regenerated); NEW=msg-file adds the drivers/ change on
#                      top, FOLD=NNNN folds it into patch NNNN
#   make spec-table    regenerate spec/pvinfo.md's conformance table

.DEFAULT_GOAL := all
.PHONY: all run check bench kernel-check patches series-summary clean deps

BUILD := build
ALL_TARGETS :=
CHECK_TARGETS :=
BENCH_TARGETS :=
RUN_TARGETS :=

# Each part of the project brings its own fragment, which adds to the lists.
-include host-model/host-model.mk
-include tools/testing/vgpu/vgpu.mk
-include igt-tests/igt-tests.mk
-include vm/vm.mk
-include spec/spec.mk

all: deps $(ALL_TARGETS)

deps:
	@scripts/install-deps.sh build-essential clang libclang-rt-14-dev

patches:
	scripts/make-patches.sh $(if $(NEW),--new $(NEW),$(if $(FOLD),--fold $(FOLD)))

kernel-check:
	scripts/kernel-check.sh

series-summary:
	@echo "== patch series (patches/, against linux-source-6.1)"
	@for p in patches/0*.patch; do sed -n 's/^Subject: //p' "$$p"; done
	@cat patches/0*.patch | grep -c '^+[^+]' | sed 's/^/lines added: /'

run: deps $(RUN_TARGETS)

check: deps $(CHECK_TARGETS) kernel-check

bench: deps $(BENCH_TARGETS)

clean:
	rm -rf $(BUILD)
