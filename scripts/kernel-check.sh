#!/bin/sh
# make kernel-check: the guest code inside a real Linux 6.1 tree.
#
#  1. the series in patches/ is what the repository's files produce;
#  2. it applies cleanly to a pristine copy of linux-source-6.1;
#  3. i915 (as a module, x86_64) builds with W=1 and sparse, and no warning
#     appears that the unpatched tree does not also have (warnings compared
#     by file and text, since line numbers move);
#  4. i915.ko links;
#  5. checkpatch --strict is clean on every patch.
# The pristine tree, both build directories and the baseline warnings are
# cached under $VGPU_CACHE (default ~/.cache/vgpu).
set -eu
export LC_ALL=C

top=$(cd "$(dirname "$0")/.." && pwd)
cache=${VGPU_CACHE:-${HOME:-/root}/.cache/vgpu}
jobs=${JOBS:-$(nproc)}

"$top/scripts/install-deps.sh" linux-source-6.1 build-essential flex bison bc \
	libelf-dev libssl-dev sparse cpio kmod perl
tree=$("$top/scripts/kernel-tree.sh")
say() { printf 'kernel-check: %s\n' "$*"; }
fail() { printf 'kernel-check: FAIL: %s\n' "$*" >&2; exit 1; }

# 1. The committed series matches the files.
series=$(mktemp -d)
trap 'rm -rf "$series"' EXIT
"$top/scripts/make-patches.sh" "$series/p"
diff -r "$top/patches" "$series/p" -x src >/dev/null 2>&1 ||
	fail "patches/ does not match the repository's files: run 'make patches'"
npatches=$(ls "$series/p" | wc -l)
say "series: $npatches patches, matching the repository"

# 2. Apply to a pristine copy (hard links outside i915, a real copy inside).
src=$cache/src-patched
rm -rf "$src"
cp -al "$tree" "$src"
rm -rf "$src/drivers/gpu/drm/i915"
cp -a "$tree/drivers/gpu/drm/i915" "$src/drivers/gpu/drm/i915"
for p in "$series"/p/*.patch; do
	(cd "$src" && git apply --check "$p" && git apply "$p") ||
		fail "$(basename "$p") does not apply cleanly"
done
say "series applies cleanly to linux-source-6.1 ($(cat "$tree/Makefile" | sed -n 's/^SUBLEVEL = //p' | sed 's/^/6.1./'))"

# i915 as a module, plus GVT-g (host side, KVMGT): it includes i915_pvinfo.h
# too, so the header must keep serving it.
config_opts="--enable DRM --module DRM_I915 --enable VIRTUALIZATION --enable KVM
	--enable KVM_INTEL --enable VFIO --enable VFIO_MDEV --module DRM_I915_GVT_KVMGT"

configure() { # O=dir, source tree
	[ -f "$1/.config" ] && return 0
	make -s -C "$2" O="$1" x86_64_defconfig >/dev/null
	"$2/scripts/config" --file "$1/.config" $config_opts
	make -s -C "$2" O="$1" olddefconfig >/dev/null
	grep -q '^CONFIG_DRM_I915=m' "$1/.config" &&
		grep -q '^CONFIG_DRM_I915_GVT_KVMGT=m' "$1/.config" ||
		fail "could not configure i915 and GVT-g as modules"
	make -s -C "$2" O="$1" -j"$jobs" prepare >/dev/null 2>&1 || fail "make prepare failed in $1"
}

# Build every i915 object afresh with W=1 and sparse; keep the diagnostics.
build_i915() { # O=dir, source tree, log
	rm -rf "$1/drivers/gpu/drm/i915"
	if ! make -C "$2" O="$1" -j"$jobs" W=1 C=1 drivers/gpu/drm/i915/ >"$3" 2>&1; then
		grep -E 'error:' "$3" | head -20 >&2
		return 1
	fi
}

# "file: warning: text" with line and column numbers dropped.
diagnostics() {
	sed -n -E 's#^.*/(drivers/[^:]*):[0-9]+(:[0-9]+)?: (warning|error): #\1: \3: #p' "$1" | sort
}

# The baseline depends on the configuration: key its cache on it.
config_key=$(printf %s "$config_opts" | cksum | cut -d" " -f1)
base=$cache/build-base-$config_key
base_warn=$cache/baseline-warnings-$config_key.txt
if [ ! -f "$base_warn" ]; then
	say "building the unpatched i915 for the warning baseline (once)"
	configure "$base" "$tree"
	build_i915 "$base" "$tree" "$base.log" || fail "the unpatched i915 does not build"
	diagnostics "$base.log" >"$base_warn.tmp"
	mv "$base_warn.tmp" "$base_warn"
fi

obj=$cache/build-patched-$config_key
say "building the patched i915 with W=1 and sparse"
configure "$obj" "$src"
log=$obj.log
build_i915 "$obj" "$src" "$log" || fail "the patched i915 does not build (log: $log)"
diagnostics "$log" >"$series/patched-warnings.txt"
new=$(comm -13 "$base_warn" "$series/patched-warnings.txt")

# Objects that include our headers, from the dependency records kbuild keeps.
users=$(find "$obj/drivers/gpu/drm/i915" -name '.*.o.cmd' \
	-exec grep -l -E 'i915/(i915_vgpu|i915_pvinfo)\.h' {} + | wc -l)
total=$(find "$obj/drivers/gpu/drm/i915" -name '*.o' ! -name '*.mod.o' | wc -l)

# 4. The module links.
make -C "$src" O="$obj" -j"$jobs" drivers/gpu/drm/i915/i915.ko >"$obj/ko.log" 2>&1 ||
	fail "i915.ko does not link (log: $obj/ko.log)"
[ -f "$obj/drivers/gpu/drm/i915/i915.ko" ] || fail "i915.ko was not produced"

# 5. checkpatch --strict.
cp_log=$series/checkpatch.log
(cd "$tree" && ./scripts/checkpatch.pl --strict --no-signoff --terse "$series"/p/*.patch) >"$cp_log" 2>&1 || true
(cd "$tree" && ./scripts/checkpatch.pl --strict "$series"/p/*.patch) >"$cp_log.full" 2>&1 || true
cp_errors=$(grep -c ': ERROR:' "$cp_log" || true)
cp_warnings=$(grep -c -E ': (WARNING|CHECK):' "$cp_log" || true)
sob=$(grep -c 'Missing Signed-off-by' "$cp_log.full" || true)

say "objects built: $total under drivers/gpu/drm/i915 ($users include i915_vgpu.h or i915_pvinfo.h), i915.ko linked"
say "warnings (W=1 + sparse): baseline $(wc -l <"$base_warn"), patched $(wc -l <"$series/patched-warnings.txt"), new $(printf '%s' "$new" | grep -c . || true)"
say "checkpatch --strict: $cp_errors errors, $cp_warnings warnings/checks, $sob missing sign-offs"

status=0
if [ -n "$new" ]; then
	echo "new warnings:" >&2
	printf '%s\n' "$new" >&2
	status=1
fi
if [ "$cp_errors" != 0 ] || [ "$cp_warnings" != 0 ] || [ "$sob" != 0 ]; then
	cat "$cp_log" >&2
	status=1
fi
# Five checks: series up to date, applies, W=1/sparse clean, links, checkpatch.
if [ $status = 0 ]; then
	say "PASS"
	echo "kernel-check: 5 passed, 0 failed"
else
	say "FAIL"
fi
exit $status
