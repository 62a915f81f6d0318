#!/bin/sh
# make kernel-check: the patch stack inside a real Linux 6.1 tree.
#
# checks:
#  1. patches/ is what make-patches.sh writes (the stack replayed on the
#     pristine linux-source-6.1 with git am, normalised, and the cover
#     letter regenerated), and pristine tree + stack == drivers/;
#  2. every patch builds on its own (bisectable): after each one, W=1 and
#     sparse compile the objects it touches (its .c files, and the .c
#     files of the series that include a header it changes), with no
#     warning the unpatched tree does not also have;
#  3. the whole series: i915 (module, x86_64, with GVT-g's KVMGT, which
#     includes i915_pvinfo.h too) builds with W=1 and sparse with no new
#     warning, and i915.ko links;
#  4. checkpatch --strict is clean on every patch.
# end checks
#
# Warnings are compared with the unpatched build's by file and text, since
# line numbers move. Everything is cached under $VGPU_CACHE (default
# ~/.cache/vgpu): the pristine tree, the baseline, and two persistent
# source/build pairs, one walked through the stack patch by patch and one
# at the series' end. Files are only rewritten when their contents change,
# so kbuild recompiles exactly what a patch affects. The end build is
# incremental from the last state that passed; after a failure it starts
# afresh.
set -eu
export LC_ALL=C

top=$(cd "$(dirname "$0")/.." && pwd)
cache=${VGPU_CACHE:-${HOME:-/root}/.cache/vgpu}
jobs=${JOBS:-$(nproc)}
i915=drivers/gpu/drm/i915

"$top/scripts/install-deps.sh" linux-source-6.1 build-essential flex bison bc \
	libelf-dev libssl-dev sparse cpio kmod perl
tree=$("$top/scripts/kernel-tree.sh")
. "$top/scripts/cache-lock.sh"
cache_lock kernel-check
say() { printf 'kernel-check: %s (%ds)\n' "$1" $(($(date +%s) - t0)); }
fail() { printf 'kernel-check: FAIL: %s\n' "$*" >&2; exit 1; }
t0=$(date +%s)

# 1. The committed series is what the stack gives, and gives drivers/.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$top/scripts/make-patches.sh" "$tmp/p" || fail "make-patches.sh refused the stack (above)"
if ! diff -r -x src "$top/patches" "$tmp/p" >"$tmp/series.diff" 2>&1; then
	sed -n 's/^Only in \(.*\): /  only in \1: /p; s/^diff -r \([^ ]*\) .*/  differs: \1/p' \
		"$tmp/series.diff" >&2
	fail "patches/ is not what make-patches.sh writes: run 'make patches'"
fi
"$top/scripts/make-patches.sh" --export "$tmp/git" >/dev/null
g() { git -C "$tmp/git" "$@"; }
commits=$(g rev-list --reverse base..HEAD)
npatches=$(echo "$commits" | wc -l)
# Every file the stack touches, and each patch's file name.
files=$(g diff --name-only base HEAD)
set -- $(ls "$tmp"/p/[0-9]*.patch | grep -v /0000-)
say "series: $npatches patches + cover letter, matching the repository; pristine + stack == drivers/"

config_opts="--enable DRM --module DRM_I915 --enable VIRTUALIZATION --enable KVM
	--enable KVM_INTEL --enable VFIO --enable VFIO_MDEV --module DRM_I915_GVT_KVMGT"
config_key=$(printf %s "$config_opts" | cksum | cut -d" " -f1)

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

# "file: warning: text" with line and column numbers dropped.
diagnostics() {
	sed -n -E 's#^.*/(drivers/[^:]*):[0-9]+(:[0-9]+)?: (warning|error): #\1: \3: #p' "$1" | sort -u
}

# A source tree of our own: hard links outside i915, a real copy inside, so
# the files we rewrite never reach the pristine cache.
new_src() {
	[ -f "$1/.vgpu-src" ] && return 0
	rm -rf "$1"
	cp -al "$tree" "$1"
	rm -rf "$1/$i915"
	cp -a "$tree/$i915" "$1/$i915"
	touch "$1/.vgpu-src"
}

# Bring source tree $1 to the state after commit $2: only files whose
# contents differ are written (their mtime is what kbuild goes by), each
# as a new file: outside i915 the tree's files are hard links into the
# pristine cache, and writing through one would patch the cache itself. A file
# an earlier series touched and this one does not goes back to pristine.
sync_to() {
	for f in $(cat "$1/.vgpu-files" 2>/dev/null); do
		echo "$files" | grep -qx "$f" && continue
		if [ -f "$tree/$f" ]; then
			cmp -s "$tree/$f" "$1/$f" || cp --remove-destination "$tree/$f" "$1/$f"
		else
			rm -f "$1/$f"
		fi
	done
	echo "$files" >"$1/.vgpu-files"
	for f in $files; do
		if g cat-file -e "$2:$f" 2>/dev/null; then
			g show "$2:$f" >"$tmp/file"
			cmp -s "$tmp/file" "$1/$f" || cp --remove-destination "$tmp/file" "$1/$f"
		else
			rm -f "$1/$f"
		fi
	done
}

# The baseline warnings, from the unpatched i915 built once.
base=$cache/build-base-$config_key
base_warn=$cache/baseline-warnings-$config_key.txt
if [ ! -f "$base_warn" ]; then
	say "building the unpatched i915 for the warning baseline (once)"
	configure "$base" "$tree"
	rm -rf "$base/$i915"
	make -C "$tree" O="$base" -j"$jobs" W=1 C=1 $i915/ >"$base.log" 2>&1 ||
		fail "the unpatched i915 does not build (log: $base.log)"
	diagnostics "$base.log" >"$base_warn.tmp"
	mv "$base_warn.tmp" "$base_warn"
fi

# 2. Patch by patch.
steps_src=$cache/series-steps-src
steps_obj=$cache/series-steps-build-$config_key
new_src "$steps_src"
configure "$steps_obj" "$steps_src"
series_c=$(echo "$files" | grep '\.c$' || true)
objects_of() { # commit: the objects its patch affects
	for f in $(g diff --name-only "$1~1" "$1"); do
		case $f in
		*.c) echo "${f%.c}.o" ;;
		*.h)
			for c in $series_c; do
				g cat-file -e "$1:$c" 2>/dev/null || continue
				g show "$1:$c" | grep -q "^#include \"\(.*/\)\?$(basename "$f")\"" &&
					echo "${c%.c}.o"
			done ;;
		esac
	done | sort -u
}
step_warn=0
k=0
for c in $commits; do
	k=$((k + 1))
	name=$(basename "$(eval echo "\${$k}")")
	sync_to "$steps_src" "$c"
	objs=$(objects_of "$c")
	[ -n "$objs" ] || continue
	log=$steps_obj/step-$k.log
	if ! make -C "$steps_src" O="$steps_obj" -j"$jobs" W=1 C=1 $objs >"$log" 2>&1; then
		grep -E 'error' "$log" | head -20 >&2
		fail "$name: does not build on top of the patches before it (log: $log)"
	fi
	new=$(diagnostics "$log" | comm -13 "$base_warn" -)
	if [ -n "$new" ]; then
		echo "$name: new warnings:" >&2
		printf '%s\n' "$new" >&2
		step_warn=$((step_warn + 1))
	fi
	say "$(printf '%2d' "$k") $name: built $(echo "$objs" | wc -l) objects: $(echo $objs | sed "s#$i915/##g")"
done
[ "$step_warn" = 0 ] || fail "$step_warn patches add warnings when built on their own"

# 3. The whole series, incrementally from the last passing end state.
end_src=$cache/series-end-src
end_obj=$cache/series-end-build-$config_key
new_src "$end_src"
[ -f "$end_obj/.vgpu-passed" ] || rm -rf "$end_obj/$i915"
rm -f "$end_obj/.vgpu-passed"
configure "$end_obj" "$end_src"
sync_to "$end_src" HEAD
log=$end_obj.log
# The link with the same W=1 C=1 as the build: kbuild records each object's
# command line, and any other flags would recompile every object.
if ! make -C "$end_src" O="$end_obj" -j"$jobs" W=1 C=1 $i915/ >"$log" 2>&1 ||
	! make -C "$end_src" O="$end_obj" -j"$jobs" W=1 C=1 $i915/i915.ko >"$end_obj.ko.log" 2>&1; then
	grep -E 'error' "$log" | head -20 >&2
	fail "the patched i915 does not build or link (log: $log)"
fi
[ -f "$end_obj/$i915/i915.ko" ] || fail "i915.ko was not produced"
rebuilt=$(grep -c -E '^  CC \[M\]  ' "$log" || true)
diagnostics "$log" >"$tmp/end-warnings.txt"
new=$(comm -13 "$base_warn" "$tmp/end-warnings.txt")
[ -z "$new" ] || { printf 'new warnings:\n%s\n' "$new" >&2; fail "the series adds warnings"; }
users=$(find "$end_obj/$i915" -name '.*.o.cmd' \
	-exec grep -l -E 'i915/(i915_vgpu|i915_pvinfo)\.h' {} + | wc -l)
total=$(find "$end_obj/$i915" -name '*.o' ! -name '*.mod.o' | wc -l)
touch "$end_obj/.vgpu-passed"
say "whole series: $total objects ($users include i915_vgpu.h or i915_pvinfo.h), $rebuilt recompiled, no new W=1/sparse warning (baseline $(wc -l <"$base_warn")), i915.ko linked"

# 4. checkpatch --strict, patch by patch.
cp_bad=0
for p in "$@"; do
	(cd "$tree" && ./scripts/checkpatch.pl --strict --terse "$p") >"$tmp/cp.log" 2>&1 || true
	n=$(grep -c -E ': (ERROR|WARNING|CHECK):' "$tmp/cp.log" || true)
	if [ "$n" != 0 ]; then
		cat "$tmp/cp.log" >&2
		cp_bad=$((cp_bad + 1))
	fi
done
[ "$cp_bad" = 0 ] || fail "checkpatch --strict: $cp_bad patches with errors, warnings or checks"
say "checkpatch --strict: $npatches patches clean"

say "PASS"
echo "kernel-check: 4 passed, 0 failed"
