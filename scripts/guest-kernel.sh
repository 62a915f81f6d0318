#!/bin/sh
# Print the path of the guest bzImage, building it once into the cache:
# the cached linux-source-6.1 tree with our patch series applied (or, with
# --pristine, without it: the unmodified upstream i915 of make vm-interop)
# and vm/guest-kernel.config on top of allnoconfig. Rebuilt, incrementally,
# when the patches, the fragment or this script change.
#
# VGPU_SERIES_UPTO=NNNN applies the series only up to patch NNNN: the
# kernel before a later patch, for its before/after measurements (make
# vm-aperture-before). Its own flavour, patched-upto-NNNN.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
upto=${VGPU_SERIES_UPTO:-}
flavour=patched${upto:+-upto-$upto}
[ "${1:-}" = --pristine ] && flavour=pristine upto=
if [ -n "$upto" ] && ! ls "$repo/patches/$upto"-*.patch >/dev/null 2>&1; then
	echo "error: VGPU_SERIES_UPTO=$upto: no patches/$upto-*.patch" >&2
	exit 1
fi
cache=${VGPU_CACHE:-${HOME:-/root}/.cache/vgpu}
dir=$cache/guest-kernel/$flavour
fragment=$repo/vm/guest-kernel.config
jobs=$(nproc 2>/dev/null || echo 2)
. "$(dirname "$0")/cache-lock.sh"
cache_lock guest-kernel-$flavour

patches=
# The stack without the cover letter (a message with no diff).
[ "$flavour" != pristine ] && patches=$(ls "$repo"/patches/[0-9]*.patch | grep -v /0000- |
	while read -r p; do
		n=$(basename "$p"); n=${n%%-*}
		if [ -z "$upto" ] || [ "$n" -le "$upto" ]; then echo "$p"; fi
	done)
key=$(cat $patches "$fragment" "$0" | cksum | cut -d' ' -f1)
image=$dir/build/arch/x86/boot/bzImage
if [ -f "$dir/built-$key" ] && [ -f "$image" ]; then
	echo "$image"
	exit 0
fi

tree=$("$here/kernel-tree.sh")
"$here/install-deps.sh" build-essential flex bison bc libelf-dev libssl-dev cpio >&2

# A hard-linked copy of the pristine tree: patch(1) replaces the files it
# changes instead of writing through the links, so the cache stays pristine.
if [ ! -f "$dir/src-$key" ]; then
	rm -rf "$dir/src" "$dir"/src-*
	mkdir -p "$dir"
	cp -al "$tree" "$dir/src"
	for p in $patches; do
		if ! patch -d "$dir/src" -p1 -s --no-backup-if-mismatch <"$p"; then
			echo "error: $(basename "$p") does not apply to $tree" >&2
			exit 1
		fi
	done
	# Any file a stack touches may differ from what the objects in the
	# build directory were compiled from (an older stack, or the other
	# flavour's build it was seeded from): give each a new inode and mtime,
	# so make recompiles whatever depends on it. patch(1) already did so
	# for the files it changed; the rest are still links to the tree.
	for f in $(sed -n 's|^+++ b/||p' "$repo"/patches/[0-9]*.patch | sort -u); do
		f=$dir/src/$f
		[ -f "$f" ] && [ "$(stat -c %h "$f")" -gt 1 ] || continue
		cp "$f" "$f.vgpu-new" && mv "$f.vgpu-new" "$f"
	done
	touch "$dir/src-$key"
fi

# A first build of one flavour starts from the other's objects, when it has
# a complete build: the two differ only in the files the stack touches.
other=pristine
[ "$flavour" = patched ] || other=patched
if [ ! -d "$dir/build" ] && ls "$cache/guest-kernel/$other"/built-* >/dev/null 2>&1; then
	echo "guest-kernel: starting the $flavour build from the $other one's objects" >&2
	flock "$cache/.guest-kernel-$other.lock" cp -a "$cache/guest-kernel/$other/build" "$dir/build.tmp"
	# Kbuild's .cmd files name the sources and headers by absolute path:
	# point them at this flavour's tree, or make would judge the objects
	# by the other tree's files and their recorded commands as changed.
	find "$dir/build.tmp" -name '*.cmd' -exec sed -i -e \
		"s|$cache/guest-kernel/$other/src|$dir/src|g; s|$cache/guest-kernel/$other/build|$dir/build|g" {} +
	mv "$dir/build.tmp" "$dir/build"
fi
mkdir -p "$dir/build"
make -s -C "$dir/src" O="$dir/build" KCONFIG_ALLCONFIG="$fragment" allnoconfig >/dev/null
missing=$(grep '^CONFIG_.*=y$' "$fragment" | while read -r line; do
	grep -qx "$line" "$dir/build/.config" || echo "${line%=y}"
done)
if [ -n "$missing" ]; then
	echo "error: vm/guest-kernel.config: not enabled after allnoconfig:" $missing >&2
	exit 1
fi

log=$dir/build.log
echo "guest-kernel: building the $flavour 6.1 kernel in $dir/build (log: $log)" >&2
start=$(date +%s)
make -C "$dir/src" O="$dir/build" -j"$jobs" bzImage >"$log" 2>&1 &
pid=$!
while kill -0 "$pid" 2>/dev/null; do
	sleep 30
	kill -0 "$pid" 2>/dev/null || break
	echo "guest-kernel: $(grep -c '^  CC' "$log") objects compiled, $(( $(date +%s) - start )) s" >&2
done
if ! wait "$pid"; then
	grep -E 'error|Error' "$log" | head -20 >&2
	echo "error: the guest kernel build failed; log: $log" >&2
	exit 1
fi
rm -f "$dir"/built-*
touch "$dir/built-$key"
echo "guest-kernel: built in $(( $(date +%s) - start )) s" >&2
echo "$image"
