#!/bin/sh
# Compile a guest binary inside the guest root (scripts/vm-guest-root.sh),
# with its gcc, glibc and libraries, so that what runs in the guest is
# built against what the guest has (libdrm's i915_drm.h, drmIoctl,
# libdrm_intel) and not against the host's headers.
#
#   scripts/vm-guest-cc.sh OUT "PKG..." [CFLAG...] -- SOURCE...
#
# PKG are pkg-config names in the guest root ("" for none); the SOURCEs
# (.c and the .h they include) are copied into a scratch directory of the
# root, compiled there in a chroot, and the binary is moved to OUT. Needs
# root (chroot).
set -eu

[ $# -ge 3 ] || { echo "usage: $0 OUT \"PKG...\" [CFLAG...] -- SOURCE..." >&2; exit 2; }
out=$1 pkgs=$2
shift 2
flags=
while [ $# -gt 0 ] && [ "$1" != -- ]; do
	flags="$flags $1"
	shift
done
[ "${1:-}" = -- ] || { echo "vm-guest-cc: no -- before the sources" >&2; exit 2; }
shift

root=$("$(dirname "$0")/vm-guest-root.sh")
scratch=$(mktemp -d "$root/tmp/vgpu-cc.XXXXXX")
trap 'rm -rf "$scratch"' EXIT INT TERM
cp "$@" "$scratch/"
cfiles=
for f in "$@"; do
	case $f in *.c) cfiles="$cfiles $(basename "$f")" ;; esac
done
inside=/tmp/$(basename "$scratch")
# pkg-config inside the root, so its include and library paths are the
# root's. -Werror and the warnings as everywhere in the project.
chroot "$root" /bin/sh -c "cd $inside && gcc -std=gnu11 -Wall -Wextra -Werror -O2 -g \
	$flags $cfiles -o a.out \$( [ -z '$pkgs' ] || pkg-config --cflags --libs $pkgs )"
mkdir -p "$(dirname "$out")"
mv "$scratch/a.out" "$out"
