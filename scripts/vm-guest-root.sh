#!/bin/sh
# Print the path of the guest root, building it once into the cache: a
# debootstrapped Debian sid (minbase) with the packages vm/guest-root.packages
# names (upstream IGT, libdrm-dev and a compiler for our guest binaries).
# The guest mounts it read-only over virtio-9p as its root filesystem; our
# guest binaries are compiled inside it (scripts/vm-guest-build.sh). Rebuilt
# from scratch when the package list or this script changes. Needs root.
#
#   VGPU_GUEST_MIRROR  Debian mirror for sid (default deb.debian.org)
set -eu

here=$(cd "$(dirname "$0")" && pwd)
recipe=$(dirname "$here")/vm/guest-root.packages
cache=${VGPU_CACHE:-${HOME:-/root}/.cache/vgpu}
root=$cache/guest-root
mirror=${VGPU_GUEST_MIRROR:-http://deb.debian.org/debian}
key=$(cat "$recipe" "$0" "$here/vm-debootstrap.sh" | cksum | cut -d" " -f1)
stamp=$root/.vgpu-guest-root-$key
. "$(dirname "$0")/cache-lock.sh"
cache_lock guest-root

if [ -f "$stamp" ]; then
	echo "$root"
	exit 0
fi
if [ "$(id -u)" != 0 ]; then
	echo "error: building the guest root needs root (debootstrap, chroot)" >&2
	exit 1
fi
# NAME[=VERSION] lines without comments.
packages=$(sed -e 's/#.*//' -e 's/[[:space:]]//g' -e '/^$/d' "$recipe")
log=$cache/guest-root.log
tmp=$root.tmp
cleanup() {
	umount "$tmp/proc" 2>/dev/null || true
}
trap cleanup EXIT INT TERM
# The host's (Debian 12) debootstrap knows sid; minbase needs nothing newer.
"$here/vm-debootstrap.sh" sid "$tmp" "$mirror" "$log"
# sid's Release file is valid for a week only; a snapshot or a frozen
# mirror serves an older one. Signatures are still checked.
echo 'Acquire::Check-Valid-Until "false";' >"$tmp/etc/apt/apt.conf.d/10vgpu-snapshot"
mount -t proc proc "$tmp/proc"
in_root() {
	chroot "$tmp" env DEBIAN_FRONTEND=noninteractive LC_ALL=C "$@"
}
if ! in_root apt-get update -q >>"$log" 2>&1; then
	tail -5 "$log" >&2
	echo "error: apt-get update in the guest root failed; log: $log" >&2
	exit 1
fi

# A pinned version must still be served: say so before apt-get does.
for p in $packages; do
	case $p in *=*) ;; *) continue ;; esac
	name=${p%%=*} want=${p#*=}
	served=$(in_root apt-cache madison "$name" 2>/dev/null | awk -F'|' '{gsub(/ /, "", $2); print $2}' | sort -u | tr '\n' ' ')
	case " $served" in
	*" $want "*) ;;
	*)	echo "error: vm/guest-root.packages pins $name=$want, but $mirror (sid) serves ${served:-no $name at all}" >&2
		echo "       update the pin (and the expectations it backs), or set VGPU_GUEST_MIRROR to a" >&2
		echo "       snapshot, e.g. https://snapshot.debian.org/archive/debian/<date>/" >&2
		exit 1 ;;
	esac
done

echo "guest-root: installing" $packages >&2
if ! in_root apt-get install -y -q --no-install-recommends $packages >>"$log" 2>&1; then
	tail -5 "$log" >&2
	echo "error: installing the guest packages failed; log: $log" >&2
	exit 1
fi
in_root apt-get clean
umount "$tmp/proc"
rm -rf "$tmp/var/lib/apt/lists/"* "$tmp/etc/resolv.conf"
for p in $packages; do
	in_root dpkg-query -W -f='${Package} ${Version}\n' "${p%%=*}"
done >"$tmp/.vgpu-guest-root-packages"
rm -rf "$root"
mv "$tmp" "$root"
touch "$stamp"
echo "guest-root: $(du -sm "$root" | cut -f1) MiB in $root:" "$(tr ' \n' '= ' <"$root/.vgpu-guest-root-packages")" >&2
echo "$root"
