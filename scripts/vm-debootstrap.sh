#!/bin/sh
# A minbase Debian SUITE debootstrapped into DIR (emptied first), with the
# host's resolv.conf for apt: the start of the VM root (vm-root.sh) and of
# the guest root (vm-guest-root.sh). Needs root.
#
#   scripts/vm-debootstrap.sh SUITE DIR MIRROR LOG
set -eu

suite=$1 dir=$2 mirror=$3 log=$4
"$(dirname "$0")/install-deps.sh" debootstrap >&2
# A build killed while it had proc mounted in DIR leaves the mount: take
# it down first, and never let rm walk into a mounted filesystem.
for m in $(awk -v d="$dir/" 'index($2, d) == 1 { print $2 }' /proc/mounts | sort -r); do
	umount "$m" 2>/dev/null || umount -l "$m" || true
done
if awk -v d="$dir/" 'index($2, d) == 1 { found = 1 } END { exit !found }' /proc/mounts; then
	echo "error: $dir still has filesystems mounted in it; unmount them and retry" >&2
	exit 1
fi
rm -rf "$dir"
mkdir -p "$(dirname "$dir")"
echo "vm: debootstrap $suite into $dir (about 30 s)" >&2
if ! debootstrap --variant=minbase "$suite" "$dir" "$mirror" >"$log" 2>&1; then
	tail -5 "$log" >&2
	echo "error: debootstrap of $suite from $mirror failed (network?); log: $log" >&2
	exit 1
fi
cp /etc/resolv.conf "$dir/etc/resolv.conf" 2>/dev/null || true
