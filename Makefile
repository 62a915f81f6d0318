# Paravirtual GPU partitioning for Intel graphics: guest enlightenment for
# Linux 6.1, PVINFO spec, host model. See README.md.
#
#   make run           main job
#   make check         every test (host model, harness, kernel tree check)
#   make bench         benchmarks (figures, not tests)
#   make kernel-check  the patch series inside a real linux-source-6.1 tree
#   make patches       regenerate patches/ from the repository's files

.DEFAULT_GOAL := all
.PHONY: all run check bench kernel-check patches patches-check clean deps

BUILD := build

deps:
	@scripts/install-deps.sh build-essential clang

-include host-model/host-model.mk
-include tools/testing/vgpu/vgpu.mk

all: $(BUILD)/vgt-host

patches:
	scripts/make-patches.sh patches

kernel-check:
	scripts/kernel-check.sh

check: deps host-check kernel-check

bench: host-bench

clean:
	rm -rf $(BUILD)
