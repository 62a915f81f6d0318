#!/bin/sh
# Print the path of the pristine Linux 6.1 tree from Debian's linux-source-6.1
# package, extracting it once into the cache. The tree is never modified:
# builds use O= directories and patched copies.
set -eu

cache=${VGPU_CACHE:-${HOME:-/root}/.cache/vgpu}
tree=$cache/linux-source-6.1
tarball=/usr/src/linux-source-6.1.tar.xz
. "$(dirname "$0")/cache-lock.sh"
cache_lock kernel-tree

if [ -f "$tree/.vgpu-extracted" ]; then
	echo "$tree"
	exit 0
fi

if [ ! -f "$tarball" ]; then
	"$(dirname "$0")/install-deps.sh" linux-source-6.1 >&2 || {
		echo "error: $tarball is missing and linux-source-6.1 could not be installed;" >&2
		echo "       on a machine with the Debian archive: apt-get install linux-source-6.1" >&2
		exit 1
	}
fi

echo "extracting $tarball into $cache (once)" >&2
mkdir -p "$cache"
rm -rf "$tree.tmp"
mkdir "$tree.tmp"
tar -xf "$tarball" -C "$tree.tmp"
rm -rf "$tree"
mv "$tree.tmp/linux-source-6.1" "$tree"
rmdir "$tree.tmp"
touch "$tree/.vgpu-extracted"
echo "$tree"
