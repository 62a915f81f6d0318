#!/bin/sh
# Print the path of the VM root, building it once into the cache: a
# debootstrapped Debian trixie (minbase) with QEMU >= 10.1 from
# trixie-backports, the first QEMU whose vfio-user-pci client we can use
# (Debian 12's QEMU 7.2 has none). QEMU runs chrooted in it; the guest
# mounts the same tree read-only over virtio-9p as its root filesystem.
# Needs root (debootstrap, chroot).
set -eu

cache=${VGPU_CACHE:-${HOME:-/root}/.cache/vgpu}
root=$cache/vm-root
mirror=${VGPU_MIRROR:-http://deb.debian.org/debian}
stamp=$root/.vgpu-root-1
. "$(dirname "$0")/cache-lock.sh"
cache_lock vm-root

if [ -f "$stamp" ]; then
	echo "$root"
	exit 0
fi
if [ "$(id -u)" != 0 ]; then
	echo "error: building the VM root needs root (debootstrap, chroot)" >&2
	exit 1
fi

tmp=$root.tmp
cleanup() {
	umount "$tmp/proc" 2>/dev/null || true
}
trap cleanup EXIT INT TERM
"$(dirname "$0")/vm-debootstrap.sh" trixie "$tmp" "$mirror" "$cache/vm-root.log"
cat >"$tmp/etc/apt/sources.list.d/backports.sources" <<SRC
Types: deb
URIs: $mirror
Suites: trixie-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
mount -t proc proc "$tmp/proc"
echo "vm-root: installing qemu-system-x86 from trixie-backports" >&2
if ! chroot "$tmp" sh -c 'apt-get update -q &&
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
		-t trixie-backports qemu-system-x86 && apt-get clean' \
		>>"$cache/vm-root.log" 2>&1; then
	tail -5 "$cache/vm-root.log" >&2
	echo "error: installing qemu-system-x86 in the VM root failed; log: $cache/vm-root.log" >&2
	exit 1
fi
umount "$tmp/proc"
ver=$(chroot "$tmp" qemu-system-x86_64 --version | sed -n 's/^QEMU emulator version \([0-9]*\)\.\([0-9]*\).*/\1 \2/p')
set -- $ver
if [ "${1:-0}" -lt 10 ] || { [ "$1" -eq 10 ] && [ "$2" -lt 1 ]; }; then
	echo "error: the VM root has QEMU ${1:-?}.${2:-?}; vfio-user-pci needs >= 10.1" >&2
	exit 1
fi
rm -rf "$root"
mv "$tmp" "$root"
touch "$stamp"
echo "vm-root: QEMU $1.$2 ready in $root" >&2
echo "$root"
